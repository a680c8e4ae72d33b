"""The sandbox server: every registered vendor's fake under `/<vendor>/`, from one threaded process.

A vendor package subclasses `SandboxVendor`, declares routes and keeps its state in memory. The framework adds:
- fault injection per request (header `X-Sandbox-Fault: 429|500|503|slow|drop`) or per run
  (`POST /_sandbox/faults {"fault": "503", "count": 2, "vendor": "intelycare"}`, `DELETE /_sandbox/faults`);
- webhook delivery to the portal from a background thread, redelivered with backoff until a 2xx
  (`POST /_sandbox/webhooks {"vendor": ..., "url": ..., "secret": ...}` says where);
- `POST /_sandbox/tick` advances every vendor's simulated world once (the ticker does it on a timer too).
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx

if TYPE_CHECKING:
    from vendors.base.sandbox_cast import CastMember

__all__ = ["Delivery", "Request", "Response", "SandboxServer", "SandboxVendor", "route"]

logger = logging.getLogger("vendors.sandbox")

FAULTS = {"429", "500", "502", "503", "504", "slow", "drop"}


@dataclass
class Request:
    method: str
    path: str  # below the vendor prefix, e.g. "/v1/shifts/12"
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Delivery:
    """One webhook the sandbox owes the portal; kept with its attempts for inspection."""

    vendor: str
    body: bytes
    attempts: int = 0
    delivered: bool = False
    last_status: int | str | None = None


def route(method: str, pattern: str) -> Callable:
    """Mark a `SandboxVendor` method as the handler of `method` + `pattern` (a regex with named groups)."""

    def mark(func: Callable) -> Callable:
        func.sandbox_route = (method.upper(), re.compile(f"^{pattern}$"))
        return func

    return mark


class SandboxVendor:
    """Base of each vendor's fake. Subclasses set `name`, write `@route` methods, and may override `tick`."""

    name: str = ""

    def __init__(self, *, seed: int = 20) -> None:
        self.lock = threading.RLock()
        self.server: SandboxServer | None = None
        self.seed(seed)

    def seed(self, count: int) -> None:
        """Fill the in-memory state with `count` realistic records."""

    def tick(self) -> None:
        """Advance the simulated world once (shifts get filled, records change)."""

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """Add the demo's people this vendor knows (`sandbox_cast`), beside what `seed` made."""

    def authenticate(self, request: Request) -> Response | None:
        """Return an error response for a request without valid credentials, else None."""
        return None

    def webhook_headers(self, body: bytes, secret: str) -> dict[str, str]:
        """Headers a delivery carries, e.g. the vendor's signature of `body` with the portal's secret."""
        return {}

    def emit(self, payload: Any) -> None:
        """Queue a webhook to the portal; it is signed when sent, with the secret the target was given."""
        if self.server is not None:
            self.server.deliver(Delivery(self.name, json.dumps(payload, separators=(",", ":")).encode()))

    def routes(self):
        for attr in dir(type(self)):
            spec = getattr(getattr(type(self), attr), "sandbox_route", None)
            if spec:
                yield spec[0], spec[1], getattr(self, attr)


