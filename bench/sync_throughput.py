"""Sync throughput: records/s of a first sync from the sandbox into PostgreSQL against only fetching and parsing
the same pages, in alternating rounds; peak RSS at 5,000 and 50,000 records; rows written by an unchanged sync.

    ./.venv/bin/python -m bench.sync_throughput [--sizes 5000 50000] [--rounds 3]

Kamana job requisitions from the Kamana sandbox, through the same client, pagination, diff and audit code as every
vendor; each measurement in its own process (peak RSS is its own). Targets: first sync >= 50 % of fetch-only, the
median of the rounds' ratios (issues 4, 16); RSS grows < 50 MB from 5,000 to 50,000; an unchanged sync writes 0
rows. Design and figures: bench/README.md, "sync_throughput".
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

from bench.common import (
    ROOT,
    bench_env,
    cpu_seconds,
    cpu_spent,
    current_rss_mb,
    database_pids,
    peak_rss_mb,
    setup_django,
    spread,
)

PROVIDERS = ["vendors.kamana"]
RESOURCE = "job_requisitions"


def serve(port: int, count: int) -> None:
    from vendors.base.sandbox import SandboxServer
    from vendors.kamana.sandbox import KamanaSandbox

    SandboxServer([KamanaSandbox(seed=count, people=0, page_size=500)], port=port).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def child(mode: str, port: int, count: int, sandbox_pid: int) -> None:
    setup_django(migrate=False)
    from django.conf import settings
    from django.db import connection as db

    settings.VENDOR_PROVIDERS = PROVIDERS
    from portal.integrations.models import VendorConnection
    from portal.integrations.provider import Page
    from portal.integrations.registry import get_provider
    from portal.integrations.sync import run_sync
    from vendors.kamana.sandbox import SANDBOX_TOKEN

    connection, _ = VendorConnection.objects.update_or_create(
        name=f"Kamana {count}",
        defaults={
            "vendor": "kamana",
            "base_url": f"http://127.0.0.1:{port}/kamana",
            "credentials": {"token": SANDBOX_TOKEN},
        },
    )
    provider = get_provider("kamana")
    for reference in ("professions", "specialties"):
        run_sync(connection, reference, full=True)
    resource = provider.resources[RESOURCE]
    connection.full_clean(exclude=["credentials"])  # loads validators etc. before the baseline RSS
    result: dict = {"mode": mode, "count": count, "rss_before_mb": peak_rss_mb()}
    cpu = CpuMeter(sandbox_pid)
    started = time.perf_counter()
    if mode == "fetch":
        records = 0
        for page in map(Page.of, resource.pages(provider.client(connection), connection, None)):
            records += len([resource.map(raw) for raw in page.records])
        result.update(records=records, seconds=time.perf_counter() - started, cpu=cpu.spent())
    else:
        run = run_sync(connection, RESOURCE, full=True)
        result.update(
            records=run.created + run.updated + run.unchanged,
            seconds=time.perf_counter() - started,
            cpu=cpu.spent(),
            state=run.state,
            error=run.error,
        )
        writes: list[str] = []

        def count_writes(execute, sql, params, many, context):
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY")) and (
                "jobs_jobrequisition" in sql or "core_auditentry" in sql
            ):
                writes.append(sql)
            return execute(sql, params, many, context)

        second_started = time.perf_counter()
        with db.execute_wrapper(count_writes):
            second = run_sync(connection, RESOURCE, full=True)
        result.update(
            second_unchanged=second.unchanged,
            second_record_writes=len(writes),
            second_seconds=time.perf_counter() - second_started,
        )
    result.update(peak_rss_mb=peak_rss_mb(), rss_after_mb=current_rss_mb())
    print(json.dumps(result))


class CpuMeter:
    """CPU time spent since it was made by this process (all its threads), the sandbox and the database's backends:
    steadier than elapsed time when other work shares the machine."""

    def __init__(self, sandbox_pid: int) -> None:
        self.sandbox_pid = sandbox_pid
        self.own, self.others = self._now()

    def _now(self) -> tuple[float, dict[int, float]]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime, cpu_seconds([self.sandbox_pid, *database_pids(own=True)])

    def spent(self) -> float:
        own, others = self._now()
        return own - self.own + cpu_spent(self.others, others)


def empty_tables() -> None:
    """Each size starts from an empty database: a first sync means all records are new."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE integrations_vendorconnection, jobs_province, jobs_profession, jobs_specialty, "
            "jobs_client, core_auditentry RESTART IDENTITY CASCADE"
        )


