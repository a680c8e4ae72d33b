"""What a person sees: README command 1 brings the portal up, the coordinator signs in and sees the sections."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading

import pytest

from tests.support.processes import ROOT, free_port


@pytest.mark.browser
def test_coordinator_signs_in_through_the_form(page, live_server, coordinator):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "casey")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_selector("#main-nav")
    assert page.inner_text("h1") == "Today"
    nav = page.inner_text("#main-nav")
    assert "Shifts" in nav and "Approvals" in nav


@pytest.mark.browser
def test_user_without_a_role_is_told_so(page, live_server, make_user):
    make_user("norole")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "norole")
    page.fill("#id_password", "correct horse battery")
    with page.expect_response(lambda response: response.url == f"{live_server.url}/") as landing:
        page.click("button[type=submit]")
    assert landing.value.status == 403
    assert "You do not have access to this page" in page.inner_text("h1")
    assert page.locator("#main-nav a").count() == 0


@pytest.mark.browser
def test_readme_command_one_serves_the_portal(page, tmp_path):
    """Runs bin/demo exactly as the README says, on a private var dir and port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(PORT=str(port), PORTAL_VAR_DIR=str(tmp_path))
    demo = subprocess.Popen(
        [str(ROOT / "bin" / "demo")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    up = threading.Event()

    def read() -> None:
        for line in demo.stdout:
            lines.append(line)
            if "Portal is up at" in line:
                up.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert up.wait(timeout=240), "".join(lines)
        output = "".join(lines)
        password = re.search(r"Coordinator\s+coordinator / (\S+)", output).group(1)
        page.goto(f"http://127.0.0.1:{port}/")
        page.fill("#id_username", "coordinator")
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#main-nav")
        assert "Engagements" in page.inner_text("#main-nav")
        assert page.evaluate("typeof htmx") == "object", "htmx is served from our static files"
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        try:
            demo.wait(timeout=30)
        finally:
            if demo.poll() is None:
                os.killpg(demo.pid, signal.SIGKILL)
