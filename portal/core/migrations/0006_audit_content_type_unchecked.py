import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Issue 16: each audit entry paid a foreign-key check of its content type at commit and entered an index that
    the (content_type, object_id, -at) index already leads with; a sync writes one entry a record."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_heartbeat_per_queue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="content_type",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="contenttypes.contenttype",
            ),
        ),
    ]
