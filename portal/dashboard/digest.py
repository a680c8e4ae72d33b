"""The daily digest (issue 18 item 5): Today's attention list by e-mail, at 07:00 in each coordinator's zone.

Beat runs `send_due_digests` every few minutes. A coordinator is due once their local clock has passed 07:00 and
they have not had that local day's digest. The day is claimed first, by one conditional UPDATE, and the mail
sent after: two beats, or a task delivered twice, cannot both claim it, so nobody gets two. A send that fails
releases the claim for the next run; a worker killed between claim and send loses that day's mail (at most once
is the promise: a digest is a reminder, a duplicate is noise).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from portal.core.roles import Role
from portal.core.timezones import agency_zone, zone_named
from portal.dashboard.figures import TodayFigures, today_figures
from portal.dashboard.models import CoordinatorPreferences
from portal.dashboard.signing import unsubscribe_token

__all__ = ["DIGEST_AT", "DigestRun", "due_preferences", "send_due_digests"]

logger = logging.getLogger(__name__)

DIGEST_AT = dt.time(7)


class DigestRun(TypedDict):
    sent: int
    failed: int


def due_preferences(now: dt.datetime) -> list[tuple[CoordinatorPreferences, ZoneInfo, dt.date]]:
    """Opted-in coordinators (or admins) with an address whose local 07:00 has passed and whose day's digest is
    not yet claimed. One query; the zone arithmetic is per row, since each may read a different clock."""
    roles = Group.objects.filter(name__in=[Role.COORDINATOR.value, Role.ADMIN.value])
    rows = (
        CoordinatorPreferences.objects.filter(digest_opt_in=True, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(user__groups__in=roles) | Q(user__is_superuser=True))
        .select_related("user")
        .distinct()
    )
    due = []
    for preferences in rows:
        zone = zone_named(preferences.time_zone) or agency_zone()
        local = now.astimezone(zone)
        if local.time() >= DIGEST_AT and (
            preferences.digest_sent_on is None or preferences.digest_sent_on < local.date()
        ):
            due.append((preferences, zone, local.date()))
    return due


def send_due_digests(now: dt.datetime) -> DigestRun:
    run = DigestRun(sent=0, failed=0)
    figures_by_zone: dict[str, TodayFigures] = {}
    for preferences, zone, day in due_preferences(now):
        if not _claim(preferences, day):
            continue  # another run took it
        figures = figures_by_zone.get(str(zone)) or figures_by_zone.setdefault(str(zone), today_figures(zone, now))
        try:
            _message(preferences, figures).send()
        except Exception:
            logger.exception("Daily digest to user %s not sent; the next run tries again", preferences.user_id)
            CoordinatorPreferences.objects.filter(pk=preferences.pk, digest_sent_on=day).update(
                digest_sent_on=preferences.digest_sent_on
            )
            run["failed"] += 1
        else:
            run["sent"] += 1
    return run


def _claim(preferences: CoordinatorPreferences, day: dt.date) -> bool:
    unclaimed = Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=day)
    return bool(CoordinatorPreferences.objects.filter(unclaimed, pk=preferences.pk).update(digest_sent_on=day))


def _message(preferences: CoordinatorPreferences, figures: TodayFigures) -> EmailMultiAlternatives:
    base = settings.PORTAL_BASE_URL.rstrip("/")
    unsubscribe_url = base + reverse("dashboard:unsubscribe", args=[unsubscribe_token(preferences.user)])
    context = {"figures": figures, "base": base, "user": preferences.user, "unsubscribe_url": unsubscribe_url}
    subject = (
        f"Today, {figures.today:%a %d %b}: {figures.open_shifts.value} open shifts within 48 h, "
        f"{figures.urgent_shifts.value} urgent, {figures.approvals_waiting} approvals waiting"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("dashboard/email/digest.txt", context),
        to=[preferences.user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("dashboard/email/digest.html", context), "text/html")
    return message
