"""The vendor's own words in an error message (issue 14 item 5): odd bodies read, shortened, never raising."""

from __future__ import annotations

import json

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.integrations.errors import MESSAGE_LIMIT, RAW_BODY_LIMIT, AuthError, VendorError, vendor_words
from vendors.base.client import error_for


def answer(status: int, content: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(status, content=content, headers={"Content-Type": content_type})


def test_a_proxys_html_page_is_read_by_its_title():
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1><hr>nginx</body></html>"
    error = error_for(answer(502, page, "text/html"), "Kamana")
    assert error.message == "Kamana is unavailable (HTTP 502): 502 Bad Gateway"
    assert error.raw_body == page.decode()


def test_an_html_page_without_a_title_gives_its_text_without_scripts_or_entities():
    page = "<html><body><h1>Oops</h1><p>Tom &amp; Jerry broke it</p><script>var x = 1;</script></body></html>"
    assert vendor_words(page) == "Oops Tom & Jerry broke it"


def test_an_empty_body_keeps_the_plain_message():
    assert error_for(answer(406, b""), "Kamana").message == "Kamana answered HTTP 406."
    assert error_for(answer(422, b""), "Ceki").message == "Ceki refused the data (HTTP 422)."
    assert error_for(answer(500, b"{}"), "Alaunus").message == "Alaunus is unavailable (HTTP 500)."
    assert error_for(answer(400, b"   "), "Alaunus").message == "Alaunus refused the data (HTTP 400)."


def test_a_huge_body_gives_a_short_message_and_keeps_a_bounded_copy_for_admins():
    detail = "Unsupported API version. " * 40_000  # about a megabyte
    content = json.dumps({"errors": [{"title": "Not Acceptable", "detail": detail}]}).encode()
    error = error_for(answer(406, content), "Kamana")
    assert error.message.startswith("Kamana answered HTTP 406: Not Acceptable: Unsupported API version.")
    assert error.message.endswith("…") and len(error.message) <= len("Kamana answered HTTP 406: ") + MESSAGE_LIMIT
    assert len(error.raw_body) < RAW_BODY_LIMIT + 100
    assert error.raw_body.endswith(f"[... cut: the answer was {len(content):,} bytes]")


def test_a_body_that_is_not_utf8_is_read_with_replacement_characters():
    error = error_for(answer(503, b"Service \xff\xfe down\x00 for maintenance", "text/plain"), "Ceki")
    assert error.message == "Ceki is unavailable (HTTP 503): Service \ufffd\ufffd down for maintenance"
    assert "\ufffd" in error.raw_body


def test_a_secret_the_vendor_echoes_is_redacted_from_the_message_and_the_kept_answer():
    content = b'{"message": "Invalid API key sk-live-123456 for client 1234"}'
    error = error_for(answer(401, content), "IntelyCare", secrets=("sk-live-123456",))
    assert error.message.endswith(": Invalid API key [redacted] for client 1234")
    assert "sk-live-123456" not in error.raw_body and "[redacted]" in error.raw_body


def test_json_shapes_of_every_vendor():
    assert vendor_words({"errors": [{"status": "404", "title": "Not Found", "detail": "No talent."}]}) == (
        "Not Found: No talent."
    )
    pointer = {"errors": [{"title": "Invalid value", "detail": "is not allowed", "source": {"pointer": "/d/a/kind"}}]}
    assert vendor_words(pointer) == "kind: is not allowed"
    assert vendor_words({"message": "Shift not found"}) == "Shift not found"  # IntelyCare
    assert vendor_words({"errors": {"checkIn": "checkIn is required"}}) == "checkIn: checkIn is required"
    laravel = {
        "message": "The otp is invalid. (and 1 more error)",
        "errors": {"otp": ["The otp is invalid."], "e": ["x"]},
    }
    assert vendor_words(laravel) == "otp: The otp is invalid.; e: x"  # Ceki: the summary repeats a field's message
    assert vendor_words({"error": {"code": "not_found", "message": "No patients record 9."}}) == "No patients record 9."
    assert vendor_words({"error": "invalid_client"}) == "invalid_client"  # OAuth token services
    assert vendor_words({"errors": {"__all__": ["Unauthorized."]}}) == "Unauthorized."  # CareerBuilder
    assert vendor_words({"unexpected": {"shape": 1}}) == '{"unexpected": {"shape": 1}}'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)


@settings(deadline=None)  # a shared 2-core machine: time per example is not what is tested
@given(json_values)
def test_any_json_body_gives_one_short_line(body):
    words = vendor_words(body)
    assert len(words) <= MESSAGE_LIMIT
    assert "\n" not in words and "\x00" not in words


@settings(deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([400, 401, 404, 406, 409, 422, 429, 500, 503]))
def test_any_bytes_make_an_error_of_the_taxonomy(content, status):
    error = error_for(answer(status, content, "application/octet-stream"), "IntelyCare")
    assert isinstance(error, VendorError) and error.status == status
    assert error.message.startswith("IntelyCare ")
    assert isinstance(error, AuthError) == (status == 401)
