"""Kamana endpoints: one table, every documented operation, doc templates kept beside the chosen paths."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from vendors.kamana.paths import ACCEPT, BASE_URL, ENDPOINTS, Paging, request_headers

# The doc's operation lines ("GET/clients", ...), copied verbatim from kamana-v2-api.txt.
DOC_LINES = set((Path(__file__).parent / "fixtures" / "doc_endpoints.txt").read_text().splitlines())


def test_every_operation_the_issue_names_is_in_the_table():
    assert set(ENDPOINTS) == {
        "clients.list",
        "clients.show",
        "clients.create",
        "client_contacts.list",
        "client_contacts.create",
        "client_contacts.show",
        "client_contacts.update",
        "client_contacts.delete",
        "relationships.create",
        "relationships.update",
        "engagements.show",
        "engagements.update",
        "engagement_extensions.list",
        "engagement_extensions.show",
        "engagement_extensions.create",
        "engagement_notes.list",
        "engagement_notes.show",
        "engagement_requirements.list",
        "engagement_requirements.show",
        "facilities.list",
        "facilities.create",
        "facilities.show",
        "facilities.update",
        "facilities.delete",
        "job_requisitions.list",
        "job_requisitions.create",
        "job_requisitions.show",
        "job_requisitions.update",
        "professions.list",
        "specialties.list",
        "talents.show",
        "profiles.create",
    }


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_each_doc_template_appears_in_the_doc_with_its_method(name):
    endpoint = ENDPOINTS[name]
    assert f"{endpoint.method}{endpoint.doc_path}" in DOC_LINES


def test_every_doc_operation_is_in_the_table():
    assert {f"{endpoint.method}{endpoint.doc_path}" for endpoint in ENDPOINTS.values()} == DOC_LINES


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_paths_are_plain_templates(name):
    endpoint = ENDPOINTS[name]
    fields = [field for _, field, _, _ in string.Formatter().parse(endpoint.path) if field]
    assert all(re.fullmatch(r"[a-z_]+", field) for field in fields)
    assert "?" not in endpoint.path and "," not in endpoint.path


def test_chosen_paths_are_exactly_the_garbled_doc_templates():
    assert {name for name, endpoint in ENDPOINTS.items() if endpoint.chosen} == {
        "engagement_extensions.show",
        "engagement_notes.list",
        "engagement_notes.show",
        "facilities.list",
        "facilities.show",
        "facilities.update",
        "job_requisitions.list",
        "job_requisitions.show",
    }


def test_paging_style_per_list():
    assert ENDPOINTS["clients.list"].paging is Paging.PAGE_NUMBER
    assert ENDPOINTS["client_contacts.list"].paging is Paging.PAGE_NUMBER
    assert ENDPOINTS["job_requisitions.list"].paging is Paging.CURSOR
    assert all(endpoint.paging is Paging.NONE for name, endpoint in ENDPOINTS.items() if not name.endswith(".list"))


def test_urls_encode_ids():
    show = ENDPOINTS["client_contacts.show"]
    assert show.url(client_id="c1", contact_id="a/b?c") == f"{BASE_URL}/clients/c1/contacts/a%2Fb%3Fc"
    assert ENDPOINTS["job_requisitions.list"].url() == "https://www.kamana.app/api/job_requisitions"
    with pytest.raises(KeyError):
        show.url(client_id="c1")


def test_headers():
    assert request_headers("tok", sends_body=False) == {
        "Authorization": "Bearer tok",
        "Accept": "application/vnd.api.v2+json",
    }
    assert request_headers("tok", sends_body=True)["Content-Type"] == "application/json"
    assert ACCEPT == "application/vnd.api.v2+json"
