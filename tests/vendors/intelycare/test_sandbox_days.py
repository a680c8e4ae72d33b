"""The IntelyCare sandbox answers `shiftDate` as the facility's local day, as the doc's example does (issue 14
item 6): a 23:00 New York shift sent as a UTC instant is still on its New York day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.integrations import outbox
from portal.integrations.registry import get_provider
from portal.shifts.localtime import shift_instants
from tests.shifts.factories import ShiftRequestFactory
from vendors.intelycare.sandbox_world import facility_zone, shift_date

pytestmark = pytest.mark.django_db

DOC_EXAMPLE = {
    "externalShiftId": "2546810",
    "shiftStartTime": "2024-01-16T23:00:00",
    "shiftEndTime": "2024-01-17T07:00:00",
    "shiftUnit": "1st Floor",
    "healthcareProfessionalType": "LPN",
    "shiftSource": "qwerty",
    "shiftBoostPercentage": 10,
    "timezone": "ET",
}


def post_shift(connection, **changes) -> dict:
    client = get_provider("intelycare").client(connection)
    return client.request("POST", "v1/shifts", json={**DOC_EXAMPLE, **changes})["data"]


def test_the_docs_example_gives_the_docs_shift_date(intelycare):
    assert post_shift(intelycare)["shiftDate"] == "2024-01-16"


def test_a_23_00_new_york_shift_sent_in_utc_is_on_its_new_york_day(intelycare):
    utc = {"shiftStartTime": "2024-01-17T04:00:00Z", "shiftEndTime": "2024-01-17T12:00:00Z"}
    assert post_shift(intelycare, **utc, timezone="America/New_York")["shiftDate"] == "2024-01-16"
    assert post_shift(intelycare, **utc, externalShiftId="2", timezone="")["shiftDate"] == "2024-01-16", (
        "no timezone given: the facility's configured zone"
    )
    assert post_shift(intelycare, **utc, externalShiftId="3", timezone="UTC")["shiftDate"] == "2024-01-17"


def test_an_update_keeps_the_local_day(intelycare):
    created = post_shift(intelycare, timezone="America/Los_Angeles")
    client = get_provider("intelycare").client(intelycare)
    body = {key: DOC_EXAMPLE[key] for key in ("shiftUnit", "healthcareProfessionalType", "shiftSource")}
    late = {"shiftStartTime": "2024-01-18T07:30:00Z", "shiftEndTime": "2024-01-18T15:30:00Z"}  # 23:30 in LA
    updated = client.request("PUT", f"v1/shifts/{created['internalShiftId']}", json={**body, **late})["data"]
    assert updated["shiftDate"] == "2024-01-17"


def test_an_overnight_shift_from_the_portal_keeps_its_facility_day(sandbox, intelycare):
    shift = ShiftRequestFactory(
        starts_at=shift_instants(dt.date(2026, 3, 7), dt.time(23), dt.time(7), "America/New_York")[0]
    )
    row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    assert outbox.dispatch(row.pk).state == "sent"
    row.refresh_from_db()
    assert row.vendor_response["shiftStartTime"] == "2026-03-08T04:00:00Z"
    assert row.vendor_response["shiftDate"] == "2026-03-07"


ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu"]


@settings(deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(dt.UTC)),
    st.sampled_from(ZONES),
)
def test_shift_date_is_the_local_day_of_the_instant_in_any_zone(instant, zone):
    text = instant.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    assert shift_date(text, facility_zone(zone, "UTC")) == instant.astimezone(ZoneInfo(zone)).date().isoformat()
    local = instant.astimezone(ZoneInfo(zone)).replace(microsecond=0, tzinfo=None).isoformat()
    assert shift_date(local, facility_zone(zone, "UTC")) == local[:10], "a local time is already the facility's"
