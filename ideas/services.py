"""Every write in the ideas app: submission, screening, workshops, pledges, proposals.

Each status change goes through `_change_status`, which records the public status
history, the audit entry and the submitter's e-mail in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.formatting import format_euros
from omakouvola.models import Area, Cycle, Phase, User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes, notify

from .images import MAX_IMAGES_PER_IDEA, TOO_MANY_IMAGES, reencode_image
from .models import (
    SCREENABLE_STATUSES,
    Assessment,
    Channel,
    Feasibility,
    Idea,
    IdeaImage,
    IdeaStatus,
    IdeaStatusChange,
    Proposal,
    ProposalStatus,
    Rating,
    RegistrationStatus,
    RejectReason,
    SustainabilityAssessment,
    Theme,
    VolunteerPledge,
    Workshop,
    WorkshopRegistration,
)

# The refusal messages live with the rules; views and tests still read them here.
from .rules import NOT_VERIFIED, NOT_YOUR_IDEA  # noqa: F401

IDEATION_CLOSED = _("Ideas cannot be submitted now. Ideation is open from %(starts)s to %(ends)s.")
IDEA_LOCKED = _("Screening of this idea has started, so it can no longer be changed.")
NOT_SCREENABLE = _("This idea has already been screened: %(status)s.")
SUSTAINABILITY_REQUIRED = _(
    "A sustainability assessment is required before the idea can be forwarded."
)
LATER_COSTS_NEED_JUSTIFICATION = _(
    "The idea would create yearly maintenance costs of %(cost)s. Record why that is "
    "acceptable in the assessment before forwarding it."
)
REASON_REQUIRED = _("Choose a reason and write a public explanation.")
EXPERT_RECORDED_LATER_COSTS = _(
    "The expert recorded yearly maintenance costs of %(cost)s, so the idea cannot be "
    "checked as creating no later costs."
)
DUPLICATE_OF_ITSELF = _("An idea cannot be a duplicate of itself.")
BODY_REQUIRED = _("Name the body the idea is transferred to.")
COST_RANGE_INVALID = _("The lower cost cannot be more than the upper cost.")
ALREADY_PLEDGED = _("You have already offered help for this.")
WORKSHOP_STARTED = _("Registration has closed: the workshop has already started.")
ALREADY_REGISTERED = _("You are already registered for this workshop.")
NOT_REGISTERED = _("You are not registered for this workshop.")
PROPOSAL_NEEDS_FORWARDED_IDEAS = _(
    "Only ideas forwarded to co-development can be merged into a proposal: %(titles)s."
)
PROPOSAL_NEEDS_IDEAS = _("Choose at least one idea for the proposal.")
PROPOSAL_IDEAS_FROM_OTHER_CYCLE = _("All ideas of a proposal must belong to its cycle.")
PROPOSAL_CLAIMS_NO_LATER_COSTS = _(
    "The text says the proposal brings no maintenance costs, but the expert recorded "
    "yearly maintenance costs for %(ideas)s. Correct the text or the assessment."
)
PROPOSAL_NOT_DRAFT = _("Only a draft proposal can be approved.")
PROPOSAL_FROZEN = _(
    "Votes have already been cast on a ballot with this proposal, so its cost can no longer change."
)

# Fields whose change would change what votes already cast meant.
PROPOSAL_FROZEN_FIELDS = ("cost",)
# Apps that put proposals to a vote register here a check "is this proposal frozen?"
# (ideas cannot import them: they depend on ideas). A database trigger backs it.
proposal_freeze_checks: list[Callable[[Proposal], bool]] = []


def _require(condition: bool, message: Any, code: str, **params: Any) -> None:
    if not condition:
        raise ValidationError(message, code=code, params=params or None)


# ---------------------------------------------------------------------------------------
# Submission
# ---------------------------------------------------------------------------------------


def _validate_phase(cycle: Cycle, at: dt.datetime | None) -> None:
    if not cycle.is_phase_open(Phase.IDEATION, at):
        raise ValidationError(
            IDEATION_CLOSED,
            code="ideation_closed",
            params={
                "starts": cycle.ideation_starts_on.strftime("%-d.%-m.%Y"),
                "ends": cycle.ideation_ends_on.strftime("%-d.%-m.%Y"),
            },
        )


def _add_images(idea: Idea, images: Sequence[UploadedFile], alt_texts: Sequence[str] = ()) -> None:
    existing = idea.images.count()
    _require(existing + len(images) <= MAX_IMAGES_PER_IDEA, TOO_MANY_IMAGES, "too_many")
    start = (idea.images.aggregate(m=Max("position"))["m"] or 0) + 1
    for offset, upload in enumerate(images):
        alt = alt_texts[offset] if offset < len(alt_texts) else ""
        IdeaImage.objects.create(
            idea=idea, image=reencode_image(upload), alt_text=alt[:200], position=start + offset
        )


def _record_status(
    idea: Idea, from_status: str, to_status: str, public_reasoning: str = ""
) -> None:
    IdeaStatusChange.objects.create(
        idea=idea, from_status=from_status, to_status=to_status, public_reasoning=public_reasoning
    )


IDEA_FIELDS = (
    "title",
    "description",
    "area",
    "theme",
    "address",
    "latitude",
    "longitude",
    "rough_cost",
    "for_youth",
    "consents_to_codevelopment",
    "on_behalf_of",
)


def _create_idea(
    *,
    actor: User,
    cycle: Cycle,
    fields: dict[str, Any],
    images: Sequence[UploadedFile],
    alt_texts: Sequence[str],
    action: str,
) -> Idea:
    idea = Idea(cycle=cycle, **fields)
    idea.full_clean(exclude=["submitter"])
    idea.save()
    _add_images(idea, images, alt_texts)
    _record_status(idea, "", IdeaStatus.SUBMITTED)
    audit_record(actor=actor, action=action, obj=idea)
    return idea


@transaction.atomic
def idea_submit(
    *,
    actor: User,
    cycle: Cycle,
    title: str,
    description: str,
    area: Area | None = None,
    theme: Theme | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    rough_cost: Decimal | None = None,
    for_youth: bool = False,
    consents_to_codevelopment: bool = False,
    on_behalf_of: str = "",
    images: Sequence[UploadedFile] = (),
    alt_texts: Sequence[str] = (),
    at: dt.datetime | None = None,
) -> Idea:
    """A resident submits an idea during ideation; they get a confirmation e-mail."""
    # The phase first: its refusal names the dates, the rule's only says "not now".
    _validate_phase(cycle, at)
    require(actor, "ideas.submit_idea", cycle)
    idea = _create_idea(
        actor=actor,
        cycle=cycle,
        fields={
            "title": title.strip(),
            "description": description.strip(),
            "area": area,
            "theme": theme,
            "address": address.strip(),
            "latitude": latitude,
            "longitude": longitude,
            "rough_cost": rough_cost,
            "for_youth": for_youth,
            "consents_to_codevelopment": consents_to_codevelopment,
            "on_behalf_of": on_behalf_of.strip(),
            "submitter": actor,
            "channel": Channel.WEB,
        },
        images=images,
        alt_texts=alt_texts,
        action="idea.submit",
    )
    notify(user=actor, template="ideas_submitted", context={"idea": idea})
    return idea


@transaction.atomic
def idea_enter_on_behalf(
    *,
    actor: User,
    cycle: Cycle,
    channel: str,
    title: str,
    description: str,
    submitter_name: str = "",
    submitter_contact: str = "",
    submitter_birth_year: int | None = None,
    area: Area | None = None,
    theme: Theme | None = None,
    address: str = "",
    rough_cost: Decimal | None = None,
    for_youth: bool = False,
    consents_to_codevelopment: bool = False,
    created_at: dt.datetime | None = None,
) -> Idea:
    """Staff enter an idea that came on paper, at a village evening or in a workshop.

    Allowed outside the ideation phase too: paper forms arrive by post after it ends.
    """
    require(actor, "ideas.screen_idea")
    fields: dict[str, Any] = {
        "title": title.strip(),
        "description": description.strip(),
        "area": area,
        "theme": theme,
        "address": address.strip(),
        "rough_cost": rough_cost,
        "for_youth": for_youth,
        "consents_to_codevelopment": consents_to_codevelopment,
        "channel": channel,
        "submitter_name": submitter_name.strip(),
        "submitter_contact": submitter_contact.strip(),
        "submitter_birth_year": submitter_birth_year,
    }
    if created_at is not None:
        fields["created_at"] = created_at
    return _create_idea(
        actor=actor, cycle=cycle, fields=fields, images=(), alt_texts=(), action="idea.enter"
    )


@transaction.atomic
def idea_import(*, actor: User, cycle: Cycle, rows: Iterable[dict[str, Any]]) -> list[Idea]:
    """Enter many ideas at once (a survey export); all or nothing."""
    require(actor, "ideas.screen_idea")
    return [idea_enter_on_behalf(actor=actor, cycle=cycle, **row) for row in rows]


@transaction.atomic
def idea_correct(*, actor: User, idea: Idea, changed_fields: Iterable[str]) -> Idea:
    """Staff correct an idea's text or facts (typos, the right area); status is untouched."""
    require(actor, "ideas.screen_idea")
    fields = [name for name in changed_fields if name in IDEA_FIELDS or name in STAFF_FIELDS]
    stored = Idea.objects.select_for_update().get(pk=idea.pk)
    before = {name: getattr(stored, name) for name in fields}
    idea.full_clean(exclude=["submitter"])
    idea.save()
    audit_record(
        actor=actor,
        action="idea.correct",
        obj=idea,
        changes=field_changes(before, {name: getattr(idea, name) for name in fields}),
    )
    return idea


