"""Today and the calendar (issue 18 item 6): server time per render and queries per render with 10,000 shifts,
5,000 visits and 5,000 waiting transactions, against the same pages with no data, rendered in the same run.

    ./.venv/bin/python -m bench.today [--shifts 10000] [--visits 5000] [--transactions 5000] [--rounds 5]
                                      [--renders 10]

Uses its own database (`BENCH_DB`, default `bench_today`, recreated). Each render is a full request through
Django's test client in this process (middleware, session, role check, template), timed with perf_counter; the
figure is the median. Rounds alternate: the empty pages, then the data added in a transaction, the full pages, and
the transaction rolled back. The records lie within 30 days either side of now, so every one of them falls in some
figure's window or on the calendar month. Target (issue 18): at most 3x the empty render, and the same number of
queries; the benchmark exits 1 if a query count differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

os.environ.setdefault("BENCH_DB", "bench_today")

from bench.common import coordinator_client, setup_django

PAGES = (("Today", "/", {}), ("calendar week", "/calendar/", {}), ("calendar month", "/calendar/", {"view": "month"}))
FACILITIES = 20


def seed(shifts: int, visits: int, transactions: int) -> None:
    """Bulk rows (no audit, no signals): the benchmark is about reading, not about creating records."""
    from django.utils import timezone

    from portal.billing.models import Transaction
    from portal.contracts.models import Contract, ContractParticipant
    from portal.integrations.models import VendorConnection
    from portal.jobs.models import Facility
    from portal.shifts.models import ShiftRequest, Visit
    from portal.talent.models import TalentProfile

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    connection = VendorConnection.objects.create(name="IntelyCare bench", vendor="intelycare", base_url="http://x/")
    facilities = Facility.objects.bulk_create(
        Facility(name=f"Bench Facility {n:02d}", time_zone="America/New_York") for n in range(FACILITIES)
    )
    nurse = TalentProfile.objects.create(email="bench.nurse@example.org", first_name="Bench", last_name="Nurse")
    rows = []
    for n in range(shifts):
        starts_at = now + dt.timedelta(hours=(n * 7) % (60 * 24) - 30 * 24)
        status = ("open", "filled", "completed", "cancelled")[n % 4] if starts_at < now else ("open", "filled")[n % 2]
        rows.append(
            ShiftRequest(
                facility=facilities[n % FACILITIES],
                unit="ICU",
                professional_type="RN",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=8),
                time_zone="America/New_York",
                connection=connection if n % 3 else None,
                status=status,
                assigned_professional=nurse if status in ("filled", "completed") else None,
                status_changed_at=starts_at - dt.timedelta(hours=20) if status in ("filled", "completed") else None,
            )
        )
    ShiftRequest.objects.bulk_create(rows, batch_size=2000)
    Visit.objects.bulk_create(
        (
            Visit(
                starts_at=now + dt.timedelta(hours=(n * 5) % (30 * 24) - 15 * 24),
                ends_at=now + dt.timedelta(hours=(n * 5) % (30 * 24) - 15 * 24 + 2),
                caregiver=nurse if n % 2 else None,
                service_name="Personal care",
            )
            for n in range(visits)
        ),
        batch_size=2000,
    )
    contract = Contract.objects.create(label="Bench contract")
    participant = ContractParticipant.objects.create(contract=contract, talent=nurse)
    Transaction.objects.bulk_create(
        (
            Transaction(
                contract=contract,
                beneficiary=participant,
                amount="100.00",
                currency=("USD", "CAD")[n % 2],
                occurred_at=now - dt.timedelta(hours=n % 2000),
            )
            for n in range(transactions)
        ),
        batch_size=2000,
    )


def measure(client, url: str, query: dict, renders: int) -> tuple[float, int]:
    """(median ms per render, queries of one render) after two warm-up renders."""
    from django.db import connection

    for _ in range(2):
        client.get(url, query)
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *rest: executed.append(sql) or execute(sql, *rest)):
        assert client.get(url, query).status_code == 200
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get(url, query)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(executed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shifts", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=5_000)
    parser.add_argument("--transactions", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--renders", type=int, default=10, help="renders per page per round")
    args = parser.parse_args()
    setup_django(fresh=True)
    from django.db import transaction

    client = coordinator_client()
    ratios: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
    empty_ms: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
    full_ms: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
    queries: dict[str, set[int]] = {name: set() for name, _, _ in PAGES}
    for _ in range(args.rounds):
        # Empty, then full in a transaction rolled back: the two are measured minutes apart at most, so load from
        # other processes on the machine falls on both alike; the ratio printed is the median of the rounds'.
        empty = {name: measure(client, url, query, args.renders) for name, url, query in PAGES}
        with transaction.atomic():
            seed(args.shifts, args.visits, args.transactions)
            full = {name: measure(client, url, query, args.renders) for name, url, query in PAGES}
            transaction.set_rollback(True)
        for name in ratios:
            ratios[name].append(full[name][0] / empty[name][0])
            empty_ms[name].append(empty[name][0])
            full_ms[name].append(full[name][0])
            queries[name] |= {empty[name][1], full[name][1]}

    print(f"Today and calendar, {args.rounds} rounds of {args.renders} renders (PostgreSQL, in-process test client)")
    print(f"data: {args.shifts} shifts, {args.visits} visits, {args.transactions} waiting transactions")
    print(f"{'page':<16}{'empty ms':>10}{'full ms':>10}{'x empty':>9}{'x range':>13}{'queries':>9}")
    constant = all(len(counts) == 1 for counts in queries.values())
    within = all(statistics.median(values) <= 3 for values in ratios.values())
    for name, values in ratios.items():
        spread = f"{min(values):.1f}-{max(values):.1f}"
        counts = "/".join(str(count) for count in sorted(queries[name]))
        print(
            f"{name:<16}{statistics.median(empty_ms[name]):>10.1f}{statistics.median(full_ms[name]):>10.1f}"
            f"{statistics.median(values):>9.1f}{spread:>13}{counts:>9}"
        )
    print(f"target <= 3x empty: {'met' if within else 'NOT met'}; queries {'constant' if constant else 'DIFFERENT'}")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
