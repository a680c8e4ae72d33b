"""An index for the engagements page's order (newest start first, undated last, then id), walked by its keyset
cursor. PostgreSQL only: SQLite (the embedded demo) refuses NULLS LAST in an index, and its tables stay small."""

from django.db import migrations

INDEX = "engagement_list_order"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("contracts", "Engagement")._meta.db_table)
        schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} (starts_on DESC NULLS LAST, id DESC)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
