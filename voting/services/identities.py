"""Verified identities, in person at a service point or electronically; the roll learns them."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.models import User
from omakouvola.rules import require
from omakouvola.services import audit_record

from .. import eligibility, identity, secrecy
from ..models import (
    IdentityLevel,
    IdentitySource,
    VerifiedIdentity,
    VoterRoll,
)

IDENTIFIER_REQUIRED = _("Enter the personal identifier from the identity document.")
IDENTITY_TAKEN = _("This identity is already linked to another account.")
IDENTITY_MISMATCH = _(
    "This account has already been verified with a different identity. One account is one "
    "person; the verification cannot be changed."
)
CANNOT_VERIFY_SELF = _("A clerk cannot verify their own account. Ask another clerk.")


def _rekey_identity(hashes: Sequence[str]) -> None:
    """Move a person's hashes made under a retired VOTE_SECRET to the current one, on the
    roll and on their verified account alike: an account still carrying the old hash would
    otherwise not see a paper vote recorded under the new one, and vote a second time."""
    current, retired = hashes[0], list(hashes[1:])
    if retired:
        VerifiedIdentity.objects.filter(identity_hash__in=retired).update(identity_hash=current)
        VoterRoll.objects.filter(identity_hash__in=retired).update(identity_hash=current)


def _carry_identity_to_roll(user: User, hashes: Sequence[str]) -> None:
    """The roll knows the person by their current identity hash.

    Rows made under a retired VOTE_SECRET are re-keyed; the account's own rows learn the
    identity, unless that identity already voted on the ballot (or its group) on paper
    or from another account: then both stay as they are and no vote is carried over.
    """
    current = hashes[0]
    _rekey_identity(hashes)
    for row in (
        VoterRoll.objects.select_for_update().filter(user=user).exclude(identity_hash=current)
    ):
        try:
            with transaction.atomic():
                VoterRoll.objects.filter(pk=row.pk).update(identity_hash=current)
        except IntegrityError:
            continue


@transaction.atomic
def identity_verify_in_person(*, clerk: User, user: User, identifier: str) -> VerifiedIdentity:
    """A clerk checked an identity document; the account reaches the in-person level.

    One identity per person and account, for good: an account verified once cannot be
    re-verified with a different identifier, and a clerk cannot verify their own account.
    """
    require(clerk, "voting.verify_identity", user)
    if clerk.pk == user.pk:
        raise ValidationError(CANNOT_VERIFY_SELF, code="self")
    if not identifier.strip():
        raise ValidationError(IDENTIFIER_REQUIRED, code="identifier_required")
    hashes = secrecy.identity_hashes(eligibility.identifier_clean(identifier).value)
    hashed = hashes[0]
    User.objects.select_for_update().get(pk=user.pk)
    existing = VerifiedIdentity.objects.filter(user=user).first()
    if existing is not None and existing.identity_hash not in hashes:
        raise ValidationError(IDENTITY_MISMATCH, code="identity_mismatch")
    if VerifiedIdentity.objects.filter(identity_hash__in=hashes).exclude(user=user).exists():
        raise ValidationError(IDENTITY_TAKEN, code="identity_taken")
    if existing is not None and existing.method == IdentityLevel.STRONG:
        # Suomi.fi already proved more; the clerk's check confirms it and lowers nothing.
        _carry_identity_to_roll(user, hashes)
        return existing
    record, _created = VerifiedIdentity.objects.update_or_create(
        user=user,
        defaults={
            "method": IdentityLevel.IN_PERSON,
            "source": IdentitySource.CLERK,
            "identity_hash": hashed,
            "verified_by": clerk,
            "verified_at": timezone.now(),
        },
    )
    _carry_identity_to_roll(user, hashes)
    audit_record(
        actor=clerk,
        action=AuditAction.IDENTITY_VERIFY_IN_PERSON,
        obj=user,
        note=f"verified by {clerk.get_full_name() or clerk.email}",
    )
    return record


@transaction.atomic
def identity_verify_electronic(
    *,
    user: User,
    source: str,
    level: str,
    identity_hashes: Sequence[str],
    birth_year: int | None = None,
    municipality_code: str = "",
    postal_code: str = "",
    school_code: str = "",
    school_name: str = "",
) -> VerifiedIdentity:
    """An electronic identification (Suomi.fi, MPASSid) has identified the account's holder.

    The identifier becomes the same keyed hash a clerk records, so one person is one voter
    whichever way they were identified (`identity_hashes` from secrecy.identity_hashes: the
    identifier itself never reaches this layer or the session). Only the few facts
    eligibility needs are kept. The same rules as at a service point: one identity per
    account and per person, for good.
    """
    hashes = list(identity_hashes)
    User.objects.select_for_update().get(pk=user.pk)
    existing = VerifiedIdentity.objects.filter(user=user).first()
    if existing is not None and existing.identity_hash not in hashes:
        raise ValidationError(IDENTITY_MISMATCH, code="identity_mismatch")
    if VerifiedIdentity.objects.filter(identity_hash__in=hashes).exclude(user=user).exists():
        raise ValidationError(IDENTITY_TAKEN, code="identity_taken")
    if existing is not None and identity.ORDER.index(
        IdentityLevel(existing.method)
    ) > identity.ORDER.index(IdentityLevel(level)):
        level = existing.method  # a weaker check never lowers what was proven
    record, _created = VerifiedIdentity.objects.update_or_create(
        user=user,
        defaults={
            "method": level,
            "source": source,
            "identity_hash": hashes[0],
            "verified_by": None,
            "verified_at": timezone.now(),
            "birth_year": birth_year,
            "municipality_code": municipality_code,
            "postal_code": postal_code,
            "school_code": school_code,
            "school_name": school_name,
        },
    )
    _carry_identity_to_roll(user, hashes)
    audit_record(actor=user, action=AuditAction(f"identity.verify_{source}"), obj=user, note=level)
    return record
