"""Members' comments on requests and their declared conflicts of interest."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record

from .. import selectors
from ..models import (
    Comment,
    Committee,
    ConflictDeclaration,
    FundingRequest,
    Membership,
)
from ..rules import NOT_A_MEMBER

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
    audit_record(actor=actor, action=AuditAction.REQUEST_COMMENT, obj=funding_request)
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
            actor=actor,
            action=AuditAction.REQUEST_DECLARE_CONFLICT,
            obj=funding_request,
            note=reason,
        )
    return declaration
