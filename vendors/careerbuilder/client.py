"""CareerBuilder Candidate Status calls, typed: schema objects in, schema objects out, paths from `paths.py`.

The connection's account DID travels with the client because every call needs it (in the path or the body) and
the sync's page iterator receives only the client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from portal.integrations.errors import ValidationFailed
from vendors.base.client import VendorClient
from vendors.careerbuilder.paths import INSERT_STATUS, RETRIEVE_EMAIL_STATUSES, RETRIEVE_MANY_STATUSES
from vendors.careerbuilder.schemas import (
    CandidateStatusKey,
    CandidateStatusList,
    EmailStatusQuery,
    PayloadInvalid,
    StatusInsert,
    StatusInsertReceipt,
    StatusSearch,
)

__all__ = ["TIE_SECOND", "CareerBuilderClient", "careerbuilder_client", "not_sent"]

# "only statuses that have status dates after the given status_date": strictly later, and statuses often share
# a second. Every pull therefore asks from one second before the newest date it holds; the unique key (and the
# sync's diff) skips what comes back twice (README "Pagination and incremental pulls").
TIE_SECOND = dt.timedelta(seconds=1)


def not_sent(invalid: PayloadInvalid) -> ValidationFailed:
    """Our own check refused a body before it left: the same error a vendor refusal would give, field by field."""
    return invalid.refused("CareerBuilder")


@dataclass
class CareerBuilderClient(VendorClient):
    """One CareerBuilder account (`account` DID) over the shared HTTP client with its retries and auth hook."""

    account: str = ""

    def insert_status(self, insert: StatusInsert) -> StatusInsertReceipt:
        """PUT: an upsert on the doc's unique key, so repeating it is harmless (retried like any PUT)."""
        body = self.request(INSERT_STATUS.method, INSERT_STATUS.path(), json=insert.to_payload())
        return StatusInsertReceipt.from_payload(body)

    def email_statuses(
        self, candidate_email: str, *, since: dt.datetime | None = None, results_per_page: int | None = None
    ) -> CandidateStatusList:
        """GET one email's statuses after `since` (at most `results_per_page`; the vendor's default is 10)."""
        query = EmailStatusQuery(self.account, candidate_email, results_per_page, since)
        path = RETRIEVE_EMAIL_STATUSES.path(account=query.account, candidate_email=query.candidate_email)
        return CandidateStatusList.from_payload(
            self.request(RETRIEVE_EMAIL_STATUSES.method, path, params=query.to_params())
        )

    def search_statuses(
        self,
        *,
        candidate_emails: tuple[str, ...] = (),
        requisition_ids: tuple[str, ...] = (),
        since: dt.datetime | None = None,
    ) -> CandidateStatusList:
        """POST many emails or many requisition ids. A read, so a repeat is safe: retried like a GET."""
        search = StatusSearch(self.account, tuple(candidate_emails), tuple(requisition_ids), since)
        body = self.request(
            RETRIEVE_MANY_STATUSES.method, RETRIEVE_MANY_STATUSES.path(), json=search.to_payload(), retry_post=True
        )
        return CandidateStatusList.from_payload(body)

    def walk_email_statuses(
        self, candidate_email: str, *, since: dt.datetime | None = None, results_per_page: int = 50
    ) -> Iterator[CandidateStatusList]:
        """Every status of one email after `since`, page by page: the GET has no page parameter, so each next
        pull starts a second before the newest date seen. A full page that brings nothing new (more statuses
        share one second than fit a page) doubles `results_per_page` instead of looping."""
        seen: set[tuple[CandidateStatusKey, dt.datetime | None]] = set()
        cursor, per_page = since, results_per_page
        while True:
            page = self.email_statuses(candidate_email, since=cursor, results_per_page=per_page)
            fresh = tuple(s for s in page if (s.key, s.status_date) not in seen)
            seen.update((s.key, s.status_date) for s in fresh)
            if fresh:
                yield CandidateStatusList(fresh, page.warnings)
            latest = page.latest_status_date
            if len(page) < per_page or latest is None:
                return
            next_cursor = latest - TIE_SECOND
            if not fresh or next_cursor == cursor:
                per_page *= 2
            cursor = next_cursor


def careerbuilder_client(client: VendorClient) -> CareerBuilderClient:
    """The core hands operations and pages the client `build_client` made: always a `CareerBuilderClient`."""
    if not isinstance(client, CareerBuilderClient):
        raise TypeError(f"expected the CareerBuilder client, got {type(client).__name__}")
    return client
