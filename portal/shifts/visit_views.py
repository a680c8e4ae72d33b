"""The home-care visits week (issue 9, Coordinator role): visits by caregiver or by patient, recurring groups
expanded, each visit's punchcard against its schedule.

Occurrences of a recurring group that Alaunus has not yet materialised as events are shown as expected visits, so
the week is complete before the vendor creates them. The week runs Monday 00:00 to Monday 00:00 on the agency's
clock (`settings.TIME_ZONE`), which is 167 or 169 hours long in a week with a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Prefetch, Q
from django.utils.http import urlencode
from django.views.generic import TemplateView

from portal.core.htmx import HtmxTemplateMixin
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import agency_zone, local_midnight
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.jobs.models import Patient
from portal.shifts.models import RecurringVisitGroup, Timecard, Visit
from portal.shifts.series import staffed_as_visits
from portal.talent.models import TalentProfile

__all__ = ["PUNCTUALITY_TOLERANCE", "VisitEntry", "VisitWeekFilterForm", "VisitWeekView", "week_bounds"]

# Arriving or leaving more than this far from the schedule is highlighted (issue 9's "difference highlighted").
PUNCTUALITY_TOLERANCE = dt.timedelta(minutes=10)


def week_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The Monday of `day`'s week and the UTC instants of that Monday's and the next Monday's local midnight."""
    monday = day - dt.timedelta(days=day.weekday())
    start = local_midnight(monday, zone)
    end = local_midnight(monday + dt.timedelta(days=7), zone)
    return monday, start, end


def _deviation(actual: dt.datetime | None, scheduled: dt.datetime) -> str:
    """ "late", "early" or "" for a punch against its scheduled time."""
    if actual is None:
        return ""
    if actual - scheduled > PUNCTUALITY_TOLERANCE:
        return "late"
    if scheduled - actual > PUNCTUALITY_TOLERANCE:
        return "early"
    return ""


@dataclass
class VisitEntry:
    """One cell item: a visit row, or an expected occurrence of a recurring group (`visit` is None)."""

    starts_at: dt.datetime  # local to the agency
    ends_at: dt.datetime
    caregiver: TalentProfile | None
    patient: Patient | None
    service_name: str
    group: RecurringVisitGroup | None
    visit: Visit | None = None
    timecard: Timecard | None = None
    delivery: OutboundRequest | None = None  # the latest outbound request about the visit (or its series)

    @property
    def expected(self) -> bool:
        return self.visit is None

    @property
    def corrected(self) -> bool:
        """A coordinator corrected the punchcard: its times were reviewed, so they are not marked late or early."""
        return self.timecard is not None and self.timecard.corrected_at is not None

    @property
    def check_in(self) -> dt.datetime | None:
        return self.timecard.check_in.astimezone(self.starts_at.tzinfo) if self.timecard else None

    @property
    def check_out(self) -> dt.datetime | None:
        if self.timecard is None or self.timecard.check_out is None:
            return None
        return self.timecard.check_out.astimezone(self.starts_at.tzinfo)

    @property
    def start_deviation(self) -> str:
        return "" if self.corrected else _deviation(self.check_in, self.starts_at)

    @property
    def end_deviation(self) -> str:
        return "" if self.corrected else _deviation(self.check_out, self.ends_at)

    @property
    def start_difference(self) -> int | None:
        """Minutes after (+) or before (-) the scheduled start."""
        return None if self.check_in is None else round((self.check_in - self.starts_at).total_seconds() / 60)

    @property
    def end_difference(self) -> int | None:
        return None if self.check_out is None else round((self.check_out - self.ends_at).total_seconds() / 60)


