"""The "Ceki agent" panel on a Ceki connection's page (issue 22, "spend you can see"): the agent's status with what
it means and what to do, its wallet balances, this and last month's usage, and its recent wallet transactions.

Every call it makes is free (the doc bills searches, profile views and schedule creation only), and the panel is
cached briefly (`portal.integrations.panels`). "This month" is the month Ceki's usage answer names, not the
portal's clock: Ceki bills by its own calendar month (README "Agent API").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from portal.integrations.errors import VendorError
from portal.integrations.registry import get_provider
from vendors.ceki.client import CekiClient
from vendors.ceki.schemas import FREE_PROFILE_VIEWS, AgentStatus, Usage, UsageLine

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["STATUS_ADVICE", "USAGE_LABELS", "load_agent"]

# The doc's usage types, in the order the panel lists them; a type Ceki adds later is listed under its own name.
USAGE_LABELS = {"api_search": "Searches", "api_user_view": "Profile views", "api_schedule_create": "Schedules"}
PROFILE_VIEWS = "api_user_view"

# The doc's "Agent Statuses": what each means, and what the Admin does about it.
STATUS_ADVICE: dict[AgentStatus, tuple[str, str]] = {
    AgentStatus.PENDING_DEPOSIT: (
        "Registered, waiting for its first deposit: Ceki refuses searches, profile views and bookings until then.",
        "Send a deposit to the wallet's deposit address below; the agent turns active once Ceki confirms it.",
    ),
    AgentStatus.ACTIVE: ("Active: searches, profile views and bookings are billed to the wallet.", ""),
    AgentStatus.SUSPENDED: (
        "Suspended: Ceki has disabled the agent for now.",
        "Contact Ceki to have it restored; nothing can be searched or booked meanwhile.",
    ),
    AgentStatus.BANNED: (
        "Banned: Ceki has blocked the agent for good.",
        "Contact Ceki; nothing can be searched or booked with this agent.",
    ),
}


@dataclass(frozen=True)
class UsageRow:
    """One usage type's calls this month and last month; `note` says how many free views are left."""

    label: str
    this_month: UsageLine | None
    last_month: UsageLine | None
    note: str = ""


def load_agent(connection: VendorConnection, query: Mapping[str, str]) -> dict[str, Any]:
    """The panel's context. A connection without an agent key (a Ceki user's OTP login) asks Ceki nothing."""
    if not (connection.credentials or {}).get("api_key"):
        return {"agent": None}
    client = CekiClient(get_provider("ceki").client(connection))
    agent = client.agent()
    meaning, to_do = STATUS_ADVICE.get(agent.status, ("Ceki gave no status Ceki's doc describes.", ""))
    context: dict[str, Any] = {"agent": agent, "meaning": meaning, "to_do": to_do, "money_error": ""}
    try:  # Ceki may refuse a blocked agent its wallet: the status and its advice are still shown
        this_month = client.usage()
        last_month = client.usage(previous_period(this_month.period))
        wallet = client.wallet()
        context.update(
            wallets=[(c, balance, wallet.deposit_addresses.get(c, "")) for c, balance in wallet.balances.items()],
            # usage costs come without a currency: the wallet's, when the agent has one wallet
            usage_currency=next(iter(wallet.balances)) if len(wallet.balances) == 1 else "",
            this_period=this_month.period,
            last_period=last_month.period,
            usage=usage_rows(this_month, last_month),
            transactions=client.wallet_transactions(_page_number(query)),
        )
    except VendorError as error:
        context["money_error"] = error.message
    return context


def usage_rows(this_month: Usage, last_month: Usage) -> list[UsageRow]:
    types = list(USAGE_LABELS) + sorted(
        {line.usage_type for line in this_month.lines + last_month.lines} - set(USAGE_LABELS)
    )
    rows = []
    for usage_type in types:
        now = next((line for line in this_month.lines if line.usage_type == usage_type), None)
        before = next((line for line in last_month.lines if line.usage_type == usage_type), None)
        note = ""
        if usage_type == PROFILE_VIEWS:
            left = max(FREE_PROFILE_VIEWS - this_month.calls(PROFILE_VIEWS), 0)
            note = f"The first {FREE_PROFILE_VIEWS} a month are free: {left} free left this month."
        rows.append(UsageRow(USAGE_LABELS.get(usage_type, usage_type), now, before, note))
    return rows


def previous_period(period: str) -> str:
    """The month before `period` (`YYYY-MM`); the portal's current UTC month stands in when Ceki named none."""
    try:
        first = dt.date.fromisoformat(f"{period}-01")
    except ValueError:
        first = timezone.now().astimezone(dt.UTC).date().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _page_number(query: Mapping[str, str]) -> int:
    try:
        return max(int(query.get("page", 1)), 1)
    except ValueError:
        return 1
