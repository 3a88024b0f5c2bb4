"""Every write in the ideas app: submission, screening, workshops, pledges, proposals.

Each status change goes through `_change_status`, which records the public status
history, the audit entry and the submitter's e-mail in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import (
    Idea,
    IdeaStatusChange,
    Proposal,
)

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


def _record_status(
    idea: Idea, from_status: str, to_status: str, public_reasoning: str = ""
) -> None:
    IdeaStatusChange.objects.create(
        idea=idea, from_status=from_status, to_status=to_status, public_reasoning=public_reasoning
    )
