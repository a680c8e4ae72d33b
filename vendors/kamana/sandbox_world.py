"""The Kamana sandbox's in-memory account: seeded records in Kamana's own attribute names, and their JSON:API and
webhook renderings. `sandbox.py` holds the HTTP routes over it.

Records are stored as flat attribute dicts keyed by id, exactly the attributes the doc's examples show, so a
resource object is `{"id", "type", "attributes"}` of them and a webhook `object` is the same attributes with the
related records nested (the doc: "all data is included in the `object` data").
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from typing import Any

from vendors.base.sandbox_cast import CastMember, cast_of

__all__ = [
    "ENGAGEMENT_ATTRIBUTES",
    "REQUIREMENT_ATTRIBUTES",
    "REQUISITION_ATTRIBUTES",
    "TALENT_ATTRIBUTES",
    "KamanaWorld",
    "kamana_time",
    "ref",
    "resource",
    "shaped",
]

PROVINCES = [("Florida", "FL"), ("Texas", "TX"), ("California", "CA"), ("Colorado", "CO")]
ZONES = {"FL": "America/New_York", "TX": "America/Chicago", "CA": "America/Los_Angeles", "CO": "America/Denver"}
PROFESSIONS = ["Registered Nurse", "Licensed Practical Nurse", "Certified Nursing Assistant", "Respiratory Therapist"]
SPECIALTIES = ["ICU", "Med-Surg", "Telemetry", "Step Down", "Urology", "Peds Med-Surg"]
CITIES = ["Orlando", "Austin", "Fresno", "Denver", "Tampa", "Houston"]
FIRST = ["George", "Jane", "Elroy", "Judy", "Rosie", "Astro", "Cosmo", "Una"]
LAST = ["Jetson", "Spacely", "Cogswell", "Flintstone", "Rubble", "Slate"]
JOB_TYPES = ["Travel Contract", "Full Time", "Part Time", "Per Diem"]
CLOSED_ENGAGEMENT_STATUSES = {"complete"}
# The attributes the doc's REST examples show, per resource, where the stored record (also the webhook `object`)
# holds more: a REST answer carries exactly these (Show/Update Engagement, Show Requirement, Show Talent).
ENGAGEMENT_ATTRIBUTES = (
    "client_contract_id",
    "compensation_comments",
    "contract_length",
    "ends_on",
    "hours_per_week",
    "inserted_at",
    "job_requisition_id",
    "profile_id",
    "regular_hourly_rate",
    "shift_end_time",
    "shift_start_time",
    "starts_on",
    "status",
    "sub_status",
    "travel_reimbursement",
    "updated_at",
    "weekly_gross_pay",
    "weekly_housing_stipend",
    "weekly_per_diem",
)
REQUIREMENT_ATTRIBUTES = (
    "assignee_id",
    "comments",
    "dismissed_at",
    "dismisser_id",
    "due_date",
    "engagement_id",
    "expires_on",
    "expires_on_time_zone",
    "months_valid",
    "name",
    "status",
    "verified_at",
    "verifier_id",
)
TALENT_ATTRIBUTES = ("claimed", "first_name", "inserted_at", "notification_preference", "updated_at")
# Show Talent's example gives a preference `available_on` and its times; Create a Profile sends the rest. The
# sandbox answers the union (README "Sandbox"), as it does for engagements.
PREFERENCE_ATTRIBUTES = (
    "available_on",
    "desired_contract_length",
    "hours_per_week",
    "inserted_at",
    "minimum_weekly_gross_pay",
    "name",
    "shift_days",
    "shift_mids",
    "shift_nights",
    "updated_at",
)
# Every attribute of a job requisition resource (doc, Show Job Requisition); a new one starts with all of them.
REQUISITION_ATTRIBUTES = (
    "name",
    "reference_number",
    "status",
    "job_type",
    "facility_id",
    "profession_id",
    "specialty_id",
    "creator_id",
    "client_contract_id",
    "description",
    "number_of_openings",
    "years_of_experience",
    "asap",
    "compact_license",
    "has_pay_package",
    "starts_on",
    "contract_length",
    "hours_per_week",
    "shift_start_time",
    "shift_end_time",
    "shift_description",
    "regular_hourly_rate",
    "weekly_gross_pay",
    "weekly_housing_stipend",
    "weekly_per_diem",
    "travel_reimbursement",
    "compensation_comments",
    "origin",
    "origin_reference_number",
    "source_reference_number",
    "inserted_at",
    "updated_at",
)


def kamana_time(moment: dt.datetime) -> str:
    """Kamana writes UTC without an offset and without fractions: `2023-01-19T18:56:51`."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()


