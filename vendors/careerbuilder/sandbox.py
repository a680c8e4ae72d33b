"""CareerBuilder's fake over HTTP: the three Candidate Status calls and the client-credentials token, over the
statuses `sandbox_world.py` holds (keyed by the doc's unique key, so an insert with the same key updates).

Answers are bare JSON arrays in `status_date` order, oldest first (the doc gives no order; oldest first is what
lets "after status_date" walk forward). Bodies are read as strictly as the doc states
them (`StatusInsert.from_payload` and friends); a refusal is 400 `{"errors": {field: [messages]}}`. The doc
documents no error shape, so that one is chosen (README).

Auth: `Authorization: Bearer` with the configured token or one issued by `POST /oauth/token` (form-encoded
`grant_type=client_credentials` + an HS512 `client_assertion`), which expires after `token_lifetime` seconds.
No webhooks: the doc describes none. Each tick moves a few applications one step on (TEE's steps).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from urllib.parse import parse_qs, unquote

from vendors.base.sandbox import Request, Response, SandboxVendor, route
from vendors.base.sandbox_cast import CastMember
from vendors.careerbuilder.auth import read_client_assertion
from vendors.careerbuilder.paths import (
    INSERT_STATUS,
    OAUTH_TOKEN,
    RETRIEVE_EMAIL_STATUSES,
    RETRIEVE_MANY_STATUSES,
)
from vendors.careerbuilder.sandbox_world import CareerBuilderWorld
from vendors.careerbuilder.schemas import (
    DEFAULT_RESULTS_PER_PAGE,
    STATUS_SAVED_MESSAGE,
    EmailStatusQuery,
    PayloadInvalid,
    StatusSearch,
)

__all__ = ["CareerBuilderSandbox"]


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
        super().__init__(seed=seed)

    # -- state --------------------------------------------------------------------------------------------
    def seed(self, count: int) -> None:
        """Exactly `count` statuses (replacing any): every third a candidate-level one, the rest applications."""
        self.world = CareerBuilderWorld(account=self.account, statuses=count)

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        self.world.add_cast(cast)

    def tick(self) -> None:
        self.world.tick()

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

    @route(OAUTH_TOKEN.method, OAUTH_TOKEN.template)
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
    @route(INSERT_STATUS.method, INSERT_STATUS.template)
    def insert_status(self, request: Request) -> Response:
        try:
            self.world.put(request.json())
        except PayloadInvalid as invalid:
            return Response(400, {"errors": invalid.errors})
        return Response(200, STATUS_SAVED_MESSAGE)

    @route(
        RETRIEVE_EMAIL_STATUSES.method,
        RETRIEVE_EMAIL_STATUSES.template.format(account="(?P<account>[^/]+)", candidate_email="(?P<email>[^/]+)"),
    )
    def email_statuses(self, request: Request, account: str, email: str) -> Response:
        try:
            query = EmailStatusQuery.from_request(
                unquote(account), unquote(email), {k: v[0] for k, v in request.query.items()}
            )
        except PayloadInvalid as invalid:
            return Response(400, {"errors": invalid.errors})
        found = self.world.of_email(query.account, query.candidate_email, query.status_date)
        return Response(200, found[: query.results_per_page or DEFAULT_RESULTS_PER_PAGE])

    @route(RETRIEVE_MANY_STATUSES.method, RETRIEVE_MANY_STATUSES.template)
    def search_statuses(self, request: Request) -> Response:
        try:
            search = StatusSearch.from_payload(request.json())
        except PayloadInvalid as invalid:
            return Response(400, {"errors": invalid.errors})
        found = self.world.matching(search.account, search.candidate_emails, search.requisition_ids, search.status_date)
        return Response(200, found)
