"""Who may do what with committees (django-rules predicates, composed once).

Every predicate takes the object the permission is about; `_committee_of` finds the
committee behind a committee, request, meeting, application item or decision.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from omakouvola.rules import add_perm, is_lead_staff

from .models import (
    AgendaItem,
    Committee,
    Decision,
    FundingApplication,
    FundingRequest,
    Meeting,
    MeetingKind,
    MembershipRole,
)

NOT_A_MEMBER = _("Only the committee's members can do this.")
NOT_THE_CHAIR = _("Only the committee's chair can decide a small grant alone.")
ACTOR_HAS_CONFLICT = _(
    "You have declared a conflict of interest in this matter and cannot take part in the decision."
)
COMMITTEE_STAFF_ONLY = _("Only the participation coordinator can manage the committees' money.")


def _committee_of(obj) -> Committee | None:
    if isinstance(obj, Committee):
        return obj
    if isinstance(obj, FundingRequest | Meeting):
        return obj.committee
    if isinstance(obj, Decision):
        return obj.funding_request.committee
    if isinstance(obj, AgendaItem):
        return obj.meeting.committee
    return None


def _active_memberships(user):
    from .selectors import memberships_of

    if not user.is_authenticated:
        return None
    cached = getattr(user, "_committee_memberships_cache", None)
    if cached is None:
        cached = list(memberships_of(user))
        user._committee_memberships_cache = cached
    return cached


@rules.predicate
def is_committee_member(user, obj) -> bool:
    """An active member of the object's committee, deputies included."""
    committee = _committee_of(obj)
    memberships = _active_memberships(user)
    if committee is None or not memberships:
        return False
    return any(m.committee_id == committee.pk for m in memberships)


@rules.predicate
def is_committee_chair(user, obj) -> bool:
    committee = _committee_of(obj)
    memberships = _active_memberships(user)
    if committee is None or not memberships:
        return False
    return any(
        m.committee_id == committee.pk and m.role == MembershipRole.CHAIR for m in memberships
    )


@rules.predicate
def is_any_chair(user) -> bool:
    memberships = _active_memberships(user)
    return bool(memberships) and any(m.role == MembershipRole.CHAIR for m in memberships)


@rules.predicate
def has_conflict(user, funding_request) -> bool:
    """The user declared a conflict of interest on this request."""
    memberships = _active_memberships(user)
    if not memberships or not isinstance(funding_request, FundingRequest):
        return False
    return funding_request.conflicts.filter(membership__in=[m.pk for m in memberships]).exists()


@rules.predicate
def is_chairs_meeting(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and meeting.kind == MeetingKind.CHAIRS


@rules.predicate
def minutes_are_published(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and meeting.minutes_published


@rules.predicate
def is_applicant(user, application) -> bool:
    return (
        user.is_authenticated
        and isinstance(application, FundingApplication)
        and application.created_by_id == user.pk
    )


@rules.predicate
def is_member_of_a_requested_committee(user, application) -> bool:
    memberships = _active_memberships(user)
    if not memberships or not isinstance(application, FundingApplication):
        return False
    committee_ids = {m.committee_id for m in memberships}
    return application.requests.filter(committee_id__in=committee_ids).exists()


is_committee_staff = is_lead_staff

can_view_workspace = is_committee_staff | is_committee_member
can_comment = is_committee_staff | is_committee_member
can_declare_conflict = is_committee_member
can_fast_track = is_committee_chair & ~has_conflict
can_manage_meeting = is_committee_staff | (~is_chairs_meeting & is_committee_chair)
can_view_meeting = is_committee_staff | is_committee_member | (is_chairs_meeting & is_any_chair)
can_view_minutes = minutes_are_published | can_view_meeting
can_send_regrets = is_committee_member | (is_chairs_meeting & is_any_chair)
can_view_application = is_committee_staff | is_applicant | is_member_of_a_requested_committee
can_adopt_project = is_committee_staff | is_committee_chair
can_create_chairs_meeting = is_committee_staff

add_perm("committees.view_workspace", can_view_workspace, message=NOT_A_MEMBER, staff=True)
add_perm("committees.comment", can_comment, message=NOT_A_MEMBER, staff=True)
add_perm("committees.declare_conflict", can_declare_conflict, message=NOT_A_MEMBER, staff=True)
add_perm(
    "committees.fast_track",
    can_fast_track,
    message=[(is_committee_chair, NOT_THE_CHAIR), (~has_conflict, ACTOR_HAS_CONFLICT)],
    staff=True,
)
add_perm("committees.manage_meeting", can_manage_meeting, staff=True)
add_perm("committees.view_meeting", can_view_meeting, staff=True)
add_perm("committees.view_minutes", can_view_minutes)
add_perm("committees.send_regrets", can_send_regrets, staff=True)
add_perm("committees.view_application", can_view_application)
add_perm("committees.adopt_project", can_adopt_project, staff=True)
add_perm("committees.create_chairs_meeting", can_create_chairs_meeting, staff=True)
add_perm("committees.manage_money", is_committee_staff, message=COMMITTEE_STAFF_ONLY, staff=True)
# Applying needs no account: an applicant proves an address by its secret link, which the
# view checks before calling the service; a signed-in applicant's own application also.
add_perm("committees.apply", rules.always_allow)
