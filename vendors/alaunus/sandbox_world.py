"""The world the Alaunus sandbox serves: an Ontario home-care agency and what happens in it.

`seed(count)` makes `count` patients and caregivers (every other caregiver hired from a candidate, plus count/2
applicants), skills, clients and contacts, a weekly Mon/Wed/Fri series per patient, last week's visits with
punchcards (check-ins a few minutes late), an invoice per patient with its services and HST, and a payroll with
one entry per caregiver. `edit()`, `delete()` and `tick()` change it as Alaunus users and caregivers would.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from vendors.alaunus.paths import COLLECTIONS, INCREMENTAL_COLLECTIONS
from vendors.base.sandbox_cast import CastMember, cast_of

__all__ = ["SERVICES", "AlaunusWorld", "iso", "now", "parse_instant"]

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


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now() -> str:
    return iso(dt.datetime.now(dt.UTC))


def money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def parse_instant(value: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


class AlaunusWorld:
    """The state: `data[collection][id] -> record` as Alaunus would send it. Mixed into `AlaunusSandbox`."""

    data: dict[str, dict[str, dict[str, Any]]]
    lock: threading.RLock

    def _add(self, collection: str, record: dict[str, Any], *, created: str | None = None) -> dict[str, Any]:
        serial = next(self._ids)
        record = {"_id": f"{COLLECTIONS.index(collection) + 1:02x}{serial:022x}", **record}
        # Seeded records were made one after another, a second apart, as a real account's were.
        stamp = iso(parse_instant(created) + dt.timedelta(seconds=serial)) if created else now()
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
                record["_last_updated_date"] = now()
            return record

    def delete(self, collection: str, record_id: str, reason: str = "Deleted by coordinator") -> dict[str, Any]:
        """Alaunus keeps a deleted record and lists it with a `_deleted_dates` entry."""
        entry = {"date": now(), "reason": reason, "user": self.coordinator}
        record = self.data[collection][record_id]
        return self.edit(
            collection, record_id, _deleted=True, _deleted_dates=[*record.get("_deleted_dates", []), entry]
        )

    def seed(self, count: int) -> None:
        self._ids = itertools.count(1)
        rng = random.Random(9)
        self.data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in COLLECTIONS}
        count = max(1, count)
        week = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        monday = week - dt.timedelta(days=week.weekday())
        created = iso(monday - dt.timedelta(days=60))
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

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """The demo's people as caregivers (every other email in capitals: the portal matches it anyway), each
        with a visit worked and punched last week and one booked for this week."""
        patients = [p for p in self.data["patients"].values() if not p.get("_deleted")]
        week = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        monday = week - dt.timedelta(days=week.weekday())
        created = iso(monday - dt.timedelta(days=30))
        for member in cast_of("alaunus", tuple(cast)):
            caregiver = self._add(
                "users",
                {
                    "name": {"first": member.first_name, "last": member.last_name},
                    "email": member.email.upper() if member.index % 2 else member.email,
                    "phones": [{"number": member.phone, "type": "mobile", "primary": True}],
                    "experience": 3 + member.index,
                    "role": "caregiver",
                    "timezone": TIME_ZONE,
                    "services": [SERVICES[member.index % len(SERVICES)]],
                    "start_date": (monday - dt.timedelta(days=60)).date().isoformat(),
                },
                created=created,
            )
            patient, service = patients[member.index % len(patients)], SERVICES[member.index % len(SERVICES)]
            worked = monday - dt.timedelta(days=7 - member.index % 5, hours=-(14 + member.index % 4))
            event = self._visit(patient, caregiver, service, worked, worked + dt.timedelta(hours=3), created=created)
            self._punch(event, patient, caregiver, service, late_minutes=member.index % 7)
            event["status"] = "completed"
            booked = worked + dt.timedelta(days=7)
            self._visit(patient, caregiver, service, booked, booked + dt.timedelta(hours=3), created=created)

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
                    "start": iso(start),
                    "end": iso(end),
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
                "start": iso(start),
                "end": iso(end),
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
        start = parse_instant(event["start"]) + dt.timedelta(minutes=late_minutes)
        end = parse_instant(event["end"]) + dt.timedelta(minutes=late_minutes // 2)
        hours = Decimal(str(round((end - start).total_seconds() / 3600, 4)))
        rate_pay, rate_bill = Decimal(str(service["pay_rate"])), Decimal(str(service["bill_rate"]))
        return self._add(
            "punchcards",
            {
                "event": event["_id"],
                "scheduled_start": event["start"],
                "scheduled_end": event["end"],
                "actual": {"start": iso(start), "end": iso(end), "duration": float(hours)},
                "user": {"_id": caregiver["_id"], "name": caregiver["name"]},
                "patient": {"_id": patient["_id"], "name": patient["name"]},
                "service": service,
                "pay": {"rate": float(rate_pay), "quantity": float(hours), "amount": money(rate_pay * hours)},
                "bill": {"rate": float(rate_bill), "quantity": float(hours), "amount": money(rate_bill * hours)},
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
                or parse_instant(event["end"]) > now
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
                "subtotal": money(subtotal),
                "tax_total": money(tax),
                "total": money(total),
                "amount_paid": 0,
                "amount_due": money(total),
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
                "taxes": [{"label": "HST 13%", "amount": money(tax)}],
                "punchcards": [card["_id"] for card in punchcards],
                "client": {"_id": client["_id"]},
                "patient": {"_id": patient["_id"]},
                "closed": False,
            },
            created=created,
        )
