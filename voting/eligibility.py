"""Who may vote on a ballot: one check for every channel.

Online votes, paper votes entered by a clerk, accounts verified in person and counted
paper ballots imported from a sheet all describe the voter as a `Voter` and go through
`problems()`: the open window, identity level, age, residency, area and ballot group.
The messages are lazy, so they come out in the language of whoever reads them (the voter
online, the clerk at the service point).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu

from omakouvola.models import Area, PostalCode, User

from . import identity
from .models import (
    AgeBand,
    Ballot,
    BallotGroup,
    IdentityLevel,
    IdentitySource,
    Residency,
    VoterRoll,
)

VOTING_NOT_OPEN = _("Voting on %(ballot)s is open from %(opens)s to %(closes)s.")
NOT_VERIFIED = _("Confirm your e-mail address to vote.")
IDENTITY_TOO_WEAK = _(
    "This vote needs a stronger identity check: %(level)s. Visit a service point with an "
    "identity document."
)
STRONG_NOT_AVAILABLE = _(
    "This vote needs strong electronic identification, which the service does not offer "
    "yet. Ask the city for another way to vote."
)
BIRTH_YEAR_NEEDED = _("This vote has age limits. Add your birth year to your profile first.")
TOO_YOUNG = _("This vote is for people who turn at least %(age)s this year.")
TOO_OLD = _("This vote is for people who turn at most %(age)s this year.")
POSTAL_CODE_NEEDED = _(
    "Add your postal code to your profile: this vote is for residents of %(where)s."
)
NOT_RESIDENT = _("This vote is for residents of %(where)s.")
NOT_KOUVOLA_MUNICIPALITY = _(
    "The Population Information System gives a municipality of residence other than "
    "Kouvola (code %(code)s). This vote is for Kouvola residents only."
)
OTHER_AREA_IN_GROUP = _("You have already voted in %(ballot)s. You can vote in one area only.")

# The clerk's wording: the voter is in front of them, not reading their own profile.
PAPER_BIRTH_YEAR_NEEDED = _("This vote has age limits: enter the voter's birth year.")
PAPER_POSTAL_CODE_NEEDED = _(
    "This vote is for residents of %(where)s: enter the voter's postal code."
)
PAPER_OTHER_AREA_IN_GROUP = _(
    "This person has already voted in %(ballot)s. A person can vote in one area only."
)
SHEET_AGE_BAND_NEEDED = _("This vote has age limits: every row needs the voter's age band.")
SHEET_AGE_BAND_OUTSIDE = _("Age band %(band)s is outside this vote's age limits.")

INVALID_HETU = _(
    "“%(value)s” is not a valid Finnish personal identity code (ddmmyyCnnnT). Check it "
    "from the identity document."
)
BIRTH_YEAR_MISMATCH = _(
    "The birth year %(entered)s does not match the personal identity code (born %(year)s)."
)

IMPORT_CLOSED = _(
    "Counted paper ballots can be imported only while voting on %(ballot)s is open "
    "(%(opens)s to %(closes)s)."
)
IMPORT_PUBLISHED = _("The results of %(ballot)s have been published: no more votes can be added.")
IMPORT_DECIDED = _("The winners of %(ballot)s have been confirmed: no more votes can be added.")

# The age bands of counted paper sheets, as (youngest, oldest) ages.
BAND_AGES = {
    AgeBand.UNDER_13: (0, 12),
    AgeBand.TEENS: (13, 17),
    AgeBand.YOUNG: (18, 29),
    AgeBand.ADULT: (30, 49),
    AgeBand.MIDDLE: (50, 64),
    AgeBand.SENIOR: (65, 200),
}


@dataclass(frozen=True)
class Voter:
    """What the check needs to know about a person, whichever way they vote."""

    level: IdentityLevel | None  # None: not even a confirmed e-mail address
    birth_year: int | None = None
    postal_code: str = ""
    area: Area | None = None
    user_id: int | None = None
    identity_hash: str = ""
    age_band: str = ""  # counted paper sheets know only the band
    channel: str = "web"  # chooses the wording: "web" speaks to the voter, others to staff
    municipality_code: str = ""  # from an electronic identification, "" if not known
    facts_from: str = ""  # the IdentitySource whose facts replaced the profile's, if any


def identity_facts_apply(ballot: Ballot | None, verified) -> bool:
    """A ballot that asks for more than an e-mail address takes age, residency and area
    from the electronic identification (Suomi.fi, MPASSid) instead of the profile."""
    return (
        ballot is not None
        and verified is not None
        and ballot.identity_level != IdentityLevel.EMAIL
        and verified.source in (IdentitySource.SUOMIFI, IdentitySource.MPASSID)
    )


def voter_of_user(user: User, ballot: Ballot | None = None) -> Voter:
    """The account as a voter, read in one query: its verified identity, whether it has a
    confirmed e-mail address (omakouvola.rules.is_verified) and the area of its postal
    code. The ballot page and every cast ask this, so it was three queries each. On a
    ballot above the e-mail level, an electronic identification's facts replace the
    profile's (`identity_facts_apply`)."""
    if not user.is_authenticated:
        return Voter(level=None, user_id=None)
    from allauth.account.models import EmailAddress

    row = (
        User.objects.filter(pk=user.pk)
        .select_related("verified_identity")
        .annotate(
            has_confirmed_email=Exists(
                EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
            ),
            postal_area_id=Subquery(
                PostalCode.objects.filter(code=OuterRef("postal_code")).values("area_id")[:1]
            ),
        )
        .get()
    )
    verified = identity.identity_of(row)
    if not row.has_confirmed_email:
        level = None
    elif verified is None:
        level = IdentityLevel.EMAIL
    else:
        level = IdentityLevel(verified.method)
    if identity_facts_apply(ballot, verified):
        return Voter(
            level=level,
            birth_year=verified.birth_year or row.birth_year,
            postal_code=verified.postal_code or row.postal_code,
            area=_area_of(verified.postal_code)
            if verified.postal_code
            else (Area(pk=row.postal_area_id) if row.postal_area_id else None),
            user_id=user.pk,
            identity_hash=verified.identity_hash,
            municipality_code=verified.municipality_code,
            facts_from=verified.source,
        )
    return Voter(
        level=level,
        birth_year=row.birth_year,
        postal_code=row.postal_code,
        # Only the area's id is needed: the check compares it, the roll stores it.
        area=Area(pk=row.postal_area_id) if row.postal_code and row.postal_area_id else None,
        user_id=user.pk,
        identity_hash=verified.identity_hash if verified else "",
    )


