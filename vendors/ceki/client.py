"""Ceki's User API calls, typed, over the shared `VendorClient`: every path from `paths.py`, every body from
`schemas`, and the OTP login that yields the Bearer token (doc, "Authentication > User API").

A Ceki token can lapse at any time (the doc: 401 "Invalid or missing token"). `CekiAuth` then logs in again
with the connection's email and OTP and retries the call once, storing the new token on the connection. A real
OTP is single-use, so in production an Admin runs the OTP step again; the sandbox accepts a fixed demo OTP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from portal.integrations.calls import deadline
from portal.integrations.errors import AuthError, VendorError
from vendors.base.client import DEFAULT_DEADLINE_SECONDS, DeadlineTransport, VendorClient
from vendors.ceki import paths
from vendors.ceki.schemas import (
    AgentProfile,
    AgentRegistration,
    AuthSession,
    Bill,
    Booking,
    ContractHand,
    Event,
    EventDetail,
    LaravelPage,
    LoginChallenge,
    ScheduleSlots,
    Specialist,
    SpecialistProfile,
    Usage,
    WalletBalance,
    WalletTransaction,
    event_list_query,
    login_body,
    login_request_body,
)

__all__ = ["CekiAuth", "CekiClient", "WalletEmpty", "login"]

PER_PAGE = 50


class WalletEmpty(VendorError):
    """402 (Agent API): the agent's wallet cannot pay for this call, and Ceki charged nothing. Top it up."""


class CekiAuth(httpx.Auth):
    """`Authorization: Bearer <token>`; on a 401, one fresh login (email + OTP) and one retry of the call."""

    requires_response_body = True

    def __init__(
        self, base_url: str, *, email: str, otp: str, token: str = "", on_token: Callable[[str], None] | None = None
    ) -> None:
        self.login_url = base_url.rstrip("/") + paths.LOGIN.path()
        self.email, self.otp, self.token = email, otp, token
        self.on_token = on_token

    def auth_flow(self, request: httpx.Request):
        # httpx answers the caller with the flow's last response, so the call itself always goes last: a
        # refused login then surfaces as the call's 401 (an AuthError), not as the login's 422.
        tried_login = False
        if not self.token and self.otp:
            tried_login = True
            yield from self._login()
        if self.token:
            request.headers["Authorization"] = f"Bearer {self.token}"
        response = yield request
        if response.status_code == 401 and self.otp and not tried_login:
            yield from self._login()
            request.headers["Authorization"] = f"Bearer {self.token}"
            yield request

    def _login(self):
        response = yield httpx.Request("POST", self.login_url, json=login_body(self.email, self.otp))
        if not response.is_success:
            return False
        token = AuthSession.from_payload(response.json()).token
        if not token:
            return False
        self.token = token
        if self.on_token is not None:
            self.on_token(token)
        return True


def login(base_url: str, email: str, otp: str) -> str:
    """The OTP step an Admin runs: exchange the mailed OTP for a token (raises `AuthError` when refused)."""
    headers = {"Accept": "application/json"}
    with deadline(DEFAULT_DEADLINE_SECONDS), httpx.Client(transport=DeadlineTransport(), headers=headers) as http:
        response = http.post(base_url.rstrip("/") + paths.LOGIN.path(), json=login_body(email, otp))
    token = AuthSession.from_payload(response.json()).token if response.is_success else None
    if not token:
        raise AuthError(f"Ceki refused the one-time password (HTTP {response.status_code}).", status=401)
    return token