class KamanaWorld:
    """Every record of one sandbox account. Not thread-safe on its own: the sandbox holds its lock."""

    def __init__(self, *, requisitions: int, people: int, rng_seed: int = 5) -> None:
        self.rng = random.Random(rng_seed)
        self._clock = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        self.account_id = self.new_id()
        self.provinces: dict[str, dict] = {}
        self.professions: dict[str, dict] = {}
        self.specialties: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.clients: dict[str, dict] = {}
        self.contacts: dict[str, dict[str, dict]] = {}
        self.facilities: dict[str, dict] = {}
        self.requisitions: dict[str, dict] = {}
        self.profiles: dict[str, dict] = {}
        self.preferences: dict[str, dict[str, dict]] = {}  # profile id -> opportunity preference id -> attributes
        self.relationships: dict[str, dict] = {}
        self.engagements: dict[str, dict] = {}
        self.extensions: dict[str, dict[str, dict]] = {}
        self.notes: dict[str, dict[str, dict]] = {}
        self.requirements: dict[str, dict[str, dict]] = {}
        self._requisition_order: list[str] | None = None
        self._seed_reference()
        self.seed_requisitions(requisitions)
        self._seed_people(people)

    # -- ids and time ----------------------------------------------------------------------------------------
    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self) -> str:
        """Now, but strictly after the last stamp handed out: ordering by `updated_at` stays meaningful."""
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._clock = max(now, self._clock + dt.timedelta(seconds=1))
        return kamana_time(self._clock)

    def touched_requisitions(self) -> None:
        self._requisition_order = None

    def requisition_order(self) -> list[str]:
        """Newest change first (the doc names no order; README "Decisions": incremental sync relies on this)."""
        if self._requisition_order is None:
            self._requisition_order = sorted(
                self.requisitions, key=lambda rid: (self.requisitions[rid]["updated_at"], rid), reverse=True
            )
        return self._requisition_order

    # -- seeding ---------------------------------------------------------------------------------------------
    def _seed_reference(self) -> None:
        at = kamana_time(self._clock - dt.timedelta(days=400))
        base = {"inserted_at": at, "updated_at": at}
        for name, abbreviation in PROVINCES:
            self.provinces[self.new_id()] = {"name": name, "abbreviation": abbreviation, "country": "US", **base}
        for name in PROFESSIONS:
            self.professions[self.new_id()] = {"name": name, **base}
        for name in SPECIALTIES:
            self.specialties[self.new_id()] = {"name": name, **base}
        for index in range(2):
            self.users[self.new_id()] = {"email": f"recruiter{index + 1}@agency.test", "status": "active", **base}
        province_ids = list(self.provinces)
        for index, city in enumerate(CITIES):
            province_id = province_ids[index % len(province_ids)]
            self.facilities[self.new_id()] = {
                "name": f"{city} General Hospital",
                "street": f"{10 + index} Main St",
                "city": city,
                "postal_code": f"{32800 + index:05d}",
                "province_id": province_id,
                "static_id": self.new_id() if index % 2 else None,
                "time_zone": ZONES[self.provinces[province_id]["abbreviation"]],
                **base,
            }
        for index, name in enumerate(["Orlando Health", "Baylor Scott & White", "Sutter Health"]):
            client_id = self.new_id()
            self.clients[client_id] = {"name": name, "type": ["msp", "idn", "facility"][index], "updated_at": at}
            self.contacts[client_id] = {
                self.new_id(): {
                    "first_name": FIRST[(index + n) % len(FIRST)],
                    "last_name": LAST[(index + n) % len(LAST)],
                    "email": f"contact{index}{n}@client{index}.test",
                    "phone_number": f"1555000{index}{n:03d}",
                    "phone_number_extension": None,
                    "mobile_number": None,
                    "notes": None,
                }
                for n in range(2)
            }

    def seed_requisitions(self, count: int) -> None:
        """`count` realistic requisitions, fast enough for 50,000 (the sync benchmark): no per-record lookups."""
        rng = self.rng
        facilities, professions, specialties = list(self.facilities), list(self.professions), list(self.specialties)
        creators = list(self.users)
        start = self._clock - dt.timedelta(days=300)
        for index in range(count):
            at = kamana_time(start + dt.timedelta(seconds=index))
            specialty = specialties[index % len(specialties)]
            self.requisitions[self.new_id()] = {
                "name": f"{SPECIALTIES[index % len(SPECIALTIES)]} travel nurse #{index + 1}",
                "reference_number": f"KR{index + 1:07d}",
                "status": "open" if index % 5 else "closed",
                "job_type": JOB_TYPES[index % len(JOB_TYPES)],
                "facility_id": facilities[index % len(facilities)],
                "profession_id": professions[index % len(professions)],
                "specialty_id": specialty,
                "creator_id": creators[index % len(creators)],
                "client_contract_id": None,
                "description": None,
                "number_of_openings": 1 + index % 3,
                "years_of_experience": index % 6,
                "asap": index % 7 == 0,
                "compact_license": index % 2 == 0,
                "has_pay_package": True,
                "starts_on": (start.date() + dt.timedelta(days=30 + index % 90)).isoformat(),
                "contract_length": 13,
                "hours_per_week": 36,
                "shift_start_time": 7,
                "shift_end_time": 19,
                "shift_description": "Three twelves, days",
                "regular_hourly_rate": 40 + rng.randrange(60),
                "weekly_gross_pay": 1800 + rng.randrange(1500),
                "weekly_housing_stipend": 700,
                "weekly_per_diem": 300,
                "travel_reimbursement": 500,
                "compensation_comments": None,
                "origin": "VMS",
                "origin_reference_number": f"VMS-{index + 1}",
                "source_reference_number": None,
                "inserted_at": at,
                "updated_at": at,
            }
        self.touched_requisitions()

    def _seed_people(self, count: int) -> None:
        at = kamana_time(self._clock - dt.timedelta(days=200))
        users, requisitions = list(self.users), list(self.requisitions)
        for index in range(count):
            first, last = FIRST[index % len(FIRST)], LAST[index % len(LAST)]
            profile_id = self.new_id()
            self.profiles[profile_id] = {
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{index}@talent.test".lower(),
                "phone_number": f"555-010-{index:04d}",
                "claimed": index % 2 == 0,
                "notification_preference": "email-always",
                "profession_id": next(iter(self.professions)),
                "primary_specialty_id": next(iter(self.specialties)),
                "years_of_experience": 2 + index % 10,
                "inserted_at": at,
                "updated_at": at,
            }
            relationship_id = self.new_id()
            self.relationships[relationship_id] = {
                "profile_id": profile_id,
                "primary_contact_id": users[index % len(users)],
                "do_not_hire?": False,
                "do_not_hire_user_id": None,
                "source": "Direct",
                "status": "engaged" if requisitions else "interested",
                "status_changed_at": at,
                "status_reason": None,
                "sub_status": None,
                "inserted_at": at,
                "updated_at": at,
            }
            if requisitions:
                self.add_engagement(relationship_id, requisitions[index % len(requisitions)], at=at)
        for index, profile_id in enumerate(list(self.profiles)):  # after the rest: their ids stay as they were
            available = (self._clock + dt.timedelta(days=14 + 7 * index)).date().isoformat()
            self.add_preference(profile_id, {"available_on": available, "name": "Next assignment"}, at=at)
            if index % 2:
                self.add_preference(
                    profile_id,
                    {
                        "name": "Nights, close to home",
                        "desired_contract_length": 13,
                        "hours_per_week": 36,
                        "minimum_weekly_gross_pay": f"{1800 + 100 * index}.00",
                        "shift_days": False,
                        "shift_mids": False,
                        "shift_nights": True,
                    },
                    at=at,
                )

    def add_cast(self, cast: Sequence[CastMember]) -> list[str]:
        """The demo's people, each a talent profile with a relationship to the account in a status that cycles
        (with the sub-status and reason a recruiter would give) and a next-assignment preference; returns the
        relationship ids."""
        pipeline = [  # status, sub-status and reason, as a recruiter records them
            ("prospect", "Phone screen booked", "Strong acute-care experience"),
            ("review", "Credentials in review", "Awaiting BLS and TB results"),
            ("interested", "Applied online", "Responded to the float pool posting"),
            ("archived", "Not available", "Took a permanent position"),
            ("engaged", "On assignment", "Float pool, nights"),
        ]
        users, relationship_ids = list(self.users), []
        for member in cast_of("kamana", tuple(cast)):
            at = self.stamp()
            profile_id = self.new_id()
            self.profiles[profile_id] = {
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": member.email,
                "phone_number": member.phone,
                "claimed": True,
                "notification_preference": "email-always",
                "profession_id": next(iter(self.professions)),
                "primary_specialty_id": list(self.specialties)[member.index % len(self.specialties)],
                "years_of_experience": 3 + member.index,
                "inserted_at": at,
                "updated_at": at,
            }
            relationship_id = self.new_id()
            self.relationships[relationship_id] = {
                "profile_id": profile_id,
                "primary_contact_id": users[member.index % len(users)],
                "do_not_hire?": False,
                "do_not_hire_user_id": None,
                "source": "Referral",
                "status": pipeline[member.index % len(pipeline)][0],
                "status_changed_at": at,
                "status_reason": pipeline[member.index % len(pipeline)][2],
                "sub_status": pipeline[member.index % len(pipeline)][1],
                "inserted_at": at,
                "updated_at": at,
            }
            available = (dt.date.today() + dt.timedelta(days=7 * (member.index + 1))).isoformat()
            self.add_preference(profile_id, {"available_on": available, "name": "Next assignment"}, at=at)
            relationship_ids.append(relationship_id)
        return relationship_ids

    def add_preference(self, profile_id: str, values: dict[str, Any], *, at: str | None = None) -> str:
        """An opportunity preference of a talent (Create a Profile's `opportunity_preferences` entries)."""
        at = at or self.stamp()
        preference_id = self.new_id()
        attrs = {name: values.get(name) for name in PREFERENCE_ATTRIBUTES}
        self.preferences.setdefault(profile_id, {})[preference_id] = {**attrs, "inserted_at": at, "updated_at": at}
        return preference_id

    def add_engagement(self, relationship_id: str, requisition_id: str, *, at: str | None = None) -> str:
        at = at or self.stamp()
        requisition = self.requisitions[requisition_id]
        engagement_id = self.new_id()
        starts = dt.date.fromisoformat(requisition["starts_on"])
        self.engagements[engagement_id] = {
            "status": "placed",
            "sub_status": None,
            "status_reason": None,
            "profile_id": self.relationships[relationship_id]["profile_id"],
            "relationship_id": relationship_id,
            "job_requisition_id": requisition_id,
            "client_location_id": requisition["facility_id"],
            "client_contract_id": None,
            "starts_on": starts.isoformat(),
            "ends_on": (starts + dt.timedelta(weeks=13)).isoformat(),
            "contract_length": 13,
            "hours_per_week": 36,
            "shift_start_time": 7,
            "shift_end_time": 19,
            "regular_hourly_rate": "55",
            "weekly_gross_pay": "2400",
            "weekly_housing_stipend": "700",
            "weekly_per_diem": "300",
            "travel_reimbursement": "500",
            "compensation_comments": None,
            "inserted_at": at,
            "updated_at": at,
        }
        self.extensions[engagement_id] = {}
        self.notes[engagement_id] = {
            self.new_id(): {
                "content": "Talent confirmed start date.",
                "type": "note",
                "creator_id": next(iter(self.users)),
                "inserted_at": at,
                "updated_at": at,
            }
        }
        self.requirements[engagement_id] = {
            self.new_id(): {
                "engagement_id": engagement_id,
                "name": "BLS certification",
                "status": "needed",
                "expires_on": (starts + dt.timedelta(days=20)).isoformat(),
                "expires_on_time_zone": "America/New_York",
                "inserted_at": at,
                "updated_at": at,
            }
        }
        return engagement_id

    # -- renderings ------------------------------------------------------------------------------------------
    def has_open_engagement(self, relationship_id: str) -> bool:
        return any(
            e["relationship_id"] == relationship_id and e["status"] not in CLOSED_ENGAGEMENT_STATUSES
            for e in self.engagements.values()
        )

    def facility_object(self, facility_id: str | None) -> dict | None:
        """A facility as a webhook nests it (`client_location`), its province nested too."""
        if facility_id not in self.facilities:
            return None
        facility = self.facilities[facility_id]
        province = self.provinces.get(facility["province_id"])
        return {"id": facility_id, **facility, "province": province and {"id": facility["province_id"], **province}}

    def _named(self, table: dict[str, dict], record_id: str | None) -> dict | None:
        return {"id": record_id, **table[record_id]} if record_id in table else None

    def requisition_object(self, requisition_id: str) -> dict:
        """The Job Requisition Event's `object`: facility as `client_location`, related records nested."""
        attrs = dict(self.requisitions[requisition_id])
        facility_id = attrs.pop("facility_id")
        return {
            "id": requisition_id,
            **{
                ("asap?" if k == "asap" else "compact_license?" if k == "compact_license" else k): v
                for k, v in attrs.items()
            },
            "client_location_id": facility_id,
            "client_location": self.facility_object(facility_id),
            "profession": self._named(self.professions, attrs["profession_id"]),
            "specialty": self._named(self.specialties, attrs["specialty_id"]),
            "creator": self._named(self.users, attrs["creator_id"]),
        }

    def profile_object(self, profile_id: str) -> dict:
        return {"id": profile_id, **self.profiles[profile_id]}

    def relationship_object(self, relationship_id: str) -> dict:
        attrs = self.relationships[relationship_id]
        return {
            "id": relationship_id,
            **attrs,
            "profile": self.profile_object(attrs["profile_id"]) if attrs["profile_id"] in self.profiles else None,
            "primary_contact": self._named(self.users, attrs["primary_contact_id"]),
            "do_not_hire_user": self._named(self.users, attrs["do_not_hire_user_id"]),
        }

    def engagement_object(self, engagement_id: str) -> dict:
        attrs = self.engagements[engagement_id]
        return {
            "id": engagement_id,
            **attrs,
            "client_location": self.facility_object(attrs["client_location_id"]),
            "relationship": self.relationship_object(attrs["relationship_id"]),
        }

    def child_object(self, table: dict[str, dict[str, dict]], engagement_id: str, child_id: str) -> dict:
        return {"id": child_id, "engagement_id": engagement_id, **table[engagement_id][child_id]}


def resource(kind: str, record_id: str, attrs: dict[str, Any], relationships: dict | None = None) -> dict:
    """One JSON:API resource object."""
    out: dict[str, Any] = {"attributes": attrs, "id": record_id, "type": kind}
    if relationships:
        out["relationships"] = relationships
    return out


def shaped(attrs: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Exactly the documented attributes, absent ones as null."""
    return {name: attrs.get(name) for name in names}


def ref(kind: str, record_id: str | None) -> dict:
    return {"data": {"id": record_id, "type": kind} if record_id else None}
