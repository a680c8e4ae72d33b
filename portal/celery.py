"""The Celery application. Configuration lives in `portal.settings.celery` (CELERY_* names)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.development")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="tasks")


@signals.worker_init.connect
def refuse_waits_past_the_visibility_timeout(**kwargs) -> None:
    """A worker does not start when a configured wait or time limit reaches the broker's visibility timeout
    (`portal.integrations.checks`): it would run tasks twice. Celery's own Django fix-up runs the system checks
    but ignores their errors, and a signal receiver's exception is only logged, so this one exits."""
    from django.core import checks

    errors = [message for message in checks.run_checks(tags=["celery"]) if message.is_serious()]
    if errors:
        raise SystemExit("Refusing to start:\n" + "\n".join(str(message) for message in errors))
