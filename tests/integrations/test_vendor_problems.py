"""Issue 14, item 3: a value the vendor sent that cannot be read never erases the value the portal holds.

Kamana requisitions go through the real reader and mapping into `apply_page`: on update an unreadable field keeps
the row's value, on create it holds the mapping's empty value, and either way the row names the problem with its
raw value and where it came from. A property test mixes readable and unreadable values across a page.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core.audit import audit_context
from portal.core.vendor_problems import collect_problems
from portal.integrations.models import VendorConnection
from portal.integrations.sync import apply_page
from portal.jobs.models import JobRequisition
from vendors.base.reading import FieldReader, unreadable_fields
from vendors.kamana import mapping, schemas

pytestmark = pytest.mark.django_db

EARLIER, LATER = "2026-01-05T10:00:00", "2026-02-05T10:00:00"
_ids = itertools.count(1)


@pytest.fixture
def kamana_like(db) -> VendorConnection:
    return VendorConnection.objects.create(vendor="directory", name="Requisitions", base_url="http://127.0.0.1:9/")


def payload(external_id: str, updated_at: str, **attributes: Any) -> dict[str, Any]:
    values = {
        "name": "ICU nights",
        "status": "open",
        "number_of_openings": 2,
        "starts_on": "2026-12-07",
        "hours_per_week": 36,
        "shift_start_time": 19,
        "regular_hourly_rate": "61.50",
        "asap": False,
        "updated_at": updated_at,
        **attributes,
    }
    return {"id": external_id, "type": "job_requisition", "attributes": values}


def mapped(raw: dict[str, Any]):
    return mapping.job_requisition_record(schemas.JobRequisition.from_payload(raw), raw, mapping.Links())


def apply(connection: VendorConnection, *raws: dict[str, Any], detail: str = "sync run 7") -> list[dict]:
    with audit_context("sync", detail=detail), collect_problems() as problems, transaction.atomic():
        apply_page(JobRequisition, connection, [mapped(raw) for raw in raws])
    return problems


def test_an_unreadable_date_keeps_the_known_one_and_marks_the_row(kamana_like, caplog):
    apply(kamana_like, payload("r-1", EARLIER))
    with caplog.at_level(logging.WARNING, logger="portal.core.vendor_problems"):
        changed = payload("r-1", LATER, starts_on="2026-13-45", name="ICU days")
        reported = apply(kamana_like, changed, detail="webhook 9")
    row = JobRequisition.objects.get(external_id="r-1")
    assert row.name == "ICU days", "the readable change is applied"
    assert row.starts_on == dt.date(2026, 12, 7), "the known date is kept"
    assert row.vendor_problems == {
        "starts_on": {
            "raw": "'2026-13-45'",
            "message": "job_requisition.starts_on: expected a date (YYYY-MM-DD), got '2026-13-45'; read as null",
            "source": "webhook 9",
        }
    }
    assert [(entry["pk"], entry["external_id"], list(entry["problems"])) for entry in reported] == [
        (row.pk, "r-1", ["starts_on"])
    ]
    (line,) = [record.getMessage() for record in caplog.records]
    assert "jobs.jobrequisition" in line and "r-1" in line and "starts_on='2026-13-45'" in line
    (change,) = row.audit_history().filter(action="update")
    assert "starts_on" not in change.changes and change.changes["name"] == ["ICU nights", "ICU days"]


def test_on_create_an_unreadable_field_stays_empty_and_marked(kamana_like):
    apply(kamana_like, payload("r-2", EARLIER, starts_on="soon", hours_per_week="lots", status="unheard-of"))
    row = JobRequisition.objects.get(external_id="r-2")
    assert (row.starts_on, row.hours_per_week, row.status) == (None, None, "open")
    assert set(row.vendor_problems) == {"starts_on", "hours_per_week", "status"}
    assert row.vendor_problems["hours_per_week"]["source"] == "sync run 7"


def test_a_readable_value_again_takes_over_and_clears_the_mark(kamana_like):
    apply(kamana_like, payload("r-3", EARLIER))
    apply(kamana_like, payload("r-3", LATER, shift_start_time="7pm"))
    row = JobRequisition.objects.get(external_id="r-3")
    assert (row.shift_start_hour, list(row.vendor_problems)) == (19, ["shift_start_hour"])
    apply(kamana_like, payload("r-3", "2026-03-01T00:00:00", shift_start_time=20))
    row.refresh_from_db()
    assert (row.shift_start_hour, row.vendor_problems) == (20, {})


def test_the_same_unreadable_value_again_is_unchanged_but_still_reported(kamana_like):
    apply(kamana_like, payload("r-4", EARLIER))
    apply(kamana_like, payload("r-4", LATER, asap="maybe"))
    again = apply(kamana_like, payload("r-4", LATER, asap="maybe"), detail="sync run 8")
    assert [entry["external_id"] for entry in again] == ["r-4"], "the second run read it unreadable too"
    row = JobRequisition.objects.get(external_id="r-4")
    assert row.vendor_problems["asap"]["source"] == "sync run 7", "nothing was written the second time"


def test_only_the_records_own_fields_are_named():
    """A nested record's warning (re-worded text) or another reader's key never marks a field of the record."""
    reader = FieldReader({"starts_on": "x", "type": "y"}, "engagement_requirement.snapshot")
    reader.day("starts_on")
    warnings = [*reader.warnings, "engagement.client_location: facility.name: expected text, got []; read as null"]
    fields = {"starts_on": None, "type": None, "name": ""}
    assert unreadable_fields(warnings, fields, prefix="engagement_requirement.") == {}
    assert set(unreadable_fields(warnings, fields, prefix="engagement_requirement.snapshot.")) == {"starts_on"}


# -- the property: any mix of readable and unreadable values never replaces a known value with empty ----------
READABLE = {
    "starts_on": st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
    "hours_per_week": st.integers(1, 80),
    "number_of_openings": st.integers(1, 20),
    "shift_start_time": st.integers(0, 23),
    "regular_hourly_rate": st.decimals(Decimal("1"), Decimal("500"), places=2).map(str),
    "asap": st.booleans(),
    "status": st.sampled_from(["open", "closed", "on_hold"]),
}
UNREADABLE = {
    "starts_on": st.sampled_from(["2026-13-45", "soon", 12.5, [2026, 1, 1]]),
    "hours_per_week": st.sampled_from(["lots", 1.5, "1,5", True]),
    "number_of_openings": st.sampled_from(["two", 2.5, {"n": 2}]),
    "shift_start_time": st.sampled_from(["7pm", 19.5, False]),
    "regular_hourly_rate": st.sampled_from(["NaN", "sixty", [61]]),
    "asap": st.sampled_from(["maybe", 2, "yes please"]),
    "status": st.sampled_from(["unheard-of", 7, "open!"]),
}


@st.composite
def sent_values(draw) -> tuple[dict[str, Any], set[str]]:
    """Attributes as the vendor sent them, and which of them are unreadable."""
    unreadable = draw(st.sets(st.sampled_from(sorted(READABLE))))
    values = {key: draw((UNREADABLE if key in unreadable else READABLE)[key]) for key in READABLE}
    return values, unreadable


def expected_fields(values: dict[str, Any], unreadable: set[str], fallback: dict[str, Any] | None) -> dict:
    """What the row must hold: the sent value where readable; where not, the known value (or absent on create)."""
    attributes = {key: value for key, value in values.items() if key not in unreadable}
    attributes.update({key: fallback[key] if fallback else None for key in unreadable})
    return mapped(payload("expected", LATER, **attributes)).fields


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(known_values=st.fixed_dictionaries(READABLE), update=sent_values(), created=sent_values())
def test_any_mix_of_unreadable_values_never_erases_a_known_value(kamana_like, known_values, update, created):
    old_id, new_id = f"p-{next(_ids)}", f"p-{next(_ids)}"
    apply(kamana_like, payload(old_id, EARLIER, **known_values))
    # One page: an update of the known record and a new record, each with its own mix (different column sets).
    apply(kamana_like, payload(old_id, LATER, **update[0]), payload(new_id, LATER, **created[0]))

    for external_id, (values, unreadable), fallback in (
        (old_id, update, known_values),
        (new_id, created, None),
    ):
        want = expected_fields(values, unreadable, fallback)
        row = JobRequisition.objects.values(*want, "vendor_problems").get(external_id=external_id)
        assert {name: row[name] for name in want} == want
        named = unreadable_fields(
            schemas.JobRequisition.from_payload(payload(external_id, LATER, **values)).warnings,
            want,
            prefix="job_requisition.",
            renamed={"shift_start_time": "shift_start_hour"},
        )
        assert set(row["vendor_problems"]) == set(named) and len(named) == len(unreadable)
