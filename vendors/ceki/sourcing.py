"""Ceki as a sourcing channel for the shifts app (`portal.shifts.sourcing`): a shift's criteria become the Agent
API's specialist search, a person's profile a billed view, and Ceki's refusals (402, an agent not active or not
verified) a `SourcingRefused` the page shows in plain words. Registered by `Provider.ready()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.integrations.errors import AuthError, PayloadInvalid, VendorError
from portal.integrations.registry import get_provider
from portal.shifts.sourcing import Criteria, Offer, Person, SourcingRefused
from vendors.ceki.client import CekiClient, WalletEmpty
from vendors.ceki.mapping import skills_for
from vendors.ceki.schemas import FREE_PROFILE_VIEWS, specialist_search_body

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["CekiChannel"]

VIEW_USAGE = "api_user_view"


def _client(connection: VendorConnection) -> CekiClient:
    return CekiClient(get_provider("ceki").client(connection))


# What to do, for each of Ceki's refusals a coordinator can meet (doc "Error Codes", "Agent Statuses"): matched
# on Ceki's words, since its 403s share one status code.
_REMEDIES = (
    (
        "verif",
        "An Admin enters the code Ceki e-mailed to the agent, under “Verify the agent's e-mail” on the Ceki "
        "connection page.",
    ),
    (
        "pending_deposit",
        "The agent waits for its first deposit: an Admin sends one to the wallet's deposit "
        "address, shown on the Ceki connection page.",
    ),
    ("suspended", "An Admin contacts Ceki to have the agent restored."),
    ("banned", "An Admin contacts Ceki: a banned agent cannot search or book."),
)
_ASK_ADMIN = "An Admin sees the agent's status and wallet on the Ceki connection page."


def _refused(error: VendorError) -> SourcingRefused:
    """Ceki's refusal in its words, with what to do about it; an Admin fixes each on the connection page."""
    if isinstance(error, WalletEmpty):
        return SourcingRefused(
            f"{error.message} Nothing was charged. To search again, an Admin tops up the agent's wallet: its "
            "deposit address is on the Ceki connection page."
        )
    if isinstance(error, AuthError) and error.status == 403:
        said = error.message.split(": ", 1)[-1]
        remedy = next((words for key, words in _REMEDIES if key in said.lower()), _ASK_ADMIN)
        return SourcingRefused(f"Ceki's agent may not do this yet: {said} {remedy}")
    if isinstance(error, AuthError):
        return SourcingRefused(f"{error.message} An Admin checks the Ceki connection's credentials.")
    return SourcingRefused(error.message)


class CekiChannel:
    vendor = "ceki"

    def search_cost(self, connection: VendorConnection) -> str:
        return "Each search is billed to the Ceki agent's wallet."

    def view_cost(self, connection: VendorConnection) -> str:
        """Free while the month's first 100 views last (asked of Ceki's usage, a free call), else billed."""
        try:
            used = _client(connection).usage().calls(VIEW_USAGE)
        except VendorError as error:
            raise _refused(error) from error
        left = FREE_PROFILE_VIEWS - used
        if left > 0:
            return f"Free: {left} of {FREE_PROFILE_VIEWS} free profile views left this month."
        return "Billed: this month's free profile views are used up."

    def search(self, connection: VendorConnection, criteria: Criteria) -> list[Offer]:
        try:
            body = specialist_search_body(
                start=criteria.starts_at,
                end=criteria.ends_at,
                timezone=criteria.time_zone,
                skills=skills_for(criteria.profession, criteria.specialty),
                days=criteria.days or None,
                hours=criteria.hours,
                price_from=criteria.price_from,
                price_to=criteria.price_to,
                currency=criteria.currency or None,
                per_page=50,
            )
            page = _client(connection).search_specialists(body)
        except PayloadInvalid as error:
            raise SourcingRefused(f"Not sent to Ceki: {error}") from error
        except VendorError as error:
            raise _refused(error) from error
        return [
            Offer(
                person=hit.id or 0,
                name=hit.name or f"Ceki user {hit.id}",
                schedule=hit.schedule_id or 0,
                price=hit.price,
                currency=hit.currency or "",
                slot_start=hit.next_slot,
                slot_minutes=hit.duration,
            )
            for hit in page.items
            if hit.id and hit.schedule_id
        ]

    def view(self, connection: VendorConnection, person: int) -> Person:
        try:
            profile = _client(connection).specialist(person)
        except VendorError as error:
            raise _refused(error) from error
        return Person(person, profile.name or "", profile.email or "", profile.phone or "")
