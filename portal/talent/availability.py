"""Who is already booked when: every app's work a person holds, gathered for staffing (issue 23).

Each app that books people registers a source here from its `AppConfig.ready()` (shifts: IntelyCare shifts and
home-care visits; contracts: Ceki contract events), so staffing a visit asks one question and imports no other
domain app. A source answers for a set of people and a span with one query and returns their `Commitment`s
overlapping it; cancelled work is not a commitment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["Commitment", "CommitmentSource", "commitments", "register"]


@dataclass(frozen=True)
class Commitment:
    """One piece of work `profile_id` is booked on, `kind` saying what ("IntelyCare shift", "Visit", ...)."""

    profile_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    title: str
    ref: tuple[str, int] = ("", 0)  # (model label, pk): lets a caller leave out the record being staffed

    def overlaps(self, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


# (profile ids or None for everyone, starts_at, ends_at) -> the commitments overlapping that span
CommitmentSource = Callable[[Iterable[int] | None, dt.datetime, dt.datetime], Iterable[Commitment]]
_SOURCES: list[CommitmentSource] = []


def register(*sources: CommitmentSource) -> None:
    """Add an app's sources (registering one twice keeps it once)."""
    _SOURCES.extend(source for source in sources if source not in _SOURCES)


def commitments(
    profile_ids: Iterable[int] | None, starts_at: dt.datetime, ends_at: dt.datetime
) -> dict[int, list[Commitment]]:
    """Every registered source's commitments overlapping [starts_at, ends_at), by person, in time order."""
    wanted = None if profile_ids is None else list(profile_ids)
    found: dict[int, list[Commitment]] = {}
    for source in _SOURCES:
        for commitment in source(wanted, starts_at, ends_at):
            if commitment.overlaps(starts_at, ends_at):
                found.setdefault(commitment.profile_id, []).append(commitment)
    for items in found.values():
        items.sort(key=lambda c: (c.starts_at, c.kind))
    return found
