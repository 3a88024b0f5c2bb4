"""Support ("kannatan", issue #17): a screening signal for the city team, not a vote."""

from __future__ import annotations

from django.db import transaction

from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record

from ..models import Idea, IdeaSupport


@transaction.atomic
def idea_support_set(*, actor: User, idea: Idea, support: bool) -> bool:
    """Support the idea or take the support back; returns whether the actor supports it now.

    Idempotent rather than a toggle, so a double click or two tabs cannot undo each other:
    the page posts the state it wants. Parallel requests meet the unique constraint (one
    wins, the others find the row) and deletes of a missing row do nothing. Only a change
    is audited.
    """
    require(actor, "ideas.support_idea", idea)
    if support:
        # get_or_create meets a parallel insert in its own savepoint and reads that row.
        _row, created = IdeaSupport.objects.get_or_create(idea=idea, user=actor)
        if created:
            audit_record(actor=actor, action=AuditAction.IDEA_SUPPORT, obj=idea)
        return True
    deleted, _kinds = IdeaSupport.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        audit_record(actor=actor, action=AuditAction.IDEA_SUPPORT_WITHDRAW, obj=idea)
    return False
