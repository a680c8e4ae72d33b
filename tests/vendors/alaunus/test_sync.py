"""Syncing every Alaunus object type into the domain models over real HTTP: a diff that writes nothing the
second time, incremental visits, people merged by email, deletions archived and never destroyed."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from portal.billing.models import Invoice, InvoiceLine, Payroll, PayrollEntry
from portal.integrations.models import VendorConnection
from portal.integrations.sync import run_sync
from portal.jobs.models import Client, Patient
from portal.shifts.models import RecurringVisitGroup, Timecard, Visit
from portal.talent.models import Skill, TalentProfile, TalentReference
from tests.support.processes import free_port
from tests.vendors.alaunus.conftest import API_KEY, SEED, sync_everything
from vendors.alaunus.resources import RESOURCES
from vendors.alaunus.sandbox import AlaunusSandbox
from vendors.base.sandbox import SandboxServer

pytestmark = pytest.mark.django_db

DOMAIN_TABLES = ("jobs_", "talent_", "shifts_", "billing_", "core_audit")


def domain_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        and any(f'"{table}' in q["sql"] for table in DOMAIN_TABLES)
    ]


def test_every_object_type_lands_in_its_domain_model(alaunus, vendor):
    runs = sync_everything(alaunus)
    data = vendor.data
    assert {name: run.created for name, run in runs.items()} == {
        "skills": len(data["skills"]),
        "clients": len(data["clients"]) + len(data["contacts"]),
        "patients": SEED,
        "talent": len(data["candidates"]) + len(data["users"]),
        "eventsgroups": SEED,
        "events": len(data["events"]),
        "punchcards": len(data["punchcards"]),
        "invoices": SEED,
        "payrolls": 1,
        "payrollsusers": SEED,
    }
    assert all(run.failed == 0 for run in runs.values())

    event_id, event = next(iter(data["events"].items()))
    visit = Visit.objects.select_related("patient", "caregiver", "group").get(external_id=event_id)
    attendee = event["attendees"][0]
    assert visit.patient.external_id == event["patient"]["_id"]
    assert visit.caregiver.references.filter(external_id=attendee["_id"]).exists()
    assert visit.group.external_id == event["_group"]
    assert (visit.pay_rate, visit.bill_rate, visit.currency) == (Decimal("22.50"), Decimal("38.00"), "CAD")
    assert visit.service_name == "Personal care" and visit.time_zone == "America/Toronto"
    assert visit.local_starts_at.hour == 8, "13:00 UTC is 08:00 in Toronto"

    card_id, card = next(iter(data["punchcards"].items()))
    timecard = Timecard.objects.get(external_id=card_id)
    assert timecard.visit.external_id == card["event"] and timecard.professional_id == visit.caregiver_id
    assert timecard.check_in.isoformat().replace("+00:00", "Z").startswith(card["actual"]["start"][:19])
    assert timecard.pay_total == Decimal(str(card["pay"]["amount"]))
    assert timecard.bill_total == Decimal(str(card["bill"]["amount"]))

    invoice = Invoice.objects.get(external_id=next(iter(data["invoices"])))
    lines = list(invoice.lines.all())
    assert invoice.patient and invoice.client and invoice.number.startswith("INV-")
    assert sum(line.amount for line in lines if line.kind == "service") == invoice.subtotal
    assert [line.amount for line in lines if line.kind == "tax"] == [invoice.tax_total]
    assert invoice.amount_due == invoice.subtotal + invoice.tax_total

    entry = PayrollEntry.objects.select_related("payroll", "talent").first()
    assert entry.payroll == Payroll.objects.get() and entry.talent is not None
    cards = Timecard.objects.filter(professional=entry.talent)
    assert entry.gross_pay == sum(c.pay_total for c in cards) and entry.hours > 0
    assert entry.adjustments == Decimal("12.40")

    assert Skill.objects.count() == 6 and Client.objects.filter(kind="person").count() == len(data["contacts"])
    caregiver = TalentProfile.objects.get(email="caregiver0@haltonhomecare.example")
    assert caregiver.references.count() == 2, "hired candidate and user: one person, two Alaunus records"


def test_a_recurring_group_expands_into_its_visits_on_the_toronto_clock(alaunus, vendor):
    sync_everything(alaunus)
    group_id = next(iter(vendor.data["eventsgroups"]))
    group = RecurringVisitGroup.objects.get(external_id=group_id)
    assert (group.freq, group.byweekday, group.count, group.until) == ("WEEKLY", ["MO", "WE", "FR"], 24, None)
    first = group.starts_at
    occurrences = group.occurrences((first, first + dt.timedelta(days=13)))
    assert len(occurrences) == 6 and occurrences[0].starts_at == first
    synced_starts = set(group.visits.values_list("starts_at", flat=True))
    assert synced_starts <= {o.starts_at for o in group.occurrences((first, first + dt.timedelta(days=60)))}
    assert {o.starts_at.astimezone(group.zone).hour for o in occurrences} == {first.astimezone(group.zone).hour}


def test_people_merge_by_email_with_a_profile_from_another_vendor(alaunus):
    known = TalentProfile.objects.create(email="Caregiver1@HaltonHomeCare.example", first_name="Luisa", phone="")
    sync_everything(alaunus)
    known.refresh_from_db()
    assert known.first_name == "Luisa", "a filled field is not overwritten by a second vendor"
    assert known.phone.startswith("289-555-"), "a blank one is filled"
    assert set(known.references.values_list("connection", flat=True)) == {alaunus.pk}
    assert TalentProfile.objects.filter(email__iexact="caregiver1@haltonhomecare.example").count() == 1


def test_a_second_unchanged_sync_writes_nothing(alaunus):
    sync_everything(alaunus)
    with CaptureQueriesContext(db_connection) as queries:
        runs = sync_everything(alaunus, full=True)
    assert all((run.created, run.updated, run.archived) == (0, 0, 0) for run in runs.values()), runs
    assert domain_writes(queries.captured_queries) == []


def test_an_incremental_sync_fetches_only_changed_visits(alaunus, alaunus_server, vendor):
    sync_everything(alaunus)
    event_id = list(vendor.data["events"])[3]
    vendor.edit("events", event_id, notes="Bring the lift sling.", status="cancelled")
    alaunus_server.requests.clear()

    run = run_sync(alaunus, "events")
    assert (run.full, run.created, run.updated) == (False, 0, 1)
    assert run.unchanged <= 1, "at most the record at the watermark itself is read again"
    visit = Visit.objects.get(external_id=event_id)
    assert (visit.notes, visit.status) == ("Bring the lift sling.", "cancelled")
    listed = [path for _v, method, path, _s in alaunus_server.requests if path == "/events"]
    assert listed == ["/events"], "one page: only what changed since the last run"


def test_deleted_records_are_archived_not_destroyed(alaunus, vendor):
    sync_everything(alaunus)
    patient_id = list(vendor.data["patients"])[2]
    event_id = list(vendor.data["events"])[5]
    user_id = list(vendor.data["users"])[1]
    vendor.delete("patients", patient_id)
    vendor.delete("events", event_id)
    vendor.delete("users", user_id)

    runs = sync_everything(alaunus)
    assert Patient.objects.get(external_id=patient_id).archived_at is not None
    assert Visit.objects.get(external_id=event_id).archived_at is not None
    assert TalentReference.objects.get(external_id=user_id).archived_at is not None
    assert Patient.objects.filter(archived_at=None).count() == SEED - 1
    assert runs["events"].updated == 0, "an incremental run archives the deleted visit without rewriting it"
    assert (runs["patients"].archived, runs["events"].archived) == (1, 1), "the writer counts what it archived"

    again = sync_everything(alaunus, full=True)
    assert Patient.objects.get(external_id=patient_id).archived_at is not None, "stays archived"
    assert all(run.updated == 0 for run in again.values())


def test_invoice_lines_follow_a_changed_invoice(alaunus, vendor):
    sync_everything(alaunus)
    invoice_id, raw = next(iter(vendor.data["invoices"].items()))
    vendor.edit("invoices", invoice_id, services=raw["services"][:1], subtotal=raw["services"][0]["amount"])
    before = set(InvoiceLine.objects.exclude(invoice__external_id=invoice_id).values_list("pk", flat=True))
    run = run_sync(alaunus, "invoices")
    assert run.updated == 1
    invoice = Invoice.objects.get(external_id=invoice_id)
    assert invoice.lines.filter(kind="service").count() == 1
    assert set(InvoiceLine.objects.exclude(invoice=invoice).values_list("pk", flat=True)) == before


def test_visits_completed_in_alaunus_arrive_with_their_punchcards(alaunus, alaunus_server, vendor):
    sync_everything(alaunus)
    punched = {card["event"] for card in vendor.data["punchcards"].values()}
    unpunched = [e for e in vendor.data["events"] if e not in punched]
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    for event_id in unpunched:
        vendor.edit("events", event_id, start=(ended - dt.timedelta(hours=2)).isoformat(), end=ended.isoformat())
    alaunus_server.tick()

    assert run_sync(alaunus, "events").updated == len(unpunched) == SEED
    assert run_sync(alaunus, "punchcards").created == SEED
    visit = Visit.objects.get(external_id=unpunched[0])
    timecard = visit.timecards.get()
    assert visit.status == "completed"
    assert timecard.check_in - visit.starts_at == dt.timedelta(minutes=4), "checked in four minutes late"


def test_a_sync_costs_a_few_queries_per_page_not_per_record(alaunus, vendor, django_assert_max_num_queries):
    for name in ("patients", "talent", "eventsgroups"):
        run_sync(alaunus, name)
    assert len(vendor.data["events"]) == 24
    ContentType.objects.get_for_model(Visit)  # cached by whichever test ran before, or not: the count is the sync's
    with django_assert_max_num_queries(21):  # a page that creates rows takes their ids first, then COPYs them
        run = run_sync(alaunus, "events")
    assert (run.pages, run.created) == (1, 24)


def test_the_sync_command_runs_every_resource_in_order(alaunus, vendor):
    out = io.StringIO()
    call_command("sync", "alaunus", *[f"--resource={name}" for name in RESOURCES], stdout=out)
    assert "Alaunus sandbox payrollsusers: Succeeded" in out.getvalue()
    assert Timecard.objects.filter(connection=alaunus, visit__isnull=False).count() == len(vendor.data["punchcards"])


def test_a_monthly_series_with_until_keeps_its_clock_time_across_the_dst_change(alaunus, vendor):
    group_id = next(iter(vendor.data["eventsgroups"]))
    vendor.edit(
        "eventsgroups",
        group_id,
        freq="MONTHLY",
        byweekday=[],
        bymonthday=[1, 15],
        count=None,
        until="2026-12-31",
        dtstart="2026-10-15",
        start="2026-10-15T13:00:00.000Z",  # 09:00 in Toronto, daylight time
        end="2026-10-15T14:30:00.000Z",
    )
    run_sync(alaunus, "eventsgroups")
    group = RecurringVisitGroup.objects.get(external_id=group_id)
    assert (group.freq, group.bymonthday, group.count) == ("MONTHLY", [1, 15], None)
    window = (dt.datetime(2026, 10, 1, tzinfo=dt.UTC), dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    occurrences = group.occurrences(window)
    assert [o.starts_at.astimezone(group.zone).strftime("%m-%d %H:%M") for o in occurrences] == [
        "10-15 09:00",
        "11-01 09:00",
        "11-15 09:00",
        "12-01 09:00",
        "12-15 09:00",
    ], "until 31 December takes the whole day; 09:00 stays 09:00 after clocks go back on 1 November"
    assert occurrences[2].starts_at.hour == 14, "14:00 UTC in standard time"
    assert all(o.ends_at - o.starts_at == dt.timedelta(minutes=90) for o in occurrences)


def test_a_record_alaunus_no_longer_lists_is_archived(alaunus, vendor):
    run_sync(alaunus, "skills")
    gone = next(iter(vendor.data["skills"]))
    del vendor.data["skills"][gone]
    run = run_sync(alaunus, "skills")
    assert (run.full, run.archived) == (True, 1), "skills have no change feed: every run reads them all"
    assert Skill.objects.get(external_id=gone).archived_at is not None

    visit_id = next(iter(vendor.data["events"]))
    run_sync(alaunus, "events")
    del vendor.data["events"][visit_id]
    assert run_sync(alaunus, "events").archived == 0, "an incremental run cannot tell"
    assert run_sync(alaunus, "events", full=True).archived == 1
    assert Visit.objects.get(external_id=visit_id).archived_at is not None


def test_many_pages_are_synced_a_page_at_a_time(settings, db):
    settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.alaunus"]
    server = SandboxServer([AlaunusSandbox(api_key=API_KEY, seed=30)], port=free_port()).start()
    try:
        connection = VendorConnection.objects.create(
            vendor="alaunus",
            name="Alaunus large",
            base_url=server.vendor_url("alaunus"),
            credentials={"api_key": API_KEY},
        )
        runs = sync_everything(connection)
    finally:
        server.stop()
    assert (runs["events"].pages, runs["events"].created) == (2, 120), "pages of 100"
    assert Visit.objects.filter(connection=connection, patient=None).count() == 0, "links resolved on every page"
    assert Timecard.objects.filter(connection=connection).count() == 90
    assert InvoiceLine.objects.filter(invoice__connection=connection, kind="service").count() == 90
