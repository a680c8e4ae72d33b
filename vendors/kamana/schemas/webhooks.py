"""Kamana webhook events: six event types, each with `environment`, the full `object` and the `changes`.

The doc ("Webhooks") lists each event's fields and says the environment is "at the top level of the Event
data structure", the full record is in `object` and the changed fields in `changes` (related records there
as ids only). It never shows an envelope or names the event types, so the names are chosen (README):

    {"event_type": "job_requisition.update", "environment": "production", "object": {...}, "changes": {...}}

`event_type` is `<resource>.<action>`; `event`/`type` are read as well, and the doc's verbs are normalised
(the relationship event says "insert" where the others say "create"). Order events by `updated_at`, the
object's own timestamp: the doc gives no delivery time or sequence number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from vendors.kamana.schemas.engagements import Engagement, EngagementExtension, EngagementRequirement
from vendors.kamana.schemas.reading import PayloadUnreadable
from vendors.kamana.schemas.requisitions import JobRequisition
from vendors.kamana.schemas.talent import Relationship, TalentProfile

__all__ = ["WebhookAction", "WebhookEvent", "WebhookResource", "WebhookUnreadable"]


class WebhookUnreadable(PayloadUnreadable):
    """A delivery that is not one of the six events: kept in the inbox as malformed, never applied."""


class WebhookResource(StrEnum):
    """The six event types of the doc, by the record they carry."""

    TALENT_PROFILE = "talent_profile"
    RELATIONSHIP = "relationship"
    JOB_REQUISITION = "job_requisition"
    ENGAGEMENT = "engagement"
    ENGAGEMENT_REQUIREMENT = "engagement_requirement"
    ENGAGEMENT_EXTENSION = "engagement_extension"


class WebhookAction(StrEnum):
    """What happened; `reassignment` is the relationship's bulk primary-contact change ("Reassign Talent")."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REASSIGNMENT = "reassignment"


_ACTION_ALIASES = {
    "insert": WebhookAction.CREATE,
    "created": WebhookAction.CREATE,
    "updated": WebhookAction.UPDATE,
    "deleted": WebhookAction.DELETE,
    "reassigned": WebhookAction.REASSIGNMENT,
}
_RESOURCE_ALIASES = {"profile": WebhookResource.TALENT_PROFILE, "talent": WebhookResource.TALENT_PROFILE}

Record = TalentProfile | Relationship | JobRequisition | Engagement | EngagementRequirement | EngagementExtension

_PARSERS: dict[WebhookResource, Any] = {
    WebhookResource.TALENT_PROFILE: TalentProfile.from_payload,
    WebhookResource.RELATIONSHIP: Relationship.from_payload,
    WebhookResource.JOB_REQUISITION: JobRequisition.from_payload,
    WebhookResource.ENGAGEMENT: Engagement.from_payload,
    WebhookResource.ENGAGEMENT_REQUIREMENT: EngagementRequirement.from_payload,
    WebhookResource.ENGAGEMENT_EXTENSION: EngagementExtension.from_payload,
}


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One delivery, read. `record` is the typed `object`; `changed_fields` are the keys of `changes`."""

    resource: WebhookResource
    action: WebhookAction
    environment: str | None
    record: Record
    changes: Mapping[str, Any]
    warnings: tuple[str, ...] = ()

    @property
    def event_type(self) -> str:
        return f"{self.resource}.{self.action}"

    @property
    def external_id(self) -> str:
        return self.record.id

    @property
    def updated_at(self) -> datetime | None:
        """The record's own timestamp, for ordering: a delivery older than the stored row is stale."""
        return self.record.updated_at

    @property
    def changed_fields(self) -> tuple[str, ...]:
        return tuple(str(name).removesuffix("?") for name in self.changes)

    @classmethod
    def from_payload(cls, payload: Any) -> WebhookEvent:
        if not isinstance(payload, Mapping):
            raise WebhookUnreadable(f"a Kamana webhook must be a JSON object, got {type(payload).__name__}")
        resource, action = _event_type(payload)
        body = payload.get("object")
        if not isinstance(body, Mapping):
            raise WebhookUnreadable(f"a Kamana {resource} event without an `object`: {body!r}")
        record = _PARSERS[resource](body, None)
        changes = payload.get("changes")
        warnings = list(record.warnings)
        if changes is None:
            changes = {}
        elif not isinstance(changes, Mapping):
            warnings.append(f"changes: expected an object, got {changes!r}; read as no changes")
            changes = {}
        environment = payload.get("environment")
        return cls(
            resource=resource,
            action=action,
            environment=None if environment is None else str(environment),
            record=record,
            changes=changes,
            warnings=tuple(warnings),
        )


def _event_type(payload: Mapping[str, Any]) -> tuple[WebhookResource, WebhookAction]:
    name = payload.get("event_type") or payload.get("event") or payload.get("type")
    if not isinstance(name, str) or "." not in name:
        raise WebhookUnreadable(f"a Kamana webhook without a `<resource>.<action>` event type: {name!r}")
    resource_name, _, action_name = name.strip().lower().rpartition(".")
    resource_name = resource_name.replace("-", "_").replace(" ", "_")
    try:
        resource = _RESOURCE_ALIASES.get(resource_name) or WebhookResource(resource_name)
        action = _ACTION_ALIASES.get(action_name) or WebhookAction(action_name)
    except ValueError:
        raise WebhookUnreadable(f"not one of Kamana's six webhook events: {name!r}") from None
    return resource, action
