"""Casting a vote: eligibility, the choices, sealing, the voter roll."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Proposal
from omakouvola.formatting import format_euros
from omakouvola.models import User
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import notify

from .. import eligibility, secrecy
from ..models import (
    Ballot,
    BallotGroup,
    Channel,
    PaperBatch,
    SelectionRule,
    Vote,
    VoterRoll,
    age_band,
)

OVER_BUDGET = _("The proposals you chose cost %(total)s, more than the %(money)s available.")
TOO_FEW = _("Choose at least %(n)s proposals.")
TOO_MANY = _("Choose at most %(n)s proposals.")
NOT_ON_BALLOT = _("A proposal you chose is not on this ballot.")
ALREADY_VOTED = _("A vote by this person has already been recorded on this ballot.")
NO_ELECTION_KEY = _(
    "This ballot has no election key yet, so no vote can be sealed. The coordinator sets "
    "the election passphrase when creating the ballot."
)


def _age_this_year(user: User, ballot: Ballot) -> int | None:
    return eligibility.age_in(ballot, user.birth_year)


def eligibility_problems(user: User, ballot: Ballot, at: dt.datetime | None = None) -> list[str]:
    """Why this person cannot vote on this ballot now, in their language; empty if they can.

    The same check (voting/eligibility.py) serves paper votes and imported sheets.
    """
    return eligibility.problems(ballot, eligibility.voter_of_user(user, ballot), at)


def validate_choices(
    ballot: Ballot, proposals: Sequence[Proposal], *, on_ballot: set[int] | None = None
) -> None:
    """The ballot's rule: total cost within the money (knapsack) or a count in range."""
    if on_ballot is None:
        on_ballot = set(ballot.proposals.values_list("pk", flat=True))
    if any(p.pk not in on_ballot for p in proposals):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    count = len(proposals)
    if count < ballot.min_choices:
        raise ValidationError(TOO_FEW, code="too_few", params={"n": ballot.min_choices})
    if ballot.selection_rule == SelectionRule.KNAPSACK:
        total = sum((p.cost for p in proposals), Decimal(0))
        if total > ballot.money:
            raise ValidationError(
                OVER_BUDGET,
                code="over_budget",
                params={"total": format_euros(total), "money": format_euros(ballot.money)},
            )
    elif ballot.max_choices is not None and count > ballot.max_choices:
        raise ValidationError(TOO_MANY, code="too_many", params={"n": ballot.max_choices})


# ---------------------------------------------------------------------------------------
# Casting
# ---------------------------------------------------------------------------------------


def chosen_proposals(ballot: Ballot, proposal_ids: Iterable[int]) -> list[Proposal]:
    ids = {int(pk) for pk in proposal_ids}
    found = list(Proposal.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    return found


def _choices_on_ballot(
    ballot: Ballot, proposal_ids: Iterable[int]
) -> tuple[list[Proposal], set[int]]:
    """The chosen proposals and the ids of all on the ballot, in one query."""
    ids = {int(pk) for pk in proposal_ids}
    on_ballot = list(ballot.proposals.only("pk", "cost"))
    chosen = [p for p in on_ballot if p.pk in ids]
    if len(chosen) != len(ids):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    return chosen, {p.pk for p in on_ballot}


def seal_vote(
    ballot: Ballot,
    proposals: Sequence[Proposal],
    batch: PaperBatch | None = None,
    *,
    proposals_on_ballot: int | None = None,
) -> Vote:
    """Store one sealed vote. Its row says nothing about who cast it or when."""
    if proposals_on_ballot is None:
        proposals_on_ballot = ballot.proposals.count()
    return Vote.objects.create(
        ballot=ballot,
        sealed=secrecy.seal_choices(
            ballot.public_key,
            [p.pk for p in proposals],
            proposals_on_ballot=proposals_on_ballot,
        ),
        receipt_code=secrecy.new_receipt_code(),
        batch=batch,
    )


def mix_later(ballot_id: int) -> None:
    """Ask for a mix of the ballot, at most once per VOTE_MIX_INTERVAL from this cache:
    the task would skip the others anyway (votes_mix's throttle), and each request was a
    broker message and a database write per vote. The beat task mixes what is left."""
    from ..tasks import votes_mix_task

    interval = settings.VOTE_MIX_INTERVAL
    if interval and not cache.add(f"voting:mix-asked:{ballot_id}", 1, interval):
        return
    enqueue(votes_mix_task, ballot_id)


def lock_for_casting(ballot: Ballot, *, shared: bool = False) -> Ballot:
    """Lock the ballot and, for a ballot in a group, the group: parallel votes on two
    ballots of one group are then taken one at a time, so the group check sees the other.
    (The roll's per-group unique constraints back this up.)

    With `shared`, the ballot's row is locked FOR SHARE: votes on one ballot then go in
    parallel (the roll's unique constraints keep one row per person), while a change to
    the ballot or a mix (FOR UPDATE) still waits for them, and they for it."""
    if shared:
        locked = next(
            iter(
                Ballot.objects.raw(
                    "SELECT * FROM voting_ballot WHERE id = %s FOR SHARE", [ballot.pk]
                )
            ),
            None,
        )
        if locked is None:
            raise Ballot.DoesNotExist
    else:
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if locked.group_id is not None:
        BallotGroup.objects.select_for_update().get(pk=locked.group_id)
    if not locked.public_key:
        raise ValidationError(NO_ELECTION_KEY, code="no_key")
    return locked


def vote_cast(
    *,
    actor: User,
    ballot: Ballot,
    proposal_ids: Iterable[int],
    wants_results: bool = False,
    at: dt.datetime | None = None,
) -> Vote:
    """Cast or replace a vote in one step; the receipt code goes out by e-mail.

    The voter roll has one row per person and ballot. A new vote is sealed and the roll's
    sealed pointer moves to it; the vote it replaces stays unreadable until counting, which
    keeps only the votes the pointers name (docs/ballot-secrecy.md).
    """
    require(actor, "voting.cast_vote", ballot)
    arguments: dict[str, Any] = {
        "actor": actor,
        "ballot": ballot,
        "proposal_ids": list(proposal_ids),
        "wants_results": wants_results,
        "at": at,
    }
    # A parallel first cast by the same account may add its roll row first (casts on one
    # ballot run in parallel): then again, the roll row is there and this vote replaces
    # it. Refusals that remain are another person's row (identity or ballot group). Each
    # attempt is its own savepoint, so the request can still answer.
    for _attempt in range(CAST_ATTEMPTS - 1):
        try:
            return _cast(**arguments)
        except IntegrityError:
            continue
    try:
        return _cast(**arguments)
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED, code="already_voted") from None


