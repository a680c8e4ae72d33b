"""Ceki's fake: the User API endpoints the portal calls over its state (`sandbox_world`), with the doc's auth,
errors and Laravel paging.

- Auth: `POST /api/loginrequest` then `POST /api/login` with the OTP as `password`. The sandbox's OTP is always
  `DEMO_OTP`; the token it returns is required as `Authorization: Bearer ...` on every other call (401
  "Unauthenticated." otherwise). `POST /ceki/_sandbox/expire-tokens` forgets every token (tests the re-login).
- 403 for a contract of another user (one is seeded, never listed), 404 for unknown ids, 422 Laravel-style
  `{"message", "errors": {field: [..]}}` for bad bodies and for state moves the machine forbids:
  transactions go pending (100) -> approved (200) -> paid (300); only approved ones are billed or paid;
  `duration` >= 15, `amount` >= 1. 429 comes from the framework's fault injection (`Retry-After`).
- Corrections: `POST /api/events/{event}/corrections` proposes one on an event or a transaction (both are events
  in Ceki's shape) and `GET /api/events/{event}` lists it; `POST /api/events/{event}/corrections/vote` approves
  (the event changes as proposed) or rejects proposed ones. A paid transaction may not be proposed back to an
  earlier payment status (422), as money only moves forward here.
- The Agent API and the specialists' schedules live in `sandbox_agent.AgentDesk`: an agent's API key is its
  Bearer token on `/api/agent/...` and `/api/schedules/...`.
Ceki sends no webhooks (the doc describes none for the User API), so this fake emits none.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from vendors.base.sandbox import Request, Response, SandboxVendor, route
from vendors.ceki.mapping import BILL_PAID
from vendors.ceki.sandbox_agent import AgentDesk
from vendors.ceki.sandbox_world import APPROVED, ME, PAID, PENDING, CekiWorld, local_day, money
from vendors.ceki.schemas import MIN_DEPOSIT_AMOUNT, MIN_DURATION_MINUTES, EventStatus, PaymentStatus

__all__ = ["DEMO_EMAIL", "DEMO_OTP", "CekiSandbox"]

DEMO_EMAIL = "coordinator@ceki.example"
DEMO_OTP = "246810"
ID = "[0-9]+"
OPEN_PATHS = ("/api/loginrequest", "/api/login", "/api/agent/register", "/api/agent/verify-email")


# What a correction may change (the doc's body of "Propose corrections to an event").
_CORRECTABLE = ("timezone", "date", "start", "end", "duration", "status_id", "payment_status_id", "label",
                "description", "amount", "currency", "private")  # fmt: skip


def _unprocessable(errors: dict[str, list[str]]) -> Response:
    first = next(iter(errors.values()))[0]
    more = sum(len(v) for v in errors.values()) - 1
    message = first + (f" (and {more} more error{'s' if more > 1 else ''})" if more else "")
    return Response(422, {"message": message, "errors": errors})


class CekiSandbox(AgentDesk, CekiWorld, SandboxVendor):
    name = "ceki"

    def __init__(self, *, seed: int = 20, otp: str = DEMO_OTP) -> None:
        self.otp = otp
        self.tokens: set[str] = set()
        super().__init__(seed=seed)

    # -- auth ----------------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        if request.path in OPEN_PATHS or request.path.startswith("/_sandbox/"):
            return None
        header = request.headers.get("authorization", "")
        agent_may = request.path.startswith(("/api/agent/", "/api/schedules/")) and self.agent_for(request)
        if not agent_may and (not header.startswith("Bearer ") or header[7:] not in self.tokens):
            return Response(401, {"message": "Unauthenticated."})
        return None

    @route("POST", "/api/loginrequest")
    def login_request(self, request: Request) -> Response:
        body = request.json() or {}
        if not body.get("email"):
            return _unprocessable({"email": ["The email field is required."]})
        return Response(200, {"message": "We have emailed your one-time password.", "countdown": 60})

    @route("POST", "/api/login")
    def login(self, request: Request) -> Response:
        body = request.json() or {}
        errors = {name: [f"The {name} field is required."] for name in ("email", "password") if not body.get(name)}
        if errors:
            return _unprocessable(errors)
        if body["password"] != self.otp:
            return _unprocessable({"password": ["The one-time password is invalid or has expired."]})
        token = f"{len(self.tokens) + 1}|{secrets.token_hex(20)}"
        self.tokens.add(token)
        return Response(200, {"user": {"id": ME, "email": body["email"]}, "token": token})

    @route("POST", "/_sandbox/expire-tokens")
    def expire_tokens(self, request: Request) -> Response:
        self.tokens.clear()
        return Response(200, {"expired": True})

    # -- contracts and participants -------------------------------------------------------------------------
    def _contract(self, contract: str) -> tuple[dict | None, Response | None]:
        found = self.contracts.get(int(contract))
        if found is None or found["deleted_at"]:
            return None, Response(404, {"message": f"No query results for model [App\\Models\\Contract] {contract}"})
        if found["user_id"] != ME:
            return None, Response(403, {"message": "This action is unauthorized."})
        return found, None

    @route("GET", "/api/contracts")
    def list_contracts(self, request: Request) -> Response:
        mine = [c for c in self.contracts.values() if c["user_id"] == ME and not c["deleted_at"]]
        return Response(200, mine)

    @route("GET", f"/api/contracts/(?P<contract>{ID})")
    def show_contract(self, request: Request, contract: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        hands = [h for h in self.hands.values() if h["contract_id"] == found["id"]]
        return Response(200, {**found, "hands": hands})

    @route("GET", f"/api/contracts/(?P<contract>{ID})/users")
    def contract_users(self, request: Request, contract: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        return Response(200, [h for h in self.hands.values() if h["contract_id"] == found["id"]])

    @route("GET", f"/api/contracts/(?P<contract>{ID})/users/(?P<user>{ID})/transactions")
    def participant_transactions(self, request: Request, contract: str, user: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        rows = [t for t in self.transactions.values() if t["contract_id"] == found["id"] and str(t["user_id"]) == user]
        return Response(200, rows)

    # -- Laravel pages ---------------------------------------------------------------------------------------
    @staticmethod
    def _page(request: Request, rows: list[dict[str, Any]]) -> Response:
        first = request.query.get
        per_page = max(1, min(100, int((first("perPage") or ["15"])[0])))
        page = max(1, int((first("page") or ["1"])[0]))
        last_page = max(1, -(-len(rows) // per_page))
        chunk = rows[(page - 1) * per_page : page * per_page]
        return Response(
            200,
            {
                "current_page": page,
                "data": chunk,
                "from": (page - 1) * per_page + 1 if chunk else None,
                "last_page": last_page,
                "next_page_url": f"?page={page + 1}" if page < last_page else None,
                "per_page": per_page,
                "to": (page - 1) * per_page + len(chunk) if chunk else None,
                "total": len(rows),
            },
        )

    @route("GET", f"/api/contracts/(?P<contract>{ID})/events")
    def list_events(self, request: Request, contract: str) -> Response:
        """Chosen: `dates[from]`/`dates[to]` bound the events' `updated_at` (the portal's incremental sync)."""
        found, error = self._contract(contract)
        if error:
            return error
        since = (request.query.get("dates[from]") or [""])[0]
        until = (request.query.get("dates[to]") or [""])[0]
        rows = [
            e
            for e in self.events.values()
            if e["contract_id"] == found["id"]
            and (not since or _instant(e["updated_at"]) >= _instant(since))
            and (not until or _instant(e["updated_at"]) <= _instant(until))
        ]
        return self._page(request, sorted(rows, key=lambda e: e["id"]))

    @route("POST", f"/api/contracts/(?P<contract>{ID})/events")
    def create_event(self, request: Request, contract: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        body = request.json() or {}
        errors: dict[str, list[str]] = {}
        if not body.get("date"):
            errors["date"] = ["The date field is required."]
        duration = body.get("duration")
        if duration is not None and (not isinstance(duration, int) or duration < MIN_DURATION_MINUTES):
            errors["duration"] = [f"The duration field must be at least {MIN_DURATION_MINUTES}."]
        if errors:
            return _unprocessable(errors)
        hand = self.hands.get(int(body.get("benefitable_id") or 0)) or next(
            h for h in self.hands.values() if h["contract_id"] == found["id"]
        )
        event = self._event_shape(found, hand, local_day(found, body["date"]), duration or 60, amount=None)
        event["label"] = body.get("label") or event["label"]
        self.events[event["id"]] = self._stamp(event)
        return Response(201, event)

    @route("POST", f"/api/contracts/(?P<contract>{ID})/deposits")
    def create_deposit(self, request: Request, contract: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        body = request.json() or {}
        amount = body.get("amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount < MIN_DEPOSIT_AMOUNT:
            return _unprocessable({"amount": [f"The amount field must be at least {MIN_DEPOSIT_AMOUNT}."]})
        hand = self.hands.get(int(body.get("benefitable_id") or 0))
        if hand is None or hand["contract_id"] != found["id"]:
            return _unprocessable({"benefitable_id": ["The selected benefitable id is invalid."]})
        deposit = self._event_shape(
            found,
            hand,
            local_day(found, self.clock),
            MIN_DURATION_MINUTES,
            amount=money(Decimal(str(amount))),
            credit="1",
        )
        deposit["payment_status_id"] = str(PENDING)
        self.transactions[deposit["id"]] = self._stamp(deposit)
        return Response(201, deposit)

    # -- money moves ---------------------------------------------------------------------------------------
    def _move(self, request: Request, contract: str, *, allowed: int, to: int, verb: str) -> Response:
        """All or nothing, like a Laravel form request: one 422 names every transaction that may not move."""
        found, error = self._contract(contract)
        if error:
            return error
        ids = (request.json() or {}).get("transactions")
        if not isinstance(ids, list) or not ids:
            return _unprocessable({"transactions": ["The transactions field is required."]})
        errors: dict[str, list[str]] = {}
        for position, raw_id in enumerate(ids):
            row = self.transactions.get(int(raw_id))
            if row is None or row["contract_id"] != found["id"] or row["deleted_at"]:
                errors[f"transactions.{position}"] = [f"The selected transactions.{position} is invalid."]
            elif int(row["payment_status_id"]) != allowed:
                state = {PENDING: "pending", APPROVED: "approved", PAID: "paid"}[int(row["payment_status_id"])]
                wanted = {PENDING: "pending", APPROVED: "approved"}[allowed]
                errors[f"transactions.{position}"] = [
                    f"Transaction {row['id']} is {state}; only {wanted} transactions can be {verb}."
                ]
        if errors:
            return _unprocessable(errors)
        moved = []
        for raw_id in dict.fromkeys(int(i) for i in ids):
            row = self._stamp(self.transactions[raw_id])
            row["payment_status_id"] = str(to)
            moved.append(row)
        return Response(200, moved)

    @route("POST", f"/api/contracts/(?P<contract>{ID})/transactions/approve")
    def approve(self, request: Request, contract: str) -> Response:
        return self._move(request, contract, allowed=PENDING, to=APPROVED, verb="approved")

    @route("POST", f"/api/contracts/(?P<contract>{ID})/transactions/pay")
    def pay(self, request: Request, contract: str) -> Response:
        return self._move(request, contract, allowed=APPROVED, to=PAID, verb="paid")

    @route("GET", f"/api/contracts/(?P<contract>{ID})/bills")
    def list_bills(self, request: Request, contract: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        rows = [b for b in self.bills.values() if b["contract_id"] == found["id"] and not b["deleted_at"]]
        return self._page(request, sorted(rows, key=lambda b: b["id"]))

    @route("POST", f"/api/contracts/(?P<contract>{ID})/bills")
    def create_bill(self, request: Request, contract: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        body = request.json() or {}
        ids = (body.get("data") or {}).get("transactions") if isinstance(body.get("data"), dict) else None
        errors: dict[str, list[str]] = {}
        if not body.get("label"):
            errors["label"] = ["The label field is required."]
        if not isinstance(ids, list) or not ids:
            errors["data.transactions"] = ["The data.transactions field is required."]
        billed = {i for b in self.bills.values() if not b["deleted_at"] for i in b["data"]["transactions"]}
        for position, raw_id in enumerate(ids or []):
            row = self.transactions.get(int(raw_id))
            if row is None or row["contract_id"] != found["id"]:
                errors[f"data.transactions.{position}"] = [f"The selected data.transactions.{position} is invalid."]
            elif int(row["payment_status_id"]) != APPROVED:
                errors[f"data.transactions.{position}"] = [
                    f"Transaction {row['id']} is not approved; only approved transactions can be billed."
                ]
            elif int(raw_id) in billed:
                errors[f"data.transactions.{position}"] = [f"Transaction {row['id']} is already on a bill."]
        if errors:
            return _unprocessable(errors)
        bill = self._add_bill(found, body["label"], [int(i) for i in dict.fromkeys(ids)])
        return Response(201, bill)

    @route("POST", f"/api/contracts/(?P<contract>{ID})/bills/(?P<bill>{ID})/pay")
    def pay_bill(self, request: Request, contract: str, bill: str) -> Response:
        found, error = self._contract(contract)
        if error:
            return error
        row = self.bills.get(int(bill))
        if row is None or row["contract_id"] != found["id"] or row["deleted_at"]:
            return Response(404, {"message": f"No query results for model [App\\Models\\Bill] {bill}"})
        if row["status_id"] == BILL_PAID:
            return _unprocessable({"bill": ["The bill is already paid."]})
        unpaid = [self.transactions.get(i) for i in row["data"]["transactions"]]
        if any(t is None or int(t["payment_status_id"]) != APPROVED for t in unpaid):
            return _unprocessable({"bill": ["Only a bill of approved transactions can be paid."]})
        self._pay_bill(row)
        return Response(200, row)

    # -- time tracking ---------------------------------------------------------------------------------------
    def _hand(self, hand: str) -> tuple[dict | None, Response | None]:
        found = self.hands.get(int(hand))
        if found is None or found["deleted_at"]:
            return None, Response(404, {"message": f"No query results for model [App\\Models\\ContractHand] {hand}"})
        _, error = self._contract(str(found["contract_id"]))
        return (None, error) if error else (found, None)

    @route("POST", f"/api/hands/(?P<hand>{ID})/start")
    def start_timer(self, request: Request, hand: str) -> Response:
        found, error = self._hand(hand)
        if error:
            return error
        if found["id"] in self.timers:
            return _unprocessable({"hand": ["Time tracking is already running for this participant."]})
        self.timers[found["id"]] = self.clock
        self._stamp(found)["is_working"] = "1"
        return Response(200, {"is_working": True, "start": self.clock.isoformat().replace("+00:00", "Z")})

    @route("POST", f"/api/hands/(?P<hand>{ID})/stop")
    def stop_timer(self, request: Request, hand: str) -> Response:
        """The tracked minutes become a pending charge, at least the doc's 15 minutes."""
        found, error = self._hand(hand)
        if error:
            return error
        started = self.timers.pop(found["id"], None)
        if started is None:
            return _unprocessable({"hand": ["Time tracking is not running for this participant."]})
        self.clock += dt.timedelta(minutes=50)  # the sandbox's simulated working time
        minutes = max(MIN_DURATION_MINUTES, int((self.clock - started).total_seconds() // 60))
        self._stamp(found)["is_working"] = "0"
        contract = self.contracts[found["contract_id"]]
        charge = self._add_charge(contract, found, local_day(contract, started), minutes=minutes, status=PENDING)
        return Response(200, charge)

    @route("GET", f"/api/hands/(?P<hand>{ID})/status")
    def timer_status(self, request: Request, hand: str) -> Response:
        found, error = self._hand(hand)
        if error:
            return error
        started = self.timers.get(found["id"])
        return Response(200, {"is_working": started is not None, "start": started and started.isoformat()})

    # -- corrections (the disputes the portal raises on a charge) ----------------------------------------------
    def _event(self, event: str) -> tuple[dict | None, Response | None]:
        found = self.events.get(int(event)) or self.transactions.get(int(event))
        if found is None or found["deleted_at"]:
            return None, Response(404, {"message": f"No query results for model [App\\Models\\Event] {event}"})
        _, error = self._contract(str(found["contract_id"]))
        return (None, error) if error else (found, None)

    def _event_detail(self, found: dict) -> Response:
        corrections = self.corrections.get(found["id"], [])
        return Response(200, {"event": found, "pivot": None, "corrections": corrections, "kals": []})

    @route("GET", f"/api/events/(?P<event>{ID})")
    def show_event(self, request: Request, event: str) -> Response:
        found, error = self._event(event)
        return error or self._event_detail(found)

    @route("POST", f"/api/events/(?P<event>{ID})/corrections")
    def propose_correction(self, request: Request, event: str) -> Response:
        """The doc's body: any of its fields, each checked as a Laravel form request would (its enums, the 15
        minutes); a paid transaction cannot be proposed back to pending or approved."""
        found, error = self._event(event)
        if error:
            return error
        body = request.json() or {}
        proposal = {name: body[name] for name in _CORRECTABLE if body.get(name) is not None}
        errors: dict[str, list[str]] = {}
        if not proposal:
            errors["event"] = ["A correction must change at least one field."]
        if "duration" in proposal and (not isinstance(proposal["duration"], int) or proposal["duration"] < 15):
            errors["duration"] = ["The duration field must be at least 15."]
        for name, enum in (("status_id", EventStatus), ("payment_status_id", PaymentStatus)):
            if name in proposal and str(proposal[name]) not in {m.value for m in enum}:
                errors[name] = [f"The selected {name} is invalid."]
        paid = found.get("payment_status_id") is not None and int(found["payment_status_id"]) == PAID
        backwards = "payment_status_id" not in errors and str(proposal.get("payment_status_id", PAID)) != str(PAID)
        if paid and backwards:
            errors["payment_status_id"] = [f"Transaction {found['id']} is paid; a paid transaction cannot be held."]
        if errors:
            return _unprocessable(errors)
        correction = self._stamp({"id": next(self._ids), "event_id": found["id"], "user_id": ME, **proposal})
        correction["status"] = "proposed"
        self.corrections.setdefault(found["id"], []).append(correction)
        return self._event_detail(found)

    @route("POST", f"/api/events/(?P<event>{ID})/corrections/vote")
    def vote_corrections(self, request: Request, event: str) -> Response:
        """The doc's body (`vote` a boolean, `ids` a non-empty list of the event's corrections): a vote decides
        each still proposed correction; approved ones change the event as proposed."""
        found, error = self._event(event)
        if error:
            return error
        body = request.json() or {}
        vote, ids = body.get("vote"), body.get("ids")
        proposed = {c["id"]: c for c in self.corrections.get(found["id"], []) if c["status"] == "proposed"}
        errors: dict[str, list[str]] = {}
        if not isinstance(vote, bool):
            errors["vote"] = ["The vote field must be true or false."]
        if not isinstance(ids, list) or not ids:
            errors["ids"] = ["The ids field is required."]
        else:
            for n, ident in enumerate(ids):
                if type(ident) is not int or ident not in proposed:
                    errors[f"ids.{n}"] = [f"The selected ids.{n} is invalid."]
        if errors:
            return _unprocessable(errors)
        for ident in ids:
            correction = self._stamp(proposed[ident])
            correction["status"] = "approved" if vote else "rejected"
            if vote:
                changes = {k: v for k, v in correction.items() if k in _CORRECTABLE}
                self._stamp(found).update(changes)
        return self._event_detail(found)


def _instant(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
