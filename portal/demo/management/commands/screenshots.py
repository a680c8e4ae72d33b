"""`manage.py screenshots --base-url URL [--out docs/screenshots] [--user admin]`: pictures of the main pages.

Opens a running portal (README command 1, or a test's live server) in Debian's chromium through Playwright,
signed in as `--user` without a password (a session made in this database), and writes a JPEG of the viewport
of each main page at desktop (1280x900) and phone (390x844) width. The README shows the main ones; CI runs the
command into a temporary folder. Playwright is a test dependency: `pip install -e '.[test]'`.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from portal.talent.models import TalentProfile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {  # file name -> URL name, and what to scroll to the top (the part of the page that tells its story)
    "today": ("home", None),
    "calendar": ("dashboard:calendar", None),
    "shift-board": ("shifts:board", None),
    "visits-week": ("shifts:visits", None),
    "talent-timeline": ("talent:timeline", "#timeline-filters"),  # of the person most vendors know
    "approvals": ("billing:approvals", None),
    "requisitions": ("jobs:requisitions", None),
    "engagements": ("contracts:engagements", None),
    "integrations": ("integrations:overview", None),
}
JPEG_QUALITY = 60


def screenshot_names() -> list[str]:
    """Every file the command writes, in order."""
    return [f"{page}-{viewport}.jpg" for page in PAGES for viewport in VIEWPORTS]


class Command(BaseCommand):
    help = "Write screenshots of the main pages at desktop and phone width (chromium via Playwright)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="The running portal.")
        parser.add_argument("--out", default="docs/screenshots", help="Folder for the JPEG files.")
        parser.add_argument("--user", default="admin", help="Signed in as (Admin sees every page).")

    def handle(self, *args, base_url: str, out: str, user: str, **options) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise CommandError("Playwright is not installed: pip install -e '.[test]'") from None
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user {user!r}; `manage.py bootstrap_demo` creates the demo's admin.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {name: (_path(url_name), anchor) for name, (url_name, anchor) in PAGES.items()}
        client = Client()
        client.force_login(account)
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for viewport, (width, height) in VIEWPORTS.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.add_cookies([{**cookie, "url": base_url}])
                    page = context.new_page()
                    for name, (path, anchor) in paths.items():
                        response = page.goto(base_url.rstrip("/") + path, wait_until="load")
                        if response is None or response.status >= 400:
                            raise CommandError(f"{path} answered {response.status if response else 'nothing'}")
                        if anchor:
                            page.eval_on_selector(anchor, "element => element.scrollIntoView()")
                        target = folder / f"{name}-{viewport}.jpg"
                        page.screenshot(path=str(target), type="jpeg", quality=JPEG_QUALITY)
                        self.stdout.write(f"  {target} ({target.stat().st_size // 1024} KB)")
                    context.close()
            finally:
                browser.close()


def _path(url_name: str) -> str:
    if url_name != "talent:timeline":
        return reverse(url_name)
    # The person known to the most connections (the demo's cast).
    profile = TalentProfile.objects.annotate(known=Count("references")).order_by("-known", "pk").first()
    if profile is None:
        raise CommandError("No talent yet: run `manage.py seed_demo` (README command 1 does).")
    return reverse(url_name, args=[profile.pk])
