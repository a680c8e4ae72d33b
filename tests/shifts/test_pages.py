"""The shift pages: who may see them, the board's filters and paging, and create/edit/cancel/timecard turning
into outbox rows for the shift's IntelyCare connection (dispatching them is the browser test's business)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.integrations.models import OutboundRequest, VendorConnection
from portal.shifts.localtime import shift_instants
from portal.shifts.models import ShiftRequest, Timecard
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("shifts:board")


@pytest.fixture
def board_day(time_machine):
    """The factories' shifts are on Monday 2 March 2026; the board opens at today, so today is 1 March 12:00 EST."""
    time_machine.move_to(dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def connection():
    return VendorConnection.objects.create(
        vendor="intelycare", name="IntelyCare Boston", base_url="http://127.0.0.1:9/intelycare/", credentials={}
    )


def operations(shift) -> list[str]:
    return list(
        OutboundRequest.objects.filter(object_id=str(shift.pk), natural_key=shift.external_shift_id)
        .order_by("pk")
        .values_list("operation", flat=True)
    )


@pytest.mark.parametrize(
    "url",
    [BOARD, reverse("shifts:create"), reverse("shifts:detail", args=[1]), reverse("shifts:timecard", args=[1])],
)
def test_pages_send_anonymous_users_to_login_and_refuse_api_clients(client, api_client_user, url):
    assert client.get(url).status_code == 302
    client.force_login(api_client_user)
    assert client.get(url).status_code == 403


def test_empty_board_says_what_to_do(coordinator_client, board_day):
    response = coordinator_client.get(BOARD)
    assert response.status_code == 200
    assert "No shifts from today on" in response.text and reverse("shifts:create") in response.text
    assert "Show earlier days" in response.text


def test_board_groups_by_local_day_and_unit_labelled_with_the_zone(coordinator_client, board_day):
    # 23:30 in Los Angeles on 2 March is already 3 March in UTC: it belongs on the 2 March board.
    late = FacilityFactory(name="Pacific Care", time_zone="America/Los_Angeles")
    starts_at, ends_at = shift_instants(dt.date(2026, 3, 2), dt.time(23, 30), dt.time(7, 30), late.time_zone)
    ShiftRequestFactory(facility=late, unit="ICU", starts_at=starts_at, ends_at=ends_at)
    text = coordinator_client.get(BOARD).text
    assert "Monday 2 March 2026" in text and "Tuesday" not in text
    assert "Pacific Care · ICU" in text and "times in America/Los_Angeles" in text
    assert "23:30\u201307:30 PST (next day)" in text  # en dash


def test_filters_come_from_the_url(coordinator_client, board_day):
    filled = ShiftRequestFactory(
        status="filled", assigned_professional=TalentProfileFactory(first_name="Clara"), professional_type="RN"
    )
    open_lpn = ShiftRequestFactory(professional_type="LPN")
    other = ShiftRequestFactory(
        starts_at=filled.starts_at + dt.timedelta(days=3), ends_at=filled.ends_at + dt.timedelta(days=3)
    )

    def shown(**query) -> set[int]:
        context = coordinator_client.get(BOARD, query).context
        return {s.pk for day in context["days"] for group in day["units"] for s in group["shifts"]}

    assert shown(status="filled") == {filled.pk}
    assert shown(status="open", professional_type="LPN") == {open_lpn.pk, other.pk}
    assert shown(facility=other.facility_id) == {other.pk}
    assert shown(date_from="2026-03-04") == {other.pk}
    assert shown(date_to="2026-03-02") == {filled.pk, open_lpn.pk}
    assert shown(status="filled", date_from="not a date") == {filled.pk}, "a bad filter drops only itself"
    response = coordinator_client.get(BOARD, {"status": "cancelled"})
    assert "No shifts match these filters" in response.text


def test_board_pages_without_counting(coordinator_client, board_day, monkeypatch):
    monkeypatch.setattr("portal.shifts.views.PAGE_SIZE", 2)
    for _ in range(3):
        ShiftRequestFactory()
    first = coordinator_client.get(BOARD, {"status": "open"}).context
    assert first["next_page"] == 2 and "status=open" in first["filter_query"]
    second = coordinator_client.get(BOARD, {"status": "open", "page": 2}).context
    assert second["next_page"] is None and sum(len(g["shifts"]) for d in second["days"] for g in d["units"]) == 1


def test_the_htmx_poll_gets_only_the_board_partial(coordinator_client):
    ShiftRequestFactory()
    response = coordinator_client.get(BOARD, {"status": "open"}, headers={"HX-Request": "true"})
    assert 'id="shift-board"' in response.text and "<html" not in response.text
    assert 'hx-get="/shifts/?status=open"' in response.text, "the poll keeps the filters"


def _populate(count: int, connection) -> None:
    facilities = [FacilityFactory(time_zone=zone) for zone in ("America/New_York", "America/Chicago")]
    nurse = TalentProfileFactory()
    for n in range(count):
        facility = facilities[n % 2]
        starts_at, ends_at = shift_instants(dt.date(2026, 3, 2 + n % 7), dt.time(7), dt.time(15), facility.time_zone)
        shift = ShiftRequestFactory(
            facility=facility,
            unit=f"Unit {n % 3}",
            starts_at=starts_at,
            ends_at=ends_at,
            status="filled" if n % 2 else "open",
            assigned_professional=nurse if n % 2 else None,
        )
        OutboundRequest.objects.create(
            connection=connection,
            operation="create_shift",
            natural_key=shift.external_shift_id,
            content_type_id=_shift_type(),
            object_id=str(shift.pk),
            state="failed" if n % 5 == 0 else "sent",
            last_error="bad request",
        )


def _shift_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(ShiftRequest).pk


@pytest.mark.parametrize("count", [5, 200])
def test_board_query_count_does_not_grow_with_shifts(
    coordinator_client, connection, count, django_assert_max_num_queries, board_day
):
    _populate(count, connection)
    coordinator_client.get(BOARD)  # warm the session and content-type caches
    # session, user, roles, the page of shifts, their deliveries, the day counts, the facility filter's choices,
    # the vendor banner and the nav count of changes waiting to reach a vendor
    with django_assert_max_num_queries(9):
        response = coordinator_client.get(BOARD)
    assert response.text.count('data-delivery="failed"') == min(count, 100) // 5 + (1 if min(count, 100) % 5 else 0)
    with django_assert_max_num_queries(8):  # vendor banner + nav count
        coordinator_client.get(BOARD, {"status": "filled"}, headers={"HX-Request": "true"})


def test_create_one_shift_queues_it_for_the_chosen_connection(coordinator_client, connection):
    facility = FacilityFactory(time_zone="America/New_York")
    response = coordinator_client.post(
        reverse("shifts:create"),
        {
            "connection": connection.pk,
            "facility": facility.pk,
            "unit": "2 West",
            "professional_type": "CNA",
            "first_day": "2026-03-02",
            "start_time": "07:00",
            "end_time": "15:00",
            "boost_percentage": 10,
        },
    )
    assert response.status_code == 302 and f"facility={facility.pk}" in response["Location"]
    shift = ShiftRequest.objects.get()
    assert (shift.unit, shift.connection, shift.time_zone) == ("2 West", connection, "America/New_York")
    assert shift.starts_at == dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    assert operations(shift) == ["create_shift"]


def test_create_a_weekday_pattern_makes_one_request_per_shift(coordinator_client, connection):
    facility = FacilityFactory(time_zone="America/New_York")
    coordinator_client.post(
        reverse("shifts:create"),
        {
            "connection": connection.pk,
            "facility": facility.pk,
            "unit": "ICU",
            "professional_type": "RN",
            "first_day": "2026-03-02",
            "last_day": "2026-03-15",
            "weekdays": ["MO", "TU", "WE", "TH", "FR"],
            "start_time": "07:00",
            "end_time": "15:00",
            "boost_percentage": 0,
        },
    )
    assert ShiftRequest.objects.count() == 10
    assert OutboundRequest.objects.filter(operation="create_shift", connection=connection).count() == 10


def test_create_refuses_a_pattern_ending_before_it_starts_and_offers_only_active_connections(
    coordinator_client, connection
):
    VendorConnection.objects.create(
        vendor="intelycare", name="Old IntelyCare", base_url="http://x.test/", is_active=False
    )
    VendorConnection.objects.create(vendor="kamana", name="Kamana CRM", base_url="http://x.test/")
    form = coordinator_client.get(reverse("shifts:create")).context["form"]
    assert [c.name for c in form.fields["connection"].queryset] == ["IntelyCare Boston"]
    response = coordinator_client.post(
        reverse("shifts:create"),
        {
            "facility": FacilityFactory().pk,
            "unit": "ICU",
            "professional_type": "RN",
            "first_day": "2026-03-05",
            "last_day": "2026-03-01",
            "start_time": "07:00",
            "end_time": "15:00",
            "boost_percentage": 0,
        },
    )
    assert response.status_code == 200 and "must end on or after" in response.text
    assert not ShiftRequest.objects.exists()


def test_edit_sends_an_update_only_when_a_sent_field_changes(coordinator_client, connection):
    shift = ShiftRequestFactory(connection=connection)
    url = reverse("shifts:edit", args=[shift.pk])
    form = {
        "unit": "1st Floor",
        "professional_type": "LPN",
        "day": "2026-03-02",
        "start_time": "07:00",
        "end_time": "15:00",
        "boost_percentage": 0,
    }
    coordinator_client.post(url, form)
    assert operations(shift) == [], "nothing changed, nothing sent"
    coordinator_client.post(url, {**form, "start_time": "08:00", "end_time": "16:00"})
    shift.refresh_from_db()
    assert shift.local_starts_at.hour == 8 and shift.duration == dt.timedelta(hours=8)
    assert operations(shift) == ["update_shift"]


def test_cancel_sends_a_delete_and_a_completed_shift_cannot_be_cancelled(coordinator_client, connection):
    shift = ShiftRequestFactory(connection=connection)
    coordinator_client.post(reverse("shifts:cancel", args=[shift.pk]))
    shift.refresh_from_db()
    assert shift.status == "cancelled" and operations(shift) == ["delete_shift"]

    done = ShiftRequestFactory(connection=connection, status="completed", assigned_professional=TalentProfileFactory())
    response = coordinator_client.post(reverse("shifts:cancel", args=[done.pk]), follow=True)
    done.refresh_from_db()
    assert done.status == "completed" and "cannot be cancelled" in response.text and operations(done) == []


def test_detail_shows_a_failed_delivery_with_its_error_and_retry(coordinator_client, connection):
    shift = ShiftRequestFactory(connection=connection)
    row = OutboundRequest.objects.create(
        connection=connection,
        operation="create_shift",
        natural_key=shift.external_shift_id,
        content_type_id=_shift_type(),
        object_id=str(shift.pk),
        state="failed",
        attempts=3,
        last_error="IntelyCare refused shiftUnit: required",
    )
    OutboundRequest.objects.create(
        connection=connection,
        operation="update_shift",
        natural_key=shift.external_shift_id,
        content_type_id=_shift_type(),
        object_id=str(shift.pk),
    )
    text = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).text
    assert "Not sent to IntelyCare Boston: IntelyCare refused shiftUnit: required" in text, "not hidden by the update"
    assert 'data-state="pending"' in text
    coordinator_client.post(reverse("shifts:retry-delivery", args=[shift.pk, row.pk]))
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("pending", 0)
    poll = coordinator_client.get(reverse("shifts:delivery", args=[shift.pk]))
    assert poll.status_code == 200 and 'hx-trigger="every 2s"' in poll.text, "keeps polling while pending"
    OutboundRequest.objects.filter(object_id=str(shift.pk)).update(state="sent")
    assert coordinator_client.get(reverse("shifts:delivery", args=[shift.pk])).status_code == 286


