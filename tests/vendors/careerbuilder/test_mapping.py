"""Keys and maps: what the push names a status by is what the pull finds it under, even for the longest ids."""

from __future__ import annotations

from vendors.careerbuilder.mapping import (
    DEFAULT_STATUS_MAP,
    PushSettings,
    candidate_status_record,
    natural_key_of,
    status_external_id,
)
from vendors.careerbuilder.schemas import candidate_status_key

BODY = {
    "account": "AAAA_1234",
    "candidate_email": "Amara.Okafor@Example.org",
    "vendor_key": "staffing-portal",
    "requisition_id": "R" * 1024,  # the doc's limit, far past the 255 of an external id
    "status": "Offer",
    "status_date": "2026-11-02T15:30:00Z",
    "status_level": "application",
}


def test_a_pushed_body_and_the_pulled_status_share_one_key_even_past_255_characters():
    pulled = candidate_status_record({"status": {**BODY, "account": "aaaa_1234"}, "profile_id": 7})
    assert natural_key_of(BODY) == pulled.external_id
    assert pulled.external_id.startswith("sha256:") and len(pulled.external_id) == 71
    assert pulled.fields["candidate_email"] == "amara.okafor@example.org" and pulled.fields["profile_id"] == 7
    short = candidate_status_key("AAAA_1234", "a@b.org", None, None, "candidate")
    assert status_external_id(short) == "aaaa_1234|a@b.org|||candidate"


def test_the_status_map_takes_an_admins_json_over_the_defaults_and_survives_a_broken_one():
    settings = PushSettings.of({"account": "AAAA_1234", "status_map": {"engagement": {"placed": "Started"}}})
    assert settings.raw_status("engagement", "placed") == "Started"
    assert settings.raw_status("engagement", "offered") == DEFAULT_STATUS_MAP["engagement"]["offered"]
    broken = PushSettings.of({"account": "AAAA_1234", "status_map": "{not json"})
    assert broken.status_map == DEFAULT_STATUS_MAP
    assert broken.raw_status("relationship", "no-such-status") == ""


def test_a_candidate_line_that_carries_a_requisition_is_stored_without_it():
    """The doc's "Sample request 2 (candidate)" quirk, seen from the reading side."""
    line = {**BODY, "status_level": "candidate", "requisition_id": "123", "requisition_title": "ICU"}
    record = candidate_status_record({"status": line})
    assert (record.fields["requisition_id"], record.fields["requisition_title"]) == ("", "")
    assert record.external_id == "aaaa_1234|amara.okafor@example.org|staffing-portal||candidate"
    assert record.vendor_data["requisition_id"] == "123", "the raw line is kept as sent"
