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


def test_unavailable_when_the_broker_is_unreachable(client, free_tcp_port):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_tcp_port}/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True


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


def test_not_ready_before_the_release_is_migrated(client, monkeypatch):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from portal.core import health

    monkeypatch.setattr(health, "_migrated", False)
    # The schema as an older release left it: this code's newest core migration is not applied yet.
    MigrationRecorder(connection).record_unapplied("core", "0005_heartbeat_per_queue")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "not applied" in response.json()["checks"]["migrations"]["error"]