STAFF_FIELDS = (
    "cycle",
    "channel",
    "submitter_name",
    "submitter_contact",
    "submitter_birth_year",
)


def _lock_own_editable(actor: User, idea: Idea) -> Idea:
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    require(actor, "ideas.change_own_idea", locked)
    _require(locked.is_editable, IDEA_LOCKED, "locked")
    return locked


@transaction.atomic
def idea_update(
    *,
    actor: User,
    idea: Idea,
    new_images: Sequence[UploadedFile] = (),
    new_alt_texts: Sequence[str] = (),
    remove_image_ids: Iterable[int] = (),
    **fields: Any,
) -> Idea:
    """The submitter changes their idea while screening has not started."""
    locked = _lock_own_editable(actor, idea)
    unknown = set(fields) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean(exclude=["submitter"])
    removed = list(remove_image_ids)
    for image in locked.images.filter(pk__in=removed):
        image.image.delete(save=False)
        image.delete()
    _add_images(locked, new_images, new_alt_texts)
    locked.save()
    changes = field_changes(before, {name: getattr(locked, name) for name in fields})
    if new_images:
        changes["images_added"] = [0, len(new_images)]
    if removed:
        changes["images_removed"] = [0, len(removed)]
    audit_record(actor=actor, action="idea.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def idea_withdraw(*, actor: User, idea: Idea) -> Idea:
    locked = _lock_own_editable(actor, idea)
    return _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.WITHDRAWN,
        action="idea.withdraw",
        tell_submitter=False,
    )


