"""Every shifts, contracts and billing list endpoint answers in a number of queries that does not grow with rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.conftest import token_client
from tests.billing import factories as billing
from tests.contracts import factories as contracts
from tests.jobs.factories import FacilityFactory
from tests.shifts import factories as shifts

pytestmark = pytest.mark.django_db

# Token + user roles (2), recording the token's first use (1) and the page (1), plus one per prefetched relation.
BASE_QUERIES = 4


def _shifts(n: int) -> None:
    shifts.ShiftRequestFactory.create_batch(n, facility=FacilityFactory())


def _on_contract(factory) -> Callable[[int], None]:
    def build(n: int) -> None:
        factory.create_batch(n, contract=contracts.ContractFactory())

    return build


def _contracts(n: int) -> None:
    for contract in contracts.ContractFactory.create_batch(n):
        contracts.ParticipantFactory.create_batch(2, contract=contract)


def _transactions(n: int) -> None:
    participant = contracts.ParticipantFactory()
    billing.TransactionFactory.create_batch(n, beneficiary=participant)


def _on_engagement(factory) -> Callable[[int], None]:
    def build(n: int) -> None:
        factory.create_batch(n, engagement=contracts.EngagementFactory())

    return build


def _with_children(parent, child, name: str) -> Callable[[int], None]:
    def build(n: int) -> None:
        for record in parent.create_batch(n):
            child.create_batch(2, **{name: record})

    return build


ENDPOINTS: list[tuple[str, Callable[[int], None], int]] = [
    ("shift-requests", _shifts, 0),
    ("timecards", lambda n: shifts.TimecardFactory.create_batch(n, shift__facility=FacilityFactory()), 0),
    ("visits", lambda n: shifts.VisitFactory.create_batch(n), 0),
    ("recurring-visit-groups", lambda n: shifts.RecurringVisitGroupFactory.create_batch(n), 0),
    ("engagements", lambda n: contracts.EngagementFactory.create_batch(n), 0),
    ("engagement-extensions", _on_engagement(contracts.ExtensionFactory), 0),
    ("engagement-notes", _on_engagement(contracts.NoteFactory), 0),
    ("credentialing-requirements", _on_engagement(contracts.CredentialingRequirementFactory), 0),
    ("contracts", _contracts, 1),
    ("contract-participants", _on_contract(contracts.ParticipantFactory), 0),
    ("contract-events", _on_contract(contracts.ContractEventFactory), 0),
    ("time-entries", _on_contract(contracts.TimeEntryFactory), 0),
    ("transactions", _transactions, 0),
    ("bills", _with_children(billing.BillFactory, billing.BillLineItemFactory, "bill"), 1),
    ("invoices", _with_children(billing.InvoiceFactory, billing.InvoiceLineFactory, "invoice"), 1),
    ("payrolls", _with_children(billing.PayrollFactory, billing.PayrollEntryFactory, "payroll"), 1),
]


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize(("resource", "build", "prefetches"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_list_query_count_is_constant(
    api_client_user, django_assert_max_num_queries, resource, build, prefetches, rows
):
    build(rows)
    api = token_client(api_client_user)
    with django_assert_max_num_queries(BASE_QUERIES + prefetches):
        response = api.get(f"/api/v1/{resource}/", {"page_size": 500})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
