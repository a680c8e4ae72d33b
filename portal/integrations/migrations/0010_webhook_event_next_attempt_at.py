from django.db import migrations, models


class Migration(migrations.Migration):
    """A webhook event's retry belongs to its row: a failed attempt sets `next_attempt_at`, the drain claims the
    event once it is due, and beat's sweep finds it if the drain queued for it was lost (issue 16 item 4)."""

    dependencies = [("integrations", "0009_sync_run_progress_and_cancel")]

    operations = [
        migrations.AddField(
            model_name="webhookevent",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True, help_text="When a queued event whose last attempt failed is tried again.", null=True
            ),
        ),
    ]
