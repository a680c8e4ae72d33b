"""Issue #5 "Pages: Engagements": the list by status with counts, search, facility filter and keyset paging; the
edit page whose sections save in place, refuse what Kamana would refuse (writing and queueing nothing), and queue
exactly one push for a Kamana engagement; extensions, requirements' deadlines, sync state with retry, roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.contracts.forms import SECTIONS
from portal.contracts.models import CredentialingRequirement, Engagement, EngagementExtension
from portal.contracts.services import deadline_state
from portal.core.models import AuditEntry
from portal.core.roles import Role
from portal.integrations.models import OutboundRequest
from tests.contracts.factories import (
    CredentialingRequirementFactory,
    EngagementFactory,
    ExtensionFactory,
    NoteFactory,
)
from tests.jobs.factories import FacilityFactory, JobRequisitionFactory, VendorConnectionFactory
from tests.talent.factories import TalentProfileFactory
from tests.vendors.kamana import conftest as kamana_fixtures

# The Kamana receivers, connected for the test and disconnected after (as the Kamana tests do).
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pushing")]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kamana_connection():
    return VendorConnectionFactory(vendor="kamana", name="Kamana West")


@pytest.fixture
def engagement(kamana_connection) -> Engagement:
    """A Kamana engagement whose every value Kamana accepts, so a test changes exactly one thing."""
    created = EngagementFactory(
        connection=kamana_connection,
        external_id="kam-eng-1",
        facility=FacilityFactory(name="Mercy West", time_zone="America/Denver"),
        job_requisition=JobRequisitionFactory(name="ICU nights"),
        talent=TalentProfileFactory(first_name="Ada", last_name="Lovelace"),
        status=Engagement.Status.PLACED,
        contract_length=13,
        hours_per_week=36,
        shift_start_time=7,
        shift_end_time=19,
        weekly_gross_pay=Decimal("2400.00"),
    )
    return Engagement.objects.get(pk=created.pk)


def section_data(engagement: Engagement, slug: str, **changes) -> dict:
    """What the section's form posts: its current values, with `changes`."""
    form = SECTIONS[slug].form_class(instance=engagement)
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def post_section(client, engagement: Engagement, slug: str, **changes):
    url = reverse("contracts:engagement-section", args=[engagement.pk, slug])
    return client.post(url, section_data(engagement, slug, **changes), **HTMX)


def pushes(operation: str = "") -> list[OutboundRequest]:
    rows = OutboundRequest.objects.order_by("pk")
    return list(rows.filter(operation=operation) if operation else rows)


