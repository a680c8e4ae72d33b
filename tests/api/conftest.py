"""API clients authenticated the ways `/api/v1/` allows: a token for the API client or Admin role, or a session."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.core.api.tokens import issue_api_token


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user)[1]}")
    return client


@pytest.fixture
def api(api_client_user) -> APIClient:
    """The integration bot's token: how machines use the API."""
    return token_client(api_client_user)


@pytest.fixture
def session_api(coordinator) -> APIClient:
    """A coordinator signed in in the browser (session authentication)."""
    client = APIClient()
    client.force_login(coordinator)
    return client