# Tries of a cast that meets a parallel first cast's roll row (see vote_cast).
CAST_ATTEMPTS = 4


@transaction.atomic
def _cast(
    *,
    actor: User,
    ballot: Ballot,
    proposal_ids: Iterable[int],
    wants_results: bool,
    at: dt.datetime | None,
) -> Vote:
    # Parallel casts on one ballot share its lock; changes to the ballot and the mix wait
    # for them (and they for those). A ballot in a group still takes the group's lock.
    locked = lock_for_casting(ballot, shared=True)
    # The ballot decides whether an electronic identification's facts replace the profile.
    voter = eligibility.voter_of_user(actor, locked)
    problems = eligibility.problems(locked, voter, at)
    if problems:
        raise ValidationError(problems, code="ineligible")
    proposals, on_ballot = _choices_on_ballot(locked, proposal_ids)
    validate_choices(locked, proposals, on_ballot=on_ballot)
    identity_hash = voter.identity_hash
    # A verified person is one voter whichever way they voted: a paper vote, or a vote
    # from another account, under the same identity is final.
    if (
        identity_hash
        and VoterRoll.objects.filter(ballot=locked, identity_hash=identity_hash)
        .exclude(user=actor)
        .exists()
    ):
        raise ValidationError(ALREADY_VOTED, code="already_voted")
    vote = seal_vote(locked, proposals, proposals_on_ballot=len(on_ballot))
    fields = {
        "identity_hash": identity_hash,
        "channel": Channel.WEB,
        "age_band": age_band(eligibility.age_in(locked, voter.birth_year)),
        "area": voter.area,
        "group_id": locked.group_id,
        "voted_on": timezone.localdate(at or timezone.now()),
        "wants_results": wants_results,
        "sealed_pointer": secrecy.seal_pointer(locked.public_key, vote.id),
    }
    # Update the account's roll row, or add it: two statements at most and no savepoints
    # (update_or_create took five). A parallel first cast that inserts the same row makes
    # this INSERT fail on the unique constraint, which vote_cast turns into ALREADY_VOTED.
    if not VoterRoll.objects.filter(ballot=locked, user=actor).update(**fields):
        VoterRoll.objects.create(ballot=locked, user=actor, **fields)
    # No audit entry per vote: one with the voter and a time would order the votes. The
    # roll is the record of who voted, by day.
    notify(
        user=actor,
        template="voting_receipt",
        context={"ballot": locked, "receipt_code": vote.receipt_code},
        sensitive=True,
    )
    mix_later(locked.pk)
    return vote