# -- the list -------------------------------------------------------------------------------------------------------
def test_the_list_filters_by_status_search_and_facility_with_counts_per_status(coordinator_client):
    mercy, lakeside = FacilityFactory(name="Mercy"), FacilityFactory(name="Lakeside")
    ada = EngagementFactory(
        talent=TalentProfileFactory(first_name="Ada", last_name="Lovelace"),
        job_requisition=JobRequisitionFactory(name="ICU nights"),
        facility=mercy,
        status="placed",
        weekly_gross_pay=Decimal("2400"),
    )
    EngagementFactory(talent=TalentProfileFactory(first_name="Grace", last_name="Hopper"), facility=mercy)
    EngagementFactory(talent=TalentProfileFactory(first_name="Alan"), facility=lakeside, status="active")
    EngagementFactory(facility=lakeside, status="active", archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    url = reverse("contracts:engagements")

    page = coordinator_client.get(url).context
    counts = {tab["status"]: tab["count"] for tab in page["tabs"]}
    assert [counts[status] for status in ("", "pending", "placed", "active", "complete")] == [3, 1, 1, 1, 0]
    assert len(page["engagements"]) == 3, "an engagement deleted in Kamana is not listed"

    placed = coordinator_client.get(url, {"status": "placed"})
    assert [e.pk for e in placed.context["engagements"]] == [ada.pk]
    assert "2,400.00 USD" in placed.content.decode()

    searched = coordinator_client.get(url, {"q": "lovelace icu"}).context
    assert [e.pk for e in searched["engagements"]] == [ada.pk], "each word matches the talent or the requisition"
    at_mercy = coordinator_client.get(url, {"facility": mercy.pk}).context
    assert {e.facility_id for e in at_mercy["engagements"]} == {mercy.pk}
    assert {tab["status"]: tab["count"] for tab in at_mercy["tabs"]}["active"] == 0, "counts follow the filters"

    tab_link = next(tab["query"] for tab in at_mercy["tabs"] if tab["status"] == "placed")
    assert f"facility={mercy.pk}" in tab_link, "a status tab keeps the other filters"


def test_an_engagement_without_a_facility_is_at_its_requisitions(coordinator_client):
    mercy = FacilityFactory(name="Mercy")
    placed = EngagementFactory(facility=None, job_requisition=JobRequisitionFactory(facility=mercy))
    EngagementFactory(facility=None, job_requisition=JobRequisitionFactory())
    response = coordinator_client.get(reverse("contracts:engagements"), {"facility": mercy.pk})
    assert [e.pk for e in response.context["engagements"]] == [placed.pk]
    assert "<td>Mercy</td>" in response.content.decode()
    page = coordinator_client.get(reverse("contracts:engagement", args=[placed.pk])).content.decode()
    assert 'Mercy <span class="tz">America/Chicago</span>' in page, "and its days are that facility's"


def test_the_list_says_what_to_do_when_empty(coordinator_client):
    url = reverse("contracts:engagements")
    assert "No engagements yet." in coordinator_client.get(url).content.decode()
    EngagementFactory()
    assert "No engagements match these filters." in coordinator_client.get(url, {"q": "nobody"}).content.decode()


def test_the_list_htmx_partial_is_the_list_alone(coordinator_client):
    EngagementFactory()
    body = coordinator_client.get(reverse("contracts:engagements"), {"status": "pending"}, **HTMX).content.decode()
    assert '<section id="engagements">' in body and "<html" not in body
    assert 'id="filter-status" value="pending" hx-swap-oob="true"' in body, "the filter form follows the tab"


@pytest.mark.parametrize("rows", [5, 60])
def test_the_list_pages_by_keyset_in_constant_queries_without_counting_the_page(
    coordinator_client, django_assert_max_num_queries, kamana_connection, rows
):
    facility = FacilityFactory()
    for n in range(rows):
        engagement = EngagementFactory(facility=facility, starts_on=dt.date(2026, 1, 1) + dt.timedelta(days=n % 7))
        OutboundRequest.objects.create(
            connection=kamana_connection,
            operation="update_engagement",
            content_type=ContentType.objects.get_for_model(Engagement),
            object_id=str(engagement.pk),
        )
    url = reverse("contracts:engagements")
    # Session, user, roles, status counts (grouped), one page + 1 row, its pushes, the facility choices.
    with django_assert_max_num_queries(9) as captured:  # vendor banner + nav count
        first = coordinator_client.get(url)
    ungrouped = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "GROUP BY" not in q["sql"]]
    assert ungrouped == [], "no COUNT over the table for paging"
    assert "Queued" in first.content.decode()
    seen = [e.pk for e in first.context["engagements"]]
    next_query = first.context["next_query"]
    while next_query:
        following = coordinator_client.get(f"{url}?{next_query}")
        seen += [e.pk for e in following.context["engagements"]]
        next_query = following.context["next_query"]
    assert sorted(seen) == sorted(Engagement.objects.values_list("pk", flat=True)) and len(seen) == len(set(seen))
    starts = list(Engagement.objects.filter(pk__in=seen[:2]).values_list("starts_on", flat=True))
    assert starts == sorted(starts, reverse=True) or len(set(starts)) == 1


