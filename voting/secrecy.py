"""The keyed hashes that keep votes secret and still let a voter change theirs."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _mac(message: str) -> str:
    key = settings.VOTE_SECRET.encode()
    if not key:
        raise RuntimeError("VOTE_SECRET is not set")
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def identity_hash(identifier: str) -> str:
    """A keyed hash of a personal identifier (e.g. a personal identity code).

    Normalised first, so "010203a123b" and "010203A123B " hash alike.
    """
    return _mac("identity:" + "".join(identifier.split()).upper())


def voter_key(ballot_id: int, *, user_id: int | None = None, identity: str = "") -> str:
    """HMAC of (voter, ballot). A verified identity wins over the account, so the same
    person voting on paper and online ends up with the same key."""
    if identity:
        return _mac(f"ballot:{ballot_id}:identity:{identity}")
    if user_id is None:
        raise ValueError("a voter needs an account or an identity")
    return _mac(f"ballot:{ballot_id}:user:{user_id}")


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""
