"""Demo engagements in every Kamana status (with extensions, notes and credentialing requirements that are
valid, about to expire or expired) and Ceki contracts with participants, events and time tracking."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from portal.contracts.models import (
    Contract,
    ContractEvent,
    ContractParticipant,
    CredentialingRequirement,
    Engagement,
    EngagementExtension,
    EngagementNote,
    TimeEntry,
)
from portal.jobs.models import Client, JobRequisition
from portal.talent.models import TalentProfile

__all__ = ["seed"]

REQUIREMENTS = [
    ("BLS - Basic Life Support", "certification"),
    ("ACLS - Advanced Cardiac Life Support", "certification"),
    ("RN License", "license"),
    ("TB Test", "medical_history"),
    ("Skills checklist: ICU", "skills_checklist"),
    ("Two professional references", "reference"),
]
NOTES = [
    "Prefers night shifts; available from the first of the month.",
    "Compact licence verified with the board.",
    "Asked for housing near the facility.",
    "Client requested a second interview.",
]
SUB_STATUSES = [Engagement.SubStatus.ASSIGNMENT_COMPLETE, Engagement.SubStatus.DECLINED_BY_CLIENT]
ROLES = ["owner", "manager", "specialist", "specialist"]


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    people = list(TalentProfile.objects.order_by("id"))
    requisitions = list(JobRequisition.objects.select_related("facility").order_by("id"))
    if not people:
        return {"engagements": 0, "contracts": 0}
    engagements = [
        _engagement(rng, status, rng.choice(people), rng.choice(requisitions) if requisitions else None)
        for _ in range(scale)
        for status in Engagement.Status
    ]
    clients = list(Client.objects.order_by("id"))
    contracts = [_contract(rng, index, people, engagements, clients) for index in range(scale * 3)]
    return {
        "engagements": len(engagements),
        "credentialing_requirements": CredentialingRequirement.objects.filter(engagement__in=engagements).count(),
        "contracts": len(contracts),
        "contract_participants": ContractParticipant.objects.filter(contract__in=contracts).count(),
        "time_entries": TimeEntry.objects.filter(contract__in=contracts).count(),
    }


def _engagement(rng, status: str, talent, requisition) -> Engagement:
    starts_on = timezone.localdate() + dt.timedelta(weeks=rng.randint(-20, 8))
    weeks = rng.choice([8, 13, 13, 26])
    rate = Decimal(rng.choice(["48.00", "55.50", "62.25", "71.00"]))
    engagement = Engagement.objects.create(
        talent=talent,
        job_requisition=requisition,
        facility=requisition.facility if requisition else None,
        status=status,
        sub_status=rng.choice(SUB_STATUSES) if status == Engagement.Status.COMPLETE else "",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(weeks=weeks),
        contract_length=weeks,
        hours_per_week=rng.choice([36, 40, 48]),
        shift_start_time=rng.choice([7, 19]),
        shift_end_time=rng.choice([19, 7]),
        regular_hourly_rate=rate,
        weekly_gross_pay=rate * 36,
        weekly_housing_stipend=Decimal("1200.00"),
        weekly_per_diem=Decimal("350.00"),
        travel_reimbursement=Decimal("750.00"),
        client_contract_id=f"CC-{rng.randint(10000, 99999)}" if status in {"placed", "active", "complete"} else "",
    )
    now = timezone.now()
    for name, kind in rng.sample(REQUIREMENTS, 3):
        requirement_status = rng.choice(["needed", "mapped", "verified", "verified", "dismissed"])
        CredentialingRequirement.objects.create(
            engagement=engagement,
            name=name,
            kind=kind,
            status=requirement_status,
            expires_at=now + dt.timedelta(days=rng.choice([-12, 9, 21, 200, 540])),
            verified_at=now - dt.timedelta(days=30) if requirement_status == "verified" else None,
        )
    EngagementNote.objects.create(engagement=engagement, content=rng.choice(NOTES))
    if status in {"active", "complete"}:
        EngagementExtension.objects.create(
            engagement=engagement, starts_on=engagement.ends_on, ends_on=engagement.ends_on + dt.timedelta(weeks=4)
        )
    return engagement


def _contract(rng, index: int, people, engagements, clients) -> Contract:
    starts_at = timezone.now() - dt.timedelta(days=rng.randint(10, 40))
    engagement = rng.choice(engagements)
    contract = Contract.objects.create(
        label=f"{rng.choice(['ICU', 'Med/Surg', 'Home care', 'ER'])} coverage #{index + 1}",
        description="Hourly work billed weekly.",
        client=rng.choice(clients) if clients else None,
        engagement=engagement,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(days=90),
        budget=Decimal(rng.choice(["25000.00", "60000.00", "120000.00"])),
    )
    members = rng.sample(people, min(len(people), 3))
    participants = [
        ContractParticipant.objects.create(
            contract=contract,
            talent=person,
            email=person.email,
            role=ROLES[position % len(ROLES)] if position else "owner",
            accepted=None if position == 2 else True,
            rate=Decimal(rng.choice(["45.00", "58.00", "64.50"])),
        )
        for position, person in enumerate(members)
    ]
    workers = participants[1:] or participants
    for day in range(4):
        ContractEvent.objects.create(
            contract=contract,
            beneficiary=rng.choice(workers),
            label="Shift cover",
            starts_at=starts_at + dt.timedelta(days=day, hours=12),
            duration_minutes=rng.choice([240, 480, 720]),
        )
    TimeEntry.objects.create(
        contract=contract,
        participant=workers[0],
        label="Charting",
        started_at=starts_at + dt.timedelta(days=1, hours=13),
        stopped_at=starts_at + dt.timedelta(days=1, hours=15, minutes=30),
    )
    if index == 0:
        TimeEntry.objects.create(
            contract=contract,
            participant=workers[0],
            label="On shift",
            started_at=timezone.now() - dt.timedelta(hours=2),
        )
    return contract
