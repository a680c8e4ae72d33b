"""The engagement pages (issue #5, Coordinator role): the list by status, and one engagement edited in sections.

Each section of the engagement page saves on its own and comes back alone (HTMX), with the engagement's sync
badge swapped out of band. Saving only writes the model: a vendor package's post_save receiver queues the
update in the same transaction (vendors/kamana/signals.py), and the badge polls until that push settled.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from portal.contracts import services
from portal.contracts.forms import SECTIONS, EngagementFilterForm, ExtensionForm, Section, StartEngagementForm
from portal.contracts.models import CredentialingRequirement, Engagement, EngagementExtension
from portal.core.htmx import HtmxTemplateMixin, stop_polling
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import user_zone, zone_named
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.talent.assignment_gate import AssignmentRefused, Verdict

__all__ = [
    "EngagementListView",
    "EngagementSectionView",
    "EngagementView",
    "ExtensionCreateView",
    "RetryDeliveryView",
    "StartEngagementView",
    "SyncStateView",
]

PAGE_SIZE = 50
IN_FLIGHT = (OutboundRequest.State.PENDING, OutboundRequest.State.SENDING)
ARCHIVED = "This engagement was deleted at the vendor; it is kept here read-only."


# -- the list ------------------------------------------------------------------------------------------------------
def _read_cursor(value: str) -> tuple[dt.date | None, int] | None:
    """`after=<starts_on or ->~<id>` of the last row shown; None (first page) when unreadable."""
    day, _, pk = value.partition("~")
    if not pk.isdigit():
        return None
    if day == "-":
        return None, int(pk)
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _after(cursor: tuple[dt.date | None, int]) -> Q:
    """Rows after the cursor in the list's order: latest start first, engagements without a start last."""
    day, pk = cursor
    if day is None:
        return Q(starts_on__isnull=True, id__lt=pk)
    return Q(starts_on__lt=day) | Q(starts_on=day, id__lt=pk) | Q(starts_on__isnull=True)


class EngagementListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Engagements by status tab, searched and filtered in the URL. Four queries whatever the table's size: the
    status counts (one grouped query over the filtered set), one page plus one row by keyset (no OFFSET, no
    COUNT of the page), the page's latest pushes, and the facility choices."""

    template_name = "contracts/engagements.html"
    htmx_template_name = "contracts/htmx/engagements.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = EngagementFilterForm(self.request.GET or None)
        narrowed = filters.narrow(Engagement.objects.filter(archived_at__isnull=True))
        counts = services.status_counts(narrowed)
        status = filters.value("status") or ""
        rows = narrowed.filter(status=status) if status else narrowed
        rows = rows.select_related("talent", "job_requisition__facility", "facility").order_by(
            F("starts_on").desc(nulls_last=True), "-id"
        )
        cursor = _read_cursor(self.request.GET.get("after", ""))
        if cursor:
            rows = rows.filter(_after(cursor))
        fetched = list(rows[: PAGE_SIZE + 1])
        page = fetched[:PAGE_SIZE]
        deliveries = outbox.delivery_states(page)
        for engagement in page:
            engagement.delivery = deliveries.get(engagement.pk)

        kept_names = ("q", "facility", *EngagementFilterForm.WINDOW_FIELDS)
        kept = {name: self.request.GET[name] for name in kept_names if self.request.GET.get(name)}
        tabs = [("", "All", sum(counts.values()))] + [
            (value, label, counts[value]) for value, label in Engagement.Status.choices
        ]
        next_query = ""
        if len(fetched) > PAGE_SIZE:
            last = page[-1]
            after = f"{last.starts_on.isoformat() if last.starts_on else '-'}~{last.pk}"
            next_query = urlencode({**kept, **({"status": status} if status else {}), "after": after})
        return super().get_context_data(
            filters=filters,
            engagements=page,
            status=status,
            tabs=[
                {"status": value, "label": label, "count": count, "query": urlencode({**kept, "status": value})}
                for value, label, count in tabs
            ],
            filtered=bool(kept),
            is_first_page=cursor is None,
            first_page_query=urlencode({**kept, **({"status": status} if status else {})}),
            next_query=next_query,
            **kwargs,
        )


