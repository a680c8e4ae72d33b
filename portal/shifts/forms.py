"""Forms of the shift pages. Times are entered on the facility's wall clock and stored as UTC instants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from portal.core.form_fields import WallClockDateTimeField
from portal.core.timezones import local_to_utc, to_local
from portal.integrations.services import connections_with_operation
from portal.jobs.models import Facility
from portal.shifts import services
from portal.shifts.localtime import inside_out, shift_instants
from portal.shifts.models import ProfessionalType, ShiftRequest

__all__ = [
    "ATTENTION_WINDOW",
    "URGENT_WINDOW",
    "BoardFilterForm",
    "CancelShiftForm",
    "ShiftCreateForm",
    "ShiftEditForm",
    "TimecardForm",
]

# "Needs attention" on the board: still open and starting within this window (issue 17).
ATTENTION_WINDOW = dt.timedelta(hours=48)
# Today (issue 18) marks open shifts this close to their start as urgent.
URGENT_WINDOW = dt.timedelta(hours=12)
WEEKDAY_CHOICES = list(zip(services.WEEKDAY_CODES, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], strict=True))


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class BoardFilterForm(forms.Form):
    """The board's filters, read from the URL so a filtered board can be shared. The view fills `date_from` with
    today when the URL names none, so the board opens at today; an empty `date_from=` shows every day."""

    status = forms.ChoiceField(choices=[("", "any"), *ShiftRequest.Status.choices], required=False)
    professional_type = forms.ChoiceField(
        label="Professional", choices=[("", "any"), *ProfessionalType.choices], required=False
    )
    facility = forms.ModelChoiceField(queryset=Facility.objects.order_by("name"), required=False, empty_label="any")
    date_from = forms.DateField(label="From", required=False, widget=DateInput)
    date_to = forms.DateField(label="To", required=False, widget=DateInput)
    attention = forms.BooleanField(label="Needs attention", required=False, help_text="Open, starting within 48 hours.")
    urgent = forms.BooleanField(label="Urgent", required=False, help_text="Open, starting within 12 hours.")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "any"), ("requested", "Requested (not cancelled)"), ("worked", "Filled or completed")],
        required=False,
        help_text="What Today's fill rate counts: filled or completed out of those not cancelled.",
    )

    @property
    def values(self) -> dict[str, Any]:
        """The filters that are valid: a mistyped date drops that filter only, not the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filter(self, queryset, now: dt.datetime):
        """Apply the valid filters. Dates are facility-local days, compared in each shift's own zone, so a shift
        starting 23:30 in Los Angeles is on that Los Angeles day whatever the server's zone."""
        data = self.values
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        for flag, window in (("attention", ATTENTION_WINDOW), ("urgent", URGENT_WINDOW)):
            if data.get(flag):
                queryset = queryset.filter(
                    status=ShiftRequest.Status.OPEN, starts_at__gte=now, starts_at__lt=now + window
                )
        if data.get("outcome") == "requested":
            queryset = queryset.exclude(status=ShiftRequest.Status.CANCELLED)
        elif data.get("outcome") == "worked":
            queryset = queryset.filter(status__in=(ShiftRequest.Status.FILLED, ShiftRequest.Status.COMPLETED))
        return self.filter_days(self.filter_kind(queryset))

    def filter_kind(self, queryset):
        """Who and where (professional type, facility): what the day counts keep when status filters change."""
        data = self.values
        if data.get("professional_type"):
            queryset = queryset.filter(professional_type=data["professional_type"])
        if data.get("facility"):
            queryset = queryset.filter(facility=data["facility"])
        return queryset

    def filter_days(self, queryset, first: dt.date | None = None, last: dt.date | None = None):
        """Shifts that may start on a local day from `first` to `last` (default: the date filters)."""
        data = self.values
        first, last = first or data.get("date_from"), last or data.get("date_to")
        # A local day spans at most UTC-12..UTC+14: narrow by instants with that slack (uses the index), then
        # the page drops rows whose local day falls outside (see views.BoardView).
        if first:
            start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC) - dt.timedelta(hours=14)
            queryset = queryset.filter(starts_at__gte=start)
        if last:
            end = dt.datetime.combine(last, dt.time(), tzinfo=dt.UTC) + dt.timedelta(days=1, hours=12)
            queryset = queryset.filter(starts_at__lt=end)
        return queryset

    def local_day_matches(self, shift: ShiftRequest) -> bool:
        data = self.values
        day = shift.local_starts_at.date()
        return not (
            (data.get("date_from") and day < data["date_from"]) or (data.get("date_to") and day > data["date_to"])
        )


class CancelShiftForm(forms.Form):
    """Cancelling asks why; for a filled shift the reason is required, since a booked professional loses it."""

    reason = forms.CharField(
        label="Reason",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the shift's history.",
    )

    def __init__(self, *args: Any, shift: ShiftRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shift = shift
        if shift.status == ShiftRequest.Status.FILLED:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                f"Say why: {shift.assigned_professional} is booked on this shift."
            )


