"""Proposals: costed plans formed from ideas, approved for the ballot."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.formatting import format_euros
from omakouvola.images import reencode_image
from omakouvola.models import Area, Cycle, User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes

from ..models import (
    Assessment,
    Idea,
    IdeaStatus,
    Proposal,
    ProposalStatus,
    Theme,
)
from ._common import (
    PROPOSAL_FROZEN_FIELDS,
    _require,
    proposal_freeze_checks,
)
from .screening import _change_status

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
        action=AuditAction.PROPOSAL_CREATE,
        obj=proposal,
        note=", ".join(str(i.pk) for i in locked),
    )
    for idea in locked:
        _change_status(
            actor=actor,
            idea=idea,
            to_status=IdeaStatus.MERGED,
            action=AuditAction.IDEA_MERGE,
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
        action=AuditAction.PROPOSAL_UPDATE,
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
        action=AuditAction.PROPOSAL_APPROVE,
        obj=locked,
        changes={"status": [ProposalStatus.DRAFT, ProposalStatus.APPROVED]},
    )
    # The ideas went into it when it was drafted; now it can be shown, their followers hear.
    hooks.announce_news(
        hooks.NEWS_MERGED,
        subject=locked,
        proposal_ids=[locked.pk],
        idea_ids=locked.source_ideas.values_list("pk", flat=True),
    )
    return locked
