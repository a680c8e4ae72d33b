"""Transaction approval and payment through `/api/v1/`: batches report per id, single refusals are 400."""

from __future__ import annotations

import pytest

from portal.billing.models import Transaction
from tests.api.conftest import token_client
from tests.billing.factories import TransactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_user):
    return token_client(api_client_user)


def test_approve_then_pay_a_batch_with_one_refused(api, api_client_user):
    approved, also, pending = TransactionFactory.create_batch(3)
    response = api.post("/api/v1/transactions/approve/", {"ids": [approved.pk, also.pk]}, format="json")
    assert response.status_code == 200
    assert [row["status"] for row in response.json()] == ["approved", "approved"]

    response = api.post("/api/v1/transactions/pay/", {"ids": [approved.pk, pending.pk, also.pk]}, format="json")
    assert response.status_code == 200
    by_id = {row["id"]: row for row in response.json()}
    assert by_id[pending.pk]["ok"] is False
    assert by_id[pending.pk]["message"] == "It is still pending: approve it before marking it paid."
    assert by_id[approved.pk]["ok"] and by_id[also.pk]["ok"]
    statuses = dict(Transaction.objects.values_list("pk", "status"))
    assert statuses == {approved.pk: "paid", also.pk: "paid", pending.pk: "pending"}
    assert Transaction.objects.get(pk=approved.pk).paid_by == api_client_user


def test_paying_one_pending_transaction_is_400_with_the_reason(api):
    pending = TransactionFactory()
    response = api.post(f"/api/v1/transactions/{pending.pk}/pay/")
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["It is still pending: approve it before marking it paid."]}
    assert api.post(f"/api/v1/transactions/{pending.pk}/approve/").json()["status"] == "approved"
    assert api.post(f"/api/v1/transactions/{pending.pk}/pay/").json()["status"] == "paid"


def test_bad_batch_is_400(api):
    response = api.post("/api/v1/transactions/approve/", {"ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert "ids" in response.json()["errors"] or "ids.0" in response.json()["errors"]
    assert api.post("/api/v1/transactions/approve/", {"ids": []}, format="json").status_code == 400


def test_approvals_queue_filter(api):
    TransactionFactory(status="deleted")
    pending = TransactionFactory()
    response = api.get("/api/v1/transactions/", {"status": "pending", "contract": pending.contract_id})
    assert [row["id"] for row in response.json()["results"]] == [pending.pk]
    assert response.json()["results"][0]["amount"] == "480.00"


def test_bill_approved_charges_and_pay_the_bill(api):
    first = TransactionFactory()
    second = TransactionFactory(contract=first.contract, beneficiary=first.beneficiary)
    pending = TransactionFactory(contract=first.contract, beneficiary=first.beneficiary)
    api.post("/api/v1/transactions/approve/", {"ids": [first.pk, second.pk]}, format="json")

    refused = api.post(
        "/api/v1/bills/",
        {"contract": first.contract_id, "label": "Week 12", "transactions": [first.pk, pending.pk]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["transactions"] == [
        f"{pending.pk}: only approved charges can be billed (this one is a pending charge)."
    ]

    created = api.post(
        "/api/v1/bills/",
        {"contract": first.contract_id, "label": "Week 12", "transactions": [first.pk, second.pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    bill = created.json()
    assert [line["transaction"] for line in bill["line_items"]] == [first.pk, second.pk]
    paid = api.post(f"/api/v1/bills/{bill['id']}/pay/")
    assert paid.status_code == 200
    assert paid.json()["status"] == "paid"
    assert set(Transaction.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"paid"}