class VisitWeekFilterForm(forms.Form):
    """The week and filters, all in the URL so a coordinator can share the exact view."""

    week = forms.DateField(required=False, label="Week of", widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(choices=[("caregiver", "Caregiver"), ("patient", "Patient")], required=False, label="By")
    caregiver = forms.ModelChoiceField(
        TalentProfile.objects.filter(Q(visits__isnull=False) | Q(recurring_visit_groups__isnull=False)).distinct(),
        required=False,
    )
    patient = forms.ModelChoiceField(
        Patient.objects.filter(Q(visits__isnull=False) | Q(recurring_visit_groups__isnull=False)).distinct(),
        required=False,
    )
    unassigned = forms.BooleanField(required=False, label="Without a caregiver")
    day = forms.DateField(required=False, label="Only the day", widget=forms.DateInput(attrs={"type": "date"}))

    def value(self, name: str, default: Any = None) -> Any:
        """The cleaned value, or `default` when missing or mistyped: a bad filter drops only itself."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


def _series_people(groups: list[RecurringVisitGroup]) -> dict[int, tuple[TalentProfile | None, Patient | None]]:
    """Each series' caregiver and patient: its own, else its visits' (`staffed_as_visits`), read in one query
    each for the series that need them."""
    caregivers = TalentProfile.objects.in_bulk({g.staffed_by for g in groups if g.caregiver_id is None} - {None})
    patients = Patient.objects.in_bulk({g.for_patient for g in groups if g.patient_id is None} - {None})
    return {
        group.pk: (
            group.caregiver or caregivers.get(group.staffed_by),
            group.patient or patients.get(group.for_patient),
        )
        for group in groups
    }


def _expected_occurrences(
    groups: list[RecurringVisitGroup], materialised: set[tuple[int, dt.datetime]], between: tuple, zone: ZoneInfo
) -> list[VisitEntry]:
    entries = []
    people = _series_people(groups)
    for group in groups:
        caregiver, patient = people[group.pk]
        for occurrence in group.occurrences(between=between):
            if (group.pk, occurrence.starts_at) in materialised:
                continue
            entries.append(
                VisitEntry(
                    starts_at=occurrence.starts_at.astimezone(zone),
                    ends_at=occurrence.ends_at.astimezone(zone),
                    caregiver=caregiver,
                    patient=patient,
                    service_name=group.service_name,
                    group=group,
                )
            )
    return entries


def _rows(entries: list[VisitEntry], by: str, days: list[dt.date]) -> list[dict[str, Any]]:
    """[{who, cells: [{day, entries: [entry, ...]} x 7]}] sorted by name; people with nothing this week are not
    listed."""
    rows: dict[Any, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: e.starts_at):
        who = getattr(entry, by)
        cells = [{"day": day, "entries": []} for day in days]
        row = rows.setdefault(who.pk if who else None, {"who": who, "cells": cells})
        row["cells"][(entry.starts_at.date() - days[0]).days]["entries"].append(entry)
    return sorted(rows.values(), key=lambda row: (row["who"] is None, str(row["who"] or "")))


class VisitWeekView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """The week costs four queries whatever the number of visits: visits (people joined), their punchcards, their
    delivery states and the recurring groups; one more each for the caregivers and patients that series take from
    their visits (`_series_people`); the filter form adds its two option lists. Each day of a row links
    to a new visit on that day for that person, each visit to its page (issue 23)."""

    template_name = "shifts/visits/week.html"
    htmx_template_name = "shifts/visits/htmx/week.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        zone = agency_zone()
        filters = VisitWeekFilterForm(self.request.GET or None)
        today = dt.datetime.now(zone).date()
        day = filters.value("day")  # one day of its week, as Today's figures link to it
        monday, start, end = week_bounds(day or filters.value("week", today), zone)
        filters.fields["week"].initial = monday
        by = filters.value("by", "caregiver")
        people, series_people = Q(), Q()  # a series is filtered by the people of its visits (`staffed_as_visits`)
        if caregiver := filters.value("caregiver"):
            people &= Q(caregiver=caregiver)
            series_people &= Q(staffed_by=caregiver.pk)
        if patient := filters.value("patient"):
            people &= Q(patient=patient)
            series_people &= Q(for_patient=patient.pk)
        unassigned = filters.value("unassigned", False)
        if unassigned:
            people &= Q(caregiver=None)
            series_people &= Q(staffed_by=None)
        listed = Q(status=Visit.Status.SCHEDULED) if unassigned else Q()  # without a caregiver: still to be staffed
        if day:
            start, end = local_midnight(day, zone), local_midnight(day + dt.timedelta(days=1), zone)

        # Archived (deleted in Alaunus) visits are fetched too, only so that their occurrence is not shown again as
        # expected: deleting one visit of a series removes that occurrence, not the series.
        fetched = list(
            Visit.objects.filter(people, listed, starts_at__gte=start, starts_at__lt=end)
            .select_related("caregiver", "patient", "group")
            .prefetch_related(
                Prefetch("timecards", Timecard.objects.filter(archived_at__isnull=True).order_by("check_in"))
            )
        )
        visits = [visit for visit in fetched if visit.archived_at is None]
        deliveries = outbox.delivery_states(visits)  # one query, the series' rows included (they carry visits)
        groups = list(
            staffed_as_visits(RecurringVisitGroup.objects.filter(starts_at__lt=end, archived_at__isnull=True))
            .filter(series_people)
            .filter(Q(until__isnull=True) | Q(until__gte=start))
            .select_related("caregiver", "patient")
        )
        entries = [
            VisitEntry(
                starts_at=visit.starts_at.astimezone(zone),
                ends_at=visit.ends_at.astimezone(zone),
                caregiver=visit.caregiver,
                patient=visit.patient,
                service_name=visit.service_name,
                group=visit.group,
                visit=visit,
                timecard=next(iter(visit.timecards.all()), None),
                delivery=deliveries.get(visit.pk),
            )
            for visit in visits
        ]
        # A materialised occurrence is the group's visit at that instant; it replaces the expected one.
        materialised = {(visit.group_id, visit.starts_at) for visit in fetched if visit.group_id}
        # `occurrences` includes both ends; the next Monday's midnight belongs to the next week.
        between = (start, end - dt.timedelta(microseconds=1))
        entries += _expected_occurrences(groups, materialised, between, zone)

        days = [monday + dt.timedelta(days=n) for n in range(7)]
        query = {name: value for name, value in self.request.GET.items() if name != "week" and value}
        return super().get_context_data(
            filters=filters,
            by=by,
            days=days,
            rows=_rows(entries, by, days),
            zone_name=str(zone),
            zone_label=dt.datetime.combine(monday, dt.time(12), tzinfo=zone).strftime("%Z"),
            zone_changes=dt.datetime.combine(days[-1], dt.time(12), tzinfo=zone).utcoffset()
            != dt.datetime.combine(monday, dt.time(12), tzinfo=zone).utcoffset(),
            previous_query=urlencode({**query, "week": (monday - dt.timedelta(days=7)).isoformat()}),
            next_query=urlencode({**query, "week": (monday + dt.timedelta(days=7)).isoformat()}),
            by_caregiver_query=urlencode({**query, "by": "caregiver", "week": monday.isoformat()}),
            by_patient_query=urlencode({**query, "by": "patient", "week": monday.isoformat()}),
            week_end=days[-1],
            filtered=bool(caregiver or patient or unassigned or day),
            **kwargs,
        )