class SandboxServer:
    """Threaded HTTP server hosting the vendors; `start()` in a thread (tests) or `serve_forever()` (command)."""

    def __init__(
        self,
        vendors: list[SandboxVendor],
        *,
        host: str = "127.0.0.1",
        port: int = 8100,
        slow_seconds: float = 2.0,
        retry_after: int = 1,
        tick_seconds: float = 0.0,
    ) -> None:
        self.vendors = {vendor.name: vendor for vendor in vendors}
        for vendor in vendors:
            vendor.server = self
        self.host, self.port = host, port
        self.slow_seconds, self.retry_after, self.tick_seconds = slow_seconds, retry_after, tick_seconds
        self.faults: list[dict] = []  # run-wide faults, first match wins
        self.targets: dict[str, dict[str, str]] = {}  # vendor -> {"url", "secret"}
        self.deliveries: list[Delivery] = []
        self.requests: list[tuple[str, str, str, int]] = []  # (vendor, method, path, status) for tests
        self._outbox: queue.Queue[Delivery | None] = queue.Queue()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def vendor_url(self, vendor: str) -> str:
        return f"{self.url}/{vendor}"

    # -- faults ----------------------------------------------------------------------------------------
    def add_fault(self, fault: str, *, count: int | None = None, vendor: str = "", path: str = "") -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {sorted(FAULTS)}")
        with self._lock:
            self.faults.append({"fault": fault, "count": count, "vendor": vendor, "path": path})

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _run_fault(self, vendor: str, path: str) -> str | None:
        with self._lock:
            for spec in self.faults:
                if (spec["vendor"] in ("", vendor)) and spec["path"] in path:
                    if spec["count"] is not None:
                        spec["count"] -= 1
                        if spec["count"] <= 0:
                            self.faults.remove(spec)
                    return spec["fault"]
        return None

    # -- webhooks --------------------------------------------------------------------------------------
    def set_target(self, vendor: str, url: str, secret: str = "") -> None:
        self.targets[vendor] = {"url": url, "secret": secret}

    def deliver(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)
        self._outbox.put(delivery)

    def _deliver_loop(self) -> None:
        """Redelivery on failure: exponential backoff (0.25s doubling, capped at 10s), up to 12 attempts."""
        with httpx.Client(timeout=10.0) as http:
            while not self._stopping.is_set():
                try:
                    delivery = self._outbox.get(timeout=0.2)
                except queue.Empty:
                    continue
                if delivery is None:
                    return
                target = self.targets.get(delivery.vendor)
                if target is None:
                    delivery.last_status = "no target configured"
                    continue
                delivery.attempts += 1
                headers = {
                    "Content-Type": "application/json",
                    **self.vendors[delivery.vendor].webhook_headers(delivery.body, target["secret"]),
                }
                try:
                    status = http.post(target["url"], content=delivery.body, headers=headers).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                delivery.last_status = status
                if (isinstance(status, int) and 200 <= status < 300) or status in (400, 401, 404, 413, 415):
                    delivery.delivered = isinstance(status, int) and status < 300
                    continue
                if delivery.attempts < 12:
                    wait = min(10.0, 0.25 * 2 ** (delivery.attempts - 1))
                    threading.Timer(wait, self._outbox.put, (delivery,)).start()

    # -- HTTP ------------------------------------------------------------------------------------------
    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        segments = split.path.split("/", 2)
        prefix = segments[1] if len(segments) > 1 else ""
        rest = "/" + (segments[2] if len(segments) > 2 else "")
        if prefix == "_sandbox":
            return self._send(handler, self._admin(handler.command, rest, body))
        vendor = self.vendors.get(prefix)
        if vendor is None:
            return self._send(handler, Response(404, {"message": f"no sandbox vendor {prefix!r}"}))
        fault = headers.get("x-sandbox-fault") or self._run_fault(prefix, rest)
        if fault == "drop":
            handler.close_connection = True
            return None  # no status line at all: the client sees the connection close
        if fault in {"429", "500", "502", "503", "504"}:
            extra = {"Retry-After": str(self.retry_after)} if fault == "429" else {}
            message = "Too Many Requests" if fault == "429" else "Service Unavailable"
            response = Response(int(fault), {"message": message}, extra)
        else:
            request = Request(handler.command, rest, parse_qs(split.query), headers, body)
            response = vendor.authenticate(request) or self._dispatch(vendor, request)
            if fault == "slow":
                # The vendor has acted; only its answer is late (the case that tempts a client to resend).
                time.sleep(self.slow_seconds)
        with self._lock:
            self.requests.append((prefix, handler.command, rest, response.status))
        return self._send(handler, response)

    def _dispatch(self, vendor: SandboxVendor, request: Request) -> Response:
        for method, pattern, func in vendor.routes():
            match = pattern.match(request.path)
            if match and method == request.method:
                try:
                    with vendor.lock:
                        return func(request, **match.groupdict())
                except (ValueError, KeyError, TypeError) as exc:
                    return Response(400, {"errors": {"__all__": [f"Bad request: {exc}"]}})
        return Response(404, {"message": "Not Found"})

    def _admin(self, method: str, path: str, body: bytes) -> Response:
        data = json.loads(body or b"{}")
        if path == "/faults" and method == "POST":
            self.add_fault(
                str(data["fault"]), count=data.get("count"), vendor=data.get("vendor", ""), path=data.get("path", "")
            )
            return Response(201, {"faults": self.faults})
        if path == "/faults" and method == "DELETE":
            self.clear_faults()
            return Response(204)
        if path == "/webhooks" and method == "POST":
            self.set_target(data["vendor"], data["url"], data.get("secret", ""))
            return Response(201, {"vendor": data["vendor"], "url": data["url"]})
        if path == "/tick" and method == "POST":
            self.tick()
            return Response(200, {"ticked": sorted(self.vendors)})
        if path == "/deliveries" and method == "GET":
            return Response(
                200,
                [
                    {"vendor": d.vendor, "attempts": d.attempts, "delivered": d.delivered, "last_status": d.last_status}
                    for d in self.deliveries
                ],
            )
        return Response(404, {"message": "unknown sandbox admin endpoint"})

    def tick(self) -> None:
        for vendor in self.vendors.values():
            with vendor.lock:
                vendor.tick()

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, response: Response) -> None:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        handler.send_response(response.status)
        for name, value in response.headers.items():
            handler.send_header(name, value)
        if payload:
            handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_request(self) -> None:
                server.handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_request

            def log_message(self, format: str, *args: Any) -> None:
                logger.debug("sandbox: " + format, *args)

        return Handler

    def start(self) -> SandboxServer:
        """Serve from background threads (tests, `manage.py sandbox`); returns once listening."""
        self._stopping.clear()
        ThreadingHTTPServer.allow_reuse_address = True
        self._httpd = ThreadingHTTPServer((self.host, self.port), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        targets = [self._httpd.serve_forever, self._deliver_loop]
        if self.tick_seconds > 0:
            targets.append(self._tick_loop)
        self._threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for thread in self._threads:
            thread.start()
        return self

    def _tick_loop(self) -> None:
        while not self._stopping.wait(self.tick_seconds):
            self.tick()

    def stop(self) -> None:
        """Stop listening (the vendor is "down"); state is kept so `start()` brings the same vendor back."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        for thread in self._threads:
            thread.join(timeout=5)
