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
