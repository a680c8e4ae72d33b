"""Form fields every domain's pages share.

A time typed for work belongs to the work's place, not to the server or the user: Django's `DateTimeField` makes
it aware in the current zone, and refuses a time that zone's spring night skips even when the work's zone has no
such night. The forms read it naive and convert it in the work's zone (`portal.core.timezones.local_to_utc`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

__all__ = ["WallClockDateTimeField"]


class WallClockDateTimeField(forms.DateTimeField):
    """A naive wall-clock time: the form converts it in the work's zone, not the server's or the user's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        try:
            return dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, dt.datetime) else value
