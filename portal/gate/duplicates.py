"""Who is who: people the portal holds twice under different emails, suggested for a coordinator to review
(issue 19). Exact normalised email still links vendors' records on its own; this only *suggests*.

Pairs are compared only within blocks that a duplicate would share (the same phone, the same birth date, or
the same start of the last name and first name), so 50,000 people cost blocks of a few dozen, not 1.25 billion
comparisons. Names are scored with rapidfuzz's token-sort ratio (word order, case and punctuation ignored).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import TypedDict

from django.db.models import Q
from rapidfuzz import fuzz, utils

from portal.gate.models import DuplicateSuggestion
from portal.talent.models import TalentProfile, TalentReference

__all__ = ["Pair", "PersonRow", "RefreshResult", "person_rows", "refresh_suggestions", "suggest"]

NAME_ALONE = 90  # a name this close is worth a look by itself, unless phone or birth date says otherwise
NAME_WITH_PHONE = 60  # the same phone and a name this close (a nickname, a married name)
NAME_WITH_BIRTH = 80
PHONE_BLOCK_MOST = 25  # a phone shared by more people than this is an office's switchboard, not a person's
BIRTH_KEYS = ("date_of_birth", "dob")  # Kamana talent and Alaunus people, as their payloads carry it


@dataclass(frozen=True)
class PersonRow:
    pk: int
    name: str
    phone: str = ""  # digits only, the last ten
    born: dt.date | None = None


@dataclass(frozen=True)
class Pair:
    first: int
    second: int
    score: float
    reasons: tuple[str, ...]


def phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")[-10:]
    return digits if len(digits) >= 7 else ""


def _blocks(rows: list[PersonRow]) -> Iterator[list[int]]:
    """Indexes of rows that share a phone, a birth date, or a name's first letters."""
    by_phone, by_birth, by_name = defaultdict(list), defaultdict(list), defaultdict(list)
    for index, row in enumerate(rows):
        if row.phone:
            by_phone[row.phone].append(index)
        if row.born:
            by_birth[row.born].append(index)
        words = sorted(utils.default_process(row.name).split())  # word order does not split a block
        if words:
            by_name[(words[0][:3], words[1][:1] if len(words) > 1 else "")].append(index)
    yield from (group for group in by_phone.values() if 1 < len(group) <= PHONE_BLOCK_MOST)
    yield from (group for group in by_birth.values() if len(group) > 1)
    yield from (group for group in by_name.values() if len(group) > 1)


def _judge(a: PersonRow, b: PersonRow, name: float) -> Pair | None:
    if a.born and b.born and a.born != b.born:
        return None
    same_phone, same_birth = bool(a.phone) and a.phone == b.phone, bool(a.born) and a.born == b.born
    phones_differ = bool(a.phone and b.phone) and not same_phone
    if not (
        (name >= NAME_ALONE and not phones_differ)
        or (same_phone and name >= NAME_WITH_PHONE)
        or (same_birth and name >= NAME_WITH_BIRTH)
    ):
        return None
    reasons = (
        f"name {name:.0f}",
        *(["same phone"] if same_phone else []),
        *(["same birth date"] if same_birth else []),
    )
    score = min(100.0, name * 0.8 + 10 * same_phone + 10 * same_birth + (20 if name == 100 else 0))
    first, second = sorted((a.pk, b.pk))
    return Pair(first, second, round(score, 2), reasons)


def suggest(rows: Iterable[PersonRow]) -> list[Pair]:
    """Every pair worth a coordinator's look, best first; each pair once."""
    rows = [row for row in rows if row.name.strip() or row.phone]
    # Words sorted once per person: a plain ratio of these is rapidfuzz's token-sort ratio, without re-sorting.
    names = [" ".join(sorted(utils.default_process(row.name).split())) for row in rows]
    found: dict[tuple[int, int], Pair] = {}
    for group in _blocks(rows):
        for x, y in combinations(group, 2):
            a, b = rows[x], rows[y]
            key = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
            if key not in found and (pair := _judge(a, b, fuzz.ratio(names[x], names[y]))):
                found[key] = pair
    return sorted(found.values(), key=lambda pair: (-pair.score, pair.first, pair.second))


def _birth_dates() -> dict[int, dt.date]:
    born: dict[int, dt.date] = {}
    references = TalentReference.objects.filter(
        Q(vendor_data__has_any_keys=list(BIRTH_KEYS)), archived_at__isnull=True
    ).values_list("profile_id", *(f"vendor_data__{key}" for key in BIRTH_KEYS))
    for profile_id, *values in references:
        for value in values:
            try:
                born.setdefault(profile_id, dt.date.fromisoformat(str(value)[:10]))
                break
            except ValueError:
                continue
    return born


def person_rows() -> Iterator[PersonRow]:
    """Every person as the matcher reads them: two queries, streamed."""
    born = _birth_dates()
    people = TalentProfile.objects.values_list("pk", "first_name", "last_name", "phone").order_by("pk")
    for pk, first, last, phone in people.iterator(chunk_size=5000):
        yield PersonRow(pk, f"{first} {last}".strip(), phone_key(phone), born.get(pk))


class RefreshResult(TypedDict):
    people: int
    suggested: int


def refresh_suggestions() -> RefreshResult:
    """Store new pairs for review. A pair already decided (merged, rejected) is never suggested again."""
    rows = list(person_rows())
    pairs = suggest(rows)
    new = [
        DuplicateSuggestion(first_id=p.first, second_id=p.second, score=p.score, reasons=list(p.reasons)) for p in pairs
    ]
    before = DuplicateSuggestion.objects.count()
    DuplicateSuggestion.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return {"people": len(rows), "suggested": DuplicateSuggestion.objects.count() - before}
