"""Forms of the visit pages (issue 23). Days and times are entered on the patient's wall clock, and each form asks
the visit's vendor, before anything is saved, what it would refuse (`VendorCheckedForm`, as the Kamana forms do).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from portal.core.form_fields import WallClockDateTimeField
from portal.core.timezones import local_to_utc, to_local
from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.integrations.services import connections_with_operation, outbound_problems
from portal.jobs.models import DEFAULT_TIME_ZONE, Patient
from portal.shifts.forms import WEEKDAY_CHOICES, DateInput, TimeInput
from portal.shifts.localtime import inside_out, shift_instants
from portal.shifts.models import RecurringVisitGroup, Timecard, Visit
from portal.shifts.series import MAX_SERIES_VISITS, clock_gap_problem, weekly_series
from portal.talent.forms import override_reason_field
from portal.talent.models import TalentProfile

__all__ = ["CancelVisitForm", "PunchcardCorrectionForm", "StaffVisitForm", "VisitChangeForm", "VisitCreateForm"]

THIS, FOLLOWING = "this", "following"


def _zone_of(patient: Patient | None) -> str:
    return (patient.time_zone if patient is not None else "") or DEFAULT_TIME_ZONE


class _VisitTimesForm(VendorCheckedForm):
    """Day, start and end on the patient's clock; an end at or before the start is the next morning."""

    day = forms.DateField(widget=DateInput)
    start_time = forms.TimeField(label="Starts", widget=TimeInput)
    end_time = forms.TimeField(label="Ends", widget=TimeInput, help_text="At or before the start: the next morning.")
    # Hidden until the gate warns (`ask_override_reason`): most visits never need one.
    override_reason = override_reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["override_reason"].widget = forms.HiddenInput()

    def ask_override_reason(self) -> None:
        """The gate warned: show the reason field, so the coordinator can go on with one."""
        self.fields["override_reason"].widget = forms.TextInput()

    def _place(self, patient: Patient | None) -> None:
        """Put the entered times on the instance (UTC instants and the zone), so the vendor's check sees them."""
        data = self.cleaned_data
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            zone = _zone_of(patient)
            if problem := inside_out(data["day"], data["start_time"], data["end_time"], zone, "visit"):
                self.add_error("end_time", problem)
                return
            self.instance.time_zone = zone
            self.instance.starts_at, self.instance.ends_at = shift_instants(
                data["day"], data["start_time"], data["end_time"], zone
            )


