"""Hostile and broken senders at the webhook receiver (issue 15 items 1-3): signatures that never raise, refusals
that are final, unknown URLs and oversized bodies that store no body, content types, nesting, and no 5xx at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.integrations import inbox
from portal.integrations.models import RefusedDelivery, VendorConnection, WebhookEvent
from portal.integrations.registry import all_providers, get_provider
from portal.integrations.webhook_guard import HEAD_BYTES, MAX_JSON_DEPTH
from portal.integrations.webhook_views import receive
from tests.vendors.kamana.support import fixture
from vendors.base.signing import hmac_sha256_hex_matches

pytestmark = pytest.mark.django_db

SECRET = "whsec-guard-tests"
ACCEPTED = {
    "clientId": 1234,
    "externalShiftId": "2546810",
    "shiftStatus": "Released",
    "statusTimestamp": "2024-01-17T15:01:00",
}
TWO_MB = 2 * 1024 * 1024
FUZZ = hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    """The refusal counters live in the cache, which outlives a test; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def connections(settings) -> dict[str, VendorConnection]:
    """One connection per registered vendor; receiving a webhook never calls the vendor, so no sandbox runs."""
    if "vendors.kamana" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.kamana"]
    return {
        name: VendorConnection.objects.create(
            vendor=name, name=f"{name} guard", base_url="http://127.0.0.1:9/", credentials={"webhook_secret": SECRET}
        )
        for name in all_providers()
    }


def signature(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, connection, body: bytes, content_type="application/json", **headers):
    return client.post(connection.webhook_path, data=body, content_type=content_type, **headers)


# -- 1. verification never raises, and a refusal is final ------------------------------------------------------


HEADER_VALUES = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.text(alphabet="0123456789abcdefABCDEF ,", min_size=60, max_size=140),  # hex-like, several values
    st.text(min_size=5000, max_size=20000),
    st.just(""),
)


@FUZZ
@given(value=HEADER_VALUES)
def test_any_signature_header_is_refused_with_401_never_500(client, connections, value):
    body = json.dumps(ACCEPTED).encode()
    response = post(client, connections["intelycare"], body, HTTP_X_SIGNATURE_IC=value)
    assert response.status_code == 401, response.content
    assert WebhookEvent.objects.order_by("-pk").first().state == "rejected"


@given(
    secret=st.text(max_size=40),
    body=st.binary(max_size=200),
    value=st.one_of(st.none(), st.integers(), st.lists(st.text()), HEADER_VALUES),
)
def test_the_signature_check_never_raises_and_accepts_only_the_right_digest(secret, body, value):
    assert hmac_sha256_hex_matches(secret, body, value) is False or value == signature(body, secret)
    if secret:
        assert hmac_sha256_hex_matches(secret, body, f" {signature(body, secret).upper()} ")


def test_a_refused_delivery_is_never_replayed(admin_client, connections):
    body = json.dumps(ACCEPTED).encode()
    post(admin_client, connections["intelycare"], body, HTTP_X_SIGNATURE_IC="é" * 64)
    refused = WebhookEvent.objects.get()
    assert refused.state == "rejected" and not refused.can_replay
    with pytest.raises(inbox.ReplayRefused):
        inbox.replay_event(refused)
    page = admin_client.post(reverse("integrations:replay-webhook", args=[refused.pk]), follow=True)
    assert "only processed or failed events can be replayed" in page.content.decode()
    refused.refresh_from_db()
    assert refused.state == "rejected"


def test_an_internal_error_on_receipt_leaves_no_row_a_replay_applies_unverified(
    admin_client, connections, monkeypatch, django_capture_on_commit_callbacks
):
    """The issue's attack: verification broke (then a TypeError), the row was stored failed, Replay applied it."""

    def broken_check(*args, **kwargs):
        raise RuntimeError("the signature check broke")

    body = json.dumps(ACCEPTED).encode()
    with monkeypatch.context() as patched:
        patched.setattr(inbox, "verified", broken_check)
        assert post(admin_client, connections["intelycare"], body, HTTP_X_SIGNATURE_IC="forged").status_code == 500
    stored = WebhookEvent.objects.get()
    assert (stored.state, stored.dedupe_key) == ("failed", "")
    with django_capture_on_commit_callbacks() as queued:
        page = admin_client.post(reverse("integrations:replay-webhook", args=[stored.pk]), follow=True)
    assert "its signature does not match" in page.content.decode()
    assert queued == [] and WebhookEvent.objects.get().state == "failed"


def test_replay_re_verifies_and_queues_a_signed_event(admin_client, connections, django_capture_on_commit_callbacks):
    body = json.dumps(ACCEPTED).encode()
    stored = WebhookEvent.objects.create(
        connection=connections["intelycare"],
        vendor="intelycare",
        state="failed",
        body=body.decode(),
        headers={"X-Signature-Ic": signature(body)},  # stored as Django names it: the check is case-blind
    )
    with django_capture_on_commit_callbacks() as queued:
        page = admin_client.post(reverse("integrations:replay-webhook", args=[stored.pk]), follow=True)
    assert f"Webhook #{stored.pk} queued again." in page.content.decode()
    assert len(queued) == 1 and WebhookEvent.objects.get().state == "queued"


