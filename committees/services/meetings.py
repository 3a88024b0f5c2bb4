"""Meetings: creation, the agenda, invitations, regrets and attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.dates import format_day
from omakouvola.formatting import format_euros
from omakouvola.models import HELSINKI, User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes

from .. import selectors
from ..emails import email_person
from ..models import (
    ZERO,
    AgendaItem,
    AgendaKind,
    ApplicationStatus,
    Committee,
    Decision,
    FundingRequest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    MembershipRole,
    Participant,
    RequestStatus,
)
from ._common import (
    ALREADY_DECIDED,
    NOT_SUBMITTED,
)

ALREADY_ON_AGENDA = _("The application is already on this meeting's agenda.")
WRONG_COMMITTEE = _("The request is addressed to another committee.")
MEETING_NOT_PLANNED = _("The meeting has already been held.")

# ---------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------


def _agenda_title(text: str) -> str:
    """An agenda title fits its column: an applicant's 160-character title plus a prefix
    or the applicant's name once overflowed it, and every later meeting with it."""
    limit = AgendaItem._meta.get_field("title").max_length or 200
    return Truncator(text).chars(limit)


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def _report_fast_track(decision: Decision, meeting: Meeting) -> AgendaItem:
    application = decision.funding_request.application
    return AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        kind=AgendaKind.FOR_INFORMATION,
        title=_agenda_title(
            str(
                _("For information: the chair's small-grant decision on %(title)s")
                % {"title": application.title}
            )
        ),
        text=str(
            _("On %(day)s the chair granted %(amount)s to %(applicant)s.")
            % {
                "day": format_day(decision.decided_on),
                "amount": format_euros(decision.amount or ZERO),
                "applicant": application.applicant_name,
            }
        ),
        information_decision=decision,
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    committee: Committee | None,
    starts_at: dt.datetime,
    place: str = "",
    online_link: str = "",
) -> Meeting:
    """A committee meeting (or, without a committee, the chairs' meeting).

    The regular members (for the chairs' meeting: each committee's chair) are its
    participants; the chair's small-grant decisions not yet reported go on its agenda.
    """
    if committee is None:
        require(actor, "committees.create_chairs_meeting")
    else:
        require(actor, "committees.manage_meeting", committee)
    meeting = Meeting.objects.create(
        kind=MeetingKind.COMMITTEE if committee else MeetingKind.CHAIRS,
        committee=committee,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        created_by=actor,
    )
    day = timezone.localtime(starts_at, HELSINKI).date()
    people = Membership.objects.active_on(day)
    if committee is not None:
        people = people.filter(committee=committee).regular()
    else:
        people = people.filter(role=MembershipRole.CHAIR)
    Participant.objects.bulk_create(Participant(meeting=meeting, membership=m) for m in people)
    if committee is not None:
        # Lock the unreported decisions so a concurrent fast track cannot report twice.
        for decision in selectors.fast_track_decisions_unreported(committee).select_for_update(
            of=("self",)
        ):
            _report_fast_track(decision, meeting)
    audit_record(actor=actor, action=AuditAction.MEETING_CREATE, obj=meeting)
    return meeting


@transaction.atomic
def agenda_add_request(
    *, actor: User, meeting: Meeting, funding_request: FundingRequest
) -> AgendaItem:
    require(actor, "committees.manage_meeting", meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(MEETING_NOT_PLANNED, code="held")
    if funding_request.committee_id != meeting.committee_id:
        raise ValidationError(WRONG_COMMITTEE, code="committee")
    application = funding_request.application
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    if funding_request.status != RequestStatus.PENDING:
        raise ValidationError(ALREADY_DECIDED, code="decided")
    if meeting.agenda_items.filter(funding_request=funding_request).exists():
        raise ValidationError(ALREADY_ON_AGENDA, code="on_agenda")
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        kind=AgendaKind.APPLICATION,
        title=_agenda_title(f"{application.title} ({application.applicant_name})"),
        funding_request=funding_request,
    )
    audit_record(actor=actor, action=AuditAction.MEETING_AGENDA_ADD, obj=meeting, note=item.title)
    return item


@transaction.atomic
def agenda_add_item(*, actor: User, meeting: Meeting, title: str, text: str = "") -> AgendaItem:
    """Another matter: the chairs' shared agenda, news between areas, …"""
    require(actor, "committees.manage_meeting", meeting)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        kind=AgendaKind.OTHER,
        title=_agenda_title(title),
        text=text,
    )
    audit_record(actor=actor, action=AuditAction.MEETING_AGENDA_ADD, obj=meeting, note=title)
    return item


