"""Beat's digest task: thin, safe to run twice (the day is claimed before a mail goes, see digest.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from portal.dashboard.digest import DigestRun, send_due_digests

__all__ = ["send_due_digests_task"]


@shared_task(name="dashboard.send_due_digests")
def send_due_digests_task() -> DigestRun:
    return send_due_digests(timezone.now())
