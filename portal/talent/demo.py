"""Demo data for people: nurses and aides with specialties and skills, relationships in every status, and
CareerBuilder-style candidate timelines against the demo requisitions (used by `manage.py seed_demo`)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from portal.integrations.models import VendorConnection
from portal.jobs.models import JobRequisition, Profession, Specialty
from portal.talent.models import AccountRelationship, CandidateStatus, Skill, TalentProfile
from portal.talent.services import match_or_create_profile, record_candidate_status

__all__ = ["seed"]

FIRST_NAMES = [
    "Maria", "James", "Aaliyah", "Kevin", "Sofia", "Daniel", "Imani", "Robert", "Hannah", "Luis",
    "Jasmine", "Michael", "Olivia", "DeShawn", "Emily", "Hiroshi", "Fatima", "Connor", "Rosa", "Tyler",
]  # fmt: skip
LAST_NAMES = [
    "Lopez", "Johnson", "Williams", "Tran", "Patel", "O'Brien", "Garcia", "Washington", "Kim", "Schultz",
    "Reyes", "Anderson", "Mensah", "Rossi", "Yamamoto", "Hernandez", "Clarke", "Novak", "Baptiste", "Ward",
]  # fmt: skip
SKILLS = [
    ("Dementia care", "#7b61ff"),
    ("Hoyer lift", "#1f9d55"),
    ("Tracheostomy care", "#d97706"),
    ("Pediatric home care", "#0ea5e9"),
    ("Spanish speaking", "#e11d48"),
]
# Sub-status and reason per status, as a recruiter would record them in Kamana.
PIPELINE = {
    AccountRelationship.Status.INTERESTED: ("Applied online", "Responded to ICU travel posting"),
    AccountRelationship.Status.PROSPECT: ("Phone screen booked", "Strong recent acute-care experience"),
    AccountRelationship.Status.REVIEW: ("Credentials in review", "Awaiting BLS and TB results"),
    AccountRelationship.Status.ENGAGED: ("On assignment", "Started 13-week contract"),
    AccountRelationship.Status.ARCHIVED: ("Not available", "Took a permanent position"),
}
CAREER_STEPS = ["New", "Reviewed", "First Interview", "Offer", "Hired", "Rejected", "Declined"]
DEMO_ACCOUNT = "DEMO_0001"


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    """`scale * 30` people. Each has a relationship (statuses cycle so all appear) and a CareerBuilder timeline;
    when vendor connections exist, people get references to them so one person shows several vendors."""
    skills = [Skill.objects.get_or_create(title=title, defaults={"color": color})[0] for title, color in SKILLS]
    professions = list(Profession.objects.filter(abbreviation__in=["RN", "LPN", "CNA"]))
    specialties = list(Specialty.objects.filter(profession__in=professions))
    requisitions = sorted(
        dict(JobRequisition.objects.exclude(reference_number="").values_list("reference_number", "name")[:50]).items()
    )
    # Active ones only: the gate's demo names the sandboxes' connections before bin/demo connects them.
    connections = list(VendorConnection.objects.filter(vendor__in=["kamana", "alaunus", "intelycare"], is_active=True))
    now = timezone.now()
    counts = {"skills": len(skills), "talent_profiles": 0, "relationships": 0, "candidate_statuses": 0}
    statuses = list(AccountRelationship.Status)
    for index in range(max(scale, 0) * 30):
        profile = _profile(rng, index, professions, specialties, connections)
        profile.skills.set(rng.sample(skills, k=rng.randint(0, 2)))
        status = statuses[index % len(statuses)]
        sub_status, reason = PIPELINE[status]
        AccountRelationship.objects.get_or_create(
            profile=profile,
            account_ref=DEMO_ACCOUNT,
            defaults={
                "status": status,
                "sub_status": sub_status,
                "status_reason": reason,
                "status_changed_at": now - dt.timedelta(days=rng.randint(0, 90)),
                "primary_contact_email": "recruiting@demo.staffing.test",
                "do_not_hire": profile.do_not_hire,
                "source": rng.choice(["Direct", "Referral", "Job board"]),
            },
        )
        counts["talent_profiles"] += 1
        counts["relationships"] += 1
        counts["candidate_statuses"] += _timeline(rng, profile, requisitions, now)
    return counts


def _profile(rng, index, professions, specialties, connections) -> TalentProfile:
    first, last = FIRST_NAMES[index % len(FIRST_NAMES)], rng.choice(LAST_NAMES)
    email = f"{first}.{last}{index}@example.com".lower().replace("'", "")
    profile = None
    # Half the people are known to one or two vendors, matched by email like a real sync would.
    for connection in rng.sample(connections, k=min(len(connections), rng.randint(0, 2))):
        profile = match_or_create_profile(
            email=email.upper() if connection.vendor == "alaunus" else email,
            first_name=first,
            last_name=last,
            connection=connection,
            external_id=f"demo-{index}",
            vendor_data={"first_name": first, "last_name": last, "email": email, "demo": True},
        )
    if profile is None:
        profile = match_or_create_profile(email=email, first_name=first, last_name=last)
    profession = rng.choice(professions) if professions else None
    profile.profession = profession
    profile.specialty = rng.choice([s for s in specialties if s.profession_id == profession.pk]) if profession else None
    profile.phone = f"{rng.randint(200, 989)}-555-{rng.randint(200, 999):04d}"
    profile.years_experience = rng.randint(0, 25)
    profile.do_not_hire = rng.random() < 0.03
    profile.save()
    return profile


def _timeline(rng, profile: TalentProfile, requisitions: list[tuple[str, str]], now: dt.datetime) -> int:
    """A candidate-level status plus one application status for up to two requisitions."""
    applied = now - dt.timedelta(days=rng.randint(5, 120))
    line = {"account": DEMO_ACCOUNT, "candidate_email": profile.email, "vendor_key": "portal"}
    record_candidate_status(
        **line, status_level=CandidateStatus.Level.CANDIDATE, status="Pipeline", status_date=applied
    )
    picked = rng.sample(requisitions, k=min(len(requisitions), rng.randint(0, 2)))
    for reference_number, title in picked:
        record_candidate_status(
            **line,
            status_level=CandidateStatus.Level.APPLICATION,
            requisition_id=reference_number,
            requisition_title=title,
            status=rng.choice(CAREER_STEPS),
            status_detail="completed",
            status_date=applied + dt.timedelta(days=rng.randint(1, 4)),
        )
    return 1 + len(picked)
