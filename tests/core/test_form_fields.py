"""A typed time is read on the work's clock: a time the server's or user's zone skips is no error of its own."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from portal.billing.reconciliation_forms import DisputeForm
from portal.core.form_fields import WallClockDateTimeField
from portal.shifts.sourcing_forms import SourcingForm

NEW_YORK_SPRING = "2026-03-08T02:30"  # New York's clocks jump from 02:00 to 03:00 that night


def test_a_time_the_current_zone_skips_is_read_as_typed_where_djangos_field_refuses_it():
    with timezone.override("America/New_York"):
        stock = forms.Form()
        stock.fields["at"] = forms.DateTimeField()
        stock.data, stock.is_bound = {"at": NEW_YORK_SPRING}, True
        assert "at" in stock.errors, "Django's own field reads it in the current zone and refuses it"
        assert WallClockDateTimeField().clean(NEW_YORK_SPRING) == dt.datetime(2026, 3, 8, 2, 30)


def test_a_phoenix_search_and_dispute_at_that_hour_are_read_on_phoenixs_clock():
    with timezone.override("America/New_York"):
        search = SourcingForm(
            data={"starts_at": NEW_YORK_SPRING, "ends_at": "2026-03-08T06:00", "currency": "USD"},
            zone="America/Phoenix",
        )
        assert search.is_valid(), search.errors
        assert search.criteria().starts_at == dt.datetime(2026, 3, 8, 9, 30, tzinfo=dt.UTC)  # Phoenix is UTC-7
        dispute = DisputeForm(
            data={"key": "k", "note": "times", "check_in": NEW_YORK_SPRING, "check_out": "2026-03-08T06:00"}
        )
        assert dispute.is_valid(), dispute.errors
        times = dispute.corrected_times("America/Phoenix")
        assert times["check_in"] == dt.datetime(2026, 3, 8, 9, 30, tzinfo=dt.UTC)
