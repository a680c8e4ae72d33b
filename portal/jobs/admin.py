"""Django admin for the demand side: clients, their people and places, professions and requisitions."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from portal.core.admin_support import VendorRecordAdmin, linked
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

VENDOR_FILTERS = ("connection", ("archived_at", admin.EmptyFieldListFilter))


@admin.register(Province)
class ProvinceAdmin(VendorRecordAdmin):
    list_display = ("name", "abbreviation", "country", "connection", "external_id")
    list_filter = ("country", *VENDOR_FILTERS)
    search_fields = ("name", "abbreviation", "external_id")


@admin.register(Profession)
class ProfessionAdmin(VendorRecordAdmin):
    list_display = ("name", "abbreviation", "connection", "external_id", "vendor_updated_at")
    list_filter = VENDOR_FILTERS
    search_fields = ("name", "abbreviation", "external_id")


@admin.register(Specialty)
class SpecialtyAdmin(VendorRecordAdmin):
    list_display = ("name", linked("profession"), "connection", "external_id")
    list_select_related = ("profession", "connection")
    list_filter = ("profession", *VENDOR_FILTERS)
    search_fields = ("name", "external_id")
    autocomplete_fields = ("profession",)


class ClientContactInline(admin.TabularInline):
    model = ClientContact
    fields = ("first_name", "last_name", "email", "phone_number", "title")
    extra = 0
    show_change_link = True


@admin.register(Client)
class ClientAdmin(VendorRecordAdmin):
    list_display = ("name", "kind", "email", "phone", "connection", "external_id", "vendor_updated_at")
    list_select_related = ("connection",)
    list_filter = ("kind", *VENDOR_FILTERS)
    search_fields = ("name", "email", "accounting_id", "external_id")
    inlines = (ClientContactInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a website typed without a scheme


@admin.register(ClientContact)
class ClientContactAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("client"), "email", "phone_number", "mobile_number", "connection")
    list_select_related = ("client", "connection")
    list_filter = VENDOR_FILTERS
    search_fields = ("first_name", "last_name", "email", "client__name", "external_id")
    autocomplete_fields = ("client",)


@admin.register(Facility)
class FacilityAdmin(VendorRecordAdmin):
    list_display = ("name", linked("client"), "city", "province", "time_zone", "connection", "external_id")
    list_select_related = ("client", "province", "connection")
    list_filter = ("time_zone", "province", *VENDOR_FILTERS)
    search_fields = ("name", "city", "postal_code", "client__name", "external_id")
    autocomplete_fields = ("client", "province")


@admin.register(Patient)
class PatientAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("client"), "chart_id", "city", "time_zone", "connection", "external_id")
    list_select_related = ("client", "connection")
    list_filter = ("time_zone", *VENDOR_FILTERS)
    search_fields = ("first_name", "last_name", "chart_id", "email", "external_id")
    autocomplete_fields = ("client", "province")


@admin.register(JobRequisition)
class JobRequisitionAdmin(VendorRecordAdmin):
    list_display = (
        "name",
        "status",
        "job_type",
        linked("facility"),
        linked("profession"),
        linked("specialty"),
        "number_of_openings",
        "starts_on",
        "connection",
    )
    list_select_related = ("facility", "profession", "specialty", "connection")
    list_filter = ("status", "job_type", "profession", "asap", *VENDOR_FILTERS)
    search_fields = ("name", "reference_number", "facility__name", "external_id", "origin_reference_number")
    autocomplete_fields = ("facility", "profession", "specialty")
    date_hierarchy = "starts_on"
