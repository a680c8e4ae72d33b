"""Fixtures the whole suite reuses: users in each role, a real Celery worker, a browser on Debian's chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal.core.roles import Role, grant_role
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, sign_in
from tests.support.processes import CeleryWorkerProcess, purge_broker


@pytest.fixture
def make_user(db):
    """`make_user("casey", Role.COORDINATOR)`; password is always 'correct horse battery'."""

    def make(username: str, role: Role | None = None, **fields):
        user = get_user_model().objects.create_user(username=username, password="correct horse battery", **fields)
        if role is not None:
            grant_role(user, role)
        return user

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user("casey", Role.COORDINATOR, first_name="Casey")


@pytest.fixture
def portal_admin(make_user):
    return make_user("avery", Role.ADMIN, first_name="Avery")


@pytest.fixture
def api_client_user(make_user):
    return make_user("integration-bot", Role.API_CLIENT)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on Redis and the test database, shared by the session.

    Tests that use it need committed data: mark them `@pytest.mark.django_db(transaction=True)`.
    """
    purge_broker()
    worker = CeleryWorkerProcess().start()
    SESSION_WORKERS.append(worker)
    yield worker
    SESSION_WORKERS.remove(worker)
    worker.stop()


SESSION_WORKERS: list[CeleryWorkerProcess] = []


@pytest.fixture
def broker_to_ourselves():
    """For tests that run their own workers or beats, or count messages: the session's shared worker (it consumes
    every queue) steps aside meanwhile, so it neither takes their work nor empties their queues."""
    paused = [worker for worker in SESSION_WORKERS if worker.process and worker.process.poll() is None]
    for worker in paused:
        worker.stop()
    yield
    for worker in paused:
        worker.start()


@pytest.fixture
def nothing_left_queued(broker_to_ourselves):
    """For tests whose requests publish tasks about rows their transaction never commits: the shared worker waits,
    and what they published is purged after, so no later test's worker meets it."""
    yield
    purge_broker()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def coordinator_page(page, coordinator, live_server):
    """A browser page already signed in as the coordinator, on the live server."""
    sign_in(page.context, coordinator, live_server.url)
    return page
