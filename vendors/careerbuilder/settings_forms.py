"""The status map editor on a CareerBuilder connection's page (issue 8: "a mapping from portal statuses to the raw
status strings that an Admin can edit").

It writes the connection's `status_map` credential, which `mapping.PushSettings` reads when a status moves. Only
entries that differ from `DEFAULT_STATUS_MAP` are stored, so a default changed in code still reaches connections
whose Admin never touched that entry.
"""

from __future__ import annotations

from typing import Any

from django import forms

from portal.integrations.forms import ConnectionSettingsForm
from vendors.careerbuilder.mapping import DEFAULT_STATUS_MAP, PushSettings
from vendors.careerbuilder.schemas import FIELD_LIMITS

__all__ = ["StatusMapForm"]


def _field_name(kind: str, portal_status: str) -> str:
    return f"{kind}__{portal_status}"


class StatusMapForm(ConnectionSettingsForm):
    """One input per portal status, showing the raw status pushed now; blank means "do not push this status"."""

    submit_label = "Save status map"
    intro = "The status CareerBuilder records when a portal status is reached. Blank: not pushed to CareerBuilder."

    def __init__(self, connection: Any, data: Any = None, **kwargs: Any) -> None:
        super().__init__(connection, data, **kwargs)
        current = PushSettings.of(connection.credentials or {}).status_map
        for kind, statuses in DEFAULT_STATUS_MAP.items():
            for portal_status, default in statuses.items():
                self.fields[_field_name(kind, portal_status)] = forms.CharField(
                    label=f"{kind.capitalize()} {portal_status}",
                    required=False,
                    max_length=FIELD_LIMITS["status"],
                    initial=current[kind].get(portal_status, ""),
                    help_text=f"Default: {default}",
                )

    def save(self) -> str:
        overrides: dict[str, dict[str, str]] = {}
        for kind, statuses in DEFAULT_STATUS_MAP.items():
            for portal_status, default in statuses.items():
                raw = self.cleaned_data[_field_name(kind, portal_status)]
                if raw != default:
                    overrides.setdefault(kind, {})[portal_status] = raw
        if overrides:
            self.store_credentials({"status_map": overrides})
        else:
            self.store_credentials({}, removed=["status_map"])
        return "Status map saved: the next status moves push these values."
