"""The demo tells the portal's story (issue 17, item 9): the sandboxes' cast reaches the portal through each
vendor's real path (Kamana's webhooks, the Alaunus, Ceki and CareerBuilder syncs, as `bin/demo` runs them), and
the same people become one profile each, with references at several vendors and a timeline of several sources."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.contracts.models import Contract, ContractParticipant
from portal.integrations import inbox, outbox
from portal.integrations.models import OutboundRequest, VendorConnection, WebhookEvent
from portal.integrations.registry import all_providers
from portal.shifts.services import create_shift_requests
from portal.talent.models import TalentProfile, TalentReference
from portal.talent.timeline import build_timeline
from tests.jobs.factories import FacilityFactory
from tests.support.processes import free_port, wait_until
from vendors.base.sandbox import SandboxServer
from vendors.base.sandbox_cast import DEMO_CAST, cast_of

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "demo-story-webhook-secret"


@pytest.fixture
def sandboxes():
    vendors = []
    for provider in all_providers().values():
        sandbox = provider.sandbox()
        if sandbox is not None:
            sandbox.seed(20)
            vendors.append(sandbox)
    server = SandboxServer(vendors, port=free_port(), retry_after=1)
    yield server
    server.stop()


def connect(server: SandboxServer, vendor: str, *secrets: str) -> VendorConnection:
    args = ["--name", f"{vendor} (sandbox)", "--base-url", server.vendor_url(vendor)]
    for secret in secrets:
        args += ["--secret", secret]
    call_command("connect", vendor, *args, stdout=io.StringIO())
    return VendorConnection.objects.get(vendor=vendor)


def test_the_cast_reaches_the_portal_through_each_vendor_and_tells_a_cross_vendor_story(
    sandboxes, live_server, coordinator_client
):
    kamana_world = sandboxes.vendors["kamana"].world
    kamana = connect(
        sandboxes,
        "kamana",
        "token=sandbox-token",
        f"account_id={kamana_world.account_id}",
        f"user_id={next(iter(kamana_world.users))}",
    )
    connect(sandboxes, "alaunus", "api_key=sandbox-alaunus-key")
    connect(sandboxes, "ceki", "email=coordinator@ceki.example", "otp=246810")
    connect(sandboxes, "careerbuilder", "account=AAAA_1234", "access_token=sandbox-token")
    intelycare = connect(sandboxes, "intelycare", "api_key=sandbox-key", "client_id=1234", f"webhook_secret={SECRET}")
    sandboxes.set_target("kamana", live_server.url + kamana.webhook_path)
    sandboxes.set_target("intelycare", live_server.url + intelycare.webhook_path, SECRET)
    for sandbox in sandboxes.vendors.values():  # as `manage.py sandbox` does, before it serves
        sandbox.add_cast(DEMO_CAST)
    sandboxes.start()

    kamana_people = len(cast_of("kamana"))
    wait_until(lambda: WebhookEvent.objects.count() >= kamana_people, timeout=60, message="Kamana's cast webhooks")
    for event in WebhookEvent.objects.all():  # applied here, whether or not a worker also runs
        inbox.process_event(event.pk)
    for vendor in ("alaunus", "ceki", "careerbuilder"):  # bin/demo's order: people first, then their statuses
        call_command("sync", vendor, stdout=io.StringIO(), stderr=io.StringIO())

    cast = TalentProfile.objects.filter(email__in=[member.email for member in DEMO_CAST])
    assert cast.count() == len(DEMO_CAST) >= 12  # one profile each, whatever case a vendor wrote the email in
    for profile in cast:
        vendors = set(TalentReference.objects.filter(profile=profile).values_list("connection__vendor", flat=True))
        assert len(vendors) >= 3, (profile.email, vendors)
        entries = build_timeline(profile, limit=200).entries
        labels = {entry.source_label for entry in entries}
        assert len(labels) >= 3, (profile.email, labels)
        assert "Portal" not in labels  # every entry here was made by a vendor, and says which
        assert {entry.source for entry in entries} >= {"kamana", "alaunus", "ceki"}
    known_to_careerbuilder = cast.filter(email__in=[member.email for member in cast_of("careerbuilder")])
    assert all(
        "careerbuilder" in {entry.source for entry in build_timeline(profile).entries}
        for profile in known_to_careerbuilder
    )

    # The professional IntelyCare sends to a shift is one of the cast, and the shift joins their timeline.
    day = timezone.now() + dt.timedelta(days=3)
    [shift] = create_shift_requests(
        facility=FacilityFactory(),
        unit="ICU",
        professional_type="RN",
        occurrences=[(day, day + dt.timedelta(hours=12))],
        connection=intelycare,
    )
    outbox.dispatch(OutboundRequest.objects.get(connection=intelycare, operation="create_shift").pk)
    sandboxes.vendors["intelycare"].tick()  # IntelyCare fills every open shift: an Accepted webhook
    accepted = wait_until(
        lambda: WebhookEvent.objects.filter(connection=intelycare).first(), timeout=60, message="the Accepted webhook"
    )
    inbox.process_event(accepted.pk)
    shift.refresh_from_db()
    assert shift.assigned_professional in cast
    labels = {entry.source_label for entry in build_timeline(shift.assigned_professional).entries}
    assert {"intelycare (sandbox)", "kamana (sandbox)", "alaunus (sandbox)", "ceki (sandbox)"} <= labels

    member = cast_of("ceki")[0]
    participant = ContractParticipant.objects.get(email=member.email)
    assert participant.talent.email == member.email
    page = coordinator_client.get(reverse("billing:contract", args=[participant.contract_id]))
    assert page.status_code == 200
    assert f"{member.first_name} {member.last_name}" in page.content.decode()
    assert Contract.objects.filter(label__startswith="Float pool").count() == 4
