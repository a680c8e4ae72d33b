import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Issue 16: every delivery's INSERT paid a foreign-key check of its connection and 11 indexes. The connection
    loses its constraint and index, vendor and state their own (and their `_like` twins, no query uses LIKE), the
    duplicate pointer its full index; state is indexed with receipt time, and the pointer only where it is set."""

    dependencies = [
        ("integrations", "0010_webhook_event_next_attempt_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhookevent",
            name="connection",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="webhooks",
                to="integrations.vendorconnection",
            ),
        ),
        migrations.AlterField(
            model_name="webhookevent",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="integrations.webhookevent",
            ),
        ),
        migrations.AlterField(
            model_name="webhookevent",
            name="state",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("rejected", "Rejected (bad signature)"),
                    ("malformed", "Malformed"),
                    ("duplicate", "Duplicate"),
                    ("queued", "Queued"),
                    ("processed", "Processed"),
                    ("failed", "Failed"),
                ],
                default="received",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="webhookevent",
            name="vendor",
            field=models.CharField(max_length=32),
        ),
        migrations.AddIndex(
            model_name="webhookevent",
            index=models.Index(fields=["state", "-received_at"], name="integrations_webhook_state"),
        ),
        migrations.AddIndex(
            model_name="webhookevent",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", False)),
                fields=["duplicate_of"],
                name="integrations_webhook_dup_of",
            ),
        ),
    ]
