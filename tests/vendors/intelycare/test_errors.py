"""IntelyCare's `message` and `errors` fields reach the message (issue 14 item 5), over real HTTP."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from portal.integrations import outbox
from portal.integrations.errors import NotFound, ValidationFailed
from portal.integrations.models import SyncRun
from portal.integrations.registry import get_provider

pytestmark = pytest.mark.django_db


def test_an_unknown_shift_says_shift_not_found(intelycare):
    with pytest.raises(NotFound) as missing:
        get_provider("intelycare").client(intelycare).request("DELETE", "v1/shifts/424242")
    assert missing.value.message == "IntelyCare has no such record (HTTP 404): Shift not found"


def test_missing_fields_are_named_in_the_message(intelycare):
    with pytest.raises(ValidationFailed) as refused:
        get_provider("intelycare").client(intelycare).request("POST", "v1/timecards", json={"externalShiftId": "9"})
    assert refused.value.message == (
        "IntelyCare refused the data: checkIn: checkIn is required; checkOut: checkOut is required; "
        "breakDuration: breakDuration is required"
    )


def test_a_refused_outbox_row_keeps_the_whole_answer_for_admins(sandbox, intelycare):
    card = {"externalShiftId": "77", "checkIn": "2026-03-02T12:00:00Z", "checkOut": "2026-03-02T20:00:00Z"}
    row = outbox.enqueue(intelycare, "create_timecard", natural_key="timecard:77", payload={**card, "breakDuration": 0})
    outcome = outbox.dispatch(row.pk)
    row.refresh_from_db()
    assert outcome.state == row.state == "failed"
    assert row.last_error == "IntelyCare has no such record (HTTP 404): Shift not found"
    assert json.loads(row.last_error_body) == {"message": "Shift not found"}


def test_admins_see_the_whole_answer_on_the_outbox_and_sync_pages(client, portal_admin, coordinator, intelycare):
    card = {"externalShiftId": "5", "checkIn": "2026-03-02T12:00:00Z", "checkOut": "2026-03-02T20:00:00Z"}
    row = outbox.enqueue(intelycare, "create_timecard", natural_key="timecard:5", payload={**card, "breakDuration": 0})
    outbox.dispatch(row.pk)  # refused: IntelyCare has no shift 5
    run = SyncRun.objects.create(
        connection=intelycare,
        resource="shifts",
        state="failed",
        error="IntelyCare is unavailable (HTTP 502): Bad",
        error_body="<html><title>Bad</title><body>upstream reset by peer</body></html>",
    )
    client.force_login(portal_admin)
    outbox_page = client.get(reverse("integrations:outbox")).content.decode()
    assert (
        "{&quot;message&quot;: &quot;Shift not found&quot;}" in outbox_page
        and "The vendor's whole answer" in outbox_page
    )
    assert "upstream reset by peer" in client.get(reverse("integrations:sync-progress", args=[run.pk])).content.decode()
    client.force_login(coordinator)
    assert client.get(reverse("integrations:outbox")).status_code == 403
