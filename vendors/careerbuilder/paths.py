"""Every CareerBuilder endpoint the portal calls, in one place: method, path, and whether the doc gives it.

The Candidate Status doc lists one resource, `https://api.careerbuilder.com/corporate/CandidateStatus`, and three
calls on it that differ by method (GET by email, PUT to insert, POST for many emails or requisitions). The token
endpoint is not in that doc: it is chosen (`documented=False`), see README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPMethod
from urllib.parse import quote

__all__ = [
    "CANDIDATE_STATUS_PATH",
    "ENDPOINTS",
    "INSERT_STATUS",
    "OAUTH_TOKEN",
    "PRODUCTION_BASE_URL",
    "RETRIEVE_EMAIL_STATUSES",
    "RETRIEVE_MANY_STATUSES",
    "STAGING_BASE_URL",
    "Endpoint",
]

PRODUCTION_BASE_URL = "https://api.careerbuilder.com"  # "Endpoints:" in the doc
# The doc's "tester" links run the samples against region=staging on this host.
STAGING_BASE_URL = "https://wwwtest.api.careerbuilder.com"

CANDIDATE_STATUS_PATH = "/corporate/CandidateStatus"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One call: its method, its path template (`{part}`s filled by `path()`), and whether the doc names it."""

    name: str
    method: HTTPMethod
    template: str
    documented: bool = True

    def path(self, **parts: str) -> str:
        """The path with each part encoded as one segment (`/`, `+`, spaces escaped); `@` stays literal, as in the
        doc's sample request `/corporate/CandidateStatus/AAAA_1234/testEmail@123.com`."""
        return self.template.format(**{name: quote(value, safe="@") for name, value in parts.items()})


# "Retrieve all statuses for a single email"; query: results_per_page, status_date (schemas.EmailStatusQuery).
RETRIEVE_EMAIL_STATUSES = Endpoint(
    "retrieve_email_statuses", HTTPMethod.GET, CANDIDATE_STATUS_PATH + "/{account}/{candidate_email}"
)
# "Insert a status"; body: schemas.StatusInsert; answer: schemas.StatusInsertReceipt.
INSERT_STATUS = Endpoint("insert_status", HTTPMethod.PUT, CANDIDATE_STATUS_PATH)
# "Retrieve multiple emails or multiple requisition_ids"; body: schemas.StatusSearch.
RETRIEVE_MANY_STATUSES = Endpoint("retrieve_many_statuses", HTTPMethod.POST, CANDIDATE_STATUS_PATH)
# Chosen: the doc names only "flow=client_credentials" (in its tester links). CareerBuilder's public OAuth.md
# (careerbuilder/CandidateDataServicesDocumentation) gives this path on the same hosts; the client makes it settable.
OAUTH_TOKEN = Endpoint("oauth_token", HTTPMethod.POST, "/oauth/token", documented=False)

ENDPOINTS: tuple[Endpoint, ...] = (RETRIEVE_EMAIL_STATUSES, INSERT_STATUS, RETRIEVE_MANY_STATUSES, OAUTH_TOKEN)
