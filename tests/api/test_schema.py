"""Schemathesis against `/api/v1/schema/`: every documented operation, with generated input, answers without
a server error and with a body that matches the schema (issue 3's "done when"). Covers every app's endpoints
as they are added; examples stay few so the suite stays fast on a shared two-core machine."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from portal.core.api.tokens import issue_api_token
from tests.jobs.factories import JobRequisitionFactory, PatientFactory
from tests.talent.factories import (
    AccountRelationshipFactory,
    CandidateStatusFactory,
    SkillFactory,
    TalentReferenceFactory,
)

CHECKS = [not_a_server_error, response_schema_conformance]


# Loaded at collection through the WSGI app, so the schema view itself is exercised; it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_test_transaction_open():
    """Django's WSGI handler closes the database connection after each request, which would end the test's
    transaction; Django's own test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(api_client_user) -> str:
    # Rows in the jobs and talent tables, so their responses are checked with real content, not only empty pages.
    JobRequisitionFactory(facility__client__vendor_data={"id": "c-1"})
    PatientFactory()
    SkillFactory()
    TalentReferenceFactory(vendor_data={"id": "t-1", "do_not_hire?": False})
    AccountRelationshipFactory()
    CandidateStatusFactory()
    return issue_api_token(api_client_user)[1]


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, api_token):
    response = case.call(headers={"Authorization": f"Token {api_token}"})
    case.validate_response(response, checks=CHECKS)