# -- one engagement ------------------------------------------------------------------------------------------------
class EngagementMixin(RoleRequiredMixin):
    """The engagement of the URL, or 404; the role check (403, or login) has already run in `dispatch`."""

    def get_engagement(self) -> Engagement:
        return get_object_or_404(
            Engagement.objects.select_related("talent", "job_requisition__facility", "facility", "connection"),
            pk=self.kwargs["pk"],
        )


def _badge(engagement: Engagement, outbound: OutboundRequest | None, extension: EngagementExtension | None = None):
    """What the sync badge template needs: the latest push, its element id and where to poll it."""
    if extension is None:
        dom_id, poll = "engagement-sync", reverse("contracts:engagement-sync", args=[engagement.pk])
    else:
        dom_id = f"extension-{extension.pk}-sync"
        poll = reverse("contracts:extension-sync", args=[engagement.pk, extension.pk])
    in_flight = outbound is not None and outbound.state in IN_FLIGHT
    return {
        "engagement": engagement,
        "record": extension or engagement,
        "outbound": outbound,
        "dom_id": dom_id,
        "poll_url": poll,
        "in_flight": in_flight,
    }


def _latest_push(record: Engagement | EngagementExtension) -> OutboundRequest | None:
    return outbox.delivery_states([record]).get(record.pk)


def _extensions(engagement: Engagement) -> list[EngagementExtension]:
    extensions = list(engagement.extensions.filter(archived_at__isnull=True).order_by("starts_on", "id"))
    deliveries = outbox.delivery_states(extensions)
    for extension in extensions:
        extension.sync = _badge(engagement, deliveries.get(extension.pk), extension)
    return extensions


def _requirements(engagement: Engagement, today: dt.date) -> list[CredentialingRequirement]:
    """Requirements with their expiry day (on the clock Kamana gave it) and due day marked against `today`."""
    requirements = list(engagement.requirements.filter(archived_at__isnull=True).order_by("expires_at", "id"))
    for requirement in requirements:
        requirement.expires_on = None
        if requirement.expires_at is not None:
            # `expires_at` is the instant the expiry day ends in its zone: the day itself is the one before.
            zone = zone_named(requirement.expires_on_time_zone) or dt.UTC
            requirement.expires_on = requirement.expires_at.astimezone(zone).date() - dt.timedelta(days=1)
        requirement.expiry_class = services.deadline_state(requirement.expires_on, today)
        requirement.due_class = services.deadline_state(requirement.due_on, today)
    return requirements


