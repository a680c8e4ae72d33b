"""Forms of the talent pages: the filters (every value in the URL, so a search or a filtered timeline can be
shared) and the inline status change of an account relationship."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.integrations.services import outbound_problems
from portal.talent.accounts import ADD_OPERATION, addable_connections
from portal.talent.models import AccountRelationship, TalentProfile
from portal.talent.timeline import LOCAL_SOURCE

__all__ = [
    "AddToAccountForm",
    "PeopleSearchForm",
    "RelationshipStatusForm",
    "TimelineFilterForm",
    "override_reason_field",
]


def override_reason_field() -> forms.CharField:
    """The reason a coordinator gives to go on past the gate's warnings (`assignment_gate.require_pass`), on every
    page that books someone: the gate's shift booking and a visit's staffing. The gate keeps it in the audit."""
    return forms.CharField(
        required=False,
        max_length=255,
        label="Reason to go on past the warnings",
        help_text="Kept in the audit with your name.",
    )


def source_choices() -> list[tuple[str, str]]:
    """The vendors this portal is connected to, named by their connections (one query), and records held only
    here. Read from the connections rather than listed, so the domain app names no vendor."""
    names: dict[str, list[str]] = {}
    for vendor, name in VendorConnection.objects.order_by("vendor", "name").values_list("vendor", "name"):
        names.setdefault(vendor, []).append(name)
    return [
        ("", "All sources"),
        *((vendor, " / ".join(labels)) for vendor, labels in names.items()),
        (LOCAL_SOURCE, "Portal only"),
    ]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=200)

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Every word must match a first name, last name or email, so "maria lopez" finds Maria Lopez."""
        if not self.is_valid():
            return queryset
        for word in self.cleaned_data["q"].split():
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset


class TimelineFilterForm(forms.Form):
    source = forms.ChoiceField(required=False)
    requisition = forms.CharField(label="Requisition id", required=False, max_length=1024)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()  # read once, for validating and for rendering

    def values(self) -> dict[str, object]:
        """The filters `build_timeline` takes; a mistyped value drops only itself."""
        self.is_valid()  # cleaned_data keeps the fields that did validate
        data = self.cleaned_data
        return {
            "source": data.get("source", ""),
            "requisition": data.get("requisition", ""),
            "before": data.get("before"),
        }


class RelationshipStatusForm(forms.Form):
    """Move a relationship to another status, with the sub-status and reason the account's vendor needs.

    Kamana (V2 Account Relationships, "Update an Account -> Profile Relationship") requires `sub_status` and
    `status_reason` whenever `status` is set, but documents no list of sub-statuses for relationships: the only
    documented list (Engagement Event, "Assignment Complete", "Cancelled By Client", ...) is for engagements.
    So the sub-status is the coordinator's own words, like the reason, rather than a choice we would invent.
    """

    status = forms.ChoiceField(
        error_messages={"invalid_choice": "A relationship cannot move from its current status to that one."}
    )
    sub_status = forms.CharField(label="Sub-status", max_length=100)
    status_reason = forms.CharField(label="Reason", max_length=255)

    def __init__(self, *args, relationship: AccountRelationship, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.relationship = relationship
        allowed = AccountRelationship.status_transitions["status"].get(relationship.status, set())
        # Only the moves the model allows from where the relationship stands now, in pipeline order.
        self.fields["status"].choices = [
            (value, label) for value, label in AccountRelationship.Status.choices if value in allowed
        ]

    def clean(self) -> dict:
        """What the vendor would refuse is shown here, before an outbox row is written that it could only
        refuse later."""
        data = super().clean()
        if self.errors:
            return data
        for field, messages in outbound_problems(
            self.relationship.connection, "update_relationship_status", self.moved()
        ).items():
            self.add_error(field if field in self.fields else None, messages)
        return data

    def moved(self) -> AccountRelationship:
        """The relationship with the new values, unsaved: a copy, so a refused move leaves the original as it
        was (its loaded values, which the audit and the vendor push compare against, stay untouched)."""
        relationship = copy.copy(self.relationship)
        for field, value in self.changes().items():
            setattr(relationship, field, value)
        return relationship

    def changes(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in ("status", "sub_status", "status_reason")}


class AddToAccountForm(VendorCheckedForm):
    """Add the person to an account that does not know them yet (issue 24). The name, email and phone the vendor
    needs are on the form, filled from the profile, so a gap is fixed here before anything is queued; the
    vendor's own check (Kamana: a first and last name and an email) runs for the chosen connection."""

    operation = ADD_OPERATION
    connection = forms.ModelChoiceField(label="Add to", queryset=VendorConnection.objects.none(), empty_label=None)

    class Meta:
        model = TalentProfile
        fields = ["first_name", "last_name", "email", "phone"]

    def __init__(self, *args: Any, connections: list[VendorConnection] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections = addable_connections(self.instance) if connections is None else connections
        self.fields["connection"].queryset = VendorConnection.objects.filter(pk__in=[c.pk for c in self.connections])
        self.fields["connection"].choices = [(c.pk, c.name) for c in self.connections]  # loaded: no query to render
        self.order_fields(["connection"])

    def push_target(self) -> VendorConnection | None:
        return self.cleaned_data.get("connection")