def test_the_admin_replay_action_re_verifies_too(admin_client, connections):
    forged = WebhookEvent.objects.create(
        connection=connections["intelycare"], vendor="intelycare", state="failed", body=json.dumps(ACCEPTED)
    )
    page = admin_client.post(
        reverse("admin:integrations_webhookevent_changelist"),
        {"action": "replay", "_selected_action": [forged.pk]},
        follow=True,
    )
    assert "its signature does not match" in page.content.decode()
    forged.refresh_from_db()
    assert forged.state == "failed"


# -- 2. unknown vendor or token: 404 and a bounded record ---------------------------------------------------------


def test_three_2mb_posts_to_a_made_up_token_store_no_body(client, connections):
    payload = b"x" * TWO_MB
    for _ in range(3):
        response = client.post("/webhooks/intelycare/made-up-token/", data=payload, content_type="application/json")
        assert response.status_code == 404
        assert response.json() == {"error": "Unknown webhook URL (vendor or token); nothing stored."}
    assert not WebhookEvent.objects.exists()
    records = list(RefusedDelivery.objects.values("reason", "vendor", "remote_addr", "size", "head_sha256"))
    head = hashlib.sha256(payload[:HEAD_BYTES]).hexdigest()
    assert (
        records
        == [
            {
                "reason": "unknown_url",
                "vendor": "intelycare",
                "remote_addr": "127.0.0.1",
                "size": TWO_MB,
                "head_sha256": head,
            }
        ]
        * 3
    )


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/kamana/abc%00def/",
        "/webhooks/intelycare/" + "a" * 5000 + "/",
        "/webhooks/intelycare/%C3%A9%F0%9F%98%80/",
        "/webhooks/intelycare/%ED%A0%80/",
    ],
)
def test_a_token_that_could_never_match_is_404(client, connections, path):
    assert client.post(path, data=b"{}", content_type="application/json").status_code == 404
    assert RefusedDelivery.objects.count() == 1


