"""One person's history across every vendor, newest first (issue 8, "Candidate timeline page").

Each app that knows something of a person registers its sources here from its `AppConfig.ready()` (its
`timeline_entries.py`), so the timeline imports no other domain app and those apps may import talent (issue 16).
Each source reads one query, bounded by `limit` + 1 rows and by the keyset cursor `before` (only entries strictly
older); status moves of every app's records come from one audit query. A page costs the same for 20 entries or
2,000. Sources are merged in memory and cut to `limit`, never between two entries of the same instant.
An entry's source is the vendor name on the record's connection (`portal` for a record no vendor holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from portal.core.audit import next_change, value_at_creation
from portal.core.models import AuditEntry
from portal.integrations.models import VendorConnection
from portal.talent.models import TalentProfile

__all__ = [
    "LOCAL_SOURCE",
    "StatusRecord",
    "Timeline",
    "TimelineEntry",
    "TimelineQuery",
    "build_timeline",
    "register",
    "source_of",
]

# The source of records that no vendor holds (created in the portal and not sent anywhere).
LOCAL_SOURCE = "portal"


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    source: str
    source_label: str
    kind: str
    title: str
    detail: str = ""
    requisition_id: str = ""


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    next_before: dt.datetime | None


@dataclass(frozen=True)
class StatusRecord:
    """A record whose status moves come from the audit history. `record` has `status`, `connection` and a `Status`
    choices class; `changed_at` dates its current status when its history holds no move (a sync's bulk write)."""

    record: Model
    kind: str
    title: str
    changed_at: dt.datetime
    reasons: tuple[str, ...] = ()  # the sub-status and reason, shown beside the move to the current status
    requisition_id: str = ""


def source_of(connection: VendorConnection | None) -> tuple[str, str]:
    """The entry's source and its label: the vendor and the connection's name, or the portal's own."""
    if connection is None:
        return LOCAL_SOURCE, "Portal"
    return connection.vendor, connection.name


class TimelineQuery:
    """The filters every source shares: the source (vendor), the requisition, and the keyset window."""

    def __init__(self, source: str, requisition: str, before: dt.datetime | None, limit: int) -> None:
        self.source, self.requisition, self.before, self.limit = source, requisition, before, limit

    def vendor(self, queryset: QuerySet, path: str = "connection") -> QuerySet:
        if not self.source:
            return queryset
        if self.source == LOCAL_SOURCE:
            return queryset.filter(**{f"{path}__isnull": True})
        return queryset.filter(**{f"{path}__vendor": self.source})

    def window(self, queryset: QuerySet, field: str) -> QuerySet:
        queryset = queryset.filter(**{f"{field}__isnull": False})
        if self.before is not None:
            queryset = queryset.filter(**{f"{field}__lt": self.before})
        # One row past the page: whether the merge's cut is exact depends on knowing what follows it.
        return queryset.order_by(f"-{field}", "-pk")[: self.limit + 1]


EntrySource = Callable[[TalentProfile, TimelineQuery], Iterable[TimelineEntry]]
StatusSource = Callable[[TalentProfile, TimelineQuery], Iterable[StatusRecord]]
_ENTRY_SOURCES: list[EntrySource] = []
_STATUS_SOURCES: list[StatusSource] = []


def register(*, entries: Iterable[EntrySource] = (), statuses: Iterable[StatusSource] = ()) -> None:
    """Add an app's sources (from its `AppConfig.ready()`; registering one twice keeps it once)."""
    for sources, added in ((_ENTRY_SOURCES, entries), (_STATUS_SOURCES, statuses)):
        sources.extend(source for source in added if source not in sources)


def _status_moves(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    """Every app's status moves from one audit query, with the current status of records without a move."""
    records = {(type(item.record), item.record.pk): item for fetch in _STATUS_SOURCES for item in fetch(profile, query)}
    if not records:
        return
    models = {model for model, _ in records}
    types = ContentType.objects.get_for_models(*models)
    model_of = {types[model].pk: model for model in models}
    about = Q(pk__in=[])
    for model in models:
        about |= Q(content_type=types[model], object_id__in=[str(pk) for kind, pk in records if kind is model])
    # A sync's create entry names the status without its value: it follows from the next status move (`audit`).
    audit = AuditEntry.objects.filter(about, changes__has_key="status").annotate(next_status=next_change("status"))
    with_history = set()
    for entry in query.window(audit, "at"):
        key = (model_of[entry.content_type_id], int(entry.object_id))
        with_history.add(key)
        item = records[key]
        old, new = entry.changes["status"] or [None, value_at_creation(item.record, "status", entry.next_status)]
        yield _status_entry(item, entry.at, old, new, how=entry.get_source_display())
    for key, item in records.items():
        if key not in with_history and (query.before is None or item.changed_at < query.before):
            yield _status_entry(item, item.changed_at, None, item.record.status, how="current status")


def _status_entry(item: StatusRecord, at: dt.datetime, old, new, how: str) -> TimelineEntry:
    record = item.record
    choices = dict(type(record).Status.choices)
    move = f"{choices.get(old, old)} → {choices.get(new, new)}" if old else choices.get(new, new)
    reason = " · ".join(part for part in item.reasons if part)
    detail = f"{how}{f' ({reason})' if reason and new == record.status else ''}"
    return TimelineEntry(
        at,
        *source_of(record.connection),
        kind=item.kind,
        title=f"{item.title}: {move}",
        detail=detail,
        requisition_id=item.requisition_id,
    )


def build_timeline(
    profile: TalentProfile,
    *,
    source: str = "",
    requisition: str = "",
    before: dt.datetime | None = None,
    limit: int = 50,
) -> Timeline:
    """The newest `limit` entries older than `before`, filtered by source (vendor name or `portal`) and
    requisition id. Queries: one per source, whatever the size of the person's history."""
    query = TimelineQuery(source, requisition, before, limit)
    fetched = chain(_status_moves(profile, query), *(fetch(profile, query) for fetch in _ENTRY_SOURCES))
    merged = sorted(fetched, key=_newest_first)
    if len(merged) <= limit:
        return Timeline(merged, None)
    # Every source returned its newest limit + 1 rows, so everything newer than the first entry left out has
    # been read; cut there and resume just after it (times are stored to the microsecond).
    cut = merged[limit].at
    entries = [entry for entry in merged[:limit] if entry.at > cut]
    if entries:
        return Timeline(entries, cut + dt.timedelta(microseconds=1))
    # More than a page at one instant (a bulk import): show what was read of it and move past it.
    return Timeline([entry for entry in merged if entry.at == cut], cut)


def _newest_first(entry: TimelineEntry) -> tuple[float, str, str]:
    return (-entry.at.timestamp(), entry.source, entry.title)
