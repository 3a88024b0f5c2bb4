"""Demo ballots that need identification, to try with the local test identity service.

`seed_identification(cycle=..., areas=...)` is called by seed_demo. Open from yesterday for
a month, so that a newcomer can identify as "Aili Asukas" (Suomi.fi, test) or as the
pupil "Niko Nuori" (MPASSid, test) and vote at once. Idempotent: found by name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.voting import _at, _key_fields
from ideas.models import Proposal, ProposalStatus
from omakouvola.models import Area, Cycle
from voting.models import Ballot, IdentityLevel, Residency, SelectionRule

STRONG_PROPOSALS = [
    ("Kuntoportaat Kukkomäelle", "keskusta", "12000"),
    ("Penkkejä Kymijoen rantaan", "kuusankoski-jaala", "4000"),
    ("Kirjaston lukunurkka nuorille", "keskusta", "6000"),
]


def _proposals(cycle: Cycle, areas: dict[str, Area]) -> list[Proposal]:
    return [
        Proposal.objects.get_or_create(
            cycle=cycle,
            title=title,
            defaults={
                "description": "Kokeiluäänestyksen ehdotus (demo).",
                "area": areas.get(slug),
                "cost": Decimal(cost),
                "status": ProposalStatus.APPROVED,
            },
        )[0]
        for title, slug, cost in STRONG_PROPOSALS
    ]


@transaction.atomic
def seed_identification(*, cycle: Cycle, areas: dict[str, Area]) -> list[Ballot]:
    today = timezone.localdate()
    window = {
        "opens_at": _at(today - dt.timedelta(days=1), 9),
        "closes_at": _at(today + dt.timedelta(days=30), 20),
    }
    proposals = _proposals(cycle, areas)
    ballots = []
    for name, extra in (
        (
            "Suomi.fi-kokeilu",
            {
                "identity_level": IdentityLevel.STRONG,
                "description": (
                    "Kokeiluäänestys, joka vaatii vahvan tunnistautumisen. Kirjaudu "
                    "tunnuksella asukas@omakouvola.test ja tunnistaudu testipalvelussa "
                    "Aili Asukkaana: ikä, kotikunta ja postinumero tulevat tunnistuksesta."
                ),
            },
        ),
        (
            "Nuorten kokeilu (koulutunnus)",
            {
                "identity_level": IdentityLevel.IN_PERSON,
                "min_age": 13,
                "max_age": 20,
                "description": (
                    "Nuorten kokeiluäänestys: kirjaudu tunnuksella nuori@omakouvola.test ja "
                    "todista ikäsi koulutunnuksella (MPASSid, testipalvelu)."
                ),
            },
        ),
    ):
        ballot = Ballot.objects.filter(cycle=cycle, name=name).first()
        if ballot is None:
            ballot = Ballot.objects.create(
                cycle=cycle,
                name=name,
                money=Decimal(15_000),
                residency=Residency.KOUVOLA,
                selection_rule=SelectionRule.APPROVAL,
                min_choices=1,
                max_choices=2,
                tie_break_seed=cycle.year,
                **window,
                **extra,
                **_key_fields(),
            )
            ballot.proposals.set(proposals)
        ballots.append(ballot)
    return ballots
