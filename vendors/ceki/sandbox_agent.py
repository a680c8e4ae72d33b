"""The fake Ceki's Agent API and specialists: agents with API keys, statuses and wallets; specialists with
weekly schedules whose slots are generated for any range; search and profile views billed per call; booking.

Rules, as the doc states them and as chosen where it is silent (README "Agent API"):
- An agent starts `pending_deposit` and becomes `active` on its first confirmed deposit
  (`POST /_sandbox/agents/{id}/deposit`, the sandbox's stand-in for a crypto transfer). Only an `active` agent
  searches, views profiles, reads schedules or books (403 otherwise, naming the status); its own profile and
  wallet stay readable so it can see how to get active.
- Search and profile views need a verified e-mail (403). The code is `DEMO_VERIFY_CODE`.
- Each search costs `SEARCH_COST`, each profile view `VIEW_COST` after the first `FREE_PROFILE_VIEWS` of the
  calendar month (the sandbox clock's month). A call the wallet cannot pay is a 402 and charges nothing.
- A slot is booked once; the second booking of it is a 422 on `start`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from vendors.base.sandbox import Request, Response, route
from vendors.ceki.schemas import FREE_PROFILE_VIEWS, VERIFY_CODE_LENGTH, AgentStatus

__all__ = ["DEMO_VERIFY_CODE", "SEARCH_COST", "VIEW_COST", "AgentDesk"]

DEMO_VERIFY_CODE = "135790"
SEARCH_COST = Decimal("0.05")
VIEW_COST = Decimal("0.02")
SCHEDULE_COST = Decimal("0.10")  # "Create schedule: per creation"; the sandbox's agents create none, so always 0 calls
ACTIVATION_DEPOSIT = Decimal("20")
ID = "[0-9]+"
SPECIALISTS = [  # skills from `mapping.CEKI_SKILLS`; name, skills, zone, price per slot, days (0 = Sunday), hours
    ("Grace Okafor", (1, 4), "America/New_York", 65, (1, 2, 3, 4, 5), ("07:00", "19:00")),
    ("Tomas Lindqvist", (1, 5), "America/Chicago", 58, (0, 5, 6), ("19:00", "23:00")),
    ("Priya Raman", (2,), "America/New_York", 42, (1, 3, 5), ("08:00", "16:00")),
    ("Joseph Mensah", (3,), "America/Los_Angeles", 28, (0, 1, 2, 3, 4, 5, 6), ("06:00", "14:00")),
]
SLOT_MINUTES = 240
# The usage lines `GET /api/agent/wallet/usage` lists ("searches, profile views, schedule operations"); the doc
# names `api_search` and `api_user_view`, the schedule one is chosen (README "Agent API").
USAGE_TYPES = (("api_search", SEARCH_COST), ("api_user_view", VIEW_COST), ("api_schedule_create", SCHEDULE_COST))


def amount(value: Decimal) -> str:
    return f"{value:.5f}"


def _moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _errors(errors: dict[str, list[str]]) -> Response:
    return Response(422, {"message": next(iter(errors.values()))[0], "errors": errors})


class AgentDesk:
    """Mixed into `CekiSandbox`, beside `CekiWorld` (whose `clock` dates charges and decides the free month)."""

    clock: dt.datetime

    def __init__(self, *, seed: int) -> None:
        self.agents: dict[int, dict[str, Any]] = {}
        self.agent_keys: dict[str, int] = {}
        self.wallet_log: list[dict[str, Any]] = []  # every deposit and charge, oldest first
        self.usage: list[tuple[int, str, str, bool]] = []  # (agent, period, usage type, free)
        self.schedules: dict[int, dict[str, Any]] = {}
        self.people: dict[int, dict[str, Any]] = {}
        self.bookings: dict[tuple[int, str], dict[str, Any]] = {}  # (schedule, slot start) -> booking
        for number, (name, skills, zone, price, days, hours) in enumerate(SPECIALISTS, start=1):
            person = 500 + number
            email = name.lower().replace(" ", ".") + "@specialists.example"
            self.people[person] = {
                "id": person,
                "name": name,
                "email": email,
                "phone": f"+1555010{number:04d}",
                "timezone": zone,
                "skills": list(skills),
                "languages": ["en"],
            }
            self.schedules[700 + number] = {
                "id": 700 + number,
                "user_id": person,
                "label": f"{name}'s shifts",
                "price": f"{price}.00",
                "currency": "USD",
                "duration": SLOT_MINUTES,
                "timezone": zone,
                "days": list(days),
                "hours": {"from": hours[0], "to": hours[1]},
            }
        super().__init__(seed=seed)

    # -- who is calling ------------------------------------------------------------------------------------------
    def agent_for(self, request: Request) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        agent_id = self.agent_keys.get(header[7:]) if header.startswith("Bearer ") else None
        return self.agents.get(agent_id) if agent_id else None

    def _active(self, request: Request, *, verified: bool) -> tuple[dict | None, Response | None]:
        agent = self.agent_for(request)
        if agent is None:
            return None, None  # a user token (checked by `authenticate`) may read schedules and book
        if agent["status"] != AgentStatus.ACTIVE:
            hint = f" Deposit {ACTIVATION_DEPOSIT:.2f} to activate." if agent["status"] == "pending_deposit" else ""
            return agent, Response(403, {"message": f"Agent is {agent['status']}.{hint}"})
        if verified and not agent["email_verified"]:
            return agent, Response(403, {"message": "Verify your email to access user profiles."})
        return agent, None

    def _period(self) -> str:
        return self.clock.strftime("%Y-%m")

    def balance(self, agent_id: int) -> Decimal:
        return sum((row["signed"] for row in self.wallet_log if row["agent_id"] == agent_id), Decimal(0))

    def _charge(self, agent: dict[str, Any], usage_type: str, cost: Decimal) -> Response | None:
        """Debit the call, or answer 402 and debit nothing; a free call is counted in usage only."""
        if cost and self.balance(agent["id"]) < cost:
            return Response(402, {"message": "Insufficient wallet balance."})
        self.usage.append((agent["id"], self._period(), usage_type, not cost))
        if cost:
            self._log(agent, "charge", -cost, usage_type)
        return None

    def _log(self, agent: dict[str, Any], kind: str, signed: Decimal, usage_type: str | None = None) -> None:
        self.clock += dt.timedelta(seconds=1)
        self.wallet_log.append(
            {
                "id": len(self.wallet_log) + 1,
                "agent_id": agent["id"],
                "type": kind,
                "usage_type": usage_type,
                "signed": signed,
                "currency": agent["currency"],
                "created_at": _moment(self.clock),
            }
        )

    # -- registration ---------------------------------------------------------------------------------------------
    @route("POST", "/api/agent/register")
    def agent_register(self, request: Request) -> Response:
        body = request.json() or {}
        errors = {name: [f"The {name} field is required."] for name in ("name", "email") if not body.get(name)}
        if any(a["email"] == body.get("email") for a in self.agents.values()):
            errors["email"] = ["The email has already been taken."]
        if body.get("currency") not in (None, "BTC", "ETH", "USDT", "USDC"):
            errors["currency"] = ["The selected currency is invalid."]
        if errors:
            return _errors(errors)
        agent_id = 40 + len(self.agents) + 1
        key = f"ceki_{secrets.token_hex(16)}"
        self.agents[agent_id] = {
            "id": agent_id,
            "name": body["name"],
            "email": body["email"],
            "status": AgentStatus.PENDING_DEPOSIT.value,
            "email_verified": False,
            "currency": body.get("currency") or "USDT",
            "deposit_address": f"0x{secrets.token_hex(20)}",
        }
        self.agent_keys[key] = agent_id
        agent = self.agents[agent_id]
        return Response(
            201,
            {
                "agent_id": agent_id,
                "api_key": key,
                "status": agent["status"],
                "email_verified": False,
                "wallet": {"currency": agent["currency"], "deposit_address": agent["deposit_address"]},
                "message": f"Registration successful. Deposit {ACTIVATION_DEPOSIT:.2f} {agent['currency']} to activate "
                "your account. Verify your email to access user profiles.",
            },
        )

    @route("POST", "/api/agent/verify-email")
    def agent_verify_email(self, request: Request) -> Response:
        body = request.json() or {}
        agent = next((a for a in self.agents.values() if a["email"] == body.get("email")), None)
        if agent is None:
            return _errors({"email": ["The selected email is invalid."]})
        code = str(body.get("code") or "")
        if len(code) != VERIFY_CODE_LENGTH or code != DEMO_VERIFY_CODE:
            return _errors({"code": ["The verification code is invalid or has expired."]})
        agent["email_verified"] = True
        return Response(
            200,
            {
                "agent_id": agent["id"],
                "email_verified": True,
                "status": agent["status"],
                "message": "Email verified successfully.",
            },
        )

    @route("POST", f"/_sandbox/agents/(?P<agent>{ID})/deposit")
    def agent_deposit(self, request: Request, agent: str) -> Response:
        """The sandbox's confirmed crypto deposit: credits the wallet; a pending agent becomes active."""
        found = self.agents.get(int(agent))
        value = Decimal(str((request.json() or {}).get("amount", ACTIVATION_DEPOSIT)))
        if found is None or value <= 0:
            return Response(404 if found is None else 422, {"message": "No such agent, or not a positive amount."})
        self._log(found, "deposit", value)
        if found["status"] == AgentStatus.PENDING_DEPOSIT:
            found["status"] = AgentStatus.ACTIVE.value
        return Response(200, {"balance": amount(self.balance(found["id"])), "status": found["status"]})

    @route("POST", f"/_sandbox/agents/(?P<agent>{ID})/status")
    def agent_set_status(self, request: Request, agent: str) -> Response:
        found = self.agents.get(int(agent))
        status = (request.json() or {}).get("status")
        if found is None or status not in set(AgentStatus):
            return Response(422, {"message": "No such agent or status."})
        found["status"] = status
        return Response(200, {"status": status})

    # -- the agent's own view --------------------------------------------------------------------------------------
    @route("GET", "/api/agent/me")
    def agent_me(self, request: Request) -> Response:
        agent = self.agent_for(request)
        if agent is None:
            return Response(401, {"message": "Unauthenticated."})
        shown = {k: agent[k] for k in ("id", "name", "email", "status", "email_verified")}
        return Response(200, {"agent": shown})

    @route("GET", "/api/agent/wallet")
    def agent_wallet(self, request: Request) -> Response:
        agent = self.agent_for(request)
        if agent is None:
            return Response(401, {"message": "Unauthenticated."})
        balance = amount(self.balance(agent["id"]))
        wallet = {"currency": agent["currency"], "balance": balance, "deposit_address": agent["deposit_address"]}
        return Response(200, {"wallets": [wallet], "total": balance})

    @route("GET", "/api/agent/wallet/usage")
    def agent_usage(self, request: Request) -> Response:
        agent = self.agent_for(request)
        if agent is None:
            return Response(401, {"message": "Unauthenticated."})
        period = (request.query.get("period") or [self._period()])[0]
        lines = []
        for usage_type, cost in USAGE_TYPES:
            calls = [free for a, p, t, free in self.usage if a == agent["id"] and p == period and t == usage_type]
            charged = sum(1 for free in calls if not free)
            lines.append(
                {
                    "usage_type": usage_type,
                    "calls": len(calls),
                    "free": len(calls) - charged,
                    "cost": amount(cost * charged),
                }
            )
        return Response(200, {"period": period, "usage": lines})

    @route("GET", "/api/agent/wallet/transactions")
    def agent_transactions(self, request: Request) -> Response:
        agent = self.agent_for(request)
        if agent is None:
            return Response(401, {"message": "Unauthenticated."})
        rows = [
            {**{k: v for k, v in row.items() if k not in ("signed", "agent_id")}, "amount": amount(abs(row["signed"]))}
            for row in reversed(self.wallet_log)
            if row["agent_id"] == agent["id"]
        ]
        request.query.setdefault("perPage", ["50"])
        return self._page(request, rows)

    # -- specialists ------------------------------------------------------------------------------------------------
    def slots(
        self, schedule: dict[str, Any], start: dt.datetime, end: dt.datetime, viewer: str = ""
    ) -> list[dict[str, Any]]:
        """The schedule's slots that start within [start, end): back to back inside its hours on its days; a slot
        the `viewer` booked carries its `event`."""
        zone = ZoneInfo(schedule["timezone"])
        found, day = [], start.astimezone(zone).date()
        while dt.datetime.combine(day, dt.time(), zone) < end:
            if (day.weekday() + 1) % 7 in schedule["days"]:
                at = dt.datetime.combine(day, dt.time.fromisoformat(schedule["hours"]["from"]), zone)
                closes = dt.datetime.combine(day, dt.time.fromisoformat(schedule["hours"]["to"]), zone)
                step = dt.timedelta(minutes=schedule["duration"])
                while at + step <= closes:
                    if start <= at < end:
                        key = (schedule["id"], _moment(at))
                        booked = self.bookings.get(key)
                        slot = {"start": _moment(at), "end": _moment(at + step), "available": booked is None}
                        if booked and viewer and booked["booker"] == viewer:
                            slot["event"] = booked["event"]
                        found.append(slot)
                    at += step
            day += dt.timedelta(days=1)
        return found

    @staticmethod
    def _window(body: dict[str, Any]) -> tuple[dt.datetime, dt.datetime] | Response:
        try:
            start = dt.datetime.fromisoformat(str(body.get("start")).replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(str(body.get("end")).replace("Z", "+00:00"))
        except ValueError:
            return _errors({"start": ["The start and end fields must be valid dates."]})
        if start.tzinfo is None or end.tzinfo is None or end <= start or (end - start).days > 31:
            return _errors({"end": ["The end field must be a date after start, within 31 days."]})
        return start, end

    def _matches(self, schedule: dict, body: dict, start: dt.datetime, end: dt.datetime) -> dict | None:
        person = self.people[schedule["user_id"]]
        price = Decimal(schedule["price"])
        if not set(body.get("skills") or []) <= set(person["skills"]):
            return None
        if body.get("currency") and body["currency"] != schedule["currency"]:
            return None
        if price < body.get("price_from", 0) or ("price_to" in body and price > body["price_to"]):
            return None
        if body.get("duration") and schedule["duration"] < body["duration"]:
            return None
        zone = ZoneInfo(body.get("timezone") or "UTC")
        hours = body.get("hours") or {}
        for slot in self.slots(schedule, start, end):
            at = dt.datetime.fromisoformat(slot["start"].replace("Z", "+00:00")).astimezone(zone)
            ends = dt.datetime.fromisoformat(slot["end"].replace("Z", "+00:00")).astimezone(zone)
            day_ok = not body.get("days") or (at.weekday() + 1) % 7 in body["days"]
            hours_ok = not hours or (hours["from"] <= at.strftime("%H:%M") and ends.strftime("%H:%M") <= hours["to"])
            if slot["available"] and day_ok and hours_ok:
                return {
                    "id": person["id"],
                    "name": person["name"],
                    "timezone": person["timezone"],
                    "skills": person["skills"],
                    "schedule_id": schedule["id"],
                    "price": schedule["price"],
                    "currency": schedule["currency"],
                    "duration": schedule["duration"],
                    "next_slot": slot["start"],
                }
        return None

    @route("POST", "/api/agent/search/specialists")
    def agent_search(self, request: Request) -> Response:
        agent, refused = self._active(request, verified=True)
        if refused or agent is None:
            return refused or Response(401, {"message": "Unauthenticated."})
        body = request.json() or {}
        window = self._window(body)
        if isinstance(window, Response):
            return window
        if body.get("timezone"):
            try:
                ZoneInfo(body["timezone"])
            except (KeyError, ValueError):
                return _errors({"timezone": ["The timezone field must be a valid timezone."]})
        refused = self._charge(agent, "api_search", SEARCH_COST)
        if refused:
            return refused
        hits = [hit for s in self.schedules.values() if (hit := self._matches(s, body, *window))]
        request.query.update({"page": [str(body.get("page") or 1)], "perPage": [str(body.get("perPage") or 20)]})
        return self._page(request, hits)

    @route("GET", f"/api/agent/user/(?P<user>{ID})")
    def agent_user(self, request: Request, user: str) -> Response:
        agent, refused = self._active(request, verified=True)
        if refused or agent is None:
            return refused or Response(401, {"message": "Unauthenticated."})
        person = self.people.get(int(user))
        if person is None:
            return Response(404, {"message": f"No query results for model [App\\Models\\User] {user}"})
        views = sum(1 for a, p, t, _ in self.usage if a == agent["id"] and p == self._period() and t == "api_user_view")
        refused = self._charge(agent, "api_user_view", Decimal(0) if views < FREE_PROFILE_VIEWS else VIEW_COST)
        if refused:
            return refused
        count = sum(1 for s in self.schedules.values() if s["user_id"] == person["id"])
        return Response(200, {"user": {**person, "active_schedules_count": count}})

    @route("GET", f"/api/schedules/(?P<schedule>{ID})")
    def schedule_show(self, request: Request, schedule: str) -> Response:
        _, refused = self._active(request, verified=False)
        found = self.schedules.get(int(schedule))
        if refused or found is None:
            return refused or Response(
                404, {"message": f"No query results for model [App\\Models\\Schedule] {schedule}"}
            )
        query = {name: (request.query.get(name) or [""])[0] for name in ("start", "end")}
        if not query["start"]:
            query = {"start": _moment(self.clock), "end": _moment(self.clock + dt.timedelta(days=7))}
        window = self._window(query)
        if isinstance(window, Response):
            return window
        viewer = request.headers.get("authorization", "")
        return Response(200, {**found, "slots": self.slots(found, *window, viewer=viewer)})

    @route("POST", f"/api/schedules/(?P<schedule>{ID})/book")
    def schedule_book(self, request: Request, schedule: str) -> Response:
        _, refused = self._active(request, verified=False)
        found = self.schedules.get(int(schedule))
        if refused or found is None:
            return refused or Response(
                404, {"message": f"No query results for model [App\\Models\\Schedule] {schedule}"}
            )
        body = request.json() or {}
        try:
            start = dt.datetime.fromisoformat(str(body.get("start")).replace("Z", "+00:00"))
        except ValueError:
            return _errors({"start": ["The start field must be a valid date."]})
        if start.tzinfo is None:
            return _errors({"start": ["The start field must carry a time zone."]})
        slot = next((s for s in self.slots(found, start, start + dt.timedelta(seconds=1))), None)
        if slot is None or not slot["available"]:
            return _errors({"start": ["The selected time slot is not available."]})
        event = 9000 + len(self.bookings) + 1
        token = secrets.token_hex(12)
        paid = bool(body.get("payment"))
        booker = request.headers.get("authorization", "")
        self.bookings[(found["id"], slot["start"])] = {"event": event, "booker": booker, "payment": paid}
        url = f"https://pay.ceki.example/checkout/{token}" if paid else None
        return Response(201, {"url": url, "user": str(found["user_id"]), "event": str(event), "token": token})
