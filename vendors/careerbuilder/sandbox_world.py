"""The CareerBuilder sandbox's state: the statuses it holds, keyed by the doc's unique key, and how they move.

An insert with a key already held updates that status (the doc's "Created/updated status."). Statuses are kept
as `StatusInsert.to_payload()` bodies, which is what the retrieve calls answer. `sandbox.py` is the HTTP face.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from typing import Any

from vendors.base.sandbox_cast import CastMember, cast_of
from vendors.careerbuilder.schemas import (
    CandidateStatusKey,
    StatusInsert,
    candidate_status_key,
    format_status_date,
    parse_status_date,
)

__all__ = ["STEPS", "CareerBuilderWorld"]

VENDOR = "careerbuilder"
# TEE's steps, in order (the doc's "Each step has a status" paragraph).
STEPS = ["New", "Reviewed", "First Interview", "Second Interview", "Testing", "Offer", "Hired"]
CLOSED = ["Rejected", "Declined", "Inactive"]
FIRST = ["Amara", "Bea", "Carlos", "Dev", "Elena", "Farah", "Gus", "Hana", "Ivan", "Jo"]
TITLES = ["ICU Registered Nurse", "Travel LPN", "Per Diem CNA", "OR Tech", "ER Registered Nurse"]
SEEDED_AT = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


class CareerBuilderWorld:
    """Every status of one sandbox account. Not thread-safe on its own: the sandbox holds its lock."""

    def __init__(self, *, account: str, statuses: int) -> None:
        self.account = account
        self.statuses: dict[CandidateStatusKey, dict[str, Any]] = {}
        self.rng = random.Random(8)
        self._seed(statuses)

    def _seed(self, count: int) -> None:
        """Exactly `count` statuses: every third a candidate-level one, the rest applications."""
        rng = random.Random(8)
        for n in range(count):
            email = f"{FIRST[n % len(FIRST)].lower()}.{n // len(FIRST)}@candidates.example.org"
            at = SEEDED_AT + dt.timedelta(hours=n * 7 + rng.randint(0, 5), minutes=rng.randint(0, 59))
            record: dict[str, Any] = {
                "account": self.account,
                "candidate_email": email,
                "vendor_key": "ats",
                "client": rng.choice(["MyCandidates", "CandidateStream"]),
                "level_id": f"cand-{n}",
                "status": rng.choice(STEPS + CLOSED),
                "status_date": format_status_date(at),
                "status_level": "candidate" if n % 3 == 0 else "application",
                "status_detail": "Seeded by the sandbox",
            }
            if record["status_level"] == "application":
                record["requisition_id"] = str(7000 + n % 9)
                record["requisition_title"] = TITLES[n % len(TITLES)]
            self.put(record)

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """The demo's people CareerBuilder knows: a candidate-level status and one or two applications at
        different steps, dated before other vendors heard of them (the portal links them once it knows the
        person)."""
        for member in cast_of(VENDOR, tuple(cast)):
            at = SEEDED_AT - dt.timedelta(days=40 - member.index)
            line = {"account": self.account, "candidate_email": member.email, "vendor_key": "ats"}
            candidate = {"status_level": "candidate", "status": "Reviewed", "client": "MyCandidates"}
            candidate |= {"level_id": f"cast-{member.index}", "status_date": format_status_date(at)}
            self.put({**line, **candidate, "status_detail": "Applied through the careers site"})
            for n in range(1 + member.index % 2):
                requisition = 7100 + 2 * member.index + n
                self.put(
                    {
                        **line,
                        "client": "CandidateStream",
                        "level_id": f"cast-{member.index}-{n}",
                        "status": STEPS[1 + (member.index + 2 * n) % (len(STEPS) - 1)],
                        "status_date": format_status_date(at + dt.timedelta(days=3 + 5 * n)),
                        "status_level": "application",
                        "status_detail": "completed",
                        "requisition_id": str(requisition),
                        "requisition_title": TITLES[requisition % len(TITLES)],
                    }
                )

    def put(self, record: dict[str, Any]) -> dict[str, Any]:
        """Upsert on the documented unique key; the stored copy is what the retrieve calls answer."""
        insert = StatusInsert.from_payload(record)
        self.statuses[insert.key] = insert.to_payload()
        return self.statuses[insert.key]

    def tick(self) -> None:
        """CareerBuilder's side moves on: a few open applications reach their next step, dated now."""
        now = format_status_date(dt.datetime.now(dt.UTC))
        open_ones = [s for s in self.statuses.values() if s["status"] in STEPS[:-1]]
        for record in self.rng.sample(open_ones, k=min(3, len(open_ones))):
            self.put({**record, "status": STEPS[STEPS.index(record["status"]) + 1], "status_date": now})

    # -- what the retrieve calls find ------------------------------------------------------------------------
    def of_email(self, account: str, candidate_email: str, since: dt.datetime | None) -> list[dict[str, Any]]:
        """Every status of one candidate after `since`, oldest first."""
        wanted = candidate_status_key(account, candidate_email, "", "", "")
        return _after((s for k, s in self.statuses.items() if k[:2] == wanted[:2]), since)

    def matching(
        self, account: str, emails: Iterable[str], requisitions: Iterable[str], since: dt.datetime | None
    ) -> list[dict[str, Any]]:
        """The statuses of any of these candidates or requisitions after `since`, oldest first."""
        account = account.casefold()
        emails = {e.strip().casefold() for e in emails}
        requisitions = set(requisitions)
        found = (
            s
            for k, s in self.statuses.items()
            if k.account == account and (k.candidate_email in emails or k.requisition_id in requisitions)
        )
        return _after(found, since)


def _after(statuses: Iterable[dict[str, Any]], since: dt.datetime | None) -> list[dict[str, Any]]:
    """Strictly after `since` ("only statuses that have status dates after"), oldest first."""
    chosen = [s for s in statuses if since is None or parse_status_date(s["status_date"]) > since]
    return sorted(chosen, key=lambda s: (s["status_date"], s["candidate_email"], s.get("requisition_id", "")))
