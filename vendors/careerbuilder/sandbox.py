"""CareerBuilder's fake: the three Candidate Status calls, the client-credentials token, a world that moves.

State is one dict keyed by the doc's unique key, so an insert with the same key updates (the doc's
"Created/updated status."). Answers are bare JSON arrays in `status_date` order, oldest first (the doc gives no
order; oldest first is what lets "after status_date" walk forward). Bodies are read as strictly as the doc states
them (`StatusInsert.from_payload` and friends); a refusal is 400 `{"errors": {field: [messages]}}`. The doc
documents no error shape, so that one is chosen (README).

Auth: `Authorization: Bearer` with the configured token or one issued by `POST /oauth/token` (form-encoded
`grant_type=client_credentials` + an HS512 `client_assertion`), which expires after `token_lifetime` seconds.
No webhooks: the doc describes none. Each tick moves a few applications one step on (TEE's steps).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, unquote

from vendors.base.sandbox import Request, Response, SandboxVendor, route
from vendors.base.sandbox_cast import CastMember, cast_of
from vendors.careerbuilder.auth import read_client_assertion
from vendors.careerbuilder.paths import CANDIDATE_STATUS_PATH, OAUTH_TOKEN
from vendors.careerbuilder.schemas import (
    DEFAULT_RESULTS_PER_PAGE,
    STATUS_SAVED_MESSAGE,
    CandidateStatusKey,
    EmailStatusQuery,
    PayloadInvalid,
    StatusInsert,
    StatusSearch,
    candidate_status_key,
    format_status_date,
    parse_status_date,
)

__all__ = ["CareerBuilderSandbox"]

# TEE's steps, in order (the doc's "Each step has a status" paragraph).
STEPS = ["New", "Reviewed", "First Interview", "Second Interview", "Testing", "Offer", "Hired"]
CLOSED = ["Rejected", "Declined", "Inactive"]
FIRST = ["Amara", "Bea", "Carlos", "Dev", "Elena", "Farah", "Gus", "Hana", "Ivan", "Jo"]
TITLES = ["ICU Registered Nurse", "Travel LPN", "Per Diem CNA", "OR Tech", "ER Registered Nurse"]
SEEDED_AT = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


class CareerBuilderSandbox(SandboxVendor):
    name = "careerbuilder"

    def __init__(
        self,
        *,
        account: str = "AAAA_1234",
        # The sandbox's own credentials: public by design, printed in the README.
        access_token: str = "sandbox-token",  # noqa: S107
        client_id: str = "sandbox-client",
        client_secret: str = "sandbox-secret",  # noqa: S107
        token_lifetime: int = 2100,
        seed: int = 20,
    ) -> None:
        self.account = account
        self.static_token = access_token
        self.clients = {client_id: client_secret}
        self.token_lifetime = token_lifetime
        self.issued: dict[str, float] = {}  # access token -> monotonic expiry
        self.token_requests = 0
        self.statuses: dict[CandidateStatusKey, dict[str, Any]] = {}
        self.rng = random.Random(8)
        super().__init__(seed=seed)

    # -- state --------------------------------------------------------------------------------------------
    def seed(self, count: int) -> None:
        """Exactly `count` statuses (replacing any): every third a candidate-level one, the rest applications."""
        rng = random.Random(8)
        self.statuses = {}
        for n in range(count):
            email = f"{FIRST[n % len(FIRST)].lower()}.{n // len(FIRST)}@candidates.example.org"
            at = SEEDED_AT + dt.timedelta(hours=n * 7 + rng.randint(0, 5), minutes=rng.randint(0, 59))
            record: dict[str, Any] = {
                "account": self.account,
                "candidate_email": email,
                "vendor_key": "ats",
                "client": rng.choice(["MyCandidates", "CandidateStream"]),
                "level_id": f"cand-{n}",
                "status": rng.choice(STEPS + CLOSED),
                "status_date": format_status_date(at),
                "status_level": "candidate" if n % 3 == 0 else "application",
                "status_detail": "Seeded by the sandbox",
            }
            if record["status_level"] == "application":
                record["requisition_id"] = str(7000 + n % 9)
                record["requisition_title"] = TITLES[n % len(TITLES)]
            self.put(record)

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """The demo's people CareerBuilder knows: a candidate-level status and one or two applications at
        different steps, dated before other vendors heard of them (the portal links them once it knows the
        person)."""
        for member in cast_of(self.name, tuple(cast)):
            at = SEEDED_AT - dt.timedelta(days=40 - member.index)
            line = {"account": self.account, "candidate_email": member.email, "vendor_key": "ats"}
            candidate = {"status_level": "candidate", "status": "Reviewed", "client": "MyCandidates"}
            candidate |= {"level_id": f"cast-{member.index}", "status_date": format_status_date(at)}
            self.put({**line, **candidate, "status_detail": "Applied through the careers site"})
            for n in range(1 + member.index % 2):
                requisition = 7100 + 2 * member.index + n
                self.put(
                    {
                        **line,
                        "client": "CandidateStream",
                        "level_id": f"cast-{member.index}-{n}",
                        "status": STEPS[1 + (member.index + 2 * n) % (len(STEPS) - 1)],
                        "status_date": format_status_date(at + dt.timedelta(days=3 + 5 * n)),
                        "status_level": "application",
                        "status_detail": "completed",
                        "requisition_id": str(requisition),
                        "requisition_title": TITLES[requisition % len(TITLES)],
                    }
                )

    def put(self, record: dict[str, Any]) -> dict[str, Any]:
        """Upsert on the documented unique key; the stored copy is what the retrieve calls answer."""
        insert = StatusInsert.from_payload(record)
        self.statuses[insert.key] = insert.to_payload()
        return self.statuses[insert.key]

    def tick(self) -> None:
        """CareerBuilder's side moves on: a few open applications reach their next step, dated now."""
        now = format_status_date(dt.datetime.now(dt.UTC))
        open_ones = [s for s in self.statuses.values() if s["status"] in STEPS[:-1]]
        for record in self.rng.sample(open_ones, k=min(3, len(open_ones))):
            self.put({**record, "status": STEPS[STEPS.index(record["status"]) + 1], "status_date": now})

    # -- auth ---------------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        if request.path == OAUTH_TOKEN.path() or request.path.startswith("/_sandbox/"):
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            if self.static_token and secrets.compare_digest(token, self.static_token):
                return None
            if self.issued.get(token, 0.0) > time.monotonic():
                return None
        return Response(401, {"errors": {"__all__": ["Unauthorized: a valid bearer token is required."]}})

    @route("POST", OAUTH_TOKEN.template)
    def token(self, request: Request) -> Response:
        self.token_requests += 1
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") != "client_credentials":
            return Response(400, {"error": "unsupported_grant_type"})
        client_id = read_client_assertion(form.get("client_assertion", ""), self.clients)
        if client_id is None or client_id != form.get("client_id", client_id):
            return Response(401, {"error": "invalid_client"})
        access_token = secrets.token_urlsafe(24)
        self.issued[access_token] = time.monotonic() + self.token_lifetime
        # CareerBuilder's OAuth.md shape: wrapped in `data`, the lifetime in seconds as a string.
        return Response(
            200,
            {"data": {"access_token": access_token, "token_type": "bearer", "expires_in": str(self.token_lifetime)}},
        )

    def expire_tokens(self) -> None:
        """Tests: every issued token dies now, as if CareerBuilder revoked them."""
        self.issued.clear()

    # -- Candidate Status ---------------------------------------------------------------------------------
    @route("PUT", CANDIDATE_STATUS_PATH)
    def insert_status(self, request: Request) -> Response:
        try:
            self.put(request.json())
        except PayloadInvalid as invalid:
            return Response(400, {"errors": invalid.errors})
        return Response(200, STATUS_SAVED_MESSAGE)

    @route("GET", CANDIDATE_STATUS_PATH + "/(?P<account>[^/]+)/(?P<email>[^/]+)")
    def email_statuses(self, request: Request, account: str, email: str) -> Response:
        try:
            query = EmailStatusQuery.from_request(
                unquote(account), unquote(email), {k: v[0] for k, v in request.query.items()}
            )
        except PayloadInvalid as invalid:
            return Response(400, {"errors": invalid.errors})
        wanted = candidate_status_key(query.account, query.candidate_email, "", "", "")
        found = self._after(
            (s for k, s in self.statuses.items() if k[:2] == wanted[:2]),
            query.status_date,
        )
        return Response(200, found[: query.results_per_page or DEFAULT_RESULTS_PER_PAGE])

    @route("POST", CANDIDATE_STATUS_PATH)
    def search_statuses(self, request: Request) -> Response:
        try:
            search = StatusSearch.from_payload(request.json())
        except PayloadInvalid as invalid:
            return Response(400, {"errors": invalid.errors})
        account = search.account.casefold()
        emails = {e.strip().casefold() for e in search.candidate_emails}
        requisitions = set(search.requisition_ids)
        matching = (
            s
            for k, s in self.statuses.items()
            if k.account == account and (k.candidate_email in emails or k.requisition_id in requisitions)
        )
        return Response(200, self._after(matching, search.status_date))

    @staticmethod
    def _after(statuses, since: dt.datetime | None) -> list[dict[str, Any]]:
        """Strictly after `since` ("only statuses that have status dates after"), oldest first."""
        chosen = [s for s in statuses if since is None or parse_status_date(s["status_date"]) > since]
        return sorted(chosen, key=lambda s: (s["status_date"], s["candidate_email"], s.get("requisition_id", "")))
