"""Forms of the exceptions queue's actions: resolve with a reason, dispute at the vendor, close a dispute (issue 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from portal.billing.models import VendorDispute
from portal.core.form_fields import WallClockDateTimeField
from portal.core.timezones import local_to_utc

__all__ = ["CloseDisputeForm", "DisputeForm", "ExceptionKeyForm", "ResolveForm"]


class ExceptionKeyForm(forms.Form):
    """Names an exception of the queue by its key (`MatchException.key`)."""

    key = forms.CharField(max_length=200)


class ResolveForm(ExceptionKeyForm):
    reason = forms.CharField(max_length=500, strip=True, help_text="Why this exception needs no further action.")


class CloseDisputeForm(ExceptionKeyForm):
    """Withdraw or settle one dispute of the exception, with a reason; closing a hold lets its charge move."""

    dispute = forms.IntegerField(min_value=1)
    closed_as = forms.ChoiceField(choices=VendorDispute.Closing.choices)
    reason = forms.CharField(max_length=500, strip=True)


class DisputeForm(ExceptionKeyForm):
    """A note for the vendor; a timecard correction also gives the times, local to the shift's zone (`zone`)."""

    note = forms.CharField(max_length=500, strip=True)
    check_in = WallClockDateTimeField(required=False)
    check_out = WallClockDateTimeField(required=False)
    break_minutes = forms.IntegerField(required=False, min_value=0, max_value=24 * 60)

    def corrected_times(self, zone: str) -> dict[str, Any]:
        """Check-in and out as UTC instants with the break; errors on the form when they are missing or reversed."""
        data = self.cleaned_data
        check_in, check_out = data.get("check_in"), data.get("check_out")
        if check_in is None or check_out is None:
            self.add_error(None, "A timecard correction gives the check-in and the check-out.")
            return {}
        check_in, check_out = (local_to_utc(t.replace(tzinfo=None), zone) for t in (check_in, check_out))
        minutes = data.get("break_minutes") or 0
        if check_out - check_in <= dt.timedelta(minutes=minutes):
            self.add_error("check_out", "The check-out must come after the check-in and the break.")
            return {}
        return {"check_in": check_in, "check_out": check_out, "break_minutes": minutes}
