"""Local changes -> Kamana, as outbox rows written in the same transaction as the change.

Domain apps never import vendors (STYLE "Imports run one way"), so these receivers are connected by
`Provider.ready()`. Only records that belong to a Kamana connection are pushed. Saves made by a sync or a webhook
go through bulk writes, which send no signal: Kamana's own report of a change is never echoed back to it.

- a job requisition created with a Kamana connection is created there; a later change of a pushed field updates it;
- a relationship whose status moved sends the status with its sub-status and reason; do-not-hire its own call;
- an engagement whose pay package, dates, shift hours or client contract changed is updated;
- an extension added to a Kamana engagement is created there;
- a client, contact or facility saved through the jobs services (`portal.jobs.signals`) is created, updated or
  deleted there; contacts are keyed by their client, so a new client's contacts wait for the client's Kamana id;
- a person added to a Kamana account (`portal.talent.signals.added_to_account`) is looked up, created and related.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_save

from vendors.kamana.outbound_support import natural_key

__all__ = ["connect"]

VENDOR = "kamana"
REQUISITION_FIELDS = frozenset(
    {
        "name",
        "status",
        "job_type",
        "facility_id",
        "profession_id",
        "specialty_id",
        "client_contract_ref",
        "description",
        "number_of_openings",
        "years_of_experience",
        "starts_on",
        "asap",
        "contract_length_weeks",
        "hours_per_week",
        "shift_start_hour",
        "shift_end_hour",
        "shift_description",
        "regular_hourly_rate",
        "weekly_gross_pay",
        "weekly_housing_stipend",
        "weekly_per_diem",
        "travel_reimbursement",
        "compensation_comments",
    }
)
ENGAGEMENT_FIELDS = frozenset(
    {
        "starts_on",
        "ends_on",
        "contract_length",
        "hours_per_week",
        "shift_start_time",
        "shift_end_time",
        "regular_hourly_rate",
        "weekly_gross_pay",
        "weekly_housing_stipend",
        "weekly_per_diem",
        "travel_reimbursement",
        "compensation_comments",
        "client_contract_id",
    }
)


CONTACT_FIELDS = frozenset(
    {"first_name", "last_name", "email", "phone_number", "phone_extension", "mobile_number", "notes"}
)
FACILITY_FIELDS = frozenset({"name", "street", "city", "postal_code", "province_id", "time_zone"})


def _moved(instance: Any, names: frozenset[str]) -> set[str]:
    """`AuditedModel` keeps the values a row was loaded with until its save ends, so post_save still sees them."""
    loaded = getattr(instance, "_loaded_values", None) or {}
    return {name for name in names if name in loaded and loaded[name] != getattr(instance, name)}


def _kamana_connection(connection_id: int | None):
    from portal.integrations.models import VendorConnection

    if connection_id is None:
        return None
    return VendorConnection.objects.filter(pk=connection_id, vendor=VENDOR, is_active=True).first()


def _enqueue(connection: Any, operation: str, instance: Any, key_of: Any | None = None) -> None:
    from portal.integrations import outbox

    outbox.enqueue(connection, operation, natural_key=natural_key(key_of or instance), related=instance)


def _requisition_saved(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    connection = None if raw else _kamana_connection(instance.connection_id)
    if connection is None:
        return
    if created and not instance.external_id:
        _enqueue(connection, "create_job_requisition", instance)
    elif not created and _moved(instance, REQUISITION_FIELDS):
        # Queued even while the create is unsent: it waits behind it (same key) and reads the id it left.
        _enqueue(connection, "update_job_requisition", instance)


def _relationship_saved(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    connection = None if raw or created else _kamana_connection(instance.connection_id)
    if connection is None or not instance.external_id:
        return
    moved = _moved(instance, frozenset({"status", "do_not_hire"}))
    if "status" in moved:
        _enqueue(connection, "update_relationship_status", instance)
    if "do_not_hire" in moved:
        _enqueue(connection, "set_do_not_hire", instance)


def _engagement_saved(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    connection = None if raw or created else _kamana_connection(instance.connection_id)
    if connection is not None and instance.external_id and _moved(instance, ENGAGEMENT_FIELDS):
        _enqueue(connection, "update_engagement", instance)


def _extension_saved(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not created or instance.external_id:
        return
    engagement = instance.engagement
    connection = _kamana_connection(engagement.connection_id)
    if connection is not None and engagement.external_id:
        # Keyed by the engagement: its extensions and updates go out in the order they were made.
        _enqueue(connection, "create_engagement_extension", instance, key_of=engagement)


def _client_saved(sender: type, client: Any, created: bool, **kwargs: Any) -> None:
    """Kamana has no client update or delete: only a new client is sent."""
    connection = _kamana_connection(client.connection_id)
    if connection is not None and created and not client.external_id:
        _enqueue(connection, "create_client", client)


def _contact_saved(sender: type, contact: Any, created: bool, changed: frozenset[str], **kwargs: Any) -> None:
    connection = _kamana_connection(contact.connection_id)
    if connection is None:
        return
    if created and not contact.external_id:
        _enqueue(connection, "create_client_contact", contact, key_of=contact.client)
    elif not created and changed & CONTACT_FIELDS:
        _enqueue(connection, "update_client_contact", contact, key_of=contact.client)


def _contact_removed(sender: type, contact: Any, **kwargs: Any) -> None:
    connection = _kamana_connection(contact.connection_id)
    if connection is not None:
        _enqueue(connection, "delete_client_contact", contact, key_of=contact.client)


def _facility_saved(sender: type, facility: Any, created: bool, changed: frozenset[str], **kwargs: Any) -> None:
    connection = _kamana_connection(facility.connection_id)
    if connection is None:
        return
    if created and not facility.external_id:
        _enqueue(connection, "create_facility", facility)
    elif not created and changed & FACILITY_FIELDS:
        _enqueue(connection, "update_facility", facility)


def _facility_deleted(sender: type, facility: Any, **kwargs: Any) -> None:
    connection = _kamana_connection(facility.connection_id)
    if connection is not None:
        _enqueue(connection, "delete_facility", facility)


def _added_to_account(sender: type, profile: Any, connection: Any, **kwargs: Any) -> None:
    kamana = _kamana_connection(connection.pk)
    if kamana is not None:
        _enqueue(kamana, "add_talent", profile)


def _domain_receivers() -> list[tuple[Callable, Any, str]]:
    from portal.jobs import signals as jobs
    from portal.talent import signals as talent

    return [
        (_client_saved, jobs.client_saved, "kamana-push-client"),
        (_contact_saved, jobs.client_contact_saved, "kamana-push-contact"),
        (_contact_removed, jobs.client_contact_removed, "kamana-push-contact-removal"),
        (_facility_saved, jobs.facility_saved, "kamana-push-facility"),
        (_facility_deleted, jobs.facility_deleted, "kamana-push-facility-deletion"),
        (_added_to_account, talent.added_to_account, "kamana-push-added-talent"),
    ]


def _receivers() -> list[tuple[Callable, str, str]]:
    return [
        (_requisition_saved, "jobs.JobRequisition", "kamana-push-requisition"),
        (_relationship_saved, "talent.AccountRelationship", "kamana-push-relationship"),
        (_engagement_saved, "contracts.Engagement", "kamana-push-engagement"),
        (_extension_saved, "contracts.EngagementExtension", "kamana-push-extension"),
    ]


def connect() -> None:
    """Connect the receivers once (dispatch_uid makes a second call harmless)."""
    from django.apps import apps

    for receiver, model, uid in _receivers():
        post_save.connect(receiver, sender=apps.get_model(model), dispatch_uid=uid, weak=False)
    for receiver, signal, uid in _domain_receivers():
        signal.connect(receiver, dispatch_uid=uid, weak=False)
