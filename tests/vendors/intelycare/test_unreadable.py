"""Issue 14 on IntelyCare's webhook path: an Accepted whose professional carries values that are not text fills
nothing with them, keeps the known address on the person's reference, and the inbox row and the person's page
show the problem."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.core.roles import Role
from portal.integrations.inbox import process_event
from portal.integrations.models import WebhookEvent
from portal.talent.models import TalentReference
from tests.shifts.factories import ShiftRequestFactory
from tests.vendors.intelycare.fixtures import signed

pytestmark = pytest.mark.django_db

ADA = {"id": "hp-7", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@care.test", "phoneNumber": "555"}


def accepted(client, connection, shift, at: str, professional: dict) -> WebhookEvent:
    payload = {
        "clientId": 1234,
        "externalShiftId": shift.external_shift_id,
        "shiftStatus": "Accepted",
        "statusTimestamp": at,
        "healthcareProfessional": professional,
    }
    body, headers = signed(payload)
    assert (
        client.post(connection.webhook_path, data=body, content_type="application/json", **headers).status_code == 202
    )
    event = WebhookEvent.objects.order_by("-pk").first()
    process_event(event.pk)
    event.refresh_from_db()
    return event


def test_an_unreadable_professional_value_keeps_what_the_portal_knows(client, intelycare, make_user):
    first = ShiftRequestFactory(connection=intelycare, external_shift_id="9001")
    accepted(client, intelycare, first, "2026-03-01T10:00:00", ADA)
    reference = TalentReference.objects.select_related("profile").get(connection=intelycare, external_id="hp-7")
    assert (reference.email, reference.profile.first_name, reference.vendor_problems) == ("ada@care.test", "Ada", {})

    second = ShiftRequestFactory(connection=intelycare, external_shift_id="9002")
    garbled = {**ADA, "email": {"primary": "ada@care.test"}, "lastName": True}
    event = accepted(client, intelycare, second, "2026-03-02T10:00:00", garbled)

    assert event.state == WebhookEvent.State.PROCESSED
    reference.refresh_from_db()
    reference.profile.refresh_from_db()
    assert reference.email == "ada@care.test" and reference.profile.last_name == "Lovelace"
    assert set(reference.vendor_problems) == {"email", "last_name"}
    assert reference.vendor_problems["last_name"]["source"] == f"webhook {event.pk} {event.event_type}"
    (entry,) = event.warnings
    assert (entry["model"], entry["external_id"]) == ("talent.talentreference", "hp-7")

    client.force_login(make_user("admin-ic", Role.ADMIN))
    page = client.get(reverse("talent:timeline", args=[reference.profile_id])).content.decode()
    assert "had values the portal could not read" in page and "{&#x27;primary&#x27;" in page
