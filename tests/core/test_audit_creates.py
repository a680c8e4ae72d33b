"""A sync's create entries name their fields and the run without copying values (issue 16 item 8); the admin
history, the audit entry's own admin page and the timeline show for them exactly what the full copy showed, for a
record created by sync and then changed twice (by the next sync and by a person), on every timeline page."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from portal.core.audit import audit_context, jsonable, record_creates
from portal.core.models import AuditEntry
from portal.integrations.provider import MappedRecord
from portal.integrations.sync import apply_page
from portal.jobs.models import JobRequisition
from portal.talent.models import AccountRelationship
from portal.talent.timeline import build_timeline
from tests.jobs.factories import VendorConnectionFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

CHANGED_AT = dt.datetime(2026, 10, 1, 12, 30, tzinfo=dt.UTC)


def relationship_fields(profile, **changed) -> dict:
    """As Kamana's mapping gives an account relationship (vendors/kamana/mapping.py)."""
    return {
        "profile_id": profile.pk,
        "account_ref": "acct-1",
        "status": "interested",
        "sub_status": "",
        "status_reason": "",
        "status_changed_at": CHANGED_AT,
        "primary_contact_ref": "user-9",
        "primary_contact_email": "lead@example.org",
        "do_not_hire": False,
        "do_not_hire_user_ref": "",
        "source": "Direct",
        **changed,
    }


def synced(connection, model, fields: dict, run: int):
    with audit_context("sync", detail=f"sync run {run}"):
        apply_page(model, connection, [MappedRecord("rel-1", fields)])
    return model.objects.get(connection=connection, external_id="rel-1")


def history(record):
    about = ContentType.objects.get_for_model(record)
    return AuditEntry.objects.filter(content_type=about, object_id=str(record.pk)).order_by("at", "pk")


def shown(record, profile=None) -> dict:
    """Everything a person sees of the record's history."""
    entries = history(record)
    seen = {
        "admin history": str(admin.site._registry[type(record)].audit_trail(record)),
        "entry pages": [admin.site._registry[AuditEntry].changes_shown(entry) for entry in entries],
    }
    if profile is not None:
        seen["timeline"] = build_timeline(profile).entries
        pages, before = [], None
        while True:  # one entry a page: a create entry's next status move is on the page before it
            page = build_timeline(profile, before=before, limit=1)
            pages.append(page.entries)
            if page.next_before is None:
                break
            before = page.next_before
        seen["timeline pages"] = pages
    return seen


def as_full_copy(record, fields: dict) -> None:
    """The create entry as the writer used to store it: every value copied."""
    entry = history(record).get(action="create")
    entry.changes = json.loads(json.dumps({key: [None, value] for key, value in fields.items()}, default=jsonable))
    entry.save(update_fields=["changes"])


def test_a_record_created_by_sync_then_changed_twice_shows_the_same_history():
    connection = VendorConnectionFactory(vendor="kamana", name="Kamana (agency)")
    profile = TalentProfileFactory()
    created = relationship_fields(profile)
    relationship = synced(connection, AccountRelationship, created, run=7)
    entry = history(relationship).get(action="create")
    assert (entry.changes, entry.source, entry.detail) == (dict.fromkeys(created), "sync", "sync run 7")

    synced(connection, AccountRelationship, relationship_fields(profile, status="review", sub_status="Screen"), run=8)
    relationship.refresh_from_db()
    with audit_context("user"):
        relationship.status, relationship.status_reason = "engaged", "Signed"
        relationship.save()
    assert history(relationship).count() == 3

    named_only = shown(relationship, profile)
    as_full_copy(relationship, created)
    assert shown(relationship, profile) == named_only
    assert "interested" in named_only["admin history"] and "Interested" in named_only["timeline"][-1].title


def test_a_value_sent_in_another_form_than_stored_shows_as_stored_as_its_change_entries_show_it():
    """The one difference from a full copy, documented in bench/README.md: Kamana sends 36 hours a week, the row
    stores 36.00; the create entry shows 36.00, which is also what the next change entry calls the old value."""
    connection = VendorConnectionFactory(vendor="kamana", name="Kamana (agency)")
    requisition = synced(connection, JobRequisition, {"name": "ICU nurse", "hours_per_week": 36}, run=1)
    synced(connection, JobRequisition, {"name": "ICU nurse", "hours_per_week": Decimal("40.00")}, run=2)
    trail = str(admin.site._registry[JobRequisition].audit_trail(requisition))
    assert trail.count("&quot;hours_per_week&quot;: [null, &quot;36.00&quot;]") == 1
    assert trail.count("&quot;hours_per_week&quot;: [&quot;36.00&quot;, &quot;40.00&quot;]") == 1


def test_deleting_the_record_writes_its_values_at_creation_into_the_entry(coordinator):
    connection = VendorConnectionFactory(vendor="kamana", name="Kamana (agency)")
    profile = TalentProfileFactory()
    relationship = synced(connection, AccountRelationship, relationship_fields(profile), run=3)
    entries = history(relationship)
    synced(connection, AccountRelationship, relationship_fields(profile, source="Referral"), run=4)
    relationship.refresh_from_db()
    with audit_context("user", user=coordinator):
        relationship.delete()
    create = entries.get(action="create")
    assert create.changes == json.loads(
        json.dumps({key: [None, value] for key, value in relationship_fields(profile).items()}, default=jsonable)
    )


def test_creates_are_one_statement_for_a_page_and_name_the_run(django_assert_max_num_queries):
    with audit_context("sync", detail="sync run 5"), django_assert_max_num_queries(2):
        assert record_creates(AccountRelationship, [(n, {"status": 1, "source": 2}) for n in range(500)]) == 500
    rows = AuditEntry.objects.filter(action="create", detail="sync run 5")
    assert rows.count() == 500 and all(row.changes == {"status": None, "source": None} for row in rows)
