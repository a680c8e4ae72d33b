"""CareerBuilder's one sync reader: the candidate statuses of the people the portal knows, page by page.

CareerBuilder has no "list everything" call, so the portal asks about whom it knows (README "Sync"); the records
are returned raw with the profile they belong to, and the core's writer stores them (`mapping.candidate_status_record`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from portal.integrations.provider import SyncResource
from vendors.base.client import VendorClient
from vendors.careerbuilder.client import TIE_SECOND, careerbuilder_client
from vendors.careerbuilder.mapping import candidate_status_record
from vendors.careerbuilder.schemas import sendable_email

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["EMAILS_PER_SEARCH", "RESOURCES", "candidate_status_pages"]

# The doc gives no limit on the POST's list of emails; 100 keeps a body small and a page of the sync bounded.
EMAILS_PER_SEARCH = 100


def candidate_status_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[dict]]:
    """The statuses of the portal's people: one POST per hundred profile emails (keyset, constant memory), each
    answer one page.

    Entries carry the profile the email belongs to (`{"status": raw, "profile_id": pk, "account": did}`): the batch
    already knows it, so linking costs no query; and the account asked about, whose lines alone this connection keeps.
    """
    from portal.talent.models import TalentProfile

    client = careerbuilder_client(client)
    asking_since = since - TIE_SECOND if since is not None else None
    after_pk = 0
    while True:
        batch = list(
            TalentProfile.objects.filter(pk__gt=after_pk)
            .exclude(email="")
            .order_by("pk")
            .values_list("pk", "email")[:EMAILS_PER_SEARCH]
        )
        if not batch:
            return
        after_pk = batch[-1][0]
        profile_of = {email: pk for pk, email in batch if sendable_email(email)}
        if not profile_of:
            continue
        answer = client.search_statuses(candidate_emails=tuple(profile_of), since=asking_since)
        yield [
            {
                "status": dict(status.raw),
                "profile_id": profile_of.get(status.candidate_email.strip().casefold()),
                "account": client.account,
            }
            for status in answer
        ]


RESOURCES: dict[str, SyncResource] = {
    "candidate_statuses": SyncResource(
        "candidate_statuses", "talent.CandidateStatus", candidate_status_pages, candidate_status_record
    ),
}
