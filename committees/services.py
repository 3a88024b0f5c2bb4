"""Every write of the committees app.

Money rules hold under row locks: a grant locks the committee's allocation row for the
year, a payment locks its grant, so two concurrent decisions or payments are serialised
and the second sees the first. PostgreSQL triggers (migration 0002) check the same sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from stdnum.fi import ytunnus

from omakouvola import hooks
from omakouvola.models import HELSINKI, User
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes

from . import selectors
from .emails import email_person
from .models import (
    ATTACHMENT_TYPES,
    ZERO,
    AgendaItem,
    AgendaKind,
    Allocation,
    ApplicantKind,
    ApplicationStatus,
    Attachment,
    Comment,
    Committee,
    ConflictDeclaration,
    CostItem,
    Decision,
    DecisionOutcome,
    FinalReport,
    FundingApplication,
    FundingRequest,
    Grant,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    MembershipRole,
    Participant,
    Payment,
    ReminderKind,
    ReportPhoto,
    ReportReminder,
    RequestStatus,
)

# The refusal messages live with the rules; callers and tests still read them here.
from .rules import ACTOR_HAS_CONFLICT, NOT_A_MEMBER, NOT_THE_CHAIR  # noqa: F401

# --- messages that tests assert on -----------------------------------------------------
BUSINESS_ID_INVALID = _("%(value)s is not a valid business ID (Y-tunnus): check the number.")
ORGANISATION_NAME_REQUIRED = _("Give the name of the association or organisation.")
NO_COMMITTEE = _("Choose at least one committee to apply to.")
COSTS_DO_NOT_ADD_UP = _(
    "The cost rows add up to %(costs)s but the requested amount and own funding add up to "
    "%(funding)s; they must be equal."
)
NO_COSTS = _("Add at least one cost row.")
SELF_ASSESSMENT_MISSING = _(
    "Describe the project's ecological, social and economic sustainability."
)
EMAIL_NOT_VERIFIED = _("Confirm your e-mail address first: open the link we sent you, then submit.")
NOT_EDITABLE = _("This application can no longer be changed.")
ATTACHMENT_TOO_LARGE = _("%(name)s is too large: the limit is %(limit)s MB.")
ATTACHMENT_TYPE = _("%(name)s is not a PDF, JPEG or PNG file.")
TOO_MANY_ATTACHMENTS = _("An application can have at most %(limit)s attachments.")
OVER_SMALL_GRANT_LIMIT = _(
    "%(amount)s is over the small-grant limit of %(limit)s; the committee must decide it in a "
    "meeting."
)
NO_QUORUM = _(
    "The meeting has no quorum for this matter: %(present)s present, %(required)s needed."
)
ATTENDANCE_NOT_RECORDED = _("Record the attendance before the decisions.")
ALREADY_DECIDED = _("This request has already been decided.")
NOT_ON_THIS_AGENDA = _("This matter is not an application on this meeting's agenda.")
DECIDED_REQUEST_LOCKED = _(
    "%(committee)s has already decided on its share; it cannot be changed or removed."
)
AMOUNT_REQUIRED = _("A grant needs an amount greater than zero.")
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
PAYMENT_OVER_GRANT = _(
    "The payment %(amount)s would take the payments over the grant: %(left)s is left to pay."
)
GRANT_CLOSED = _("The grant is closed; no more payments can be recorded.")
REPORT_ALREADY_SUBMITTED = _("The final report has already been submitted.")
ALREADY_ON_AGENDA = _("The application is already on this meeting's agenda.")
WRONG_COMMITTEE = _("The request is addressed to another committee.")
NOT_SUBMITTED = _("Only submitted applications can be put on the agenda.")
MEETING_NOT_PLANNED = _("The meeting has already been held.")
MINUTES_NOT_GENERATED = _("Generate the minutes before approving them.")
NOT_A_COMMITTEE_MEETING = _("Decisions on applications are made in committee meetings.")
ALLOCATION_NEGATIVE = _("An allocation cannot be negative.")
ALLOCATION_BELOW_GRANTED = _(
    "The allocation cannot be less than the %(granted)s already granted for %(year)s."
)

MAX_ATTACHMENT_MB = 10
MAX_ATTACHMENTS = 10
CENT = Decimal("0.01")


def _euros(amount: Decimal) -> str:
    from omakouvola.formatting import format_euros

    return format_euros(amount)


def _today() -> dt.date:
    return selectors.local_today()


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


# ---------------------------------------------------------------------------------------
# Money: allocations
# ---------------------------------------------------------------------------------------


@transaction.atomic
def allocation_set(
    *, actor: User | None, committee: Committee, year: int, amount: Decimal, note: str = ""
) -> Allocation:
    """Set a committee's money for a year; never below what it has already granted."""
    if actor is not None:  # None: the yearly split run by the system
        require(actor, "committees.manage_money", committee)
    amount = Decimal(amount).quantize(CENT)
    if amount < 0:
        raise ValidationError(ALLOCATION_NEGATIVE, code="negative")
    allocation, created = Allocation.objects.select_for_update().get_or_create(
        committee=committee, year=year, defaults={"amount": amount, "note": note}
    )
    before = _snapshot(allocation, ["amount", "note"])
    granted = Grant.objects.filter(committee=committee, year=year).committed_total()
    if amount < granted:
        raise ValidationError(
            ALLOCATION_BELOW_GRANTED,
            code="below_granted",
            params={"granted": _euros(granted), "year": year},
        )
    allocation.amount = amount
    allocation.note = note
    allocation.save()
    audit_record(
        actor=actor,
        action="allocation.create" if created else "allocation.update",
        obj=allocation,
        changes=field_changes({} if created else before, {"amount": amount, "note": note}),
    )
    return allocation


