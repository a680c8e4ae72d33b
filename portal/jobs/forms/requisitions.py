"""Forms of the requisition pages: create (with where to send it), edit, and the detail page's status change.

Each form asks the vendor-neutral `outbound_problems` what the connection's vendor would refuse in the record as it
would be saved, and shows each refusal on its field (Kamana: contract length 1-26, the documented hours per week,
shift hours 0-23, job type, required fields). The coordinator fixes it here, before any outbox row exists that the
vendor could only refuse later.
"""

from __future__ import annotations

from typing import Any

from django import forms

from portal.core.choices import SourceLabelledChoiceField
from portal.core.pay import GROSS_HELP, gross_pay_note, refuse_negative_amounts
from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.jobs.forms.sending import SendToForm
from portal.jobs.models import Facility, JobRequisition, Profession, Specialty

__all__ = ["RequisitionCreateForm", "RequisitionEditForm", "RequisitionStatusForm", "status_choices"]

# The fields a vendor holds (the Kamana push sends these), grouped as the pages show them.
GROUPS: dict[str, tuple[str, ...]] = {
    "Job": (
        "name",
        "status",
        "job_type",
        "facility",
        "profession",
        "specialty",
        "client_contract_ref",
        "number_of_openings",
        "years_of_experience",
        "description",
    ),
    "Schedule": (
        "starts_on",
        "asap",
        "contract_length_weeks",
        "hours_per_week",
        "shift_start_hour",
        "shift_end_hour",
        "shift_description",
    ),
    "Pay package": (
        "regular_hourly_rate",
        "weekly_gross_pay",
        "weekly_housing_stipend",
        "weekly_per_diem",
        "travel_reimbursement",
        "compensation_comments",
    ),
}
FIELDS = [name for names in GROUPS.values() for name in names]


def status_choices(requisition: JobRequisition) -> list[tuple[str, str]]:
    """The requisition's status and the moves the model allows from it (`status_transitions`), in the model's
    order: a coordinator is never offered a move the model would refuse."""
    allowed = JobRequisition.status_transitions["status"].get(requisition.status, set())
    return [(value, label) for value, label in JobRequisition.Status.choices if value in allowed | {requisition.status}]


class RequisitionForm(VendorCheckedForm):
    """The requisition's fields, grouped as the pages show them; shared by create and edit."""

    class Meta:
        model = JobRequisition
        fields = FIELDS
        labels = {
            "client_contract_ref": "Client contract id",
            "contract_length_weeks": "Contract length (weeks)",
            "shift_start_hour": "Shift starts (hour)",
            "shift_end_hour": "Shift ends (hour)",
            "asap": "Starts as soon as possible",
        }
        help_texts = {"client_contract_ref": "The client's contract id in the vendor's system, when there is one."}
        # Synced and portal-made records may share a name ("ICU" from Kamana and "ICU" made here): say whose.
        field_classes = {"profession": SourceLabelledChoiceField, "specialty": SourceLabelledChoiceField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "shift_description": forms.Textarea(attrs={"rows": 2}),
            "compensation_comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.order_by("name")
        self.fields["profession"].queryset = Profession.objects.order_by("name")
        self.fields["specialty"].queryset = Specialty.objects.order_by("name")
        zone = self.instance.facility.time_zone if self.instance.facility_id else "its time zone"
        for name in ("shift_start_hour", "shift_end_hour"):
            self.fields[name].help_text = f"0 to 23, on the facility's clock ({zone})."
        self.fields["shift_end_hour"].help_text += " Before the start: the shift ends the next morning."
        for name in GROUPS["Pay package"][:-1]:
            self.fields[name].label = f"{self.fields[name].label} ({self.instance.currency})"
        refuse_negative_amounts(self)
        note, _ = gross_pay_note(
            rate=self.instance.regular_hourly_rate,
            hours=self.instance.hours_per_week,
            gross=self.instance.weekly_gross_pay,
            stipends=(self.instance.weekly_housing_stipend, self.instance.weekly_per_diem),
            currency=self.instance.currency,
        )
        self.fields["weekly_gross_pay"].help_text = f"{GROSS_HELP} {note}".strip()

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in GROUPS.items()]


class ExistingRequisitionMixin:
    """A change to a saved requisition: pushed as an update to the connection it belongs to, and its status
    offered only where the model lets it move."""

    operation = "update_job_requisition"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices(self.instance)

    def push_target(self) -> VendorConnection | None:
        # Unchanged, nothing is sent, so nothing to check (a record synced with gaps can still be opened and saved).
        return self.instance.connection if self.has_changed() else None


class RequisitionCreateForm(SendToForm, RequisitionForm):
    """A new requisition, sent to the chosen connection or kept in the portal."""

    operation = "create_job_requisition"

    class Meta(RequisitionForm.Meta):
        fields = [name for name in FIELDS if name != "status"]  # a new job is open


class RequisitionEditForm(ExistingRequisitionMixin, RequisitionForm):
    """A requisition's fields; a change of any of them is pushed to the connection it belongs to."""


class RequisitionStatusForm(ExistingRequisitionMixin, VendorCheckedForm):
    """The detail page's inline status change, checked like the edit form."""

    class Meta:
        model = JobRequisition
        fields = ["status"]
