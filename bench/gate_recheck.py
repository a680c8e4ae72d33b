"""The gate's re-check of all upcoming work: 5,000 people, 50,000 shifts and visits (issue 19: under 60 s),
against reading the same work.

    BENCH_DB=bench_portal_gate ./.venv/bin/python -m bench.gate_recheck [--people 5000] [--work 50000]

Half the work is shifts at 20 facilities in four zones, half home-care visits; each person gets about ten pieces
over four weeks (two before now, two ahead), 8-hour shifts and 2-hour visits at random hours, so overlaps, short
rests and long days occur as they would. It times `recheck_upcoming()` (load, check every rule, store findings)
twice — the first raises the findings, the second finds them all again and writes nothing — and the baseline,
`load_work()` of the same window alone. Exit 1 if a re-check takes over 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from bench.common import setup_django

LIMIT_SECONDS = 60.0
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")


def seed(people: int, work: int, now: dt.datetime, rng: random.Random) -> None:
    from portal.jobs.models import Client, Facility, Province
    from portal.shifts.models import ShiftRequest, Visit
    from portal.talent.models import TalentProfile

    client = Client.objects.create(name="Bench Health")
    province = Province.objects.create(name="Illinois", abbreviation="IL")
    facilities = [
        Facility.objects.create(name=f"Facility {n}", client=client, province=province, time_zone=ZONES[n % 4])
        for n in range(20)
    ]
    profiles = TalentProfile.objects.bulk_create(
        [TalentProfile(first_name="P", last_name=str(n), email=f"p{n}@bench.test") for n in range(people)]
    )
    shifts, visits = [], []
    for n in range(work):
        person = rng.choice(profiles)
        start = now + dt.timedelta(hours=rng.randrange(-14 * 24, 14 * 24))
        if n % 2:
            facility = rng.choice(facilities)
            shifts.append(
                ShiftRequest(
                    facility=facility, unit="2 West", professional_type="RN", starts_at=start,
                    ends_at=start + dt.timedelta(hours=8), time_zone=facility.time_zone,
                    status="filled", assigned_professional=person,
                )
            )  # fmt: skip
        else:
            visits.append(Visit(caregiver=person, starts_at=start, ends_at=start + dt.timedelta(hours=2)))
    ShiftRequest.objects.bulk_create(shifts, batch_size=5000)
    Visit.objects.bulk_create(visits, batch_size=5000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--work", type=int, default=50_000)
    args = parser.parse_args()
    setup_django(fresh=True)
    from django.utils import timezone

    from portal.gate import services
    from portal.gate.models import Finding
    from portal.gate.work import load_work

    now = timezone.now()
    seed(args.people, args.work, now, random.Random(7))
    started = time.perf_counter()
    loaded = load_work(None, now - services.LOOKAROUND, now + services.UPCOMING + services.LOOKAROUND)
    baseline = time.perf_counter() - started
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        result = services.recheck_upcoming(now)
        timings.append((time.perf_counter() - started, result))
    pieces = sum(len(items) for items in loaded.values())
    print(f"people {len(loaded):,}; pieces of work loaded {pieces:,}; findings kept {Finding.objects.count():,}")
    print(f"baseline: reading the work           {baseline:8.2f} s")
    for label, (seconds, result) in zip(("first re-check", "second re-check"), timings, strict=True):
        print(f"{label:<36} {seconds:8.2f} s  ({seconds / baseline:.1f} x the baseline) {dict(result)}")
    slowest = max(seconds for seconds, _ in timings)
    print(f"target: under {LIMIT_SECONDS:.0f} s: {'met' if slowest < LIMIT_SECONDS else 'MISSED'}")
    return 0 if slowest < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