# ---------------------------------------------------------------------------------------
# Screening
# ---------------------------------------------------------------------------------------


def _change_status(
    *,
    actor: User,
    idea: Idea,
    to_status: IdeaStatus,
    action: str,
    public_reasoning: str = "",
    tell_submitter: bool = True,
    **fields: Any,
) -> Idea:
    from_status = idea.status
    before = {"status": from_status, **{name: getattr(idea, name) for name in fields}}
    idea.status = to_status
    idea.public_reasoning = public_reasoning or idea.public_reasoning
    for name, value in fields.items():
        setattr(idea, name, value)
    idea.save()
    _record_status(idea, from_status, to_status, public_reasoning)
    audit_record(
        actor=actor,
        action=action,
        obj=idea,
        changes=field_changes(before, {"status": to_status, **fields}),
        note=public_reasoning,
    )
    if tell_submitter and idea.submitter_id and from_status != to_status:
        notify(
            user=idea.submitter,
            template="ideas_status_changed",
            context={"idea": idea, "public_reasoning": public_reasoning},
        )
    return idea


def _lock_screenable(actor: User, idea: Idea) -> Idea:
    require(actor, "ideas.screen_idea")
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    _require(
        locked.status in SCREENABLE_STATUSES,
        NOT_SCREENABLE,
        "already_screened",
        status=locked.get_status_display(),
    )
    return locked


