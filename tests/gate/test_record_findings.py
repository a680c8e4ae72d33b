"""A shift's and a visit's page show the gate's open findings of that record (issue 19, "raises a finding on the
record"), through `talent.assignment_gate` so shifts need not import the gate, at one query whatever their number;
the link opens the findings page filtered to that record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.gate.models import Finding
from tests.shifts.factories import ShiftRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db
# The findings page lists work not yet over.
TOMORROW = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)


def raise_findings(person, ref: str, states: list[str]) -> None:
    rules = ["overlap", "rest", "daily_hours", "weekly_hours", "consecutive_days"]
    for rule, state in zip(rules, states, strict=False):
        severity = "block" if rule == "overlap" else "warn"
        Finding.objects.create(
            profile=person,
            rule=rule,
            severity=severity,
            message=f"{rule} message",
            work_ref=ref,
            state=state,
            work_starts_at=TOMORROW,
            work_ends_at=TOMORROW + dt.timedelta(hours=2),
            work_title="the work",
        )


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("kind", ["shift", "visit"])
def test_a_records_page_shows_its_open_findings_at_one_query(coordinator_client, person, kind):
    if kind == "shift":
        record = ShiftRequestFactory(assigned_professional=person, status="filled")
        ref, url = f"shifts.shiftrequest:{record.pk}", reverse("shifts:detail", args=[record.pk])
    else:
        record = VisitFactory(caregiver=person)
        ref, url = f"shifts.visit:{record.pk}", reverse("shifts:visit", args=[record.pk])
    empty, html = queries_of(coordinator_client, url)
    assert 'id="gate-findings"' not in html
    raise_findings(person, ref, ["open", "open", "acknowledged", "resolved", "open"])
    raise_findings(person, "shifts.visit:999999", ["open"])  # another record's
    full, html = queries_of(coordinator_client, url)
    assert full == empty
    shown = re.findall(r'data-rule="(\w+)" data-severity="(\w+)"', html)
    assert shown == [("overlap", "block"), ("consecutive_days", "warn"), ("rest", "warn")]
    link = re.search(r'href="(/findings/\?[^"]+)">Acknowledge or resolve', html).group(1).replace("&amp;", "&")
    listed = coordinator_client.get(link).content.decode()
    assert len(re.findall(r'<tr id="finding-\d+"', listed)) == 3
