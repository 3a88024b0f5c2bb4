"""Who may do what in voting: a role × permission matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from omakouvola.models import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "coordinator", "decision_maker", "council", "clerk", "city_team"]
MATRIX = {
    "voting.record_paper_votes": {"clerk"},
    "voting.verify_identity": {"clerk"},
    "voting.decide_winners": {"decision_maker"},
    "voting.publish_results": {"coordinator"},
    "voting.see_unpublished_results": {"coordinator", "decision_maker", "council"},
}


@pytest.fixture
def people(db):
    return {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "coordinator": UserFactory(roles=[Role.COORDINATOR]),
        "decision_maker": UserFactory(roles=[Role.DECISION_MAKER]),
        "council": UserFactory(roles=[Role.COUNCIL]),
        "clerk": UserFactory(roles=[Role.PAPER_VOTE_CLERK]),
        "city_team": UserFactory(roles=[Role.CITY_TEAM]),
    }


@pytest.mark.parametrize("permission", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_permission_matrix(people, role, permission):
    assert people[role].has_perm(permission) is (role in MATRIX[permission])
