"""Issue 14, item 3 for every vendor's mapping: a value its reader could not read is named under the *local*
field it feeds (`MappedRecord.problems`), which is what `apply_page` keeps out of an update; readable values are
mapped as before. Kamana's path is tested end to end in tests/vendors/kamana/test_unreadable.py and Ceki's in
tests/vendors/ceki/test_unreadable.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.vendors.alaunus.support import fixture
from vendors.alaunus import mapping as alaunus
from vendors.alaunus.schemas import Invoice, Punchcard
from vendors.careerbuilder.mapping import candidate_status_record
from vendors.ceki.mapping import Links as CekiLinks
from vendors.ceki.mapping import transaction_record
from vendors.ceki.schemas import Event as CekiEvent
from vendors.intelycare.mapping import professional_profile_fields
from vendors.intelycare.schemas import HealthcareProfessional


def test_alaunus_invoice_dates_and_totals_under_their_local_names():
    raw = {
        **fixture("invoices")[0],
        "due_date": "end of month",
        "Billing-Period": {"start": "2026-11-02", "end": "the 15th"},
    }
    raw.pop("billing_period")
    record = alaunus.invoice_record(Invoice.from_payload(raw), alaunus.Links())
    assert set(record.problems) == {"due_date", "period_end"}
    assert record.problems["due_date"]["raw"] == "'end of month'"
    assert record.fields["period_start"].isoformat() == "2026-11-02", "the readable half of the period is kept"


def test_alaunus_timecard_check_out_and_pay_under_their_local_names():
    raw = fixture("punchcards")[0]
    raw = {**raw, "actual": {**raw["actual"], "end": "later"}, "pay": {**raw["pay"], "rate": "n/a"}}
    links = alaunus.Links(visits={raw["event"]: 1})
    record = alaunus.timecard_record(Punchcard.from_payload(raw), links)
    assert set(record.problems) == {"check_out", "pay_rate"}
    assert record.fields["check_out"] is None and record.fields["pay_rate"] is None


def test_ceki_transaction_start_names_occurred_at():
    raw = {
        "id": 41,
        "payment_status_id": "100",
        "amount": "90.00",
        "date": "2026-03-02",
        "start": "twelve-ish",
        "duration": 60,
    }
    record = transaction_record(CekiEvent.from_payload(raw), CekiLinks(contract_id=5))
    assert list(record.problems) == ["occurred_at"] and record.fields["amount"] == Decimal("90.00")


def test_careerbuilder_text_fields():
    line = {
        "account": "AAAA_1234",
        "candidate_email": "a@b.test",
        "status": "Hired",
        "status_level": "candidate",
        "status_date": "2026-03-19T23:04:01Z",
        "status_detail": {"note": "not text"},
    }
    record = candidate_status_record({"status": line, "profile_id": None})
    assert list(record.problems) == ["status_detail"] and record.fields["status_detail"] == ""


@pytest.mark.parametrize(
    ("sent", "problem"),
    [({"firstName": {"given": "Ada"}}, "first_name"), ({"email": True}, "email"), ({"phoneNumber": [1]}, "phone")],
)
def test_intelycare_professional_fields(sent, problem):
    data = {"id": "hp-1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@x.test", **sent}
    fields = professional_profile_fields(HealthcareProfessional.parse(data))
    assert list(fields["problems"]) == [problem] and fields[problem] == ""
    assert "warnings" not in fields["vendor_data"]
