"""The demand side of staffing: who buys care (clients, their contacts, their facilities and home-care patients),
what kind of professional they need (professions, specialties) and the jobs they open (requisitions).

Fields follow the union of the vendor documents: Kamana V2 (clients, client contacts, facilities, provinces,
professions, specialties, job requisitions) and Alaunus (clients, contacts, patients). Everything else a vendor
sends stays in `vendor_data`.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from portal.core.audit import AuditedModel
from portal.core.models import VendorRecord
from portal.jobs.validators import validate_time_zone

__all__ = [
    "DEFAULT_TIME_ZONE",
    "Client",
    "ClientContact",
    "Facility",
    "JobRequisition",
    "Patient",
    "Profession",
    "Province",
    "Specialty",
]

DEFAULT_TIME_ZONE = "America/New_York"


class Province(VendorRecord, AuditedModel):
    """A state or province (Kamana `province`, included with facilities)."""

    name = models.CharField(max_length=100)
    abbreviation = models.CharField(max_length=10, blank=True, default="")
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166-1 alpha-2.")

    class Meta(VendorRecord.Meta):
        ordering = ["country", "name"]
        # One code per connection, and one among the portal's own rows: each connection keeps its own provinces,
        # so two connections of one vendor never collide and a portal-only province is never taken over (issue 14).
        constraints = [
            *VendorRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["connection", "country", "abbreviation"],
                condition=Q(connection__isnull=False) & ~Q(abbreviation=""),
                name="jobs_province_unique_abbr_per_connection",
            ),
            models.UniqueConstraint(
                fields=["country", "abbreviation"],
                condition=Q(connection__isnull=True) & ~Q(abbreviation=""),
                name="jobs_province_unique_abbr_local",
            ),
        ]

    def __str__(self) -> str:
        return self.abbreviation or self.name


class Profession(VendorRecord, AuditedModel):
    """A licensed trade such as Registered Nurse (RN), LPN/VN or CNA (Kamana professions; IntelyCare's
    professional types map onto the abbreviation)."""

    name = models.CharField(max_length=100)
    abbreviation = models.CharField(max_length=20, blank=True, default="", help_text="e.g. RN, LPN, CNA")

    class Meta(VendorRecord.Meta):
        ordering = ["name"]
        constraints = [  # per connection and among the portal's own rows, as `Province`
            *VendorRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["connection", "abbreviation"],
                condition=Q(connection__isnull=False) & ~Q(abbreviation=""),
                name="jobs_profession_unique_abbr_per_connection",
            ),
            models.UniqueConstraint(
                fields=["abbreviation"],
                condition=Q(connection__isnull=True) & ~Q(abbreviation=""),
                name="jobs_profession_unique_abbr_local",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Specialty(VendorRecord, AuditedModel):
    """A unit or field of practice (ICU, Med/Surg, Telemetry); Kamana ties some to one profession."""

    name = models.CharField(max_length=100)
    profession = models.ForeignKey(
        Profession, null=True, blank=True, on_delete=models.SET_NULL, related_name="specialties"
    )

    class Meta(VendorRecord.Meta):
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class Client(VendorRecord, AuditedModel):
    """The organisation (or, in home care, the person) that buys staffing."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        PERSON = "person", "Person"

    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMPANY, help_text="Alaunus `type`.")
    vendor_type = models.CharField(max_length=50, blank=True, default="", help_text="Kamana `type`, e.g. 'custom'.")
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    website = models.URLField(blank=True, default="")
    accounting_id = models.CharField(max_length=100, blank=True, default="")

    class Meta(VendorRecord.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClientContact(VendorRecord, AuditedModel):
    """A person at a client: who signs timecards, who takes the call (Kamana client contacts, Alaunus contacts)."""

    # What staff edit of a contact (pages, REST): the person, without the client and the vendor reference.
    PERSON_FIELDS: ClassVar[tuple[str, ...]] = (
        "first_name",
        "last_name",
        "email",
        "phone_number",
        "phone_extension",
        "mobile_number",
        "title",
        "notes",
    )

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    phone_number = models.CharField(max_length=40, blank=True, default="")
    phone_extension = models.CharField(max_length=20, blank=True, default="")
    mobile_number = models.CharField(max_length=40, blank=True, default="")
    title = models.CharField(max_length=100, blank=True, default="")
    notes = models.TextField(blank=True, default="")

    class Meta(VendorRecord.Meta):
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Address(models.Model):
    """Postal address plus the IANA time zone that the place's local times are expressed in (each concrete model
    adds its own `province` so the reverse names differ)."""

    street = models.CharField(max_length=255, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    postal_code = models.CharField(max_length=20, blank=True, default="")
    time_zone = models.CharField(
        max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone], help_text="IANA, e.g. America/Denver"
    )

    class Meta:
        abstract = True


class Facility(VendorRecord, Address, AuditedModel):
    """A hospital, nursing home or clinic where shifts are worked. Its `time_zone` is copied onto each shift so
    "23:00 local" survives daylight-saving changes (issue 3)."""

    name = models.CharField(max_length=255)
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities")
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities")
    static_id = models.CharField(max_length=64, blank=True, default="", help_text="Kamana `static_id`.")

    class Meta(VendorRecord.Meta):
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


class Patient(VendorRecord, Address, AuditedModel):
    """A home-care recipient (Alaunus patients): where visits happen, in which time zone."""

    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="patients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True, default="")
    chart_id = models.CharField(max_length=100, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.SET_NULL, related_name="patients")

    class Meta(VendorRecord.Meta):
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class JobRequisitionQuerySet(models.QuerySet):
    def idle(self, since):
        """Open requisitions older than `since` with no candidate activity since then: no engagement for them
        made or moved (Bullhorn's "no submission in 5 days", issue 18). The engagements are named by their
        reverse relation only, so jobs still imports nothing of contracts."""
        return self.filter(status=JobRequisition.Status.OPEN, archived_at=None, created_at__lte=since).exclude(
            engagements__updated_at__gte=since
        )


class JobRequisition(VendorRecord, AuditedModel):
    """An open job at a facility (Kamana V2 job requisitions), with its pay package and shift hours."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"
        HISTORICAL = "historical", "Historical"

    class JobType(models.TextChoices):
        # Kamana's enum values verbatim, so mapping is the identity.
        FULL_TIME = "Full Time", "Full time"
        PART_TIME = "Part Time", "Part time"
        TRAVEL_CONTRACT = "Travel Contract", "Travel contract"
        PER_DIEM = "Per Diem", "Per diem"

    # Historical is where Kamana files requisitions it no longer works; nothing leaves it. A closed job may reopen.
    status_transitions: ClassVar[dict[str, dict[str, set[str]]]] = {
        "status": {
            Status.OPEN: {Status.ON_HOLD, Status.CLOSED, Status.HISTORICAL},
            Status.ON_HOLD: {Status.OPEN, Status.CLOSED, Status.HISTORICAL},
            Status.CLOSED: {Status.OPEN, Status.HISTORICAL},
            Status.HISTORICAL: set(),
        }
    }

    name = models.CharField(max_length=255)
    reference_number = models.CharField(max_length=100, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    job_type = models.CharField(max_length=32, choices=JobType.choices, blank=True, default="")
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="job_requisitions"
    )
    profession = models.ForeignKey(
        Profession, null=True, blank=True, on_delete=models.PROTECT, related_name="job_requisitions"
    )
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.PROTECT, related_name="job_requisitions"
    )
    client_contract_ref = models.CharField(
        max_length=100, blank=True, default="", help_text="Kamana `client_contract_id` (a vendor id)."
    )
    description = models.TextField(blank=True, default="")
    number_of_openings = models.PositiveIntegerField(default=1)
    years_of_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    asap = models.BooleanField(default=False)
    contract_length_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    shift_start_hour = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(23)], help_text="Local hour in the facility's zone."
    )
    shift_end_hour = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(23)], help_text="Before the start: an overnight shift."
    )
    shift_description = models.TextField(blank=True, default="")
    compact_license = models.BooleanField(default=False)
    has_pay_package = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, default="USD")
    regular_hourly_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    weekly_gross_pay = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    weekly_housing_stipend = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    weekly_per_diem = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    travel_reimbursement = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    compensation_comments = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=100, blank=True, default="")
    origin_reference_number = models.CharField(max_length=100, blank=True, default="")
    source_reference_number = models.CharField(max_length=255, blank=True, default="")

    objects = JobRequisitionQuerySet.as_manager()

    class Meta(VendorRecord.Meta):
        ordering = ["-created_at"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(shift_start_hour__lte=23) | Q(shift_start_hour__isnull=True),
                name="jobs_jobrequisition_shift_start_hour",
            ),
            models.CheckConstraint(
                condition=Q(shift_end_hour__lte=23) | Q(shift_end_hour__isnull=True),
                name="jobs_jobrequisition_shift_end_hour",
            ),
            models.CheckConstraint(
                condition=Q(regular_hourly_rate__gte=0) | Q(regular_hourly_rate__isnull=True),
                name="jobs_jobrequisition_rate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        specialty_profession = self.specialty.profession_id if self.specialty else None
        if specialty_profession and self.profession_id and specialty_profession != self.profession_id:
            raise ValidationError({"specialty": "This specialty belongs to another profession."})