@transaction.atomic
def idea_start_screening(*, actor: User, idea: Idea, expert: User | None = None) -> Idea:
    """Screening begins (the submitter can no longer edit); optionally assign an expert."""
    locked = _lock_screenable(actor, idea)
    fields = {"assigned_expert": expert} if expert is not None else {}
    if locked.status == IdeaStatus.IN_SCREENING:
        if expert is not None and locked.assigned_expert_id != expert.pk:
            locked.assigned_expert = expert
            locked.save(update_fields=["assigned_expert", "updated_at"])
            audit_record(
                actor=actor,
                action="idea.assign_expert",
                obj=locked,
                changes={"assigned_expert": [None, expert.pk]},
            )
            notify(user=expert, template="ideas_expert_assigned", context={"idea": locked})
        return locked
    _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.IN_SCREENING,
        action="idea.start_screening",
        **fields,
    )
    if expert is not None:
        notify(user=expert, template="ideas_expert_assigned", context={"idea": locked})
    return locked


@transaction.atomic
def idea_forward(*, actor: User, idea: Idea, public_reasoning: str = "") -> Idea:
    """Forward to co-development: needs a sustainability assessment and, if the idea
    would bring later costs, a recorded justification (PB creates no later costs)."""
    locked = _lock_screenable(actor, idea)
    _require(
        SustainabilityAssessment.objects.filter(idea=locked).exists(),
        SUSTAINABILITY_REQUIRED,
        "sustainability_required",
    )
    assessment = Assessment.objects.filter(idea=locked).first()
    if assessment is not None and assessment.creates_later_costs:
        _require(
            bool(assessment.maintenance_justification.strip()),
            LATER_COSTS_NEED_JUSTIFICATION,
            "later_costs",
            cost=format_euros(assessment.maintenance_cost_per_year),
        )
    return _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.FORWARDED,
        action="idea.forward",
        public_reasoning=public_reasoning,
    )


@transaction.atomic
def idea_reject(*, actor: User, idea: Idea, reason: str, public_reasoning: str) -> Idea:
    _require(
        reason in RejectReason.values and bool(public_reasoning.strip()),
        REASON_REQUIRED,
        "reason_required",
    )
    locked = _lock_screenable(actor, idea)
    return _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.REJECTED,
        action="idea.reject",
        public_reasoning=public_reasoning.strip(),
        reject_reason=reason,
    )


@transaction.atomic
def idea_mark_duplicate(
    *, actor: User, idea: Idea, original: Idea, public_reasoning: str = ""
) -> Idea:
    _require(original.pk != idea.pk, DUPLICATE_OF_ITSELF, "self_duplicate")
    locked = _lock_screenable(actor, idea)
    return _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.DUPLICATE,
        action="idea.mark_duplicate",
        public_reasoning=public_reasoning.strip(),
        duplicate_of=original,
    )


@transaction.atomic
def idea_transfer(*, actor: User, idea: Idea, body: str, public_reasoning: str = "") -> Idea:
    """Send the idea to the body it belongs to (the ELY centre, a road authority …)."""
    _require(bool(body.strip()), BODY_REQUIRED, "body_required")
    locked = _lock_screenable(actor, idea)
    return _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.TRANSFERRED,
        action="idea.transfer",
        public_reasoning=public_reasoning.strip(),
        transferred_to=body.strip(),
    )


