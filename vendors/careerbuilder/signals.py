"""Status changes in the portal -> CareerBuilder, as outbox rows written in the same transaction as the change.

Domain apps never import vendors (STYLE "Imports run one way"), so the receivers are connected from here, by
`Provider.ready()`; `outbound.py` sends the rows. A save that moves `status` (or creates the record) writes one
`push_status` row per active CareerBuilder connection whose status map names the new status. Bulk writes
(`update()`, sync runs) send no signal and push nothing: a vendor's own report of a status is not ours to repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_save

from vendors.careerbuilder.mapping import (
    PushSettings,
    engagement_status_body,
    natural_key_of,
    relationship_status_body,
)
from vendors.careerbuilder.outbound import PUSH_OPERATION

__all__ = ["connect"]

VENDOR = "careerbuilder"


def _status_moved(instance: Any, created: bool) -> bool:
    """`AuditedModel` keeps the values a row was loaded with until its save ends, so post_save still sees them."""
    if created:
        return True
    loaded = getattr(instance, "_loaded_values", None) or {}
    return "status" in loaded and loaded["status"] != instance.status


def _enqueue_pushes(instance: Any, build: Callable[[Any, PushSettings], dict[str, Any] | None]) -> None:
    from portal.integrations import outbox
    from portal.integrations.models import VendorConnection

    for connection in VendorConnection.objects.filter(vendor=VENDOR, is_active=True):
        body = build(instance, PushSettings.of(connection.credentials or {}))
        if body is not None:
            outbox.enqueue(connection, PUSH_OPERATION, payload=body, natural_key=natural_key_of(body), related=instance)


def _relationship_saved(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not raw and _status_moved(instance, created):
        _enqueue_pushes(instance, relationship_status_body)


def _engagement_saved(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not raw and _status_moved(instance, created):
        # Engagements keep no status time of their own; the save is when the portal moved it.
        at = dt.datetime.now(dt.UTC)
        _enqueue_pushes(instance, lambda engagement, settings: engagement_status_body(engagement, settings, at=at))


def _receivers() -> list[tuple[Callable, str, str]]:
    return [
        (_relationship_saved, "talent.AccountRelationship", "careerbuilder-push-relationship"),
        (_engagement_saved, "contracts.Engagement", "careerbuilder-push-engagement"),
    ]


def connect() -> None:
    """Connect the receivers once (dispatch_uid makes a second call harmless)."""
    from django.apps import apps

    for receiver, model, uid in _receivers():
        post_save.connect(receiver, sender=apps.get_model(model), dispatch_uid=uid, weak=False)
