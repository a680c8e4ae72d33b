"""The sandbox server's own promises: faults per request and per run, and webhook redelivery until the portal
answers 2xx."""

from __future__ import annotations

import http.server
import threading

import httpx
import pytest

from tests.support.processes import free_port, wait_until

pytestmark = pytest.mark.django_db

HEADERS = {"X-API-KEY": "sandbox-key", "X-CLIENT-ID": "1234"}


def test_fault_by_header_and_by_run(sandbox):
    url = f"{sandbox.vendor_url('intelycare')}/v1/shifts/1"
    assert httpx.delete(url, headers={**HEADERS, "X-Sandbox-Fault": "503"}).status_code == 503
    response = httpx.delete(url, headers={**HEADERS, "X-Sandbox-Fault": "429"})
    assert (response.status_code, response.headers["Retry-After"]) == (429, "1")
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.delete(url, headers={**HEADERS, "X-Sandbox-Fault": "drop"})

    httpx.post(f"{sandbox.url}/_sandbox/faults", json={"fault": "500", "count": 2}).raise_for_status()
    assert [httpx.delete(url, headers=HEADERS).status_code for _ in range(3)] == [500, 500, 404]
    assert httpx.delete(url, headers={"X-API-KEY": "nope", "X-CLIENT-ID": "1234"}).status_code == 401


def test_webhooks_are_redelivered_until_the_portal_answers(sandbox):
    answers = iter([503, 500, 200])
    received = []

    class Portal(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.headers["X-Signature-IC"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(next(answers))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    portal = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    try:
        httpx.post(
            f"{sandbox.url}/_sandbox/webhooks",
            json={"vendor": "intelycare", "url": f"http://127.0.0.1:{portal.server_port}/hook", "secret": "s"},
        )
        body = {
            "externalShiftId": "1",
            "shiftDate": "2026-03-02",
            "shiftStartTime": "2026-03-02T12:00:00Z",
            "shiftEndTime": "2026-03-02T20:00:00Z",
            "shiftUnit": "ICU",
            "healthcareProfessionalType": "RN",
            "shiftSource": "tests",
        }
        assert httpx.post(f"{sandbox.vendor_url('intelycare')}/v1/shifts", json=body, headers=HEADERS).is_success
        httpx.post(f"{sandbox.url}/_sandbox/tick").raise_for_status()
        wait_until(lambda: sandbox.deliveries and sandbox.deliveries[0].delivered, message="a delivered webhook")
    finally:
        portal.shutdown()
    assert len(received) == 3 and len({body for _, body in received}) == 1, "the same body, three attempts"
    assert sandbox.deliveries[0].attempts == 3
