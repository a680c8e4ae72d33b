"""CareerBuilder keeps the promises every vendor keeps, with a fixed bearer token and with client credentials."""

from __future__ import annotations

import pytest

from tests.vendors.base.contract import VendorContractTests


class TestCareerBuilderContract(VendorContractTests):
    vendor = "careerbuilder"

    @pytest.fixture
    def connection(self, careerbuilder):
        return careerbuilder

    @pytest.fixture
    def server(self, cb_sandbox):
        return cb_sandbox

    def probe(self, client):
        return client.email_statuses("amara.okafor@example.org")

    @pytest.mark.skip(reason="CareerBuilder sends no webhooks (the doc describes none): statuses are pulled")
    def test_a_webhook_is_stored_once_and_a_forged_one_refused(self):
        """Not applicable."""


class TestCareerBuilderClientCredentialsContract(TestCareerBuilderContract):
    @pytest.fixture
    def connection(self, careerbuilder_oauth):
        return careerbuilder_oauth

    @pytest.mark.django_db
    def test_a_429_is_retried_after_its_retry_after(self, connection, server):
        """Here the first request is the token's: a rate-limited token request is waited out like any call."""
        server.add_fault("429", count=1, vendor=self.vendor)
        self.call(connection)
        assert [(r[1], r[2], r[3]) for r in server.requests] == [
            ("POST", "/oauth/token", 429),
            ("POST", "/oauth/token", 200),
            ("GET", "/corporate/CandidateStatus/AAAA_1234/amara.okafor@example.org", 200),
        ]
