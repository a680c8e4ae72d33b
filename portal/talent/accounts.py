"""Adding a person the account's vendor does not know yet (issue 24, "Add to Kamana"), and keeping what it
answered: the vendor's profile id as the person's reference, the new relationship with its initial status.

The page, Django admin and the REST API all call `add_to_account`; a vendor package listening to
`signals.added_to_account` writes the outbox row in the same transaction. The vendor package calls
`link_account_relationship` with the answer; a relationship its webhook brought first is the same row.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.core.audit import audit_context
from portal.core.vendor_records import remember_vendor_id
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, VendorConnection
from portal.integrations.services import connections_with_operation, outbound_problems
from portal.talent import signals
from portal.talent.models import AccountRelationship, TalentProfile
from portal.talent.services import match_or_create_profile

__all__ = ["ADD_OPERATION", "add_problems", "add_to_account", "addable_connections", "link_account_relationship"]

ADD_OPERATION = "add_talent"


def addable_connections(profile: TalentProfile) -> list[VendorConnection]:
    """Connections that can add a person and hold no relationship with this one yet, nor a request to add them
    that is still on its way (a second click would only wait behind it)."""
    held = profile.relationships.exclude(connection=None).values("connection_id")
    on_the_way = OutboundRequest.objects.filter(
        operation=ADD_OPERATION, object_id=str(profile.pk), state__in=["pending", "sending"]
    ).values("connection_id")
    return list(connections_with_operation(ADD_OPERATION).exclude(pk__in=held).exclude(pk__in=on_the_way))


def add_problems(profile: TalentProfile, connection: VendorConnection) -> list[str]:
    """What the connection's vendor would refuse in the person as they are (Kamana: a name and an email), as
    "field: message" lines; the page's form shows the same next to its fields."""
    candidate = copy.copy(profile)
    candidate.connection = connection
    problems = outbound_problems(connection, ADD_OPERATION, candidate)
    return [f"{name.replace('_', ' ')}: {message}" for name, messages in problems.items() for message in messages]


def add_to_account(profile: TalentProfile, connection: VendorConnection, *, by: Any, source: str = "user"):
    """Queue adding the person to the connection's account; returns the outbound request it wrote.
    Refused (ValidationError) when the connection cannot, or already holds a relationship with the person."""
    if connection not in addable_connections(profile):
        raise ValidationError({"connection": f"{connection.name} already has this person, or cannot add people."})
    with transaction.atomic(), audit_context(source, user=by):
        signals.added_to_account.send(sender=TalentProfile, profile=profile, connection=connection)
        return next(iter(outbox.requests_about(profile)), None)


def link_account_relationship(
    profile: TalentProfile, connection: VendorConnection, *, profile_ref: str, relationship_ref: str, **fields: Any
) -> AccountRelationship:
    """Keep the vendor's answer: its profile id becomes the person's reference at the connection, and the
    relationship is stored with the status the vendor gave it. A relationship the vendor's webhook stored first
    (same account and person) is kept and given the id; nothing is stored twice."""
    with transaction.atomic():
        if profile_ref:
            match_or_create_profile(email=profile.email, connection=connection, external_id=profile_ref)
        relationship = _relationship_of(profile, connection, fields)
        remember_vendor_id(relationship, connection, relationship_ref)
    return relationship


def _relationship_of(profile: TalentProfile, connection: VendorConnection, fields: dict[str, Any]):
    account = {"connection": connection, "account_ref": fields.get("account_ref", ""), "profile": profile}
    held = AccountRelationship.objects.filter(**account).first()
    if held is not None:
        return held
    try:
        with transaction.atomic():
            return AccountRelationship.objects.create(**{**fields, **account})
    except IntegrityError:  # the webhook's insert won the race; it is the same relationship
        return AccountRelationship.objects.get(**account)
