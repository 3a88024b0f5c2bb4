"""How strongly a voter's identity is known: a pluggable set of methods.

`email` (a verified e-mail address) and `in_person` (a clerk checked an identity
document and recorded a keyed hash of the identifier) work here. `strong` is the
interface for strong electronic identification (Suomi.fi e-Identification through
allauth, say): a provider sets a VerifiedIdentity with method "strong" once it is plugged
in through settings.STRONG_IDENTITY_PROVIDER; until then no account reaches that level.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from omakouvola.rules import is_verified

from .models import IdentityLevel, VerifiedIdentity

ORDER = [IdentityLevel.EMAIL, IdentityLevel.IN_PERSON, IdentityLevel.STRONG]


@dataclass(frozen=True)
class IdentityMethod:
    level: IdentityLevel

    def available(self) -> bool:
        if self.level == IdentityLevel.STRONG:
            return bool(settings.STRONG_IDENTITY_PROVIDER)
        return True


METHODS = {level: IdentityMethod(level) for level in ORDER}


def identity_of(user) -> VerifiedIdentity | None:
    try:
        return user.verified_identity
    except VerifiedIdentity.DoesNotExist:
        return None


def level_of(user) -> IdentityLevel | None:
    """The strongest level this account has reached, or None."""
    if not user.is_authenticated or not is_verified(user):
        return None
    identity = identity_of(user)
    if identity is None:
        return IdentityLevel.EMAIL
    return IdentityLevel(identity.method)


def satisfies(user, required: str) -> bool:
    level = level_of(user)
    return level is not None and ORDER.index(level) >= ORDER.index(IdentityLevel(required))
