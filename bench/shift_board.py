"""Shift board: server time per render and queries per render with 10,000 shifts in PostgreSQL, against an empty
board rendered in the same run, and the same page at 200 shifts to show the query count does not grow.

    ./.venv/bin/python -m bench.shift_board [--shifts 10000] [--renders 30]

Uses its own database (`BENCH_DB`, default `bench_shift_board`, recreated). Each render is a full request through
Django's test client in this process (middleware, session, role check, template), timed with perf_counter; the
figure is the median. Half the shifts are filled (professional joined), each has an outbox row (delivery state).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

os.environ.setdefault("BENCH_DB", "bench_shift_board")

from bench.common import setup_django

FACILITIES = 20
UNITS = ("1st Floor", "2 West", "ICU")
TIMES = ((dt.time(7), dt.time(15)), (dt.time(15), dt.time(23)), (dt.time(23), dt.time(7)))  # day, evening, night


def add_shifts(count: int, offset: int) -> None:
    """Bulk rows (no audit, no signals): the benchmark is about reading the board, not about creating shifts."""
    from django.contrib.contenttypes.models import ContentType

    from portal.integrations.models import OutboundRequest, VendorConnection
    from portal.jobs.models import Facility
    from portal.shifts.localtime import shift_instants
    from portal.shifts.models import ShiftRequest
    from portal.talent.models import TalentProfile

    connection, _ = VendorConnection.objects.get_or_create(
        name="IntelyCare bench", defaults={"vendor": "intelycare", "base_url": "http://127.0.0.1:9/intelycare/"}
    )
    zones = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
    facilities = list(Facility.objects.order_by("pk")) or Facility.objects.bulk_create(
        Facility(name=f"Bench Facility {n:02d}", time_zone=zones[n % len(zones)]) for n in range(FACILITIES)
    )
    nurse, _ = TalentProfile.objects.get_or_create(
        email="bench.nurse@example.org", defaults={"first_name": "Bench", "last_name": "Nurse"}
    )
    first_day = dt.date(2027, 1, 4)
    shifts = []
    for n in range(offset, offset + count):
        facility = facilities[n % len(facilities)]
        starts_at, ends_at = shift_instants(first_day + dt.timedelta(days=n // 150), *TIMES[n % 3], facility.time_zone)
        filled = n % 2 == 1
        shifts.append(
            ShiftRequest(
                facility=facility,
                unit=UNITS[n % len(UNITS)],
                professional_type=("CNA", "LPN", "RN")[n % 3],
                starts_at=starts_at,
                ends_at=ends_at,
                time_zone=facility.time_zone,
                connection=connection,
                status="filled" if filled else "open",
                assigned_professional=nurse if filled else None,
            )
        )
    shifts = ShiftRequest.objects.bulk_create(shifts, batch_size=2000)
    shift_type = ContentType.objects.get_for_model(ShiftRequest)
    OutboundRequest.objects.bulk_create(
        (
            OutboundRequest(
                connection=connection,
                operation="create_shift",
                natural_key=shift.external_shift_id,
                content_type=shift_type,
                object_id=str(shift.pk),
                state="failed" if shift.pk % 50 == 0 else "sent",
                last_error="bench" if shift.pk % 50 == 0 else "",
            )
            for shift in shifts
        ),
        batch_size=2000,
    )


def measure(client, query: dict, renders: int, htmx: bool = False) -> tuple[float, int, int]:
    """(median ms per render, queries of one render, bytes) after two warm-up renders.

    Queries are counted with an execute wrapper: Django empties `connection.queries` when a request starts.
    """
    from django.db import connection

    headers = {"HX-Request": "true"} if htmx else {}
    for _ in range(2):
        client.get("/shifts/", query, headers=headers)
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *rest: executed.append(sql) or execute(sql, *rest)):
        response = client.get("/shifts/", query, headers=headers)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get("/shifts/", query, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(executed), len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shifts", type=int, default=10_000)
    parser.add_argument("--renders", type=int, default=30)
    args = parser.parse_args()
    setup_django(fresh=True)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from portal.core.roles import Role, grant_role
    from portal.shifts.models import ShiftRequest

    user = get_user_model().objects.create_user("bench-coordinator", password="unused-bench-password")
    grant_role(user, Role.COORDINATOR)
    client = Client(HTTP_HOST="localhost")  # an allowed host of the test settings
    client.force_login(user)

    scenarios = [
        ("full page", {}, False),
        ("filled only", {"status": "filled"}, False),
        ("one facility, from a date", {"facility": "", "date_from": "2027-01-05"}, False),
        ("page 2", {"page": "2"}, False),
        ("HTMX poll (partial)", {}, True),
    ]
    rows: list[tuple[str, int, float, int, int]] = []
    baseline_ms, baseline_queries, baseline_size = measure(client, {}, args.renders)
    rows.append(("empty board (baseline)", 0, baseline_ms, baseline_queries, baseline_size))

    small = min(200, args.shifts)
    add_shifts(small, 0)
    small_counts = {}
    for name, query, htmx in scenarios:
        query = {**query, "facility": _first_facility()} if "facility" in query else query
        ms, queries, size = measure(client, query, args.renders, htmx)
        small_counts[name] = queries
        rows.append((name, small, ms, queries, size))

    add_shifts(args.shifts - small, small)
    total = ShiftRequest.objects.count()
    constant = True
    for name, query, htmx in scenarios:
        query = {**query, "facility": _first_facility()} if "facility" in query else query
        ms, queries, size = measure(client, query, args.renders, htmx)
        constant &= queries == small_counts[name]
        rows.append((name, total, ms, queries, size))

    print(f"Shift board, median of {args.renders} renders per line (PostgreSQL, in-process test client)")
    print(f"{'render':<28}{'shifts':>8}{'ms/render':>11}{'x empty':>9}{'queries':>9}{'KiB':>8}")
    for name, count, ms, queries, size in rows:
        print(f"{name:<28}{count:>8}{ms:>11.1f}{ms / baseline_ms:>9.1f}{queries:>9}{size / 1024:>8.0f}")
    print(f"query count at {small} and at {total} shifts: {'the same' if constant else 'DIFFERENT'} for every render")
    return 0 if constant else 1


def _first_facility() -> str:
    from portal.jobs.models import Facility

    return str(Facility.objects.order_by("pk").values_list("pk", flat=True).first())


if __name__ == "__main__":
    sys.exit(main())