def _completed(connection) -> ShiftRequest:
    return ShiftRequestFactory(connection=connection, status="completed", assigned_professional=TalentProfileFactory())


def test_timecard_validates_check_out_and_break(coordinator_client, connection):
    url = reverse("shifts:timecard", args=[_completed(connection).pk])
    late = coordinator_client.post(
        url, {"check_in": "2026-03-02T15:00", "check_out": "2026-03-02T07:00", "break_minutes": 0}
    )
    assert "Check-out must be after check-in." in late.text
    long_break = coordinator_client.post(
        url, {"check_in": "2026-03-02T07:00", "check_out": "2026-03-02T08:00", "break_minutes": 60}
    )
    assert "The break must be shorter than the time worked." in long_break.text
    assert not Timecard.objects.exists()


def test_timecard_is_sent_then_corrected_and_shows_vendor_errors(coordinator_client, connection):
    shift = _completed(connection)
    url = reverse("shifts:timecard", args=[shift.pk])
    coordinator_client.post(url, {"check_in": "2026-03-02T07:05", "check_out": "2026-03-02T15:10", "break_minutes": 30})
    card = Timecard.objects.get(shift=shift)
    assert card.check_in == dt.datetime(2026, 3, 2, 12, 5, tzinfo=dt.UTC)  # 07:05 EST
    assert card.professional == shift.assigned_professional
    Timecard.objects.filter(pk=card.pk).update(vendor_errors=["checkIn is before the shift start"])
    assert "checkIn is before the shift start" in coordinator_client.get(url).text
    coordinator_client.post(url, {"check_in": "2026-03-02T07:00", "check_out": "2026-03-02T15:00", "break_minutes": 30})
    card.refresh_from_db()
    assert card.vendor_errors == []
    sent = OutboundRequest.objects.filter(natural_key=f"timecard:{shift.external_shift_id}").order_by("pk")
    assert list(sent.values_list("operation", flat=True)) == ["create_timecard", "update_timecard"]


