"""Issue #5 on the person's page: the relationships panel, the inline status change and do-not-hire, each change
queued for the account's vendor (Kamana) by the saved row itself, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from portal.core.models import AuditEntry
from portal.core.roles import Role
from portal.integrations.models import OutboundRequest, VendorConnection
from portal.talent.models import AccountRelationship
from tests.talent.factories import AccountRelationshipFactory, TalentProfileFactory
from tests.vendors.kamana import conftest as kamana_fixtures

# Kamana's push receivers connected for these tests (and disconnected after), as the core connects them at start.
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pushing")]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kamana() -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="kamana",
        name="Kamana (agency)",
        base_url="https://kamana.test/api",
        credentials={"token": "t", "account_id": "acct-1", "user_id": "user-1"},
    )


@pytest.fixture
def relationship(kamana) -> AccountRelationship:
    return AccountRelationshipFactory(
        profile=TalentProfileFactory(first_name="Maria", last_name="Lopez"),
        connection=kamana,
        external_id="rel-1",
        status=AccountRelationship.Status.PROSPECT,
        sub_status="Screened",
        status_reason="Phone screen passed",
        status_changed_at=dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC),
    )


def timeline(relationship: AccountRelationship) -> str:
    return reverse("talent:timeline", args=[relationship.profile_id])


def url(name: str, relationship: AccountRelationship, *extra: int) -> str:
    return reverse(f"talent:{name}", args=[relationship.profile_id, relationship.pk, *extra])


def push(relationship: AccountRelationship, operation: str, **fields) -> OutboundRequest:
    """An outbound request about the relationship, in whatever state the test needs."""
    return OutboundRequest.objects.create(
        connection=relationship.connection,
        operation=operation,
        content_type=ContentType.objects.get_for_model(AccountRelationship),
        object_id=str(relationship.pk),
        **fields,
    )


def queued(relationship: AccountRelationship) -> list[str]:
    return list(
        OutboundRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(AccountRelationship), object_id=str(relationship.pk)
        )
        .order_by("pk")
        .values_list("operation", flat=True)
    )


def test_the_panel_shows_status_sub_status_reason_time_and_do_not_hire(coordinator_client, relationship, settings):
    settings.TIME_ZONE = "America/Chicago"
    AccountRelationshipFactory(profile=relationship.profile, account_ref="acct-2", do_not_hire=True)
    body = coordinator_client.get(timeline(relationship)).content.decode()
    row = body.split(f'id="relationship-{relationship.pk}"')[1].split("</tr>")[0]
    assert "Kamana (agency)" in row and "account acct-1" in row
    assert "Prospect" in row and "Screened" in row and "Phone screen passed" in row
    assert "Mon 2 Nov 2026 09:30 CST" in row and "Changed (America/Chicago)" in body
    assert "Hireable" in row and "No changes sent" in row
    assert body.count("Do not hire</strong>") == 1, "the other account's flag is shown, this one's is not set"
    # Only the moves the model allows from prospect are offered.
    form = coordinator_client.get(url("relationship-status", relationship), **HTMX).content.decode()
    assert form.lstrip().startswith(f'<tr id="relationship-{relationship.pk}"')
    offered = [part.split('"')[0] for part in form.split('<option value="')[1:]]
    assert offered == ["interested", "review", "engaged", "archived"]


def test_the_panel_says_what_to_do_when_there_are_none(coordinator_client):
    profile = TalentProfileFactory()
    body = coordinator_client.get(reverse("talent:timeline", args=[profile.pk])).content.decode()
    assert "No account relationships." in body


def test_the_page_costs_the_same_queries_for_2_or_20_relationships(
    coordinator_client, kamana, django_assert_max_num_queries
):
    profile = TalentProfileFactory()
    page = reverse("talent:timeline", args=[profile.pk])

    def add_relationships(numbers: range) -> None:
        for n in numbers:
            relationship = AccountRelationshipFactory(
                profile=profile, connection=kamana, external_id=f"rel-{n}", account_ref=f"acct-{n}"
            )
            push(
                relationship,
                "update_relationship_status",
                state=OutboundRequest.State.FAILED if n % 2 else OutboundRequest.State.SENT,
                last_error="Kamana refused: status_reason required",
            )

    add_relationships(range(2))
    coordinator_client.get(page)  # content types cached, as on any page after the first
    counts = []
    for total, more in ((2, range(0)), (20, range(2, 20))):
        add_relationships(more)
        # Session, user, roles, the person, the sources, the history's 10 (timeline.py); then the panel's 3:
        # relationships (connection joined), their latest pushes, their parked pushes; the opportunity preferences;
        # the records flagged with unreadable vendor values; the vendor banner and the nav count; the "Add to an
        # account" panel's 2 (the person's requests to be added, the connections that could add them) and who knows
        # them; the gate's findings.
        with django_assert_max_num_queries(26) as captured:
            body = coordinator_client.get(page).content.decode()
        counts.append(len(captured.captured_queries))
        assert body.count('class="relationship') == total
        assert body.count("Not sent to Kamana (agency)") == total // 2 and body.count("Sent to Kamana") == total // 2
    assert counts[0] == counts[1]


def test_a_status_change_without_a_reason_saves_and_queues_nothing(coordinator_client, relationship):
    response = coordinator_client.post(
        url("relationship-status", relationship), {"status": "review", "sub_status": "Interview"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "This field is required." in body and 'name="status_reason"' in body
    relationship.refresh_from_db()
    assert relationship.status == "prospect" and queued(relationship) == []


def test_a_move_the_model_does_not_allow_is_refused(coordinator_client, relationship):
    relationship.status = "archived"
    relationship.save()
    data = {"status": "engaged", "sub_status": "Placed", "status_reason": "Back from leave"}
    body = coordinator_client.post(url("relationship-status", relationship), data, **HTMX).content.decode()
    assert "cannot move from its current status to that one" in body
    relationship.refresh_from_db()
    assert relationship.status == "archived"
    assert queued(relationship) == ["update_relationship_status"], "only the archiving above was queued"


def test_what_the_vendor_would_refuse_is_shown_on_the_form(coordinator_client, relationship, monkeypatch):
    """Kamana's check passes whatever this form accepts today, so the vendor's answer is stood in for: the form
    must ask about the relationship as it would be after the move, and show the answer on the field."""
    asked = []

    def refuse(connection, operation, instance):
        asked.append((connection, operation, instance.status, instance.sub_status))
        return {"sub_status": ["Kamana does not know this sub-status."], "account": ["No such account."]}

    monkeypatch.setattr("portal.talent.forms.outbound_problems", refuse)
    data = {"status": "review", "sub_status": "Vibes", "status_reason": "Ready for review"}
    body = coordinator_client.post(url("relationship-status", relationship), data, **HTMX).content.decode()
    assert asked == [(relationship.connection, "update_relationship_status", "review", "Vibes")]
    assert "Kamana does not know this sub-status." in body and "No such account." in body
    relationship.refresh_from_db()
    assert (relationship.status, relationship.sub_status) == ("prospect", "Screened") and queued(relationship) == []


def test_a_valid_change_saves_stamps_the_time_and_queues_one_status_push(coordinator_client, relationship, coordinator):
    before = timezone.now()
    data = {"status": "review", "sub_status": "Interview booked", "status_reason": "Meets the unit manager Monday"}
    response = coordinator_client.post(url("relationship-status", relationship), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="relationship-{relationship.pk}"') and "Interview booked" in body
    assert "Queued for Kamana (agency)" in body and 'hx-trigger="every 2s"' in body, "polls while queued"
    relationship.refresh_from_db()
    assert (relationship.status, relationship.sub_status, relationship.status_reason) == (
        "review",
        "Interview booked",
        "Meets the unit manager Monday",
    )
    assert relationship.status_changed_at >= before
    assert queued(relationship) == ["update_relationship_status"]
    entry = AuditEntry.objects.filter(object_id=str(relationship.pk), action="update").get()
    assert entry.actor == coordinator and entry.changes["status"] == ["prospect", "review"]


def test_do_not_hire_is_set_then_lifted_each_queued_and_audited(coordinator_client, relationship, coordinator):
    body = coordinator_client.get(timeline(relationship)).content.decode()
    assert 'hx-confirm="Mark Maria Lopez as do not hire with Kamana (agency)?"' in body
    response = coordinator_client.post(url("relationship-do-not-hire", relationship), {"do_not_hire": "true"}, **HTMX)
    assert "Do not hire</strong>" in response.content.decode()
    coordinator_client.post(url("relationship-do-not-hire", relationship), {"do_not_hire": "true"}, **HTMX)
    relationship.refresh_from_db()
    assert relationship.do_not_hire is True
    assert queued(relationship) == ["set_do_not_hire"], "setting it again changes and sends nothing"
    entry = AuditEntry.objects.filter(object_id=str(relationship.pk), action="update").get()
    assert entry.actor == coordinator and entry.detail == "do-not-hire set on the person's page"
    assert entry.changes == {"do_not_hire": [False, True]}

    coordinator_client.post(url("relationship-do-not-hire", relationship), {"do_not_hire": "false"}, **HTMX)
    relationship.refresh_from_db()
    assert relationship.do_not_hire is False and queued(relationship) == ["set_do_not_hire", "set_do_not_hire"]


def test_a_failed_push_shows_its_error_and_is_retried(coordinator_client, relationship):
    failed = push(
        relationship,
        "set_do_not_hire",
        state=OutboundRequest.State.FAILED,
        attempts=8,
        last_error="Kamana answered 422: do_not_hire_user_id is not a user",
    )
    body = coordinator_client.get(timeline(relationship)).content.decode()
    assert "Not sent to Kamana (agency): Kamana answered 422: do_not_hire_user_id is not a user" in body
    assert url("relationship-retry", relationship, failed.pk) in body
    body = coordinator_client.post(url("relationship-retry", relationship, failed.pk), **HTMX).content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)
    assert "Queued for" in body and "Not sent to" not in body


def test_the_relationship_must_belong_to_the_person_in_the_url(coordinator_client, relationship, kamana):
    other = TalentProfileFactory()
    data = {"status": "review", "sub_status": "x", "status_reason": "y"}
    for name in ("relationship", "relationship-status"):
        assert coordinator_client.get(reverse(f"talent:{name}", args=[other.pk, relationship.pk])).status_code == 404
    wrong_status = reverse("talent:relationship-status", args=[other.pk, relationship.pk])
    assert coordinator_client.post(wrong_status, data).status_code == 404
    wrong_flag = reverse("talent:relationship-do-not-hire", args=[other.pk, relationship.pk])
    assert coordinator_client.post(wrong_flag, {"do_not_hire": "true"}).status_code == 404
    someone_elses = OutboundRequest.objects.create(connection=kamana, operation="set_do_not_hire", state="failed")
    assert coordinator_client.post(url("relationship-retry", relationship, someone_elses.pk)).status_code == 404
    relationship.refresh_from_db()
    assert relationship.status == "prospect" and not relationship.do_not_hire and queued(relationship) == []


def test_only_coordinators_and_admins_may_change_relationships(client, make_user, relationship):
    status = url("relationship-status", relationship)
    assert client.get(status).status_code == 302
    client.force_login(make_user("bot", Role.API_CLIENT))
    assert client.get(status).status_code == 403
    assert client.post(url("relationship-do-not-hire", relationship), {"do_not_hire": "true"}).status_code == 403
    relationship.refresh_from_db()
    assert not relationship.do_not_hire
    client.force_login(make_user("admin-user", Role.ADMIN))
    assert client.get(status).status_code == 200


def test_without_htmx_the_form_is_a_page_and_saving_returns_to_the_person(coordinator_client, relationship):
    page = coordinator_client.get(url("relationship-status", relationship)).content.decode()
    assert "<h1>Change relationship status</h1>" in page and "hx-post" not in page
    data = {"status": "interested", "sub_status": "Re-engaged", "status_reason": "Asked for nights"}
    response = coordinator_client.post(url("relationship-status", relationship), data)
    assert response.status_code == 302 and response.url == timeline(relationship)
    assert "Status changed." in coordinator_client.get(response.url).content.decode()
    relationship.refresh_from_db()
    assert relationship.status == "interested"
