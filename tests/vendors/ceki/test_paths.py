"""Ceki paths: one module holds them all, each unique, filled in safely, and listed in the package README."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendors.ceki import paths

README = Path(paths.__file__).with_name("README.md").read_text()


def test_every_endpoint_is_unique_and_under_api():
    routes = [(endpoint.method, endpoint.template) for endpoint in paths.ENDPOINTS]

    assert len(routes) == len(set(routes))
    assert all(template.startswith("/api/") for _, template in routes)
    assert {method for method, _ in routes} <= {"GET", "POST", "PUT", "DELETE"}


def test_only_the_otp_login_and_the_agent_paths_named_in_the_prose_come_from_the_doc():
    documented = {endpoint.template for endpoint in paths.ENDPOINTS if endpoint.documented}

    assert documented == {
        "/api/loginrequest",
        "/api/login",
        "/api/agent/register",
        "/api/agent/verify-email",
        "/api/agent/search/specialists",
        "/api/agent/user/{id}",
        "/api/agent/wallet",
        "/api/agent/wallet/usage",
        "/api/agent/wallet/transactions",
    }


def test_paths_fill_in_ids_and_refuse_missing_or_empty_ones():
    assert paths.TRANSACTIONS_PAY.path(contract=31) == "/api/contracts/31/transactions/pay"
    assert paths.CONTRACT_EVENT_DETACH_SCHEDULE.path(contract=1, event=2, export=3) == (
        "/api/contracts/1/events/2/exports/3"
    )
    assert paths.EVENT_CHARGE_CREATE.path(event="a/b") == "/api/events/a%2Fb/charges"

    with pytest.raises(TypeError, match="takes"):
        paths.BILL_PAY.path(contract=1)
    with pytest.raises(ValueError, match="must be a Ceki id"):
        paths.BILL_PAY.path(contract=1, bill=0)
    with pytest.raises(ValueError, match="must be a Ceki id"):
        paths.CONTRACT_SHOW.path(contract=True)


def test_the_readme_lists_every_endpoint():
    missing = [
        f"{endpoint.method} {endpoint.template}"
        for endpoint in paths.ENDPOINTS
        if f"`{endpoint.method} {endpoint.template}`" not in README
    ]

    assert missing == []
