"""The engagement's choices copy Kamana's enums (the domain app may not import a vendor), so a test holds them
together: a value Kamana adds or renames fails here before a webhook carrying it is refused by the model."""

from __future__ import annotations

from portal.contracts.models import Engagement
from vendors.kamana.schemas import EngagementStatus, EngagementSubStatus


def test_engagement_sub_status_is_kamanas_sub_status():
    assert [(m.name, m.value) for m in Engagement.SubStatus] == [(m.name, m.value) for m in EngagementSubStatus]


def test_engagement_status_is_kamanas_pipeline_in_its_order():
    assert list(Engagement.Status.values) == [m.value for m in EngagementStatus]
