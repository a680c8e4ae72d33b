"""Alaunus's fake: the sixteen collections of the doc, an Ontario home-care agency's records, page paging.

Faithful to the doc where it speaks (the bare `Authorization: <api key>`, the attributes and their subdocuments,
`_deleted_dates` on deleted records) and to the choices in `paths.py` where it does not (`?page=&limit=` with a
`{"data", "page", "limit", "total"}` envelope, `?updated_since=` on objects with a last-updated date, errors as
`{"error": {"code", "message"}}` and field errors as `{"errors": {field: [messages]}}` with HTTP 422).
Alaunus sends no webhooks, so neither does this. Deleted records stay listed, with `_deleted_dates`, because
that is how a reader learns of the deletion. Tests and demos change the world with `edit()` and `delete()`;
`tick()` completes and punches the visits whose end has passed, as caregivers check out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from typing import Any

from vendors.alaunus.paths import (
    COLLECTIONS,
    INCREMENTAL_COLLECTIONS,
    LIMIT_PARAM,
    MAX_PAGE_SIZE,
    PAGE_PARAM,
    UPDATED_SINCE_PARAM,
)
from vendors.base.sandbox import Request, Response, SandboxVendor, route

__all__ = ["AlaunusSandbox"]

TIME_ZONE = "America/Toronto"
FIRST = ["Margaret", "Luis", "Priya", "Olena", "Grace", "Tomasz", "Amara", "Henry", "Rosa", "Wei", "Fatima", "Ian"]
LAST = ["Ellison", "Pereira", "Sandhu", "Kovalenko", "Mensah", "Nowak", "Okafor", "Fraser", "Silva", "Chen"]
STREETS = ["Rebecca St", "Lakeshore Rd E", "Trafalgar Rd", "Kerr St", "Dundas St W", "Upper Middle Rd"]
CITIES = [("Oakville", "L6K 1K6"), ("Burlington", "L7R 2G5"), ("Mississauga", "L5H 1J9"), ("Milton", "L9T 2X5")]
SERVICES = [
    {"_id": "svc-pca", "code": "PCA", "title": "Personal care", "pay_rate": 22.5, "bill_rate": 38.0},
    {"_id": "svc-hmk", "code": "HMK", "title": "Homemaking", "pay_rate": 19.0, "bill_rate": 32.0},
    {"_id": "svc-rn", "code": "RNV", "title": "Nursing visit", "pay_rate": 48.0, "bill_rate": 85.0},
    {"_id": "svc-res", "code": "RES", "title": "Respite", "pay_rate": 21.0, "bill_rate": 36.0},
]
SKILLS = [
    ("Dementia care", "#7b61ff"),
    ("Palliative care", "#ff8a65"),
    ("Mobility & transfers", "#4db6ac"),
    ("Meal preparation", "#ffd54f"),
    ("Medication reminders", "#64b5f6"),
    ("Wound care", "#e57373"),
]
HST = Decimal("0.13")  # Ontario HST on the invoices the sandbox issues


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _now() -> str:
    return _iso(dt.datetime.now(dt.UTC))


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _parse(value: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _error(status: int, code: str, message: str) -> Response:
    return Response(status, {"error": {"code": code, "message": message}})


def _invalid(errors: dict[str, list[str]]) -> Response:
    return Response(422, {"error": {"code": "validation_failed", "message": "Validation failed"}, "errors": errors})


class AlaunusSandbox(SandboxVendor):
    """`seed(count)`: `count` patients and caregivers, about three visits each, their punchcards and money."""

    name = "alaunus"

    def __init__(self, *, api_key: str = "sandbox-alaunus-key", seed: int = 20) -> None:
        self.api_key = api_key
        self._ids = itertools.count(1)
        super().__init__(seed=seed)

    # -- state -----------------------------------------------------------------------------------------
    def _add(self, collection: str, record: dict[str, Any], *, created: str | None = None) -> dict[str, Any]:
        serial = next(self._ids)
        record = {"_id": f"{COLLECTIONS.index(collection) + 1:02x}{serial:022x}", **record}
        # Seeded records were made one after another, a second apart, as a real account's were.
        stamp = _iso(_parse(created) + dt.timedelta(seconds=serial)) if created else _now()
        record["_created_date"] = stamp
        if collection in INCREMENTAL_COLLECTIONS:
            record.setdefault("_last_updated_date", stamp)
        self.data[collection][record["_id"]] = record
        return record

    def edit(self, collection: str, record_id: str, **fields: Any) -> dict[str, Any]:
        """Change a record as an Alaunus user would; its last-updated date moves where it has one."""
        with self.lock:
            record = self.data[collection][record_id]
            record.update(fields)
            if collection in INCREMENTAL_COLLECTIONS:
                record["_last_updated_date"] = _now()
            return record

    def delete(self, collection: str, record_id: str, reason: str = "Deleted by coordinator") -> dict[str, Any]:
        """Alaunus keeps a deleted record and lists it with a `_deleted_dates` entry."""
        entry = {"date": _now(), "reason": reason, "user": self.coordinator}
        record = self.data[collection][record_id]
        return self.edit(
            collection, record_id, _deleted=True, _deleted_dates=[*record.get("_deleted_dates", []), entry]
        )

    def seed(self, count: int) -> None:
        rng = random.Random(9)
        self.data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in COLLECTIONS}
        count = max(1, count)
        week = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        monday = week - dt.timedelta(days=week.weekday())
        created = _iso(monday - dt.timedelta(days=60))
        account = self._add(
            "accounts",
            {
                "name": {"full": "Halton Home Care"},
                "active": 1,
                "email": "office@haltonhomecare.example",
                "hst_number": "81234 5678 RT0001",
                "website": "https://haltonhomecare.example",
                "settings": {"timezone": TIME_ZONE, "currency": "CAD", "country": "CA", "language": "en"},
                "services": SERVICES,
                "taxes": [{"label": "HST", "amount": 13}],
            },
            created=created,
        )
        self.coordinator = account["_id"]
        skills = [
            self._add("skills", {"title": t, "description": f"{t} training on file", "color": c}, created=created)
            for t, c in SKILLS
        ]
        clients = []
        for n in range(max(1, count // 4)):
            city, postal = CITIES[n % len(CITIES)]
            clients.append(
                self._add(
                    "clients",
                    {
                        "type": "company",
                        "company": {"name": f"{city} Community Health Partners"},
                        "email": f"intake{n}@{city.lower()}chp.example",
                        "accounting_id": f"AR-{1000 + n}",
                        "contact": {
                            "name": {"first": rng.choice(FIRST), "last": rng.choice(LAST)},
                            "phones": [{"number": f"905-555-{2000 + n:04d}", "type": "work", "primary": True}],
                        },
                        "locations": [
                            {
                                "street": f"{100 + n} {STREETS[n % len(STREETS)]}",
                                "city": city,
                                "province": "ON",
                                "postal_code": postal,
                                "country": "CA",
                            }
                        ],
                    },
                    created=created,
                )
            )
            self._add(
                "contacts",
                {
                    "_type": "person",
                    "contact": {"name": {"first": rng.choice(FIRST), "last": rng.choice(LAST)}},
                    "email": f"family{n}@example.org",
                    "notes": "Daughter; call before schedule changes.",
                },
                created=created,
            )
        caregivers = []
        for n in range(count):
            first, last = FIRST[n % len(FIRST)], f"{LAST[(n * 7) % len(LAST)]}"
            person = {
                "name": {"first": first, "last": last},
                "email": f"caregiver{n}@haltonhomecare.example",
                "phones": [{"number": f"289-555-{3000 + n:04d}", "type": "mobile", "primary": True}],
                "skills": [skills[n % len(skills)]["_id"]],
                "experience": 1 + n % 12,
            }
            if n % 2 == 0:
                candidate = self._add("candidates", {**person, "status": "hired", "hired": True}, created=created)
                person["candidate"] = candidate["_id"]
            caregivers.append(
                self._add(
                    "users",
                    {
                        **person,
                        "role": "caregiver",
                        "timezone": TIME_ZONE,
                        "services": [SERVICES[n % len(SERVICES)]],
                        "start_date": (monday - dt.timedelta(days=90)).date().isoformat(),
                    },
                    created=created,
                )
            )
        for n in range(count // 2):
            self._add(
                "candidates",
                {
                    "name": {"first": rng.choice(FIRST), "last": rng.choice(LAST)},
                    "email": f"applicant{n}@example.org",
                    "status": "applied",
                },
                created=created,
            )
        patients = []
        for n in range(count):
            city, postal = CITIES[n % len(CITIES)]
            patients.append(
                self._add(
                    "patients",
                    {
                        "name": {"first": FIRST[(n + 3) % len(FIRST)], "last": LAST[(n + 5) % len(LAST)]},
                        "email": f"patient{n}@example.org",
                        "chart_id": f"HHC-{5000 + n}",
                        "phones": [{"number": f"905-555-{4000 + n:04d}", "type": "home", "primary": True}],
                        "locations": [
                            {
                                "street": f"{10 + n} {STREETS[(n + 2) % len(STREETS)]}",
                                "city": city,
                                "province": "ON",
                                "postal_code": postal,
                                "country": "CA",
                                "primary": True,
                            }
                        ],
                        "account": account["_id"],
                        "status": "active",
                        "billing": [{"billing_period": "biweekly", "currency": "CAD", "payment_method": "invoice"}],
                        "services": [SERVICES[n % len(SERVICES)]],
                    },
                    created=created,
                )
            )
        self._seed_schedule(monday, caregivers, patients, clients, created)
        self._add(
            "files",
            {
                "name": "care-plan.pdf",
                "file": "https://files.example/care-plan.pdf",
                "content_type": "application/pdf",
                "type": "care_plan",
            },
            created=created,
        )
        self._add(
            "usersnotes",
            {
                "user": caregivers[0]["_id"],
                "title": "CPR renewal",
                "note": "CPR certificate renewed.",
                "priority": "low",
            },
            created=created,
        )
        self._add(
            "patientsprogressnotes",
            {
                "patient": patients[0]["_id"],
                "title": "Weekly check",
                "note": "Walked to the mailbox with a cane.",
                "private": False,
            },
            created=created,
        )

    def _seed_schedule(
        self, monday: dt.datetime, caregivers: list, patients: list, clients: list, created: str
    ) -> None:
        """A weekly series per patient (Mon/Wed/Fri), last week's visits with punchcards, an invoice and payroll."""
        payroll = self._add(
            "payrolls",
            {
                "start": (monday - dt.timedelta(days=7)).date().isoformat(),
                "end": (monday - dt.timedelta(days=1)).date().isoformat(),
                "period_type": "weekly",
                "closed": False,
            },
            created=created,
        )
        for n, patient in enumerate(patients):
            caregiver, service = caregivers[n % len(caregivers)], SERVICES[n % len(SERVICES)]
            start = monday - dt.timedelta(days=7) + dt.timedelta(hours=13 + n % 6)  # 08:00-13:00 in Toronto
            end = start + dt.timedelta(hours=2)
            group = self._add(
                "eventsgroups",
                {
                    "freq": "WEEKLY",
                    "interval": 1,
                    "byweekday": ["MO", "WE", "FR"],
                    "wkst": "MO",
                    "dtstart": start.date().isoformat(),
                    "start": _iso(start),
                    "end": _iso(end),
                    "count": 24,
                    "ends": {"type": "after", "count": 24},
                    "events": [],
                },
                created=created,
            )
            punchcards, pay_total = [], Decimal(0)
            for offset in (0, 2, 4, 7):
                visit_start = start + dt.timedelta(days=offset)
                event = self._visit(
                    patient,
                    caregiver,
                    service,
                    visit_start,
                    visit_start + dt.timedelta(hours=2),
                    group=group["_id"],
                    created=created,
                )
                group["events"].append(event["_id"])
                if offset < 7:
                    card = self._punch(event, patient, caregiver, service, late_minutes=(n + offset) % 11)
                    event["status"] = "completed"
                    punchcards.append(card)
                    pay_total += Decimal(str(card["pay"]["amount"]))
            self._invoice(clients[n % len(clients)], patient, punchcards, monday, created)
            self._add(
                "payrollsusers",
                {
                    "payroll": payroll["_id"],
                    "user": {"_id": caregiver["_id"]},
                    "punchcards": [card["_id"] for card in punchcards],
                    "adjustments": [{"label": "Mileage", "amount": 12.4}],
                },
                created=created,
            )

    def _visit(self, patient, caregiver, service, start, end, *, group=None, created=None, notes="") -> dict:
        return self._add(
            "events",
            {
                **({"_group": group} if group else {}),
                "start": _iso(start),
                "end": _iso(end),
                "duration": (end - start).total_seconds() / 3600,
                "status": "scheduled",
                "stat_holiday": False,
                "patient": {"_id": patient["_id"], "name": patient["name"]},
                "attendees": [
                    {
                        "_id": caregiver["_id"],
                        "name": caregiver["name"],
                        "pay_rate": service["pay_rate"],
                        "bill_rate": service["bill_rate"],
                        "status": "confirmed",
                    }
                ]
                if caregiver
                else [],
                "service": service,
                "billing": {"billing_period": "biweekly", "currency": "CAD"},
                "location": patient["locations"][0],
                "notes": notes,
            },
            created=created,
        )

    def _punch(self, event, patient, caregiver, service, *, late_minutes: int) -> dict:
        start = _parse(event["start"]) + dt.timedelta(minutes=late_minutes)
        end = _parse(event["end"]) + dt.timedelta(minutes=late_minutes // 2)
        hours = Decimal(str(round((end - start).total_seconds() / 3600, 4)))
        rate_pay, rate_bill = Decimal(str(service["pay_rate"])), Decimal(str(service["bill_rate"]))
        return self._add(
            "punchcards",
            {
                "event": event["_id"],
                "scheduled_start": event["start"],
                "scheduled_end": event["end"],
                "actual": {"start": _iso(start), "end": _iso(end), "duration": float(hours)},
                "user": {"_id": caregiver["_id"], "name": caregiver["name"]},
                "patient": {"_id": patient["_id"], "name": patient["name"]},
                "service": service,
                "pay": {"rate": float(rate_pay), "quantity": float(hours), "amount": _money(rate_pay * hours)},
                "bill": {"rate": float(rate_bill), "quantity": float(hours), "amount": _money(rate_bill * hours)},
                "billing": {"billing_period": "biweekly", "currency": "CAD"},
                "location": event["location"],
            },
            created=event["end"],
        )

    def tick(self) -> None:
        """Visits whose end has passed are completed and punched, as the caregiver's app checks out."""
        now = dt.datetime.now(dt.UTC)
        punched = {card["event"] for card in self.data["punchcards"].values()}
        for event in list(self.data["events"].values()):
            attendees = event.get("attendees") or []
            if (
                event.get("status") != "scheduled"
                or event["_id"] in punched
                or not attendees
                or event.get("_deleted_dates")
                or _parse(event["end"]) > now
            ):
                continue
            rates = {"pay_rate": attendees[0].get("pay_rate") or 0, "bill_rate": attendees[0].get("bill_rate") or 0}
            patient = self.data["patients"][event["patient"]["_id"]]
            caregiver = self.data["users"][attendees[0]["_id"]]
            self._punch(event, patient, caregiver, {**(event.get("service") or {}), **rates}, late_minutes=4)
            self.edit("events", event["_id"], status="completed")

    def _invoice(self, client, patient, punchcards, monday, created) -> None:
        subtotal = sum((Decimal(str(card["bill"]["amount"])) for card in punchcards), Decimal(0))
        tax = (subtotal * HST).quantize(Decimal("0.01"))
        total = subtotal + tax
        number = f"INV-{monday:%Y}-{len(self.data['invoices']) + 1:04d}"
        self._add(
            "invoices",
            {
                "number": number,
                "status": "sent",
                "invoice_date": monday.date().isoformat(),
                "due_date": (monday + dt.timedelta(days=30)).date().isoformat(),
                "billing_period": {
                    "start": (monday - dt.timedelta(days=7)).date().isoformat(),
                    "end": (monday - dt.timedelta(days=1)).date().isoformat(),
                },
                "currency": "CAD",
                "subtotal": _money(subtotal),
                "tax_total": _money(tax),
                "total": _money(total),
                "amount_paid": 0,
                "amount_due": _money(total),
                "services": [
                    {
                        "_id": card["service"]["_id"],
                        "code": card["service"]["code"],
                        "title": card["service"]["title"],
                        "bill_rate": card["bill"]["rate"],
                        "quantity": card["bill"]["quantity"],
                        "amount": card["bill"]["amount"],
                    }
                    for card in punchcards
                ],
                "taxes": [{"label": "HST 13%", "amount": _money(tax)}],
                "punchcards": [card["_id"] for card in punchcards],
                "client": {"_id": client["_id"]},
                "patient": {"_id": patient["_id"]},
                "closed": False,
            },
            created=created,
        )

    # -- HTTP ------------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        key = request.headers.get("authorization", "")
        if not key:
            return _error(401, "unauthorized", "Missing Authorization header: send your API key.")
        if key != self.api_key:  # "Bearer <key>" is refused too: the doc's header is the bare key
            return _error(401, "unauthorized", "Invalid API key.")
        return None

    @staticmethod
    def _number(request: Request, name: str, default: int, errors: dict[str, list[str]], top: int) -> int:
        text = request.query.get(name, [str(default)])[0]
        if not text.isdigit() or not 1 <= int(text) <= top:
            errors.setdefault(name, []).append(f"Must be a whole number from 1 to {top}.")
            return default
        return int(text)

    @route("GET", "/(?P<collection>[a-z]+)")
    def list_records(self, request: Request, collection: str) -> Response:
        if collection not in self.data:
            return _error(404, "not_found", f"Unknown collection {collection!r}.")
        errors: dict[str, list[str]] = {}
        page = self._number(request, PAGE_PARAM, 1, errors, 10**6)
        limit = self._number(request, LIMIT_PARAM, 100, errors, MAX_PAGE_SIZE)
        records = list(self.data[collection].values())
        since_text = request.query.get(UPDATED_SINCE_PARAM, [""])[0]
        if since_text:
            since = _parse(since_text)
            if collection not in INCREMENTAL_COLLECTIONS:
                errors[UPDATED_SINCE_PARAM] = [f"{collection} have no last-updated date."]
            elif since is None:
                errors[UPDATED_SINCE_PARAM] = ["An ISO 8601 time with a zone."]
            else:
                records = [r for r in records if _parse(r["_last_updated_date"]) >= since]
        for name in ("patient", "user"):  # the filters the portal uses to find what it may have sent
            wanted = request.query.get(name, [""])[0]
            if wanted:
                records = [r for r in records if _ref(r.get(name)) == wanted]
        if errors:
            return _invalid(errors)
        chunk = records[(page - 1) * limit : page * limit]
        return Response(200, {"data": chunk, "page": page, "limit": limit, "total": len(records)})

    @route("GET", "/(?P<collection>[a-z]+)/(?P<record_id>[^/]+)")
    def retrieve(self, request: Request, collection: str, record_id: str) -> Response:
        record = self.data.get(collection, {}).get(record_id)
        if record is None:
            return _error(404, "not_found", f"No {collection} record {record_id}.")
        return Response(200, record)

    def _event_errors(self, body: dict[str, Any], *, partial: bool) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if not isinstance(body, dict):
            return {"__all__": ["The body must be a JSON object."]}
        for name in ("patient", "start", "end"):
            if not partial and not body.get(name):
                errors[name] = ["This field is required."]
        if body.get("patient") and body["patient"] not in self.data["patients"]:
            errors["patient"] = [f"No patient {body['patient']}."]
        for name in ("start", "end"):
            if body.get(name) and _parse(body[name]) is None:
                errors[name] = ["An ISO 8601 time with a zone."]
        if not errors and body.get("start") and body.get("end") and _parse(body["end"]) <= _parse(body["start"]):
            errors["end"] = ["Must be after start."]
        for position, attendee in enumerate(body.get("attendees") or []):
            if _ref(attendee.get("user") if isinstance(attendee, dict) else attendee) not in self.data["users"]:
                errors[f"attendees[{position}]"] = ["No such user."]
        return errors

    def _apply_event(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if body.get("patient"):
            patient = self.data["patients"][body["patient"]]
            event["patient"] = {"_id": patient["_id"], "name": patient["name"]}
            event.setdefault("location", patient["locations"][0])
        for name in ("start", "end", "status", "notes"):
            if name in body:
                event[name] = body[name]
        if "_group" in body:
            event["_group"] = body["_group"]
        if body.get("service"):
            event["service"] = next((s for s in SERVICES if s["_id"] == body["service"]), {"_id": body["service"]})
        if "attendees" in body:
            service = event.get("service") or {}
            event["attendees"] = [
                {
                    "_id": user["_id"],
                    "name": user["name"],
                    "pay_rate": service.get("pay_rate"),
                    "bill_rate": service.get("bill_rate"),
                    "status": "confirmed",
                }
                for user in (self.data["users"][_ref(a.get("user"))] for a in body["attendees"])
            ]
        event["duration"] = (_parse(event["end"]) - _parse(event["start"])).total_seconds() / 3600
        event["_last_updated_date"] = _now()

    @route("POST", "/events")
    def create_event(self, request: Request) -> Response:
        body = request.json()
        if errors := self._event_errors(body, partial=False):
            return _invalid(errors)
        event = self._add("events", {"status": "scheduled", "stat_holiday": False, "attendees": []})
        self._apply_event(event, body)
        return Response(201, event)

    @route("PUT", "/events/(?P<record_id>[^/]+)")
    def update_event(self, request: Request, record_id: str) -> Response:
        event = self.data["events"].get(record_id)
        if event is None:
            return _error(404, "not_found", f"No events record {record_id}.")
        body = request.json()
        if errors := self._event_errors(body, partial=True):
            return _invalid(errors)
        merged = {"start": event["start"], "end": event["end"], **{k: v for k, v in body.items() if v}}
        if _parse(merged["end"]) <= _parse(merged["start"]):
            return _invalid({"end": ["Must be after start."]})
        self._apply_event(event, body)
        return Response(200, event)

    @route("PUT", "/punchcards/(?P<record_id>[^/]+)")
    def correct_punchcard(self, request: Request, record_id: str) -> Response:
        card = self.data["punchcards"].get(record_id)
        if card is None:
            return _error(404, "not_found", f"No punchcards record {record_id}.")
        actual = (request.json() or {}).get("actual") or {}
        start, end = _parse(actual.get("start")), _parse(actual.get("end"))
        if start is None or end is None or end <= start:
            return _invalid({"actual.end": ["Actual start and end, the end after the start."]})
        card["actual"] = {"start": _iso(start), "end": _iso(end), "duration": (end - start).total_seconds() / 3600}
        return Response(200, card)

    @route("POST", "/(?P<collection>eventsgroups|usersnotes|patientsprogressnotes)")
    def create_simple(self, request: Request, collection: str) -> Response:
        body = request.json()
        if not isinstance(body, dict) or not body:
            return _invalid({"__all__": ["The body must be a JSON object."]})
        return Response(201, self._add(collection, body))


def _ref(value: Any) -> str:
    """An embedded reference (`{"_id": ...}`) or a bare id."""
    return str(value.get("_id") or "") if isinstance(value, dict) else str(value or "")
