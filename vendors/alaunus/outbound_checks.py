"""What Alaunus would refuse in a local visit, series or punchcard, found before a form saves it (issue 23).

Each check builds the same draft the outbox will send (`mapping`, `schemas.drafts`) and turns a `PayloadInvalid`
into messages keyed by the local model's field names, which the form shows next to its fields; it also says
when a patient or caregiver is not an Alaunus record of the connection (the outbox could only fail then).
Also here: finding a caregiver's Alaunus user, which the checks and the sends share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from portal.integrations.errors import PayloadInvalid
from vendors.alaunus.mapping import group_draft
from vendors.alaunus.schemas import EventDraft, PunchcardDraft

__all__ = ["USER_ONLY_KEYS", "alaunus_user_id", "check_group", "check_punchcard", "check_visit"]

# Only a user record carries these (doc, "Users"); a candidate cannot attend a visit.
USER_ONLY_KEYS = ["role", "role_type", "candidate", "is_setup", "timezone"]
# Draft keys -> the local fields they come from.
_VISIT_NAMES = {"start": "starts_at", "end": "ends_at", "attendees": "caregiver"}
_GROUP_NAMES = {"start": "starts_at", "end": "ends_at"}
_PUNCHCARD_NAMES = {"actual.start": "check_in", "actual.end": "check_out"}


def alaunus_user_id(profile: Any, connection_id: int | None) -> str | None:
    """The caregiver's Alaunus *user* id at this connection (their candidate record cannot attend), or None."""
    return (
        profile.references.filter(
            connection_id=connection_id, archived_at=None, vendor_data__has_any_keys=USER_ONLY_KEYS
        )
        .order_by("-pk")
        .values_list("external_id", flat=True)
        .first()
    )


def _problems(build: Callable[[], Any], names: dict[str, str]) -> dict[str, list[str]]:
    try:
        build()
    except PayloadInvalid as invalid:
        found: dict[str, list[str]] = {}
        for key, messages in invalid.errors.items():
            found.setdefault(names.get(key.split("[")[0], key.split("[")[0]), []).extend(messages)
        return found
    return {}


def _held(record: Any, connection_id: int | None) -> bool:
    return record is not None and record.connection_id == connection_id and bool(record.external_id)


def check_visit(visit: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if visit.patient is None:
        problems["patient"] = ["Alaunus needs a patient for every visit."]
    elif not _held(visit.patient, visit.connection_id):
        problems["patient"] = ["Not known to this Alaunus connection: choose a patient synced from it."]
    if visit.caregiver is not None and alaunus_user_id(visit.caregiver, visit.connection_id) is None:
        problems["caregiver"] = ["Not an Alaunus user of this connection: only its users can attend a visit."]
    if isinstance(visit.starts_at, dt.datetime) and isinstance(visit.ends_at, dt.datetime):
        draft = EventDraft(patient="-", start=visit.starts_at, end=visit.ends_at, notes=visit.notes or None)
        problems.update(_problems(draft.to_payload, _VISIT_NAMES))
    return problems


def check_group(group: Any) -> dict[str, list[str]]:
    if not isinstance(group.starts_at, dt.datetime):
        return {}
    return _problems(lambda: group_draft(group).to_payload(), _GROUP_NAMES)


def check_punchcard(card: Any) -> dict[str, list[str]]:
    if not card.external_id or card.visit is None or not _held(card.visit, card.connection_id):
        return {"__all__": ["This punchcard did not come from Alaunus, so Alaunus cannot take a correction of it."]}
    if not isinstance(card.check_in, dt.datetime) or not isinstance(card.check_out, dt.datetime):
        return {}
    draft = PunchcardDraft(event="-", user="-", actual_start=card.check_in, actual_end=card.check_out)
    return _problems(draft.to_payload, _PUNCHCARD_NAMES)
