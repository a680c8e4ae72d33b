"""Webhook ingest under gunicorn on PostgreSQL + Redis, against a bare Django view on the same server.

    ./.venv/bin/python -m bench.webhook_ingest [--requests 3000] [--concurrency 16]

Each webhook is a distinct, correctly signed IntelyCare event, so every request does the real work: store the
raw body, verify the HMAC, dedupe, queue a Celery message on Redis. Target (issue 4): >= 60 % of the bare
view's requests/s.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time

from bench.common import ROOT, bench_env, setup_django

SECRET = "bench-webhook-secret"


def bodies(count: int) -> list[tuple[bytes, dict[str, str]]]:
    out = []
    for n in range(count):
        body = json.dumps(
            {
                "clientId": 1234,
                "externalShiftId": f"bench-{n}",
                "shiftStatus": "Released",
                "statusTimestamp": f"2024-01-17T15:{n // 60 % 60:02d}:{n % 60:02d}",
            }
        ).encode()
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        out.append((body, {"Content-Type": "application/json", "X-Signature-IC": signature}))
    return out


def load(port: int, path: str, requests: list[tuple[bytes, dict]], concurrency: int) -> tuple[float, list[float], dict]:
    """Send every request once from `concurrency` threads with keep-alive; returns (seconds, latencies, codes)."""
    latencies: list[float] = []
    codes: dict[int, int] = {}
    lock = threading.Lock()
    cursor = iter(requests)

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, my_codes = [], {}
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            body, headers = item
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            my_codes[response.status] = my_codes.get(response.status, 0) + 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)
            for code, n in my_codes.items():
                codes[code] = codes.get(code, 0) + n

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, codes


def describe(name: str, seconds: float, latencies: list[float], codes: dict) -> float:
    rate = len(latencies) / seconds
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{name:<22} {rate:8.0f} req/s   p50 {cuts[49] * 1000:6.1f} ms   p99 {cuts[98] * 1000:6.1f} ms   {codes}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()

    setup_django(fresh=True)
    from portal.celery import app
    from portal.integrations.models import VendorConnection, WebhookEvent

    connection = VendorConnection.objects.create(
        vendor="intelycare",
        name="IntelyCare bench",
        base_url="http://127.0.0.1:1/intelycare",
        credentials={"api_key": "k", "client_id": "1234", "webhook_secret": SECRET},
    )
    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=bench_env(),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        webhook_requests = bodies(args.requests + 300)
        bare_requests = [(body, {"Content-Type": "application/json"}) for body, _ in webhook_requests]
        # Warm both paths (imports, connections) before measuring.
        load(args.port, "/bench/bare/", bare_requests[:300], args.concurrency)
        load(args.port, connection.webhook_path, webhook_requests[:300], args.concurrency)
        print(
            f"gunicorn gthread {args.workers}x{args.threads}, {args.requests} requests, "
            f"{args.concurrency} concurrent clients, PostgreSQL + Redis broker"
        )
        bare = describe("bare Django view", *load(args.port, "/bench/bare/", bare_requests[300:], args.concurrency))
        webhook = describe(
            "webhook receiver", *load(args.port, connection.webhook_path, webhook_requests[300:], args.concurrency)
        )
        stored = WebhookEvent.objects.filter(state="queued").count()
        print(f"webhook / bare throughput: {webhook / bare:.0%} (target >= 60 %); {stored} events stored and queued")
    finally:
        server.terminate()
        server.wait(timeout=15)
        with app.connection_for_write() as conn:
            app.control.purge(connection=conn)


if __name__ == "__main__":
    main()
