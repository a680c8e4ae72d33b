"""Candidate timeline: server time and queries per render for a person with 2,000 timeline entries across the
vendors, against a person with an empty timeline rendered in the same run, and a person with 20 entries to show
the query count does not grow with the history.

    ./.venv/bin/python -m bench.candidate_timeline [--entries 2000] [--renders 30]

Uses its own database (`BENCH_DB`, default `bench_candidate_timeline`, recreated). Each render is a full request
through Django's test client in this process (middleware, session, role check, template), timed with
perf_counter; the figure is the median. Exits non-zero if a render's query count differs between 20 and 2,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

os.environ.setdefault("BENCH_DB", "bench_candidate_timeline")

from bench.common import setup_django

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def add_history(email: str, entries: int):
    """A person and `entries` timeline entries in bulk: CareerBuilder statuses (candidate and application),
    Kamana relationship moves (audit rows) and engagements, IntelyCare shifts, Alaunus visits, Ceki contracts."""
    from django.contrib.contenttypes.models import ContentType

    from portal.contracts.models import Contract, ContractParticipant, Engagement
    from portal.core.models import AuditEntry
    from portal.integrations.models import VendorConnection
    from portal.jobs.models import Facility
    from portal.shifts.models import ShiftRequest, Visit
    from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile

    def connection(vendor: str) -> VendorConnection:
        return VendorConnection.objects.get_or_create(
            name=f"{vendor} bench", defaults={"vendor": vendor, "base_url": f"http://127.0.0.1:9/{vendor}/"}
        )[0]

    person = TalentProfile.objects.create(first_name="Bench", last_name=email.split("@")[0], email=email)
    if not entries:
        return person
    at = [START + dt.timedelta(hours=n) for n in range(entries)]
    share = entries // 5
    careerbuilder = connection("careerbuilder")
    CandidateStatus.objects.bulk_create(
        CandidateStatus(
            profile=person,
            connection=careerbuilder,
            account="BENCH",
            candidate_email=email,
            requisition_id="" if n == 0 else f"req-{n}",
            status_level="candidate" if n == 0 else "application",
            status="Applied",
            status_date=at[n],
        )
        for n in range(share)
    )
    kamana = connection("kamana")
    relationship = AccountRelationship.objects.create(profile=person, connection=kamana, account_ref="acct-1")
    engagement = Engagement.objects.create(talent=person, connection=kamana, external_id=f"eng-{email}")
    moves = ("interested", "prospect", "review")
    rows = AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=ContentType.objects.get_for_model(AccountRelationship),
            object_id=str(relationship.pk),
            action="update",
            changes={"status": [moves[n % 3], moves[(n + 1) % 3]]},
            source="sync",
        )
        for n in range(share + 1, 2 * share)
    )
    for row, n in zip(rows, range(share + 1, 2 * share), strict=True):
        row.at = at[n]
    AuditEntry.objects.bulk_update(rows, ["at"])
    # The rows' own creation is audited at the real clock; place it in the history like the rest.
    AuditEntry.objects.filter(object_id=str(relationship.pk), action="create").update(at=at[share])
    AuditEntry.objects.filter(object_id=str(engagement.pk), action="create").update(at=at[2 * share])
    intelycare = connection("intelycare")
    facility = Facility.objects.first() or Facility.objects.create(name="Bench Facility", time_zone="America/Chicago")
    ShiftRequest.objects.bulk_create(
        ShiftRequest(
            facility=facility,
            unit="ICU",
            professional_type="RN",
            starts_at=at[n],
            ends_at=at[n] + dt.timedelta(hours=8),
            time_zone=facility.time_zone,
            connection=intelycare,
            status="completed",
            assigned_professional=person,
            external_shift_id=f"bench-{email}-{n}",
        )
        for n in range(2 * share + 1, 3 * share)
    )
    alaunus = connection("alaunus")
    Visit.objects.bulk_create(
        Visit(
            caregiver=person,
            connection=alaunus,
            status="completed",
            starts_at=at[n],
            ends_at=at[n] + dt.timedelta(hours=2),
        )
        for n in range(3 * share, 4 * share)
    )
    ceki = connection("ceki")
    contracts = Contract.objects.bulk_create(
        Contract(connection=ceki, label=f"Contract {n}", starts_at=at[n]) for n in range(4 * share, entries)
    )
    ContractParticipant.objects.bulk_create(
        ContractParticipant(contract=contract, talent=person, role="specialist", accepted=True)
        for contract in contracts
    )
    return person


def measure(client, url: str, query: dict, renders: int, htmx: bool = False) -> tuple[float, int, int]:
    """(median ms per render, queries of one render, entries shown) after two warm-up renders."""
    from django.db import connection

    headers = {"HX-Request": "true"} if htmx else {}
    for _ in range(2):
        client.get(url, query, headers=headers)
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *rest: executed.append(sql) or execute(sql, *rest)):
        response = client.get(url, query, headers=headers)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get(url, query, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(executed), response.content.count(b'class="timeline-entry"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--renders", type=int, default=30)
    args = parser.parse_args()
    setup_django(fresh=True)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from portal.core.roles import Role, grant_role

    user = get_user_model().objects.create_user("bench-coordinator", password="unused-bench-password")
    grant_role(user, Role.COORDINATOR)
    client = Client(HTTP_HOST="localhost")  # an allowed host of the test settings
    client.force_login(user)

    people = [(size, add_history(f"bench{size}@example.org", size)) for size in (0, 20, args.entries)]
    scenarios = [
        ("full page", {}, False),
        ("next page (scroll)", {"before": (START + dt.timedelta(hours=args.entries // 2)).isoformat()}, True),
        ("one source", {"source": "careerbuilder"}, False),
        ("one requisition", {"requisition": "req-5"}, False),
    ]
    rows: list[tuple[str, int, float, int, int]] = []
    counts: dict[str, set[int]] = {}
    baseline_ms = 0.0
    for size, person in people:
        url = f"/talent/{person.pk}/timeline/"
        for name, query, htmx in scenarios:
            ms, queries, shown = measure(client, url, query, args.renders, htmx)
            if size == 0 and name == "full page":
                baseline_ms = ms
            if size:
                counts.setdefault(name, set()).add(queries)
            rows.append((name, size, ms, queries, shown))

    print(f"Candidate timeline, median of {args.renders} renders per line (PostgreSQL, in-process test client)")
    print(f"{'render':<22}{'entries':>9}{'ms/render':>11}{'x empty':>9}{'queries':>9}{'shown':>7}")
    for name, size, ms, queries, shown in rows:
        print(f"{name:<22}{size:>9}{ms:>11.1f}{ms / baseline_ms:>9.1f}{queries:>9}{shown:>7}")
    constant = all(len(found) == 1 for found in counts.values())
    print(
        f"query count at 20 and at {args.entries} entries: {'the same' if constant else 'DIFFERENT'} for every render"
    )
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
