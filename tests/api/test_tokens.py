"""API tokens (issue 15 item 8): hashed at rest, expiring, use recorded, revocable; any header value is a 401,
never a 500; plaintext DRF tokens from before are migrated and keep working."""

from __future__ import annotations

import hashlib
import importlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from portal.core.api.tokens import issue_api_token
from portal.core.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/facilities/"


def call(token: str):
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get(URL)


def test_only_a_digest_is_stored_and_it_opens_the_api(api_client_user):
    _row, token = issue_api_token(api_client_user, name="payroll export")
    stored = ApiToken.objects.values().get()
    assert token not in stored.values()
    assert stored["digest"] == hashlib.sha512(token.encode()).hexdigest()
    assert stored["token_key"] == token[:15] and len(token) == 64
    assert call(token).status_code == 200


def test_default_lifetime_is_ninety_days(api_client_user):
    row, _ = issue_api_token(api_client_user)
    assert abs(row.expiry - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)


def test_an_expired_token_is_refused_and_says_so(api_client_user):
    row, token = issue_api_token(api_client_user, lifetime_days=7)
    with time_machine.travel(row.expiry - timedelta(minutes=1)):
        assert call(token).status_code == 200
    with time_machine.travel(row.expiry + timedelta(seconds=1)):
        response = call(token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert ApiToken.objects.filter(pk=row.pk).exists(), "kept, so its holder sees it listed as expired"


def test_last_use_is_recorded_at_most_once_a_minute(api_client_user, django_assert_num_queries):
    row, token = issue_api_token(api_client_user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        call(token)
    row.refresh_from_db()
    assert row.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False), django_assert_num_queries(3):
        call(token)  # token, roles, page: no write
    row.refresh_from_db()
    assert row.last_used_at == start
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        call(token)
    row.refresh_from_db()
    assert row.last_used_at == start + timedelta(minutes=2)


def test_a_revoked_token_is_refused(api_client_user):
    row, token = issue_api_token(api_client_user)
    row.delete()
    assert call(token).status_code == 401


def test_an_inactive_users_token_is_refused(api_client_user):
    _row, token = issue_api_token(api_client_user)
    api_client_user.is_active = False
    api_client_user.save()
    assert call(token).status_code == 401


def test_only_api_clients_and_admins_are_issued_tokens(coordinator, portal_admin, api_client_user):
    with pytest.raises(PermissionDenied):
        issue_api_token(coordinator)
    assert call(issue_api_token(portal_admin)[1]).status_code == 200
    with pytest.raises(ValidationError):
        issue_api_token(api_client_user, lifetime_days=0)
    with pytest.raises(ValidationError):
        issue_api_token(api_client_user, lifetime_days=366)


LATIN_1_TEXT = st.text(st.characters(codec="latin-1"), max_size=300)


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(LATIN_1_TEXT, LATIN_1_TEXT.map(lambda text: f"Token {text}")))
def test_any_authorization_header_is_answered_401_never_500(value):
    """Real servers hand Django header values decoded as latin-1, so every such string can arrive."""
    response = APIClient(HTTP_AUTHORIZATION=value).get(URL)
    assert response.status_code == 401


def test_plaintext_drf_tokens_are_hashed_and_their_table_dropped(api_client_user):
    """The data migration, run on a database that still has DRF's plaintext table (as installs before it did)."""
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz NOT NULL, "
            "user_id integer NOT NULL UNIQUE)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, '2025-01-02T03:04:05Z', %s)", [key, api_client_user.pk])
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', now())")
    migration = importlib.import_module("portal.core.migrations.0004_hash_drf_tokens")
    with connection.schema_editor() as editor:
        migration.hash_plaintext_tokens(apps, editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0
    row = ApiToken.objects.get()
    assert (row.user, row.token_key, row.created.year) == (api_client_user, key[:15], 2025)
    assert row.expiry > timezone.now() + timedelta(days=89)
    assert call(key).status_code == 200
