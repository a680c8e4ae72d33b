"""The client pages (Coordinator role, issue 24): the list with search, a client with its contacts, create and
edit, archive; contacts are added, edited and removed inline (HTMX, CSRF from the page's `hx-headers`).

Every save goes through `services` (the same as Django admin and the REST API), which announces it to the
client's vendor in the same transaction; each page shows where those changes stand (`deliveries`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView

from portal.core.roles import RoleRequiredMixin
from portal.integrations import outbox
from portal.jobs import services
from portal.jobs.forms.clients import ClientCreateForm, ClientEditForm, ContactForm
from portal.jobs.models import Client, ClientContact
from portal.jobs.views.deliveries import deliveries_context, deliveries_response, retry_response
from portal.jobs.views.lists import SiteListView

__all__ = [
    "ClientArchiveView",
    "ClientCreateView",
    "ClientDeliveriesView",
    "ClientDetailView",
    "ClientEditView",
    "ClientListView",
    "ClientRetryView",
    "ContactAddView",
    "ContactRemoveView",
    "ContactView",
]

# What the shared list and form templates (`jobs/site_list.html`, `jobs/site_form.html`) say of clients.
SITE = {
    "kind": "client",
    "title": "Clients",
    "list_id": "clients",
    "partial": "jobs/htmx/clients.html",
    "list_url": "jobs:clients",
    "detail_url": "jobs:client",
    "new_url": "jobs:client-new",
    "new_label": "New client",
    "other_url": "jobs:facilities",
    "other_label": "Facilities",
}


def _live_contacts() -> QuerySet[ClientContact]:
    return ClientContact.objects.filter(archived_at=None)


class ClientListView(SiteListView):
    htmx_template_name = "jobs/htmx/clients.html"
    site = SITE

    def matching(self, words: list[str]) -> QuerySet[Client]:
        clients = Client.objects.filter(archived_at=None).select_related("connection")
        for word in words:
            clients = clients.filter(Q(name__icontains=word) | Q(email__icontains=word) | Q(accounting_id=word))
        contacts = Count("contacts", filter=Q(contacts__archived_at=None))
        return clients.annotate(contact_count=contacts).order_by("name", "id")


def client_context(client: Client) -> dict[str, Any]:
    """The client, its live contacts (each with its latest push) and the deliveries panel (removed contacts too)."""
    contacts = list(client.contacts.filter(archived_at=None).order_by("last_name", "first_name", "id"))
    pushes = outbox.delivery_states(contacts)
    for contact in contacts:
        contact.push = pushes.get(contact.pk)
    # A removed contact's pushes stay in the panel: its delete is a change that must be seen to arrive.
    every_contact = client.contacts.all()
    return {
        "client": client,
        "contacts": contacts,
        "contact_form": ContactForm(client=client, prefix="new-contact"),
        **deliveries_context(
            reverse("jobs:client-deliveries", args=[client.pk]), "jobs:client-retry", client.pk, client, *every_contact
        ),
    }


class ClientDetailView(RoleRequiredMixin, DetailView):
    template_name = "jobs/client.html"
    queryset = Client.objects.select_related("connection")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        facilities = self.object.facilities.filter(archived_at=None).select_related("province").order_by("name")
        return super().get_context_data(facilities=facilities, **client_context(self.object), **kwargs)


class ClientDeliveriesView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_object_or_404(Client, pk=pk)
        return deliveries_response(request, client_context(client))


class ClientRetryView(RoleRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
        client = get_object_or_404(Client, pk=pk)
        return retry_response(request, reverse("jobs:client", args=[pk]), row_pk, client, *client.contacts.all())


def _queued(request: HttpRequest, pushed: Any, what: str) -> None:
    where = f"; queued for {pushed.connection.name}" if pushed is not None else ""
    messages.success(request, f"{what}{where}.")


class ClientCreateView(RoleRequiredMixin, CreateView):
    form_class = ClientCreateForm
    template_name = "jobs/site_form.html"
    extra_context = {"site": SITE}

    def form_valid(self, form: ClientCreateForm) -> HttpResponse:
        self.object = form.unsaved()
        _queued(self.request, services.save_client(self.object, by=self.request.user), "Client saved")
        return HttpResponseRedirect(reverse("jobs:client", args=[self.object.pk]))


class ClientEditView(RoleRequiredMixin, UpdateView):
    form_class = ClientEditForm
    template_name = "jobs/site_form.html"
    extra_context = {"site": SITE}
    queryset = Client.objects.filter(archived_at=None).select_related("connection")

    def form_valid(self, form: ClientEditForm) -> HttpResponse:
        if form.has_changed():
            _queued(self.request, services.save_client(form.instance, by=self.request.user), "Client saved")
        else:
            messages.info(self.request, "Nothing changed.")
        return HttpResponseRedirect(reverse("jobs:client", args=[form.instance.pk]))


class ClientArchiveView(RoleRequiredMixin, View):
    """Hide the client here. Kamana has no client delete, so a vendor's client stays there (the page says so)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_object_or_404(Client, pk=pk, archived_at=None)
        services.archive(client, by=request.user)
        messages.success(request, f"{client.name} archived: it no longer appears in lists here.")
        return HttpResponseRedirect(reverse("jobs:clients"))


