"""What the resident sees about their own identification."""

from __future__ import annotations

from dataclasses import dataclass

from omakouvola.models import Area
from voting import identity
from voting.models import IdentityLevel, VerifiedIdentity


@dataclass(frozen=True)
class IdentitySummary:
    verified: VerifiedIdentity | None
    level_label: str
    area: Area | None

    @property
    def is_strong(self) -> bool:
        return self.verified is not None and self.verified.method == IdentityLevel.STRONG


def identity_summary(user) -> IdentitySummary:
    verified = identity.identity_of(user)
    level = identity.level_of(user)
    area = None
    if verified is not None and verified.postal_code:
        area = Area.objects.filter(postal_codes__code=verified.postal_code).first()
    return IdentitySummary(
        verified=verified, level_label=str(level.label) if level else "", area=area
    )
