"""Requisition, client, contact and facility changes made in the portal (pages, Django admin, REST), and what was
sent of them.

A save here is the whole push: a vendor package listening to the requisition's post_save writes its outbox row in
the same transaction (for Kamana, `vendors/kamana/signals.py`), so the change and its delivery commit together or
not at all. The jobs app never names the vendor; it asks the outbox what the save queued. Clients, contacts and
facilities leave the same way through the domain signals in `signals.py` (issue 24); none is ever deleted here:
removing one archives it, and the vendor deletes its own copy where it can.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from portal.core.audit import audit_context
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.jobs import signals
from portal.jobs.models import Client, ClientContact, Facility, JobRequisition

__all__ = [
    "archive",
    "delete_facility_at_vendor",
    "dependents",
    "remove_contact",
    "retry_request",
    "save_client",
    "save_contact",
    "save_facility",
    "save_requisition",
]


def save_requisition(requisition: JobRequisition, *, by: Any) -> OutboundRequest | None:
    """Save a requisition made or changed by `by`; returns the outbound request the save queued, or None when it
    stays in the portal (no connection, or nothing the vendor holds changed).

    A refused status move raises `InvalidTransition` (a ValidationError) and nothing is written."""
    with transaction.atomic(), audit_context("user", user=by):
        before = _latest_request(requisition) if requisition.pk else None
        requisition.save()
        after = _latest_request(requisition)
    return after if after is not None and after != before else None


def _latest_request(requisition: JobRequisition) -> OutboundRequest | None:
    return outbox.delivery_states([requisition]).get(requisition.pk)


def retry_request(record: models.Model, row_pk: int, *carried: models.Model) -> OutboundRequest | None:
    """Send a failed push of this record (or of the records its page shows with it, a client's contacts) again.
    A coordinator may retry the pushes of the page they are looking at, not any outbox row (that is the Admin's
    Integrations page): another row's id is ignored."""
    row = next((row for row in outbox.requests_about(record, *carried) if row.pk == row_pk), None)
    if row is None or row.state != OutboundRequest.State.FAILED:
        return None
    outbox.retry_request(row)
    return row


def _changed(instance: models.Model) -> frozenset[str]:
    """The fields a save changes: `AuditedModel` keeps the values the row was loaded with."""
    loaded = getattr(instance, "_loaded_values", None) or {}
    return frozenset(name for name, value in loaded.items() if getattr(instance, name) != value)


def _save(instance: models.Model, signal: Signal, name: str, *, by: Any, source: str) -> OutboundRequest | None:
    """Save and announce the change in one transaction; returns what it queued for the record's vendor."""
    created = instance.pk is None
    changed = frozenset() if created else _changed(instance)
    with transaction.atomic(), audit_context(source, user=by):
        before = None if created else _latest(instance)
        instance.save()
        signal.send(sender=type(instance), **{name: instance}, created=created, changed=changed)
        after = _latest(instance)
    return after if after is not None and after != before else None


def _latest(instance: models.Model) -> OutboundRequest | None:
    return outbox.delivery_states([instance]).get(instance.pk)


def save_client(client: Client, *, by: Any, source: str = "user") -> OutboundRequest | None:
    """Save a client; one new on a vendor connection is created there (the vendor may offer no update)."""
    return _save(client, signals.client_saved, "client", by=by, source=source)


def save_contact(contact: ClientContact, *, by: Any, source: str = "user") -> OutboundRequest | None:
    """Save a client contact; it takes its client's connection, so it goes where its client went."""
    contact.connection = contact.client.connection
    return _save(contact, signals.client_contact_saved, "contact", by=by, source=source)


def save_facility(facility: Facility, *, by: Any, source: str = "user") -> OutboundRequest | None:
    return _save(facility, signals.facility_saved, "facility", by=by, source=source)


def archive(record: Client | ClientContact | Facility, *, by: Any, source: str = "user") -> None:
    """Hide a record here (lists leave it out) without asking its vendor to delete anything."""
    _archive(record, None, "", by=by, source=source)


def remove_contact(contact: ClientContact, *, by: Any, source: str = "user") -> OutboundRequest | None:
    """Archive the contact here and delete it at its client's vendor (a contact is the client's to manage)."""
    return _archive(contact, signals.client_contact_removed, "contact", by=by, source=source)


def delete_facility_at_vendor(facility: Facility, *, by: Any, source: str = "user") -> OutboundRequest | None:
    """Archive the facility here and delete it at its vendor (Admin only: what depends on it stays, unplaced)."""
    return _archive(facility, signals.facility_deleted, "facility", by=by, source=source)


def _archive(record: models.Model, signal: Signal | None, name: str, *, by: Any, source: str):
    """Archive the record and, with a `signal`, ask its vendor to delete it, in one transaction."""
    with transaction.atomic(), audit_context(source, user=by):
        record.archived_at = timezone.now()
        record.save()
        if signal is None:
            return None
        signal.send(sender=type(record), **{name: record})
        return _latest(record)


def dependents(record: models.Model) -> list[tuple[str, int]]:
    """What points at the record, by kind, with how many (requisitions, engagements, shifts, ...), found through
    the model's reverse relations so the jobs app names no app above it. Kinds with none are left out."""
    found = []
    for relation in record._meta.related_objects:
        if relation.one_to_many and not relation.related_model._meta.auto_created:
            count = relation.related_model._base_manager.filter(**{relation.field.name: record}).count()
            if count:
                found.append((str(relation.related_model._meta.verbose_name_plural), count))
    return sorted(found)
