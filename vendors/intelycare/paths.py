"""Every IntelyCare endpoint the portal calls: its method and path, in this one place.

The doc names no URL path at all: it gives the bodies, the headers and `shiftId` ("Intelycare's Unique identifier
of the shift") as a path parameter. Every path here is therefore chosen (README "Choices where the doc is silent");
when IntelyCare confirms theirs, they change here, and the client and the sandbox follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["CREATE_SHIFT", "CREATE_TIMECARD", "DELETE_SHIFT", "ENDPOINTS", "UPDATE_SHIFT", "UPDATE_TIMECARD"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One call: its method and path template (`{shift_id}` filled by `path()`), relative to the base URL."""

    method: str
    template: str

    def path(self, **parts: str) -> str:
        """The path with each part encoded as one segment."""
        return self.template.format(**{name: quote(str(value), safe="") for name, value in parts.items()})

    def pattern(self, **kinds: str) -> str:
        """The template as a sandbox route: each `{part}` a named group matching its regex `kinds[part]`."""
        return self.template.format(**{name: f"(?P<{name}>{kind})" for name, kind in kinds.items()})


CREATE_SHIFT = Endpoint("POST", "/v1/shifts")
UPDATE_SHIFT = Endpoint("PUT", "/v1/shifts/{shift_id}")  # shift_id: IntelyCare's internalShiftId
DELETE_SHIFT = Endpoint("DELETE", "/v1/shifts/{shift_id}")
CREATE_TIMECARD = Endpoint("POST", "/v1/timecards")
# The timecard is IntelyCare's only per shift and its body names the shift, so the update has no id in its path.
UPDATE_TIMECARD = Endpoint("PUT", "/v1/timecards")

ENDPOINTS: tuple[Endpoint, ...] = (CREATE_SHIFT, UPDATE_SHIFT, DELETE_SHIFT, CREATE_TIMECARD, UPDATE_TIMECARD)
