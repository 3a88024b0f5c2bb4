"""Screening ideas: assessments, experts, forwarding, rejection, merging."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes, notify

from ..models import (
    SCREENABLE_STATUSES,
    Assessment,
    Feasibility,
    Idea,
    IdeaStatus,
    Rating,
    RejectReason,
    SustainabilityAssessment,
)
from ._common import (
    _record_status,
    _require,
)

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

# ---------------------------------------------------------------------------------------
# Screening
# ---------------------------------------------------------------------------------------


# The outcomes of screening that followers hear of (merging is told when the proposal
# it went into is approved and can be shown).
SCREENED_STATUSES = {
    IdeaStatus.FORWARDED,
    IdeaStatus.REJECTED,
    IdeaStatus.DUPLICATE,
    IdeaStatus.TRANSFERRED,
}


def _change_status(
    *,
    actor: User,
    idea: Idea,
    to_status: IdeaStatus,
    action: AuditAction,
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
    told = tell_submitter and idea.submitter is not None and from_status != to_status
    if told and idea.submitter is not None:
        notify(
            user=idea.submitter,
            template="ideas_status_changed",
            context={"idea": idea, "public_reasoning": public_reasoning},
        )
    if to_status in SCREENED_STATUSES and from_status != to_status:
        hooks.announce_news(
            hooks.NEWS_SCREENED,
            subject=idea,
            idea_ids=[idea.pk],
            already_told=[idea.submitter_id] if told else [],
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
    fields: dict[str, Any] = {"assigned_expert": expert} if expert is not None else {}
    if locked.status == IdeaStatus.IN_SCREENING:
        if expert is not None and locked.assigned_expert_id != expert.pk:
            locked.assigned_expert = expert
            locked.save(update_fields=["assigned_expert", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.IDEA_ASSIGN_EXPERT,
                obj=locked,
                changes={"assigned_expert": [None, expert.pk]},
            )
            notify(user=expert, template="ideas_expert_assigned", context={"idea": locked})
        return locked
    _change_status(
        actor=actor,
        idea=locked,
        to_status=IdeaStatus.IN_SCREENING,
        action=AuditAction.IDEA_START_SCREENING,
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
        action=AuditAction.IDEA_FORWARD,
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
        action=AuditAction.IDEA_REJECT,
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
        action=AuditAction.IDEA_MARK_DUPLICATE,
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
        action=AuditAction.IDEA_TRANSFER,
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
            action=AuditAction.IDEA_HIDE if hidden else AuditAction.IDEA_UNHIDE,
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
        actor=actor,
        action=AuditAction.IDEA_ASSESS,
        obj=locked,
        changes=field_changes(before, values),
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
        action=AuditAction.IDEA_ASSESS_SUSTAINABILITY,
        obj=locked,
        changes=field_changes(before, values),
    )
    return record
