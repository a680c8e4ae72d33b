"""The CSV exports (issue 20) at 5,000 and 50,000 rows: rows/s and peak memory, against reading the same rows.

    BENCH_DB=bench_portal_export ./.venv/bin/python -m bench.exports [--sizes 5000 50000]

Each size seeds, over four weeks of June 2026, that many Ceki charges (the billing export's rows) and that many
worker-days of completed IntelyCare shifts with their timecards (the payroll export's rows, by day); sizes grow in
place. Each export is downloaded through the whole stack (Django's test client, a Coordinator) and its streamed
lines consumed; the baseline iterates the same rows' querysets in the same chunks and does nothing with them.
Rows/s is timed without tracing; peak memory is tracemalloc's peak of a second, traced run. The last lines give
each measure's ratio at the largest size over the smallest: memory near 1 is flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

from bench.common import coordinator_client, setup_django

FIRST, LAST = dt.date(2026, 6, 1), dt.date(2026, 6, 28)
DAYS = (LAST - FIRST).days + 1
CHUNK = 2000


def seed(start: int, stop: int) -> None:
    """Charges and worker-days number `start`..`stop`: charge n at minute n of the range, worker n // DAYS on day
    n % DAYS (08:00-16:30 New York, a 30-minute break)."""
    from portal.billing.models import Transaction
    from portal.contracts.models import Contract
    from portal.jobs.models import Client, Facility
    from portal.shifts.models import ShiftRequest, Timecard
    from portal.talent.models import TalentProfile

    contract = Contract.objects.first() or Contract.objects.create(label="Bench nights")
    facility = Facility.objects.first() or Facility.objects.create(
        name="Bench General", client=Client.objects.create(name="Bench Health"), time_zone="America/New_York"
    )
    since = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    Transaction.objects.bulk_create(
        [
            Transaction(contract=contract, amount=Decimal("480.00"), hours=Decimal("8.00"), label=f"Shift {n}",
                        occurred_at=since + dt.timedelta(minutes=n % (DAYS * 24 * 60 - 1440)))
            for n in range(start, stop)
        ],
        batch_size=5000,
    )  # fmt: skip
    workers = range(start // DAYS, (stop + DAYS - 1) // DAYS)
    known = set(TalentProfile.objects.filter(last_name__in=[f"Bench{w}" for w in workers]).values_list("last_name"))
    TalentProfile.objects.bulk_create(
        [TalentProfile(first_name="Nurse", last_name=f"Bench{w}") for w in workers if (f"Bench{w}",) not in known],
        batch_size=5000,
    )
    ids = dict(TalentProfile.objects.filter(last_name__startswith="Bench").values_list("last_name", "pk"))
    days = [(ids[f"Bench{n // DAYS}"], since + dt.timedelta(days=n % DAYS)) for n in range(start, stop)]
    shifts = ShiftRequest.objects.bulk_create(
        [
            ShiftRequest(facility=facility, unit="2 West", professional_type="RN", starts_at=day,
                         ends_at=day + dt.timedelta(hours=8.5), time_zone=facility.time_zone, status="completed",
                         assigned_professional_id=worker)
            for worker, day in days
        ],
        batch_size=5000,
    )  # fmt: skip
    Timecard.objects.bulk_create(
        [
            Timecard(shift=s, professional_id=s.assigned_professional_id, check_in=s.starts_at, check_out=s.ends_at,
                     break_minutes=30)
            for s in shifts
        ],
        batch_size=5000,
    )  # fmt: skip


def baselines() -> dict[str, Callable[[], int]]:
    """Reading each export's rows: the same querysets and joins, in the same chunks."""
    from portal.billing.exports import ExportRange
    from portal.billing.models import Transaction
    from portal.shifts.models import Timecard

    period = ExportRange(FIRST, LAST)
    charges = Transaction.objects.filter(occurred_at__gte=period.since, occurred_at__lt=period.until, kind="charge")
    cards = Timecard.objects.filter(check_out__isnull=False, check_in__gte=period.since, check_in__lt=period.until)
    return {
        "billing": lambda: sum(1 for _ in charges.select_related("contract").order_by("occurred_at").iterator(CHUNK)),
        "payroll-hours": lambda: sum(
            1 for _ in cards.select_related("shift__facility__province", "visit__patient__province").iterator(CHUNK)
        ),
    }


def download(client, name: str) -> int:
    """The export's CSV through the whole stack, its lines consumed as a client would; the rows counted."""
    response = client.get(f"/billing/exports/{name}.csv", {"first": FIRST, "last": LAST, "per": "day"})
    assert response.status_code == 200, response.status_code
    return sum(1 for _ in response.streaming_content) - 1


def measure(run: Callable[[], int]) -> tuple[int, float, float]:
    """Rows, rows/s (untraced) and tracemalloc's peak in MB (a second, traced run)."""
    started = time.perf_counter()
    rows = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return rows, rows / seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    args = parser.parse_args()
    setup_django(fresh=True)
    client = coordinator_client()
    reading = baselines()
    figures: dict[tuple[str, str], list[tuple[int, float, float]]] = {}
    for name in reading:  # the first request imports and compiles what every later one reuses
        download(client, name)
    seeded = 0
    for size in sorted(args.sizes):
        started = time.perf_counter()
        seed(seeded, size)
        seeded = size
        print(f"== {size:,} rows each (seeded in {time.perf_counter() - started:.1f} s)")
        for name in ("billing", "payroll-hours"):
            for label, run in (("baseline", reading[name]), ("export", lambda n=name: download(client, n))):
                rows, rate, peak = measure(run)
                figures.setdefault((name, label), []).append((rows, rate, peak))
                print(f"{name:14} {label:9} {rows:7,} rows {rate:9,.0f} rows/s  peak {peak:6.1f} MB")
            base, export = figures[(name, "baseline")][-1], figures[(name, "export")][-1]
            print(f"{name:14} export / baseline: {export[1] / base[1]:.0%} of the rows/s")
    if len(args.sizes) > 1:
        print(f"== {max(args.sizes):,} rows over {min(args.sizes):,}")
        for (name, label), runs in figures.items():
            first, last = runs[0], runs[-1]
            print(f"{name:14} {label:9} memory {last[2] / first[2]:5.2f} x   rows/s {last[1] / first[1]:5.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
