"""Vendor-neutral integration records. Vendor specifics live in `vendors/<name>/`, never here.

- `VendorConnection`: one account at one vendor.
- `WebhookEvent`: the inbox; every delivery is stored raw before anything else happens to it.
- `RefusedDelivery`: a small record of a webhook refused before its body was read (unknown URL, too large).
- `OutboundRequest`: the outbox; written in the same transaction as the local change it carries.
- `SyncRun`: one pass over one vendor resource, with progress for the Integrations page.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.core.encryption import EncryptedJSONField

__all__ = ["OutboundRequest", "OutboundSubject", "RefusedDelivery", "SyncRun", "VendorConnection", "WebhookEvent"]


def new_webhook_token() -> str:
    return secrets.token_urlsafe(32)


class VendorConnection(models.Model):
    """One account at one vendor: where it is, how to authenticate, where it sends webhooks."""

    class SyncStatus(models.TextChoices):
        NEVER = "never", "Never synced"
        RUNNING = "running", "Syncing"
        OK = "ok", "Up to date"
        FAILED = "failed", "Last sync failed"

    vendor = models.CharField(max_length=32, db_index=True, help_text="Registry name, e.g. 'kamana'.")
    name = models.CharField(max_length=100, unique=True, help_text="Shown on pages, e.g. 'IntelyCare (Boston)'.")
    description = models.CharField(max_length=255, blank=True, default="")
    base_url = models.URLField(max_length=500)
    credentials = EncryptedJSONField(blank=True, default=dict, help_text="Encrypted at rest.")
    is_active = models.BooleanField(default=True)
    call_deadline_seconds = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Longest any one call to the vendor may take, connecting, sending and reading together (seconds).",
    )
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token, editable=False)
    # Rotation (issue 15): the URL token rotated out stays valid until `previous_webhook_expires_at`, as does a
    # rotated-out signing secret (kept encrypted in `credentials`), so the vendor can switch without losing events.
    previous_webhook_token = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    previous_webhook_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When the rotated-out webhook token or signing secret stops working."
    )
    last_sync_status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.NEVER)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vendor})"

    @property
    def vendor_label(self) -> str:
        """The vendor's own name ("Ceki"), for "not reached Ceki" next to a record."""
        from portal.integrations.registry import UnknownVendor, get_provider

        try:
            return get_provider(self.vendor).label
        except UnknownVendor:
            return self.vendor.title()

    @property
    def webhook_path(self) -> str:
        return reverse("webhooks:receive", kwargs={"vendor": self.vendor, "token": self.webhook_token})

    @property
    def webhook_url(self) -> str:
        """Where the vendor must post events; the token in it is the proof for vendors that do not sign."""
        return settings.PORTAL_BASE_URL.rstrip("/") + self.webhook_path

    def public_dict(self) -> dict:
        """The connection as shown by `manage.py connect`: credential names, never their values."""
        return {
            "id": self.pk,
            "vendor": self.vendor,
            "name": self.name,
            "base_url": self.base_url,
            "is_active": self.is_active,
            "credential_names": sorted(self.credentials or {}),
            "webhook_url": self.webhook_url,
            "last_sync_status": self.last_sync_status,
        }