@transaction.atomic
def allocations_split_by_population(
    *, actor: User | None, year: int, total: Decimal, note: str = ""
) -> dict[Committee, Allocation]:
    """Split a year's committee appropriation between the committees by population."""
    if actor is not None:
        require(actor, "committees.manage_money")
    committees = list(Committee.objects.select_related("area").order_by("name"))
    shares = selectors.split_by_population(total, {c: c.area.population for c in committees})
    return {
        c: allocation_set(actor=actor, committee=c, year=year, amount=shares[c], note=note)
        for c in committees
    }


# ---------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "applicant_kind",
    "organisation_name",
    "business_id",
    "responsible_person",
    "email",
    "phone",
    "title",
    "description",
    "own_funding",
    "volunteer_hours",
    "starts_on",
    "ends_on",
    "sustainability_ecological",
    "sustainability_social",
    "sustainability_economic",
)


def validate_business_id(value: str) -> str:
    """The business ID in its standard form (1234567-1), its check digit verified."""
    if not value:
        return ""
    try:
        return ytunnus.format(ytunnus.validate(value))
    except Exception as exc:
        raise ValidationError(
            BUSINESS_ID_INVALID, code="business_id", params={"value": value}
        ) from exc


@dataclass(frozen=True)
class CostRow:
    description: str
    amount: Decimal


@dataclass(frozen=True)
class RequestRow:
    committee: Committee
    amount: Decimal


def _validate_application_data(data: Mapping[str, Any]) -> dict[str, Any]:
    clean = {name: data.get(name) for name in APPLICATION_FIELDS if name in data}
    errors: dict[str, list[ValidationError]] = {}
    try:
        clean["business_id"] = validate_business_id((data.get("business_id") or "").strip())
    except ValidationError as exc:
        errors["business_id"] = [exc]
    if (
        data.get("applicant_kind") == ApplicantKind.ORGANISATION
        and not (data.get("organisation_name") or "").strip()
    ):
        errors["organisation_name"] = [ValidationError(ORGANISATION_NAME_REQUIRED)]
    if errors:
        raise ValidationError(errors)
    clean["email"] = (clean.get("email") or "").strip().lower()
    clean["own_funding"] = Decimal(clean.get("own_funding") or 0).quantize(CENT)
    clean["volunteer_hours"] = clean.get("volunteer_hours") or 0
    return clean