def contacts_response(request: HttpRequest, client: Client, **extra: Any) -> HttpResponse:
    """The contacts section (rows, add form) and the deliveries panel out of band, after any inline change."""
    context = {**client_context(client), "oob": True, **extra}
    return TemplateResponse(request, "jobs/htmx/contacts.html", context)


class ContactAddView(RoleRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_object_or_404(Client, pk=pk, archived_at=None)
        form = ContactForm(request.POST, client=client, prefix="new-contact")
        if not form.is_valid():
            return contacts_response(request, client, contact_form=form)
        _queued(request, services.save_contact(form.save(commit=False), by=request.user), "Contact added")
        return contacts_response(request, client) if request.htmx else _to_client(client)


def _to_client(client: Client) -> HttpResponse:
    return HttpResponseRedirect(reverse("jobs:client", args=[client.pk]))


class ContactView(RoleRequiredMixin, View):
    """One contact's row: shown (GET), as its inline form (GET `?edit=1`), or saved from that form (POST)."""

    def _contact(self, pk: int, contact_pk: int) -> ClientContact:
        return get_object_or_404(_live_contacts().select_related("client__connection"), pk=contact_pk, client_id=pk)

    def get(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        contact = self._contact(pk, contact_pk)
        if request.GET.get("edit"):
            form = ContactForm(instance=contact, client=contact.client, prefix=f"contact-{contact.pk}")
            return TemplateResponse(request, "jobs/htmx/contact_form_row.html", {"contact": contact, "form": form})
        contact.push = outbox.delivery_states([contact]).get(contact.pk)
        return TemplateResponse(request, "jobs/htmx/contact_row.html", {"contact": contact, "client": contact.client})

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        contact = self._contact(pk, contact_pk)
        form = ContactForm(request.POST, instance=contact, client=contact.client, prefix=f"contact-{contact.pk}")
        if not form.is_valid():
            return TemplateResponse(request, "jobs/htmx/contact_form_row.html", {"contact": contact, "form": form})
        if form.has_changed():
            _queued(request, services.save_contact(form.instance, by=request.user), "Contact saved")
        return contacts_response(request, contact.client) if request.htmx else _to_client(contact.client)


class ContactRemoveView(RoleRequiredMixin, View):
    """Remove a contact (the button asks first): archived here, deleted at the client's vendor."""

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        contact = get_object_or_404(_live_contacts().select_related("client__connection"), pk=contact_pk, client_id=pk)
        _queued(request, services.remove_contact(contact, by=request.user), f"{contact} removed")
        return contacts_response(request, contact.client) if request.htmx else _to_client(contact.client)
