"""Decisions on funding requests, in a meeting or fast-tracked by the chair."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.formatting import format_euros
from omakouvola.models import HELSINKI, User
from omakouvola.money import to_cents
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import audit_record

from .. import selectors
from ..models import (
    AgendaItem,
    AgendaKind,
    Allocation,
    ApplicationStatus,
    ConflictDeclaration,
    Decision,
    DecisionOutcome,
    FundingApplication,
    FundingRequest,
    Grant,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    RequestStatus,
)
from ..rules import ACTOR_HAS_CONFLICT
from ._common import (
    ALREADY_DECIDED,
    AMOUNT_REQUIRED,
    NOT_SUBMITTED,
)
from .meetings import _report_fast_track

OVER_SMALL_GRANT_LIMIT = _(
    "%(amount)s is over the small-grant limit of %(limit)s; the committee must decide it in a "
    "meeting."
)
NO_QUORUM = _(
    "The meeting has no quorum for this matter: %(present)s present, %(required)s needed."
)
ATTENDANCE_NOT_RECORDED = _("Record the attendance before the decisions.")
NOT_ON_THIS_AGENDA = _("This matter is not an application on this meeting's agenda.")
AMOUNT_OVER_REQUESTED = _("The grant %(amount)s is more than the %(requested)s requested.")
AMOUNT_OVER_MAX_GRANT = _(
    "The grant %(amount)s is over the rules' largest grant per application, %(limit)s."
)
ALLOCATION_EXCEEDED = _(
    "The grant %(amount)s is more than the %(left)s left in %(committee)s's allocation for "
    "%(year)s."
)
NO_ALLOCATION = _("%(committee)s has no allocation for %(year)s.")
SUSTAINABILITY_REQUIRED = _(
    "The operating rules require the committee's own sustainability assessment (ecological, "
    "social and economic) before a grant."
)
RATIONALE_REQUIRED = _("Write the rationale for the decision.")
VOTES_TOO_MANY = _("More votes were recorded than there are members taking part (%(n)s).")
NOT_A_COMMITTEE_MEETING = _("Decisions on applications are made in committee meetings.")

# ---------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    rationale: str
    amount: Decimal | None = None
    conditions: str = ""
    sustainability_ecological: str = ""
    sustainability_social: str = ""
    sustainability_economic: str = ""
    votes_for: int | None = None
    votes_against: int | None = None


def _lock_and_check_grant(
    *, funding_request: FundingRequest, amount: Decimal, year: int, rules
) -> None:
    """Row-lock the year's allocation, then check the amount against what is left."""
    if amount is None or amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    if amount > funding_request.amount:
        raise ValidationError(
            AMOUNT_OVER_REQUESTED,
            code="over_requested",
            params={
                "amount": format_euros(amount),
                "requested": format_euros(funding_request.amount),
            },
        )
    if rules.max_grant is not None and amount > rules.max_grant:
        raise ValidationError(
            AMOUNT_OVER_MAX_GRANT,
            code="over_max",
            params={"amount": format_euros(amount), "limit": format_euros(rules.max_grant)},
        )
    committee = funding_request.committee
    allocation = (
        Allocation.objects.select_for_update().filter(committee=committee, year=year).first()
    )
    if allocation is None:
        raise ValidationError(
            NO_ALLOCATION, code="no_allocation", params={"committee": committee.name, "year": year}
        )
    left = (
        allocation.amount - Grant.objects.filter(committee=committee, year=year).committed_total()
    )
    if amount > left:
        raise ValidationError(
            ALLOCATION_EXCEEDED,
            code="allocation",
            params={
                "amount": format_euros(amount),
                "left": format_euros(left),
                "committee": committee.name,
                "year": year,
            },
        )


def _decide(
    *,
    actor: User,
    funding_request: FundingRequest,
    data: DecisionInput,
    decided_on: dt.date,
    meeting: Meeting | None,
    agenda_item: AgendaItem | None,
    fast_track: bool,
) -> Decision:
    """The shared part of a meeting decision and a chair's small-grant decision."""
    funding_request = (
        FundingRequest.objects.select_for_update()
        .select_related("committee", "application")
        .get(pk=funding_request.pk)
    )
    if funding_request.status != RequestStatus.PENDING:
        raise ValidationError(ALREADY_DECIDED, code="decided")
    if not data.rationale.strip():
        raise ValidationError(RATIONALE_REQUIRED, code="rationale")
    rules = selectors.rules_for(funding_request.committee, on=decided_on)
    amount = None
    if data.outcome == DecisionOutcome.GRANT:
        if rules.sustainability_required and not all(
            (
                data.sustainability_ecological.strip(),
                data.sustainability_social.strip(),
                data.sustainability_economic.strip(),
            )
        ):
            raise ValidationError(SUSTAINABILITY_REQUIRED, code="sustainability")
        amount = to_cents(data.amount or 0)
        _lock_and_check_grant(
            funding_request=funding_request, amount=amount, year=decided_on.year, rules=rules
        )
    decision = Decision.objects.create(
        funding_request=funding_request,
        meeting=meeting,
        agenda_item=agenda_item,
        outcome=data.outcome,
        amount=amount,
        conditions=data.conditions if data.outcome == DecisionOutcome.GRANT else "",
        rationale=data.rationale.strip(),
        sustainability_ecological=data.sustainability_ecological,
        sustainability_social=data.sustainability_social,
        sustainability_economic=data.sustainability_economic,
        votes_for=data.votes_for,
        votes_against=data.votes_against,
        fast_track=fast_track,
        decided_on=decided_on,
        decided_by=actor,
    )
    decision.recused.set(
        Membership.objects.filter(conflicts__funding_request=funding_request).distinct()
    )
    if amount is not None:
        grant = Grant.objects.create(
            decision=decision,
            committee=funding_request.committee,
            year=decided_on.year,
            amount=amount,
            report_due=decided_on + dt.timedelta(days=rules.report_period_days),
        )
        hooks.announce(hooks.GRANT_MADE, grant_id=grant.pk)
    funding_request.status = {
        DecisionOutcome.GRANT: RequestStatus.GRANTED,
        DecisionOutcome.REJECT: RequestStatus.REJECTED,
        DecisionOutcome.RETURN: RequestStatus.RETURNED,
    }[DecisionOutcome(data.outcome)]
    funding_request.save(update_fields=["status"])
    application = FundingApplication.objects.select_for_update().get(
        pk=funding_request.application_id
    )
    if data.outcome == DecisionOutcome.RETURN:
        application.status = ApplicationStatus.RETURNED
    elif not application.requests.filter(status=RequestStatus.PENDING).exists():
        application.status = (
            ApplicationStatus.RETURNED
            if application.requests.filter(status=RequestStatus.RETURNED).exists()
            else ApplicationStatus.DECIDED
        )
    application.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.DECISION_FAST_TRACK if fast_track else AuditAction.DECISION_RECORD,
        obj=decision,
        changes={"outcome": [None, data.outcome], "amount": [None, str(amount or "")]},
    )
    from ..tasks import decision_letter_task

    enqueue(decision_letter_task, decision.pk)
    return decision


