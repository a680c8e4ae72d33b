"""The exports over REST: JSON pages that walk every row, `?format=csv`, refused ranges, tokens and roles, queries
flat in the rows, and the three endpoints in the OpenAPI schema."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from rest_framework.test import APIClient

from portal.billing.exports import ExportRange, payroll_rows
from portal.core.roles import Role
from tests.api.conftest import token_client
from tests.billing.factories import InvoiceLineFactory, TransactionFactory
from tests.billing.test_exports import MAY, california_week  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/"


@pytest.fixture
def api(api_client_user) -> APIClient:
    return token_client(api_client_user)


def test_payroll_hours_come_as_json_rows_with_their_buckets(api, california_week):  # noqa: F811
    body = api.get(f"{URL}payroll-hours/", MAY).json()
    assert (body["next"], body["previous"]) == (None, None)
    monday, tuesday = body["results"]
    assert monday == {
        "worker_id": california_week.pk, "worker": "Ana Silva", "from": "2026-05-25", "to": "2026-05-25",
        "regular_hours": "0.00", "overtime_hours": "2.50", "double_hours": "0.00", "holiday_hours": "8.00",
        "total_hours": "10.50", "holidays": "Memorial Day",
    }  # fmt: skip
    assert tuesday["total_hours"] == "13.00"
    week = api.get(f"{URL}payroll-hours/", {**MAY, "per": "week"}).json()["results"]
    assert [(r["from"], r["to"], r["total_hours"]) for r in week] == [("2026-05-24", "2026-05-30", "23.50")]


def test_pages_walk_every_row_once(api):
    for day in range(1, 8):
        TransactionFactory(occurred_at=dt.datetime(2026, 3, day, 15, tzinfo=dt.UTC), external_id=f"tx-{day}")
    seen, url, pages = [], f"{URL}billing/?first=2026-03-01&last=2026-03-31&page_size=3", 0
    while url:
        body = api.get(url).json()
        seen += [row["reference"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == [f"tx-{day}" for day in range(1, 8)]
    assert pages == 3
    second = api.get(f"{URL}billing/", {"first": "2026-03-01", "last": "2026-03-31", "page_size": 3, "page": 2})
    assert "page=" not in second.json()["previous"]
    refused = api.get(f"{URL}billing/", {"first": "2026-03-01", "last": "2026-03-31", "page": "0"})
    assert (refused.status_code, list(refused.json()["errors"])) == (400, ["page"])


def test_format_csv_streams_the_whole_range(api):
    InvoiceLineFactory(invoice__number="INV-9", invoice__invoice_date=dt.date(2026, 3, 10))
    response = api.get(f"{URL}billing/", {"first": "2026-03-01", "last": "2026-03-31", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["reference"], r["amount"]) for r in rows] == [("INV-9", "1200.00")]
    described = api.options(f"{URL}billing/?format=csv")  # only rows are CSV; the description stays JSON
    assert (described.status_code, described["Content-Type"]) == (200, "application/json")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"last": "2026-03-01"}, "first"),
        ({"first": "2026-03-10", "last": "2026-03-01"}, "__all__"),
        ({"first": "2025-01-01", "last": "2026-03-01"}, "__all__"),
        ({"first": "2026-03-01", "last": "2026-03-02", "per": "month"}, "per"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_refused_range_answers_400_in_json_naming_the_field(api, query, field, fmt):
    response = api.get(f"{URL}payroll-hours/", {**query, "format": fmt})
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("name", ["payroll-hours", "billing", "exceptions"])
def test_exports_need_a_token_or_session_of_a_role(name, make_user):
    period = {"first": "2026-03-01", "last": "2026-03-07"}
    assert APIClient().get(f"{URL}{name}/", period).status_code in (401, 403)
    without_role = APIClient()
    without_role.force_login(make_user("nobody"))
    assert without_role.get(f"{URL}{name}/", period).status_code == 403

    assert token_client(make_user("bot", Role.API_CLIENT)).get(f"{URL}{name}/", period).status_code == 200


@pytest.mark.parametrize("nurses", [3, 30])
def test_a_page_costs_the_same_queries_at_any_size(api, django_assert_max_num_queries, nurses):
    for _ in range(nurses):
        TransactionFactory()
        InvoiceLineFactory(invoice__invoice_date=dt.date(2026, 3, 5))
    with django_assert_max_num_queries(6):
        body = api.get(f"{URL}billing/", {"first": "2026-03-01", "last": "2026-03-14", "page_size": 500}).json()
    assert len(body["results"]) == 2 * nurses


def test_the_schema_documents_the_three_exports(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for name in ("payroll-hours", "billing", "exceptions"):
        operation = schema["paths"][f"/api/v1/exports/{name}/"]["get"]
        assert {"first", "last", "page", "format"} <= {p["name"] for p in operation["parameters"]}
        assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert "from" in schema["components"]["schemas"]["PayrollHoursRow"]["properties"]


def test_json_rows_are_the_exports_rows(api, california_week):  # noqa: F811
    rows = api.get(f"{URL}payroll-hours/", MAY).json()["results"]
    expected = list(payroll_rows(ExportRange(dt.date(2026, 5, 24), dt.date(2026, 5, 30))))
    assert [r["total_hours"] for r in rows] == [str(row[8]) for row in expected]
