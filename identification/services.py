"""What an electronic identification proves, turned into a verified identity.

Suomi.fi's assertion and MPASSid's claims are read here; the write itself is
voting.services.identity_verify_electronic (lock, one identity per person, audit), the
same rules as a clerk's check. The personal identity code is hashed at once and goes no
further: not into the session, the database or the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu

from omakouvola.models import User
from voting import eligibility, secrecy
from voting import services as voting_services
from voting.models import IdentityLevel, IdentitySource, VerifiedIdentity

SUOMIFI_ATTRIBUTE_MISSING = _(
    "Suomi.fi did not send the information this service needs (%(what)s). Try again, or "
    "vote at a service point."
)
SUOMIFI_INVALID_HETU = _(
    "Suomi.fi sent a personal identity code that is not valid. Try again, or vote at a "
    "service point."
)
MPASSID_NOT_A_PUPIL = _(
    "The school account did not say which school and class you are in, so it cannot show "
    "your age. Ask your teacher, or vote at a service point."
)
PENDING_EXPIRED = _("The identification took too long or was already used. Please start again.")

PENDING_SECONDS = 10 * 60


@dataclass(frozen=True)
class Facts:
    """What one identification proves: the identity hashes and the derived facts only."""

    source: str
    level: str
    identity_hashes: Sequence[str]
    birth_year: int | None = None
    municipality_code: str = ""
    postal_code: str = ""
    school_code: str = ""
    school_name: str = ""

    def to_session(self) -> dict:
        data = asdict(self)
        data["identity_hashes"] = list(self.identity_hashes)
        data["at"] = timezone.now().timestamp()
        return data

    @classmethod
    def from_session(cls, data: Mapping | None) -> Facts:
        if not data or timezone.now().timestamp() - float(data.get("at", 0)) > PENDING_SECONDS:
            raise ValidationError(PENDING_EXPIRED, code="expired")
        fields = {k: v for k, v in data.items() if k != "at"}
        return cls(**fields)


def _first(attributes: Mapping[str, Sequence[str]], name: str) -> str:
    values = attributes.get(name) or []
    return str(values[0]).strip() if values else ""


def suomifi_facts(attributes: Mapping[str, Sequence[str]]) -> Facts:
    """Suomi.fi's attributes (friendly names, attributemaps/suomifi.py) as facts."""
    missing = [
        label
        for name, label in (
            ("nationalIdentificationNumber", _("personal identity code")),
            ("KotikuntaKuntanumero", _("municipality of residence")),
        )
        if not _first(attributes, name)
    ]
    if missing:
        raise ValidationError(
            SUOMIFI_ATTRIBUTE_MISSING,
            code="attribute_missing",
            params={"what": ", ".join(str(m) for m in missing)},
        )
    try:
        code = hetu.validate(_first(attributes, "nationalIdentificationNumber").upper())
    except StdnumError:
        raise ValidationError(SUOMIFI_INVALID_HETU, code="invalid_hetu") from None
    postal_code = _first(attributes, "VakinainenKotimainenLahiosoitePostinumero")
    return Facts(
        source=IdentitySource.SUOMIFI,
        level=IdentityLevel.STRONG,
        identity_hashes=secrecy.identity_hashes(code),
        birth_year=eligibility.identifier_clean(code).birth_year,
        municipality_code=_first(attributes, "KotikuntaKuntanumero")[:3],
        postal_code=postal_code[:5] if postal_code.isdigit() else "",
    )


def class_level_birth_year(class_level: int, today: dt.date) -> int:
    """The birth year of a pupil in `class_level` on `today`, as the school system has it.

    Pupils start the first class in August of the year they turn seven, so in the autumn
    term a pupil in class N turns N + 6 this year, in the spring term N + 7.
    """
    turns = class_level + (6 if today.month >= 8 else 7)
    return today.year - turns


def mpassid_facts(claims: Mapping[str, str], today: dt.date | None = None) -> Facts:
    """MPASSid's claims: the pupil's school and class level, which tells the age band.

    The school account is known to the school in person, so it reaches the in-person
    level; the hash is of MPASSid's stable subject, not of a personal identity code.
    """
    subject = str(claims.get("sub") or "").strip()
    school_code = str(claims.get("urn:mpass.id:schoolCode") or "").strip()
    level = str(claims.get("urn:mpass.id:classLevel") or "").strip()
    if not subject or not school_code or not level.isdigit():
        raise ValidationError(MPASSID_NOT_A_PUPIL, code="not_a_pupil")
    info = str(claims.get("urn:mpass.id:schoolInfo") or "")
    school_name = info.split(";", 1)[1].strip() if ";" in info else ""
    today = today or timezone.localdate()
    return Facts(
        source=IdentitySource.MPASSID,
        level=IdentityLevel.IN_PERSON,
        identity_hashes=secrecy.identity_hashes("mpassid:" + subject),
        birth_year=class_level_birth_year(int(level), today),
        school_code=school_code[:10],
        school_name=school_name[:200],
    )


@transaction.atomic
def identity_confirm(*, user: User, facts: Facts) -> VerifiedIdentity:
    """The signed-in account's holder is the person the identification proved."""
    return voting_services.identity_verify_electronic(
        user=user,
        source=facts.source,
        level=facts.level,
        identity_hashes=facts.identity_hashes,
        birth_year=facts.birth_year,
        municipality_code=facts.municipality_code,
        postal_code=facts.postal_code,
        school_code=facts.school_code,
        school_name=facts.school_name,
    )
