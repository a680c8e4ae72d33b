"""`{% sourcing_panel record %}`: a shift's, visit's or requisition's "Find on ..." links and booked specialists
(issue 22), so each detail page includes one line rather than a view mixin (the jobs app cannot import shifts)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.shifts.sourcing_panel import panel_context
from portal.shifts.sourcing_records import sourced_record

register = template.Library()

KIND_OF_MODEL = {"shiftrequest": "shift", "visit": "visit", "jobrequisition": "requisition"}


@register.inclusion_tag("shifts/htmx/sourcing_panel.html")
def sourcing_panel(record: Any) -> dict[str, Any]:
    return panel_context(sourced_record(KIND_OF_MODEL[record._meta.model_name], record))
