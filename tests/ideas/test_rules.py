"""Who may do what with ideas: a role × action matrix and a role × phase matrix."""

from __future__ import annotations

import pytest

from ..factories import UserFactory, helsinki

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "submitter",
    "other_resident",
    "assigned_expert",
    "unassigned_expert",
    "city_team",
    "coordinator",
]

# permission: roles that have it (for an idea just submitted, during ideation)
MATRIX = {
    "ideas.view_idea": set(ROLES),
    "ideas.edit_idea": {"submitter"},
    "ideas.withdraw_idea": {"submitter"},
    "ideas.assess_idea": {"assigned_expert", "city_team", "coordinator"},
    "ideas.screen_idea": {"city_team", "coordinator"},
    "ideas.pledge": {
        "submitter",
        "other_resident",
        "assigned_expert",
        "unassigned_expert",
        "city_team",
        "coordinator",
    },
    "ideas.see_pledge_contacts": {"city_team", "coordinator"},
    "ideas.approve_proposal": {"coordinator"},
}


@pytest.fixture
def people(idea, expert, other_expert, other_resident, city_team_member, coordinator):
    from django.contrib.auth.models import AnonymousUser

    idea.assigned_expert = expert
    idea.save()
    return {
        "anonymous": AnonymousUser(),
        "submitter": idea.submitter,
        "other_resident": other_resident,
        "assigned_expert": expert,
        "unassigned_expert": other_expert,
        "city_team": city_team_member,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize("permission", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(people, idea, role, permission):
    assert people[role].has_perm(permission, idea) is (role in MATRIX[permission])


@pytest.mark.parametrize("role", ["submitter", "other_resident", "assigned_expert"])
def test_nobody_may_edit_once_screening_starts(people, idea, role):
    idea.status = "in_screening"
    idea.save()
    assert not people[role].has_perm("ideas.edit_idea", idea)


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_idea_is_seen_only_by_its_submitter_and_staff(people, idea, role):
    idea.is_hidden = True
    idea.save()
    allowed = {"submitter", "assigned_expert", "city_team", "coordinator"}
    assert people[role].has_perm("ideas.view_idea", idea) is (role in allowed)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (helsinki(2026, 10, 31, 23, 59), False),  # before ideation
        (helsinki(2026, 11, 1, 0, 0), True),  # first minute
        (helsinki(2026, 12, 31, 23, 59), True),  # last minute
        (helsinki(2027, 1, 1, 0, 0), False),  # after
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "unverified", "resident", "coordinator"])
def test_role_phase_matrix_for_submitting(
    cycle, resident, coordinator, time_machine, moment, open_, role
):
    from django.contrib.auth.models import AnonymousUser

    time_machine.move_to(moment, tick=False)
    user = {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(verified=False),
        "resident": resident,
        "coordinator": coordinator,
    }[role]
    expected = open_ and role in {"resident", "coordinator"}
    assert user.has_perm("ideas.submit_idea", cycle) is expected