class VisitCreateForm(_VisitTimesForm):
    """One visit, or a weekly series ("Mon/Wed/Fri 09:00-11:00 for 6 weeks") when weekdays and weeks are given."""

    operation = "create_visit"
    field_order = ["connection", "patient", "client", "caregiver", "service_name", "day", "start_time", "end_time"]

    connection = forms.ModelChoiceField(
        label="Send to", queryset=None, required=False, empty_label="No vendor (keep in the portal)"
    )
    weekdays = forms.MultipleChoiceField(
        label="Repeat on", choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    weeks = forms.IntegerField(
        label="For (weeks)", min_value=1, max_value=52, required=False, help_text="Leave empty for a single visit."
    )

    class Meta:
        model = Visit
        fields = ["patient", "client", "caregiver", "service_name", "notes"]
        labels = {"service_name": "Service"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connection"].queryset = connections_with_operation("create_visit")
        self.fields["patient"].required = True
        self.fields["patient"].queryset = Patient.objects.filter(archived_at__isnull=True).order_by("first_name")
        self.fields["caregiver"].queryset = TalentProfile.objects.order_by("first_name", "last_name")
        self.fields["caregiver"].empty_label = "Unassigned"
        self.fields["service_name"].widget.attrs["list"] = "service-names"
        self.group: RecurringVisitGroup | None = None
        self.occurrences: list = []

    def push_target(self) -> VendorConnection | None:
        return self.cleaned_data.get("connection")

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        self._place(data.get("patient"))
        if data.get("weeks") and not data.get("weekdays"):
            self.add_error("weekdays", "Choose the days of the week the visits repeat on.")
        elif data.get("weekdays") and not data.get("weeks"):
            self.add_error("weeks", "Say for how many weeks the visits repeat.")
        elif data.get("weeks") and self.instance.starts_at:
            self._series(data)
        return super().clean()

    def _series(self, data: dict[str, Any]) -> None:
        self.group, self.occurrences = weekly_series(
            first_day=data["day"],
            start=data["start_time"],
            end=data["end_time"],
            time_zone=self.instance.time_zone,
            weekdays=data["weekdays"],
            weeks=data["weeks"],
        )
        if not self.occurrences:
            self.add_error("weekdays", "None of these weekdays falls in the weeks chosen.")
            return
        if len(self.occurrences) > MAX_SERIES_VISITS:
            self.add_error("weeks", f"At most {MAX_SERIES_VISITS} visits at once.")
        group = self.group
        first_day = to_local(group.starts_at, group.time_zone).date()
        if problem := clock_gap_problem(first_day, data["start_time"], data["end_time"], group.time_zone):
            self.add_error("start_time", problem)
        group.patient, group.caregiver = data.get("patient"), data.get("caregiver")
        group.service_name, group.connection = data.get("service_name") or "", data.get("connection")
        # The series starts at its first listed weekday, which need not be the day entered.
        self.instance.starts_at, self.instance.ends_at = group.starts_at, group.ends_at
        for name, problems in outbound_problems(group.connection, "create_visit_series", group).items():
            self.add_error(None, [f"Series {name.replace('_', ' ')}: {problem}" for problem in problems])


class VisitChangeForm(_VisitTimesForm):
    """Times, caregiver, service and notes of one visit, or of it and every later one of its series."""

    operation = "update_visit"
    field_order = ["scope", "day", "start_time", "end_time", "caregiver", "service_name", "notes"]

    scope = forms.ChoiceField(
        label="Change",
        choices=[(THIS, "This visit only"), (FOLLOWING, "This and following visits of the series")],
        initial=THIS,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Visit
        fields = ["caregiver", "service_name", "notes"]
        labels = {"service_name": "Service"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: Visit = kwargs["instance"]
        start, end = to_local(instance.starts_at, instance.time_zone), to_local(instance.ends_at, instance.time_zone)
        kwargs["initial"] = {
            "day": start.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_time": end.time().replace(tzinfo=None),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["caregiver"].queryset = TalentProfile.objects.order_by("first_name", "last_name")
        self.fields["caregiver"].empty_label = "Unassigned"
        if instance.group_id is None:
            del self.fields["scope"]
        else:
            self.fields["day"].help_text = "For this and following visits, each keeps its own day."

    def push_target(self) -> VendorConnection | None:
        return self.instance.connection

    def clean(self) -> dict[str, Any]:
        self._place(self.instance.patient)
        return super().clean()

    @property
    def following(self) -> bool:
        return self.cleaned_data.get("scope") == FOLLOWING


class StaffVisitForm(VisitChangeForm):
    """Only the caregiver (and, past the gate's warnings, a reason): the staffing page lists who is free and posts
    one of them (or none)."""

    field_order = ["caregiver", "override_reason"]

    class Meta(VisitChangeForm.Meta):
        fields = ["caregiver"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in self.field_order]:
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        return VendorCheckedForm.clean(self)


class CancelVisitForm(forms.Form):
    """Cancelling says why; the reason stays in the visit's history."""

    reason = forms.CharField(label="Reason", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class PunchcardCorrectionForm(VendorCheckedForm):
    """Corrected actual check-in and check-out of a visit's punchcard, on the patient's clock, and why."""

    operation = "correct_punchcard"

    check_in = WallClockDateTimeField(label="Corrected check-in")
    check_out = WallClockDateTimeField(label="Corrected check-out")
    reason = forms.CharField(label="Reason", max_length=200)

    class Meta:
        model = Timecard
        fields = ["check_in", "check_out"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        card: Timecard = kwargs["instance"]
        self.zone = card.visit.time_zone if card.visit_id else DEFAULT_TIME_ZONE
        kwargs["initial"] = {
            "check_in": to_local(card.check_in, self.zone).replace(tzinfo=None),
            "check_out": to_local(card.check_out, self.zone).replace(tzinfo=None) if card.check_out else None,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)

    def push_target(self) -> VendorConnection | None:
        return self.instance.connection

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        for name in ("check_in", "check_out"):
            if isinstance(data.get(name), dt.datetime):
                data[name] = local_to_utc(data[name], self.zone)
        if data.get("check_in") and data.get("check_out") and data["check_out"] <= data["check_in"]:
            self.add_error("check_out", "Check-out must be after check-in.")
        return super().clean()
