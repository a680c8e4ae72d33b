"""Approvals queue render time with 5,000 pending transactions, against the same page with an empty queue.

    ./.venv/bin/python -m bench.approvals_queue [--pending 5000] [--renders 30]

The page is rendered in-process through the full Django stack (middleware, session, roles, template), so the
time is the server's and nothing of a network or browser. It renders the first page, the next page (keyset
cursor) and one contract's filtered queue. Target (issue 7): the query count does not grow with the queue, and a
render stays close to the empty-queue baseline. The benchmark fails (exit 1) if the query counts differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import re
import statistics
import sys
import time
from decimal import Decimal

from bench.common import setup_django

CONTRACTS = 50
PEOPLE_PER_CONTRACT = 4


def measure(client, url: str, renders: int) -> tuple[list[float], list[float], int, object]:
    """Server time per render and, of it, time spent in SQL; the query count of one more render."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sql_ms = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_ms[0] += (time.perf_counter() - started) * 1000

    client.get(url)  # warm: template loading, connection
    times, sql_times = [], []
    with connection.execute_wrapper(timed):
        for _ in range(renders):
            sql_ms[0] = 0.0
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            sql_times.append(sql_ms[0])
            assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return times, sql_times, len(captured.captured_queries), response


def rows_in(response) -> int:
    return response.content.decode().count('name="ids"')


def next_page(response) -> str:
    """The "Older" link's query, read from the page as a browser would (no test instrumentation in the timing)."""
    found = re.search(r'href="\?([^"]*after=[^"]*)"', response.content.decode())
    return html.unescape(found.group(1)) if found else ""


def summary(label: str, measured: tuple, rows: int) -> str:
    times, sql_times, queries, _ = measured
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"{label:<34} {statistics.median(times):8.1f} {p95:8.1f} {statistics.median(sql_times):8.1f}"
        f" {queries:8d} {rows:6d}"
    )


def seed(pending: int) -> tuple[list[int], int]:
    """Contracts with participants (talent) and `pending` transactions spread over them and over a year, plus
    as many already paid (which the queue must skip)."""
    from portal.billing.models import Transaction
    from portal.contracts.models import Contract, ContractParticipant
    from portal.talent.models import TalentProfile

    rng = random.Random(7)
    contracts = Contract.objects.bulk_create(Contract(label=f"Bench contract {n}") for n in range(CONTRACTS))
    people = TalentProfile.objects.bulk_create(
        TalentProfile(first_name=f"Nurse{n}", last_name="Bench", email=f"nurse{n}@bench.example")
        for n in range(CONTRACTS * PEOPLE_PER_CONTRACT)
    )
    participants = ContractParticipant.objects.bulk_create(
        ContractParticipant(contract=contracts[n // PEOPLE_PER_CONTRACT], talent=person, role="specialist")
        for n, person in enumerate(people)
    )
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def row(status: str) -> Transaction:
        participant = rng.choice(participants)
        hours = Decimal(rng.choice([1, 2, 4, 8, 12]))
        return Transaction(
            contract_id=participant.contract_id,
            beneficiary=participant,
            status=status,
            amount=hours * 60,
            hours=hours,
            label="Shift",
            occurred_at=start + dt.timedelta(minutes=rng.randrange(525_600)),
        )

    Transaction.objects.bulk_create((row("pending") for _ in range(pending)), batch_size=2000)
    Transaction.objects.bulk_create((row("paid") for _ in range(pending)), batch_size=2000)
    return [c.pk for c in contracts], participants[0].contract_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pending", type=int, default=5000)
    parser.add_argument("--renders", type=int, default=30)
    args = parser.parse_args()
    setup_django(fresh=True)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from portal.core.roles import Role, grant_role

    user = get_user_model().objects.create_user("bench-coordinator", password="x")
    grant_role(user, Role.COORDINATOR)
    client = Client(SERVER_NAME="localhost")  # an ALLOWED_HOSTS name; the test client's default is not
    client.force_login(user)
    url = "/billing/approvals/"

    print(f"{'server time per render (ms)':<34} {'median':>8} {'p95':>8} {'SQL':>8} {'queries':>8} {'rows':>6}")
    empty = measure(client, url, args.renders)
    print(summary("empty queue (baseline)", empty, 0))

    _, contract_id = seed(args.pending)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    full = measure(client, url, args.renders)
    print(summary(f"{args.pending:,} pending: first page", full, rows_in(full[3])))
    older = measure(client, f"{url}?{next_page(full[3])}", args.renders)
    print(summary("  next page (keyset cursor)", older, rows_in(older[3])))
    filtered = measure(client, f"{url}?contract={contract_id}&kind=charge", args.renders)
    print(summary("  one contract, charges", filtered, rows_in(filtered[3])))

    ratio = statistics.median(full[0]) / statistics.median(empty[0])
    print(f"\nfirst page vs empty queue: {ratio:.2f}x the baseline's median server time")
    # An empty page skips the one query that reads its rows' deliveries; any page of rows costs the same.
    same = full[2] == older[2] and empty[2] in (full[2], full[2] - 1)
    print(
        f"queries: empty {empty[2]}, full {full[2]}, next page {older[2]}: "
        f"{'constant' if same else 'NOT constant'} (a chosen contract adds its participants list: {filtered[2]};"
        " an empty page has no deliveries to read)"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
