"""Mixing: rewriting a ballot's votes in shuffled order so no row lines up with a voter."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from ..models import (
    Ballot,
    Vote,
)


@transaction.atomic
def votes_mix(*, ballot_id: int, throttle: bool = False) -> int:
    """Rewrite a ballot's votes in shuffled order in one transaction of its own.

    Afterwards every vote row has this transaction's xmin and a random place in the table,
    so neither the xmin of a roll row nor the physical order lines a vote up with a voter.
    Returns how many votes were rewritten (none if all were mixed already).

    With `throttle` (after a cast) a ballot is rewritten at most once per
    VOTE_MIX_INTERVAL seconds: a full rewrite per vote would grow with the square of
    the turnout. The beat task then catches the votes cast in between.
    """
    interval = settings.VOTE_MIX_INTERVAL
    if throttle and interval and not cache.add(f"voting:mix:{ballot_id}", 1, interval):
        return 0
    Ballot.objects.select_for_update().get(pk=ballot_id)
    if not Vote.objects.filter(ballot_id=ballot_id, mixed=False).exists():
        return 0
    return _mix(ballot_id)


def _mix(ballot_id: int) -> int:
    votes = list(Vote.objects.filter(ballot_id=ballot_id))
    Vote.objects.filter(ballot_id=ballot_id).delete()
    secrets.SystemRandom().shuffle(votes)
    for vote in votes:
        vote.mixed = True
    Vote.objects.bulk_create(votes, batch_size=1000)
    return len(votes)


def votes_mix_pending() -> int:
    """Mix every ballot with a vote not yet mixed (beat runs this; casting also asks)."""
    ballot_ids = set(Vote.objects.filter(mixed=False).values_list("ballot_id", flat=True))
    return sum(votes_mix(ballot_id=pk) for pk in sorted(ballot_ids))


@transaction.atomic
def votes_mix_all() -> int:
    """Mix every ballot's votes (the anonymised copy does this once)."""
    return sum(_mix(pk) for pk in Ballot.objects.values_list("pk", flat=True))
