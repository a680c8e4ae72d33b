"""Managing API tokens: the holder's own page (list, create shown once, revoke), Admins in Django admin, and
`manage.py create_api_token`."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.core.api.tokens import issue_api_token
from portal.core.models import ApiToken
from portal.core.roles import Role

pytestmark = pytest.mark.django_db

PAGE = "/accounts/api-tokens/"


def opens_api(token: str) -> bool:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/facilities/").status_code == 200


@pytest.fixture
def bot_client(client, api_client_user):
    client.force_login(api_client_user)
    return client


def test_created_token_is_shown_once_then_only_its_prefix(bot_client):
    response = bot_client.post(PAGE, {"name": "nightly export", "lifetime_days": 30})
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    row = ApiToken.objects.get()
    token = response.context["new_token"]
    assert token in response.content.decode()
    assert (row.name, round((row.expiry - row.created) / timedelta(days=1))) == ("nightly export", 30)
    listing = bot_client.get(PAGE).content.decode()
    assert token not in listing
    assert f"{row.token_key}…" in listing and "nightly export" in listing and "never" in listing
    assert opens_api(token)
    assert "never" not in bot_client.get(PAGE).content.decode()


def test_a_bad_lifetime_is_refused_on_the_form(bot_client):
    response = bot_client.post(PAGE, {"lifetime_days": 1000})
    assert response.status_code == 400
    assert "less than or equal to 365" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_holder_revokes_their_token(bot_client, api_client_user, caplog):
    row, token = issue_api_token(api_client_user)
    with caplog.at_level("INFO", logger="portal.core.api.tokens"):
        response = bot_client.post(reverse("api-token-revoke"), {"token": row.digest})
    assert response.status_code == 302
    assert not opens_api(token)
    assert f"API token {row.token_key}… of integration-bot revoked" in caplog.text
    assert token not in caplog.text


def test_nobody_revokes_another_users_token(bot_client, portal_admin):
    row, token = issue_api_token(portal_admin)
    assert bot_client.post(reverse("api-token-revoke"), {"token": row.digest}).status_code == 404
    assert opens_api(token)
    assert row.token_key not in bot_client.get(PAGE).content.decode()


def test_coordinators_have_no_token_page(coordinator_client):
    assert coordinator_client.get(PAGE).status_code == 403
    assert coordinator_client.post(PAGE, {"lifetime_days": 30}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoke_needs_csrf(api_client_user):
    row, _ = issue_api_token(api_client_user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_client_user)
    assert client.post(reverse("api-token-revoke"), {"token": row.digest}).status_code == 403
    assert ApiToken.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("tokens", [2, 30])
def test_token_page_queries_do_not_grow(bot_client, api_client_user, tokens, django_assert_max_num_queries):
    for _ in range(tokens):
        issue_api_token(api_client_user)
    with django_assert_max_num_queries(6):
        response = bot_client.get(PAGE)
    assert response.content.decode().count("Revoke") == tokens


def test_admins_list_tokens_per_holder_and_revoke_any(client, portal_admin, api_client_user, make_user):
    other = make_user("other-bot", Role.API_CLIENT)
    mine, my_token = issue_api_token(api_client_user, name="bot token")
    theirs, _ = issue_api_token(other, name="other token")
    client.force_login(portal_admin)
    changelist = reverse("admin:core_apitoken_changelist")
    page = client.get(changelist, {"holder": api_client_user.pk}).content.decode()
    assert "bot token" in page and "other token" not in page
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [mine.pk], "post": "yes"})
    assert response.status_code == 302
    assert not opens_api(my_token)
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert client.get(reverse("admin:core_apitoken_add")).status_code == 403


def test_command_prints_a_working_token(api_client_user):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "integration-bot", "--expires-in", "7", "--name", "ci", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert opens_api(token)
    row = ApiToken.objects.get()
    assert (row.name, round((row.expiry - row.created) / timedelta(days=1))) == ("ci", 7)
    assert "shown only now" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["casey"], "no API client or Admin role"),
        (["nobody"], "No user named 'nobody'"),
        (["integration-bot", "--expires-in", "0"], "from 1 to 365 days"),
    ],
)
def test_command_refuses_clearly(coordinator, api_client_user, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
