"""A connection's settings page: Admin only, secrets write-only, settings that persist, the provider's extra forms
(CareerBuilder's status map changes what a move pushes; Ceki's two-step OTP login against its sandbox)."""

from __future__ import annotations

import pytest
from django.db import connection as db
from django.urls import reverse

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, VendorConnection
from portal.integrations.registry import get_provider
from tests.talent.factories import AccountRelationshipFactory, TalentProfileFactory
from tests.vendors.careerbuilder.conftest import careerbuilder, cb_sandbox, pushing, registered  # noqa: F401
from tests.vendors.ceki.conftest import ceki_server  # noqa: F401
from vendors.careerbuilder.mapping import DEFAULT_STATUS_MAP
from vendors.ceki.client import CekiClient
from vendors.ceki.sandbox import DEMO_EMAIL, DEMO_OTP

pytestmark = pytest.mark.django_db

CLIENT_SECRET = "cb-client-secret-never-shown"


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


@pytest.fixture
def cb_connection(careerbuilder):  # noqa: F811
    careerbuilder.credentials = {**careerbuilder.credentials, "client_id": "portal", "client_secret": CLIENT_SECRET}
    careerbuilder.save()
    return careerbuilder


@pytest.fixture
def ceki_connection(settings, ceki_server) -> VendorConnection:  # noqa: F811
    """Only the account email: the Admin's OTP step is what logs it in."""
    if "vendors.ceki" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.ceki"]
    return VendorConnection.objects.create(
        vendor="ceki", name="Ceki sandbox", base_url=ceki_server.vendor_url("ceki"), credentials={"email": DEMO_EMAIL}
    )


def page_url(connection: VendorConnection) -> str:
    return reverse("integrations:connection", args=[connection.pk])


def form_url(connection: VendorConnection, name: str) -> str:
    return reverse("integrations:connection-form", args=[connection.pk, name])


def stored_column(connection: VendorConnection) -> str:
    with db.cursor() as cursor:
        cursor.execute("SELECT credentials::text FROM integrations_vendorconnection WHERE id = %s", [connection.pk])
        return cursor.fetchone()[0]


def test_coordinators_get_403_on_the_page_and_its_forms(client, coordinator, cb_connection):
    client.force_login(coordinator)
    assert client.get(page_url(cb_connection)).status_code == 403
    assert client.post(page_url(cb_connection), {"credentials-account": "X"}).status_code == 403
    assert client.post(form_url(cb_connection, "status-map"), {}).status_code == 403
    cb_connection.refresh_from_db()
    assert cb_connection.credentials["account"] == "AAAA_1234"