def page_context(request: HttpRequest, engagement: Engagement, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the engagement page shows; `bound` replaces a section's or the extension's blank form with the
    one just posted, so a refused non-HTMX post comes back with its errors."""
    bound = bound or {}
    facility = engagement.facility or (engagement.job_requisition.facility if engagement.job_requisition else None)
    zone = (zone_named(facility.time_zone) if facility else None) or user_zone(request.user)
    return {
        "engagement": engagement,
        "facility": facility,
        "sections": [
            section_context(engagement, section, bound.get(section.slug) or section.form_class(instance=engagement))
            for section in SECTIONS.values()
        ],
        "sync": _badge(engagement, _latest_push(engagement)),
        "extension_form": bound.get("extension") or ExtensionForm(instance=EngagementExtension(engagement=engagement)),
        "extensions": _extensions(engagement),
        "notes": list(engagement.notes.filter(archived_at__isnull=True).select_related("author")),
        "requirements": _requirements(engagement, timezone.localtime(timezone.now(), zone).date()),
        "zone": zone.key,
        "start": start_context(engagement) if startable(engagement) else None,
    }


def startable(engagement: Engagement) -> bool:
    """The portal starts its own placements; a Kamana engagement's status is Kamana's (its update takes none)."""
    done = {Engagement.Status.ACTIVE, Engagement.Status.COMPLETE}
    return (
        engagement.archived_at is None
        and not engagement.connection_id
        and bool(engagement.talent_id and engagement.starts_on)
        and engagement.status not in done
    )


def start_context(
    engagement: Engagement, form: StartEngagementForm | None = None, verdict: Verdict | None = None
) -> dict[str, Any]:
    """The start section: the gate's verdict once a start was refused, and the reason field past warnings."""
    return {"engagement": engagement, "form": form or StartEngagementForm(), "verdict": verdict}


def section_context(engagement: Engagement, section: Section, form: Any, saved: str = "") -> dict[str, Any]:
    return {"engagement": engagement, "section": section, "form": form, "saved": saved}


class EngagementView(EngagementMixin, TemplateView):
    """The edit page: facts, the four editable sections, extensions, requirements and notes."""

    template_name = "contracts/engagement.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**page_context(self.request, self.get_engagement()), **kwargs)


def _saved_message(before: OutboundRequest | None, after: OutboundRequest | None) -> str:
    if after is not None and (before is None or after.pk != before.pk):
        return f"Saved; queued for {after.connection.name}."
    return "Saved."


class EngagementSectionView(EngagementMixin, View):
    """POST one section. HTMX gets the section alone (its errors, or "Saved; queued for ...") plus the sync badge
    out of band; a plain post is redirected back on success, or gets the page with the errors."""

    def post(self, request: HttpRequest, pk: int, slug: str) -> HttpResponse:
        engagement = self.get_engagement()
        section = SECTIONS.get(slug)
        if section is None:
            raise Http404("No such section.")
        # The form works on a copy: a refused form must not leave its values on the engagement the page shows.
        form = section.form_class(request.POST, instance=copy.copy(engagement))
        if engagement.archived_at is not None:
            form.add_error(None, ARCHIVED)
        if not form.is_valid():
            return self.refused(request, engagement, section, form)
        before = _latest_push(engagement)
        values = {name: form.cleaned_data[name] for name in section.form_class._meta.fields}
        reason = form.cleaned_data.get("override_reason", "")
        try:
            changed = services.save_engagement(engagement, values, request.user, reason)
        except AssignmentRefused as refused:
            # New days or hours of a booked engagement the gate refused: its reasons on the form, nothing saved.
            form.add_error(None, refused)
            if not refused.verdict.blocks:
                form.ask_override_reason()
            return self.refused(request, self.get_engagement(), section, form)
        after = _latest_push(engagement)
        saved = _saved_message(before, after) if changed else "Nothing changed."
        if not request.htmx:
            messages.success(request, f"{section.title}: {saved}")
            return HttpResponseRedirect(reverse("contracts:engagement", args=[pk]))
        context = section_context(engagement, section, section.form_class(instance=engagement), saved)
        return TemplateResponse(request, "contracts/htmx/section.html", {**context, "sync": _badge(engagement, after)})

    def refused(self, request: HttpRequest, engagement: Engagement, section: Section, form: Any) -> HttpResponse:
        if not request.htmx:
            return TemplateResponse(
                request, "contracts/engagement.html", page_context(request, engagement, {section.slug: form})
            )
        return TemplateResponse(request, "contracts/htmx/section.html", section_context(engagement, section, form))


class ExtensionCreateView(EngagementMixin, View):
    """POST a new extension; HTMX gets the extensions section with the new row and its sync state."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        engagement = self.get_engagement()
        form = ExtensionForm(request.POST, instance=EngagementExtension(engagement=engagement))
        if engagement.archived_at is not None:
            form.add_error(None, ARCHIVED)
        added = None
        if form.is_valid():
            added = self.add(engagement, form, request.user)
        if added:
            form = ExtensionForm(instance=EngagementExtension(engagement=engagement))
            if not request.htmx:
                messages.success(request, f"Extension {added.starts_on} to {added.ends_on} added.")
                return HttpResponseRedirect(reverse("contracts:engagement", args=[pk]))
        elif not request.htmx:
            return TemplateResponse(
                request, "contracts/engagement.html", page_context(request, engagement, {"extension": form})
            )
        context = {"engagement": engagement, "extensions": _extensions(engagement), "extension_form": form}
        return TemplateResponse(request, "contracts/htmx/extensions.html", {**context, "added": added})

    @staticmethod
    def add(engagement: Engagement, form: ExtensionForm, user: Any) -> EngagementExtension | None:
        """The extension, or None with the gate's reasons on the form (and the reason field past warnings)."""
        data = form.cleaned_data
        try:
            return services.add_extension(engagement, data["starts_on"], data["ends_on"], user, data["override_reason"])
        except AssignmentRefused as refused:
            form.add_error(None, refused)
            if not refused.verdict.blocks:
                form.ask_override_reason()
            return None


class StartEngagementView(EngagementMixin, View):
    """POST: start the engagement through the assignment gate (issue 19). Refused, the start section comes back
    with the blocks, or the warnings and a reason field (the whole page without HTMX); started, the page again."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        engagement = self.get_engagement()
        page = reverse("contracts:engagement", args=[pk])
        if not startable(engagement):
            messages.error(request, "This engagement cannot be started here.")
            return HttpResponse(headers={"HX-Redirect": page}) if request.htmx else HttpResponseRedirect(page)
        form, verdict = StartEngagementForm(request.POST), None
        if form.is_valid():
            try:
                services.start_engagement(engagement, request.user, form.cleaned_data["override_reason"])
            except AssignmentRefused as refused:
                verdict = refused.verdict
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Engagement started.")
                return HttpResponse(headers={"HX-Redirect": page}) if request.htmx else HttpResponseRedirect(page)
        engagement = self.get_engagement()  # nothing was saved: the page shows the engagement as stored
        start = start_context(engagement, form, verdict)
        if request.htmx:
            return TemplateResponse(request, "contracts/htmx/start.html", {"engagement": engagement, "start": start})
        context = {**page_context(request, engagement), "start": start}
        return TemplateResponse(request, "contracts/engagement.html", context)


class SyncStateView(EngagementMixin, View):
    """The sync badge of the engagement or of one of its extensions, polled while its push is under way; 286 stops
    the polling once it settled."""

    def get(self, request: HttpRequest, pk: int, extension_pk: int | None = None) -> HttpResponse:
        engagement = self.get_engagement()
        extension = None
        if extension_pk is not None:
            extension = get_object_or_404(EngagementExtension, pk=extension_pk, engagement=engagement)
        badge = _badge(engagement, _latest_push(extension or engagement), extension)
        response = TemplateResponse(request, "contracts/htmx/sync_state.html", {"badge": badge})
        if not badge["in_flight"]:
            response.render()
            return stop_polling(response)
        return response


class RetryDeliveryView(EngagementMixin, View):
    """The retry button beside a failed push of this engagement or of one of its extensions (outbox retry)."""

    def post(self, request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
        engagement = self.get_engagement()
        extensions = list(engagement.extensions.all())
        row = next((r for r in outbox.requests_about(engagement, *extensions) if r.pk == row_pk), None)
        if row is None:
            raise Http404("That push is not about this engagement.")
        about_extension = row.content_type_id == ContentType.objects.get_for_model(EngagementExtension).pk
        extension = next((e for e in extensions if about_extension and row.object_id == str(e.pk)), None)
        outbox.retry_request(row)
        if not request.htmx:
            messages.info(request, f"Sending to {row.connection.name} again.")
            return HttpResponseRedirect(reverse("contracts:engagement", args=[pk]))
        row.refresh_from_db()
        badge = _badge(engagement, row, extension)
        return TemplateResponse(request, "contracts/htmx/sync_state.html", {"badge": badge})
