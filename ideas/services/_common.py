"""Every write in the ideas app: submission, screening, workshops, pledges, proposals.

Each status change goes through `_change_status`, which records the public status
history, the audit entry and the submitter's e-mail in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from ..models import (
    Idea,
    IdeaStatusChange,
    Proposal,
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
