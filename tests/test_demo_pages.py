"""Issue 17: a 404 in the demo showed Django's debug page with every URL pattern. bin/demo now serves with DEBUG
off: a friendly 404 in the house style, and static files through WhiteNoise from the collected folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.test import Client

from tests.support.processes import ROOT

# What bin/demo runs, rendered by the demo's own settings module in a separate process.
DEMO_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/")
css = client.get("/static/css/portal.css")
print(json.dumps({"debug": settings.DEBUG, "status": missing.status_code, "body": missing.content.decode(),
                  "css": css.status_code, "css_type": css.get("Content-Type", "")}))
"""


def test_bin_demo_turns_debug_off():
    demo = (ROOT / "bin" / "demo").read_text()
    assert re.search(r'^export DEBUG="\$\{DEBUG:-0\}"$', demo, re.MULTILINE)
    assert demo.index("export DEBUG") < demo.index("manage.py collectstatic")


def test_the_demo_answers_a_missing_page_with_the_friendly_404_and_serves_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.development", PORTAL_VAR_DIR=str(tmp_path), DEBUG="0")
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 180, "check": True}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], **run)
    probe = subprocess.run([sys.executable, "-c", DEMO_PROBE], **run)
    answer = json.loads(probe.stdout.strip().splitlines()[-1])
    assert answer["debug"] is False
    assert answer["status"] == 404
    assert "Not found" in answer["body"] and "/static/css/portal.css" in answer["body"], "the house layout"
    for leak in ("Using the URLconf", "urlpatterns", "integrations/", "api/v1/", "Django tried these URL patterns"):
        assert leak not in answer["body"]
    assert answer["css"] == 200 and answer["css_type"].startswith("text/css"), "WhiteNoise serves the collected CSS"


@pytest.mark.django_db
def test_a_signed_in_coordinator_gets_the_friendly_404_with_the_navigation(settings, coordinator):
    settings.DEBUG = False
    client = Client()
    client.force_login(coordinator)
    response = client.get("/shifts/999999/")
    body = response.content.decode()
    assert response.status_code == 404 and 'id="not-found"' in body and 'id="main-nav"' in body
    assert "Traceback" not in body and "No ShiftRequest matches" not in body