def test_timecards_wait_for_the_shift_to_be_completed(coordinator_client, connection):
    shift = ShiftRequestFactory(connection=connection)
    response = coordinator_client.get(reverse("shifts:timecard", args=[shift.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("shifts:detail", args=[shift.pk])


def test_shifts_without_an_active_intelycare_connection_stay_in_the_portal(coordinator_client, connection):
    local = ShiftRequestFactory()
    connection.is_active = False
    connection.save()
    switched_off = ShiftRequestFactory(connection=connection)
    for shift in (local, switched_off):
        coordinator_client.post(reverse("shifts:cancel", args=[shift.pk]))
    assert ShiftRequest.objects.filter(status="cancelled").count() == 2
    assert not OutboundRequest.objects.exists()
    assert "Not sent to any vendor" in coordinator_client.get(reverse("shifts:detail", args=[local.pk])).text


def test_edit_opens_with_the_shifts_values_and_a_resave_changes_nothing(coordinator_client, connection):
    # Issue 17: FormView always passes `initial`, so the form's own values never took and the page opened blank.
    starts_at, ends_at = shift_instants(dt.date(2026, 3, 2), dt.time(19, 0), dt.time(7, 0), "America/New_York")
    shift = ShiftRequestFactory(
        unit="ICU", professional_type="RN", starts_at=starts_at, ends_at=ends_at, boost_percentage=15
    )
    url = reverse("shifts:edit", args=[shift.pk])
    form = coordinator_client.get(url).context["form"]
    values = {name: form[name].value() for name in form.fields}
    assert values["unit"] == "ICU" and values["professional_type"] == "RN"
    assert values["day"] == dt.date(2026, 3, 2) and values["boost_percentage"] == 15
    assert (values["start_time"], values["end_time"]) == (dt.time(19, 0), dt.time(7, 0))
    coordinator_client.post(url, {name: form[name].value() for name in form.fields})
    shift.refresh_from_db()
    assert (shift.unit, shift.professional_type, shift.starts_at, shift.ends_at) == ("ICU", "RN", starts_at, ends_at)


def test_timecard_opens_with_the_shift_times_and_offers_no_send_for_a_portal_only_shift(coordinator_client):
    starts_at, ends_at = shift_instants(dt.date(2026, 3, 2), dt.time(7, 0), dt.time(15, 0), "America/New_York")
    shift = ShiftRequestFactory(
        status="completed", assigned_professional=TalentProfileFactory(), starts_at=starts_at, ends_at=ends_at
    )
    response = coordinator_client.get(reverse("shifts:timecard", args=[shift.pk]))
    form = response.context["form"]
    assert form["check_in"].value() == "2026-03-02T07:00"  # the facility's clock, not blank
    assert form["check_out"].value() == "2026-03-02T15:00"
    assert response.context["sends_to"] is None
    assert " and send to " not in response.text  # the CSRF token is random text: look for the words, not "send"
    saved = coordinator_client.post(
        reverse("shifts:timecard", args=[shift.pk]),
        {"check_in": "2026-03-02T07:00", "check_out": "2026-03-02T15:00", "break_minutes": 30},
        follow=True,
    )
    assert "Timecard saved in the portal." in saved.text and not OutboundRequest.objects.exists()


def test_cancelling_a_filled_shift_names_the_nurse_and_keeps_the_reason(coordinator_client, connection):
    # Issue 17: one click cancelled a filled shift, with no word that a nurse was booked and no reason kept.
    nurse = TalentProfileFactory(first_name="Clara", last_name="Oswald")
    shift = ShiftRequestFactory(connection=connection, status="filled", assigned_professional=nurse)
    url = reverse("shifts:cancel", args=[shift.pk])
    confirm = coordinator_client.get(url)
    assert confirm.status_code == 200 and "Clara Oswald" in confirm.text and "is booked on this shift" in confirm.text

    refused = coordinator_client.post(url, {"reason": "  "})
    shift.refresh_from_db()
    assert shift.status == "filled" and operations(shift) == []
    assert "Say why: Clara Oswald is booked on this shift." in refused.text

    coordinator_client.post(url, {"reason": "Unit closed for deep cleaning"})
    shift.refresh_from_db()
    assert shift.status == "cancelled" and operations(shift) == ["delete_shift"]
    entry = shift.audit_history().filter(changes__has_key="status").first()
    assert entry.detail == "Cancellation reason: Unit closed for deep cleaning" and entry.actor.username == "casey"
    detail = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).text
    assert "Reason: Unit closed for deep cleaning" in detail


def shift_form(facility, **changes) -> dict:
    values = {"facility": facility.pk, "unit": "2 West", "professional_type": "CNA", "boost_percentage": 0}
    return {**values, "first_day": "2026-03-08", "start_time": "02:30", "end_time": "03:10", **changes}


def test_a_shift_the_spring_night_turns_inside_out_is_refused_with_why_not_a_server_error(coordinator_client):
    # 02:30 on Sunday 8 March does not exist in New York: read as 03:30 it is after the 03:10 end, which the
    # database refused with a 500 before the form said so.
    facility = FacilityFactory(time_zone="America/New_York")
    single = coordinator_client.post(reverse("shifts:create"), shift_form(facility))
    pattern = coordinator_client.post(
        reverse("shifts:create"), shift_form(facility, first_day="2026-03-02", last_day="2026-03-15")
    )
    for response in (single, pattern):
        assert response.status_code == 200
        errors = str(response.context["form"].errors["end_time"])
        assert "02:30 does not exist on Sunday 8 March 2026 in America/New_York" in errors
        assert "this shift would end before it starts" in errors
    assert not ShiftRequest.objects.exists() and not OutboundRequest.objects.exists()

    shift = ShiftRequestFactory(facility=facility, time_zone="America/New_York")
    before = (shift.starts_at, shift.ends_at)
    edit = coordinator_client.post(
        reverse("shifts:edit", args=[shift.pk]),
        {
            "unit": "2 West",
            "professional_type": "CNA",
            "boost_percentage": 0,
            "day": "2026-03-08",
            "start_time": "02:30",
            "end_time": "03:10",
        },
    )
    assert edit.status_code == 200 and "would end before it starts" in str(edit.context["form"].errors["end_time"])
    shift.refresh_from_db()
    assert (shift.starts_at, shift.ends_at) == before
