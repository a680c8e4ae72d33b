"""Issue 14, item 4: each record page shows the notice while the record's last vendor data had a problem, and
not otherwise; the transaction's row in the approvals queue names its fields; the run page stays a few queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.integrations.models import SyncRun
from tests.billing.factories import TransactionFactory
from tests.jobs.factories import JobRequisitionFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import AccountRelationshipFactory

pytestmark = pytest.mark.django_db

NOTICE = "had values the portal could not read"
PROBLEM = {"raw": "'2026-13-45'", "message": "starts_on: expected a date", "source": "sync run 12"}


@pytest.mark.parametrize(
    ("make", "url"),
    [
        (JobRequisitionFactory, lambda r: reverse("jobs:requisition", args=[r.pk])),
        (ShiftRequestFactory, lambda s: reverse("shifts:detail", args=[s.pk])),
        (AccountRelationshipFactory, lambda rel: reverse("talent:timeline", args=[rel.profile_id])),
    ],
)
def test_a_record_page_shows_the_notice_only_while_there_is_a_problem(coordinator_client, make, url):
    record = make()
    assert NOTICE not in coordinator_client.get(url(record)).content.decode()
    type(record).objects.filter(pk=record.pk).update(vendor_problems={"starts_on": PROBLEM})
    page = coordinator_client.get(url(record)).content.decode()
    assert NOTICE in page and "2026-13-45" in page and "sync run 12" in page


def test_a_transaction_row_names_its_unreadable_fields(coordinator_client):
    transaction = TransactionFactory(vendor_problems={"occurred_at": PROBLEM})
    TransactionFactory(contract=transaction.contract)
    page = coordinator_client.get(reverse("billing:approvals")).content.decode()
    assert page.count("unreadable vendor values: occurred_at") == 1


def test_the_run_page_lists_its_records_in_a_few_queries(client, portal_admin, django_assert_max_num_queries):
    entries = [
        {"model": "jobs.jobrequisition", "record": f"job requisition r-{n}", "pk": n, "external_id": f"r-{n}"}
        | {"problems": {"starts_on": PROBLEM}}
        for n in range(SyncRun.WARNINGS_KEPT)
    ]
    run = SyncRun.objects.create(
        connection=VendorConnectionFactory(),
        resource="job_requisitions",
        state=SyncRun.State.SUCCEEDED_WITH_WARNINGS,
        warned=250,
        warnings=entries,
    )
    client.force_login(portal_admin)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("integrations:sync-run", args=[run.pk])).content.decode()
    assert "250 records arrived with values" in page and "(the first 200 are listed)" in page
    assert page.count("data-record=") == SyncRun.WARNINGS_KEPT
