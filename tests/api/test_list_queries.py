"""Every jobs and talent list endpoint answers in a number of queries that does not grow with its rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.jobs import factories as jobs
from tests.talent import factories as talent

pytestmark = pytest.mark.django_db

# Token + user roles (2), recording the token's first use (1), the page (1), and one per prefetched relation.
BASE_QUERIES = 4


def _requisitions(n: int) -> None:
    facility = jobs.FacilityFactory()
    specialty = jobs.SpecialtyFactory(profession=jobs.ProfessionFactory())
    jobs.JobRequisitionFactory.create_batch(n, facility=facility, profession=specialty.profession, specialty=specialty)


def _profiles(n: int) -> None:
    profession, connection = jobs.ProfessionFactory(), jobs.VendorConnectionFactory()
    skills = talent.SkillFactory.create_batch(2)
    for profile in talent.TalentProfileFactory.create_batch(n, profession=profession):
        profile.skills.set(skills)
        talent.TalentReferenceFactory(profile=profile, connection=connection)


def _per_profile(factory) -> Callable[[int], None]:
    def build(n: int) -> None:
        profession = jobs.ProfessionFactory()
        for profile in talent.TalentProfileFactory.create_batch(n, profession=profession):
            factory(profile=profile)

    return build


def _with_client(factory) -> Callable[[int], None]:
    def build(n: int) -> None:
        factory.create_batch(n, client=jobs.ClientFactory())

    return build


ENDPOINTS: list[tuple[str, Callable[[int], None], int]] = [
    ("provinces", lambda n: [jobs.ProvinceFactory(abbreviation=f"P{i}") for i in range(n)], 0),
    ("professions", lambda n: [jobs.ProfessionFactory(abbreviation=f"X{i}") for i in range(n)], 0),
    ("specialties", lambda n: jobs.SpecialtyFactory.create_batch(n, profession=jobs.ProfessionFactory()), 0),
    ("clients", lambda n: jobs.ClientFactory.create_batch(n), 0),
    ("client-contacts", _with_client(jobs.ClientContactFactory), 0),
    ("facilities", _with_client(jobs.FacilityFactory), 0),
    ("patients", _with_client(jobs.PatientFactory), 0),
    ("job-requisitions", _requisitions, 0),
    ("skills", lambda n: talent.SkillFactory.create_batch(n), 0),
    ("talent-profiles", _profiles, 2),
    ("talent-references", _per_profile(talent.TalentReferenceFactory), 0),
    ("account-relationships", _per_profile(talent.AccountRelationshipFactory), 0),
    ("candidate-statuses", _per_profile(talent.CandidateStatusFactory), 0),
]


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize(("resource", "build", "prefetches"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_list_query_count_is_constant(api, django_assert_max_num_queries, resource, build, prefetches, rows):
    build(rows)
    with django_assert_max_num_queries(BASE_QUERIES + prefetches):
        response = api.get(f"/api/v1/{resource}/", {"page_size": 500})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