def test_the_page_shows_the_connection_and_never_its_secrets(
    admin_client, cb_connection, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = admin_client.get(page_url(cb_connection))
    html = response.content.decode()
    assert response.status_code == 200
    assert cb_connection.base_url in html and cb_connection.webhook_url in html and "Never synced" in html
    assert 'value="AAAA_1234"' in html, "settings are shown for editing"
    assert "sandbox-token" not in html and CLIENT_SECRET not in html
    assert html.count("Set; leave blank to keep it.") == 2
    assert "credentials-status_map" not in html, "the status map has its own editor"
    assert 'name="status-map-relationship__prospect"' in html and "Default: Pipeline" in html


def test_a_refused_save_does_not_echo_a_typed_secret(admin_client, cb_connection):
    response = admin_client.post(
        page_url(cb_connection), {"credentials-account": "", "credentials-client_secret": "typed-new-secret"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This field is required." in html
    assert "typed-new-secret" not in html and CLIENT_SECRET not in html
    cb_connection.refresh_from_db()
    assert cb_connection.credentials["client_secret"] == CLIENT_SECRET


def test_settings_persist_blank_secrets_keep_and_a_secret_can_be_replaced_or_removed(admin_client, cb_connection):
    response = admin_client.post(
        page_url(cb_connection),
        {"credentials-account": "BBBB_5678", "credentials-client_id": "portal", "credentials-vendor_key": "sp-test"},
    )
    assert response.status_code == 302
    cb_connection.refresh_from_db()
    assert cb_connection.credentials == {
        "account": "BBBB_5678",
        "access_token": "sandbox-token",
        "client_id": "portal",
        "client_secret": CLIENT_SECRET,
        "vendor_key": "sp-test",
    }
    assert "Credentials of CareerBuilder sandbox saved." in admin_client.get(response.url).content.decode()

    admin_client.post(
        page_url(cb_connection),
        {
            "credentials-account": "BBBB_5678",
            "credentials-client_secret": "rotated-secret",
            "credentials-clear__access_token": "on",
        },
    )
    cb_connection.refresh_from_db()
    assert cb_connection.credentials["client_secret"] == "rotated-secret"
    assert "access_token" not in cb_connection.credentials
    assert "client_id" not in cb_connection.credentials, "a blank setting is cleared"
    assert "rotated-secret" not in stored_column(cb_connection), "encrypted at rest"


def test_the_status_map_editor_changes_what_a_relationship_move_pushes(
    admin_client,
    cb_connection,
    pushing,  # noqa: F811
    cb_sandbox,  # noqa: F811
):
    relationship = AccountRelationshipFactory(profile=TalentProfileFactory(email="amara.okafor@example.org"))
    OutboundRequest.objects.all().delete()  # its creation's own push
    form = {
        f"status-map-{kind}__{status}": raw
        for kind, statuses in DEFAULT_STATUS_MAP.items()
        for status, raw in statuses.items()
    }
    form |= {"status-map-relationship__prospect": "Talent pool", "status-map-relationship__review": ""}
    response = admin_client.post(form_url(cb_connection, "status-map"), form, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Status map saved" in html
    assert 'value="Talent pool"' in html and "<html" not in html, "HTMX gets just the form back"
    cb_connection.refresh_from_db()
    assert cb_connection.credentials["status_map"] == {"relationship": {"prospect": "Talent pool", "review": ""}}

    relationship.status = "prospect"
    relationship.save()
    row = OutboundRequest.objects.get()
    assert outbox.dispatch(row.pk).state == "sent"
    [held] = cb_sandbox.vendors["careerbuilder"].world.statuses.values()
    assert held["status"] == "Talent pool"

    relationship.status_changed_at = None
    relationship.status = "review"
    relationship.save()
    assert OutboundRequest.objects.count() == 1, "blank: review is not pushed"


def test_a_status_longer_than_careerbuilder_allows_is_refused_on_the_form(admin_client, cb_connection):
    response = admin_client.post(
        form_url(cb_connection, "status-map"), {"status-map-engagement__placed": "H" * 101}, HTTP_HX_REQUEST="true"
    )
    assert "at most 100 characters" in response.content.decode()
    cb_connection.refresh_from_db()
    assert "status_map" not in cb_connection.credentials


def test_an_admin_logs_in_to_ceki_with_the_emailed_code(admin_client, ceki_connection, ceki_server):  # noqa: F811
    html = admin_client.get(page_url(ceki_connection)).content.decode()
    assert f"Ceki emails a one-time password to {DEMO_EMAIL}" in html

    response = admin_client.post(form_url(ceki_connection, "request-code"), {}, HTTP_HX_REQUEST="true")
    assert "Ceki emailed a one-time password" in response.content.decode()
    assert ("ceki", "POST", "/api/loginrequest", 200) in ceki_server.requests

    response = admin_client.post(form_url(ceki_connection, "log-in"), {"log-in-code": "000000"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Not logged in: Ceki refused the one-time password" in html and "000000" not in html
    ceki_connection.refresh_from_db()
    assert "token" not in ceki_connection.credentials

    response = admin_client.post(form_url(ceki_connection, "log-in"), {"log-in-code": DEMO_OTP}, HTTP_HX_REQUEST="true")
    assert "Logged in to Ceki: the new token is stored." in response.content.decode()
    ceki_connection.refresh_from_db()
    token = ceki_connection.credentials["token"]
    assert token in ceki_server.vendors["ceki"].tokens
    assert token not in stored_column(ceki_connection), "encrypted at rest"
    assert token not in admin_client.get(page_url(ceki_connection)).content.decode()
    assert CekiClient(get_provider("ceki").client(ceki_connection)).contracts(), "the token opens the API"


def test_ceki_errors_are_shown_in_plain_words(admin_client, ceki_connection, ceki_server):  # noqa: F811
    ceki_connection.credentials = {}
    ceki_connection.save()
    response = admin_client.post(form_url(ceki_connection, "request-code"), {})
    assert response.status_code == 200, "without HTMX the whole page comes back with the error"
    assert "Ceki did not send a code: The email field is required." in response.content.decode()

    ceki_connection.credentials = {"email": DEMO_EMAIL}
    ceki_connection.save()
    ceki_server.stop()
    response = admin_client.post(form_url(ceki_connection, "log-in"), {"log-in-code": DEMO_OTP}, HTTP_HX_REQUEST="true")
    assert "Not logged in: Ceki could not be reached. Check the base URL and try again." in response.content.decode()