def _area_of(postal_code: str) -> Area | None:
    if not postal_code:
        return None
    return Area.objects.filter(postal_codes__code=postal_code).first()


def voter_in_person(*, identity_hash: str, birth_year: int | None, postal_code: str) -> Voter:
    """A voter whose identity document a clerk has just checked (a paper vote)."""
    return Voter(
        level=IdentityLevel.IN_PERSON,
        birth_year=birth_year,
        postal_code=postal_code,
        area=_area_of(postal_code),
        identity_hash=identity_hash,
        channel="paper",
    )


def voter_on_sheet(*, age_band: str, postal_code: str) -> Voter:
    """One row of counted paper ballots: identity was checked at the polling station."""
    return Voter(
        level=IdentityLevel.IN_PERSON,
        postal_code=postal_code,
        area=_area_of(postal_code),
        age_band=age_band,
        channel="import",
    )


def _fmt(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def window_params(ballot: Ballot) -> dict[str, str]:
    return {"ballot": ballot.name, "opens": _fmt(ballot.opens_at), "closes": _fmt(ballot.closes_at)}


def age_in(ballot: Ballot, birth_year: int | None) -> int | None:
    """The age a person turns in the year voting opens."""
    if birth_year is None:
        return None
    return timezone.localtime(ballot.opens_at).year - birth_year


def needs_age(ballot: Ballot) -> bool:
    return ballot.min_age is not None or ballot.max_age is not None


def needs_area(ballot: Ballot) -> bool:
    return ballot.residency == Residency.AREA or (
        ballot.group is not None and ballot.group.choice == BallotGroup.Choice.HOME_AREA
    )


def needs_postal_code(ballot: Ballot) -> bool:
    return ballot.residency != Residency.ANYONE or needs_area(ballot)


def problems(ballot: Ballot, voter: Voter, at: dt.datetime | None = None) -> list[str]:
    """Why this voter cannot vote on this ballot now; empty if they can."""
    found: list[str] = []
    if not ballot.is_open(at):
        found.append(str(VOTING_NOT_OPEN % window_params(ballot)))
    if voter.level is None:
        found.append(str(NOT_VERIFIED))
        return found
    found.extend(_identity_problems(ballot, voter))
    found.extend(_age_problems(ballot, voter))
    residency = _residency_problems(ballot, voter)
    found.extend(residency)
    if not residency:
        found.extend(_group_problems(ballot, voter))
    return found


def check(ballot: Ballot, voter: Voter, at: dt.datetime | None = None) -> None:
    found = problems(ballot, voter, at)
    if found:
        raise ValidationError(found, code="ineligible")


def _identity_problems(ballot: Ballot, voter: Voter) -> list[str]:
    required = IdentityLevel(ballot.identity_level)
    if identity.ORDER.index(voter.level) >= identity.ORDER.index(required):
        return []
    if not identity.METHODS[required].available():
        return [str(STRONG_NOT_AVAILABLE)]
    return [str(IDENTITY_TOO_WEAK % {"level": required.label})]


def _age_problems(ballot: Ballot, voter: Voter) -> list[str]:
    if not needs_age(ballot):
        return []
    low = ballot.min_age if ballot.min_age is not None else 0
    high = ballot.max_age if ballot.max_age is not None else 200
    if voter.birth_year is None and voter.channel == "import":
        if voter.age_band not in BAND_AGES:
            return [str(SHEET_AGE_BAND_NEEDED)]
        youngest, oldest = BAND_AGES[voter.age_band]
        # A band only partly inside the limits may hold eligible voters; one wholly
        # outside cannot.
        if oldest < low or youngest > high:
            return [str(SHEET_AGE_BAND_OUTSIDE % {"band": voter.age_band})]
        return []
    age = age_in(ballot, voter.birth_year)
    if age is None:
        return [str(BIRTH_YEAR_NEEDED if voter.channel == "web" else PAPER_BIRTH_YEAR_NEEDED)]
    if age < low:
        return [str(TOO_YOUNG % {"age": ballot.min_age})]
    if age > high:
        return [str(TOO_OLD % {"age": ballot.max_age})]
    return []


def _residency_problems(ballot: Ballot, voter: Voter) -> list[str]:
    if not needs_postal_code(ballot):
        return []
    area_needed = needs_area(ballot)
    where = ballot.area.localized_name if (area_needed and ballot.area) else "Kouvola"
    if voter.municipality_code and voter.municipality_code != settings.KOUVOLA_MUNICIPALITY_CODE:
        return [str(NOT_KOUVOLA_MUNICIPALITY % {"code": voter.municipality_code})]
    if not voter.postal_code:
        needed = POSTAL_CODE_NEEDED if voter.channel == "web" else PAPER_POSTAL_CODE_NEEDED
        return [str(needed % {"where": where})]
    if voter.area is None or (area_needed and ballot.area_id and voter.area.pk != ballot.area_id):
        return [str(NOT_RESIDENT % {"where": where})]
    return []


def _group_problems(ballot: Ballot, voter: Voter) -> list[str]:
    if ballot.group_id is None:
        return []
    same_person = Q(pk__in=[])
    if voter.user_id is not None:
        same_person |= Q(user_id=voter.user_id)
    if voter.identity_hash:
        same_person |= Q(identity_hash=voter.identity_hash)
    other = (
        VoterRoll.objects.filter(same_person, ballot__group_id=ballot.group_id)
        .exclude(ballot=ballot)
        .select_related("ballot")
        .first()
    )
    if other is None:
        return []
    text = OTHER_AREA_IN_GROUP if voter.channel == "web" else PAPER_OTHER_AREA_IN_GROUP
    return [str(text % {"ballot": other.ballot.name})]


def import_problems(ballot: Ballot, at: dt.datetime | None = None) -> list[str]:
    """Counted paper ballots are added only while the ballot is open and undecided."""
    if hasattr(ballot, "decision"):
        return [str(IMPORT_DECIDED % {"ballot": ballot.name})]
    if ballot.results_published_at is not None:
        return [str(IMPORT_PUBLISHED % {"ballot": ballot.name})]
    if not ballot.is_open(at):
        return [str(IMPORT_CLOSED % window_params(ballot))]
    return []


# ---------------------------------------------------------------------------------------
# Personal identifiers
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identifier:
    """A checked identifier: its normal form (what is hashed) and, for a hetu, the year."""

    value: str
    birth_year: int | None


def identifier_clean(raw: str) -> Identifier:
    """Validate a personal identifier before it is hashed.

    A Finnish personal identity code must pass `stdnum.fi.hetu` (date, century sign and
    check character). Other identifiers (a foreign passport number, say) are taken only
    where the city allows them with VOTING_OTHER_IDENTIFIERS.
    """
    compact = "".join(raw.split()).upper()
    try:
        code = hetu.validate(compact)
    except StdnumError:
        if getattr(settings, "VOTING_OTHER_IDENTIFIERS", False) and compact:
            return Identifier(value=compact, birth_year=None)
        raise ValidationError(
            INVALID_HETU, code="invalid_identifier", params={"value": raw.strip()[:40]}
        ) from None
    return Identifier(value=code, birth_year=_hetu_birth_year(code))


# The century sign of a personal identity code (validated by stdnum.fi.hetu first).
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def _hetu_birth_year(code: str) -> int:
    return _CENTURIES[code[6]] + int(code[4:6])


def paper_voter(*, identifier: str, birth_year: int | None, postal_code: str) -> Voter:
    """The voter a clerk has in front of them, from what the clerk typed.

    A personal identity code tells the birth year: it fills a missing year and refuses a
    contradicting one, so a clerk's slip cannot put a 1940-born voter on a youth ballot.
    """
    from .secrecy import identity_hash

    checked = identifier_clean(identifier)
    if birth_year and checked.birth_year and birth_year != checked.birth_year:
        raise ValidationError(
            BIRTH_YEAR_MISMATCH,
            code="birth_year_mismatch",
            params={"entered": birth_year, "year": checked.birth_year},
        )
    return voter_in_person(
        identity_hash=identity_hash(checked.value),
        birth_year=birth_year or checked.birth_year,
        postal_code=postal_code.strip(),
    )
