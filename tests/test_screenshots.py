"""`manage.py screenshots` runs in CI (issue 17, item 11): every main page at desktop and phone width, written
as a JPEG that chromium itself decodes at the viewport's size."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connections

from portal.demo.management.commands.screenshots import VIEWPORTS, screenshot_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_command_writes_a_real_image_of_every_main_page_at_both_widths(tmp_path, live_server, portal_admin, page):
    call_command("seed_demo", "--scale", "1", stdout=io.StringIO())
    # Its own thread, as a command runs in its own process: Playwright's sync API refuses a thread whose event
    # loop is already running (this test's `page`, or the suite's shared browser).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(screenshots, live_server.url, tmp_path, portal_admin.username).result(timeout=300)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(screenshot_names())
    assert len(screenshot_names()) == 18
    for name in screenshot_names():
        data = (tmp_path / name).read_bytes()
        assert len(data) > 8_000, f"{name} is too small to show a page"
        encoded = base64.b64encode(data).decode()
        page.set_content(f'<img id="shot" src="data:image/jpeg;base64,{encoded}">')
        size = page.evaluate(
            "() => { const i = document.getElementById('shot'); return [i.naturalWidth, i.naturalHeight] }"
        )
        assert tuple(size) == VIEWPORTS[name.removesuffix(".jpg").rsplit("-", 1)[1]], name


def screenshots(base_url: str, out, username: str) -> None:
    try:
        call_command("screenshots", base_url=base_url, out=str(out), user=username, stdout=io.StringIO())
    finally:
        connections.close_all()  # this thread's connection, so the test database can be dropped
