"""Forms of the gate's pages: booking a person on a shift, deciding a finding, filtering findings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from portal.gate.models import Finding, Rule, Severity
from portal.talent.forms import override_reason_field
from portal.talent.models import TalentProfile

__all__ = ["BookingForm", "DecideFindingForm", "FindingFilterForm", "people_matching"]

PEOPLE_SHOWN = 20


def people_matching(words: str) -> QuerySet[TalentProfile]:
    """People whose names or email contain every word typed, at most `PEOPLE_SHOWN` of them."""
    people = TalentProfile.objects.all()
    for word in words.split()[:4]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return people.order_by("last_name", "first_name", "id")[:PEOPLE_SHOWN]


class BookingForm(forms.Form):
    profile = forms.ModelChoiceField(
        queryset=TalentProfile.objects.all(), widget=forms.HiddenInput, error_messages={"required": "Choose a person."}
    )
    override_reason = override_reason_field()


class DecideFindingForm(forms.Form):
    DECISIONS = {"acknowledge": Finding.State.ACKNOWLEDGED, "resolve": Finding.State.RESOLVED}

    decision = forms.ChoiceField(choices=[(key, key.capitalize()) for key in DECISIONS])
    reason = forms.CharField(max_length=500, error_messages={"required": "Say why."})


class FindingFilterForm(forms.Form):
    """Filters in the URL; the default shows what is still live (open and acknowledged)."""

    state = forms.ChoiceField(choices=[("", "Open or acknowledged"), *Finding.State.choices], required=False)
    rule = forms.ChoiceField(choices=[("", "Any rule"), *Rule.choices], required=False)
    severity = forms.ChoiceField(
        choices=[("", "Any severity"), (Severity.BLOCK, "Block"), (Severity.WARN, "Warn")], required=False
    )
    person = forms.CharField(required=False, max_length=100, label="Person")
    # A record's page links here with its findings (`assignment_gate.ref_text`, e.g. "shifts.visit:12").
    work = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else ""

    def filter(self, findings: QuerySet[Finding]) -> QuerySet[Finding]:
        state = self.value("state")
        findings = findings.filter(state=state) if state else findings.filter(state__in=["open", "acknowledged"])
        if self.value("rule"):
            findings = findings.filter(rule=self.value("rule"))
        if self.value("severity"):
            findings = findings.filter(severity=self.value("severity"))
        if self.value("work"):
            findings = findings.filter(work_ref=self.value("work"))
        for word in (self.value("person") or "").split()[:4]:
            findings = findings.filter(Q(profile__first_name__icontains=word) | Q(profile__last_name__icontains=word))
        return findings
