"""What the rules know of a person besides their work: credentials, do-not-hire and do-not-return, loaded for
many people at once (five queries with the facilities' credential lists whatever their number or history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from portal.contracts.models import CredentialingRequirement
from portal.gate.models import DoNotReturn
from portal.talent.models import AccountRelationship, TalentProfile

__all__ = ["PersonFacts", "load_facts", "required_credentials"]


@dataclass
class PersonFacts:
    credentials: dict[str, dt.datetime] = field(default_factory=dict)  # name -> newest expiry
    do_not_hire: list[str] = field(default_factory=list)  # where, e.g. "Kamana account 12"
    do_not_return: dict[int, str] = field(default_factory=dict)  # facility id -> reason and who set it
    # facility id -> the credentials its placements require (shared by everyone's facts); a facility without a
    # list has every held credential checked
    required_at: dict[int, set[str]] = field(default_factory=dict)


def required_credentials(facilities: Iterable[int]) -> dict[int, set[str]]:
    """Each facility's requirement list: the credentials Kamana asks of placements there (one query)."""
    lists: dict[int, set[str]] = {}
    rows = CredentialingRequirement.objects.filter(
        engagement__facility_id__in=list(facilities), archived_at__isnull=True
    )
    for facility_id, name in rows.values_list("engagement__facility_id", "name").distinct():
        lists.setdefault(facility_id, set()).add(name)
    return lists


def load_facts(people: Iterable[int], facilities: Iterable[int] = ()) -> dict[int, PersonFacts]:
    wanted = list(people)
    required_at = required_credentials(facilities)
    facts = {pk: PersonFacts(required_at=required_at) for pk in wanted}
    for pk in TalentProfile.objects.filter(pk__in=wanted, do_not_hire=True).values_list("pk", flat=True):
        facts[pk].do_not_hire.append("on the person's profile")
    relationships = AccountRelationship.objects.filter(
        profile_id__in=wanted, do_not_hire=True, archived_at__isnull=True
    ).select_related("connection")
    for relationship in relationships:
        source = relationship.connection.name if relationship.connection_id else "portal"
        facts[relationship.profile_id].do_not_hire.append(f"{source} account {relationship.account_ref or '?'}")
    # A renewed credential is a new requirement on a later engagement: the newest expiry per name is what holds.
    requirements = (
        CredentialingRequirement.objects.filter(
            engagement__talent_id__in=wanted, expires_at__isnull=False, archived_at__isnull=True
        )
        .exclude(status=CredentialingRequirement.Status.DISMISSED)
        .values_list("engagement__talent_id", "name", "expires_at")
    )
    for pk, name, expires_at in requirements:
        held = facts[pk].credentials
        if name not in held or expires_at > held[name]:
            held[name] = expires_at
    for entry in DoNotReturn.objects.filter(profile_id__in=wanted).select_related("set_by"):
        who = f" (set by {entry.set_by})" if entry.set_by_id else ""
        facts[entry.profile_id].do_not_return[entry.facility_id] = f"{entry.reason}{who}"
    return facts
