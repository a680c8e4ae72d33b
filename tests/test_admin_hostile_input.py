"""No 5xx on any input in Django admin, where admins fix records by hand: every change list, add and change page of
every registered model, walked from the admin index over the seeded demo, and hostile values posted into each add
and change form (`tests/support/hostile_walk.py`). Change-list filters and actions, deletion and history pages are
Django's own and left out.
"""

from __future__ import annotations

import re

import pytest

from tests.support.hostile_walk import post_hostile, walk
from tests.support.seeded_demo import seed_demo_with_failed_deliveries

pytestmark = pytest.mark.django_db

# Only the portal's admin pages: not a change list's filters and sorting, logging out, Django's helpers, "view on
# site" redirects, deletions, history, passwords, nor Django's own user and group admins.
SKIPPED = re.compile(r"^/(?!admin/)|^/admin/(logout|jsi18n|r|auth)/|/(delete|history|password)/$|.*\?")


def test_every_admin_page_and_form_answers_hostile_input_without_a_server_error(
    client, portal_admin, nothing_left_queued
):
    seed_demo_with_failed_deliveries()
    portal_admin.is_staff = portal_admin.is_superuser = True
    portal_admin.save()
    client.force_login(portal_admin)
    pages, forms = walk(client, ["/admin/"], SKIPPED, per_shape=1)
    assert len(pages) >= 60 and len(forms) >= 40, f"the walk reached too little: {len(pages)} pages, {len(forms)} forms"
    for form in forms:
        post_hostile(client, form, examples=3)
