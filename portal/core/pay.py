"""Pay package checks shared by the requisition and engagement forms (issue 17: a -5.00 USD/h rate was saved).

Amounts are never negative. Weekly gross is the vendor's own figure (Kamana's doc does not say how it is made; its
examples differ from rate x hours), so the forms do not refuse a gross that differs: they say how it compares with
the hourly rate x hours per week, and with that plus the weekly stipends, and warn when it matches neither.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator

from portal.core.templatetags.portal_format import hours as hours_text
from portal.core.templatetags.portal_format import money

__all__ = ["GROSS_HELP", "PAY_AMOUNTS", "gross_pay_note", "refuse_negative_amounts"]

PAY_AMOUNTS = (
    "regular_hourly_rate",
    "weekly_gross_pay",
    "weekly_housing_stipend",
    "weekly_per_diem",
    "travel_reimbursement",
)
TIMES = "\u00d7"  # the multiplication sign people read in "rate x hours"
GROSS_HELP = f"Usually the hourly rate {TIMES} hours per week; some packages add the weekly stipends on top."
# A gross within this share of a computed figure counts as that figure (vendors round their packages).
TOLERANCE = Decimal("0.005")


def refuse_negative_amounts(form: forms.BaseForm, names: tuple[str, ...] = PAY_AMOUNTS) -> None:
    """Give each pay amount of `form` a floor of 0, with a message that says so (and `min` for the browser)."""
    for name in names:
        if field := form.fields.get(name):
            field.validators.append(MinValueValidator(0, message="A pay amount cannot be negative; enter 0 or more."))
            field.widget.attrs["min"] = "0"


def _close(value: Decimal, target: Decimal) -> bool:
    return abs(value - target) <= max(Decimal("0.01"), abs(target) * TOLERANCE)


def gross_pay_note(
    *,
    rate: Decimal | None,
    hours: Decimal | int | None,
    gross: Decimal | None,
    stipends: tuple[Decimal | None, ...] = (),
    currency: str = "",
) -> tuple[str, bool]:
    """(How gross compares with rate x hours per week, whether to warn); ("", False) when a figure is missing."""
    if rate is None or hours is None or gross is None:
        return "", False
    hourly = (Decimal(rate) * Decimal(hours)).quantize(Decimal("0.01"))
    made = f"{money(rate, currency)}/h {TIMES} {hours_text(hours)} = {money(hourly, currency)}"
    with_stipends = hourly + sum((Decimal(s) for s in stipends if s is not None), Decimal(0))
    if _close(Decimal(gross), hourly):
        return f"Weekly gross matches rate {TIMES} hours: {made}.", False
    if with_stipends != hourly and _close(Decimal(gross), with_stipends):
        return f"Weekly gross is rate {TIMES} hours ({made}) plus the weekly stipends.", False
    side = "more" if gross > hourly else "less"
    difference = money(abs(Decimal(gross) - hourly), currency)
    note = f"Weekly gross {money(gross, currency)} is {difference} {side} than rate {TIMES} hours ({made})"
    if with_stipends != hourly:
        note += f", and is not that plus the weekly stipends ({money(with_stipends, currency)}) either"
    return f"{note}. Check the rate, the hours per week or the gross.", True
