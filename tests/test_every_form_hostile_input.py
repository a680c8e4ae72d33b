"""No 5xx on any input, for every page and form a signed-in admin can reach (the brief's property).

The test seeds the demo, and a failed delivery on a record of each kind so that retry buttons show. It walks the
portal's pages from the home page and a few pages whose links show only for a record in a given state, the way a
browser would (links, and the forms and HTMX posts each page carries), then posts hostile values into every form
it found: values the page offered, blanks, wrong types, huge numbers, impossible dates, times the spring night
skips, markup, NUL bytes. Filtered pages get hostile values in their query the same way. Every answer must be
below 500. Each post runs in a savepoint rolled back after it, so every example starts from the same seeded data.
The vendors' addresses refuse connections, so a form that calls a vendor meets an outage. The examples are
derandomized so that CI is repeatable; a wider search is a local run with `max_examples` raised (100 a form found
nothing more).
"""

from __future__ import annotations

import re

import pytest

from portal.shifts.models import ShiftRequest, Timecard
from tests.support.hostile_walk import get_hostile, post_hostile, shape, walk
from tests.support.seeded_demo import seed_demo_with_failed_deliveries

pytestmark = pytest.mark.django_db

# Not the portal's HTML pages, or not undoable: the admin has its own walk, the API and webhooks their own tests.
SKIPPED = re.compile(r"^/(admin|api|webhooks|static|media|accounts/logout|logout|health|metrics)\b")


def _roots(failed_pages: list[str]) -> list[str]:
    """Home, and pages whose links show only for a record in a given state (a few of each shape are walked, which
    may all be in another state): a completed shift, a portal shift still open, a visit with its punchcard, and
    records with a failed delivery."""
    completed = ShiftRequest.objects.filter(status="completed").first()
    open_here = ShiftRequest.objects.filter(status="open", connection=None).first()
    punched = Timecard.objects.exclude(visit=None).first()
    return [
        "/",
        "/talent/duplicates/",
        *([f"/shifts/{completed.pk}/"] if completed else []),
        *([f"/shifts/{open_here.pk}/"] if open_here else []),
        *([f"/shifts/visits/{punched.visit_id}/"] if punched else []),
        *failed_pages,
    ]


def test_every_page_and_form_answers_hostile_input_without_a_server_error(client, portal_admin, nothing_left_queued):
    failed_pages = seed_demo_with_failed_deliveries()
    client.force_login(portal_admin)
    pages, forms = walk(client, _roots(failed_pages), SKIPPED)
    assert len(pages) >= 40 and len(forms) >= 25, f"the walk reached too little: {len(pages)} pages, {len(forms)} forms"

    for form in forms:
        post_hostile(client, form)
    filtered = {shape(url): url for url in pages if "?" in url}
    assert len(filtered) >= 10, "the walk found too few filtered pages"
    for url in filtered.values():
        get_hostile(client, url)