def _invite(participant: Participant, *, deputy_for: Membership | None = None) -> None:
    membership = participant.membership
    email_person(
        email=membership.contact_email,
        user=membership.user,
        template="committees_meeting_invitation",
        context={
            "meeting": participant.meeting,
            "membership": membership,
            "deputy_for": deputy_for,
            "agenda": list(participant.meeting.agenda_items.all()),
        },
    )
    participant.invited_at = timezone.now()
    participant.save(update_fields=["invited_at"])


@transaction.atomic
def meeting_send_invitations(*, actor: User, meeting: Meeting) -> int:
    """E-mail everyone on the meeting not yet invited; returns how many were invited."""
    require(actor, "committees.manage_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(MEETING_NOT_PLANNED, code="held")
    invited = 0
    for participant in meeting.participants.select_related("membership__user").filter(
        invited_at__isnull=True, regrets=False
    ):
        _invite(participant)
        invited += 1
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    audit_record(
        actor=actor, action=AuditAction.MEETING_INVITE, obj=meeting, note=f"{invited} invited"
    )
    return invited


@transaction.atomic
def participant_send_regrets(
    *, actor: User, meeting: Meeting, membership: Membership
) -> Membership | None:
    """A member cannot come: the first deputy not yet on the meeting is invited instead."""
    require(actor, "committees.send_regrets", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(MEETING_NOT_PLANNED, code="held")
    participant, _created = Participant.objects.get_or_create(
        meeting=meeting, membership=membership
    )
    if participant.regrets:
        return None
    participant.regrets = True
    participant.save(update_fields=["regrets"])
    audit_record(actor=actor, action=AuditAction.MEETING_REGRETS, obj=meeting, note=membership.name)
    if membership.is_deputy or meeting.committee_id is None:
        return None
    day = timezone.localtime(meeting.starts_at, HELSINKI).date()
    deputy = (
        Membership.objects.active_on(day)
        .filter(committee=meeting.committee)
        .deputies()
        .exclude(participations__meeting=meeting)
        .order_by("name", "id")
        .first()
    )
    if deputy is None:
        return None
    substitute = Participant.objects.create(meeting=meeting, membership=deputy)
    _invite(substitute, deputy_for=membership)
    audit_record(
        actor=actor, action=AuditAction.MEETING_INVITE_DEPUTY, obj=meeting, note=deputy.name
    )
    return deputy


@transaction.atomic
def meeting_record_attendance(
    *, actor: User, meeting: Meeting, present: Iterable[Membership]
) -> Meeting:
    require(actor, "committees.manage_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    present_ids = {m.pk for m in present}
    for membership_id in present_ids:
        Participant.objects.get_or_create(meeting=meeting, membership_id=membership_id)
    meeting.participants.update(present=False)
    meeting.participants.filter(membership_id__in=present_ids).update(present=True)
    meeting.attendance_recorded_at = timezone.now()
    meeting.status = (
        MeetingStatus.HELD if meeting.status == MeetingStatus.PLANNED else meeting.status
    )
    meeting.save(update_fields=["attendance_recorded_at", "status"])
    audit_record(
        actor=actor,
        action=AuditAction.MEETING_ATTENDANCE,
        obj=meeting,
        note=f"{len(present_ids)} present",
    )
    return meeting


# What may be corrected on a meeting in the admin: who takes part follows from its committee.
MEETING_FIELDS = ("starts_at", "place", "online_link")


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, changed_fields: Iterable[str]) -> Meeting:
    """Move a planned meeting or change where it is held (audited like every other write)."""
    require(actor, "committees.manage_meeting", meeting)
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if stored.status != MeetingStatus.PLANNED:
        raise ValidationError(MEETING_NOT_PLANNED, code="held")
    changed = [name for name in changed_fields if name in MEETING_FIELDS]
    before = {name: getattr(stored, name) for name in changed}
    for name in changed:
        setattr(stored, name, getattr(meeting, name))
    stored.full_clean()
    stored.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditAction.MEETING_UPDATE,
        obj=stored,
        changes=field_changes(before, {name: getattr(stored, name) for name in changed}),
    )
    return stored