def test_keyset_paging_reaches_engagements_without_a_start_date_last(coordinator_client, settings):
    from portal.contracts import views

    settings.DEBUG = False
    original, views.PAGE_SIZE = views.PAGE_SIZE, 2
    try:
        dated = [EngagementFactory(starts_on=dt.date(2026, 1, day)) for day in (1, 2, 3)]
        undated = [EngagementFactory(starts_on=None, ends_on=None) for _ in range(2)]
        url, query, seen = reverse("contracts:engagements"), "", []
        for _ in range(5):
            response = coordinator_client.get(f"{url}?{query}")
            seen += [e.pk for e in response.context["engagements"]]
            if not (query := response.context["next_query"]):
                break
    finally:
        views.PAGE_SIZE = original
    assert seen == [e.pk for e in reversed(dated)] + [e.pk for e in reversed(undated)]


# -- the edit page --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("many", [1, 30])
def test_the_edit_page_costs_the_same_with_many_requirements_and_extensions(
    coordinator_client, django_assert_max_num_queries, engagement, many
):
    for n in range(many):
        CredentialingRequirementFactory(engagement=engagement, name=f"Licence {n}", due_on=dt.date(2026, 4, 1))
        ExtensionFactory(engagement=engagement, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 8, 1))
        NoteFactory(engagement=engagement)
    # Session, user, roles, engagement (joined), its push, extensions, their pushes, notes, requirements; the
    # margin (billing_margin: the talent's timecards and time logs, the rate cards).
    with django_assert_max_num_queries(14):  # vendor banner + nav count
        response = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk]))
    body = response.content.decode()
    assert body.count('id="requirement-') == many and body.count('id="extension-') >= many
    for section in SECTIONS.values():
        assert f'id="section-{section.slug}"' in body
    assert "Weekly gross pay (USD)" in body and "America/Denver" in body


@pytest.mark.parametrize(
    ("slug", "changes", "field", "expected"),
    [
        ("pay", {"weekly_gross_pay": "2650.00"}, "weekly_gross_pay", Decimal("2650.00")),
        ("dates", {"contract_length": 12}, "contract_length", 12),
        ("shift", {"hours_per_week": 40}, "hours_per_week", 40),
        ("contract", {"client_contract_id": "contract-77"}, "client_contract_id", "contract-77"),
    ],
)
def test_each_section_saves_returns_only_itself_and_queues_one_update(
    coordinator_client, engagement, slug, changes, field, expected
):
    response = post_section(coordinator_client, engagement, slug, **changes)

    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="section-{slug}"' in body
    assert all(f'id="section-{other}"' not in body for other in SECTIONS if other != slug)
    assert "Saved; queued for Kamana West." in body
    assert 'id="engagement-sync" data-state="pending" hx-swap-oob="true"' in body, "the sync badge follows"
    engagement.refresh_from_db()
    assert getattr(engagement, field) == expected
    [queued] = pushes()
    assert (queued.operation, queued.object_id, queued.state) == ("update_engagement", str(engagement.pk), "pending")
    assert engagement.audit_history().filter(source="user").count() == 1


def test_saving_unchanged_values_writes_and_queues_nothing(coordinator_client, engagement):
    body = post_section(coordinator_client, engagement, "pay").content.decode()
    assert "Nothing changed." in body and pushes() == []


def test_a_local_engagement_saves_without_queueing(coordinator_client):
    local = EngagementFactory(hours_per_week=36)
    body = post_section(coordinator_client, Engagement.objects.get(pk=local.pk), "shift", hours_per_week=70)
    body = body.content.decode()
    assert "Saved." in body and "queued" not in body, "Kamana's hour list binds only Kamana engagements"
    assert pushes() == [] and Engagement.objects.get(pk=local.pk).hours_per_week == 70


