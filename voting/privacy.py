"""What voting holds about a person, how it forgets them, and how long it keeps
paper voters' identifiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from .models import VerifiedIdentity, VoterRoll


def export(user) -> dict[str, Any]:
    identity = VerifiedIdentity.objects.filter(user=user).values("method", "verified_at").first()
    return {
        "ballots_you_voted_on": list(
            VoterRoll.objects.filter(user=user).values("ballot__name", "voted_on", "channel")
        ),
        "identity_verification": identity,
        "note": "Your choices are sealed, not linked to you, and cannot be exported.",
    }


def erase(user) -> None:
    """The roll keeps that someone voted (turnout) without saying who."""
    VoterRoll.objects.filter(user=user).update(user=None)
    VerifiedIdentity.objects.filter(user=user).delete()


def retention(now: dt.datetime) -> dict[str, int]:
    """Paper voters' identifier hashes are kept only while a second vote could be refused,
    plus the configured period after voting closed."""
    limit = now - dt.timedelta(days=settings.RETENTION_PAPER_VOTER_DAYS)
    removed = (
        VoterRoll.objects.filter(ballot__closes_at__lt=limit)
        .exclude(identity_hash="")
        .update(identity_hash="")
    )
    return {"paper_voter_identifiers": removed}


def anonymise() -> None:
    """For a test copy: identifier hashes go, and the sealed votes are rewritten in
    shuffled order (fresh xmin, random row order), so the copy cannot line a vote up with
    a roll row. The roll's pointers stay sealed, so the copy can still be counted by
    whoever holds the election passphrase (never the copy's users)."""
    from .services import votes_mix_all

    VoterRoll.objects.update(identity_hash="")
    VerifiedIdentity.objects.all().delete()
    votes_mix_all()
