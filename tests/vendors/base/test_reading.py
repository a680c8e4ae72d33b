"""The shared tolerant reader: what vendors really send is read, what cannot be read costs one field and leaves a
warning, and the vendors' readers still differ only where their payloads do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

import pytest

from vendors.alaunus.schemas.reader import ParseWarning, PayloadReader
from vendors.base.reading import FieldReader
from vendors.ceki.schemas.reading import RecordReader as CekiReader
from vendors.kamana.schemas.reading import RecordReader as KamanaReader


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def read(value: Any) -> FieldReader:
    return FieldReader({"value": value}, "shift")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(140, Decimal(140)), ("140", Decimal(140)), ("3885.13", Decimal("3885.13")), (" 2,450.00 ", Decimal(2450))],
)
def test_decimals_are_read_from_numbers_and_strings(value: Any, expected: Decimal) -> None:
    reader = read(value)
    assert reader.decimal("value") == expected and reader.warnings == []


@pytest.mark.parametrize(("value", "expected"), [(20, 20), ("20", 20), (20.0, 20), ("1,000", 1000), ("-3", -3)])
def test_whole_numbers_are_read_from_numbers_and_strings(value: Any, expected: int) -> None:
    reader = read(value)
    assert reader.integer("value") == expected and reader.warnings == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False), (" Yes ", True), ("no", False)],
)
def test_flags_are_read_from_the_spellings_vendors_send(value: Any, expected: bool) -> None:
    reader = read(value)
    assert reader.flag("value") is expected and reader.warnings == []


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("integer", 1.5, "a whole number"),  # refused, not rounded
        ("integer", True, "a whole number"),
        ("integer", "two", "a whole number"),
        ("decimal", "NaN", "a number"),
        ("decimal", "1,5", "a number"),  # not silently 15
        ("decimal", {"amount": 1}, "a number"),
        ("flag", "maybe", "a boolean"),
        ("flag", 2, "a boolean"),
        ("text", {"first": "Ada"}, "text"),
        ("text", False, "text"),
        ("day", "2023-010-01", "a date"),
        ("moment", "yesterday", "a date-time"),
        ("moment", "0000-00-00 00:00:00", "a date-time"),  # MySQL's zero date
    ],
)
def test_an_unreadable_value_is_null_with_a_warning_naming_field_expectation_and_value(
    kind: str, value: Any, expected: str
) -> None:
    reader = read(value)
    assert getattr(reader, kind)("value") is None
    assert reader.warnings == [f"shift.value: expected {expected}, got {value!r}; read as null"]


@pytest.mark.parametrize("kind", ["integer", "decimal", "flag", "day", "moment"])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_absent_and_blank_values_are_null_without_a_warning(kind: str, value: Any) -> None:
    reader = read(value)
    assert getattr(reader, kind)("value") is None and reader.warnings == []
    assert getattr(FieldReader({}, "shift"), kind)("value") is None


def test_text_keeps_what_was_sent_and_writes_numbers_out() -> None:
    reader = FieldReader({"blank": "", "unit": " ICU ", "floor": 3}, "shift")
    assert (reader.text("blank"), reader.text("unit"), reader.text("floor"), reader.text("absent")) == (
        "",
        " ICU ",
        "3",
        None,
    )
    assert reader.warnings == []


def test_a_predicate_key_is_found_with_or_without_its_question_mark() -> None:
    reader = FieldReader({"do_not_hire?": "true", "asap": "false", "asap?": "true"}, "talent")
    assert reader.flag("do_not_hire") is True
    assert reader.flag("asap") is False, "the key as asked wins over its `?` spelling"
    assert reader.raw("missing", "do_not_hire") == "true", "the first of several keys that is present"


def test_dates_keep_their_own_calendar_day() -> None:
    reader = FieldReader(
        {"born": "1990-05-17", "stamp": "1990-05-17T23:30:00-05:00", "spaced": "1990-05-17 08:00"}, "p"
    )
    assert (reader.day("born"), reader.day("stamp"), reader.day("spaced")) == (date(1990, 5, 17),) * 3


def test_timestamps_with_an_offset_become_utc_and_naive_ones_follow_the_reader() -> None:
    payload = {"zulu": "2023-01-19T18:56:51Z", "offset": "2023-01-19T13:56:51-05:00", "naive": "2023-01-19 18:56:51"}
    reader = FieldReader(payload, "shift")
    utc = datetime(2023, 1, 19, 18, 56, 51, tzinfo=UTC)
    assert reader.moment("zulu") == utc and reader.moment("zulu").tzinfo is UTC
    assert reader.moment("offset") == utc and reader.moment("offset").tzinfo is UTC
    assert reader.moment("naive") == datetime(2023, 1, 19, 18, 56, 51), "a wall clock is not guessed to be UTC"
    assert reader.moment("naive", naive_is_utc=True) == utc


def test_enum_values_are_matched_exactly_unless_a_vendor_says_otherwise() -> None:
    reader = FieldReader({"open": "open", "shouting": "OPEN", "paused": "paused"}, "requisition")
    assert reader.enum(Status, "open") is Status.OPEN
    assert reader.enum(Status, "shouting") is None
    assert reader.enum(Status, "paused") is None
    assert reader.warnings[-1] == "requisition.paused: expected one of open, closed, got 'paused'; read as null"
    assert (
        KamanaReader({"id": 1, "status": "\u201cOpen\u201d"}, "job_requisition").enum(Status, "status") is Status.OPEN
    )


def test_a_bad_date_in_one_record_costs_that_field_only() -> None:
    """A page of records read one reader each: the bad date is null with one warning, every other value stands."""
    page = [
        {"id": "1", "starts_on": "2026-03-02", "weekly_gross_pay": "2,450.00", "asap?": "1"},
        {"id": "2", "starts_on": "2026-13-45", "weekly_gross_pay": "2,450.00", "asap?": "1"},
    ]
    readers = [FieldReader(record, f"data[{n}]") for n, record in enumerate(page)]
    read_back = [(r.text("id"), r.day("starts_on"), r.decimal("weekly_gross_pay"), r.flag("asap")) for r in readers]
    assert read_back == [("1", date(2026, 3, 2), Decimal(2450), True), ("2", None, Decimal(2450), True)]
    assert readers[0].warnings == []
    assert readers[1].warnings == ["data[1].starts_on: expected a date, got '2026-13-45'; read as null"]


class Strict(FieldReader):
    truthy: ClassVar[frozenset[str]] = frozenset({"y"})
    falsy: ClassVar[frozenset[str]] = frozenset({"n"})
    naive_is_utc: ClassVar[bool] = True
    wording: ClassVar[dict[str, str]] = {**FieldReader.wording, "flag": "y or n"}


def test_a_vendor_reader_chooses_its_words_its_zone_and_its_warning_text() -> None:
    reader = Strict({"flag": "yes", "ok": "Y", "at": "2026-03-02T09:00:00"}, "hand")
    assert reader.flag("ok") is True
    assert reader.flag("flag") is None
    assert reader.warnings == ["hand.flag: expected y or n, got 'yes'; read as null"]
    assert reader.moment("at") == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_vendor_readers_keep_their_own_spellings() -> None:
    """Each vendor's reader is the shared one plus its quirks; these are the quirks the shared one must not lose."""
    kamana = KamanaReader({"id": "7", "attributes": {"inserted_at": "2023-01-19T18:56:51"}}, "profile")
    assert kamana.moment("inserted_at") == datetime(2023, 1, 19, 18, 56, 51, tzinfo=UTC), "Ecto's naive UTC"
    assert kamana.record_id() == "7"

    ceki = CekiReader({"user_id": "string", "is_working": "on", "start": "2026-03-02 19:00"}, "hand")
    assert (ceki.integer("user_id"), ceki.flag("is_working")) == (None, True)
    assert ceki.warnings == ["hand.user_id: expected an integer, got 'string'; read as null"]
    assert ceki.moment("start", naive_is_utc=False).tzinfo is None, "an event's wall clock stays naive"

    alaunus = PayloadReader(
        {"_Do-Not-Hire?": "t", "birth": {"$date": 0}, "seen": 1_700_000_000_000, "rate": "$1,200.50"}
    )
    assert alaunus.boolean("do_not_hire") is True
    assert alaunus.date("birth") == date(1970, 1, 1)
    assert alaunus.datetime("seen") == datetime.fromtimestamp(1_700_000_000, tz=UTC)
    assert alaunus.money("rate") == Decimal("1200.50")
    assert alaunus.datetime("unknown", "birth") == datetime(1970, 1, 1, tzinfo=UTC)
    child = alaunus.child("visit", {"end": "soon", "start": "2026-03-02T09:00:00+01:00"})
    assert child.datetime("start") == datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=1)))
    assert child.datetime("end") is None
    assert alaunus.warnings == [ParseWarning("visit.end", "'soon'", "not a datetime")], "the parent keeps the path"
