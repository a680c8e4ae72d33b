"""Log lines carry UTC stamps although Django sets the process zone to TIME_ZONE (issue 17: New York stamps on a
UTC machine); production writes JSON lines naming the request, and the task a request queued (issue 21)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import re
import time

import httpx
import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from tests.support.processes import CeleryWorkerProcess, WebProcess, wait_until
from tests.test_settings_modes import run_manage
from tests.vendors.kamana import conftest as kamana_fixtures

registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)


def test_log_lines_are_stamped_in_utc_whatever_the_process_zone():
    assert time.localtime().tm_gmtoff != 0  # Django runs this process in the portal's zone (New York)
    formatter = logging.config.DictConfigurator({}).configure_formatter(settings.LOGGING["formatters"]["plain"])
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello", None, None)
    record.created = dt.datetime(2026, 7, 1, 12, 0, 5, 250_000, tzinfo=dt.UTC).timestamp()
    record.msecs = 250
    assert formatter.format(record).startswith("2026-07-01T12:00:05.250Z INFO portal hello")


def as_json(record: logging.LogRecord) -> dict:
    formatter = logging.config.DictConfigurator({}).configure_formatter(settings.LOGGING["formatters"]["json"])
    return json.loads(formatter.format(record))


@pytest.mark.django_db
def test_a_request_is_named_by_the_incoming_request_id_and_its_log_lines_carry_it(coordinator_client, caplog):
    response = coordinator_client.get("/no-such-page", HTTP_X_REQUEST_ID="lb-7f3a.2")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a.2"
    [line] = [as_json(r) for r in caplog.records if r.getMessage() == "Not Found: /no-such-page"]
    assert line["request_id"] == "lb-7f3a.2" and line["task_id"] == ""
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


@pytest.mark.django_db
def test_a_request_without_a_sane_id_gets_a_new_one(coordinator_client):
    fresh = coordinator_client.get("/healthz")["X-Request-ID"]
    replaced = coordinator_client.get("/healthz", HTTP_X_REQUEST_ID="<script>" + "x" * 200)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh) and re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert fresh != replaced


def test_production_writes_json_lines_in_utc():
    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('portal.check').warning('shift %s filled', 'S-1', extra={'vendor': 'k'})",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="k" * 50,
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(text) for text in result.stderr.splitlines() if '"portal.check"' in text]
    assert line["message"] == "shift S-1 filled" and line["vendor"] == "k" and line["level"] == "WARNING"
    assert line["time"].endswith("Z")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_logs_the_id_of_the_request_that_queued_it(client, portal_admin, kamana, broker_to_ourselves):
    worker = CeleryWorkerProcess(queues=("sync",), extra_env={"LOG_FORMAT": "json"}).start()
    try:
        client.force_login(portal_admin)
        response = client.post(
            f"/integrations/connections/{kamana.pk}/sync/", {"resource": "professions"}, HTTP_X_REQUEST_ID="req-sync-1"
        )
        assert response.status_code == 302

        def finished() -> list[dict]:
            lines = [json.loads(text) for text in worker.log().splitlines() if text.startswith("{")]
            return [line for line in lines if "integrations.sync_resource" in line["message"] and line["task_id"]]

        [line] = wait_until(finished, timeout=60, message="the sync task's log line")
    finally:
        worker.stop()
    assert line["request_id"] == "req-sync-1"
    assert f"[{line['task_id']}] succeeded" in line["message"]
    assert line["time"].endswith("Z")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_gunicorn_as_deployed_writes_only_json_lines():
    web = WebProcess(extra_env={"LOG_FORMAT": "json"}, extra_args=("--config", "deploy/gunicorn.conf.py")).start()
    try:
        response = httpx.get(f"{web.url}/no-such-page", headers={"X-Request-ID": "probe-42"})
        assert response.status_code == 404
    finally:
        web.stop()
    lines = [json.loads(text) for text in web.log().splitlines() if text.strip()]
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= {line["logger"] for line in lines}
    assert all(line["time"].endswith("Z") for line in lines)
    [access] = [line for line in lines if line["logger"] == "gunicorn.access" and "/no-such-page" in line["message"]]
    assert " 404 " in access["message"]
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["request_id"] == "probe-42"
