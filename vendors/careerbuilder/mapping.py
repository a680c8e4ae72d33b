"""CareerBuilder statuses <-> portal records, one function per resource (allauth `extract_common_fields`).

In: a retrieved status becomes the fields of `talent.CandidateStatus`, linked to the person with that email.
Out: a talent relationship's status becomes a candidate-level status, an engagement's (the person's application
to a job requisition) an application-level one. Portal statuses become CareerBuilder's raw status strings through
`DEFAULT_STATUS_MAP`, which an Admin overrides per connection with the `status_map` setting (README "Pushing").
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.integrations.provider import MappedRecord
from portal.talent.services import candidate_status_external_id
from vendors.base.reading import unreadable_fields
from vendors.careerbuilder.schemas import (
    FIELD_LIMITS,
    CandidateStatus,
    CandidateStatusKey,
    StatusLevel,
    candidate_status_key,
    format_status_date,
)

__all__ = [
    "DEFAULT_STATUS_MAP",
    "PushSettings",
    "candidate_status_record",
    "engagement_status_body",
    "natural_key_of",
    "relationship_status_body",
    "status_external_id",
]

logger = logging.getLogger(__name__)

# Portal status -> the raw status CareerBuilder records. Words from the doc's TEE steps where one fits; "" means
# "do not tell CareerBuilder about this status".
DEFAULT_STATUS_MAP: Mapping[str, Mapping[str, str]] = {
    "relationship": {
        "interested": "New",
        "prospect": "Pipeline",
        "review": "Reviewed",
        "engaged": "Engaged",
        "archived": "Inactive",
    },
    "engagement": {
        "pending": "New",
        "qualifying": "Reviewed",
        "ready": "Reviewed",
        "submitted": "Submitted",
        "interviewing": "First Interview",
        "offered": "Offer",
        "placed": "Hired",
        "credentialing": "Credentialing",
        "credentialed": "Credentialed",
        "cleared": "Cleared to start",
        "active": "On assignment",
        "complete": "Assignment complete",
    },
}
DEFAULT_VENDOR_KEY = "staffing-portal"  # "Key passed in to identify the vendor" (String(20))
DEFAULT_CLIENT = "StaffingPortal"  # "System calling this service" (String(20))


def status_external_id(key: CandidateStatusKey) -> str:
    """`VendorRecord.external_id` of a status: CareerBuilder has no id, so its unique key is one. The talent app owns
    the rule (`candidate_status_external_id`), so a status recorded in the portal and the synced line are one row."""
    account, candidate_email, vendor_key, requisition_id, status_level = key
    return candidate_status_external_id(
        account=account,
        candidate_email=candidate_email,
        vendor_key=vendor_key,
        requisition_id=requisition_id,
        status_level=status_level,
    )


def candidate_status_record(entry: Mapping[str, Any]) -> MappedRecord:
    """One sync entry (`{"status": raw, "profile_id": pk, "account": did}`) as `talent.CandidateStatus` fields.

    Raises ValueError for a status the table cannot hold (no date, no level, an application without requisition,
    a value over the doc's limit), which the sync run counts as failed instead of failing the page's bulk insert.
    """
    status = CandidateStatus.from_payload(entry["status"])
    if status.status_level is None or status.status_date is None:
        raise ValueError("a status without a readable status_level or status_date")
    if not (status.account and status.candidate_email and status.status):
        raise ValueError("a status without account, candidate_email or status")
    asked = str(entry.get("account") or "")
    if asked and status.account.casefold() != asked.casefold():
        raise ValueError(f"a status of account {status.account}, not this connection's {asked}")
    if status.status_level is StatusLevel.APPLICATION and not status.requisition_id:
        raise ValueError("an application-level status without a requisition_id")
    # "if candidate: requisition_id and requisition_title must be left off": a candidate line that carries one
    # anyway is stored without it, as `talent.services.record_candidate_status` stores it, so both agree on the key.
    application = status.status_level is StatusLevel.APPLICATION
    requisition_id = (status.requisition_id or "") if application else ""
    fields = {
        "profile_id": entry.get("profile_id"),
        "account": status.account,
        "candidate_email": status.candidate_email.strip().casefold(),
        "vendor_key": status.vendor_key or "",
        "client": status.client or "",
        "requisition_id": requisition_id,
        "requisition_title": (status.requisition_title or "") if application else "",
        "status_level": status.status_level.value,
        "level_id": status.level_id or "",
        "status": status.status,
        "status_detail": status.status_detail or "",
        "status_date": status.status_date,
    }
    too_long = [name for name, limit in FIELD_LIMITS.items() if len(str(fields.get(name) or "")) > limit]
    if too_long:
        raise ValueError(f"longer than the doc allows: {', '.join(too_long)}")
    return MappedRecord(
        external_id=status_external_id(
            candidate_status_key(
                status.account, status.candidate_email, status.vendor_key, requisition_id, status.status_level
            )
        ),
        fields=fields,
        vendor_updated_at=status.status_date,
        vendor_data=dict(status.raw),
        problems=unreadable_fields(status.warnings, fields),
    )


@dataclass(frozen=True)
class PushSettings:
    """What a connection says about pushing: its account, how it names itself, and its status map."""

    account: str
    vendor_key: str = DEFAULT_VENDOR_KEY
    client: str = DEFAULT_CLIENT
    status_map: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: DEFAULT_STATUS_MAP)

    @classmethod
    def of(cls, credentials: Mapping[str, Any]) -> PushSettings:
        return cls(
            account=str(credentials.get("account") or ""),
            vendor_key=str(credentials.get("vendor_key") or DEFAULT_VENDOR_KEY),
            client=str(credentials.get("client") or DEFAULT_CLIENT),
            status_map=_merged_status_map(credentials.get("status_map")),
        )

    def raw_status(self, kind: str, portal_status: str) -> str:
        return str(self.status_map.get(kind, {}).get(portal_status, ""))


def _merged_status_map(override: Any) -> dict[str, dict[str, str]]:
    """The defaults with an Admin's `status_map` (a dict, or its JSON text as `manage.py connect` stores it) on
    top. An unreadable override is logged and ignored: a bad setting must not block the coordinator's save."""
    merged = {kind: dict(statuses) for kind, statuses in DEFAULT_STATUS_MAP.items()}
    if isinstance(override, str) and override.strip():
        try:
            override = json.loads(override)
        except ValueError:
            logger.error("CareerBuilder status_map is not JSON; using the default map")
            return merged
    if not isinstance(override, Mapping):
        return merged
    for kind, statuses in override.items():
        if kind in merged and isinstance(statuses, Mapping):
            merged[kind].update({str(k): str(v or "") for k, v in statuses.items()})
    return merged


WIRE_ORDER = (
    "account",
    "candidate_email",
    "vendor_key",
    "client",
    "requisition_id",
    "requisition_title",
    "level_id",
    "status",
    "status_date",
    "status_level",
    "status_detail",
)


def _body(settings: PushSettings, **values: Any) -> dict[str, Any]:
    """A PUT body in the doc's key order, blanks left off. Not checked here: the outbox checks it before sending
    (`StatusInsert.from_payload`), so a bad body is parked with its field errors next to the record."""
    values = {"account": settings.account, "vendor_key": settings.vendor_key, "client": settings.client, **values}
    return {name: values[name] for name in WIRE_ORDER if values.get(name) not in (None, "")}


def relationship_status_body(relationship: Any, settings: PushSettings) -> dict[str, Any] | None:
    """A `talent.AccountRelationship`'s status as the person's candidate-level status (None: not mapped)."""
    status = settings.raw_status("relationship", relationship.status)
    if not status:
        return None
    at = relationship.status_changed_at or dt.datetime.now(dt.UTC)
    detail = " - ".join(part for part in (relationship.sub_status, relationship.status_reason) if part)
    return _body(
        settings,
        candidate_email=relationship.profile.email,
        level_id=f"talent-{relationship.profile_id}",
        status=status,
        status_date=format_status_date(at),
        status_level=StatusLevel.CANDIDATE.value,
        status_detail=detail,
    )


def engagement_status_body(engagement: Any, settings: PushSettings, *, at: dt.datetime) -> dict[str, Any] | None:
    """A `contracts.Engagement`'s status as the application-level status for its job requisition (None: not
    mapped, or no person or requisition to say it about). The requisition is named by its vendor id where it has
    one (Kamana's, which CareerBuilder's other clients share), else by the portal's."""
    status = settings.raw_status("engagement", engagement.status)
    job = engagement.job_requisition
    if not status or job is None or engagement.talent is None:
        return None
    detail = " - ".join(part for part in (engagement.sub_status, engagement.status_reason) if part)
    return _body(
        settings,
        candidate_email=engagement.talent.email,
        requisition_id=job.external_id or f"portal-{job.pk}",
        requisition_title=job.name[: FIELD_LIMITS["requisition_title"]],
        level_id=f"engagement-{engagement.pk}",
        status=status,
        status_date=format_status_date(at),
        status_level=StatusLevel.APPLICATION.value,
        status_detail=detail,
    )


def natural_key_of(body: Mapping[str, Any]) -> str:
    """The outbox's natural key of a PUT body: the status's external id, so rows for one status go in order."""
    return status_external_id(
        candidate_status_key(
            str(body.get("account") or ""),
            str(body.get("candidate_email") or ""),
            body.get("vendor_key"),
            body.get("requisition_id"),
            str(body.get("status_level") or ""),
        )
    )
