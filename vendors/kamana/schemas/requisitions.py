"""A Kamana job requisition: an open job at a facility, with its pay package and shift hours.

The REST resource says `facility_id`, `asap`, `compact_license`; the job requisition event says
`client_location_id`/`client_location`, `asap?`, `compact_license?`, `hot?`. Both are read into the same record.
Money is a `Decimal`: the doc's responses send `null` or strings, its create bodies numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from vendors.kamana.schemas.enums import JobRequisitionStatus, JobType
from vendors.kamana.schemas.reading import Included, RecordReader
from vendors.kamana.schemas.reference import Facility, Profession, Specialty, User

__all__ = ["JobRequisition"]


@dataclass(frozen=True, slots=True)
class JobRequisition:
    """A job requisition (`job_requisition`). Shift times are hours (0-23) of the facility's local day."""

    id: str
    name: str | None = None
    reference_number: str | None = None
    status: JobRequisitionStatus | None = None
    job_type: JobType | None = None
    facility_id: str | None = None
    profession_id: str | None = None
    specialty_id: str | None = None
    creator_id: str | None = None
    client_contract_id: str | None = None
    description: str | None = None
    number_of_openings: int | None = None
    years_of_experience: int | None = None
    asap: bool | None = None
    compact_license: bool | None = None
    has_pay_package: bool | None = None
    starts_on: date | None = None
    contract_length: int | None = None
    hours_per_week: int | None = None
    shift_start_time: int | None = None
    shift_end_time: int | None = None
    shift_description: str | None = None
    regular_hourly_rate: Decimal | None = None
    weekly_gross_pay: Decimal | None = None
    weekly_housing_stipend: Decimal | None = None
    weekly_per_diem: Decimal | None = None
    travel_reimbursement: Decimal | None = None
    compensation_comments: str | None = None
    origin: str | None = None
    origin_reference_number: str | None = None
    source_reference_number: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    facility: Facility | None = None
    profession: Profession | None = None
    specialty: Specialty | None = None
    creator: User | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> JobRequisition:
        read = RecordReader(payload, "job_requisition", included)
        facility_key = (
            "client_location" if read.raw("client_location_id") or read.raw("client_location") else "facility"
        )
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            reference_number=read.text("reference_number"),
            status=read.enum(JobRequisitionStatus, "status"),
            job_type=read.enum(JobType, "job_type"),
            facility_id=read.ref_id(facility_key),
            profession_id=read.ref_id("profession"),
            specialty_id=read.ref_id("specialty"),
            creator_id=read.ref_id("creator"),
            client_contract_id=read.ref_id("client_contract"),
            description=read.text("description"),
            number_of_openings=read.integer("number_of_openings"),
            years_of_experience=read.integer("years_of_experience"),
            asap=read.flag("asap"),
            compact_license=read.flag("compact_license"),
            has_pay_package=read.flag("has_pay_package"),
            starts_on=read.day("starts_on"),
            contract_length=read.integer("contract_length"),
            hours_per_week=read.integer("hours_per_week"),
            shift_start_time=read.integer("shift_start_time"),
            shift_end_time=read.integer("shift_end_time"),
            shift_description=read.text("shift_description"),
            regular_hourly_rate=read.decimal("regular_hourly_rate"),
            weekly_gross_pay=read.decimal("weekly_gross_pay"),
            weekly_housing_stipend=read.decimal("weekly_housing_stipend"),
            weekly_per_diem=read.decimal("weekly_per_diem"),
            travel_reimbursement=read.decimal("travel_reimbursement"),
            compensation_comments=read.text("compensation_comments"),
            origin=read.text("origin"),
            origin_reference_number=read.text("origin_reference_number"),
            source_reference_number=read.text("source_reference_number"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            facility=read.nested(facility_key, Facility.from_payload),
            profession=read.nested("profession", Profession.from_payload),
            specialty=read.nested("specialty", Specialty.from_payload),
            creator=read.nested("creator", User.from_payload),
            warnings=tuple(read.warnings),
        )
