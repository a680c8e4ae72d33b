"""Django admin for the integration records. Credentials are write-only here: their values never render."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import NoReverseMatch

from portal.core.admin_base import PortalModelAdmin
from portal.core.masking import mask_secret_in
from portal.integrations import inbox, outbox
from portal.integrations.models import OutboundRequest, RefusedDelivery, SyncRun, VendorConnection, WebhookEvent


@admin.register(VendorConnection)
class VendorConnectionAdmin(PortalModelAdmin):
    list_display = ("name", "vendor", "base_url", "is_active", "last_sync_status", "last_sync_at")
    list_filter = ("vendor", "is_active", "last_sync_status")
    search_fields = ("name", "base_url")
    exclude = ("credentials",)
    readonly_fields = (
        "masked_webhook_url",
        "previous_webhook_expires_at",
        "credential_names",
        "last_sync_status",
        "last_sync_at",
        "last_sync_error",
    )

    @admin.display(description="Webhook URL (copy it on the connection's Integrations page)")
    def masked_webhook_url(self, obj: VendorConnection) -> str:
        if obj.pk is None:
            return "Given once the connection is saved."
        try:
            return mask_secret_in(obj.webhook_url, obj.webhook_token)
        except NoReverseMatch:  # a refused form's vendor, not yet corrected
            return "—"

    @admin.display(description="Credentials (names only; set with `manage.py connect`)")
    def credential_names(self, obj: VendorConnection) -> str:
        return ", ".join(sorted(obj.credentials or {})) or "-"


@admin.register(WebhookEvent)
class WebhookEventAdmin(PortalModelAdmin):
    list_display = ("id", "vendor", "event_type", "state", "received_at", "occurred_at", "outcome")
    list_filter = ("vendor", "state", "event_type")
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    actions = ["replay"]

    @admin.action(description="Replay selected events")
    def replay(self, request, queryset):
        """Each event is verified again first (`inbox.replay_event`); a refusal is reported, the rest go ahead."""
        replayed = 0
        for event in queryset.select_related("connection"):
            try:
                inbox.replay_event(event)
                replayed += 1
            except inbox.ReplayRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
        if replayed:
            self.message_user(request, f"{replayed} event(s) queued again.", messages.INFO)


@admin.register(RefusedDelivery)
class RefusedDeliveryAdmin(PortalModelAdmin):
    """Deliveries refused unread (unknown URL, too large): a record only, never a body (issue 15)."""

    list_display = ("received_at", "reason", "vendor", "connection", "remote_addr", "size")
    list_filter = ("reason", "vendor")
    search_fields = ("remote_addr", "head_sha256")
    readonly_fields = [f.name for f in RefusedDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OutboundRequest)
class OutboundRequestAdmin(PortalModelAdmin):
    machine_made = True
    list_display = ("id", "connection", "operation", "natural_key", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "operation", "connection")
    search_fields = ("natural_key", "vendor_id")
    readonly_fields = [f.name for f in OutboundRequest._meta.fields]
    actions = ["retry"]

    @admin.action(description="Retry selected failed requests")
    def retry(self, request, queryset):
        for row in queryset.filter(state=OutboundRequest.State.FAILED):
            outbox.retry_request(row)


@admin.register(SyncRun)
class SyncRunAdmin(PortalModelAdmin):
    machine_made = True
    list_display = ("id", "connection", "resource", "state", "started_at", "pages", "created", "updated", "failed")
    list_filter = ("state", "resource", "connection")
    readonly_fields = [f.name for f in SyncRun._meta.fields]