@transaction.atomic
def idea_set_hidden(*, actor: User, idea: Idea, hidden: bool, note: str = "") -> Idea:
    """Moderation: hide an idea that breaks the rules of discussion, or show it again."""
    require(actor, "ideas.screen_idea")
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.is_hidden != hidden:
        locked.is_hidden = hidden
        locked.save(update_fields=["is_hidden", "updated_at"])
        audit_record(
            actor=actor,
            action="idea.hide" if hidden else "idea.unhide",
            obj=locked,
            changes={"is_hidden": [not hidden, hidden]},
            note=note,
        )
    return locked


def _lock_for_assessment(actor: User, idea: Idea) -> Idea:
    """Only the assigned expert, the city team or the coordinator assess an idea."""
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    require(actor, "ideas.assess_idea", locked)
    return locked


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    idea: Idea,
    feasibility: str,
    cost_min: Decimal,
    cost_max: Decimal,
    maintenance_cost_per_year: Decimal = Decimal(0),
    maintenance_justification: str = "",
    feasibility_note: str = "",
) -> Assessment:
    """The assigned expert (or the city team) records feasibility and costs."""
    locked = _lock_for_assessment(actor, idea)
    _require(feasibility in Feasibility.values, REASON_REQUIRED, "feasibility")
    _require(Decimal(0) <= cost_min <= cost_max, COST_RANGE_INVALID, "cost_range")
    values = {
        "feasibility": feasibility,
        "feasibility_note": feasibility_note.strip(),
        "cost_min": cost_min,
        "cost_max": cost_max,
        "maintenance_cost_per_year": maintenance_cost_per_year,
        "maintenance_justification": maintenance_justification.strip(),
    }
    existing = Assessment.objects.filter(idea=locked).first()
    before = {k: getattr(existing, k) for k in values} if existing else {}
    assessment, _created = Assessment.objects.update_or_create(
        idea=locked, defaults={**values, "expert": actor, "assessed_at": timezone.now()}
    )
    audit_record(
        actor=actor, action="idea.assess", obj=locked, changes=field_changes(before, values)
    )
    return assessment


@transaction.atomic
def sustainability_record(
    *,
    actor: User,
    idea: Idea,
    ecological: str,
    social: str,
    economic: str,
    ecological_note: str = "",
    social_note: str = "",
    economic_note: str = "",
    no_later_costs: bool = False,
) -> SustainabilityAssessment:
    """Record the three sustainability ratings and, optionally, the "no later costs"
    check; the check cannot contradict a maintenance cost the expert recorded."""
    locked = _lock_for_assessment(actor, idea)
    for rating in (ecological, social, economic):
        _require(rating in Rating.values, REASON_REQUIRED, "rating")
    if no_later_costs:
        assessment = Assessment.objects.filter(idea=locked).first()
        _require(
            assessment is None or not assessment.creates_later_costs,
            EXPERT_RECORDED_LATER_COSTS,
            "later_costs_recorded",
            cost=format_euros(assessment.maintenance_cost_per_year) if assessment else "",
        )
    values = {
        "ecological": ecological,
        "ecological_note": ecological_note.strip(),
        "social": social,
        "social_note": social_note.strip(),
        "economic": economic,
        "economic_note": economic_note.strip(),
        "no_later_costs": no_later_costs,
    }
    existing = SustainabilityAssessment.objects.filter(idea=locked).first()
    before = {k: getattr(existing, k) for k in values} if existing else {}
    record, _created = SustainabilityAssessment.objects.update_or_create(
        idea=locked, defaults={**values, "assessed_by": actor, "assessed_at": timezone.now()}
    )
    audit_record(
        actor=actor,
        action="idea.assess_sustainability",
        obj=locked,
        changes=field_changes(before, values),
    )
    return record


# ---------------------------------------------------------------------------------------
# Volunteering
# ---------------------------------------------------------------------------------------


