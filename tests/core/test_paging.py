"""Every list reads `?page=` the same way: a typed, negative or overflowing page is an answer, never a 500."""

from __future__ import annotations

import pytest

from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

LISTS = ["/shifts/", "/jobs/", "/jobs/clients/", "/findings/", "/integrations/webhooks/", "/integrations/outbox/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", ["abc", "-1", "99999999999999999999999", "\uff11\uff12"])  # full-width 12
def test_any_page_number_is_an_answer(admin_client_portal, url, page):
    assert admin_client_portal.get(url, {"page": page}).status_code == 200


def test_a_person_timeline_reads_any_page_number(admin_client_portal):
    person = TalentProfileFactory(first_name="Ada")
    url = f"/talent/{person.pk}/timeline/"
    assert admin_client_portal.get(url, {"page": "99999999999999999999999"}).status_code == 200


@pytest.fixture
def admin_client_portal(client, portal_admin):
    client.force_login(portal_admin)
    return client
