"""Forms of the engagement pages: the list's filters, one small form per editable section of an engagement, and
the new-extension form.

Each section form asks the engagement's vendor, before anything is saved, what it would refuse in the engagement
with the new values (`outbound_problems`), so a coordinator fixes a Kamana enum on the form instead of reading a
failed push later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.contracts.models import EXPIRY_WARNING, CredentialingRequirement, Engagement, EngagementExtension
from portal.core.pay import GROSS_HELP, PAY_AMOUNTS, gross_pay_note, refuse_negative_amounts
from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.jobs.models import Facility
from portal.talent.forms import override_reason_field

__all__ = [
    "SECTIONS",
    "ClientContractForm",
    "DatesForm",
    "EngagementFilterForm",
    "ExtensionForm",
    "PayPackageForm",
    "Section",
    "ShiftHoursForm",
    "StartEngagementForm",
]

MONEY_FIELDS = ("regular_hourly_rate", "weekly_gross_pay", "weekly_housing_stipend", "weekly_per_diem")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EngagementFilterForm(forms.Form):
    """Search and facility narrow the list and its status counts; the status tab picks one count's rows."""

    q = forms.CharField(required=False, label="Talent or requisition")
    facility = forms.ModelChoiceField(
        Facility.objects.filter(archived_at__isnull=True).order_by("name", "id"),
        required=False,
        empty_label="All facilities",
    )
    status = forms.ChoiceField(choices=[("", "All"), *Engagement.Status.choices], required=False)
    # Today's windows and its credentials figure (issue 18): engagements not complete, starting or ending in a
    # range of days, or with a credential expired or expiring within 30 days while their work is ahead.
    starts_from = forms.DateField(required=False, label="Starting from", widget=forms.DateInput(attrs={"type": "date"}))
    starts_to = forms.DateField(required=False, label="Starting by", widget=forms.DateInput(attrs={"type": "date"}))
    ends_from = forms.DateField(required=False, label="Ending from", widget=forms.DateInput(attrs={"type": "date"}))
    ends_to = forms.DateField(required=False, label="Ending by", widget=forms.DateInput(attrs={"type": "date"}))
    credentials = forms.BooleanField(required=False, label="Credentials expired or expiring")

    WINDOW_FIELDS = ("starts_from", "starts_to", "ends_from", "ends_to", "credentials")

    def value(self, name: str) -> Any:
        """The cleaned value, or empty when missing or mistyped: a bad filter drops only itself."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None

    def narrow(self, engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
        """Search and facility, not status: each word of the search matches the talent's names or the
        requisition's name, so "ada icu" finds Ada Lovelace on "ICU nights"."""
        for word in (self.value("q") or "").split():
            engagements = engagements.filter(
                Q(talent__first_name__icontains=word)
                | Q(talent__last_name__icontains=word)
                | Q(job_requisition__name__icontains=word)
            )
        if facility := self.value("facility"):
            # Kamana's single-engagement document names no facility: such an engagement is at its requisition's.
            engagements = engagements.filter(
                Q(facility=facility) | Q(facility__isnull=True, job_requisition__facility=facility)
            )
        return self._narrow_to_window(engagements)

    def _narrow_to_window(self, engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
        window = {name: self.value(name) for name in self.WINDOW_FIELDS if self.value(name)}
        if not window:
            return engagements
        engagements = engagements.exclude(status=Engagement.Status.COMPLETE)
        lookups = {"starts_from": "starts_on__gte", "starts_to": "starts_on__lte", "ends_from": "ends_on__gte"}
        lookups["ends_to"] = "ends_on__lte"
        engagements = engagements.filter(**{lookups[name]: day for name, day in window.items() if name in lookups})
        if window.get("credentials"):
            today = timezone.localdate()
            lapsing = CredentialingRequirement.objects.for_work_ahead(today).filter(
                engagement=OuterRef("pk"), expires_at__lte=timezone.now() + EXPIRY_WARNING
            )
            engagements = engagements.filter(Exists(lapsing))
        return engagements


class EngagementSectionForm(VendorCheckedForm):
    operation = "update_engagement"

    def push_target(self) -> VendorConnection | None:
        return self.instance.connection


class PayPackageForm(EngagementSectionForm):
    class Meta:
        model = Engagement
        fields = [*MONEY_FIELDS, "travel_reimbursement", "compensation_comments"]
        widgets = {"compensation_comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*MONEY_FIELDS, "travel_reimbursement"):
            field = self.fields[name]
            field.label = f"{field.label} ({self.instance.currency})"
        self.fields["regular_hourly_rate"].label = f"Regular hourly rate ({self.instance.currency}/h)"
        self.fields["weekly_gross_pay"].help_text = GROSS_HELP
        refuse_negative_amounts(self)

    def gross_check(self) -> tuple[str, bool]:
        """How weekly gross compares with rate x the engagement's hours per week: (note, warn). Uses what was
        just entered when the form is valid, else the engagement as saved."""
        saved = {name: getattr(self.instance, name) for name in PAY_AMOUNTS}
        values = self.cleaned_data if self.is_bound and self.is_valid() else saved
        return gross_pay_note(
            rate=values.get("regular_hourly_rate"),
            hours=self.instance.hours_per_week,
            gross=values.get("weekly_gross_pay"),
            stipends=(values.get("weekly_housing_stipend"), values.get("weekly_per_diem")),
            currency=self.instance.currency,
        )


class GatedForm(forms.ModelForm):
    """A form whose save may book the person anew: past the gate's warnings it takes a reason, hidden until the
    gate has warned (`ask_override_reason`)."""

    override_reason = override_reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["override_reason"].widget = forms.HiddenInput()

    def ask_override_reason(self) -> None:
        self.fields["override_reason"].widget = forms.TextInput()


class BookingSectionForm(GatedForm, EngagementSectionForm):
    """A section whose save may book the person anew (new days or hours of a booked engagement)."""


class DatesForm(BookingSectionForm):
    class Meta:
        model = Engagement
        fields = ["starts_on", "ends_on", "contract_length"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}
        labels = {"contract_length": "Contract length (weeks)"}


class ShiftHoursForm(BookingSectionForm):
    class Meta:
        model = Engagement
        fields = ["shift_start_time", "shift_end_time", "hours_per_week"]
        labels = {"shift_start_time": "Shift starts (hour)", "shift_end_time": "Shift ends (hour)"}


class ClientContractForm(EngagementSectionForm):
    """Kamana keeps the first client contract an engagement gets (PUT /engagements, NOTE); the model refuses a
    change once one is set, so a forged post is refused too, not just hidden."""

    class Meta:
        model = Engagement
        fields = ["client_contract_id"]
        labels = {"client_contract_id": "Client contract"}

    @property
    def locked(self) -> bool:
        return bool(self.initial.get("client_contract_id"))


@dataclass(frozen=True)
class Section:
    """One part of the engagement page that saves on its own and is swapped in place."""

    slug: str
    title: str
    form_class: type[EngagementSectionForm]


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section("pay", "Pay package", PayPackageForm),
        Section("dates", "Dates", DatesForm),
        Section("shift", "Shift hours", ShiftHoursForm),
        Section("contract", "Client contract", ClientContractForm),
    )
}


class ExtensionForm(GatedForm, VendorCheckedForm):
    """More days on a booked placement pass the gate (`services.add_extension`)."""

    operation = "create_engagement_extension"

    class Meta:
        model = EngagementExtension
        fields = ["starts_on", "ends_on"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def push_target(self) -> VendorConnection | None:
        return self.instance.engagement.connection


class StartEngagementForm(forms.Form):
    """Start the placement; past the gate's warnings, with a reason (shown once the gate has warned)."""

    override_reason = override_reason_field()
