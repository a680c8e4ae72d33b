"""Issue 23 at the vendor: what the portal's visit services write reaches the Alaunus sandbox over HTTP, once:
a series (eventsgroup and its events), this-and-following, staffing, cancelling; and the sandbox refuses what the
doc's rules refuse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.integrations import outbox
from portal.integrations.errors import ValidationFailed
from portal.integrations.models import OutboundRequest
from portal.jobs.models import Patient
from portal.shifts import visit_services
from portal.shifts.models import Visit
from portal.shifts.series import weekly_series
from portal.talent.models import TalentProfile
from tests.vendors.alaunus.conftest import sync_everything
from vendors.alaunus.sandbox_world import parse_instant

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2026, 12, 14)  # a Monday


def posts(server, path: str) -> list:
    return [r for r in server.requests if r[1] == "POST" and r[2] == path]


@pytest.fixture
def people(alaunus):
    sync_everything(alaunus)
    patient = Patient.objects.filter(connection=alaunus).order_by("pk").first()
    grace = TalentProfile.objects.get(email="caregiver0@haltonhomecare.example")
    luis = TalentProfile.objects.get(email="caregiver1@haltonhomecare.example")
    return patient, grace, luis


def new_series(alaunus, patient, caregiver, weeks: int = 2) -> list[Visit]:
    group, occurrences = weekly_series(
        first_day=FIRST_DAY,
        start=dt.time(9),
        end=dt.time(11),
        time_zone="America/Toronto",
        weekdays=["MO", "WE", "FR"],
        weeks=weeks,
    )
    group.patient, group.caregiver, group.connection, group.service_name = patient, caregiver, alaunus, "Respite"
    return visit_services.create_visit_series(group, occurrences)


def send_all() -> list[str]:
    """Dispatch every pending row in the order written, as the worker would; their outcomes."""
    pending = OutboundRequest.objects.filter(state="pending").order_by("pk").values_list("pk", flat=True)
    return [outbox.dispatch(pk).state for pk in pending]


def test_a_series_lands_as_one_eventsgroup_holding_its_events(alaunus, alaunus_server, vendor, people):
    patient, grace, _ = people
    visits = new_series(alaunus, patient, grace)
    assert send_all() == ["sent"]
    group = visits[0].group
    group.refresh_from_db()
    stored = vendor.data["eventsgroups"][group.external_id]
    assert (stored["freq"], stored["byweekday"], stored["interval"]) == ("WEEKLY", ["MO", "WE", "FR"], 1)
    assert parse_instant(stored["start"]) == group.starts_at and parse_instant(stored["end"]) == group.ends_at
    assert parse_instant(stored["until"]) == group.until
    ids = [Visit.objects.get(pk=v.pk).external_id for v in visits]
    assert stored["events"] == ids and all(ids)
    for visit, event_id in zip(visits, ids, strict=True):
        event = vendor.data["events"][event_id]
        assert event["_group"] == group.external_id and parse_instant(event["start"]) == visit.starts_at
        assert event["service"]["title"] == "Respite"
    [row] = OutboundRequest.objects.all()
    assert outbox.dispatch(row.pk).detail == "already sent"
    assert len(posts(alaunus_server, "/events")) == 6 and len(posts(alaunus_server, "/eventsgroups")) == 1


def test_a_series_whose_worker_died_midway_resumes_without_sending_anything_twice(
    alaunus, alaunus_server, vendor, people
):
    patient, grace, _ = people
    visits = new_series(alaunus, patient, grace)
    [row] = OutboundRequest.objects.all()
    assert outbox.dispatch(row.pk).state == "sent"
    # As if the worker died after Alaunus took the group and two events but before the portal kept those ids.
    group = visits[0].group
    Visit.objects.filter(pk__in=[v.pk for v in visits[:2]]).update(external_id="", connection=None)
    type(group).objects.filter(pk=group.pk).update(external_id="")
    OutboundRequest.objects.filter(pk=row.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    before = len(alaunus_server.requests)
    assert outbox.dispatch(row.pk).state == "sent"
    assert not [r for r in alaunus_server.requests[before:] if r[1] == "POST"], "found again, not re-created"
    assert len(vendor.data["eventsgroups"]) == 7 and len(posts(alaunus_server, "/events")) == 6
    assert all(Visit.objects.filter(pk__in=[v.pk for v in visits]).values_list("external_id", flat=True))


def test_this_and_following_ends_the_first_rule_and_moves_the_later_events(alaunus, vendor, people):
    patient, grace, luis = people
    visits = new_series(alaunus, patient, grace)
    send_all()
    moved = visit_services.change_following(
        Visit.objects.get(pk=visits[2].pk), start=dt.time(13), end=dt.time(15), caregiver=luis, service_name="Respite"
    )
    assert send_all() == ["sent"]
    ended = Visit.objects.get(pk=visits[0].pk).group
    following = moved[0].group
    following.refresh_from_db()
    assert parse_instant(vendor.data["eventsgroups"][ended.external_id]["until"]) == visits[1].starts_at
    stored = vendor.data["eventsgroups"][following.external_id]
    assert parse_instant(stored["start"]) == moved[0].starts_at
    luis_user = luis.references.get(connection=alaunus, vendor_data__has_key="role").external_id
    for visit in moved:
        visit.refresh_from_db()
        event = vendor.data["events"][visit.external_id]
        assert event["_group"] == following.external_id and parse_instant(event["start"]) == visit.starts_at
        assert [a["_id"] for a in event["attendees"]] == [luis_user]
        assert visit.external_id in stored["events"]
        assert visit.external_id not in vendor.data["eventsgroups"][ended.external_id]["events"]


def test_a_visit_staffed_unassigned_and_cancelled_reaches_alaunus_in_order(alaunus, vendor, people):
    patient, grace, luis = people
    start = dt.datetime(2026, 12, 15, 19, tzinfo=dt.UTC)
    visit = visit_services.create_visit(
        patient=patient,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        time_zone="America/Toronto",
        connection=alaunus,
        caregiver=grace,
    )
    visit_services.change_visit(visit, caregiver=luis)
    visit_services.change_visit(visit, caregiver=None)
    visit_services.cancel_visit(visit, "Family is visiting")
    # Written in that order, sent in that order (one natural key): the change waits for the create's id.
    rows = list(OutboundRequest.objects.order_by("pk"))
    assert [r.operation for r in rows] == ["create_visit", "update_visit", "update_visit", "cancel_visit"]
    assert outbox.dispatch(rows[1].pk).detail == "waiting for an earlier request for the same record"
    assert send_all() == ["sent"] * 4
    visit.refresh_from_db()
    event = vendor.data["events"][visit.external_id]
    assert event["attendees"] == [] and event["status"] == "cancelled"


def test_an_unknown_service_is_refused_with_its_name(alaunus, alaunus_server, people):
    patient, _, _ = people
    start = dt.datetime(2026, 12, 15, 19, tzinfo=dt.UTC)
    visit_services.create_visit(
        patient=patient,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        time_zone="America/Toronto",
        connection=alaunus,
        service_name="Astrology",
    )
    assert send_all() == ["failed"]
    assert OutboundRequest.objects.get().last_error == "Not sent to Alaunus: it has no service named 'Astrology'."
    assert posts(alaunus_server, "/events") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"freq": "WEEKLY", "start": "2026-12-14T14:00:00Z", "count": 3, "until": "2027-01-01T00:00:00Z"}, "until"),
        ({"freq": "HOURLY", "start": "2026-12-14T14:00:00Z"}, "freq"),
        ({"freq": "WEEKLY"}, "start"),
        ({"freq": "WEEKLY", "start": "2026-12-14T14:00:00Z", "end": "2026-12-14T13:00:00Z"}, "end"),
        ({"freq": "WEEKLY", "start": "2026-12-14T14:00:00Z", "byweekday": ["XX"]}, "byweekday"),
        ({"freq": "WEEKLY", "start": "2026-12-14T14:00:00Z", "interval": 0}, "interval"),
    ],
)
def test_the_sandbox_refuses_a_rule_rfc_5545_forbids(api, body, field):
    with pytest.raises(ValidationFailed) as refused:
        api.write("eventsgroups.create", body)
    assert field in refused.value.field_errors


def test_the_sandbox_refuses_an_event_of_an_unknown_group(api, people):
    patient, _, _ = people
    body = {"patient": patient.external_id, "start": "2026-12-14T14:00:00Z", "end": "2026-12-14T16:00:00Z"}
    with pytest.raises(ValidationFailed) as refused:
        api.write("events.create", {**body, "_group": "nope"})
    assert refused.value.field_errors == {"_group": ["No eventsgroup nope."]}


def test_a_visit_cancelled_before_its_series_went_out_reaches_alaunus_cancelled(alaunus, vendor, people):
    patient, grace, _ = people
    visits = new_series(alaunus, patient, grace, weeks=1)
    visit_services.cancel_visit(Visit.objects.get(pk=visits[1].pk), "Away that day")
    assert send_all() == ["sent", "sent"]
    cancelled = Visit.objects.get(pk=visits[1].pk)
    assert vendor.data["events"][cancelled.external_id]["status"] == "cancelled"


def test_a_split_whose_worker_died_finds_the_new_group_instead_of_posting_it_again(
    alaunus, alaunus_server, vendor, people
):
    patient, grace, luis = people
    visits = new_series(alaunus, patient, grace)
    send_all()
    moved = visit_services.change_following(
        Visit.objects.get(pk=visits[3].pk), start=dt.time(12), end=dt.time(13), caregiver=luis, service_name=""
    )
    [split] = OutboundRequest.objects.filter(operation="change_visit_series")
    assert outbox.dispatch(split.pk).state == "sent"
    groups = len(vendor.data["eventsgroups"])
    following = moved[0].group
    type(following).objects.filter(pk=following.pk).update(external_id="")
    OutboundRequest.objects.filter(pk=split.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.dispatch(split.pk).state == "sent"
    assert len(vendor.data["eventsgroups"]) == groups and len(posts(alaunus_server, "/eventsgroups")) == 2
    following.refresh_from_db()
    assert following.external_id in vendor.data["eventsgroups"]
