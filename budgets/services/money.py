"""Money in: funding sources, appropriations and what is committed against them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from committees.models import Allocation
from omakouvola.audit import AuditAction
from omakouvola.dates import local_today
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.money import ZERO, to_cents
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes
from voting.models import Ballot

from ..models import (
    Appropriation,
    AppropriationShare,
    Commitment,
    FundingSource,
)
from ._common import (
    AMOUNT_NEGATIVE,
    AMOUNT_REQUIRED,
)

SHARES_DO_NOT_ADD_UP = _(
    "The funding sources add up to %(shares)s but the appropriation is %(amount)s; they must "
    "be equal."
)
APPROPRIATION_BELOW_COMMITTED = _(
    "The appropriation cannot be less than the %(committed)s already committed from it."
)
APPROPRIATION_EXCEEDED = _(
    "%(amount)s is more than the %(left)s left to commit in %(appropriation)s."
)
COMMITMENT_NEEDS_ONE_TARGET = _("Choose either a ballot or a committee allocation.")
ALREADY_COMMITTED = _("%(target)s already draws its money from %(appropriation)s.")
WRONG_YEAR = _("%(target)s is for %(target_year)s but the appropriation is for %(year)s.")
COMMITMENT_OVER_TARGET = _("%(amount)s is more than the %(target_amount)s of %(target)s.")

# ---------------------------------------------------------------------------------------
# Money in
# ---------------------------------------------------------------------------------------


@transaction.atomic
def funding_source_save(
    *, actor: User | None, name: str, kind: str, description: str = ""
) -> FundingSource:
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    source, created = FundingSource.objects.get_or_create(
        name=name, defaults={"kind": kind, "description": description}
    )
    before = {"kind": source.kind, "description": source.description}
    after = {"kind": kind, "description": description}
    if not created and before != after:
        FundingSource.objects.filter(pk=source.pk).update(**after)
        source.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.FUNDING_SOURCE_CREATE if created else AuditAction.FUNDING_SOURCE_UPDATE,
        obj=source,
        changes=field_changes({} if created else before, after),
    )
    return source


def _committed(appropriation: Appropriation) -> Decimal:
    return appropriation.commitments.aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def appropriation_save(
    *,
    actor: User | None,
    year: int,
    purpose: str,
    name: str,
    amount: Decimal,
    shares: Mapping[FundingSource, Decimal],
    note: str = "",
    appropriation: Appropriation | None = None,
) -> Appropriation:
    """Create or change an appropriation and its split over funding sources.

    The shares must add up to the amount exactly, and the amount can never fall below
    what ballots and allocations have already committed.
    """
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    amount = to_cents(amount)
    clean = {source: to_cents(value) for source, value in shares.items() if to_cents(value) != 0}
    if amount < 0 or any(value < 0 for value in clean.values()):
        raise ValidationError(AMOUNT_NEGATIVE, code="negative")
    total = sum(clean.values(), ZERO)
    if total != amount:
        raise ValidationError(
            SHARES_DO_NOT_ADD_UP,
            code="shares",
            params={"shares": format_euros(total), "amount": format_euros(amount)},
        )
    creating = appropriation is None or appropriation.pk is None
    before: dict[str, Any] = {}
    if creating:
        appropriation = Appropriation(year=year, purpose=purpose, name=name, amount=amount)
    else:
        assert appropriation is not None  # not creating: an existing row
        appropriation = Appropriation.objects.select_for_update().get(pk=appropriation.pk)
        before = {
            "year": appropriation.year,
            "purpose": appropriation.purpose,
            "name": appropriation.name,
            "amount": appropriation.amount,
            "note": appropriation.note,
            "shares": _shares_text(appropriation),
        }
        committed = _committed(appropriation)
        if amount < committed:
            raise ValidationError(
                APPROPRIATION_BELOW_COMMITTED,
                code="below_committed",
                params={"committed": format_euros(committed)},
            )
    appropriation.year, appropriation.purpose, appropriation.name = year, purpose, name
    appropriation.amount, appropriation.note = amount, note
    appropriation.full_clean()
    appropriation.save()
    appropriation.shares.exclude(source__in=list(clean)).delete()
    for source, value in clean.items():
        AppropriationShare.objects.update_or_create(
            appropriation=appropriation, source=source, defaults={"amount": value}
        )
    after = {
        "year": year,
        "purpose": purpose,
        "name": name,
        "amount": amount,
        "note": note,
        "shares": _shares_text(appropriation),
    }
    audit_record(
        actor=actor,
        action=AuditAction.APPROPRIATION_CREATE if creating else AuditAction.APPROPRIATION_UPDATE,
        obj=appropriation,
        changes=field_changes(before, after),
    )
    return appropriation


def _shares_text(appropriation: Appropriation) -> str:
    return "; ".join(
        f"{s.source.name}: {s.amount}"
        for s in appropriation.shares.select_related("source").order_by("source__name")
    )


@transaction.atomic
def commitment_create(
    *,
    actor: User | None,
    appropriation: Appropriation,
    ballot: Ballot | None = None,
    allocation: Allocation | None = None,
    amount: Decimal | None = None,
    committed_on: dt.date | None = None,
    note: str = "",
) -> Commitment:
    """Let a ballot or a committee allocation draw money from an appropriation.

    The appropriation row is locked while its commitments are added up, so two
    commitments made at once never take more than it holds.
    """
    if actor is not None:  # None: the system (tasks, demo data)
        require(actor, "budgets.manage_money")
    if (ballot is None) == (allocation is None):
        raise ValidationError(COMMITMENT_NEEDS_ONE_TARGET, code="target")
    appropriation = Appropriation.objects.select_for_update().get(pk=appropriation.pk)
    target: Ballot | Allocation = ballot if ballot is not None else allocation  # type: ignore[assignment]
    if ballot is not None:
        target_year, target_amount = ballot.cycle.year, ballot.money
    else:
        target_year, target_amount = allocation.year, allocation.amount  # type: ignore[union-attr]
    existing = Commitment.objects.filter(ballot=ballot) if ballot else None
    if allocation is not None:
        existing = Commitment.objects.filter(allocation=allocation)
    current = existing.select_related("appropriation").first() if existing is not None else None
    if current is not None:
        raise ValidationError(
            ALREADY_COMMITTED,
            code="already",
            params={"target": str(target), "appropriation": str(current.appropriation)},
        )
    if target_year != appropriation.year:
        raise ValidationError(
            WRONG_YEAR,
            code="year",
            params={"target": str(target), "target_year": target_year, "year": appropriation.year},
        )
    amount = to_cents(target_amount if amount is None else amount)
    if amount <= 0:
        raise ValidationError(AMOUNT_REQUIRED, code="amount")
    if amount > target_amount:
        raise ValidationError(
            COMMITMENT_OVER_TARGET,
            code="over_target",
            params={
                "amount": format_euros(amount),
                "target_amount": format_euros(target_amount),
                "target": str(target),
            },
        )
    left = appropriation.amount - _committed(appropriation)
    if amount > left:
        raise ValidationError(
            APPROPRIATION_EXCEEDED,
            code="exceeded",
            params={
                "amount": format_euros(amount),
                "left": format_euros(left),
                "appropriation": str(appropriation),
            },
        )
    commitment = Commitment.objects.create(
        appropriation=appropriation,
        ballot=ballot,
        allocation=allocation,
        amount=amount,
        committed_on=committed_on or local_today(),
        note=note,
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPROPRIATION_COMMIT,
        obj=appropriation,
        changes={
            "committed": [
                str(appropriation.amount - left),
                str(appropriation.amount - left + amount),
            ]
        },
        note=str(target),
    )
    return commitment
