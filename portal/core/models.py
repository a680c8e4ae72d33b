"""What every domain app shares: the vendor reference on records, the audit history, and worker liveness."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from knox.models import AbstractAuthToken

from portal.core.audit import AuditedModel

__all__ = ["ApiToken", "AuditEntry", "AuditedModel", "VendorRecord", "WorkerHeartbeat"]


class VendorRecord(models.Model):
    """A local record that may mirror one vendor object.

    `connection` + `external_id` identify the vendor object (unique together when set); `vendor_updated_at` is
    the vendor's own last-change time, which decides whether an incoming payload is newer than what we hold;
    `vendor_data` is the raw payload as last seen, `vendor_problems` what of it could not be read (issue 14:
    an unreadable value never erases a known one, it is shown instead). A record created in the portal and not
    yet sent has no external id.
    """

    connection = models.ForeignKey(
        "integrations.VendorConnection", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    vendor_updated_at = models.DateTimeField(null=True, blank=True)
    vendor_data = models.JSONField(default=dict, blank=True)
    vendor_fingerprint = models.CharField(
        max_length=64, blank=True, default="", help_text="Hash of the mapped fields; an unchanged sync skips the row."
    )
    vendor_problems = models.JSONField(
        default=dict,
        blank=True,
        help_text="Values of the last vendor data that could not be read, {field: {raw, message, source}}; "
        "the portal kept its own value of those fields.",
    )
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the vendor deleted the object; the local row is kept."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "external_id"],
                condition=Q(connection__isnull=False) & ~Q(external_id=""),
                name="%(app_label)s_%(class)s_unique_vendor_ref",
            )
        ]

    def is_newer_than_stored(self, vendor_updated_at) -> bool:
        """Out-of-order deliveries: a payload no newer than what we hold must not overwrite it."""
        return self.vendor_updated_at is None or vendor_updated_at is None or vendor_updated_at > self.vendor_updated_at


class AuditEntry(models.Model):
    """One change to one record, by a person or by the machinery (sync, webhook, API)."""

    class Source(models.TextChoices):
        USER = "user", "Staff"
        API = "api", "REST API"
        SYNC = "sync", "Vendor sync"
        WEBHOOK = "webhook", "Vendor webhook"
        SYSTEM = "system", "System"

    # No foreign-key constraint and no index of its own (issue 16): every entry of a sync paid the constraint's
    # check of its content type at commit and entered an index that the (content_type, object_id, -at) index
    # below already leads with. Content types are made by migrations and deleting one still deletes its entries
    # (Django's `on_delete`).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_constraint=False, db_index=False)
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(
        max_length=16, choices=[("create", "Created"), ("update", "Changed"), ("delete", "Deleted")]
    )
    changes = models.JSONField(default=dict, help_text="{field: [old, new]}")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SYSTEM)
    detail = models.CharField(max_length=255, blank=True, default="", help_text="e.g. the sync run or webhook id")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id} ({self.get_source_display()})"


class WorkerHeartbeat(models.Model):
    """Last time a worker took the heartbeat task from a queue: health checks and the Integrations page show
    whether each kind of work (webhooks, outbox, sync, default) is being consumed, and by which host."""

    hostname = models.CharField(max_length=255)
    queue = models.CharField(max_length=64, default="default")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hostname", "queue"], name="core_heartbeat_host_queue")]

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ApiToken(AbstractAuthToken):
    """A token for `/api/v1/`: knox stores only its SHA-512 digest and first 15 characters (`token_key`), so a
    database dump holds no usable token. Added here: a name saying what it is for, and when it was last used,
    so its holder and Admins can tell a forgotten token from a busy one before revoking it."""

    name = models.CharField(max_length=100, blank=True, default="", help_text="What the token is for.")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