@transaction.atomic
def pledge_create(
    *,
    actor: User,
    what: str,
    hours: int,
    idea: Idea | None = None,
    proposal: Proposal | None = None,
) -> VolunteerPledge:
    require(actor, "ideas.pledge", idea or proposal)
    pledge = VolunteerPledge(
        user=actor, idea=idea, proposal=proposal, what=what.strip(), hours=hours
    )
    pledge.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        raise ValidationError(ALREADY_PLEDGED, code="already_pledged") from None
    audit_record(actor=actor, action="pledge.create", obj=pledge)
    return pledge


@transaction.atomic
def pledge_withdraw(*, actor: User, pledge: VolunteerPledge) -> None:
    require(actor, "ideas.withdraw_pledge", pledge)
    audit_record(actor=actor, action="pledge.withdraw", obj=pledge)
    pledge.delete()


# ---------------------------------------------------------------------------------------
# Workshops
# ---------------------------------------------------------------------------------------


@transaction.atomic
def workshop_register(
    *, actor: User, workshop: Workshop, at: dt.datetime | None = None
) -> WorkshopRegistration:
    """Take a free seat, or a place on the waiting list when the workshop is full.

    The workshop row is locked so concurrent registrations are counted one at a time;
    the unique seat number backs this up in the database.
    """
    require(actor, "ideas.register_workshop", workshop)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _require((at or timezone.now()) < locked.starts_at, WORKSHOP_STARTED, "started")
    registration = WorkshopRegistration.objects.filter(workshop=locked, user=actor).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError(ALREADY_REGISTERED, code="already_registered")
    seat = _free_seat(locked)
    status = RegistrationStatus.REGISTERED if seat else RegistrationStatus.WAITING
    if registration is None:
        registration = WorkshopRegistration(workshop=locked, user=actor)
    registration.status = status
    registration.seat = seat
    registration.created_at = timezone.now()
    registration.save()
    audit_record(actor=actor, action=f"workshop.{status}", obj=locked)
    notify(
        user=actor,
        template="ideas_workshop_registered",
        context={"workshop": locked, "registration": registration},
    )
    return registration


def _free_seat(workshop: Workshop) -> int | None:
    taken = set(
        WorkshopRegistration.objects.filter(
            workshop=workshop, status=RegistrationStatus.REGISTERED
        ).values_list("seat", flat=True)
    )
    for seat in range(1, workshop.capacity + 1):
        if seat not in taken:
            return seat
    return None