class CekiClient:
    """Typed calls over one connection's HTTP session. Reads return schema records; writes return Ceki's answer."""

    def __init__(self, http: VendorClient) -> None:
        self.http = http

    def _call(self, endpoint: paths.Endpoint, *, json: Any = None, params: Any = None, **ids: int | str) -> Any:
        try:
            return self.http.request(endpoint.method, endpoint.path(**ids), json=json, params=params)
        except VendorError as error:
            if error.status != 402:
                raise
            said = f": {error.body.get('message')}" if isinstance(error.body, dict) else "."
            raise WalletEmpty(
                f"The Ceki wallet cannot pay for this call (HTTP 402){said}", status=402, body=error.body
            ) from error

    # -- auth ---------------------------------------------------------------------------------------------
    def request_otp(self, email: str) -> LoginChallenge:
        return LoginChallenge.from_payload(self._call(paths.LOGIN_REQUEST, json=login_request_body(email)))

    # -- contracts and participants -------------------------------------------------------------------------
    def contracts(self) -> list[dict[str, Any]]:
        """Raw contract payloads (not paginated in the doc; a paginator envelope is unwrapped all the same)."""
        return _records(self._call(paths.CONTRACT_LIST))

    def contract_users(self, contract: int) -> list[dict[str, Any]]:
        """The contract's hands, raw."""
        return _records(self._call(paths.CONTRACT_USER_LIST, contract=contract))

    def hands(self, contract: int) -> list[ContractHand]:
        return [ContractHand.from_payload(raw) for raw in self.contract_users(contract)]

    def participant_transactions(self, contract: int, user: int) -> list[dict[str, Any]]:
        return _records(self._call(paths.CONTRACT_USER_TRANSACTIONS, contract=contract, user=user))

    def contract_transactions(self, contract: int) -> list[Event]:
        """Every transaction of a contract: Ceki lists them per participant, so one call per participant."""
        found: dict[int | None, Event] = {}
        for hand in self.hands(contract):
            if hand.user_id:
                for raw in self.participant_transactions(contract, hand.user_id):
                    event = Event.from_payload(raw)
                    found[event.id] = event
        return list(found.values())

    # -- events and bills (Laravel pages) --------------------------------------------------------------------
    def event_pages(self, contract: int, *, changed_from: datetime | None = None) -> Iterator[list[dict]]:
        query = event_list_query(dates_from=changed_from, per_page=PER_PAGE)
        return self._pages(paths.CONTRACT_EVENT_LIST, query, contract=contract)

    def bill_pages(self, contract: int) -> Iterator[list[dict]]:
        return self._pages(paths.BILL_LIST, {"perPage": PER_PAGE}, contract=contract)

    def bills(self, contract: int) -> list[Bill]:
        return [Bill.from_payload(raw) for page in self.bill_pages(contract) for raw in page]

    def _pages(self, endpoint: paths.Endpoint, query: dict[str, Any], **ids: int) -> Iterator[list[dict]]:
        """Laravel pages: `page` until `current_page` reaches `last_page`. Ceki names the size `perPage`, which
        is why `vendors.base.pagination.laravel_pages` (which sends `per_page`) is not used."""
        page = 1
        while True:
            body = self._call(endpoint, params={**query, "page": page}, **ids)
            yield _records(body)
            parsed = LaravelPage.from_payload({**body, "data": []} if isinstance(body, dict) else [], Event)
            if not parsed.has_next:
                return
            page = parsed.current_page + 1

    def create_event(self, contract: int, body: dict[str, Any]) -> dict[str, Any]:
        return self._call(paths.CONTRACT_EVENT_CREATE, json=body, contract=contract)

    def create_deposit(self, contract: int, body: dict[str, Any]) -> dict[str, Any]:
        return self._call(paths.DEPOSIT_CREATE, json=body, contract=contract)

    # -- money moves ---------------------------------------------------------------------------------------
    def approve_transactions(self, contract: int, body: dict[str, Any]) -> list[dict[str, Any]]:
        return _records(self._call(paths.TRANSACTIONS_APPROVE, json=body, contract=contract))

    def pay_transactions(self, contract: int, body: dict[str, Any]) -> list[dict[str, Any]]:
        return _records(self._call(paths.TRANSACTIONS_PAY, json=body, contract=contract))

    def create_bill(self, contract: int, body: dict[str, Any]) -> dict[str, Any]:
        return self._call(paths.BILL_CREATE, json=body, contract=contract)

    def pay_bill(self, contract: int, bill: int) -> dict[str, Any]:
        return self._call(paths.BILL_PAY, contract=contract, bill=bill)

    # -- disputes: a correction proposed on a charge, which is an event in Ceki's shape ---------------------------
    def event(self, event: int) -> EventDetail:
        return EventDetail.from_payload(self._call(paths.EVENT_SHOW, event=event))

    def propose_correction(self, event: int, body: dict[str, Any]) -> dict[str, Any]:
        return self._call(paths.EVENT_CORRECTION_PROPOSE, json=body, event=event)

    def vote_corrections(self, event: int, body: dict[str, Any]) -> Any:
        return self._call(paths.EVENT_CORRECTION_VOTE, json=body, event=event)

    # -- time tracking -------------------------------------------------------------------------------------
    def start_timer(self, hand: int) -> dict[str, Any]:
        return self._call(paths.HAND_TIMER_START, contract_hand=hand)

    def stop_timer(self, hand: int) -> dict[str, Any]:
        return self._call(paths.HAND_TIMER_STOP, contract_hand=hand)

    def timer_status(self, hand: int) -> dict[str, Any]:
        return self._call(paths.HAND_TIMER_STATUS, contract_hand=hand)

    # -- Agent API: registration, specialists, wallet ---------------------------------------------------------
    def register_agent(self, body: dict[str, Any]) -> AgentRegistration:
        """`agent_register_body(...)` in; the API key comes back once, on this answer only."""
        return AgentRegistration.from_payload(self._call(paths.AGENT_REGISTER, json=body))

    def verify_agent_email(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._call(paths.AGENT_VERIFY_EMAIL, json=body)

    def agent(self) -> AgentProfile:
        """The agent's own profile: its `status` and whether its e-mail is verified."""
        answer = self._call(paths.AGENT_ME)
        return AgentProfile.from_answer(answer if isinstance(answer, dict) else {})

    def search_specialists(self, body: dict[str, Any]) -> LaravelPage[Specialist]:
        """One page of hits for `specialist_search_body(...)`; each call is billed, so no page is fetched unasked."""
        return LaravelPage.from_payload(self._call(paths.AGENT_SEARCH_SPECIALISTS, json=body), Specialist)

    def specialist(self, user: int) -> SpecialistProfile:
        """A profile view: free for the month's first 100, then billed."""
        return SpecialistProfile.from_answer(self._call(paths.AGENT_USER_SHOW, id=user))

    def schedule_slots(self, schedule: int, start: datetime, end: datetime) -> ScheduleSlots:
        query = {"start": _utc(start), "end": _utc(end)}
        return ScheduleSlots.from_payload(self._call(paths.SCHEDULE_SHOW, params=query, schedule=schedule))

    def book_slot(self, schedule: int, body: dict[str, Any]) -> Booking:
        """`booking_body(...)` in; a slot already taken is Ceki's 422 on `start` (`ValidationFailed`)."""
        return Booking.from_payload(self._call(paths.SCHEDULE_BOOK, json=body, schedule=schedule))

    def wallet(self) -> WalletBalance:
        return WalletBalance.from_payload(self._call(paths.AGENT_WALLET))

    def usage(self, period: str | None = None) -> Usage:
        """Usage for `period` (`YYYY-MM`), Ceki's current month when None (the answer names it)."""
        return Usage.from_payload(self._call(paths.AGENT_WALLET_USAGE, params={"period": period} if period else None))

    def wallet_transactions(self, page: int = 1) -> LaravelPage[WalletTransaction]:
        return LaravelPage.from_payload(
            self._call(paths.AGENT_WALLET_TRANSACTIONS, params={"page": page}), WalletTransaction
        )


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _records(body: Any) -> list[dict[str, Any]]:
    """A bare list, or the `data` of an envelope; entries that are not objects are left for `map` to refuse."""
    if isinstance(body, dict):
        body = body.get("data")
    return list(body) if isinstance(body, list) else []
