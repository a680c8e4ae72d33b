"""The "Find on <vendor>" search form: prefilled from the shift, visit or requisition, edited by the coordinator,
and refusing first what the vendor's search would refuse (an empty or over-long window, hours backwards, prices
out of order); and the booking form of one slot picked from the results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from portal.core.form_fields import WallClockDateTimeField
from portal.core.timezones import local_to_utc, to_local
from portal.shifts.models import ProfessionalType
from portal.shifts.sourcing import Criteria
from portal.shifts.sourcing_bookings import SlotChoice
from portal.talent.forms import override_reason_field

__all__ = ["BookSlotForm", "SourcingForm"]

MAX_WINDOW_DAYS = 31  # the longest window the channels search (Ceki: a month)
WEEKDAYS = [(0, "Sun"), (1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat")]


class SourcingForm(forms.Form):
    starts_at = WallClockDateTimeField(label="From")
    ends_at = WallClockDateTimeField(label="To")
    days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    hours_from = forms.TimeField(
        label="Hours from", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    hours_to = forms.TimeField(
        label="Hours to", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    profession = forms.ChoiceField(choices=[("", "Any profession"), *ProfessionalType.choices], required=False)
    specialty = forms.CharField(required=False, max_length=100)
    price_from = forms.IntegerField(label="Price from", required=False, min_value=0)
    price_to = forms.IntegerField(label="Price to", required=False, min_value=0)
    currency = forms.CharField(max_length=10, initial="USD")

    def __init__(self, *args: Any, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    @classmethod
    def initial_from(cls, criteria: Criteria) -> dict[str, Any]:
        """The shift's criteria as the form shows them: wall-clock times in the shift's zone."""
        hours = criteria.hours or (None, None)
        return {
            "starts_at": to_local(criteria.starts_at, criteria.time_zone).replace(tzinfo=None),
            "ends_at": to_local(criteria.ends_at, criteria.time_zone).replace(tzinfo=None),
            "days": list(criteria.days),
            "hours_from": hours[0],
            "hours_to": hours[1],
            "profession": criteria.profession,
            "specialty": criteria.specialty,
            "price_from": criteria.price_from,
            "price_to": criteria.price_to,
            "currency": criteria.currency,
        }

    def _utc(self, value: dt.datetime) -> dt.datetime:
        return local_to_utc(value.replace(tzinfo=None), self.zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end:
            if self._utc(end) <= self._utc(start):  # on the clock a start the spring night skips reads an hour on
                self.add_error("ends_at", "The end must be after the start.")
            elif (end - start).days > MAX_WINDOW_DAYS:
                self.add_error("ends_at", f"Search at most {MAX_WINDOW_DAYS} days at a time.")
        hours = (data.get("hours_from"), data.get("hours_to"))
        if (hours[0] is None) != (hours[1] is None):
            self.add_error("hours_to", "Give both hours, or neither.")
        elif hours[0] is not None and hours[1] <= hours[0]:
            self.add_error("hours_to", "The hours must end after they start.")
        low, high = data.get("price_from"), data.get("price_to")
        if low is not None and high is not None and high < low:
            self.add_error("price_to", "The highest price must not be below the lowest.")
        return data

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        hours = (data["hours_from"], data["hours_to"]) if data.get("hours_from") is not None else None
        return Criteria(
            starts_at=self._utc(data["starts_at"]),
            ends_at=self._utc(data["ends_at"]),
            time_zone=self.zone,
            profession=data["profession"],
            specialty=data["specialty"],
            days=tuple(data["days"]),
            hours=hours,
            price_from=data.get("price_from"),
            price_to=data.get("price_to"),
            currency=data["currency"],
        )


class BookSlotForm(forms.Form):
    """The slot a coordinator picked from the results (hidden fields of its row), whether to pay through the
    vendor's payment link, and the reason to go on past the gate's warnings when it asked for one."""

    schedule = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    name = forms.CharField(max_length=200, widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput)
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60, widget=forms.HiddenInput)
    price = forms.DecimalField(required=False, max_digits=10, decimal_places=2, widget=forms.HiddenInput)
    currency = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    with_payment = forms.BooleanField(required=False, label="Pay when booking (the vendor answers with a payment link)")
    override_reason = override_reason_field()

    def clean_start(self) -> dt.datetime:
        start = self.cleaned_data["start"]
        if start.tzinfo is None:
            raise forms.ValidationError("The slot's start must carry its time zone.")
        return start

    def slot(self) -> SlotChoice:
        data = self.cleaned_data
        return SlotChoice(
            person=data["person"],
            schedule=data["schedule"],
            starts_at=data["start"],
            ends_at=data["start"] + dt.timedelta(minutes=data["minutes"]),
            price=data.get("price"),
            currency=data.get("currency") or "",
            with_payment=data["with_payment"],
        )
