"""The job requisition pages (issue 5): who may see them, search, filters and count-free keyset paging at constant
queries, and create/edit/status changes turning into Kamana outbox rows only when Kamana would take them (sending
them is the browser test's business)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from portal.integrations.models import OutboundRequest
from portal.jobs.models import JobRequisition
from portal.jobs.views import requisitions as views
from tests.jobs.factories import (
    FacilityFactory,
    JobRequisitionFactory,
    ProfessionFactory,
    SpecialtyFactory,
    VendorConnectionFactory,
)
from tests.vendors.kamana import conftest as kamana_fixtures

# Kamana's push receivers, connected for the test and disconnected after (shared with the Kamana tests).
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pushing")]

LIST = reverse("jobs:requisitions")
NEW = reverse("jobs:requisition-new")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def kamana():
    return VendorConnectionFactory(vendor="kamana", name="Kamana Midwest")


@pytest.fixture
def known():
    """A facility, profession and specialty that Kamana knows (they carry its ids), as a sync leaves them."""
    profession = ProfessionFactory(name="Registered Nurse", abbreviation="RN", external_id="kp-1")
    return {
        "facility": FacilityFactory(name="Lakeside Medical Center", external_id="kf-1"),
        "profession": profession,
        "specialty": SpecialtyFactory(name="ICU", profession=profession, external_id="ks-1"),
    }


def form_data(known: dict, **overrides) -> dict:
    data = {
        "name": "ICU Registered Nurse, nights",
        "job_type": JobRequisition.JobType.TRAVEL_CONTRACT,
        "facility": known["facility"].pk,
        "profession": known["profession"].pk,
        "specialty": known["specialty"].pk,
        "number_of_openings": "2",
        "years_of_experience": "2",
        "starts_on": "2026-12-07",
        "contract_length_weeks": "13",
        "hours_per_week": "36",
        "shift_start_hour": "19",
        "shift_end_hour": "7",
        "regular_hourly_rate": "68.50",
        "weekly_gross_pay": "2466.00",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def pushes(requisition=None) -> list[str]:
    rows = OutboundRequest.objects.order_by("pk")
    if requisition is not None:
        rows = rows.filter(
            content_type=ContentType.objects.get_for_model(JobRequisition), object_id=str(requisition.pk)
        )
    return list(rows.values_list("operation", flat=True))


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="requisition-(\d+)"', response.text)]


# -- who may see the pages ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        LIST,
        NEW,
        reverse("jobs:requisition", args=[1]),
        reverse("jobs:requisition-edit", args=[1]),
        reverse("jobs:requisition-sync", args=[1]),
    ],
)
def test_pages_send_anonymous_users_to_login_and_refuse_other_roles(client, make_user, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(make_user("nobody"))
    assert client.get(url).status_code == 403


def test_actions_refuse_a_user_without_the_coordinator_role(client, make_user, kamana):
    requisition = JobRequisitionFactory(status="open")
    client.force_login(make_user("nobody"))
    status_url = reverse("jobs:requisition-status", args=[requisition.pk])
    assert client.post(status_url, {"status": "closed"}).status_code == 403
    assert client.post(reverse("jobs:requisition-retry", args=[requisition.pk, 1])).status_code == 403
    requisition.refresh_from_db()
    assert requisition.status == "open"


# -- the list ----------------------------------------------------------------------------------------------------
def test_an_empty_list_says_what_to_do(coordinator_client):
    text = coordinator_client.get(LIST).text
    assert "No job requisitions yet." in text and NEW in text


def test_search_matches_name_reference_and_source_reference(coordinator_client):
    by_name = JobRequisitionFactory(name="Telemetry RN days")
    by_reference = JobRequisitionFactory(name="Med/Surg", reference_number="KR-10432")
    by_source = JobRequisitionFactory(name="CNA", source_reference_number="portal-jobrequisition-77")
    JobRequisitionFactory(name="Unrelated")

    assert listed(coordinator_client.get(LIST, {"q": "telemetry"})) == [by_name.pk]
    assert listed(coordinator_client.get(LIST, {"q": "10432"})) == [by_reference.pk]
    assert listed(coordinator_client.get(LIST, {"q": "jobrequisition-77"})) == [by_source.pk]
    assert listed(coordinator_client.get(LIST, {"q": "telemetry days"})) == [by_name.pk], "every word must match"
    response = coordinator_client.get(LIST, {"q": "nothing like it"})
    assert listed(response) == [] and "No requisitions match this search." in response.text


@pytest.mark.parametrize("name", ["status", "facility", "profession", "specialty"])
def test_each_filter_narrows_the_list_and_lives_in_the_url(coordinator_client, name):
    other_profession = ProfessionFactory(name="Licensed Practical Nurse", abbreviation="LPN")
    wanted = JobRequisitionFactory(status="on_hold")
    JobRequisitionFactory(status="open", profession=other_profession)
    value = wanted.status if name == "status" else getattr(wanted, f"{name}_id")

    response = coordinator_client.get(LIST, {name: value}, headers=HTMX)

    assert listed(response) == [wanted.pk]
    assert '<section id="requisitions">' in response.text and "<h1>" not in response.text, "the partial only"
    full = coordinator_client.get(LIST, {name: value})
    assert f'value="{value}" selected' in full.text, "the shared URL shows the filter chosen"


def test_a_stale_filter_value_drops_only_that_filter(coordinator_client):
    wanted = JobRequisitionFactory(status="closed")
    JobRequisitionFactory(status="open")
    assert listed(coordinator_client.get(LIST, {"status": "closed", "facility": "999999"})) == [wanted.pk]


def test_archived_requisitions_are_left_out(coordinator_client):
    JobRequisitionFactory(archived_at="2026-01-05T10:00:00Z")
    assert listed(coordinator_client.get(LIST)) == []


def test_cursor_paging_two_pages_without_overlap(coordinator_client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    made = [JobRequisitionFactory(status="open").pk for _ in range(8)]
    JobRequisitionFactory(status="closed")  # filtered out on both pages

    first = coordinator_client.get(LIST, {"status": "open"})
    [next_href] = re.findall(r'href="(/jobs/\?[^"]*after=\d+[^"]*)"', first.text)
    second = coordinator_client.get(next_href.replace("&amp;", "&"))

    assert listed(first) == sorted(made, reverse=True)[:5], "newest first"
    assert listed(second) == sorted(made, reverse=True)[5:]
    assert "status=open" in next_href, "the filters travel with the cursor"
    assert 'rel="next"' not in second.text and "First page" in second.text


def test_the_list_shows_pay_openings_and_each_rows_sync_state(coordinator_client, kamana):
    requisition = JobRequisitionFactory(weekly_gross_pay=Decimal("2466.00"), number_of_openings=3)
    OutboundRequest.objects.create(
        connection=kamana,
        operation="create_job_requisition",
        state=OutboundRequest.State.FAILED,
        last_error="Hours per week must be one of 8, 12, 16.",
        content_type=ContentType.objects.get_for_model(JobRequisition),
        object_id=str(requisition.pk),
    )
    local = JobRequisitionFactory()
    text = coordinator_client.get(LIST).text
    row = text[text.index(f'id="requisition-{requisition.pk}"') :]
    assert "2,466.00 USD" in row
    assert 'data-sync="failed"' in row and "Not sent to Kamana Midwest: Hours per week must be one of" in row
    local_row = text[text.index(f'id="requisition-{local.pk}"') :]
    assert "Portal only" in local_row


def test_the_list_costs_the_same_queries_for_5_and_60_rows(coordinator_client, kamana, django_assert_max_num_queries):
    def make(count: int) -> None:
        for requisition in JobRequisitionFactory.create_batch(count):
            OutboundRequest.objects.create(
                connection=kamana,
                operation="create_job_requisition",
                content_type=ContentType.objects.get_for_model(JobRequisition),
                object_id=str(requisition.pk),
            )

    make(5)
    # session + user + roles, the page, its pushes, and the three filter choice lists
    with django_assert_max_num_queries(10) as few:  # vendor banner + nav count
        assert len(listed(coordinator_client.get(LIST))) == 5
    make(55)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(listed(coordinator_client.get(LIST))) == 50
    assert not any("COUNT(" in query["sql"].upper() for query in few.captured_queries)


# -- create ------------------------------------------------------------------------------------------------------
def test_the_create_form_offers_kamana_and_reference_data_by_name(coordinator_client, kamana, known):
    FacilityFactory(name="Aurora Hospital")
    text = coordinator_client.get(NEW).text
    assert f'<option value="{kamana.pk}">Kamana Midwest (kamana)</option>' in text
    assert text.index("Aurora Hospital") < text.index("Lakeside Medical Center")


def test_invalid_kamana_values_show_on_their_fields_and_write_nothing(coordinator_client, kamana, known):
    local_facility = FacilityFactory(name="Portal-only clinic")
    data = form_data(
        known,
        connection=kamana.pk,
        hours_per_week="7",
        contract_length_weeks="30",
        years_of_experience="",
        facility=local_facility.pk,
    )

    response = coordinator_client.post(NEW, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["hours_per_week"] == ["Hours per week must be one of 8, 12, 16, 24, 32, 36, 40, 48, 56, 58, 60."]
    assert errors["contract_length_weeks"] == ["Contract length must be one of 1 to 26."]
    assert errors["years_of_experience"]
    assert "Not known to Kamana yet" in errors["facility"][0]
    assert "Hours per week must be one of 8, 12" in response.text
    assert JobRequisition.objects.count() == 0 and pushes() == []


def test_a_valid_create_writes_the_row_and_one_kamana_create(coordinator_client, kamana, known):
    response = coordinator_client.post(NEW, form_data(known, connection=kamana.pk), follow=True)

    requisition = JobRequisition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("jobs:requisition", args=[requisition.pk])
    assert "Saved; queued for Kamana Midwest." in response.text
    assert (requisition.connection, requisition.hours_per_week, requisition.shift_start_hour) == (kamana, 36, 19)
    assert pushes(requisition) == ["create_job_requisition"]
    assert 'data-sync="pending"' in response.text and "Queued for Kamana Midwest" in response.text
    assert requisition.audit_history().get().source == "user"


def test_a_requisition_kept_in_the_portal_is_not_checked_or_sent(coordinator_client, kamana):
    response = coordinator_client.post(NEW, {"name": "Float pool LPN", "number_of_openings": "1"}, follow=True)
    requisition = JobRequisition.objects.get()
    assert requisition.connection is None and pushes() == []
    assert "Saved." in response.text and "Kept in the portal only" in response.text


# -- edit, status, sync ------------------------------------------------------------------------------------------
@pytest.fixture
def synced(kamana, known):
    """A requisition Kamana already holds (created there, or pushed earlier)."""
    return JobRequisitionFactory(connection=kamana, external_id="kr-500", years_of_experience=2, **known)


def test_editing_a_pushed_field_queues_a_kamana_update(coordinator_client, synced, known):
    url = reverse("jobs:requisition-edit", args=[synced.pk])
    response = coordinator_client.post(url, form_data(known, status="open", number_of_openings="4"), follow=True)

    synced.refresh_from_db()
    assert synced.number_of_openings == 4
    assert pushes(synced) == ["update_job_requisition"]
    assert "Saved; queued for Kamana Midwest." in response.text


def test_an_edit_kamana_would_refuse_is_shown_and_not_saved(coordinator_client, synced, known):
    url = reverse("jobs:requisition-edit", args=[synced.pk])
    response = coordinator_client.post(url, form_data(known, status="open", shift_start_hour="", hours_per_week="44"))
    assert response.context["form"].errors["hours_per_week"][0].startswith("Hours per week must be one of")
    synced.refresh_from_db()
    assert synced.hours_per_week == Decimal("36") and pushes() == []


def test_the_edit_form_offers_only_the_moves_the_model_allows(coordinator_client, synced):
    synced.status = "closed"
    synced.save()
    choices = coordinator_client.get(reverse("jobs:requisition-edit", args=[synced.pk])).context["form"]
    assert [value for value, _ in choices.fields["status"].choices] == ["open", "closed", "historical"]


def test_an_inline_status_change_swaps_the_block_and_queues_the_update(coordinator_client, synced):
    url = reverse("jobs:requisition-status", args=[synced.pk])
    response = coordinator_client.post(url, {"status": "on_hold"}, headers=HTMX)

    assert 'id="requisition-status"' in response.text and 'data-status="on_hold"' in response.text
    assert 'hx-swap-oob="true"' in response.text and "Queued for Kamana Midwest" in response.text
    assert "Saved; queued for Kamana Midwest." in response.text, "messages swap in out of band"
    synced.refresh_from_db()
    assert synced.status == "on_hold" and pushes(synced) == ["update_job_requisition"]


def test_a_move_the_model_refuses_is_a_form_error(coordinator_client, synced):
    synced.status = "historical"
    synced.save()
    before = pushes(synced)
    response = coordinator_client.post(
        reverse("jobs:requisition-status", args=[synced.pk]), {"status": "open"}, headers=HTMX
    )
    assert "Select a valid choice" in response.text
    synced.refresh_from_db()
    assert synced.status == "historical" and pushes(synced) == before


def test_a_refusal_about_a_field_not_on_the_form_is_a_general_error(coordinator_client, synced):
    # Synced from Kamana without years of experience: Kamana's update requires it, and the status form has no field.
    JobRequisition.objects.filter(pk=synced.pk).update(years_of_experience=None)
    response = coordinator_client.post(
        reverse("jobs:requisition-status", args=[synced.pk]), {"status": "closed"}, headers=HTMX
    )
    assert "Years of experience: " in response.text and 'data-status="open"' in response.text
    synced.refresh_from_db()
    assert synced.status == "open" and pushes(synced) == []


def test_the_detail_shows_every_group_and_a_failed_push_in_plain_words(coordinator_client, synced, kamana):
    failed = OutboundRequest.objects.create(
        connection=kamana,
        operation="update_job_requisition",
        natural_key=f"portal-jobrequisition-{synced.pk}",
        state=OutboundRequest.State.FAILED,
        attempts=1,
        last_error="Years of experience: Required.",
        content_type=ContentType.objects.get_for_model(JobRequisition),
        object_id=str(synced.pk),
    )
    text = coordinator_client.get(reverse("jobs:requisition", args=[synced.pk])).text
    for heading in ("Job", "Schedule", "Pay package", "Engagements", "Sync"):
        assert f">{heading}" in text
    assert "19:00\u201307:00 (ends next day)" in text and "facility time, America/Chicago" in text
    assert "2,466.00 USD" in text and "68.50 USD" in text
    assert "Not sent to Kamana Midwest: Years of experience: Required." in text
    assert reverse("jobs:requisition-retry", args=[synced.pk, failed.pk]) in text


def test_retry_sends_a_failed_push_again_and_only_this_requisitions(coordinator_client, synced, kamana):
    def failed_push(requisition) -> OutboundRequest:
        return OutboundRequest.objects.create(
            connection=kamana,
            operation="update_job_requisition",
            state=OutboundRequest.State.FAILED,
            attempts=3,
            last_error="Kamana answered 500.",
            content_type=ContentType.objects.get_for_model(JobRequisition),
            object_id=str(requisition.pk),
        )

    mine, other = failed_push(synced), failed_push(JobRequisitionFactory())

    response = coordinator_client.post(reverse("jobs:requisition-retry", args=[synced.pk, mine.pk]), follow=True)
    coordinator_client.post(reverse("jobs:requisition-retry", args=[synced.pk, other.pk]))

    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.state, mine.attempts) == (OutboundRequest.State.PENDING, 0)
    assert other.state == OutboundRequest.State.FAILED, "another requisition's push is not retried from here"
    assert "Sending to Kamana Midwest again." in response.text
    assert 'hx-trigger="every 2s"' in response.text, "the sync panel polls while the retry is under way"


def test_the_sync_panel_stops_polling_once_every_push_has_settled(coordinator_client, synced, kamana):
    row = OutboundRequest.objects.create(
        connection=kamana,
        operation="update_job_requisition",
        content_type=ContentType.objects.get_for_model(JobRequisition),
        object_id=str(synced.pk),
    )
    url = reverse("jobs:requisition-sync", args=[synced.pk])
    assert coordinator_client.get(url, headers=HTMX).status_code == 200
    OutboundRequest.objects.filter(pk=row.pk).update(state=OutboundRequest.State.SENT, vendor_id="kr-500")
    response = coordinator_client.get(url, headers=HTMX)
    assert response.status_code == 286 and 'data-sync="sent"' in response.text


def test_an_archived_requisition_cannot_be_edited(coordinator_client, synced):
    synced.archived_at = "2026-01-05T10:00:00Z"
    synced.save()
    response = coordinator_client.get(reverse("jobs:requisition-edit", args=[synced.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("jobs:requisition", args=[synced.pk])
    assert "can no longer be edited" in response.text


def test_a_negative_pay_amount_is_refused_and_gross_is_explained(coordinator_client, kamana, known):
    # Issue 17: a -5.00 USD/h rate was saved.
    response = coordinator_client.post(NEW, form_data(known, connection=kamana.pk, regular_hourly_rate="-5.00"))
    assert response.context["form"].errors["regular_hourly_rate"] == [
        "A pay amount cannot be negative; enter 0 or more."
    ]
    assert JobRequisition.objects.count() == 0 and pushes() == []

    synced = JobRequisitionFactory(
        connection=kamana,
        external_id="kr-9",
        regular_hourly_rate=Decimal("68.50"),
        hours_per_week=Decimal("36"),
        weekly_gross_pay=Decimal("2466.00"),
        **known,
    )
    edit = coordinator_client.get(reverse("jobs:requisition-edit", args=[synced.pk])).text
    assert "Weekly gross matches rate \u00d7 hours: 68.50 USD/h \u00d7 36 h = 2,466.00 USD." in edit


def test_specialties_with_the_same_name_say_which_one_kamana_knows(coordinator_client, kamana, known):
    # Issue 17: "ICU" appeared twice in the specialty list with no hint which one Kamana knows.
    known["specialty"].connection = kamana
    known["specialty"].save()
    SpecialtyFactory(name="ICU", profession=known["profession"])  # made in the portal
    SpecialtyFactory(name="Telemetry", profession=known["profession"])
    for url in (NEW, LIST):
        text = coordinator_client.get(url).text
        assert ">ICU (Kamana Midwest)</option>" in text and ">ICU (portal only)</option>" in text
        assert ">Telemetry</option>" in text, "a name used once needs no source"
