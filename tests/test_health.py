"""`/healthz` tells the truth about the database and the broker."""

from __future__ import annotations

import pytest

from portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthy_when_postgres_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def _healthz_with_broker_down(client, port: int):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    try:
        return client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original


def test_unavailable_when_the_broker_is_unreachable(client, free_tcp_port):
    response = _healthz_with_broker_down(client, free_tcp_port)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert (body["checks"]["broker"]["ok"], body["checks"]["broker"]["error"]) == (False, "unavailable")
    assert str(free_tcp_port) not in response.content.decode(), "a stranger learns what failed, not where"
    assert body["checks"]["database"]["ok"] is True


def test_an_admin_signed_in_reads_why_a_check_failed(client, portal_admin, free_tcp_port):
    client.force_login(portal_admin)
    body = _healthz_with_broker_down(client, free_tcp_port).json()
    assert body["checks"]["broker"]["error"] not in ("", "unavailable")


def test_a_coordinator_does_not(client, coordinator, free_tcp_port):
    client.force_login(coordinator)
    assert _healthz_with_broker_down(client, free_tcp_port).json()["checks"]["broker"]["error"] == "unavailable"


@pytest.fixture
def free_tcp_port():
    from tests.support.processes import free_port

    return free_port()


def test_ready_when_database_is_migrated_and_broker_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "broker", "cache", "migrations"}


def test_not_ready_while_the_broker_is_unreachable(client, free_tcp_port):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_tcp_port}/0"
    try:
        response = client.get("/readyz")
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_not_ready_before_the_release_is_migrated(client, portal_admin, monkeypatch):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    from portal.core import health

    monkeypatch.setattr(health, "_migrated", False)
    # The schema as an older release left it: this code's newest core migration is not applied yet.
    (newest,) = MigrationLoader(connection).graph.leaf_nodes("core")
    MigrationRecorder(connection).record_unapplied(*newest)
    assert client.get("/readyz").json()["checks"]["migrations"]["error"] == "unavailable"
    client.force_login(portal_admin)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "not applied" in response.json()["checks"]["migrations"]["error"]
