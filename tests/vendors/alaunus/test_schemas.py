"""Every Alaunus fixture parses into its typed schema, notable values come through, and messy input degrades
per field (None plus a warning) instead of failing the page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from tests.vendors.alaunus.support import FIXTURES, fixture
from vendors.alaunus.paths import COLLECTIONS
from vendors.alaunus.schemas import (
    SCHEMA_BY_COLLECTION,
    Account,
    Candidate,
    CandidateStatus,
    Client,
    Contact,
    ContactType,
    ErrorBody,
    Event,
    File,
    Frequency,
    Invoice,
    Location,
    Patient,
    PatientProgressNote,
    Payroll,
    PayrollUser,
    Punchcard,
    Skill,
    User,
    UserNote,
    Weekday,
    WorkStatus,
    parse_page,
)


def only(collection: str):
    page = parse_page(SCHEMA_BY_COLLECTION[collection], fixture(collection), collection)
    return page.records


def test_every_collection_has_a_schema_and_a_fixture():
    assert set(SCHEMA_BY_COLLECTION) == set(COLLECTIONS)
    assert {path.stem for path in FIXTURES.glob("*.json")} >= set(COLLECTIONS)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_fixture_parses_cleanly(collection):
    page = parse_page(SCHEMA_BY_COLLECTION[collection], fixture(collection), collection)
    assert page.records, collection
    assert page.warnings == ()
    for record in page.records:
        assert isinstance(record, SCHEMA_BY_COLLECTION[collection])
        assert record.id
        assert record.warnings == (), record.warnings
        assert record.raw["_id"] == record.id


def test_account_settings_services_and_taxes():
    (account,) = only("accounts")
    assert isinstance(account, Account)
    assert account.active is True  # "active: integer" in the doc, sent as 1
    assert account.name.display == "CareWell Home Health Inc."
    assert account.settings.timezone == "America/Toronto"
    assert account.billing_settings.late_checkout == "bill_actual"
    assert [(s.code, s.pay_rate, s.bill_rate) for s in account.services] == [
        ("PCA", Decimal("22.5"), Decimal("38.0")),
        ("RN-V", Decimal("48.0"), Decimal("85.0")),
    ]
    assert account.taxes[0].label == "HST" and account.taxes[0].amount == Decimal(13)
    assert account.sales_reps[0].name.nickname == "Dee"
    assert account.locations[0].geolocation.latitude == pytest.approx(43.6503)
    assert account.created_at == datetime(2019, 4, 2, 13, 20, 11, tzinfo=UTC)


def test_candidates_envelope_statuses_and_availability():
    page = parse_page(Candidate, fixture("candidates"), "candidates")
    assert (page.page, page.limit, page.total, page.has_more) == (1, 100, 2, False)
    applicant, hired = page.records
    assert applicant.status is CandidateStatus.PHONE_SCREENED
    assert applicant.work_status == {WorkStatus.PART_TIME, WorkStatus.ON_CALL}
    assert [(w.weekday, w.start, w.end) for w in applicant.availability] == [
        (Weekday.MO, time(8), time(16)),
        (Weekday.WE, time(8), time(16)),
        (Weekday.SA, time(9), time(13)),
    ]
    assert [skill.name.full for skill in applicant.skills] == ["Dementia care", "Hoyer lift"]
    assert applicant.locations[0].city == "Toronto"
    # GeoJSON order is [longitude, latitude].
    assert applicant.locations[0].geolocation.longitude == pytest.approx(-79.4052)
    assert applicant.date_of_birth == date(1991, 6, 14)
    assert applicant.experience_years == 4.0
    assert hired.hired is True and hired.hired_date == datetime(2026, 10, 1, 13, tzinfo=UTC)
    assert hired.name.middle == "Andres" and hired.is_deleted is False


def test_clients_and_contacts_company_or_person():
    company, person = only("clients")
    assert isinstance(company, Client)
    assert company.type is ContactType.COMPANY and company.display_name == "Lakeshore Community Care"
    assert company.contact.phones[0].extension == "204"
    assert person.type is ContactType.PERSON and person.display_name == "Margaret Ellison"
    son, agency = only("contacts")
    assert isinstance(son, Contact)
    assert son.type is ContactType.PERSON and son.fax == "+1 905 555 0135" and son.company is None
    assert agency.type is ContactType.COMPANY and agency.fax == "+1 416 555 0190"
    assert agency.display_name == "Toronto Central Home and Community Care"


def test_events_are_visits_with_attendees_and_aware_utc_times():
    visit, evening = only("events")
    assert isinstance(visit, Event)
    assert visit.start == datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert visit.group == "5f1a0c0e9d1b2a0012a0g501"
    assert visit.patient.name.display == "Margaret Ellison"
    assert [(a.user, a.name, a.pay_rate) for a in visit.attendees] == [
        ("5f1a0c0e9d1b2a0012a0u102", "Luis Pereira", Decimal("22.5"))
    ]
    assert visit.expectation.amount == Decimal("76.0")
    assert visit.last_updated_user == "5f1a0c0e9d1b2a0012a0u001"
    # An offset is converted: 19:00-05:00 is midnight UTC.
    assert evening.start == datetime(2026, 11, 26, 0, tzinfo=UTC)
    assert evening.duration == 1.5 and evening.location_end.street == "77 Bloor St W"


def test_eventsgroups_carry_their_rrule_fields():
    weekly, monthly, last_friday = only("eventsgroups")
    assert weekly.recurrence.freq is Frequency.WEEKLY
    assert [str(day) for day in weekly.recurrence.byweekday] == ["MO", "WE", "FR"]
    assert weekly.recurrence.until == datetime(2027, 1, 29, 23, 59, 59, tzinfo=UTC)
    assert weekly.events == ("5f1a0c0e9d1b2a0012a0e401", "5f1a0c0e9d1b2a0012a0e403")
    assert (monthly.recurrence.bymonthday, monthly.recurrence.count) == ((1, 15), 12)
    # rrule.js numbers: freq 1 = MONTHLY, weekday 4 = FR, wkst 0 = MO; dtstart date -> local midnight.
    assert last_friday.recurrence.freq is Frequency.MONTHLY
    assert [str(day) for day in last_friday.recurrence.byweekday] == ["-1FR"]
    assert last_friday.recurrence.wkst is Weekday.MO
    assert last_friday.recurrence.dtstart == datetime(2026, 11, 27)


def test_punchcards_actual_against_scheduled_with_pay_and_bill():
    (card,) = only("punchcards")
    assert isinstance(card, Punchcard)
    assert card.event == "5f1a0c0e9d1b2a0012a0e401"
    assert card.scheduled_start == datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert card.actual.start == datetime(2026, 11, 23, 14, 7, tzinfo=UTC)  # seven minutes late
    assert card.actual.end == datetime(2026, 11, 23, 16, 2, tzinfo=UTC)
    assert (card.pay.amount, card.bill.amount) == (Decimal("45.0"), Decimal("76.0"))
    assert card.invoice == "5f1a0c0e9d1b2a0012a0i801" and card.payroll == "5f1a0c0e9d1b2a0012a0y961"


def test_invoice_totals_add_up_exactly():
    (invoice,) = only("invoices")
    assert isinstance(invoice, Invoice)
    assert invoice.billing_period.start == date(2026, 11, 2) and invoice.billing_period.end == date(2026, 11, 15)
    assert invoice.subtotal + invoice.tax_total == invoice.total == Decimal("515.28")
    assert sum(tax.amount for tax in invoice.taxes) == invoice.tax_total
    assert invoice.services[0].quantity * invoice.services[0].bill_rate == invoice.subtotal
    assert invoice.punchcards[0].bill.amount == Decimal("76.0")
    assert invoice.client.name.full == "Lakeshore Community Care"
    assert invoice.closed is False and invoice.amount_paid == 0


def test_payrolls_and_payroll_users():
    (payroll,) = only("payrolls")
    assert isinstance(payroll, Payroll)
    assert (payroll.start, payroll.end, payroll.closed) == (date(2026, 11, 2), date(2026, 11, 15), True)
    (line,) = only("payrollsusers")
    assert isinstance(line, PayrollUser)
    assert line.payroll == payroll.id and line.user.name.nickname == "Lu"
    assert len(line.punchcards) == 2
    assert sum(a.amount for a in line.adjustments) == Decimal("8.4")


def test_patients_with_contacts_and_deleted_dates():
    margaret, harold = only("patients")
    assert isinstance(margaret, Patient)
    assert margaret.account == "5f1a0c0e9d1b2a0012a00001" and margaret.chart_id == "CH-0091"
    assert margaret.contacts[0].relationship == "son" and margaret.contacts[0].phones[0].type == "mobile"
    assert margaret.service_date.start == date(2026, 9, 1) and margaret.service_date.end is None
    assert margaret.billing[0].payment_method == "invoice"
    assert margaret.is_deleted is False
    assert harold.is_deleted is True
    assert harold.deleted_dates[0].reason == "Moved to long-term care"
    assert harold.deleted_dates[0].date == datetime(2026, 10, 31, 21, 15, tzinfo=UTC)


def test_users_notes_files_and_skills():
    luis, kofi = only("users")
    assert isinstance(luis, User)
    assert luis.candidate == "5f1a0c0e9d1b2a0012a0c102" and luis.timezone == "America/Toronto"
    assert luis.start_date == date(2026, 10, 5) and luis.suspended is False
    assert luis.languages[0].language == "Portuguese" and luis.languages[0].primary is True
    assert kofi.deleted is True and kofi.is_deleted is True
    (note,) = only("usersnotes")
    assert isinstance(note, UserNote)
    assert note.user == luis.id and note.last_updated_date == datetime(2026, 11, 10, 14, 35, tzinfo=UTC)
    (progress,) = only("patientsprogressnotes")
    assert isinstance(progress, PatientProgressNote)
    assert progress.private is False and progress.approval["approved"] is True
    (file,) = only("files")
    assert isinstance(file, File) and file.content_type == "application/pdf"
    assert [s.title for s in only("skills")] == ["Dementia care", "Hoyer lift"]
    assert all(isinstance(s, Skill) for s in only("skills"))


def test_messy_page_degrades_per_field_not_per_page():
    page = parse_page(User, fixture("messy_users"), "users")
    assert [w.path for w in page.warnings] == ["[1]"]  # the string record, skipped
    assert (page.page, page.limit, page.total, page.has_more) == (1, 2, 3, True)
    grace, omar = page.records
    assert grace.id == "5f1a0c0e9d1b2a0012a0u201"
    assert grace.created_at == datetime(2026, 1, 1, tzinfo=UTC)  # {"$date": epoch milliseconds}
    assert grace.email == "grace.tan@mail.example"  # `Email`
    assert grace.is_smoker is False  # `is_smoker?`: "no"
    assert grace.has_pets is True and grace.experience_years == 6.5 and grace.suspended is False
    assert grace.date_of_birth is None and grace.last_login_date is None
    assert grace.name.display == "Grace Tan"
    assert grace.phones[0].number == "4165550188"
    assert grace.locations[0].geolocation.latitude == pytest.approx(43.6426)
    assert grace.work_status == {WorkStatus.PART_TIME}
    assert [(w.weekday, w.start, w.end) for w in grace.availability] == [(Weekday.TU, time(9), time(17))]
    assert {(w.path, w.message) for w in grace.warnings} == {
        ("date_of_birth", "not a date"),
        ("last_login_date", "not a datetime"),
        ("work_status", "not one of full_time, part_time, temp, on_call"),
        ("availability[1]", "not a weekday"),
        ("phones[1]", "not a subdocument"),
    }
    # The other record on the page is untouched by Grace's problems.
    assert omar.id == "40213" and omar.warnings == () and omar.deleted_dates == ()
    assert omar.start_date == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"rating": "4"}, 4),
        ({"rating": 4.0}, 4),
        ({"rating": "4.5"}, None),
        ({"rating": True}, None),
        ({"rating": None}, None),
    ],
)
def test_integers_accept_strings_and_refuse_fractions(payload, expected):
    candidate = Candidate.from_payload(payload)
    assert candidate.rating == expected
    assert bool(candidate.warnings) == (payload["rating"] not in (None, "4", 4.0))


def test_money_strings_and_bad_amounts():
    invoice = Invoice.from_payload({"_id": "i", "total": "$1,200.50", "subtotal": "n/a", "tax_total": "NaN"})
    assert invoice.total == Decimal("1200.50")
    assert invoice.subtotal is None and invoice.tax_total is None
    assert sorted(w.path for w in invoice.warnings) == ["subtotal", "tax_total"]


def test_naive_datetimes_stay_naive_and_status_typo_is_understood():
    event = Event.from_payload({"_id": "e", "start": "2026-11-23 09:00:00", "end": "2026-11-23T10:00:00+01:00"})
    assert event.start == datetime(2026, 11, 23, 9) and event.start.tzinfo is None
    assert event.end == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert Candidate.from_payload({"status": "Interviewd"}).status is CandidateStatus.INTERVIEWED
    unknown = Candidate.from_payload({"status": "ghosted"})
    assert unknown.status is None and unknown.warnings[0].path == "status"


def test_nested_warning_paths_name_the_subdocument():
    event = Event.from_payload({"_id": "e", "attendees": [{"_id": "u1", "pay_rate": "lots"}], "location": "downtown"})
    assert {w.path for w in event.warnings} == {"attendees[0].pay_rate", "location"}
    assert event.attendees[0].user == "u1" and event.attendees[0].pay_rate is None and event.location is None


def test_odd_values_that_python_would_choke_on_become_warnings():
    user = User.from_payload(
        {
            "experience": "inf",
            "last_login_date": 10**20,
            "availability": {
                "monday": "08:00-16:00",
                "tuesday": False,
                "wednesday": [{"start": "25:00"}],
                "thursday": {"from": "8:00", "to": 1020},
            },
        }
    )
    assert user.experience_years is None and user.last_login_date is None
    assert [(w.weekday, w.start, w.end) for w in user.availability] == [
        (Weekday.WE, None, None),
        (Weekday.TH, time(8), time(17)),
    ]
    assert {w.path for w in user.warnings} == {
        "experience",
        "last_login_date",
        "availability.monday",
        "availability.wednesday.start",
    }


def test_a_non_object_record_is_refused_outright():
    with pytest.raises(TypeError):
        Event.from_payload(["not", "a", "record"])


def test_page_without_a_list_is_empty_with_a_warning():
    page = parse_page(Event, {"message": "maintenance"})
    assert page.records == () and page.warnings[0].message == "no list of records found"
    assert page.has_more is False


@pytest.mark.parametrize(
    ("body", "status", "message", "code", "fields"),
    [
        (
            {"error": {"code": "unauthorized", "message": "Invalid API key"}},
            401,
            "Invalid API key",
            "unauthorized",
            None,
        ),
        ({"message": "Rate limit exceeded"}, 429, "Rate limit exceeded", None, None),
        ({"error": "Not found"}, 404, "Not found", None, None),
        ({"errors": {"start": "required"}}, 422, "Alaunus answered HTTP 422", None, {"start": ("required",)}),
        ("<html>Bad gateway</html>", 502, "<html>Bad gateway</html>", None, None),
        (None, 500, "Alaunus answered HTTP 500", None, None),
    ],
)
def test_error_bodies_always_yield_a_message(body, status, message, code, fields):
    error = ErrorBody.from_payload(body, status)
    assert (error.message, error.code, error.fields) == (message, code, fields)


def test_a_subdocument_parses_on_its_own():
    location = Location.from_payload({"address": {"street": "88 Harbord St", "zip": "M5S 1G5"}, "geo": {"lat": "1"}})
    assert (location.street, location.postal_code, location.geolocation.latitude) == ("88 Harbord St", "M5S 1G5", 1.0)