def run_child(mode: str, port: int, count: int, sandbox_pid: int) -> dict:
    command = ["--child", mode, "--port", str(port), "--count", str(count), "--sandbox-pid", str(sandbox_pid)]
    out = subprocess.run(
        [sys.executable, "-m", "bench.sync_throughput", *command],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--rounds", type=int, default=3, help="fetch-only and sync, in turn, from empty tables")
    parser.add_argument("--child", choices=["fetch", "sync", "serve"])
    parser.add_argument("--port", type=int, default=8932)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--sandbox-pid", type=int, default=0)
    args = parser.parse_args()
    if args.child == "serve":
        return serve(args.port, args.count)
    if args.child:
        return child(args.child, args.port, args.count, args.sandbox_pid)

    setup_django(fresh=True)
    print(
        f"Kamana job requisitions from the sandbox, cursor pages of 500, PostgreSQL; one process per measurement, "
        f"{args.rounds} rounds of fetch-only then first sync, each from empty tables"
    )
    rows = [measure_size(args.port + offset, size, args.rounds) for offset, size in enumerate(args.sizes)]
    if len(rows) >= 2:
        print(
            f"peak RSS growth {rows[0]['count']} -> {rows[-1]['count']}: "
            f"{rows[-1]['peak_rss_mb'] - rows[0]['peak_rss_mb']:+.1f} MB (target < 50 MB)"
        )


def measure_size(port: int, size: int, rounds: int) -> dict:
    """Alternate fetch-only and first-sync measurements, so the machine's other load falls on both; print the
    median of the rounds' ratios and their spread. Returns the last sync's figures."""
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "bench.sync_throughput", "--child", "serve", "--port", str(port), "--count", str(size)],
        cwd=ROOT,
        env=bench_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    fetch_rates, sync_rates, unchanged_rates, by_cpu = [], [], [], []
    try:
        sandbox.stdout.readline()
        for _ in range(rounds):
            empty_tables()
            fetch = run_child("fetch", port, size, sandbox.pid)
            sync = run_child("sync", port, size, sandbox.pid)
            by_cpu.append(fetch["cpu"] / sync["cpu"])
            fetch_rates.append(fetch["records"] / fetch["seconds"])
            sync_rates.append(sync["records"] / sync["seconds"])
            unchanged_rates.append(sync["second_unchanged"] / sync["second_seconds"])
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    first = [s / f for s, f in zip(sync_rates, fetch_rates, strict=True)]
    second = [s / f for s, f in zip(unchanged_rates, fetch_rates, strict=True)]
    print(
        f"{size:>6} records: first sync (all new) / fetch+parse, median (spread) of {rounds} rounds {spread(first)}, "
        f"target >= 50 % | fetch+parse "
        f"{statistics.median(fetch_rates):.0f} rec/s, first sync {statistics.median(sync_rates):.0f} rec/s | "
        f"by CPU of all processes (client, sandbox, PostgreSQL) {spread(by_cpu)} | "
        f"second sync (unchanged) {statistics.median(second):.0%}, {sync['second_record_writes']} record writes | "
        f"peak RSS sync {sync['peak_rss_mb']:.0f} MB (start {sync['rss_before_mb']:.0f} MB, end "
        f"{sync['rss_after_mb']:.0f} MB), fetch-only {fetch['peak_rss_mb']:.0f} MB"
    )
    return sync


if __name__ == "__main__":
    main()