@transaction.atomic
def decision_record(*, actor: User, agenda_item: AgendaItem, data: DecisionInput) -> Decision:
    """The committee's decision on an application in its meeting.

    Members with a declared conflict of interest take no part: they are left out of the
    quorum for the matter and named in the minutes.
    """
    meeting = Meeting.objects.select_for_update().get(pk=agenda_item.meeting_id)
    require(actor, "committees.manage_meeting", meeting)
    if meeting.kind != MeetingKind.COMMITTEE:
        raise ValidationError(NOT_A_COMMITTEE_MEETING, code="chairs")
    if agenda_item.kind != AgendaKind.APPLICATION or agenda_item.funding_request_id is None:
        raise ValidationError(NOT_ON_THIS_AGENDA, code="agenda")
    if Decision.objects.filter(agenda_item=agenda_item).exists():
        raise ValidationError(ALREADY_DECIDED, code="decided")
    if meeting.attendance_recorded_at is None:
        raise ValidationError(ATTENDANCE_NOT_RECORDED, code="attendance")
    funding_request = agenda_item.funding_request
    committee = meeting.committee
    # Checked above: an application item of a committee's own meeting.
    assert funding_request is not None and committee is not None
    conflicted = set(
        ConflictDeclaration.objects.filter(funding_request=funding_request).values_list(
            "membership_id", flat=True
        )
    )
    actor_membership = selectors.membership_in(actor, committee)
    if actor_membership is not None and actor_membership.pk in conflicted:
        raise ValidationError(ACTOR_HAS_CONFLICT, code="conflict")
    quorum = selectors.meeting_quorum(meeting, excluding=conflicted)
    if not quorum.has_quorum:
        raise ValidationError(
            NO_QUORUM,
            code="quorum",
            params={"present": quorum.present, "required": quorum.required},
        )
    votes_cast = (data.votes_for or 0) + (data.votes_against or 0)
    if votes_cast > quorum.present:
        raise ValidationError(VOTES_TOO_MANY, code="votes", params={"n": quorum.present})
    return _decide(
        actor=actor,
        funding_request=funding_request,
        data=data,
        decided_on=timezone.localtime(meeting.starts_at, HELSINKI).date(),
        meeting=meeting,
        agenda_item=agenda_item,
        fast_track=False,
    )


@transaction.atomic
def decision_fast_track(
    *,
    actor: User,
    funding_request: FundingRequest,
    data: DecisionInput,
    decided_on: dt.date | None = None,
) -> Decision:
    """The chair grants a small amount alone between meetings (the rules' small-grant limit).

    The decision goes on the next planned meeting's agenda for information; if none is
    planned yet, the next meeting created picks it up.
    """
    # The chair today decides, whatever day the decision is dated (the rule, not a copy).
    require(actor, "committees.fast_track", funding_request)
    day = decided_on or local_today()
    committee = funding_request.committee
    rules = selectors.rules_for(committee, on=day)
    amount = to_cents(data.amount or 0)
    if amount > rules.small_grant_limit:
        raise ValidationError(
            OVER_SMALL_GRANT_LIMIT,
            code="over_limit",
            params={"amount": format_euros(amount), "limit": format_euros(rules.small_grant_limit)},
        )
    if funding_request.application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    data = DecisionInput(**{**data.__dict__, "outcome": DecisionOutcome.GRANT, "amount": amount})
    decision = _decide(
        actor=actor,
        funding_request=funding_request,
        data=data,
        decided_on=day,
        meeting=None,
        agenda_item=None,
        fast_track=True,
    )
    next_meeting = (
        Meeting.objects.select_for_update()
        .filter(committee=committee, status=MeetingStatus.PLANNED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if next_meeting is not None:
        _report_fast_track(decision, next_meeting)
    return decision
