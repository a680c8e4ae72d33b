"""The contract a vendor package implements (django-allauth's `Provider`, one small class per vendor).

The integration core (`portal.integrations`) knows vendors only through this: how to build a client for a
connection, which resources sync into which model, how to verify and apply a webhook, which outbound operations
exist, and the sandbox that stands in for the vendor. A vendor package registers one `VendorProvider` subclass
in `settings.VENDOR_PROVIDERS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from portal.integrations.calls import cached_client

# Where a rotated-out signing secret is kept in the connection's credentials until it expires.
PREVIOUS_SECRET_PREFIX = "previous__"  # noqa: S105 (a key name, not a secret)

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest, VendorConnection, WebhookEvent
    from vendors.base.client import VendorClient
    from vendors.base.sandbox import SandboxVendor

__all__ = [
    "PREVIOUS_SECRET_PREFIX",
    "ConnectionPanel",
    "CredentialField",
    "Included",
    "MappedRecord",
    "OutboundOperation",
    "Page",
    "SendResult",
    "SettingsForm",
    "SyncResource",
    "VendorProvider",
    "WebhookInfo",
]


@dataclass(frozen=True)
class CredentialField:
    """One secret or setting of a connection, e.g. IntelyCare's `api_key`. Secret ones are never printed."""

    name: str
    label: str
    secret: bool = True
    required: bool = True


@dataclass(frozen=True)
class MappedRecord:
    """A vendor object mapped to local model fields; `fields` decide the fingerprint (unchanged -> no write).

    `problems` names the fields whose value the vendor sent but the reader could not read
    (`vendors.base.reading.unreadable_fields`): the writer keeps the portal's value of those on update and marks
    the record; on create they hold the mapping's empty value.
    """

    external_id: str
    fields: dict[str, Any]
    vendor_updated_at: dt.datetime | None = None
    vendor_data: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Included:
    """Records of another model that a page's records point at (JSON:API `included`): `model` is where they are
    stored and `map` reads each into a `MappedRecord`, as `SyncResource.map` does for the page's own records."""

    model: str  # "app_label.ModelName"
    records: Sequence[Any]
    map: Callable[[Any], MappedRecord]


@dataclass(frozen=True)
class Page:
    """One page a reader yields: its records, what they include (stored first, in order) and the ids it lists as
    deleted (archived by the writer, in incremental runs too)."""

    records: Sequence[Any]
    included: Sequence[Included] = ()
    deleted: Sequence[str] = ()  # external ids the vendor lists as deleted (tombstones): archived, never removed

    @classmethod
    def of(cls, page: Page | Sequence[Any]) -> Page:
        """A reader with nothing included may yield a plain list of records: a page of those records."""
        return page if isinstance(page, Page) else cls(page)


@dataclass(frozen=True)
class SyncResource:
    """A list the vendor serves that mirrors into one local `VendorRecord` model.

    `pages(client, connection, since)` yields pages lazily, each a list of raw or typed records or a `Page`
    that also carries included records (the connection says whose local rows a reader may link to). A reader
    writes none of the rows it lists, only through a domain service (a person matched across vendors by the
    talent service, an invoice's lines by billing's): the sync stores each page's included records, archives what
    the page lists as deleted, then maps its records with `map(raw)` into
    `MappedRecord`s (ValueError for one it cannot read, which the run counts as failed and skips) and stores
    them, so a mapping may link to rows its page included.
    """

    name: str
    model: str  # "app_label.ModelName"
    pages: Callable[[VendorClient, VendorConnection, dt.datetime | None], Iterator[Page | Sequence[Any]]]
    map: Callable[[dict], MappedRecord]
    incremental: bool = True


@dataclass(frozen=True)
class SendResult:
    """What the vendor answered to an outbound request: its id for the object, and the body to keep."""

    vendor_id: str = ""
    response: Any = None


@dataclass(frozen=True)
class OutboundOperation:
    """A change the portal pushes to the vendor, sent by the outbox dispatcher.

    `send(client, row)` performs it. `find_existing(client, row)` is asked before re-sending a row whose earlier
    attempt may have reached the vendor (the worker died mid-call): it returns the vendor's result when the
    vendor already has it, else None. `retry_post` says the vendor recognises a repeated POST (natural key).
    `check(instance)` says, before a form saves the local record, what the vendor's documented schema would refuse
    in it, as messages keyed by the record's own field names, so the form shows them next to its fields
    (`portal.integrations.services.outbound_problems`).
    """

    name: str
    label: str
    send: Callable[[VendorClient, OutboundRequest], SendResult]
    find_existing: Callable[[VendorClient, OutboundRequest], SendResult | None] | None = None
    retry_post: bool = False
    check: Callable[[Any], Mapping[str, list[str]]] | None = None


@dataclass(frozen=True)
class WebhookInfo:
    """What the inbox needs from a parsed webhook: a dedupe key, its type, the vendor's time for it, and the
    vendor object it is about (`subject`, e.g. "shift:123"), so a handler can fold all events of that object."""

    event_type: str
    event_id: str = ""  # the vendor's own event id; empty -> the inbox dedupes on the body's hash
    occurred_at: dt.datetime | None = None
    subject: str = ""
    # The vendor's typed event itself: the inbox hands it to `handle_webhook` on the row (`WebhookEvent.info`),
    # so an event's body is parsed once per apply.
    event: Any = None


