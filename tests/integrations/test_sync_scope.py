"""Issue 14, as a property of the sync's writer: whatever pages two connections of one vendor deliver, sharing
vendor ids, in whatever interleaving, each connection ends with exactly what its own pages said (the last word
per id), and rows the portal holds with no connection under the same ids and codes are never changed. Provinces,
because their code is unique: per connection now, where a global code once made the second connection collide
and let a sync take over the portal's own row."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.integrations.models import VendorConnection
from portal.integrations.provider import MappedRecord
from portal.integrations.sync import apply_page
from portal.jobs.models import Province

pytestmark = pytest.mark.django_db

IDS = ("a", "b", "c", "d")
pages = st.lists(st.tuples(st.sampled_from(IDS), st.text(alphabet="xyz", min_size=1, max_size=3)), max_size=4)
deliveries = st.lists(st.tuples(st.sampled_from([0, 1]), pages), max_size=6)


@pytest.fixture
def two_connections(db) -> list[VendorConnection]:
    return [
        VendorConnection.objects.create(vendor="kamana", name=f"Kamana agency {n}", base_url="http://k.test")
        for n in (1, 2)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deliveries=deliveries)
def test_each_connection_ends_with_its_own_last_word(two_connections, deliveries):
    with transaction.atomic():
        portal_only = {
            i: Province.objects.create(external_id=i, abbreviation=i.upper(), name=f"local {i}").pk for i in IDS
        }
        expected: list[dict[str, str]] = [{}, {}]
        for which, page in deliveries:
            records = [MappedRecord(i, {"name": name, "abbreviation": i.upper()}) for i, name in page]
            apply_page(Province, two_connections[which], records)
            expected[which].update(page)

        for which, connection in enumerate(two_connections):
            held = Province.objects.filter(connection=connection).values_list("external_id", "name")
            assert dict(held) == expected[which]
        local = Province.objects.filter(connection=None).values_list("external_id", "pk", "name")
        assert {i: (pk, name) for i, pk, name in local} == {i: (pk, f"local {i}") for i, pk in portal_only.items()}
        transaction.set_rollback(True)