class WebhookEvent(models.Model):
    """One delivery to `/webhooks/<vendor>/<token>/`, stored raw before it is verified or parsed."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        REJECTED = "rejected", "Rejected (bad signature)"
        MALFORMED = "malformed", "Malformed"
        DUPLICATE = "duplicate", "Duplicate"
        QUEUED = "queued", "Queued"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    # No foreign-key constraint and no index of its own (issue 16): the receiver's INSERT skips the constraint's
    # lookup of the connection row, and its indexes below lead with the connection. Deleting a connection still
    # empties the field (Django's `on_delete`); a row stored by a process whose cached connection was deleted a
    # moment before names a connection that is gone, which a replay refuses (`inbox.replay_event`).
    connection = models.ForeignKey(
        VendorConnection,
        null=True,
        on_delete=models.SET_NULL,
        related_name="webhooks",
        db_constraint=False,
        db_index=False,
    )
    vendor = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    headers = models.JSONField(default=dict, help_text="Request headers as received (secrets excluded).")
    body = models.TextField(blank=True, default="")
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    event_type = models.CharField(max_length=64, blank=True, default="")
    # Unique per connection once verified: the vendor's event id, or the SHA-256 of the body.
    dedupe_key = models.CharField(max_length=128, blank=True, default="")
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="The vendor's time for the event.")
    subject = models.CharField(
        max_length=128, blank=True, default="", help_text="The vendor object the event is about, e.g. 'shift:123'."
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A queued event's retry belongs to its row (`inbox_drain`): a failed attempt sets when the next one is due.
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a queued event whose last attempt failed is tried again."
    )
    outcome = models.CharField(max_length=255, blank=True, default="")
    error = models.TextField(blank=True, default="")
    warnings = models.JSONField(
        default=list, blank=True, help_text="Records the event wrote with values that could not be read."
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    # Not stored: what the inbox read from `body` when it applies the event (`inbox_drain`), the decoded JSON and
    # the vendor's `WebhookInfo` (its typed event in `info.event`), so a handler never parses the body again.
    payload: Any = None
    info: Any = None

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="integrations_webhook_unique_dedupe_key",
            )
        ]
        # Every index costs each delivery's INSERT, so only those a query uses (issue 16): the inbox page filters by
        # vendor and state newest first (and metrics count by both), the drain and the sweep find queued events by
        # state, the unfiltered page orders by receipt, a fold finds its subject's events; the dedupe key has the
        # constraint above. A duplicate's pointer is indexed only where set, for deleting the event it names.
        indexes = [
            models.Index(fields=["vendor", "state", "-received_at"]),
            models.Index(fields=["state", "-received_at"], name="integrations_webhook_state"),
            # A handler folds every stored event of its subject (issue 14): found by connection and subject.
            models.Index(
                fields=["connection", "subject"], condition=~Q(subject=""), name="integrations_webhook_subject"
            ),
            models.Index(
                fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="integrations_webhook_dup_of"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.event_type or 'webhook'} #{self.pk} ({self.state})"

    @property
    def can_replay(self) -> bool:
        return self.state in {self.State.FAILED, self.State.PROCESSED} and self.connection_id is not None


class RefusedDelivery(models.Model):
    """A webhook delivery refused before its body was read: an unknown URL, or a body over the vendor's limit.

    A bounded record and never the body (issue 15): anyone can post to any URL, so what a refusal may write is
    small, and past a per-source rate nothing is written at all (`webhook_guard.record_refusal`).
    """

    class Reason(models.TextChoices):
        UNKNOWN_URL = "unknown_url", "Unknown webhook URL"
        TOO_LARGE = "too_large", "Body too large"

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    vendor = models.CharField(max_length=32, help_text="As named in the URL; not necessarily a known vendor.")
    connection = models.ForeignKey(
        VendorConnection, null=True, blank=True, on_delete=models.SET_NULL, related_name="refused_deliveries"
    )
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="The declared Content-Length, in bytes.")
    head_sha256 = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of the first bytes.")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "refused deliveries"

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.remote_addr or 'unknown'} ({self.vendor})"


class OutboundRequest(models.Model):
    """A change that must reach a vendor, written in the same transaction as the local change.

    `natural_key` is what the vendor knows the object by (IntelyCare `externalShiftId`): after a crash mid-send
    the dispatcher asks the vendor for it before sending again, so nothing is sent twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    connection = models.ForeignKey(VendorConnection, on_delete=models.PROTECT, related_name="outbound_requests")
    operation = models.CharField(max_length=64, help_text="The provider's operation, e.g. 'create_shift'.")
    payload = models.JSONField(default=dict, blank=True)
    natural_key = models.CharField(max_length=255, blank=True, default="", db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_body = models.TextField(
        blank=True, default="", help_text="The vendor's whole answer to the last failed attempt (first 64 KB)."
    )
    vendor_id = models.CharField(max_length=255, blank=True, default="")
    vendor_response = models.JSONField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, default="")
    related_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["state", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.natural_key} ({self.state})"

    @property
    def is_waiting(self) -> bool:
        """Tried and refused for now: it goes again at `next_attempt_at` (the vendor's reason is `last_error`)."""
        return self.state == self.State.PENDING and self.next_attempt_at is not None and bool(self.last_error)


class OutboundSubject(models.Model):
    """A further record one outbound request is about: a Ceki approval carries every transaction of a contract,
    and each of them shows whether it reached Ceki. The request's own `related_object` is its main record."""

    request = models.ForeignKey(OutboundRequest, on_delete=models.CASCADE, related_name="subjects")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "request"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} in {self.request_id}"


class SyncRun(models.Model):
    """One pass over one vendor resource. A partial unique index allows one running run per resource."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        SUCCEEDED_WITH_WARNINGS = "with_warnings", "Succeeded with warnings"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # Both finished every page; "with warnings" kept some records' values because the vendor's were unreadable.
    SUCCEEDED_STATES = (State.SUCCEEDED, State.SUCCEEDED_WITH_WARNINGS)
    WARNINGS_KEPT = 200  # records listed on the run; `warned` counts them all

    connection = models.ForeignKey(VendorConnection, on_delete=models.CASCADE, related_name="sync_runs")
    resource = models.CharField(max_length=64)
    full = models.BooleanField(default=False, help_text="Full runs archive records the vendor no longer lists.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING, db_index=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    archived = models.PositiveIntegerField(default=0)
    warned = models.PositiveIntegerField(default=0, help_text="Records stored with values that could not be read.")
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="The first of those records: [{model, record, pk, external_id, problems: {field: {raw, message}}}].",
    )
    watermark = models.DateTimeField(null=True, blank=True, help_text="Newest vendor time seen; next run's 'since'.")
    error = models.TextField(blank=True, default="")
    error_body = models.TextField(
        blank=True, default="", help_text="The vendor's whole answer when the run failed on it (first 64 KB)."
    )
    expected_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="Records the vendor said its lists hold; unknown for most vendors."
    )
    cancel_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by an Admin; the run stops after the page it is writing."
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # The lock: a second run of the same resource cannot start while one is running.
            models.UniqueConstraint(
                fields=["connection", "resource"],
                condition=Q(state="running"),
                name="integrations_syncrun_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.connection} {self.resource} @ {self.started_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed

    @property
    def percent_done(self) -> int | None:
        """For the progress bar: None while the vendor has not said how many records there are."""
        if not self.expected_total:
            return None
        return min(100, 100 * self.processed // self.expected_total)

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None

    @property
    def elapsed(self) -> dt.timedelta:
        """How long it has run so far (its duration once finished)."""
        return (self.finished_at or timezone.now()) - self.started_at
