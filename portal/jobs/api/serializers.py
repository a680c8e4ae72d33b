"""How jobs records look in `/api/v1/`: related records by id, plus the vendor reference every record carries."""

from __future__ import annotations

from rest_framework import serializers

from portal.core.api.serializers import VENDOR_RECORD_FIELDS
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

__all__ = [
    "ClientContactSerializer",
    "ClientSerializer",
    "FacilitySerializer",
    "JobRequisitionSerializer",
    "PatientSerializer",
    "ProfessionSerializer",
    "ProvinceSerializer",
    "SpecialtySerializer",
]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "name", "abbreviation", "country", *VENDOR_RECORD_FIELDS]


class ProfessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profession
        fields = ["id", "name", "abbreviation", *VENDOR_RECORD_FIELDS]


class SpecialtySerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialty
        fields = ["id", "name", "profession", *VENDOR_RECORD_FIELDS]


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "kind",
            "vendor_type",
            "email",
            "phone",
            "website",
            "accounting_id",
            *VENDOR_RECORD_FIELDS,
        ]


class ClientContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientContact
        fields = [
            "id",
            "client",
            "first_name",
            "last_name",
            "email",
            "phone_number",
            "phone_extension",
            "mobile_number",
            "title",
            "notes",
            *VENDOR_RECORD_FIELDS,
        ]


ADDRESS_FIELDS = ["street", "city", "province", "postal_code", "time_zone"]


class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "client", *ADDRESS_FIELDS, "static_id", *VENDOR_RECORD_FIELDS]


class PatientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = [
            "id",
            "client",
            "first_name",
            "last_name",
            "chart_id",
            "phone",
            "email",
            *ADDRESS_FIELDS,
            *VENDOR_RECORD_FIELDS,
        ]


class JobRequisitionSerializer(serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True, default=None, allow_null=True)
    time_zone = serializers.CharField(
        source="facility.time_zone",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="The facility's IANA zone, in which the shift hours are local.",
    )

    class Meta:
        model = JobRequisition
        fields = [
            "id",
            "name",
            "reference_number",
            "status",
            "job_type",
            "facility",
            "facility_name",
            "time_zone",
            "profession",
            "specialty",
            "client_contract_ref",
            "description",
            "number_of_openings",
            "years_of_experience",
            "starts_on",
            "asap",
            "contract_length_weeks",
            "hours_per_week",
            "shift_start_hour",
            "shift_end_hour",
            "shift_description",
            "compact_license",
            "has_pay_package",
            "currency",
            "regular_hourly_rate",
            "weekly_gross_pay",
            "weekly_housing_stipend",
            "weekly_per_diem",
            "travel_reimbursement",
            "compensation_comments",
            "origin",
            "origin_reference_number",
            "source_reference_number",
            *VENDOR_RECORD_FIELDS,
        ]