def _replace_rows(
    application: FundingApplication,
    cost_rows: Sequence[CostRow],
    request_rows: Sequence[RequestRow],
) -> None:
    application.cost_items.all().delete()
    CostItem.objects.bulk_create(
        CostItem(
            application=application,
            position=i,
            description=row.description,
            amount=Decimal(row.amount).quantize(CENT),
        )
        for i, row in enumerate(cost_rows, start=1)
    )
    wanted = {row.committee.pk: Decimal(row.amount).quantize(CENT) for row in request_rows}
    # A committee that has decided its share (granted or rejected) keeps it as decided,
    # even when another committee returned the application for completion.
    decided = application.requests.exclude(
        status__in=[RequestStatus.PENDING, RequestStatus.RETURNED]
    ).select_related("committee")
    for request in decided:
        if wanted.get(request.committee_id) != request.amount:
            raise ValidationError(
                DECIDED_REQUEST_LOCKED,
                code="decided",
                params={"committee": request.committee.name},
            )
        del wanted[request.committee_id]
    application.requests.filter(status__in=[RequestStatus.PENDING, RequestStatus.RETURNED]).exclude(
        committee_id__in=wanted
    ).delete()
    for committee_id, amount in wanted.items():
        FundingRequest.objects.update_or_create(
            application=application, committee_id=committee_id, defaults={"amount": amount}
        )


def _send_application_link(application: FundingApplication, *, user: User | None) -> None:
    email_person(
        email=application.email,
        template="committees_application_link",
        context={"application": application},
    )


def _verified_for(user: User | None, email: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def application_save_draft(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    cost_rows: Sequence[CostRow],
    request_rows: Sequence[RequestRow],
    application: FundingApplication | None = None,
) -> FundingApplication:
    """Create or change a draft; a new address gets the secret link by e-mail.

    The link is the proof that the applicant reads that mailbox: until it is opened the
    application cannot be submitted (unless the signed-in account has verified the address).
    """
    require(actor, "committees.apply", application)
    clean = _validate_application_data(data)
    creating = application is None
    if creating:
        application = FundingApplication(
            created_by=actor if actor is not None and actor.is_authenticated else None
        )
        before: dict[str, Any] = {}
    else:
        application = FundingApplication.objects.select_for_update().get(pk=application.pk)
        if not application.is_editable:
            raise ValidationError(NOT_EDITABLE, code="not_editable")
        before = _snapshot(application, clean)
    email_changed = creating or before.get("email") != clean["email"]
    for name, value in clean.items():
        setattr(application, name, value)
    application.updated_at = timezone.now()
    if email_changed:
        application.email_verified_at = (
            timezone.now() if _verified_for(actor, clean["email"]) else None
        )
    application.save()
    _replace_rows(application, cost_rows, request_rows)
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="application.create" if creating else "application.update",
        obj=application,
        changes=field_changes(before, clean),
    )
    if email_changed and application.email_verified_at is None:
        _send_application_link(application, user=actor)
    return application


@transaction.atomic
def application_verify_email(*, application: FundingApplication) -> FundingApplication:
    """The secret link was opened: the applicant reads the mailbox it was sent to."""
    if application.email_verified_at is not None:
        return application
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if application.email_verified_at is None:
        application.email_verified_at = timezone.now()
        application.save(update_fields=["email_verified_at"])
        audit_record(actor=None, action="application.verify_email", obj=application)
    return application


def application_problems(application: FundingApplication) -> list[ValidationError]:
    """What stops the application from being submitted, as translated errors."""
    problems: list[ValidationError] = []
    requests = list(application.requests.all())
    costs = list(application.cost_items.all())
    if not requests:
        problems.append(ValidationError(NO_COMMITTEE, code="no_committee"))
    if not costs:
        problems.append(ValidationError(NO_COSTS, code="no_costs"))
    else:
        cost_total = sum((c.amount for c in costs), ZERO)
        funding = sum((r.amount for r in requests), ZERO) + application.own_funding
        if cost_total != funding:
            problems.append(
                ValidationError(
                    COSTS_DO_NOT_ADD_UP,
                    code="costs",
                    params={"costs": _euros(cost_total), "funding": _euros(funding)},
                )
            )
    if application.applicant_kind != ApplicantKind.COMMITTEE and not all(
        (
            application.sustainability_ecological.strip(),
            application.sustainability_social.strip(),
            application.sustainability_economic.strip(),
        )
    ):
        problems.append(ValidationError(SELF_ASSESSMENT_MISSING, code="self_assessment"))
    if application.email_verified_at is None:
        problems.append(ValidationError(EMAIL_NOT_VERIFIED, code="email_not_verified"))
    return problems


