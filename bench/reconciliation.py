"""The three-way match over a month of 50,000 shifts and visits (issue 20: under 60 s, flat memory), against
reading the same rows.

    BENCH_DB=bench_portal_money ./.venv/bin/python -m bench.reconciliation [--work 50000]

Half the work is completed IntelyCare shifts at 20 facilities in four zones, each with its timecard billed at the
client's rate card; half is completed Alaunus visits, each with a punchcard and the invoice line that bills it.
About 1 % of each carries an exception (no timecard, hours or rate off, a cancelled visit billed, a
punchcard billed twice). It times
`reconcile()` over the month and the baseline, iterating the same querysets with the same joins and doing nothing
with the rows; it prints both, their ratio, the exceptions counted and the resident memory before and after.
Exit 1 if the match takes over 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal

from bench.common import current_rss_mb, peak_rss_mb, setup_django

LIMIT_SECONDS = 60.0
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
MONTH_START = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def seed(work: int, rng: random.Random) -> None:
    from portal.billing.models import Invoice, InvoiceLine, RateCard
    from portal.jobs.models import Client, Facility, Patient
    from portal.shifts.models import ShiftRequest, Timecard, Visit

    client = Client.objects.create(name="Bench Health")
    RateCard.objects.create(
        client=client, profession="RN", effective_from=dt.date(2026, 1, 1), bill_rate=60, pay_rate=40
    )
    RateCard.objects.create(
        client=client, profession="HHA", effective_from=dt.date(2026, 1, 1), bill_rate=36, pay_rate=24
    )
    facilities = [
        Facility.objects.create(name=f"Facility {n}", client=client, time_zone=ZONES[n % 4]) for n in range(20)
    ]
    patient = Patient.objects.create(client=client, first_name="Bench", last_name="Patient")
    invoice = Invoice.objects.create(client=client, patient=patient, number="INV-BENCH")
    starts = [MONTH_START + dt.timedelta(minutes=rng.randrange(0, 29 * 24 * 60)) for _ in range(work)]
    facility_of = [rng.choice(facilities) for _ in range(work // 2)]
    shifts = ShiftRequest.objects.bulk_create(
        [
            ShiftRequest(facility=f, unit="2 West", professional_type="RN", starts_at=s,
                         ends_at=s + dt.timedelta(hours=8), time_zone=f.time_zone, status="completed")
            for f, s in zip(facility_of, starts[: work // 2], strict=True)
        ],
        batch_size=5000,
    )  # fmt: skip
    Timecard.objects.bulk_create(
        [
            Timecard(shift=s, check_in=s.starts_at, check_out=s.ends_at, break_minutes=30,
                     bill_rate=Decimal(65 if n % 100 == 0 else 60))
            for n, s in enumerate(shifts) if n % 100 != 1
        ],
        batch_size=5000,
    )  # fmt: skip
    visits = Visit.objects.bulk_create(
        [
            Visit(client=client, patient=patient, starts_at=s, ends_at=s + dt.timedelta(hours=2),
                  status="cancelled" if n % 100 == 0 else "completed")
            for n, s in enumerate(starts[work // 2 :])
        ],
        batch_size=5000,
    )  # fmt: skip
    punchcards = Timecard.objects.bulk_create(
        [Timecard(visit=v, check_in=v.starts_at, check_out=v.ends_at, bill_rate=36) for v in visits], batch_size=5000
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(invoice=invoice, quantity=Decimal("3.00" if n % 100 == 2 else "2.00"), rate=36, amount=72,
                        timecard=p)
            for n, p in enumerate(punchcards)
        ]
        + [InvoiceLine(invoice=invoice, quantity=2, rate=36, amount=72, timecard=p) for p in punchcards[3::100]],
        batch_size=5000,
    )  # fmt: skip


def read_the_rows(since: dt.datetime, until: dt.datetime) -> int:
    """The baseline: the same querysets as `reconcile()`, iterated in the same chunks, nothing done per row."""
    from portal.billing.models import InvoiceLine
    from portal.billing.reconciliation import CHUNK
    from portal.shifts.models import ShiftRequest, Timecard, Visit

    querysets = [
        ShiftRequest.objects.filter(status="completed", ends_at__gte=since, ends_at__lt=until, timecards__isnull=True),
        Visit.objects.filter(status="completed", ends_at__gte=since, ends_at__lt=until, timecards__isnull=True),
        Timecard.objects.filter(shift__isnull=False, bill_rate__isnull=False, check_in__gte=since, check_in__lt=until)
        .select_related("shift__facility__province"),
        InvoiceLine.objects.filter(kind="service", timecard__visit__isnull=False, timecard__check_in__gte=since,
                                   timecard__check_in__lt=until)
        .select_related("invoice", "timecard__visit__patient__province").order_by("timecard_id", "id"),
    ]  # fmt: skip
    return sum(1 for queryset in querysets for _ in queryset.iterator(CHUNK))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=int, default=50_000)
    args = parser.parse_args()
    setup_django(fresh=True)
    from portal.billing.reconciliation import reconcile

    started = time.perf_counter()
    seed(args.work, random.Random(7))
    print(f"seeded {args.work:,} shifts and visits in {time.perf_counter() - started:.1f} s")
    since, until = MONTH_START - dt.timedelta(days=1), MONTH_START + dt.timedelta(days=31)
    rss_before = current_rss_mb()
    started = time.perf_counter()
    rows = read_the_rows(since, until)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    result = reconcile(since, until)
    seconds = time.perf_counter() - started
    print(f"rows read {rows:,}; exceptions { ({str(k): v for k, v in result.counts.items()}) }")
    print(f"baseline: reading the rows     {baseline:8.2f} s")
    print(f"reconcile()                    {seconds:8.2f} s  ({seconds / baseline:.1f} x the baseline)")
    print(f"memory: {rss_before:.0f} MB before, {current_rss_mb():.0f} MB after, peak {peak_rss_mb():.0f} MB")
    print(f"target: under {LIMIT_SECONDS:.0f} s: {'met' if seconds < LIMIT_SECONDS else 'MISSED'}")
    return 0 if seconds < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
