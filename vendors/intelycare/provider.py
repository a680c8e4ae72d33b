"""IntelyCare's registration: credentials, client, outbound operations, signed webhooks, sandbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from portal.integrations.errors import Conflict, NotFound
from portal.integrations.provider import (
    CredentialField,
    OutboundOperation,
    SendResult,
    VendorProvider,
    WebhookInfo,
)
from vendors.base.client import VendorClient
from vendors.base.signing import hmac_sha256_hex_matches
from vendors.intelycare import outbound
from vendors.intelycare.client import IntelyCareAuth, IntelyCareClient
from vendors.intelycare.handlers import EVENT_TYPES, handle_status_event, shift_subject
from vendors.intelycare.mapping import shift_request_body, timecard_body
from vendors.intelycare.sandbox import IntelyCareSandbox
from vendors.intelycare.schemas import (
    SHIFT_REQUIRED,
    SHIFT_UPDATE_REQUIRED,
    TIMECARD_REQUIRED,
    ShiftStatusEvent,
    require_fields,
)

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest, VendorConnection, WebhookEvent

__all__ = ["Provider"]


def _body(row: OutboundRequest, build) -> dict[str, Any]:
    """The wire body: given explicitly on the row, or built now from the related record's latest state."""
    if row.payload:
        return dict(row.payload)
    if row.related_object is None:
        raise NotFound("Not sent to IntelyCare: the record it was about no longer exists.")
    return build(row.related_object)


def _shift_id(row: OutboundRequest) -> str:
    """IntelyCare's internalShiftId: on the shift once created, else from the create request already sent."""
    from portal.integrations.models import OutboundRequest

    related = row.related_object
    shift = getattr(related, "shift", related)
    if shift is not None and getattr(shift, "external_id", ""):
        return shift.external_id
    sent = (
        OutboundRequest.objects.filter(connection_id=row.connection_id, natural_key=row.natural_key, state="sent")
        .exclude(vendor_id="")
        .order_by("-pk")
        .values_list("vendor_id", flat=True)
        .first()
    )
    if not sent:
        raise NotFound("Not sent to IntelyCare: the shift was never created there.")
    return sent


def _remember_shift_id(row: OutboundRequest, internal_id: str) -> None:
    """Keep IntelyCare's id on the shift (`VendorRecord.external_id`) so webhooks and updates find it."""
    related = row.related_object
    if related is not None and hasattr(related, "external_id") and not related.external_id:
        type(related).objects.filter(pk=related.pk).update(connection=row.connection, external_id=internal_id)


def _ic(client: VendorClient) -> IntelyCareClient:
    return IntelyCareClient(client)


def create_shift(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, shift_request_body)
    require_fields(body, SHIFT_REQUIRED, "shift request")
    try:
        data = _ic(client).create_shift(body)
    except Conflict as exc:
        # A repeat of a request that reached IntelyCare before (lost answer, killed worker): it is the same shift.
        data = (exc.body or {}).get("data") if isinstance(exc.body, dict) else None
        if not data:
            raise
    internal_id = str(data["internalShiftId"])
    _remember_shift_id(row, internal_id)
    return SendResult(internal_id, data)


def update_shift(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, shift_request_body)
    body.pop("externalShiftId", None)
    require_fields(body, SHIFT_UPDATE_REQUIRED, "shift update")
    shift_id = _shift_id(row)
    return SendResult(shift_id, _ic(client).update_shift(shift_id, body))


def delete_shift(client: VendorClient, row: OutboundRequest) -> SendResult:
    shift_id = _shift_id(row)
    try:
        data = _ic(client).delete_shift(shift_id)
    except NotFound:
        data = {"internalShiftId": shift_id, "removed": 0}  # already gone: what we wanted
    return SendResult(shift_id, data)


def _remember_timecard_errors(row: OutboundRequest, data: dict[str, Any]) -> None:
    """IntelyCare answers 200 with `errors` when it accepted the call but not the times: show them on the card."""
    related = row.related_object
    if related is not None and hasattr(related, "vendor_errors"):
        type(related).objects.filter(pk=related.pk).update(vendor_errors=data.get("errors") or [])


def create_timecard(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, timecard_body)
    require_fields(body, TIMECARD_REQUIRED, "timecard")
    try:
        data = _ic(client).create_timecard(body)
    except Conflict as exc:
        # Already there from an earlier attempt whose answer was lost; the update operation changes it.
        data = exc.body if isinstance(exc.body, dict) else {}
    _remember_timecard_errors(row, data)
    return SendResult(str(body["externalShiftId"]), data)


def update_timecard(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, timecard_body)
    require_fields(body, TIMECARD_REQUIRED, "timecard")
    data = _ic(client).update_timecard(body)
    _remember_timecard_errors(row, data)
    return SendResult(str(body["externalShiftId"]), data)


class Provider(VendorProvider):
    name = "intelycare"
    label = "IntelyCare"
    credential_fields = (
        CredentialField("api_key", "API key (X-API-KEY)"),
        CredentialField("client_id", "Client id (X-CLIENT-ID)", secret=False),
        CredentialField("webhook_secret", "Webhook secret (signs X-Signature-IC)"),
    )
    operations = {
        op.name: op
        for op in (
            OutboundOperation("create_shift", "Create shift request", create_shift, retry_post=True),
            OutboundOperation("update_shift", "Update shift request", update_shift),
            OutboundOperation("delete_shift", "Delete shift request", delete_shift),
            OutboundOperation("create_timecard", "Create timecard", create_timecard, retry_post=True),
            OutboundOperation("update_timecard", "Update timecard", update_timecard),
        )
    }
    receives_webhooks = True
    signs_webhooks = True
    webhook_secret_field = "webhook_secret"  # noqa: S105 (the credential's name)
    # "All requests and responses are JSON-encoded" (the doc's introduction).
    webhook_content_types = ("application/json",)

    def build_client(self, connection: VendorConnection) -> VendorClient:
        credentials = connection.credentials or {}
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=IntelyCareAuth(str(credentials.get("api_key", "")), str(credentials.get("client_id", ""))),
            secrets=self.secrets_of(connection),
        )

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        signature = headers.get("X-Signature-IC")
        secrets = self.webhook_secrets(connection, timezone.now())
        return any(hmac_sha256_hex_matches(secret, body, signature) for secret in secrets)

    def describe_webhook(self, payload: Any) -> WebhookInfo:
        # IntelyCare sends no event id: the inbox dedupes on the body's hash, which includes statusTimestamp.
        event = ShiftStatusEvent.parse(payload)
        return WebhookInfo(
            event_type=EVENT_TYPES[event.status],
            occurred_at=event.status_at,
            subject=shift_subject(event.external_shift_id),
            event=event,
        )

    def handle_webhook(self, connection: VendorConnection, event: WebhookEvent) -> str:
        return handle_status_event(connection, event)

    def ready(self) -> None:
        """Listen to the shifts app's domain signals: shifts and timecards made in the portal go out by outbox."""
        outbound.connect()

    def sandbox(self) -> IntelyCareSandbox:
        return IntelyCareSandbox()
