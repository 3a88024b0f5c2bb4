"""Money per committee and year: allocations and the split by population."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from omakouvola.apportion import split_by_population
from omakouvola.audit import AuditAction
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.money import to_cents
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes

from ..models import (
    Allocation,
    Committee,
    Grant,
)
from ._common import (
    _snapshot,
)

ALLOCATION_NEGATIVE = _("An allocation cannot be negative.")
SPLIT_WHOLE_EUROS = _("Split a total of whole euros (no cents).")
ALLOCATION_BELOW_GRANTED = _(
    "The allocation cannot be less than the %(granted)s already granted for %(year)s."
)

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
    amount = to_cents(amount)
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
            params={"granted": format_euros(granted), "year": year},
        )
    allocation.amount = amount
    allocation.note = note
    allocation.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALLOCATION_CREATE if created else AuditAction.ALLOCATION_UPDATE,
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
    if Decimal(total) != Decimal(total).to_integral_value():
        raise ValidationError(SPLIT_WHOLE_EUROS, code="not_whole")
    committees = list(Committee.objects.select_related("area").order_by("name"))
    shares = split_by_population(total, {c: c.area.population for c in committees})
    return {
        c: allocation_set(actor=actor, committee=c, year=year, amount=Decimal(shares[c]), note=note)
        for c in committees
    }
