"""Sealed ballots, the ballot's election key, and the keyed hashes of identifiers.

A ballot's choices are encrypted as they are cast with the ballot's public key (a libsodium
sealed box: an anonymous sender, so two ballots with the same choices look unrelated). The
private key is derived from a passphrase the election officer holds (Argon2id with a salt
stored on the ballot) and exists on the server only while counting. See
docs/ballot-secrecy.md for the threat model.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from nacl import pwhash
from nacl.public import PrivateKey, PublicKey, SealedBox

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread

WRONG_PASSPHRASE = _("The election passphrase does not open this ballot.")
PASSPHRASE_NEEDED = _("Enter the election passphrase of this ballot.")
PASSPHRASE_TOO_SHORT = _("The election passphrase must be at least %(n)s characters long.")
MIN_PASSPHRASE = 12

# Argon2id at libsodium's "interactive" cost: about 0.1 s and 64 MiB per derivation. The
# passphrase is derived once when the ballot is created and once per count.
_OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
_MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE


# ---------------------------------------------------------------------------------------
# The election key
# ---------------------------------------------------------------------------------------


def new_key_salt() -> str:
    return secrets.token_hex(pwhash.argon2id.SALTBYTES)


def private_key_from_passphrase(passphrase: str, salt: str) -> PrivateKey:
    seed = pwhash.argon2id.kdf(
        32, passphrase.encode(), bytes.fromhex(salt), opslimit=_OPSLIMIT, memlimit=_MEMLIMIT
    )
    return PrivateKey(seed)


def public_key_text(private_key: PrivateKey) -> str:
    return base64.b64encode(bytes(private_key.public_key)).decode()


def election_key(*, passphrase: str, salt: str, public_key: str) -> PrivateKey:
    """The ballot's private key, if the passphrase is the one the ballot was sealed with."""
    if not passphrase:
        raise ValidationError(PASSPHRASE_NEEDED, code="passphrase_needed")
    key = private_key_from_passphrase(passphrase, salt)
    if not hmac.compare_digest(public_key_text(key), public_key):
        raise ValidationError(WRONG_PASSPHRASE, code="wrong_passphrase")
    return key


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            PASSPHRASE_TOO_SHORT, code="passphrase_short", params={"n": MIN_PASSPHRASE}
        )


# ---------------------------------------------------------------------------------------
# Sealing
# ---------------------------------------------------------------------------------------


def _box(public_key: str) -> SealedBox:
    return SealedBox(PublicKey(base64.b64decode(public_key)))


def padded_length(proposals_on_ballot: int) -> int:
    """One plaintext length per ballot, so a ciphertext's size does not tell how many
    proposals were chosen (the proposals on a ballot are frozen once voting starts)."""
    need = 16 + 12 * proposals_on_ballot
    return -(-need // 256) * 256


def seal_choices(
    public_key: str, proposal_ids: Iterable[int], *, proposals_on_ballot: int
) -> bytes:
    text = json.dumps(sorted(int(pk) for pk in proposal_ids), separators=(",", ":")).encode()
    size = max(padded_length(proposals_on_ballot), len(text))
    return _box(public_key).encrypt(text.ljust(size, b" "))


def seal_pointer(public_key: str, vote_id: uuid.UUID) -> bytes:
    """The voter roll's pointer to the voter's current ballot, readable only at counting."""
    return _box(public_key).encrypt(vote_id.bytes)


def open_choices(private_key: PrivateKey, sealed: bytes | memoryview) -> list[int]:
    return [int(pk) for pk in json.loads(SealedBox(private_key).decrypt(bytes(sealed)))]


def open_pointer(private_key: PrivateKey, sealed: bytes | memoryview) -> uuid.UUID:
    return uuid.UUID(bytes=SealedBox(private_key).decrypt(bytes(sealed)))


# ---------------------------------------------------------------------------------------
# Identifiers and receipts
# ---------------------------------------------------------------------------------------


def _mac(secret: str, message: str) -> str:
    key = secret.encode()
    if not key:
        raise RuntimeError("VOTE_SECRET is not set")
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _normalise(identifier: str) -> str:
    return "".join(identifier.split()).upper()


def identity_hash(identifier: str) -> str:
    """A keyed hash of a personal identifier (e.g. a personal identity code).

    Normalised first, so "010203a123b" and "010203A123B " hash alike.
    """
    return _mac(settings.VOTE_SECRET, "identity:" + _normalise(identifier))


def identity_hashes(identifier: str) -> list[str]:
    """The identifier's hash under the current secret and every retired one.

    Rotating VOTE_SECRET moves the old value to VOTE_SECRET_FALLBACKS; the roll's hashes
    made with it still recognise the person, so a rotation never opens a second vote.
    """
    secrets_ = [settings.VOTE_SECRET, *getattr(settings, "VOTE_SECRET_FALLBACKS", [])]
    return [_mac(s, "identity:" + _normalise(identifier)) for s in secrets_ if s]


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""