@pytest.mark.parametrize(
    ("slug", "changes", "field"),
    [
        ("shift", {"hours_per_week": 70}, "hours_per_week"),
        ("dates", {"contract_length": 27}, "contract_length"),
        ("shift", {"shift_start_time": 24}, "shift_start_time"),
        ("dates", {"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, "ends_on"),
    ],
)
def test_what_kamana_would_refuse_is_a_field_error_and_nothing_is_written_or_queued(
    coordinator_client, engagement, slug, changes, field
):
    before = Engagement.objects.values().get(pk=engagement.pk)
    response = post_section(coordinator_client, engagement, slug, **changes)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert 'class="field-error"' in response.content.decode()
    assert Engagement.objects.values().get(pk=engagement.pk) == before
    assert pushes() == [] and not AuditEntry.objects.filter(object_id=str(engagement.pk), source="user").exists()


def test_a_synced_value_kamana_would_refuse_blocks_other_sections_by_name(coordinator_client, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(hours_per_week=70)  # as an old sync left it
    engagement.refresh_from_db()
    form = post_section(coordinator_client, engagement, "pay", weekly_gross_pay="2500.00").context["form"]
    assert [error for error in form.non_field_errors() if error.startswith("Hours per week: ")]
    assert pushes() == [], "the whole engagement is sent, so Kamana would refuse the pay change too"


def test_hours_per_week_error_names_kamanas_list(coordinator_client, engagement):
    errors = post_section(coordinator_client, engagement, "shift", hours_per_week=70).context["form"].errors
    assert "40" in " ".join(errors["hours_per_week"]), "the message says which values Kamana takes"


def test_a_set_client_contract_is_read_only_and_a_forged_change_refused(coordinator_client, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(
        client_contract_id="contract-1", vendor_data={"client_contract_id": "contract-1"}
    )
    engagement.refresh_from_db()
    page = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()
    contract = page[page.index('id="section-contract"') :]
    contract = contract[: contract.index("</section>")]
    assert "contract-1" in contract and "refuses to change" in contract and "<input" not in contract

    response = post_section(coordinator_client, engagement, "contract", client_contract_id="contract-2")
    assert response.context["form"].errors["client_contract_id"]
    engagement.refresh_from_db()
    assert engagement.client_contract_id == "contract-1" and pushes() == []


def test_a_plain_post_redirects_back_with_a_message_or_shows_the_page_with_errors(coordinator_client, engagement):
    url = reverse("contracts:engagement-section", args=[engagement.pk, "shift"])
    done = coordinator_client.post(url, section_data(engagement, "shift", hours_per_week=40), follow=True)
    assert done.redirect_chain[-1][0] == reverse("contracts:engagement", args=[engagement.pk])
    assert "Shift hours: Saved; queued for Kamana West." in done.content.decode()
    refused = coordinator_client.post(url, section_data(engagement, "shift", hours_per_week=70))
    assert refused.status_code == 200 and "<html" in refused.content.decode()
    assert 'class="field-error"' in refused.content.decode()


def test_an_engagement_deleted_in_kamana_is_read_only(coordinator_client, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(archived_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    engagement.refresh_from_db()
    page = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()
    assert "kept here read-only" in page and "Save pay package" not in page and "Add extension" not in page
    refused = post_section(coordinator_client, engagement, "shift", hours_per_week=40)
    assert "kept here read-only" in refused.content.decode()
    url = reverse("contracts:extension-create", args=[engagement.pk])
    coordinator_client.post(url, {"starts_on": "2026-05-31", "ends_on": "2026-08-29"}, **HTMX)
    assert Engagement.objects.get(pk=engagement.pk).hours_per_week == 36
    assert not EngagementExtension.objects.exists() and pushes() == []


# -- extensions -----------------------------------------------------------------------------------------------------
def test_adding_an_extension_inline_queues_its_creation(coordinator_client, engagement):
    url = reverse("contracts:extension-create", args=[engagement.pk])
    response = coordinator_client.post(url, {"starts_on": "2026-05-31", "ends_on": "2026-08-29"}, **HTMX)

    body = response.content.decode()
    assert '<section id="extensions"' in body and "<html" not in body
    [extension] = EngagementExtension.objects.filter(engagement=engagement)
    assert (extension.starts_on, extension.ends_on) == (dt.date(2026, 5, 31), dt.date(2026, 8, 29))
    assert f'id="extension-{extension.pk}" class="added"' in body and "Queued" in body
    [queued] = pushes()
    assert (queued.operation, queued.object_id) == ("create_engagement_extension", str(extension.pk))


def test_an_extension_kamana_would_refuse_is_not_added(coordinator_client, engagement):
    url = reverse("contracts:extension-create", args=[engagement.pk])
    response = coordinator_client.post(url, {"starts_on": "2026-08-29", "ends_on": "2026-05-31"}, **HTMX)
    assert response.context["extension_form"].errors["ends_on"]
    assert not EngagementExtension.objects.exists() and pushes() == []


# -- requirements' deadlines ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("days", "state"), [(-1, "expired"), (0, "expiring"), (29, "expiring"), (30, "expiring"), (31, "")]
)
def test_a_deadline_is_expiring_within_30_days_and_expired_once_past(days, state):
    today = dt.date(2026, 3, 1)
    assert deadline_state(today + dt.timedelta(days=days), today) == state


def test_no_deadline_is_never_highlighted():
    assert deadline_state(None, dt.date(2026, 3, 1)) == ""


def test_requirements_are_highlighted_on_the_facilitys_calendar(coordinator_client, engagement):
    # Today in the facility's zone (Denver); Kamana's expiry days are New York days.
    today = timezone.localtime(timezone.now(), ZoneInfo("America/Denver")).date()

    def expiring_on(day: dt.date) -> CredentialingRequirement:
        return CredentialingRequirementFactory(
            engagement=engagement,
            expires_at=CredentialingRequirement.expiry_instant(day, "America/New_York"),
            expires_on_time_zone="America/New_York",
        )

    soon, later = expiring_on(today + dt.timedelta(days=30)), expiring_on(today + dt.timedelta(days=31))
    lapsed = expiring_on(today - dt.timedelta(days=1))
    due = CredentialingRequirementFactory(engagement=engagement, due_on=today + dt.timedelta(days=3))
    body = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()

    def row(requirement: CredentialingRequirement) -> str:
        start = body.index(f'id="requirement-{requirement.pk}"')
        return body[start : body.index("</tr>", start)]

    assert '<td class="expiring">' in row(soon)
    assert f"{today + dt.timedelta(days=30):%-d %b %Y}" in row(soon), "the expiry day as Kamana gave it"
    assert '<td class="expiring">' not in row(later) and '<td class="expired">' not in row(later)
    assert '<td class="expired">' in row(lapsed)
    assert '<td class="expiring">' in row(due), "the due date is highlighted the same way"


# -- sync state -----------------------------------------------------------------------------------------------------
def failed_push(engagement: Engagement, error: str = "hours_per_week: is invalid") -> OutboundRequest:
    return OutboundRequest.objects.create(
        connection=engagement.connection,
        operation="update_engagement",
        state=OutboundRequest.State.FAILED,
        last_error=error,
        attempts=1,
        content_type=ContentType.objects.get_for_model(Engagement),
        object_id=str(engagement.pk),
    )


def test_a_failed_push_shows_its_error_and_retry_sends_it_again(coordinator_client, engagement):
    row = failed_push(engagement)
    page = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()
    assert "Not sent to Kamana West: hours_per_week: is invalid" in page
    retry = reverse("contracts:retry-delivery", args=[engagement.pk, row.pk])
    assert retry in page

    badge = coordinator_client.post(retry, **HTMX).content.decode()
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("pending", 0)
    assert 'id="engagement-sync" data-state="pending"' in badge and "every 2s" in badge


def test_retry_refuses_a_push_about_another_engagement(coordinator_client, engagement):
    other = failed_push(EngagementFactory(connection=engagement.connection, external_id="kam-eng-2"))
    response = coordinator_client.post(reverse("contracts:retry-delivery", args=[engagement.pk, other.pk]), **HTMX)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == "failed"


def test_the_sync_badge_polls_until_the_push_settled(coordinator_client, engagement):
    post_section(coordinator_client, engagement, "shift", hours_per_week=40)
    url = reverse("contracts:engagement-sync", args=[engagement.pk])
    assert coordinator_client.get(url, **HTMX).status_code == 200
    OutboundRequest.objects.update(state=OutboundRequest.State.SENT)
    settled = coordinator_client.get(url, **HTMX)
    assert settled.status_code == 286 and "Sent" in settled.content.decode()


# -- who may see ----------------------------------------------------------------------------------------------------
def test_pages_need_a_coordinator_and_an_existing_engagement(make_user, coordinator_client, engagement):
    client = Client()
    urls = [reverse("contracts:engagements"), reverse("contracts:engagement", args=[engagement.pk])]
    for url in urls:
        assert client.get(url).status_code == 302, "anonymous users go to login"
    section = reverse("contracts:engagement-section", args=[engagement.pk, "shift"])
    assert client.post(section, section_data(engagement, "shift", hours_per_week=40)).status_code == 302

    client.force_login(make_user("bot", Role.API_CLIENT))
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert client.post(section, section_data(engagement, "shift", hours_per_week=40)).status_code == 403
    assert pushes() == []

    missing = Engagement.objects.order_by("-pk").first().pk + 1
    assert coordinator_client.get(reverse("contracts:engagement", args=[missing])).status_code == 404
    for pk, slug in ((missing, "pay"), (engagement.pk, "status")):
        assert coordinator_client.post(reverse("contracts:engagement-section", args=[pk, slug])).status_code == 404


def test_a_negative_pay_amount_is_refused_with_a_clear_message(coordinator_client, engagement):
    # Issue 17: a -5.00 USD/h rate was saved (and queued for Kamana).
    before = Engagement.objects.values().get(pk=engagement.pk)
    response = post_section(coordinator_client, engagement, "pay", regular_hourly_rate="-5.00", weekly_per_diem="-1")
    form = response.context["form"]
    assert form.errors["regular_hourly_rate"] == ["A pay amount cannot be negative; enter 0 or more."]
    assert form.errors["weekly_per_diem"] == ["A pay amount cannot be negative; enter 0 or more."]
    assert 'min="0"' in response.content.decode(), "the browser refuses it too"
    assert Engagement.objects.values().get(pk=engagement.pk) == before and pushes() == []


def test_the_pay_section_says_how_gross_compares_with_rate_times_hours(coordinator_client, engagement):
    # 36 h a week: 66.67 x 36 = 2,400.12, within half a percent of the 2,400.00 gross.
    body = post_section(coordinator_client, engagement, "pay", regular_hourly_rate="66.67").content.decode()
    assert "Weekly gross matches rate \u00d7 hours: 66.67 USD/h \u00d7 36 h = 2,400.12 USD." in body
    assert 'data-warn="false"' in body

    body = post_section(
        coordinator_client, engagement, "pay", regular_hourly_rate="50", weekly_housing_stipend="600"
    ).content.decode()
    assert (
        "Weekly gross is rate \u00d7 hours (50.00 USD/h \u00d7 36 h = 1,800.00 USD) plus the weekly stipends." in body
    )

    response = post_section(coordinator_client, engagement, "pay", regular_hourly_rate="80", weekly_housing_stipend="0")
    body = response.content.decode()
    assert 'data-warn="true"' in body and "Saved; queued for Kamana West." in body, "a warning, not a refusal"
    assert "Weekly gross 2,400.00 USD is 480.00 USD less than rate \u00d7 hours (80.00 USD/h \u00d7 36 h" in body


def test_a_local_engagement_does_not_say_its_status_changes_in_a_vendor(coordinator_client, engagement):
    # Issue 17: "changed in the vendor" stood beside "Vendor: Local only".
    local = EngagementFactory(connection=None)
    body = coordinator_client.get(reverse("contracts:engagement", args=[local.pk])).content.decode()
    assert "Local only" in body and "changed in" not in body
    kamana = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()
    assert "(changed in Kamana West: its engagement update takes no status)" in kamana
