"""The CareerBuilder sandbox itself: seeded as asked, its world moves on a tick, addresses travel as one path
segment, and nothing is answered without a token."""

from __future__ import annotations

import httpx
import pytest

from portal.integrations.registry import get_provider
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.careerbuilder.sandbox import CareerBuilderSandbox
from vendors.careerbuilder.sandbox_world import STEPS
from vendors.careerbuilder.schemas import StatusInsert

pytestmark = pytest.mark.django_db


def test_it_is_seeded_with_as_many_valid_statuses_as_asked_at_both_levels(registered):
    sandbox = get_provider("careerbuilder").sandbox()
    sandbox.seed(30)
    assert len(sandbox.world.statuses) == 30
    levels = [s["status_level"] for s in sandbox.world.statuses.values()]
    assert levels.count("candidate") == 10 and levels.count("application") == 20
    for record in sandbox.world.statuses.values():
        StatusInsert.from_payload(record)  # every seeded record satisfies the doc


def test_a_tick_moves_open_applications_one_step_on():
    sandbox = CareerBuilderSandbox(seed=30)
    before = {key: dict(record) for key, record in sandbox.world.statuses.items()}
    sandbox.tick()
    moved = [key for key, record in sandbox.world.statuses.items() if record != before[key]]
    assert 1 <= len(moved) <= 3
    for key in moved:
        old, new = before[key]["status"], sandbox.world.statuses[key]["status"]
        assert STEPS.index(new) == STEPS.index(old) + 1
        assert new != old and sandbox.world.statuses[key]["status_date"] > before[key]["status_date"]


def test_an_address_with_a_plus_is_one_path_segment_and_calls_need_a_token(careerbuilder, vendor, cb_sandbox):
    vendor.world.put(
        {
            "account": "AAAA_1234",
            "candidate_email": "amara+icu@example.org",
            "status": "New",
            "status_date": "2026-11-02T15:30:00Z",
            "status_level": "candidate",
        }
    )
    client = get_provider("careerbuilder").client(careerbuilder)
    assert [s.status for s in client.email_statuses("amara+icu@example.org")] == ["New"]
    assert cb_sandbox.requests[-1][2] == "/corporate/CandidateStatus/AAAA_1234/amara%2Bicu@example.org"

    anonymous = httpx.get(cb_sandbox.vendor_url("careerbuilder") + "/corporate/CandidateStatus/AAAA_1234/a@b.org")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"errors": {"__all__": ["Unauthorized: a valid bearer token is required."]}}


def test_a_requisition_search_is_answered_with_the_docs_bare_array():
    server = SandboxServer([CareerBuilderSandbox(seed=3)], port=free_port()).start()
    try:
        answer = httpx.post(
            server.vendor_url("careerbuilder") + "/corporate/CandidateStatus",
            json={"account": "AAAA_1234", "requisition_id": ["7001"]},
            headers={"Authorization": "Bearer sandbox-token"},
        )
    finally:
        server.stop()
    assert answer.status_code == 200
    assert [(s["requisition_id"], s["status_level"]) for s in answer.json()] == [("7001", "application")]