class ShiftFieldsMixin(forms.Form):
    unit = forms.CharField(max_length=100, help_text="Where care is delivered, e.g. '1st Floor'.")
    professional_type = forms.ChoiceField(label="Professional type", choices=ProfessionalType.choices)
    start_time = forms.TimeField(label="Starts", widget=TimeInput)
    end_time = forms.TimeField(label="Ends", widget=TimeInput, help_text="At or before the start: the next morning.")
    boost_percentage = forms.IntegerField(label="Boost %", min_value=0, max_value=100, initial=0)


class ShiftCreateForm(ShiftFieldsMixin):
    """One shift, or a pattern such as "every weekday 07:00-15:00 for two weeks" (first day, last day, weekdays)."""

    field_order = ["connection", "facility", "unit", "professional_type", "first_day", "last_day", "weekdays"]

    connection = forms.ModelChoiceField(
        label="Send to",
        queryset=None,
        required=False,
        empty_label="No vendor (keep in the portal)",
    )
    facility = forms.ModelChoiceField(queryset=Facility.objects.order_by("name"))
    first_day = forms.DateField(label="Day", widget=DateInput)
    last_day = forms.DateField(
        label="Repeat until", required=False, widget=DateInput, help_text="Leave empty for a single shift."
    )
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Days of the week to repeat on; none means every day.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connection"].queryset = connections_with_operation("create_shift")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day") or data.get("first_day")
        if first and last and last < first:
            self.add_error("last_day", "The pattern must end on or after its first day.")
        elif first and data.get("facility") and data.get("start_time") and data.get("end_time"):
            data["occurrences"] = services.expand_pattern(
                first_day=first,
                last_day=last,
                start=data["start_time"],
                end=data["end_time"],
                time_zone=data["facility"].time_zone,
                weekdays=data.get("weekdays") or (),
            )
            zone = data["facility"].time_zone
            turned = next((starts for starts, ends in data["occurrences"] if ends <= starts), None)
            if not data["occurrences"]:
                self.add_error("weekdays", "No day between the first and last day is one of these weekdays.")
            elif turned is not None:
                day = to_local(turned, zone).date()
                self.add_error("end_time", inside_out(day, data["start_time"], data["end_time"], zone, "shift"))
            elif len(data["occurrences"]) > services.MAX_PATTERN_SHIFTS:
                self.add_error("last_day", f"At most {services.MAX_PATTERN_SHIFTS} shifts at once.")
        return data


class ShiftEditForm(ShiftFieldsMixin):
    """The portal's own fields of one shift; the day and clock times are on the facility's wall clock."""

    field_order = ["unit", "professional_type", "day"]
    day = forms.DateField(widget=DateInput)

    def __init__(self, *args: Any, shift: ShiftRequest, **kwargs: Any) -> None:
        self.shift = shift
        local_start, local_end = shift.local_starts_at, shift.local_ends_at
        # FormView always passes `initial` (empty unless the view sets some), so the shift's values are merged
        # under it rather than set only when absent: an edit page opened blank and re-saving reset the shift.
        kwargs["initial"] = {
            **{
                "unit": shift.unit,
                "professional_type": shift.professional_type,
                "day": local_start.date(),
                "start_time": local_start.time().replace(tzinfo=None),
                "end_time": local_end.time().replace(tzinfo=None),
                "boost_percentage": shift.boost_percentage,
            },
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            zone = str(self.shift.zone)
            if problem := inside_out(data["day"], data["start_time"], data["end_time"], zone, "shift"):
                self.add_error("end_time", problem)
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts_at, ends_at = shift_instants(data["day"], data["start_time"], data["end_time"], str(self.shift.zone))
        return {
            "unit": data["unit"],
            "professional_type": data["professional_type"],
            "boost_percentage": data["boost_percentage"],
            "starts_at": starts_at,
            "ends_at": ends_at,
        }


class TimecardForm(forms.Form):
    """Check-in, check-out and break of a completed shift, on the facility's wall clock."""

    check_in = WallClockDateTimeField(label="Check-in")
    check_out = WallClockDateTimeField(label="Check-out")
    break_minutes = forms.IntegerField(label="Break (minutes)", min_value=0, initial=0)

    def __init__(self, *args: Any, shift: ShiftRequest, **kwargs: Any) -> None:
        self.shift = shift
        card = shift.timecards.first()
        zone = str(shift.zone)
        if card is not None:
            initial = {"check_in": card.check_in, "check_out": card.check_out, "break_minutes": card.break_minutes}
        else:
            initial = {"check_in": shift.starts_at, "check_out": shift.ends_at, "break_minutes": 30}
        kwargs["initial"] = {
            **{
                name: to_local(value, zone).replace(tzinfo=None) if isinstance(value, dt.datetime) else value
                for name, value in initial.items()
            },
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone = str(self.shift.zone)
        check_in, check_out = data.get("check_in"), data.get("check_out")
        if check_in is None or check_out is None:
            return data
        data["check_in"], data["check_out"] = local_to_utc(check_in, zone), local_to_utc(check_out, zone)
        worked = data["check_out"] - data["check_in"]
        if worked <= dt.timedelta(0):
            self.add_error("check_out", "Check-out must be after check-in.")
        elif data.get("break_minutes") is not None and dt.timedelta(minutes=data["break_minutes"]) >= worked:
            self.add_error("break_minutes", "The break must be shorter than the time worked.")
        return data