@transaction.atomic
def application_submit(
    *, actor: User | None, application: FundingApplication
) -> FundingApplication:
    """Send the application to its committees; the applicant gets a confirmation."""
    require(actor, "committees.apply", application)
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    problems = application_problems(application)
    if problems:
        raise ValidationError(problems)
    resubmitted = application.status == ApplicationStatus.RETURNED
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    application.requests.filter(status=RequestStatus.RETURNED).update(status=RequestStatus.PENDING)
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="application.resubmit" if resubmitted else "application.submit",
        obj=application,
    )
    email_person(
        email=application.email,
        user=application.created_by,
        template="committees_application_submitted",
        context={
            "application": application,
            "requests": list(application.requests.select_related("committee")),
        },
    )
    return application


def _sniff_type(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def validate_upload(upload: UploadedFile, *, images_only: bool = False) -> str:
    """The file's real type from its first bytes (not its name); raises if unsuitable."""
    name = upload.name or "file"
    if upload.size > MAX_ATTACHMENT_MB * 1024 * 1024:
        raise ValidationError(
            ATTACHMENT_TOO_LARGE,
            code="too_large",
            params={"name": name, "limit": MAX_ATTACHMENT_MB},
        )
    upload.seek(0)
    content_type = _sniff_type(upload.read(16))
    upload.seek(0)
    if content_type is None or (images_only and not content_type.startswith("image/")):
        raise ValidationError(ATTACHMENT_TYPE, code="type", params={"name": name})
    return content_type


@transaction.atomic
def attachment_add(
    *, actor: User | None, application: FundingApplication, upload: UploadedFile
) -> Attachment:
    require(actor, "committees.apply", application)
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            TOO_MANY_ATTACHMENTS, code="too_many", params={"limit": MAX_ATTACHMENTS}
        )
    content_type = validate_upload(upload)
    safe_name = "".join(ch for ch in (upload.name or "file") if ch.isalnum() or ch in "._-")[:80]
    attachment = Attachment(
        application=application,
        original_name=(upload.name or "file")[:200],
        content_type=content_type,
        size=upload.size,
    )
    attachment.file.save(safe_name or f"file{ATTACHMENT_TYPES[content_type]}", upload, save=False)
    attachment.save()
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="application.attach",
        obj=application,
        note=attachment.original_name,
    )
    return attachment


@transaction.atomic
def committee_project_adopt(
    *,
    actor: User,
    committee: Committee,
    title: str,
    description: str,
    amount: Decimal,
    idea: Any = None,
) -> FundingApplication:
    """The committee takes a resident's idea (or its own plan) as its own project.

    It becomes a submitted application from the committee to itself, so the decision,
    the grant and the payments follow the same path and the same money rules.
    """
    require(actor, "committees.adopt_project", committee)
    amount = Decimal(amount).quantize(CENT)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    application = FundingApplication.objects.create(
        applicant_kind=ApplicantKind.COMMITTEE,
        organisation_name=committee.name,
        responsible_person=actor.get_full_name(),
        email=committee.email or actor.email,
        title=title,
        description=description,
        created_by=actor,
        email_verified_at=timezone.now(),
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **({"idea": idea} if idea is not None else {}),
    )
    CostItem.objects.create(application=application, position=1, description=title, amount=amount)
    FundingRequest.objects.create(application=application, committee=committee, amount=amount)
    audit_record(actor=actor, action="application.adopt", obj=application)
    return application


# ---------------------------------------------------------------------------------------
# Members: comments and conflicts of interest
# ---------------------------------------------------------------------------------------


def _membership(actor: User, committee: Committee, *, on: dt.date | None = None) -> Membership:
    membership = selectors.membership_in(actor, committee, on=on)
    if membership is None:
        raise ValidationError(NOT_A_MEMBER, code="not_a_member")
    return membership


