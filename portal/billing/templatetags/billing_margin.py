"""`{% shift_margin shift %}` and `{% engagement_margin engagement %}`: the margin box on the shift and engagement
pages (issue 20). A tag rather than view context, so those pages (of apps below billing, which may not import it)
show money with one line of template."""

from __future__ import annotations

from typing import Any

from django import template

from portal.billing.margins import engagement_margin as margin_of_engagement
from portal.billing.margins import shift_margin as margin_of_shift

__all__ = ["engagement_margin", "shift_margin"]

register = template.Library()


@register.inclusion_tag("billing/htmx/margin.html")
def shift_margin(shift: Any) -> dict[str, Any]:
    return {"margin": margin_of_shift(shift), "subject": "this shift"}


@register.inclusion_tag("billing/htmx/margin.html")
def engagement_margin(engagement: Any) -> dict[str, Any]:
    return {"margin": margin_of_engagement(engagement), "subject": "this engagement's shifts at its facility"}
