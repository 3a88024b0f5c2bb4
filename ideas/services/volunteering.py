"""Volunteer pledges (talkoot) for ideas and proposals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record

from ..models import (
    Idea,
    Proposal,
    VolunteerPledge,
)

ALREADY_PLEDGED = _("You have already offered help for this.")

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
    audit_record(actor=actor, action=AuditAction.PLEDGE_CREATE, obj=pledge)
    return pledge


@transaction.atomic
def pledge_withdraw(*, actor: User, pledge: VolunteerPledge) -> None:
    require(actor, "ideas.withdraw_pledge", pledge)
    audit_record(actor=actor, action=AuditAction.PLEDGE_WITHDRAW, obj=pledge)
    pledge.delete()
