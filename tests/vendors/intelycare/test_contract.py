"""IntelyCare keeps the promises every vendor keeps."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from tests.vendors.base.contract import VendorContractTests
from vendors.intelycare.paths import DELETE_SHIFT


class TestIntelyCareContract(VendorContractTests):
    vendor = "intelycare"

    @pytest.fixture
    def connection(self, intelycare):
        return intelycare

    @pytest.fixture
    def server(self, sandbox):
        return sandbox

    def probe(self, client):
        return client.request(DELETE_SHIFT.method, DELETE_SHIFT.path(shift_id="1"))

    def sample_webhook(self):
        return {
            "clientId": 1234,
            "externalShiftId": "2546810",
            "shiftStatus": "Released",
            "statusTimestamp": "2024-01-17T15:01:00",
        }

    def webhook_headers(self, body, connection):
        secret = connection.credentials["webhook_secret"].encode()
        return {"HTTP_X_SIGNATURE_IC": hmac.new(secret, body, hashlib.sha256).hexdigest()}
