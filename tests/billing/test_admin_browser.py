"""An admin approves and pays transactions from the Django admin list in chromium; a pending one is refused
with its reason while the others are paid."""

from __future__ import annotations

import pytest

from portal.billing.models import Transaction
from tests.billing.factories import TransactionFactory
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _run_action(page, action: str, rows) -> None:
    for row in rows:
        page.check(f"input[name='_selected_action'][value='{row.pk}']")
    page.select_option("select[name='action']", action)
    page.click("button[name='index']")


def test_admin_approves_then_pays_with_a_pending_one_refused(page, live_server, portal_admin):
    first, second, pending = TransactionFactory.create_batch(3)
    sign_in(page.context, portal_admin, live_server.url)
    page.goto(f"{live_server.url}/admin/billing/transaction/")

    _run_action(page, "approve_selected", [first, second])
    page.get_by_text("2 transaction(s) updated.").wait_for()

    _run_action(page, "pay_selected", [first, second, pending])
    page.get_by_text("2 transaction(s) updated.").wait_for()
    page.get_by_text(f"Transaction {pending.pk}: It is still pending: approve it before marking it paid.").wait_for()

    statuses = dict(Transaction.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "paid", second.pk: "paid", pending.pk: "pending"}