@transaction.atomic
def comment_add(*, actor: User, funding_request: FundingRequest, text: str) -> Comment:
    require(actor, "committees.comment", funding_request)
    comment = Comment.objects.create(
        funding_request=funding_request, author=actor, text=text.strip()
    )
    audit_record(actor=actor, action="request.comment", obj=funding_request)
    return comment


@transaction.atomic
def conflict_declare(
    *, actor: User, funding_request: FundingRequest, reason: str
) -> ConflictDeclaration:
    """Record the actor's conflict of interest; they are left out of the decision."""
    require(actor, "committees.declare_conflict", funding_request)
    membership = _membership(actor, funding_request.committee)
    declaration, created = ConflictDeclaration.objects.get_or_create(
        funding_request=funding_request, membership=membership, defaults={"reason": reason.strip()}
    )
    if created:
        audit_record(
            actor=actor, action="request.declare_conflict", obj=funding_request, note=reason
        )
    return declaration


# ---------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------


def _agenda_title(text: str) -> str:
    """An agenda title fits its column: an applicant's 160-character title plus a prefix
    or the applicant's name once overflowed it, and every later meeting with it."""
    limit = AgendaItem._meta.get_field("title").max_length
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
                "day": decision.decided_on.strftime("%d.%m.%Y"),
                "amount": _euros(decision.amount or ZERO),
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
    audit_record(actor=actor, action="meeting.create", obj=meeting)
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
    audit_record(actor=actor, action="meeting.agenda_add", obj=meeting, note=item.title)
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
    audit_record(actor=actor, action="meeting.agenda_add", obj=meeting, note=title)
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
    audit_record(actor=actor, action="meeting.invite", obj=meeting, note=f"{invited} invited")
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
    audit_record(actor=actor, action="meeting.regrets", obj=meeting, note=membership.name)
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
    audit_record(actor=actor, action="meeting.invite_deputy", obj=meeting, note=deputy.name)
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
        actor=actor, action="meeting.attendance", obj=meeting, note=f"{len(present_ids)} present"
    )
    return meeting


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
            params={"amount": _euros(amount), "requested": _euros(funding_request.amount)},
        )
    if rules.max_grant is not None and amount > rules.max_grant:
        raise ValidationError(
            AMOUNT_OVER_MAX_GRANT,
            code="over_max",
            params={"amount": _euros(amount), "limit": _euros(rules.max_grant)},
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
                "amount": _euros(amount),
                "left": _euros(left),
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
        amount = Decimal(data.amount or 0).quantize(CENT)
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
        action="decision.fast_track" if fast_track else "decision.record",
        obj=decision,
        changes={"outcome": [None, data.outcome], "amount": [None, str(amount or "")]},
    )
    from .tasks import decision_letter_task

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
    conflicted = set(
        ConflictDeclaration.objects.filter(funding_request=funding_request).values_list(
            "membership_id", flat=True
        )
    )
    actor_membership = selectors.membership_in(actor, meeting.committee)
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
    day = decided_on or _today()
    committee = funding_request.committee
    rules = selectors.rules_for(committee, on=day)
    amount = Decimal(data.amount or 0).quantize(CENT)
    if amount > rules.small_grant_limit:
        raise ValidationError(
            OVER_SMALL_GRANT_LIMIT,
            code="over_limit",
            params={"amount": _euros(amount), "limit": _euros(rules.small_grant_limit)},
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


# ---------------------------------------------------------------------------------------
# Minutes and letters (built by Celery tasks)
# ---------------------------------------------------------------------------------------


def minutes_request(*, actor: User, meeting: Meeting) -> None:
    """Ask a worker to build the minutes PDF from the meeting's data."""
    require(actor, "committees.manage_meeting", meeting)
    from .tasks import meeting_minutes_task

    audit_record(actor=actor, action="meeting.minutes_request", obj=meeting)
    enqueue(meeting_minutes_task, meeting.pk)


def minutes_generate(*, meeting_id: int) -> Meeting:
    """Render the minutes (pöytäkirja) to PDF and store it privately; run in a task."""
    from django.conf import settings

    from .pdf import render_pdf

    meeting = selectors.meeting_detail(meeting_id)
    quorum = selectors.meeting_quorum(meeting) if meeting.committee_id else None
    pdf = render_pdf(
        "committees/pdf/minutes.html",
        {
            "meeting": meeting,
            "quorum": quorum,
            "participants": list(meeting.participants.all()),
            "items": list(meeting.agenda_items.all()),
        },
        language=settings.LANGUAGE_CODE,
    )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting_id)
        old = locked.minutes_pdf.name if locked.minutes_pdf else ""
        locked.minutes_pdf.save(f"minutes-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.minutes_generated_at = timezone.now()
        locked.save(update_fields=["minutes_pdf", "minutes_generated_at"])
        audit_record(actor=None, action="meeting.minutes_generate", obj=locked)
        if old and old != locked.minutes_pdf.name:
            transaction.on_commit(lambda: locked.minutes_pdf.storage.delete(old))
    return locked


@transaction.atomic
def minutes_approve(*, actor: User, meeting: Meeting) -> Meeting:
    """The checked minutes are approved and published on the committee page."""
    require(actor, "committees.manage_meeting", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.minutes_pdf:
        raise ValidationError(MINUTES_NOT_GENERATED, code="no_minutes")
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(update_fields=["status", "minutes_approved_at", "minutes_approved_by"])
    audit_record(actor=actor, action="meeting.minutes_approve", obj=meeting)
    return meeting


def decision_letter_generate(*, decision_id: int) -> Decision:
    """Render the applicant's decision letter to PDF, store it and e-mail the applicant."""
    from django.conf import settings

    from .pdf import render_pdf

    decision = Decision.objects.select_related(
        "funding_request__application", "funding_request__committee", "meeting"
    ).get(pk=decision_id)
    grant = Grant.objects.filter(decision=decision).first()
    application = decision.funding_request.application
    rules = selectors.rules_for(decision.funding_request.committee, on=decision.decided_on)
    pdf = render_pdf(
        "committees/pdf/letter.html",
        {"decision": decision, "grant": grant, "application": application, "rules": rules},
        language=settings.LANGUAGE_CODE,
    )
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        old = locked.letter_pdf.name if locked.letter_pdf else ""
        locked.letter_pdf.save(f"decision-{locked.pk}.pdf", ContentFile(pdf), save=False)
        first_time = locked.letter_sent_at is None
        locked.letter_sent_at = locked.letter_sent_at or timezone.now()
        locked.save(update_fields=["letter_pdf", "letter_sent_at"])
        if old and old != locked.letter_pdf.name:
            # Only once the new letter is stored and named by the row; a lost clean-up is
            # caught by omakouvola.files.private_files_cleanup.
            storage = locked.letter_pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        if first_time and application.applicant_kind != ApplicantKind.COMMITTEE:
            email_person(
                email=application.email,
                user=application.created_by,
                template="committees_decision_letter",
                context={"decision": decision, "grant": grant, "application": application},
            )
        audit_record(actor=None, action="decision.letter", obj=locked)
    return locked


# ---------------------------------------------------------------------------------------
# Grants: payments, reports, closing, reminders
# ---------------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *, actor: User | None, grant: Grant, paid_on: dt.date, amount: Decimal, reference: str
) -> Payment:
    """Record a payment; the grant row is locked so payments never exceed the grant."""
    if actor is not None:  # None: a payment file read by the system
        require(actor, "committees.manage_money", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    amount = Decimal(amount).quantize(CENT)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    if grant.is_closed:
        raise ValidationError(GRANT_CLOSED, code="closed")
    paid = grant.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    if paid + amount > grant.amount:
        raise ValidationError(
            PAYMENT_OVER_GRANT,
            code="over_grant",
            params={"amount": _euros(amount), "left": _euros(grant.amount - paid)},
        )
    payment = Payment.objects.create(
        grant=grant, paid_on=paid_on, amount=amount, reference=reference, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="grant.payment",
        obj=grant,
        changes={"paid": [str(paid), str(paid + amount)]},
        note=reference,
    )
    return payment


@transaction.atomic
def grant_close(*, actor: User | None, grant: Grant, on: dt.date | None = None) -> Grant:
    """Close the grant: what was not paid goes back to the committee's allocation."""
    if actor is not None:  # None: closed by the system when the report is accepted
        require(actor, "committees.manage_money", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.is_closed:
        return grant
    paid = grant.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    grant.closed_on = on or _today()
    grant.released_amount = grant.amount - paid
    grant.save(update_fields=["closed_on", "released_amount"])
    audit_record(
        actor=actor,
        action="grant.close",
        obj=grant,
        changes={"released_amount": ["0.00", str(grant.released_amount)]},
    )
    return grant


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    grant: Grant,
    what_was_done: str,
    actual_costs: Decimal,
    volunteer_hours: int,
    photos: Sequence[UploadedFile] = (),
) -> FinalReport:
    require(actor, "committees.apply", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if FinalReport.objects.filter(grant=grant).exists():
        raise ValidationError(REPORT_ALREADY_SUBMITTED, code="already")
    for photo in photos:
        validate_upload(photo, images_only=True)
    report = FinalReport.objects.create(
        grant=grant,
        what_was_done=what_was_done.strip(),
        actual_costs=Decimal(actual_costs).quantize(CENT),
        volunteer_hours=volunteer_hours,
    )
    for photo in photos:
        item = ReportPhoto(report=report, original_name=(photo.name or "photo")[:200])
        item.file.save(photo.name or "photo", photo, save=False)
        item.save()
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="grant.report",
        obj=grant,
    )
    return report


def grant_send_report_reminders(*, today: dt.date | None = None) -> int:
    """Remind applicants of the final report before the deadline and after it has passed.

    Runs daily from beat; a ReportReminder row makes each reminder go out once.
    """
    day = today or _today()
    sent = 0
    grants = (
        Grant.objects.filter(closed_on__isnull=True, final_report__isnull=True)
        .exclude(decision__funding_request__application__applicant_kind=ApplicantKind.COMMITTEE)
        .select_related("decision__funding_request__application", "committee")
    )
    for grant in grants:
        rules = selectors.rules_for(grant.committee, on=day)
        if day > grant.report_due:
            kind = ReminderKind.AFTER
        elif day >= grant.report_due - dt.timedelta(days=rules.reminder_days_before):
            kind = ReminderKind.BEFORE
        else:
            continue
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(grant=grant, kind=kind)
            if not created:
                continue
            application = grant.decision.funding_request.application
            email_person(
                email=application.email,
                user=application.created_by,
                template="committees_report_reminder",
                context={
                    "grant": grant,
                    "application": application,
                    "overdue": kind == ReminderKind.AFTER,
                },
            )
            audit_record(actor=None, action=f"grant.reminder_{kind}", obj=grant)
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------
# Corrections made in the admin (audited like every other write)
# ---------------------------------------------------------------------------------------

# What may be corrected on a meeting: who takes part follows from its committee.
MEETING_FIELDS = ("starts_at", "place", "online_link")
GRANT_CLOSED_REPORT_DUE = _("The grant is closed; its report date no longer changes.")


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, changed_fields: Iterable[str]) -> Meeting:
    """Move a planned meeting or change where it is held."""
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
        action="meeting.update",
        obj=stored,
        changes=field_changes(before, {name: getattr(stored, name) for name in changed}),
    )
    return stored


@transaction.atomic
def grant_set_report_due(*, actor: User, grant: Grant, report_due: dt.date) -> Grant:
    """Give the grantee more (or less) time for the final report."""
    require(actor, "committees.manage_money", grant)
    stored = Grant.objects.select_for_update().get(pk=grant.pk)
    if stored.is_closed:
        raise ValidationError(GRANT_CLOSED_REPORT_DUE, code="closed")
    before = stored.report_due
    stored.report_due = report_due
    stored.save(update_fields=["report_due"])
    audit_record(
        actor=actor,
        action="grant.report_due",
        obj=stored,
        changes=field_changes({"report_due": before}, {"report_due": report_due}),
    )
    return stored
