"""Every Ceki endpoint (User API and Agent API) the portal calls: method and path, in this one module.

The doc gives paths only for the OTP login (`/api/loginrequest`, `/api/login`); every other operation comes
with its title, parameters and bodies but no URL. Those paths are chosen (issue 7): Laravel resource routes
under `/api/`, named after the doc's path parameters (`{contract}`, `{hand}`, `{bill}` ...), with one verb
segment (`/restore`, `/approve`, `/pay`) for actions that are not CRUD. `documented` tells the two apart, and
the README lists them side by side, so a path the real Ceki serves differently is a one-line change here.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from urllib.parse import quote

__all__ = ["ENDPOINTS", "Endpoint"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    template: str
    summary: str
    documented: bool = False
    params: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(name for _, name, _, _ in string.Formatter().parse(self.template) if name)
        object.__setattr__(self, "params", names)

    def path(self, **values: int | str) -> str:
        """The path with its parameters filled in; a missing, extra or empty id is a bug, so it raises."""
        if set(values) != set(self.params):
            raise TypeError(f"{self.template} takes {sorted(self.params)}, got {sorted(values)}")
        for name, value in values.items():
            valid_id = value >= 1 if isinstance(value, int) else isinstance(value, str) and bool(value.strip())
            if isinstance(value, bool) or not valid_id:
                raise ValueError(f"{self.template}: {name} must be a Ceki id, got {value!r}")
        return self.template.format(**{name: quote(str(value), safe="") for name, value in values.items()})


# Authentication ("Authentication > User API" in the doc)
LOGIN_REQUEST = Endpoint("POST", "/api/loginrequest", "Request an OTP by email", documented=True)
LOGIN = Endpoint(
    "POST", "/api/login", "Authenticate with email and OTP code, return user profile with token", documented=True
)
LOGOUT = Endpoint("POST", "/api/logout", "Log out and invalidate the current access token")
PROFILE = Endpoint(
    "GET", "/api/user", "Get authenticated user's profile with contacts, calendars, contracts, and hands"
)

# Contract
CONTRACT_LIST = Endpoint("GET", "/api/contracts", "List authenticated user's contracts in custom sort order")
CONTRACT_ARCHIVED_LIST = Endpoint("GET", "/api/contracts/archived", "List archived (soft-deleted) contracts")
CONTRACT_CREATE = Endpoint("POST", "/api/contracts", "Create a new work contract with timeline, currency, and skills")
CONTRACT_SHOW = Endpoint("GET", "/api/contracts/{contract}", "Get contract details with participants, sub-contracts...")
CONTRACT_UPDATE = Endpoint("PUT", "/api/contracts/{contract}", "Update contract details, settings, and attached files")
CONTRACT_DELETE = Endpoint(
    "DELETE", "/api/contracts/{contract}", "Soft-delete a contract and all its participant hands"
)
CONTRACT_RESTORE = Endpoint(
    "POST", "/api/contracts/{contract}/restore", "Restore a soft-deleted contract and its hands"
)

# Contract events
CONTRACT_EVENT_LIST = Endpoint("GET", "/api/contracts/{contract}/events", "List paginated events for a contract")
CONTRACT_EVENT_CREATE = Endpoint("POST", "/api/contracts/{contract}/events", "Create an event within a contract")
CONTRACT_EVENT_UPDATE = Endpoint(
    "PUT", "/api/contracts/{contract}/events/{event}", "Update a contract event's details, attendees, or benefitable"
)
CONTRACT_EVENT_ATTACH_SCHEDULE = Endpoint(
    "POST", "/api/contracts/{contract}/events/{event}/schedules/{schedule}", "Attach a schedule to a contract event"
)
CONTRACT_EVENT_DETACH_SCHEDULE = Endpoint(
    "DELETE", "/api/contracts/{contract}/events/{event}/exports/{export}", "Detach a schedule from a contract event"
)

# Contract users and participants ("hands")
CONTRACT_USER_LIST = Endpoint("GET", "/api/contracts/{contract}/users", "List users assigned to a contract")
CONTRACT_USER_ADD = Endpoint("POST", "/api/contracts/{contract}/users", "Add a user to a contract with role")
CONTRACT_USER_REMOVE = Endpoint("DELETE", "/api/contracts/{contract}/users", "Remove a user (query `user_id`)")
CONTRACT_USER_TRANSACTIONS = Endpoint(
    "GET",
    "/api/contracts/{contract}/users/{user}/transactions",
    "List transactions for a specific contract participant",
)
HAND_CREATE = Endpoint("POST", "/api/contracts/{contract}/hands", "Add a participant (hand) with a work schedule")
HAND_UPDATE = Endpoint("PUT", "/api/contracts/{contract}/hands/{hand}", "Update a contract participant's role")
HAND_DELETE = Endpoint("DELETE", "/api/contracts/{contract}/hands/{hand}", "Remove a pending participant (hand)")
HAND_ANSWER = Endpoint(
    "POST", "/api/contracts/{contract}/hands/{hand}/answer", "Accept or reject a participation request or correction"
)

# Transactions: charges and deposits
CONTRACT_CHARGE_CREATE = Endpoint("POST", "/api/contracts/{contract}/charges", "Create a billable time charge")
CONTRACT_ENTRY_CREATE = Endpoint("POST", "/api/contracts/{contract}/entries", "Add a comment, task, or charge")
CHARGE_UPDATE = Endpoint("PUT", "/api/contracts/{contract}/charges/{transaction}", "Update a charge transaction")
DEPOSIT_CREATE = Endpoint("POST", "/api/contracts/{contract}/deposits", "Create a payment deposit on a contract")
DEPOSIT_UPDATE = Endpoint("PUT", "/api/contracts/{contract}/deposits/{transaction}", "Update a deposit transaction")
TRANSACTIONS_APPROVE = Endpoint(
    "POST", "/api/contracts/{contract}/transactions/approve", "Approve pending transactions for a contract by their IDs"
)
TRANSACTIONS_PAY = Endpoint(
    "POST", "/api/contracts/{contract}/transactions/pay", "Mark approved transactions as paid for a contract"
)
# Laravel's resource verb for removal is DELETE; the ids travel in a JSON body (httpx: client.request(..., json=)).
TRANSACTIONS_DELETE = Endpoint(
    "DELETE", "/api/contracts/{contract}/transactions", "Delete transactions from a contract by their IDs"
)

# Bill
BILL_LIST = Endpoint("GET", "/api/contracts/{contract}/bills", "List paginated invoices (bills) for a contract")
BILL_CREATE = Endpoint("POST", "/api/contracts/{contract}/bills", "Create a new invoice (bill) with line items")
BILL_UPDATE = Endpoint(
    "PUT", "/api/contracts/{contract}/bills/{bill}", "Update the label (title) of a contract invoice"
)
BILL_DELETE = Endpoint("DELETE", "/api/contracts/{contract}/bills/{bill}", "Delete an invoice (bill) from a contract")
BILL_PAY = Endpoint(
    "POST", "/api/contracts/{contract}/bills/{bill}/pay", "Mark a bill and its transactions as paid, creating deposits"
)

# Event
EVENT_UPCOMING = Endpoint("GET", "/api/events/upcoming", "List the authenticated user's upcoming events")
EVENT_SHOW = Endpoint("GET", "/api/events/{event}", "Get event details with attendees, billable info, and corrections")
EVENT_DELETE = Endpoint("DELETE", "/api/events/{event}", "Delete an event from the calendar")
EVENT_CHILDREN = Endpoint("GET", "/api/events/{event}/children", "List child events of a parent event")
EVENT_CORRECTION_PROPOSE = Endpoint("POST", "/api/events/{event}/corrections", "Propose corrections to an event")
EVENT_CORRECTION_VOTE = Endpoint("POST", "/api/events/{event}/corrections/vote", "Vote on proposed corrections")
EVENT_CONFIRM = Endpoint("POST", "/api/events/{event}/confirm", "Confirm event participation or accept an invitation")
EVENT_DECLINE = Endpoint("POST", "/api/events/{event}/decline", "Decline event participation or reject an invitation")
EVENT_CHARGE_CREATE = Endpoint("POST", "/api/events/{event}/charges", "Create a billable time charge for a benefitable")

# Hand: time tracking and per-participant money (the doc's `{contractHand}`)
HAND_TIMER_START = Endpoint("POST", "/api/hands/{contract_hand}/start", "Start a time tracking session")
HAND_TIMER_STOP = Endpoint("POST", "/api/hands/{contract_hand}/stop", "Stop tracking; minutes become a billable charge")
HAND_TIMER_STATUS = Endpoint("GET", "/api/hands/{contract_hand}/status", "Whether a time tracking session is running")
HAND_DEPOSIT_CREATE = Endpoint("POST", "/api/hands/{contract_hand}/deposits", "Record a payment deposit on a date")
HAND_DEPOSIT_UPDATE = Endpoint("PUT", "/api/hands/{contract_hand}/deposits/{event}", "Update a payment deposit")
HAND_CHARGE_CREATE = Endpoint("POST", "/api/hands/{contract_hand}/charges", "Create a manual billable time charge")
HAND_CHARGE_UPDATE = Endpoint("PUT", "/api/hands/{contract_hand}/charges/{event}", "Update a billable charge")

# TimeLog (the doc's `{userTime}`)
TIMELOG_LIST = Endpoint("GET", "/api/timelogs", "List trackable contracts and running time tracking sessions")
TIMELOG_START = Endpoint("POST", "/api/timelogs", "Start a new time tracking session for a trackable contract")
TIMELOG_DELETE = Endpoint("DELETE", "/api/timelogs/{user_time}", "Delete a time tracking log entry")

# Kal (calendars) and Schedule, as far as contracts need them
KAL_CREATE = Endpoint("POST", "/api/kals", "Create a new calendar for the authenticated user")
KAL_DEFAULT = Endpoint("GET", "/api/kals/default", "Get the authenticated user's default calendar")
KAL_SHOW = Endpoint("GET", "/api/kals/{kal}", "Get a calendar with schedules and events for a date range")
KAL_UPDATE = Endpoint("PUT", "/api/kals/{kal}", "Update calendar label, description, timezone, and visibility")
KAL_DELETE = Endpoint("DELETE", "/api/kals/{kal}", "Delete a calendar and all its events")
SCHEDULE_CREATE = Endpoint("POST", "/api/schedules", "Create a new availability schedule")
SCHEDULE_SHOW = Endpoint("GET", "/api/schedules/{schedule}", "Get a schedule with generated time slots")
SCHEDULE_UPDATE = Endpoint("PUT", "/api/schedules/{schedule}", "Update schedule settings, events, pricing, visibility")
SCHEDULE_DELETE = Endpoint("DELETE", "/api/schedules/{schedule}", "Delete a schedule and its pending events")

SCHEDULE_BOOK = Endpoint("POST", "/api/schedules/{schedule}/book", "Book a time slot in a specialist's schedule")

# Agent API: the doc names these paths in its prose ("Agent Getting Started", "Billing", the verify-email text)
AGENT_REGISTER = Endpoint("POST", "/api/agent/register", "Register a new agent", documented=True)
AGENT_VERIFY_EMAIL = Endpoint("POST", "/api/agent/verify-email", "Verify agent email", documented=True)
AGENT_ME = Endpoint("GET", "/api/agent/me", "Get own agent profile")
AGENT_SEARCH_SPECIALISTS = Endpoint(
    "POST", "/api/agent/search/specialists", "Search specialists (billed per call)", documented=True
)
AGENT_USER_SHOW = Endpoint("GET", "/api/agent/user/{id}", "View user profile (first 100 a month free)", documented=True)
AGENT_WALLET = Endpoint("GET", "/api/agent/wallet", "Get wallet balance", documented=True)
AGENT_WALLET_USAGE = Endpoint("GET", "/api/agent/wallet/usage", "Get API usage stats", documented=True)
AGENT_WALLET_TRANSACTIONS = Endpoint(
    "GET", "/api/agent/wallet/transactions", "List wallet transactions", documented=True
)

ENDPOINTS: tuple[Endpoint, ...] = tuple(value for value in tuple(globals().values()) if isinstance(value, Endpoint))
__all__ += [name for name, value in tuple(globals().items()) if isinstance(value, Endpoint)]
