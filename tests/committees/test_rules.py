"""Who may do what: role × action, including a member with a conflict of interest."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from committees import services
from committees.models import Meeting

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "member",
    "conflicted",
    "deputy",
    "chair",
    "coordinator",
    "other_member",
]

# perm → roles that have it (the object: the request, its committee or its meeting)
EXPECTED = {
    "committees.view_workspace": {"member", "conflicted", "deputy", "chair", "coordinator"},
    "committees.comment": {"member", "conflicted", "deputy", "chair", "coordinator"},
    "committees.declare_conflict": {"member", "conflicted", "deputy", "chair"},
    "committees.fast_track": {"chair"},
    "committees.manage_meeting": {"chair", "coordinator"},
    "committees.view_meeting": {"member", "conflicted", "deputy", "chair", "coordinator"},
    "committees.view_application": {
        "applicant",
        "member",
        "conflicted",
        "deputy",
        "chair",
        "coordinator",
    },
    "committees.adopt_project": {"chair", "coordinator"},
}


@pytest.fixture
def people(
    committee,
    funding_request,
    resident,
    member_user,
    conflicted_user,
    deputy_user,
    chair_user,
    coordinator,
    other_member_user,
):
    application = funding_request.application
    application.created_by = resident
    application.save()
    services.conflict_declare(actor=conflicted_user, funding_request=funding_request, reason="x")
    return {
        "anonymous": AnonymousUser(),
        "applicant": resident,
        "member": member_user,
        "conflicted": conflicted_user,
        "deputy": deputy_user,
        "chair": chair_user,
        "coordinator": coordinator,
        "other_member": other_member_user,
    }


def _object(perm, funding_request, meeting):
    if perm in {"committees.comment", "committees.declare_conflict", "committees.fast_track"}:
        return funding_request
    if perm in {"committees.manage_meeting", "committees.view_meeting"}:
        return meeting
    if perm == "committees.view_application":
        return funding_request.application
    return funding_request.committee


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_the_permission_matrix(people, funding_request, chair_user, role, perm):
    meeting = Meeting(kind="committee", committee=funding_request.committee)
    user = people[role]
    assert user.has_perm(perm, _object(perm, funding_request, meeting)) is (role in EXPECTED[perm])


def test_a_chair_with_a_conflict_cannot_fast_track(committee, funding_request, chair_user):
    services.conflict_declare(actor=chair_user, funding_request=funding_request, reason="Sukua")
    assert not chair_user.has_perm("committees.fast_track", funding_request)


def test_the_chairs_meeting_is_for_the_chairs_and_the_coordinator(
    committee, chair_user, member_user, coordinator
):
    meeting = Meeting(kind="chairs")
    assert chair_user.has_perm("committees.view_meeting", meeting)
    assert not chair_user.has_perm("committees.manage_meeting", meeting)
    assert coordinator.has_perm("committees.manage_meeting", meeting)
    assert not member_user.has_perm("committees.view_meeting", meeting)
