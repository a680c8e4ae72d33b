"""The talent pages: roles, search with its empty states and count-free paging, and the timeline page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from portal.core.roles import Role
from portal.core.timezones import user_zone
from portal.talent.models import CandidateStatus
from tests.jobs.factories import VendorConnectionFactory
from tests.talent.factories import CandidateStatusFactory, TalentProfileFactory
from tests.talent.test_timeline import history_across_vendors

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def next_page_url(html: str) -> str:
    """The URL the "revealed" trigger at the end of the list loads."""
    return html.split('class="timeline-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")


@pytest.fixture
def profile():
    return TalentProfileFactory(first_name="Maria", last_name="Lopez", email="maria.lopez@example.org")


def test_pages_need_a_login_and_the_coordinator_role(client, make_user, profile):
    urls = [reverse("talent:people"), reverse("talent:timeline", args=[profile.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(make_user("bot", Role.API_CLIENT))
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_user("admin-user", Role.ADMIN))
    for url in urls:
        assert client.get(url).status_code == 200


def test_search_by_name_or_email(coordinator_client, profile):
    TalentProfileFactory(first_name="John", last_name="Okafor", email="j.okafor@example.org")
    url = reverse("talent:people")
    by_name = coordinator_client.get(url, {"q": "maria lop"}).content.decode()
    assert "Maria Lopez" in by_name and "Okafor" not in by_name
    by_email = coordinator_client.get(url, {"q": "OKAFOR@example"}, **HTMX).content.decode()
    assert by_email.startswith('<section id="people">') and "John Okafor" in by_email and "Maria" not in by_email
    assert reverse("talent:timeline", args=[profile.pk]) in by_name


def test_empty_states_say_what_to_do(coordinator_client):
    url = reverse("talent:people")
    assert "No people yet." in coordinator_client.get(url).content.decode()
    TalentProfileFactory()
    assert "Nobody matches that name or email." in coordinator_client.get(url, {"q": "zzz"}).content.decode()


def test_people_page_without_count_and_constant_queries(coordinator_client, django_assert_max_num_queries):
    TalentProfileFactory.create_batch(51, first_name="Ana")
    url = reverse("talent:people")
    # Session, user, roles, one page of people (51 rows fetched, no COUNT).
    with django_assert_max_num_queries(5) as captured:  # + the nav count
        body = coordinator_client.get(url, {"q": "ana"}).content.decode()
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)
    assert "page=2" in body and "q=ana" in body
    second = coordinator_client.get(url, {"q": "ana", "page": 2}).content.decode()
    assert second.count("/timeline/") == 1 and "page=1" in second


def test_timeline_page_shows_entries_in_the_coordinators_time_zone(coordinator_client, profile, settings):
    settings.TIME_ZONE = "America/Chicago"
    CandidateStatusFactory(
        profile=profile,
        connection=VendorConnectionFactory(vendor="careerbuilder", name="CareerBuilder (agency)"),
        requisition_id="REQ-9",
        status="Offer",
        status_date=dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC),
    )
    body = coordinator_client.get(reverse("talent:timeline", args=[profile.pk])).content.decode()
    assert "Times in America/Chicago." in body
    assert "Mon 2 Nov 2026 09:30 CST" in body
    assert "Application status: Offer" in body and "CareerBuilder (agency)" in body and "requisition REQ-9" in body


def test_timeline_filters_are_in_the_url_and_answer_with_the_partial(coordinator_client, profile):
    history_across_vendors(profile)
    url = reverse("talent:timeline", args=[profile.pk])
    body = coordinator_client.get(url, {"source": "careerbuilder"}, **HTMX).content.decode()
    assert body.startswith('<section id="timeline">')
    assert body.count('data-source="careerbuilder"') == 2 and 'data-source="kamana"' not in body
    assert '<option value="kamana">Kamana (agency)</option>' not in body  # the partial has no form
    body = coordinator_client.get(url, {"requisition": "REQ-77"}).content.decode()
    # Sources are the vendors that have connections, named by them.
    assert '<option value="kamana">Kamana (agency)</option>' in body
    assert '<option value="intelycare">IntelyCare (Boston)</option>' in body
    assert body.count('class="timeline-entry"') == 2 and 'value="REQ-77"' in body
    body = coordinator_client.get(url, {"source": "alaunus", "requisition": "REQ-77"}).content.decode()
    assert "Nothing in this history matches these filters." in body
    empty = TalentProfileFactory()
    body = coordinator_client.get(reverse("talent:timeline", args=[empty.pk])).content.decode()
    assert "No history for this person yet." in body


def test_load_more_returns_the_next_entries_and_the_next_trigger(
    coordinator_client, profile, django_assert_max_num_queries
):
    connection = VendorConnectionFactory(vendor="careerbuilder", name="CareerBuilder (agency)")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    CandidateStatus.objects.bulk_create(
        CandidateStatus(
            profile=profile,
            connection=connection,
            account="AAAA_1234",
            candidate_email=profile.email,
            requisition_id=f"req-{n}",
            status_level="application",
            status=f"Step {n}",
            status_date=start + dt.timedelta(hours=n),
        )
        for n in range(120)
    )
    url = reverse("talent:timeline", args=[profile.pk])
    first = coordinator_client.get(url, {"source": "careerbuilder"}).content.decode()
    assert first.count('class="timeline-entry"') == 50 and 'hx-trigger="revealed"' in first
    assert "Step 119" in first and "Step 70" in first and "Step 69" not in first
    more = next_page_url(first)
    assert "source=careerbuilder" in more
    with django_assert_max_num_queries(13):
        second = coordinator_client.get(more, **HTMX).content.decode()
    assert second.lstrip().startswith('<li class="timeline-entry"')
    assert "Step 69" in second and "Step 20" in second and "Step 19" not in second
    third = coordinator_client.get(next_page_url(second), **HTMX).content.decode()
    assert third.count('class="timeline-entry"') == 20 and "Step 0 " in third and "timeline-more" not in third


def test_a_users_own_time_zone_wins_over_the_portals(settings):
    """Accounts carry no zone yet; when one does (an attribute `time_zone`), the timeline uses it."""
    settings.TIME_ZONE = "America/Chicago"
    assert user_zone(SimpleNamespace()).key == "America/Chicago"
    assert user_zone(SimpleNamespace(time_zone="Europe/Paris")).key == "Europe/Paris"
    assert user_zone(SimpleNamespace(time_zone="Mars/Olympus")).key == "America/Chicago"
