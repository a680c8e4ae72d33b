"""Demo data for the demand side: health systems with facilities across US time zones, RN/LPN/CNA professions
and their specialties, and requisitions in every status (used by `manage.py seed_demo`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from portal.jobs.models import (
    Client,
    ClientContact,
    Facility,
    JobRequisition,
    Patient,
    Profession,
    Province,
    Specialty,
)

__all__ = ["seed"]

# (state, abbreviation, IANA zone, [(city, street, postal code)]): six zones, including Arizona (no DST) and
# Hawaii, in an order that puts four zones among the first four facilities.
PLACES = [
    ("New York", "NY", "America/New_York", [("Brooklyn", "450 Clarkson Ave", "11203")]),
    ("Illinois", "IL", "America/Chicago", [("Chicago", "1200 W Harrison St", "60607")]),
    ("Colorado", "CO", "America/Denver", [("Denver", "777 Bannock St", "80204")]),
    ("California", "CA", "America/Los_Angeles", [("Sacramento", "2315 Stockton Blvd", "95817")]),
    ("Florida", "FL", "America/New_York", [("Orlando", "92 W Miller St", "32806")]),
    ("Texas", "TX", "America/Chicago", [("Houston", "6411 Fannin St", "77030")]),
    ("Arizona", "AZ", "America/Phoenix", [("Phoenix", "2601 E Roosevelt St", "85008")]),
    ("Hawaii", "HI", "Pacific/Honolulu", [("Honolulu", "1301 Punchbowl St", "96813")]),
]
PROFESSIONS = {
    "RN": ("Registered Nurse", ["ICU", "Med/Surg", "Telemetry", "Emergency Department", "Labor & Delivery"]),
    "LPN": ("Licensed Practical Nurse", ["Long-Term Care", "Rehabilitation", "Wound Care"]),
    "CNA": ("Certified Nursing Assistant", ["Memory Care", "Acute Care", "Home Health"]),
}
SYSTEM_NAMES = [
    "Lakeshore Health",
    "Mercy Valley Medical",
    "Summit Ridge Healthcare",
    "Bayview Regional",
    "Prairie Hope Health System",
    "Cedar Grove Senior Living",
    "Red Rock Care Partners",
    "Harborlight Hospitals",
]
FACILITY_KINDS = ["Medical Center", "Community Hospital", "Skilled Nursing Center", "Rehabilitation Hospital"]
FIRST_NAMES = ["Dana", "Marcus", "Priya", "Lauren", "Ahmed", "Grace", "Tomás", "Keisha", "Ethan", "Mei"]
LAST_NAMES = ["Whitfield", "Okafor", "Delgado", "Nguyen", "Brennan", "Kowalski", "Haddad", "Sato", "Morrison"]
TITLES = ["Director of Nursing", "Staffing Coordinator", "Nurse Manager", "Unit Scheduler"]


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    """Create `scale` health systems' worth of demand: ~2 facilities, 2 contacts, 3 patients, 8 requisitions
    each, plus the shared provinces, professions and specialties (reused when they already exist)."""
    # The portal's own provinces and professions (no connection): a vendor's rows with the same codes are its own.
    provinces = {
        abbreviation: Province.objects.get_or_create(
            connection=None, country="US", abbreviation=abbreviation, defaults={"name": name}
        )[0]
        for name, abbreviation, _, _ in PLACES
    }
    professions, specialties = _professions()
    counts = {"provinces": len(provinces), "professions": len(professions), "specialties": len(specialties)}
    facilities: list[Facility] = []
    clients = max(scale, 0) * 2
    for index in range(clients):
        client = _client(rng, index)
        facilities += _facilities(rng, client, provinces, first_place=index * 2)
        _contacts(rng, client)
        _patients(rng, client, provinces, index)
    requisitions = _requisitions(rng, scale * 16, facilities, professions, specialties) if facilities else 0
    counts.update(
        clients=clients,
        client_contacts=clients * 2,
        facilities=len(facilities),
        patients=clients * 3,
        requisitions=requisitions,
    )
    return counts


def _professions() -> tuple[dict[str, Profession], list[Specialty]]:
    professions: dict[str, Profession] = {}
    specialties: list[Specialty] = []
    for abbreviation, (name, specialty_names) in PROFESSIONS.items():
        profession = Profession.objects.get_or_create(
            connection=None, abbreviation=abbreviation, defaults={"name": name}
        )[0]
        professions[abbreviation] = profession
        specialties += [
            Specialty.objects.get_or_create(name=specialty, profession=profession)[0] for specialty in specialty_names
        ]
    return professions, specialties


def _client(rng: random.Random, index: int) -> Client:
    name = SYSTEM_NAMES[index % len(SYSTEM_NAMES)]
    if index >= len(SYSTEM_NAMES):
        name = f"{name} {index // len(SYSTEM_NAMES) + 1}"
    domain = name.lower().replace(" ", "") + ".example.org"
    return Client.objects.create(
        name=name, email=f"staffing@{domain}", phone=f"{rng.randint(200, 989)}-555-{rng.randint(100, 199):04d}"
    )


def _facilities(rng: random.Random, client: Client, provinces: dict[str, Province], first_place: int) -> list[Facility]:
    facilities = []
    for offset in range(2):
        _, abbreviation, time_zone, cities = PLACES[(first_place + offset) % len(PLACES)]
        city, street, postal_code = rng.choice(cities)
        facilities.append(
            Facility.objects.create(
                name=f"{client.name.split()[0]} {city} {rng.choice(FACILITY_KINDS)}",
                client=client,
                province=provinces[abbreviation],
                street=street,
                city=city,
                postal_code=postal_code,
                time_zone=time_zone,
            )
        )
    return facilities


def _contacts(rng: random.Random, client: Client) -> None:
    domain = client.email.split("@")[1]
    for _ in range(2):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        ClientContact.objects.create(
            client=client,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@{domain}".lower(),
            phone_number=f"{rng.randint(200, 989)}555{rng.randint(1000, 1999)}",
            title=rng.choice(TITLES),
        )


def _patients(rng: random.Random, client: Client, provinces: dict[str, Province], index: int) -> None:
    _, abbreviation, time_zone, cities = PLACES[index % len(PLACES)]
    city, _, postal_code = cities[0]
    for number in range(3):
        Patient.objects.create(
            client=client,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            chart_id=f"CH-{index:03d}-{number}",
            street=f"{rng.randint(10, 9999)} {rng.choice(['Maple', 'Oak', 'Elm', 'Aspen'])} St",
            city=city,
            postal_code=postal_code,
            province=provinces[abbreviation],
            time_zone=time_zone,
        )


def _requisitions(
    rng: random.Random,
    count: int,
    facilities: list[Facility],
    professions: dict[str, Profession],
    specialties: list[Specialty],
) -> int:
    """Every status and job type appears (they cycle); a third are night shifts that end the next morning."""
    statuses = list(JobRequisition.Status)
    job_types = list(JobRequisition.JobType)
    today = dt.date.today()
    for index in range(count):
        profession = list(professions.values())[index % len(professions)]
        specialty = rng.choice([s for s in specialties if s.profession_id == profession.pk])
        night = index % 3 == 0
        rate = Decimal(rng.randint({"RN": 58, "LPN": 38, "CNA": 22}[profession.abbreviation], 95)).quantize(
            Decimal("0.01")
        )
        hours = Decimal(36 if night else 40)
        JobRequisition.objects.create(
            name=f"{specialty.name} {profession.abbreviation}",
            reference_number=f"JR-{today:%y}{index:05d}",
            status=statuses[index % len(statuses)],
            job_type=job_types[index % len(job_types)],
            facility=facilities[index % len(facilities)],
            profession=profession,
            specialty=specialty,
            number_of_openings=rng.randint(1, 6),
            years_of_experience=rng.choice([1, 1, 2, 3]),
            starts_on=today + dt.timedelta(days=rng.randint(-60, 45)),
            contract_length_weeks=13,
            hours_per_week=hours,
            shift_start_hour=19 if night else 7,
            shift_end_hour=7 if night else 15,
            shift_description="Nights, 3x12" if night else "Days, 5x8",
            has_pay_package=True,
            regular_hourly_rate=rate,
            weekly_gross_pay=rate * hours,
            weekly_housing_stipend=Decimal(rng.choice([0, 700, 1050])),
            weekly_per_diem=Decimal(rng.choice([0, 250, 350])),
        )
    return count
