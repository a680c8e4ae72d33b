"""Bodies the portal sends are refused before they leave, with a message per offending payload key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vendors.alaunus.schemas import (
    Event,
    EventDraft,
    EventsGroup,
    EventsGroupDraft,
    PatientProgressNoteDraft,
    PayloadInvalid,
    PunchcardDraft,
    UserNoteDraft,
)
from vendors.alaunus.schemas.drafts import MAX_NOTE_LENGTH, MAX_TITLE_LENGTH

TORONTO = ZoneInfo("America/Toronto")
START = datetime(2026, 11, 23, 9, tzinfo=TORONTO)


def errors_of(draft) -> dict[str, list[str]]:
    with pytest.raises(PayloadInvalid) as caught:
        draft.to_payload()
    return caught.value.errors


def test_a_valid_visit_round_trips_through_the_read_schema():
    draft = EventDraft(
        patient="p1", start=START, end=START + timedelta(hours=2), attendees=("u1", "u2"), service="svc-pca"
    )
    body = draft.to_payload()
    assert body["start"] == "2026-11-23T14:00:00Z" and body["end"] == "2026-11-23T16:00:00Z"
    assert body["duration"] == 2.0 and body["attendees"] == [{"user": "u1"}, {"user": "u2"}]
    assert "notes" not in body and "status" not in body  # unset fields are left out, never blanked
    event = Event.from_payload(body)
    assert (event.start, event.end, event.patient.id) == (START, START + timedelta(hours=2), "p1")
    assert [a.user for a in event.attendees] == ["u1", "u2"] and event.warnings == ()


def test_a_visit_missing_everything_reports_every_field():
    errors = errors_of(EventDraft(patient="", start=None, end=None))
    assert errors == {
        "patient": ["This field is required."],
        "start": ["This field is required."],
        "end": ["This field is required."],
    }


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"end": START}, "end", "Must be after start."),
        ({"end": START + timedelta(hours=25)}, "end", "A visit lasts at most 24 hours."),
        ({"start": datetime(2026, 11, 23, 9)}, "start", "Needs a time zone"),
        ({"attendees": ("u1", "u1")}, "attendees", "The same caregiver is listed twice."),
        ({"attendees": ("u1", " ")}, "attendees[1]", "An attendee needs a user id."),
        ({"notes": "x" * (MAX_NOTE_LENGTH + 1)}, "notes", f"At most {MAX_NOTE_LENGTH} characters"),
    ],
)
def test_visit_rules(changes, key, message):
    fields = {"patient": "p1", "start": START, "end": START + timedelta(hours=1)} | changes
    errors = errors_of(EventDraft(**fields))
    assert list(errors) == [key]
    assert errors[key][0].startswith(message)


def test_a_valid_series_reads_back_as_the_same_rule():
    draft = EventsGroupDraft(freq="weekly", start=START, byweekday=("MO", "WE"), until=START + timedelta(weeks=4))
    body = draft.to_payload()
    assert body["freq"] == "WEEKLY" and body["byweekday"] == ["MO", "WE"] and body["dtstart"] == "2026-11-23"
    rule = EventsGroup.from_payload(body).recurrence
    assert rule.until == datetime(2026, 12, 21, 14, tzinfo=UTC)
    assert [str(day) for day in rule.byweekday] == ["MO", "WE"]


def test_monthly_series_with_ordinal_weekday_is_allowed():
    body = EventsGroupDraft(freq="MONTHLY", start=START, byweekday=("-1FR",), count=6).to_payload()
    assert body["byweekday"] == ["-1FR"] and body["count"] == 6


def test_series_rules_from_rfc_5545():
    errors = errors_of(
        EventsGroupDraft(
            freq="WEEKLY",
            start=START,
            interval=0,
            byweekday=("+1MO", "XX"),
            bymonthday=(0, 15),
            count=5,
            until=START - timedelta(days=1),
            wkst="+1MO",
        )
    )
    assert errors == {
        "interval": ["Between 1 and 366."],
        "until": ["Give count or until, not both (RFC 5545).", "Must not be before start."],
        "byweekday[0]": ["An ordinal weekday needs a MONTHLY or YEARLY rule."],
        "byweekday[1]": ["A weekday: MO to SU, optionally with an ordinal (+1MO, -1FR)."],
        "bymonthday": ["Not allowed with a WEEKLY rule (RFC 5545)."],
        "bymonthday[0]": ["1 to 31, or -31 to -1 counting from the month's end."],
        "wkst": ["One of MO, TU, WE, TH, FR, SA, SU."],
    }


def test_series_needs_a_known_frequency_and_an_aware_start():
    errors = errors_of(EventsGroupDraft(freq="FORTNIGHTLY", start=datetime(2026, 11, 23, 9), count=0))
    assert set(errors) == {"freq", "start", "count"}


def test_punchcard_correction():
    body = PunchcardDraft(
        event="e1", user="u1", actual_start=START, actual_end=START + timedelta(minutes=115)
    ).to_payload()
    assert body == {
        "event": "e1",
        "user": "u1",
        "actual": {"start": "2026-11-23T14:00:00Z", "end": "2026-11-23T15:55:00Z"},
    }
    errors = errors_of(PunchcardDraft(event="e1", user="", actual_start=START, actual_end=START))
    assert errors == {"user": ["This field is required."], "actual.end": ["Must be after the actual start."]}


def test_notes_need_text_within_limits():
    assert UserNoteDraft(user="u1", title="Compliment", note="Thanks from the family").to_payload() == {
        "user": "u1",
        "title": "Compliment",
        "note": "Thanks from the family",
    }
    errors = errors_of(UserNoteDraft(user="u1", title="t" * (MAX_TITLE_LENGTH + 1), note="  "))
    assert set(errors) == {"title", "note"}
    body = PatientProgressNoteDraft(patient="p1", note="Ate breakfast", private=True).to_payload()
    assert body == {"patient": "p1", "note": "Ate breakfast", "private": True}
    assert errors_of(PatientProgressNoteDraft(patient="p1", note="")) == {"note": ["This field is required."]}


def test_the_exception_message_lists_the_fields():
    with pytest.raises(PayloadInvalid, match=r"patient: This field is required\."):
        EventDraft(patient="", start=START, end=START + timedelta(hours=1)).to_payload()
