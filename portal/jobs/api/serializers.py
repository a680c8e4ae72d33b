"""How jobs records look in `/api/v1/`: related records by id, plus the vendor reference every record carries."""

from __future__ import annotations

from rest_framework import serializers

from portal.core.api.serializers import VENDOR_RECORD_FIELDS
from portal.integrations.checked_serializers import VendorCheckedSerializer
from portal.integrations.services import connections_with_operation
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


# What the vendor reports, never written through the API; `connection` is chosen on create only.
VENDOR_READ_ONLY = [name for name in VENDOR_RECORD_FIELDS if name != "connection"]


class ClientSerializer(VendorCheckedSerializer):
    """Create with `connection` to send the client there (Kamana needs `vendor_type`: msp, idn, facility, custom)."""

    create_operation = "create_client"
    update_operation = "update_client"

    def validate(self, attrs):
        """A vendor without a client update (Kamana) keeps the name and type it was given, as the edit page does."""
        client = self.instance
        if client is not None and client.connection is not None:
            updatable = connections_with_operation(self.update_operation).filter(pk=client.connection_id).exists()
            moved = [name for name in ("name", "vendor_type") if name in attrs and attrs[name] != getattr(client, name)]
            if moved and not updatable:
                message = f"Held by {client.connection.name}, which offers no way to change it."
                raise serializers.ValidationError({name: [message] for name in moved})
        return super().validate(attrs)

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
        read_only_fields = VENDOR_READ_ONLY


class ClientContactSerializer(VendorCheckedSerializer):
    """A contact goes where its client went: its connection is the client's."""

    create_operation = "create_client_contact"
    update_operation = "update_client_contact"

    def push_target(self, attrs):
        client = self.instance.client if self.instance is not None else attrs.get("client")
        return client.connection if client is not None else None

    class Meta:
        model = ClientContact
        fields = ["id", "client", *ClientContact.PERSON_FIELDS, *VENDOR_RECORD_FIELDS]
        read_only_fields = ["connection", *VENDOR_READ_ONLY]


ADDRESS_FIELDS = ["street", "city", "province", "postal_code", "time_zone"]


class FacilitySerializer(VendorCheckedSerializer):
    """Create with `connection` to send the facility there; a change goes to the connection it has."""

    create_operation = "create_facility"
    update_operation = "update_facility"

    class Meta:
        model = Facility
        fields = ["id", "name", "client", *ADDRESS_FIELDS, "static_id", *VENDOR_RECORD_FIELDS]
        read_only_fields = ["static_id", *VENDOR_READ_ONLY]


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