@transaction.atomic
def workshop_cancel(*, actor: User, workshop: Workshop) -> WorkshopRegistration | None:
    """Give up a seat; the first on the waiting list moves up and is told."""
    require(actor, "ideas.cancel_registration", workshop)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    registration = (
        WorkshopRegistration.objects.filter(workshop=locked, user=actor)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(NOT_REGISTERED, code="not_registered")
    had_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.seat = None
    registration.save(update_fields=["status", "seat"])
    audit_record(actor=actor, action="workshop.cancel", obj=locked)
    promoted = None
    if had_seat and timezone.now() < locked.starts_at:
        promoted = (
            WorkshopRegistration.objects.filter(workshop=locked, status=RegistrationStatus.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if promoted is not None:
            promoted.status = RegistrationStatus.REGISTERED
            promoted.seat = _free_seat(locked)
            promoted.save(update_fields=["status", "seat"])
            audit_record(
                actor=None, action="workshop.promote", obj=locked, note=str(promoted.user_id)
            )
            notify(
                user=promoted.user,
                template="ideas_workshop_promoted",
                context={"workshop": locked},
            )
    return promoted


@transaction.atomic
def workshop_set_agenda(*, actor: User, workshop: Workshop, ideas: Iterable[Idea]) -> int:
    """Put ideas on the agenda; submitters who consented are invited. Returns invitations."""
    require(actor, "ideas.manage_workshops")
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    wanted = {idea.pk: idea for idea in ideas}
    current = set(locked.ideas.values_list("pk", flat=True))
    added = [wanted[pk] for pk in wanted.keys() - current]
    locked.ideas.set(list(wanted.values()))
    audit_record(
        actor=actor,
        action="workshop.set_agenda",
        obj=locked,
        changes={"ideas": [sorted(current), sorted(wanted)]},
    )
    invited = 0
    for idea in added:
        if idea.submitter_id and idea.consents_to_codevelopment:
            notify(
                user=idea.submitter,
                template="ideas_workshop_invitation",
                context={"workshop": locked, "idea": idea},
            )
            invited += 1
    return invited


@transaction.atomic
def workshop_record_attendance(
    *, actor: User, workshop: Workshop, attended_user_ids: Iterable[int]
) -> int:
    require(actor, "ideas.manage_workshops")
    attended = set(attended_user_ids)
    registrations = WorkshopRegistration.objects.select_for_update().filter(
        workshop=workshop, status=RegistrationStatus.REGISTERED
    )
    for registration in registrations:
        registration.attended = registration.user_id in attended
        registration.save(update_fields=["attended"])
    audit_record(
        actor=actor, action="workshop.attendance", obj=workshop, note=f"{len(attended)} attended"
    )
    return len(attended)


def workshop_send_reminders(*, at: dt.datetime | None = None) -> int:
    """Remind everyone with a seat the day before their workshop (run hourly by beat)."""
    now = at or timezone.now()
    tomorrow = Cycle.local_date(now) + dt.timedelta(days=1)
    sent = 0
    registrations = WorkshopRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminder_sent_at__isnull=True,
        workshop__starts_at__gt=now,
    ).select_related("workshop", "user")
    for registration in registrations:
        if Cycle.local_date(registration.workshop.starts_at) != tomorrow:
            continue
        with transaction.atomic():
            locked = WorkshopRegistration.objects.select_for_update().get(pk=registration.pk)
            if locked.reminder_sent_at is not None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            notify(
                user=registration.user,
                template="ideas_workshop_reminder",
                context={"workshop": registration.workshop},
            )
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------
# Proposals
# ---------------------------------------------------------------------------------------


# How proposals say "no maintenance costs" in the three languages of the service.
NO_LATER_COSTS_CLAIM = re.compile(
    r"\b(ei|eikä)\s+(\w+\s+)?(ylläpito|käyttö|huolto)\w*(kulu|kustannu)\w*"
    r"|\bylläpito\w*\s+(ei\s+ole|eivät)\b"
    r"|\bno\s+(\w+\s+)?(maintenance|running|operating|upkeep)\s+costs?\b"
    r"|\binga\s+(\w+\s+)?(underhålls|drift)\w*kostnad\w*",
    re.IGNORECASE,
)


def proposal_later_costs_conflict(*, texts: Iterable[str], ideas: Iterable[Idea]) -> list[str]:
    """Titles of ideas whose expert recorded yearly costs while the text claims none."""
    if not any(NO_LATER_COSTS_CLAIM.search(text or "") for text in texts):
        return []
    return [
        f"{a.idea.title} ({format_euros(a.maintenance_cost_per_year)})"
        for a in Assessment.objects.filter(
            idea__in=[i.pk for i in ideas], maintenance_cost_per_year__gt=0
        ).select_related("idea")
    ]


def _require_no_false_claim(texts: Iterable[str], ideas: Iterable[Idea]) -> None:
    conflicts = proposal_later_costs_conflict(texts=texts, ideas=ideas)
    _require(
        not conflicts,
        PROPOSAL_CLAIMS_NO_LATER_COSTS,
        "false_no_later_costs",
        ideas=", ".join(conflicts),
    )


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    cycle: Cycle,
    ideas: Sequence[Idea],
    title: str,
    description: str,
    cost: Decimal,
    area: Area | None = None,
    theme: Theme | None = None,
    responsible_sector: str = "",
    sustainability_summary: str = "",
    image: UploadedFile | None = None,
    image_alt_text: str = "",
) -> Proposal:
    """Form a costed proposal from forwarded ideas; the ideas are merged into it."""
    require(actor, "ideas.prepare_proposal")
    _require(len(ideas) > 0, PROPOSAL_NEEDS_IDEAS, "no_ideas")
    locked = list(Idea.objects.select_for_update().filter(pk__in=[i.pk for i in ideas]))
    not_forwarded = [i.title for i in locked if i.status != IdeaStatus.FORWARDED]
    _require(
        not not_forwarded,
        PROPOSAL_NEEDS_FORWARDED_IDEAS,
        "not_forwarded",
        titles=", ".join(not_forwarded),
    )
    _require(all(i.cycle_id == cycle.pk for i in locked), PROPOSAL_IDEAS_FROM_OTHER_CYCLE, "cycle")
    _require_no_false_claim([title, description, sustainability_summary], locked)
    proposal = Proposal(
        cycle=cycle,
        title=title.strip(),
        description=description.strip(),
        cost=cost,
        area=area,
        theme=theme,
        responsible_sector=responsible_sector.strip(),
        sustainability_summary=sustainability_summary.strip(),
        image_alt_text=image_alt_text.strip(),
    )
    if image is not None:
        proposal.image = reencode_image(image)
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=actor,
        action="proposal.create",
        obj=proposal,
        note=", ".join(str(i.pk) for i in locked),
    )
    for idea in locked:
        _change_status(
            actor=actor,
            idea=idea,
            to_status=IdeaStatus.MERGED,
            action="idea.merge",
            public_reasoning="",
            proposal=proposal,
        )
    return proposal


