"""The audit table checks no foreign key of its content type and keeps no index of it apart from the one that leads
with it (issue 16 item 8): a record's history, a model's entries and the next change of a field are still served
by an index, and deleting a content type still deletes its entries."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.core.audit import next_change
from portal.core.models import AuditEntry
from portal.jobs.models import Profession
from tests.support.pg_tables import foreign_keys, indexed_columns, scanning_whole

pytestmark = pytest.mark.django_db

# Every index of the table, by its columns.
INDEXED = {
    ("id",),  # the primary key
    ("content_type_id", "object_id", "at"),  # a record's history (newest first), a model's entries, next changes
    ("actor_id",),  # a person's entries; emptying them when the person is deleted
    ("at",),  # the admin's list, newest first
}


def test_the_table_has_no_index_or_constraint_of_the_content_type_alone():
    assert indexed_columns("core_auditentry") == INDEXED
    assert foreign_keys("core_auditentry", to="django_content_type") == 0


def test_the_queries_by_content_type_are_served_by_an_index():
    nurse = Profession.objects.create(name="Registered Nurse", abbreviation="RN")
    content_type = ContentType.objects.get_for_model(Profession)
    entries = AuditEntry.objects.filter(content_type=content_type)
    queries = {
        "history": nurse.audit_history(),
        "model's entries": entries,
        "next change": entries.annotate(next_status=next_change("name")),
    }
    assert scanning_whole(queries, "Seq Scan on core_auditentry") == {}


def test_deleting_a_content_type_still_deletes_its_entries():
    gone = ContentType.objects.create(app_label="retired", model="thing")  # not in the cache other tests read
    AuditEntry.objects.create(content_type=gone, object_id="1", action="update", changes={"name": ["a", "b"]})
    gone_pk = gone.pk
    gone.delete()
    assert not AuditEntry.objects.filter(content_type_id=gone_pk).exists()
