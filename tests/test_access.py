"""Who may open what: login required everywhere, 403 for users without a page role, lockout after bad passwords."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.core.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/" in response["Location"]


def test_admin_site_also_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302


def test_user_without_role_gets_403_page(client, make_user):
    client.force_login(make_user("norole"))
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert b"no role" in response.content


def test_api_client_role_sees_no_pages(client, api_client_user):
    client.force_login(api_client_user)
    assert client.get(reverse("home")).status_code == 403


def test_coordinator_sees_navigation_without_integrations(coordinator_client):
    response = coordinator_client.get(reverse("home"))
    assert response.status_code == 200
    nav = response.content.decode()
    for label in ("Shifts", "Jobs", "Talent", "Engagements", "Approvals"):
        assert label in nav
    assert "Integrations" not in nav


def test_admin_role_sees_integrations_and_can_open_django_admin(client, portal_admin):
    client.force_login(portal_admin)
    assert "Integrations" in client.get(reverse("home")).content.decode()
    assert client.get("/admin/").status_code == 200


def test_six_bad_passwords_lock_the_account(client, coordinator, make_user):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "casey", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(url, {"username": "casey", "password": "wrong"})
    assert response.status_code == 429
    # Locked: even the right password is refused now.
    response = client.post(url, {"username": "casey", "password": "correct horse battery"})
    assert response.status_code == 429
    assert b"Account locked" in response.content
    # Another account from the same address is not affected.
    make_user("morgan", Role.COORDINATOR)
    response = client.post(url, {"username": "morgan", "password": "correct horse battery"})
    assert response.status_code == 302


def test_good_login_lands_on_home(client, coordinator):
    response = client.post(reverse("login"), {"username": "casey", "password": "correct horse battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == coordinator


def test_password_change(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "a much longer pass 42",
            "new_password2": "a much longer pass 42",
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("a much longer pass 42")


def test_logout_is_post_only_and_signs_out(coordinator_client):
    assert coordinator_client.get(reverse("logout")).status_code == 405
    assert coordinator_client.post(reverse("logout")).status_code == 302
    assert coordinator_client.get(reverse("home")).status_code == 302


def test_pages_require_csrf_token_for_posts(coordinator):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    assert strict.post(reverse("logout")).status_code == 403