@dataclass(frozen=True)
class SettingsForm:
    """An extra form a vendor offers on its connection's settings page (CareerBuilder's status map, Ceki's OTP
    login), so the Integrations page stays vendor-neutral.

    `form_class(connection, data)` is a `portal.integrations.forms.ConnectionSettingsForm`: `save()` applies it and
    returns what to tell the Admin. `owns` names the credentials it edits, which the generic credentials form then
    leaves out (two forms writing one setting would overwrite each other).
    """

    name: str
    title: str
    form_class: type
    owns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConnectionPanel:
    """A read-only panel a vendor shows on its connection's page (Ceki's agent: status, wallet, usage), loaded
    after the page by HTMX and cached briefly (`portal.integrations.panels`).

    `load(connection, query)` returns the context for `template`, given only the `params` named here from the
    request's query (a page number, say); it raises `VendorError` when the vendor refuses, which the page shows as
    a message in the panel.
    """

    name: str
    title: str
    template: str
    load: Callable[[VendorConnection, Mapping[str, str]], Mapping[str, Any]]
    params: tuple[str, ...] = ()


class VendorProvider:
    """Subclass per vendor; set the class attributes and implement the methods that apply."""

    name: ClassVar[str]
    label: ClassVar[str]
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    resources: ClassVar[Mapping[str, SyncResource]] = {}
    operations: ClassVar[Mapping[str, OutboundOperation]] = {}
    # Whether the vendor documents webhooks at all; one that does not says so here, and has no `handlers.py`.
    receives_webhooks: ClassVar[bool] = False
    # True where the vendor signs webhooks; False -> the unguessable URL token is the only proof.
    signs_webhooks: ClassVar[bool] = False
    # The credential holding the signing secret, for vendors that sign: rotation keeps a previous one for a while.
    webhook_secret_field: ClassVar[str] = ""
    # The largest webhook body accepted (bytes): a longer one answers 413 and only a record of it is kept.
    max_webhook_bytes: ClassVar[int] = 256 * 1024
    # Content types the vendor documents for its webhooks; empty -> not checked (the body must still be JSON).
    webhook_content_types: ClassVar[tuple[str, ...]] = ()

    def build_client(self, connection: VendorConnection) -> VendorClient:
        raise NotImplementedError

    def ready(self) -> None:
        """Called once at start-up (IntegrationsConfig.ready). A vendor that pushes local changes connects its
        receivers to the domain models' signals here: domain apps never import vendors, vendors listen to them."""

    def client(self, connection: VendorConnection) -> VendorClient:
        """The process's reused client for this connection, with its call deadline; a changed connection gets a
        fresh one."""

        def build() -> VendorClient:
            client = self.build_client(connection)
            client.deadline = float(connection.call_deadline_seconds)
            return client

        return cached_client((self.name, connection.pk, connection.updated_at), build)

    def missing_credentials(self, connection: VendorConnection) -> list[str]:
        """The credentials the connection still needs (`manage.py connect` lists them); a vendor reached either of
        two ways (Ceki: a user's login or an agent's key) says which are needed the way it is connected."""
        stored = connection.credentials or {}
        return [spec.name for spec in self.credential_fields if spec.required and not stored.get(spec.name)]

    def secrets_of(self, connection: VendorConnection) -> tuple[str, ...]:
        secret_names = {f.name for f in self.credential_fields if f.secret}
        return tuple(str(v) for k, v in (connection.credentials or {}).items() if k in secret_names and v)

    def webhook_secrets(self, connection: VendorConnection, now: dt.datetime) -> tuple[str, ...]:
        """The signing secrets valid at `now`: the current one, and the previous one until its rotation expires."""
        if not self.webhook_secret_field:
            return ()
        credentials = connection.credentials or {}
        current = [str(credentials.get(self.webhook_secret_field) or "")]
        expires = connection.previous_webhook_expires_at
        if expires is not None and now < expires:
            current.append(str(credentials.get(PREVIOUS_SECRET_PREFIX + self.webhook_secret_field) or ""))
        return tuple(secret for secret in current if secret)

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        """Signature check on the raw bytes; must never raise, whatever the headers hold. Vendors that do not sign
        rely on the URL token (already matched)."""
        return not self.signs_webhooks

    def describe_webhook(self, payload: Any) -> WebhookInfo:
        """Parse a verified payload; raise (anything) when it is not a readable event: the inbox answers 400."""
        raise NotImplementedError(f"{self.label} documents no webhooks")

    def handle_webhook(self, connection: VendorConnection, event: WebhookEvent) -> str:
        """Apply a verified event; return a short outcome ("assigned", "stale: ignored"). Idempotent. The inbox has
        read the body already: `event.payload` is its JSON, `event.info` what `describe_webhook` made of it."""
        raise NotImplementedError

    def settings_forms(self) -> tuple[SettingsForm, ...]:
        """Extra forms for the connection's settings page. Vendors import their forms inside this method: form
        classes need Django set up, provider modules are imported while settings load."""
        return ()

    def connection_panels(self) -> tuple[ConnectionPanel, ...]:
        """Read-only panels for the connection's page, each loaded by HTMX after the page."""
        return ()

    def sandbox(self) -> SandboxVendor | None:
        return None
