"""CareerBuilder's registration: credentials, client, the candidate-status sync, the status push, sandbox.

No webhooks: the doc describes none, so CareerBuilder's side of a status reaches the portal by pulling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from portal.integrations.provider import (
    CredentialField,
    OutboundOperation,
    SendResult,
    SettingsForm,
    SyncResource,
    VendorProvider,
)
from vendors.base.client import VendorClient
from vendors.careerbuilder import signals
from vendors.careerbuilder.auth import CareerBuilderAuth
from vendors.careerbuilder.client import TIE_SECOND, CareerBuilderClient, not_sent
from vendors.careerbuilder.mapping import candidate_status_record
from vendors.careerbuilder.paths import OAUTH_TOKEN
from vendors.careerbuilder.sandbox import CareerBuilderSandbox
from vendors.careerbuilder.schemas import PayloadInvalid, StatusInsert, sendable_email

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest, VendorConnection

__all__ = ["EMAILS_PER_SEARCH", "Provider", "candidate_status_pages"]

# The doc gives no limit on the POST's list of emails; 100 keeps a body small and a page of the sync bounded.
EMAILS_PER_SEARCH = 100


def _cb(client: VendorClient) -> CareerBuilderClient:
    """The core hands operations and pages the client `build_client` made: always a `CareerBuilderClient`."""
    if not isinstance(client, CareerBuilderClient):
        raise TypeError(f"expected the CareerBuilder client, got {type(client).__name__}")
    return client


def candidate_status_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[dict]]:
    """The statuses of the portal's people: one POST per hundred profile emails (keyset, constant memory), each
    answer one page. CareerBuilder has no "list everything" call, so the portal asks about whom it knows.

    Entries carry the profile the email belongs to (`{"status": raw, "profile_id": pk, "account": did}`): the batch
    already knows it, so linking costs no query; and the account asked about, whose lines alone this connection keeps.
    """
    from portal.talent.models import TalentProfile

    client = _cb(client)
    asking_since = since - TIE_SECOND if since is not None else None
    after_pk = 0
    while True:
        batch = list(
            TalentProfile.objects.filter(pk__gt=after_pk)
            .exclude(email="")
            .order_by("pk")
            .values_list("pk", "email")[:EMAILS_PER_SEARCH]
        )
        if not batch:
            return
        after_pk = batch[-1][0]
        profile_of = {email: pk for pk, email in batch if sendable_email(email)}
        if not profile_of:
            continue
        answer = client.search_statuses(candidate_emails=tuple(profile_of), since=asking_since)
        yield [
            {
                "status": dict(status.raw),
                "profile_id": profile_of.get(status.candidate_email.strip().casefold()),
                "account": client.account,
            }
            for status in answer
        ]


def _checked(row: OutboundRequest) -> StatusInsert:
    """The row's body under the doc's rules; a broken one is parked with its field errors, never sent."""
    try:
        return StatusInsert.from_payload(row.payload)
    except PayloadInvalid as invalid:
        raise not_sent(invalid) from None


def push_status(client: VendorClient, row: OutboundRequest) -> SendResult:
    """PUT the status. An upsert on the unique key: a repeat after a lost answer changes nothing."""
    receipt = _cb(client).insert_status(_checked(row))
    return SendResult(row.natural_key, receipt.raw)


def find_pushed_status(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """After a crash mid-send: CareerBuilder already holds this status (or a newer one for the same key)?"""
    insert = _checked(row)
    for page in _cb(client).walk_email_statuses(insert.candidate_email, since=insert.status_date - TIE_SECOND):
        for status in page:
            if status.key == insert.key and status.status_date and status.status_date >= insert.status_date:
                return SendResult(row.natural_key, {"already_held": dict(status.raw)})
    return None


class Provider(VendorProvider):
    name = "careerbuilder"
    label = "CareerBuilder"
    credential_fields = (
        CredentialField("account", "Account DID", secret=False),
        CredentialField("access_token", "Bearer token, if CareerBuilder issued a fixed one", required=False),
        CredentialField("client_id", "OAuth client id", secret=False, required=False),
        CredentialField("client_secret", "OAuth client secret (signs the client assertion)", required=False),
        CredentialField(
            "token_url", "OAuth token URL (default: base URL + /oauth/token)", secret=False, required=False
        ),
        CredentialField("vendor_key", "vendor_key sent with each status", secret=False, required=False),
        CredentialField("client", "client sent with each status", secret=False, required=False),
        CredentialField("status_map", "Portal status -> CareerBuilder status (JSON)", secret=False, required=False),
    )
    resources = {
        "candidate_statuses": SyncResource(
            "candidate_statuses", "talent.CandidateStatus", candidate_status_pages, candidate_status_record
        ),
    }
    operations = {
        signals.PUSH_OPERATION: OutboundOperation(
            signals.PUSH_OPERATION, "Push candidate status", push_status, find_existing=find_pushed_status
        ),
    }

    def build_client(self, connection: VendorConnection) -> CareerBuilderClient:
        credentials = connection.credentials or {}
        base_url = connection.base_url.rstrip("/")
        return CareerBuilderClient(
            vendor=self.label,
            base_url=base_url,
            auth=CareerBuilderAuth(
                access_token=str(credentials.get("access_token") or ""),
                token_url=str(credentials.get("token_url") or base_url + OAUTH_TOKEN.path()),
                client_id=str(credentials.get("client_id") or ""),
                client_secret=str(credentials.get("client_secret") or ""),
            ),
            secrets=self.secrets_of(connection),
            account=str(credentials.get("account") or ""),
        )

    def ready(self) -> None:
        """Connect the status-change receivers; `IntegrationsConfig.ready()` calls this at start-up."""
        signals.connect()

    def settings_forms(self) -> tuple[SettingsForm, ...]:
        """The status map editor; it owns `status_map`, so the credentials form does not show it as JSON text."""
        from vendors.careerbuilder.settings_forms import StatusMapForm

        return (SettingsForm("status-map", "Status map", StatusMapForm, owns=("status_map",)),)

    def sandbox(self) -> CareerBuilderSandbox:
        return CareerBuilderSandbox()
