"""Django admin for the demand side: clients, their people and places, professions and requisitions.

Clients, contacts and facilities save through `portal.jobs.services`, as the pages do, so a change here queues the
same vendor write, and their forms refuse first what the vendor would refuse (issue 24). Nothing is deleted here:
a contact removed is archived and deleted at its vendor; a facility is archived, or deleted at its vendor from its
page, after the confirmation that names what depends on it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from portal.core.admin_support import VendorRecordAdmin, linked
from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.jobs import services
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


def checked_form(create: str, update: str) -> type[VendorCheckedForm]:
    """An admin form that asks the record's vendor what it would refuse in `create` (a new record, sent to the
    connection chosen) or `update` (a change, sent to the connection it has), as the pages' forms do."""

    class Form(VendorCheckedForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.operation = update if self.instance.pk else create

        def push_target(self) -> VendorConnection | None:
            if not self.instance.pk:
                return self.cleaned_data.get("connection") or getattr(self._parent(), "connection", None)
            return self.instance.connection if self.has_changed() else None

        def _parent(self) -> Any:
            if not isinstance(self.instance, ClientContact):
                return None
            return self.cleaned_data.get("client") or getattr(self.instance, "client", None)

    return Form


class ClientContactInline(admin.TabularInline):
    model = ClientContact
    form = checked_form("create_client_contact", "update_client_contact")
    fields = ("first_name", "last_name", "email", "phone_number", "title")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(archived_at=None)


class ArchivingAdmin(VendorRecordAdmin):
    """Saves through the jobs services; deleting archives instead (`remove`), so the vendor hears of it."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        self.save_through_service(obj, by=request.user)

    def save_through_service(self, obj: Any, *, by: Any) -> None:
        raise NotImplementedError


@admin.register(Client)
class ClientAdmin(ArchivingAdmin):
    list_display = ("name", "kind", "email", "phone", "connection", "external_id", "vendor_updated_at")
    list_select_related = ("connection",)
    list_filter = ("kind", *VENDOR_FILTERS)
    search_fields = ("name", "email", "accounting_id", "external_id")
    inlines = (ClientContactInline,)
    form = checked_form("create_client", "update_client")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a website typed without a scheme

    def save_through_service(self, obj: Client, *, by: Any) -> None:
        services.save_client(obj, by=by)

    def save_formset(self, request, form, formset, change) -> None:
        """Contacts added, changed or deleted inline go out as the contact page's would (a delete archives)."""
        for contact in formset.save(commit=False):
            services.save_contact(contact, by=request.user)
        for contact in formset.deleted_objects:
            services.remove_contact(contact, by=request.user)


@admin.register(ClientContact)
class ClientContactAdmin(ArchivingAdmin):
    list_display = ("__str__", linked("client"), "email", "phone_number", "mobile_number", "connection")
    list_select_related = ("client", "connection")
    list_filter = VENDOR_FILTERS
    search_fields = ("first_name", "last_name", "email", "client__name", "external_id")
    autocomplete_fields = ("client",)
    form = checked_form("create_client_contact", "update_client_contact")
    actions = ("remove_contacts",)

    def save_through_service(self, obj: ClientContact, *, by: Any) -> None:
        services.save_contact(obj, by=by)

    @admin.action(description="Remove the selected contacts (archived here, deleted at their vendor)")
    def remove_contacts(self, request, queryset) -> None:
        for contact in queryset.filter(archived_at=None).select_related("client"):
            services.remove_contact(contact, by=request.user)


@admin.register(Facility)
class FacilityAdmin(ArchivingAdmin):
    list_display = ("name", linked("client"), "city", "province", "time_zone", "connection", "external_id")
    list_select_related = ("client", "province", "connection")
    list_filter = ("time_zone", "province", *VENDOR_FILTERS)
    search_fields = ("name", "city", "postal_code", "client__name", "external_id")
    autocomplete_fields = ("client", "province")
    form = checked_form("create_facility", "update_facility")
    readonly_fields = (*VendorRecordAdmin.readonly_fields, "delete_at_vendor")

    def save_through_service(self, obj: Facility, *, by: Any) -> None:
        services.save_facility(obj, by=by)

    @admin.display(description="Delete")
    def delete_at_vendor(self, obj: Facility) -> str:
        """The page's confirmation names what depends on the facility before it is deleted at its vendor."""
        if obj.pk is None or obj.archived_at or obj.connection_id is None:
            return "—"
        url = reverse("jobs:facility-delete", args=[obj.pk])
        return format_html('<a href="{}">Delete at {}…</a>', url, obj.connection)


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