def proposal_is_frozen(proposal: Proposal) -> bool:
    return any(check(proposal) for check in proposal_freeze_checks)


@transaction.atomic
def proposal_update(
    *, actor: User, proposal: Proposal, changed_fields: Iterable[str] = ()
) -> Proposal:
    """Save a changed proposal; its cost is frozen once a ballot with it has votes."""
    require(actor, "ideas.prepare_proposal")
    stored = Proposal.objects.select_for_update().get(pk=proposal.pk)
    changed = set(changed_fields)
    if changed & set(PROPOSAL_FROZEN_FIELDS) and proposal_is_frozen(stored):
        raise ValidationError(PROPOSAL_FROZEN, code="frozen")
    before = {name: getattr(stored, name) for name in changed}
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        # The database trigger refused: a vote arrived between the check and the save.
        raise ValidationError(PROPOSAL_FROZEN, code="frozen") from None
    audit_record(
        actor=actor,
        action="proposal.update",
        obj=proposal,
        changes=field_changes(before, {name: getattr(proposal, name) for name in changed}),
    )
    return proposal


@transaction.atomic
def proposal_approve(*, actor: User, proposal: Proposal) -> Proposal:
    """The coordinator approves a draft proposal for the ballot."""
    require(actor, "ideas.approve_proposal", proposal)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require(locked.status == ProposalStatus.DRAFT, PROPOSAL_NOT_DRAFT, "not_draft")
    locked.status = ProposalStatus.APPROVED
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_at"])
    audit_record(
        actor=actor,
        action="proposal.approve",
        obj=locked,
        changes={"status": [ProposalStatus.DRAFT, ProposalStatus.APPROVED]},
    )
    return locked


# ---------------------------------------------------------------------------------------
# Support ("kannatan", issue #17): a screening signal, not a vote
# ---------------------------------------------------------------------------------------


@transaction.atomic
def idea_support_set(*, actor: User, idea: Idea, support: bool) -> bool:
    """Support the idea or take the support back; returns whether the actor supports it now.

    Idempotent rather than a toggle, so a double click or two tabs cannot undo each other:
    the page posts the state it wants. Parallel requests meet the unique constraint (one
    wins, the others find the row) and deletes of a missing row do nothing. Only a change
    is audited.
    """
    from .models import IdeaSupport

    require(actor, "ideas.support_idea", idea)
    if support:
        with transaction.atomic():
            _row, created = IdeaSupport.objects.get_or_create(idea=idea, user=actor)
        if created:
            audit_record(actor=actor, action="idea.support", obj=idea)
        return True
    deleted, _kinds = IdeaSupport.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        audit_record(actor=actor, action="idea.support_withdraw", obj=idea)
    return False
