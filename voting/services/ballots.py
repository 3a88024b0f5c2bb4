"""Ballots: saving a ballot or group, what locks once votes exist, extending the voting time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideas.models import Proposal
from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record, field_changes

from .. import secrecy
from ..models import (
    Ballot,
    BallotGroup,
    VoterRoll,
)

BALLOT_LOCKED = _(
    "Votes have already been cast on this ballot, so its rules and proposals can no longer change."
)
LOCKED_FIELDS = (
    "money",
    "area",
    "selection_rule",
    "min_choices",
    "max_choices",
    "counting_rule",
    "add1_step",
    "min_age",
    "max_age",
    "residency",
    "identity_level",
    "opens_at",
    "closes_at",
    "group",
    "tie_break_seed",
)
GROUP_LOCKED = _(
    "Votes have already been cast in this ballot group, so its rules and ballots can no "
    "longer change."
)
EXTENSION_NEEDS_REASON = _("Give a reason for extending the voting time.")
EXTENSION_NOT_LATER = _("An extension must move the closing time later than %(closes)s.")
EXTENSION_TOO_LATE = _("The results are already published: voting can no longer be extended.")


@transaction.atomic
def ballot_save(
    *,
    actor: User,
    ballot: Ballot,
    changed_fields: Iterable[str] = (),
    proposals: Iterable[Proposal] | None = None,
    passphrase: str = "",
) -> Ballot:
    """Create or change a ballot; once a vote exists its rules and proposals are frozen.

    A ballot without an election key gets one from `passphrase`: only the public key and
    the salt are kept, the passphrase itself is never stored.
    """
    require(actor, "voting.manage_ballots", ballot)
    changed = set(changed_fields)
    creating = ballot.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = Ballot.objects.select_for_update().get(pk=ballot.pk)
        has_votes = ballot_has_votes(stored)
        proposal_change = proposals is not None and {p.pk for p in proposals} != set(
            stored.proposals.values_list("pk", flat=True)
        )
        if has_votes and (changed & set(LOCKED_FIELDS) or proposal_change):
            raise ValidationError(BALLOT_LOCKED, code="locked")
        before = {name: getattr(stored, name) for name in changed}
        if (
            ballot.group_id != stored.group_id
            and ballot.group is not None
            and group_has_votes(ballot.group)
        ):
            raise ValidationError(GROUP_LOCKED, code="group_locked")
    elif ballot.group is not None and group_has_votes(ballot.group):
        raise ValidationError(GROUP_LOCKED, code="group_locked")
    if not ballot.public_key:
        if not passphrase:
            raise ValidationError(secrecy.PASSPHRASE_NEEDED, code="passphrase_needed")
        secrecy.check_new_passphrase(passphrase)
        ballot.key_salt = secrecy.new_key_salt()
        ballot.public_key = secrecy.public_key_text(
            secrecy.private_key_from_passphrase(passphrase, ballot.key_salt)
        )
    ballot.full_clean()
    ballot.save()
    if proposals is not None:
        ballot.proposals.set(list(proposals))
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_CREATE if creating else AuditAction.BALLOT_UPDATE,
        obj=ballot,
        changes=field_changes(before, {name: getattr(ballot, name) for name in changed}),
    )
    return ballot


def ballot_has_votes(ballot: Ballot) -> bool:
    """The voter roll is the one source of "has voted"; a vote freezes the ballot."""
    return VoterRoll.objects.filter(ballot=ballot).exists()


def group_has_votes(group: BallotGroup) -> bool:
    return VoterRoll.objects.filter(ballot__group=group).exists()


def proposal_is_frozen(proposal: Proposal) -> bool:
    """A proposal on a ballot that has votes keeps its cost (ideas asks through a hook)."""
    return VoterRoll.objects.filter(ballot__proposals=proposal).exists()


@transaction.atomic
def ballot_extend(*, actor: User, ballot: Ballot, closes_at: dt.datetime, reason: str) -> Ballot:
    """Move the closing time later, with a reason, even after votes: the one allowed change.

    Shortening is never allowed once voting has begun (it would silence late voters), and
    nothing moves after the results are published.
    """
    require(actor, "voting.manage_ballots", ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not reason.strip():
        raise ValidationError(EXTENSION_NEEDS_REASON, code="reason_missing")
    if locked.results_published_at is not None or hasattr(locked, "decision"):
        raise ValidationError(EXTENSION_TOO_LATE, code="published")
    if closes_at <= locked.closes_at:
        raise ValidationError(
            EXTENSION_NOT_LATER,
            code="not_later",
            params={"closes": date_format(timezone.localtime(locked.closes_at), "DATETIME_FORMAT")},
        )
    before = locked.closes_at
    locked.closes_at = closes_at
    locked.full_clean()
    locked.save(update_fields=["closes_at"])
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_EXTEND,
        obj=locked,
        changes=field_changes({"closes_at": before}, {"closes_at": closes_at}),
        note=reason.strip(),
    )
    return locked


@transaction.atomic
def ballot_group_save(
    *, actor: User, group: BallotGroup, changed_fields: Iterable[str] = ()
) -> BallotGroup:
    """Create or change a ballot group; once any of its ballots has a vote, its rule stays."""
    require(actor, "voting.manage_ballots", group)
    changed = set(changed_fields)
    creating = group.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = BallotGroup.objects.select_for_update().get(pk=group.pk)
        if changed & {"choice", "cycle"} and group_has_votes(stored):
            raise ValidationError(GROUP_LOCKED, code="group_locked")
        before = {name: getattr(stored, name) for name in changed}
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_GROUP_CREATE if creating else AuditAction.BALLOT_GROUP_UPDATE,
        obj=group,
        changes=field_changes(before, {name: getattr(group, name) for name in changed}),
    )
    return group
