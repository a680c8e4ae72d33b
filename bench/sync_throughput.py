"""Sync throughput: records/s of a sync from the sandbox into PostgreSQL, against only fetching and parsing the
same pages in the same run; peak RSS at 5,000 and 50,000 records; rows written by a second, unchanged sync.

    ./.venv/bin/python -m bench.sync_throughput [--sizes 5000 50000]

Kamana job requisitions from the Kamana sandbox (issue 5): JSON:API cursor pages of 500 with `include`d facilities
and provinces, into `jobs.JobRequisition`, through the same client, pagination, diff and audit code as every
vendor. Kamana's page reader stores the included facilities first, so its fetch-only baseline also makes a few
queries per page. Each measurement runs in its own process so peak RSS is that measurement's own. Targets (issue 4):
sync >= 50 % of fetch-only speed; RSS grows < 50 MB from 5,000 to 50,000; second sync writes 0 rows. The write
counter sees every statement through Django's cursor, the JSON-document INSERTs of `portal.integrations.sync` and
`portal.core.audit` included.

Where a first sync's time goes, per record, on this 2-core machine (cProfile and timed SQL, 20,000 records, quiet
machine): fetching and parsing ~110 us (schema parse ~70 of it), as in the fetch-only pass; then ~145 us of
writes: PostgreSQL inserting the rows ~35 us (10 indexes) and their audit entries ~15 us, the deferred
foreign-key checks at each page's commit ~12 us, the page lookup ~5 us; in Python encoding the page's rows ~20 us
(mostly `vendor_data`), audit pairs and their JSON ~10 us, fingerprints ~8 us, mapping and row building the
rest. Before issue 4's work, `bulk_create` of rows and audit entries cost ~400 us a record, mostly psycopg quoting
each column's array of values element by element, a page's audit lists fed the garbage collector's full passes,
and each page's lookup scanned the whole connection once the table outgrew its statistics: first sync 1,660-1,930
rec/s = 16-20 % of fetch-only, second sync at 50,000 54-61 %. Then (two runs, quiet machine) first sync
3,800-4,100 rec/s = 44-47 %, second sync 76-81 % with 0 record writes, peak RSS growth +0.1 MB.

November 2026, on a slower machine of the same kind: the Kamana reader now fetches and reads the next page in a
thread of its own while this one is written (`vendors.base.pagination.prefetched`). Both passes got faster
(fetch-only 6,200-6,500 -> 7,000-7,350 rec/s, first sync 2,750-3,000 -> 3,050-3,300) but the ratio stayed at
43-47 %: the reading thread and the writing one share one GIL, so what overlaps is only the waits (the sandbox's
answer, PostgreSQL's work), and each statement's return then waits for the GIL. Per record the client spends
~230 us of CPU and PostgreSQL ~110 us (inserting the row ~45, its audit entry ~30, lookups and the deferred
foreign-key checks the rest). The audit entry is the difference: the same sync with create entries switched off
ran at 52 %; building them in SQL from the inserted rows moved ~30 us from Python to PostgreSQL and gained
nothing. Issue 3 asks for every change a sync makes, old -> new, in the audit history, so they stay.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench.common import ROOT, bench_env, current_rss_mb, peak_rss_mb, setup_django

PROVIDERS = ["vendors.kamana"]
RESOURCE = "job_requisitions"


def serve(port: int, count: int) -> None:
    from vendors.base.sandbox import SandboxServer
    from vendors.kamana.sandbox import KamanaSandbox

    SandboxServer([KamanaSandbox(seed=count, people=0, page_size=500)], port=port).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def child(mode: str, port: int, count: int) -> None:
    setup_django(migrate=False)
    from django.conf import settings
    from django.db import connection as db

    settings.VENDOR_PROVIDERS = PROVIDERS
    from portal.integrations.models import VendorConnection
    from portal.integrations.sync import run_sync
    from vendors.kamana.sandbox import SANDBOX_TOKEN
    from vendors.registry import get_provider

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
    started = time.perf_counter()
    if mode == "fetch":
        records = 0
        for page in resource.pages(provider.client(connection), None):
            records += len([resource.map(raw) for raw in page])
        result.update(records=records, seconds=time.perf_counter() - started)
    else:
        run = run_sync(connection, RESOURCE, full=True)
        result.update(
            records=run.created + run.updated + run.unchanged,
            seconds=time.perf_counter() - started,
            state=run.state,
            error=run.error,
        )
        writes: list[str] = []

        def count_writes(execute, sql, params, many, context):
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and (
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


def empty_tables() -> None:
    """Each size starts from an empty database: a first sync means all records are new."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE integrations_vendorconnection, jobs_province, jobs_profession, jobs_specialty, "
            "jobs_client, core_auditentry RESTART IDENTITY CASCADE"
        )


def run_child(mode: str, port: int, count: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.sync_throughput", "--child", mode, "--port", str(port), "--count", str(count)],
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
    parser.add_argument("--child", choices=["fetch", "sync", "serve"])
    parser.add_argument("--port", type=int, default=8932)
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    if args.child == "serve":
        return serve(args.port, args.count)
    if args.child:
        return child(args.child, args.port, args.count)

    setup_django(fresh=True)
    print("Kamana job requisitions from the sandbox, cursor pages of 500, PostgreSQL; one process per measurement")
    rows = []
    for offset, size in enumerate(args.sizes):
        empty_tables()
        port = args.port + offset
        sandbox = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.sync_throughput",
                "--child",
                "serve",
                "--port",
                str(port),
                "--count",
                str(size),
            ],
            cwd=ROOT,
            env=bench_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            sandbox.stdout.readline()
            fetch = run_child("fetch", port, size)
            sync = run_child("sync", port, size)
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
        fetch_rate = fetch["records"] / fetch["seconds"]
        sync_rate = sync["records"] / sync["seconds"]
        unchanged_rate = sync["second_unchanged"] / sync["second_seconds"]
        rows.append(sync)
        print(
            f"{size:>6} records: fetch+parse {fetch_rate:7.0f} rec/s | first sync (all new) {sync_rate:7.0f} rec/s "
            f"= {sync_rate / fetch_rate:.0%} of fetch-only (target >= 50 %) | second sync (unchanged) "
            f"{unchanged_rate:7.0f} rec/s = {unchanged_rate / fetch_rate:.0%}, "
            f"{sync['second_record_writes']} record writes | peak RSS sync {sync['peak_rss_mb']:.0f} MB "
            f"(start {sync['rss_before_mb']:.0f} MB, end {sync['rss_after_mb']:.0f} MB), "
            f"fetch-only {fetch['peak_rss_mb']:.0f} MB"
        )
    if len(rows) >= 2:
        print(
            f"peak RSS growth {rows[0]['count']} -> {rows[-1]['count']}: "
            f"{rows[-1]['peak_rss_mb'] - rows[0]['peak_rss_mb']:+.1f} MB (target < 50 MB)"
        )


if __name__ == "__main__":
    main()
