"""CareerBuilder's field errors and its token service's OAuth `error` reach the message (issue 14 item 5)."""

from __future__ import annotations

import pytest

from portal.integrations.errors import AuthError, ValidationFailed
from portal.integrations.registry import get_provider
from vendors.careerbuilder.paths import INSERT_STATUS

pytestmark = pytest.mark.django_db

EMAIL = "casey.nurse@example.com"


def test_the_token_service_says_invalid_client(careerbuilder_oauth):
    careerbuilder_oauth.credentials = {**careerbuilder_oauth.credentials, "client_secret": "guessed"}
    careerbuilder_oauth.save()
    with pytest.raises(AuthError) as refused:
        get_provider("careerbuilder").client(careerbuilder_oauth).email_statuses(EMAIL)
    assert refused.value.message == (
        "CareerBuilder's token service refused the connection's credentials (HTTP 401): invalid_client"
    )


def test_field_errors_are_named_with_their_messages(careerbuilder):
    with pytest.raises(ValidationFailed) as refused:
        get_provider("careerbuilder").client(careerbuilder).request(
            INSERT_STATUS.method, INSERT_STATUS.path(), json={"account": "A" * 21}
        )
    assert "account: Ensure this value has at most 20 characters (it has 21)." in refused.value.message
    assert refused.value.message.startswith("CareerBuilder refused the data: ")