def test_an_unknown_vendor_is_404_too(client, connections):
    response = client.post("/webhooks/nosuchvendor/whatever/", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert RefusedDelivery.objects.get().vendor == "nosuchvendor"


def test_refusal_records_are_rate_limited_per_source_address(client, connections, settings):
    settings.WEBHOOK_REFUSALS_PER_SOURCE_PER_MINUTE = 3
    with time_machine.travel("2026-03-02 10:00:05Z", tick=False) as clock:
        for _ in range(5):
            assert client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain").status_code == 404
        assert RefusedDelivery.objects.count() == 3, "past the rate nothing is written"
        client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain", REMOTE_ADDR="10.0.0.9")
        assert RefusedDelivery.objects.filter(remote_addr="10.0.0.9").count() == 1, "another source has its own"
        clock.shift(60)
        client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain")
    assert RefusedDelivery.objects.filter(remote_addr="127.0.0.1").count() == 4, "a new minute, a new allowance"


def test_all_sources_together_are_bounded(client, connections, settings):
    settings.WEBHOOK_REFUSALS_PER_MINUTE = 4
    with time_machine.travel("2026-03-02 10:00:05Z", tick=False):
        for n in range(8):
            client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain", REMOTE_ADDR=f"10.0.1.{n}")
    assert RefusedDelivery.objects.count() == 4


def test_refusal_records_are_kept_for_a_week_only(client, connections):
    with time_machine.travel("2026-03-02 10:00:05Z", tick=False) as clock:
        client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain")
        clock.shift(dt.timedelta(days=6, hours=23))
        client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain")
        assert RefusedDelivery.objects.count() == 2
        clock.shift(dt.timedelta(hours=2))
        client.post("/webhooks/kamana/nope/", data=b"{}", content_type="text/plain")
    assert RefusedDelivery.objects.count() == 2, "the first is past seven days and pruned"


def test_admins_see_refused_counts_on_the_overview_and_inbox(admin_client, connections, django_assert_max_num_queries):
    client_posts = [("/webhooks/intelycare/made-up/", 10), ("/webhooks/intelycare/made-up-too/", 10)]
    for path, size in client_posts:
        admin_client.post(path, data=b"y" * size, content_type="application/json")
    too_large = get_provider("intelycare").max_webhook_bytes + 1
    post(admin_client, connections["intelycare"], b"z" * too_large)
    for name in ("integrations:overview", "integrations:webhooks"):
        page = admin_client.get(reverse(name)).content.decode()
        assert "body too large 1, unknown webhook url 2" in page, name
    with django_assert_max_num_queries(8):
        admin_client.get(reverse("integrations:webhooks"))
    records = admin_client.get(reverse("admin:integrations_refuseddelivery_changelist")).content.decode()
    assert "3 refused deliveries" in records


# -- 3. body limits and shapes ---------------------------------------------------------------------------------


def test_a_body_over_the_vendors_limit_is_413_and_only_recorded(client, connections):
    limit = get_provider("intelycare").max_webhook_bytes
    assert 100 * 1024 <= limit <= 1024 * 1024, "a documented default of a few hundred KB"
    response = post(client, connections["intelycare"], b"{" + b" " * limit + b"}")
    assert response.status_code == 413
    assert "limit" in response.json()["error"]
    assert not WebhookEvent.objects.exists()
    record = RefusedDelivery.objects.get()
    assert (record.reason, record.connection, record.size) == ("too_large", connections["intelycare"], limit + 2)


def test_a_body_at_the_limit_is_read_and_judged(client, connections):
    limit = get_provider("kamana").max_webhook_bytes
    response = post(client, connections["kamana"], b"[" + b" " * (limit - 2) + b"]")
    assert response.status_code == 400 and WebhookEvent.objects.get().state == "malformed"


def test_an_oversized_body_is_never_read_past_its_first_bytes(connections):
    """Read through a stream that counts: a declared 50 MB costs the receiver HEAD_BYTES, not 50 MB."""

    class CountingStream(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            data = super().read(size)
            CountingStream.read_bytes += len(data)
            return data

    stream = CountingStream(b"a" * (50 * 1024 * 1024))
    connection = connections["kamana"]
    wsgi = {"wsgi.input": stream, "CONTENT_LENGTH": str(50 * 1024 * 1024)}
    request = RequestFactory().post(connection.webhook_path, data=b"", content_type="application/json", **wsgi)
    response = receive(request, vendor="kamana", token=connection.webhook_token)
    assert response.status_code == 413
    assert CountingStream.read_bytes <= HEAD_BYTES


def test_content_type_is_checked_where_the_vendor_documents_one(client, connections):
    body = json.dumps(ACCEPTED).encode()
    response = post(client, connections["intelycare"], body, "text/plain", HTTP_X_SIGNATURE_IC=signature(body))
    assert response.status_code == 415
    stored = WebhookEvent.objects.get()
    assert stored.state == "malformed" and "text/plain" in stored.error
    charset = "application/json; charset=utf-8"
    assert (
        post(client, connections["intelycare"], body, charset, HTTP_X_SIGNATURE_IC=signature(body)).status_code == 202
    )
    kamana = fixture("webhook_talent_profile_update")
    assert post(client, connections["kamana"], json.dumps(kamana).encode(), "text/plain").status_code == 202


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_400_malformed(client, connections, depth):
    body = b"[" * depth + b"]" * depth
    response = post(client, connections["intelycare"], body, HTTP_X_SIGNATURE_IC=signature(body))
    assert response.status_code == 400
    stored = WebhookEvent.objects.get()
    assert stored.state == "malformed" and "nested" in stored.error


def test_nesting_up_to_the_bound_is_parsed(client, connections):
    body = json.dumps({**ACCEPTED, "extra": json.loads("[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1))})
    response = post(client, connections["intelycare"], body.encode(), HTTP_X_SIGNATURE_IC=signature(body.encode()))
    assert response.status_code == 202


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
BODIES = st.one_of(
    st.binary(max_size=400),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.builds(
        lambda base, extra: json.dumps({**ACCEPTED, **extra}).encode(),
        st.just(None),
        st.dictionaries(st.sampled_from(sorted(ACCEPTED)), JSON_VALUES, max_size=3),
    ),
    st.sampled_from([b"", b"\x00", b'{"a": "\\u0000"}', b"\xff\xfe{}", b"[" * 3000, b"1" * 5000]),
)
# What an HTTP server can hand a WSGI application: latin-1 text without line breaks.
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=200)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ]
    ),
    HEADER_TEXT,
)


@FUZZ
@given(
    vendor=st.sampled_from(["intelycare", "kamana", "alaunus", "ceki", "careerbuilder"]),
    body=BODIES,
    content_type=CONTENT_TYPES,
    sign=st.booleans(),
    extra_headers=st.dictionaries(
        st.sampled_from(["HTTP_X_SIGNATURE_IC", "HTTP_X_FORWARDED_FOR", "HTTP_USER_AGENT", "HTTP_X_REQUEST_ID"]),
        HEADER_TEXT,
        max_size=3,
    ),
    token=st.one_of(st.none(), st.text(max_size=80), st.sampled_from(["\x00", "a\x00b", "t" * 65, "é😀"])),
)
def test_no_input_to_any_webhook_url_answers_5xx(
    client, connections, vendor, body, content_type, sign, extra_headers, token
):
    connection = connections[vendor]
    headers = dict(extra_headers)
    if sign:
        headers["HTTP_X_SIGNATURE_IC"] = signature(body)
    # token None: the connection's own
    path = connection.webhook_path if token is None else f"/webhooks/{vendor}/{quote(token, safe='')}/"
    response = client.post(path, data=body, content_type=content_type, **headers)
    assert response.status_code < 500, (response.status_code, response.content)
