"""Demo data for voting: the pilot's vote with results and decision, and the ballots of
the current round (proposals arrive after the workshops).

Votes are generated with a fixed seed so that greedy counting funds exactly the six
projects the pilot built in 2023 (93 500 €).

Every demo ballot is sealed with the election passphrase DEMO_PASSPHRASE, which is
public on purpose: it is demo data. A real ballot's passphrase is chosen by the
coordinator when the ballot is created and is never stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ideas.models import Proposal, ProposalStatus
from omakouvola.apportion import split_by_population
from omakouvola.formatting import format_euros
from omakouvola.models import HELSINKI, Area, Cycle, User
from voting import secrecy, services
from voting.models import (
    AgeBand,
    Ballot,
    BallotGroup,
    Channel,
    CodeBatch,
    CountingRule,
    IdentityLevel,
    PaperBatch,
    Residency,
    SelectionRule,
    Vote,
    VoterRoll,
)

DEMO_PASSPHRASE = "demo-only-election-passphrase"  # noqa: S105 - public demo data
_DEMO_SALT = "00" * 16


@functools.cache
def demo_election_key():
    """The private key of every demo ballot (derived once per process)."""
    return secrecy.private_key_from_passphrase(DEMO_PASSPHRASE, _DEMO_SALT)


def _key_fields() -> dict[str, str]:
    return {"public_key": secrecy.public_key_text(demo_election_key()), "key_salt": _DEMO_SALT}


PILOT_LOSERS = [
    ("Lintutorni Käyräjärven rantaan", "keskusta", "25000"),
    ("Pumptrack-rata Kuusankoskelle", "kuusankoski-jaala", "45000"),
    ("Valaistu latu Elimäelle", "elimaki-koria", "35000"),
    ("Koirapuisto Uttiin", "valkeala", "15000"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)


@transaction.atomic
def seed_voting(
    *,
    areas: dict[str, Area],
    users: dict[str, User],
    cycle: Cycle,
    pilot: Cycle,
    today: dt.date | None = None,
) -> dict:
    pilot_ballot = _seed_pilot(areas, users, pilot)
    last_ballot = seed_last_round(areas=areas, users=users, today=today or timezone.localdate())
    ballots = _seed_current(areas, users, cycle)
    return {"pilot_ballot": pilot_ballot, "last_ballot": last_ballot, "ballots": ballots}


def _seed_pilot(areas, users, pilot) -> Ballot:
    existing = Ballot.objects.filter(cycle=pilot).first()
    if existing is not None:
        return existing
    winners = list(Proposal.objects.filter(cycle=pilot, status=ProposalStatus.SELECTED))
    losers = [
        Proposal.objects.create(
            cycle=pilot,
            title=title,
            description="Yhteistyöpajassa kehitetty ehdotus.",
            area=areas[slug],
            cost=Decimal(cost),
            status=ProposalStatus.NOT_SELECTED,
        )
        for title, slug, cost in PILOT_LOSERS
    ]
    ballot = Ballot.objects.create(
        cycle=pilot,
        name="Kohenna Kouvolaa 2022",
        description="Pilotin äänestys: 100 000 € budjettivaraus koko kaupungin hankkeisiin.",
        money=Decimal("100000"),
        opens_at=_at(pilot.voting_starts_on, 9),
        closes_at=_at(pilot.voting_ends_on, 20),
        selection_rule=SelectionRule.KNAPSACK,
        counting_rule=CountingRule.GREEDY,
        residency=Residency.KOUVOLA,
        tie_break_seed=2022,
        **_key_fields(),
    )
    ballot.proposals.set([*winners, *losers])

    rng = random.Random(93500)  # noqa: S311 - demo data, reproducible
    _cast_votes(
        ballot,
        rng,
        winners,
        losers,
        areas,
        voters=2400,
        first_day=pilot.voting_starts_on,
        prefix="demo-voter-",
        days=20,
        # The demo resident is one of the voters: her page lists the ballot she voted in.
        first_voter=users["asukas@omakouvola.test"],
    )

    # Counted, published and decided through the same services staff use.
    result = services.results_publish(
        actor=users["koordinaattori@omakouvola.test"],
        ballot=ballot,
        passphrase=DEMO_PASSPHRASE,
        at=_at(pilot.voting_ends_on + dt.timedelta(days=1), 10),
    )
    services.winners_decide(
        actor=users["paattaja@omakouvola.test"],
        ballot=ballot,
        decided_on=dt.date(2023, 2, 14),
        decision_number="KVL/412/02.07.01/2022",
        rationale=(
            "Vahvistetaan äänestyksen tulos. Hankkeet eivät aiheuta kaupungille myöhempiä "
            "kustannuksia, ja osa toteutetaan talkootyönä."
        ),
        winner_ids=[int(w) for w in result.data["winners"]],
    )
    return ballot


def _cast_votes(
    ballot,
    rng,
    winners,
    losers,
    areas,
    *,
    voters: int,
    first_day: dt.date,
    prefix: str,
    days: int,
    most: int | None = None,
    first_voter: User | None = None,
) -> None:
    """Sealed votes and roll rows as the services cast them, winners more popular; the
    count (`results_publish`) makes them final and erases the pointers. `first_voter`, if
    given, is the account behind the first roll row (the others have none)."""
    popularity = {p.pk: rng.uniform(0.42, 0.7) for p in winners}
    popularity.update({p.pk: rng.uniform(0.12, 0.3) for p in losers})
    proposals = [*winners, *losers]
    area_list = list(areas.values())
    bands = [
        AgeBand.TEENS,
        AgeBand.YOUNG,
        AgeBand.ADULT,
        AgeBand.ADULT,
        AgeBand.MIDDLE,
        AgeBand.MIDDLE,
        AgeBand.SENIOR,
    ]
    public_key = ballot.public_key
    on_ballot = len(proposals)
    votes, cast = [], []
    for n in range(voters):
        picked = [p for p in proposals if rng.random() < popularity[p.pk]] or [winners[0]]
        rng.shuffle(picked)
        kept, total = [], Decimal(0)
        for p in picked:
            if total + p.cost <= ballot.money and (most is None or len(kept) < most):
                kept.append(p)
                total += p.cost
        channel = Channel.PAPER if n % 9 == 0 else Channel.WEB
        votes.append(
            Vote(
                ballot=ballot,
                sealed=secrecy.seal_choices(
                    public_key, [p.pk for p in kept], proposals_on_ballot=on_ballot
                ),
                receipt_code=secrecy.new_receipt_code(),
            )
        )
        cast.append((n, channel))
    Vote.objects.bulk_create(votes, batch_size=1000)
    roll = [
        VoterRoll(
            ballot=ballot,
            user=first_voter if n == 0 else None,
            identity_hash=secrecy.identity_hash(f"{prefix}{n}"),
            channel=channel,
            age_band=rng.choice(bands),
            area=rng.choice(area_list),
            voted_on=first_day + dt.timedelta(days=n % days),
            sealed_pointer=secrecy.seal_pointer(public_key, vote.pk),
        )
        for (n, channel), vote in zip(cast, votes, strict=True)
    ]
    VoterRoll.objects.bulk_create(roll, batch_size=1000)


def _past_ballot(
    cycle: Cycle,
    areas: dict[str, Area],
    users: dict[str, User],
    rows: list[tuple[str, str, str, bool]],
    *,
    proposal_text: str,
    voters: int,
    prefix: str,
    seed: int,
    most: int | None = None,
    **ballot_fields,
):
    """A closed ballot of `rows` (title, area, cost, won): its approved proposals, sealed
    votes with the winners more popular, counted and published through the services."""
    proposals = {
        title: Proposal.objects.create(
            cycle=cycle,
            title=title,
            description=proposal_text,
            area=areas[slug],
            cost=Decimal(cost),
            status=ProposalStatus.APPROVED,
        )
        for title, slug, cost, _won in rows
    }
    ballot = Ballot.objects.create(
        cycle=cycle,
        opens_at=_at(cycle.voting_starts_on, 9),
        closes_at=_at(cycle.voting_ends_on, 20),
        residency=Residency.KOUVOLA,
        tie_break_seed=cycle.year,
        **ballot_fields,
        **_key_fields(),
    )
    ballot.proposals.set(proposals.values())
    _cast_votes(
        ballot,
        random.Random(seed),  # noqa: S311 - demo data, reproducible
        [proposals[t] for t, _s, _c, won in rows if won],
        [proposals[t] for t, _s, _c, won in rows if not won],
        areas,
        voters=voters,
        first_day=cycle.voting_starts_on,
        prefix=prefix,
        days=12,
        most=most,
    )
    result = services.results_publish(
        actor=users["koordinaattori@omakouvola.test"],
        ballot=ballot,
        passphrase=DEMO_PASSPHRASE,
        at=_at(cycle.voting_ends_on + dt.timedelta(days=1), 10),
    )
    return ballot, result


def _seed_last_youth(cycle: Cycle, areas: dict[str, Area], users: dict[str, User]) -> None:
    _past_ballot(
        cycle,
        areas,
        users,
        LAST_YOUTH,
        proposal_text="Nuorten työpajassa kehitetty ehdotus.",
        voters=180,
        prefix=f"demo-young-voter-{cycle.year}-",
        seed=cycle.year + 13,
        most=2,
        name=f"Nuoret {cycle.year}",
        description="Nuorten oma budjetti: 7 500 € nuorten ehdotuksiin.",
        money=Decimal("7500"),
        min_age=13,
        max_age=20,
        selection_rule=SelectionRule.APPROVAL,
        min_choices=1,
        max_choices=2,
    )


# Last year's round, decided: the winners are being built (see demo/budgets.py), one of
# them over its budget. Title, area, cost, won.
LAST_ROUND = [
    ("Kuntoportaat Kuusaanlammelle", "kuusankoski-jaala", "18000", True),
    ("Leikkipuiston varjokatos Korialle", "elimaki-koria", "15000", True),
    ("Kylätalon esteetön sisäänkäynti Anjalaan", "anjalankoski", "12000", True),
    ("Puistopenkit Valkealan raitille", "valkeala", "9000", True),
    ("Skeittiparkin laajennus keskustaan", "keskusta", "16000", False),
    ("Kiipeilyseinä Myllykosken koululle", "anjalankoski", "11000", False),
]


def last_round_cycle(today: dt.date) -> Cycle:
    """Last year's round, on the city's yearly rhythm (voting in January and February)."""
    from demo.core import cycle_dates

    year = today.year - 1
    cycle, _ = Cycle.objects.get_or_create(
        name=f"OmaKouvola {year} (päättynyt)",
        defaults={
            "year": year,
            "description": "Viime vuoden kierros: äänestetty, päätetty ja toteutuksessa.",
            **cycle_dates(year - 1),
        },
    )
    return cycle


# Last year's youth vote, counted and published: its winners wait for the decision maker.
LAST_YOUTH = [
    ("Nuorisotilan pelihuone Kuusankoskelle", "kuusankoski-jaala", "4000", True),
    ("Ulkoliikuntavälineet Korian koululle", "elimaki-koria", "3500", True),
    ("Graffitiseinä Kouvolan keskustaan", "keskusta", "3000", False),
    ("Pingispöydät Valkealan puistoon", "valkeala", "2500", False),
]


@transaction.atomic
def seed_last_round(*, areas: dict[str, Area], users: dict[str, User], today: dt.date) -> Ballot:
    """Last year's ballot: counted, published and decided through the services; and its
    youth vote, counted and published, for the decision maker to confirm."""
    cycle = last_round_cycle(today)
    existing = Ballot.objects.filter(cycle=cycle, min_age__isnull=True).first()
    if existing is not None:
        return existing
    _seed_last_youth(cycle, areas, users)
    ballot, result = _past_ballot(
        cycle,
        areas,
        users,
        LAST_ROUND,
        proposal_text="Yhteistyöpajassa kehitetty ehdotus; kustannusarvio kaupungin tiimiltä.",
        voters=600,
        prefix=f"demo-voter-{cycle.year}-",
        seed=cycle.year,
        name=f"OmaKouvola {cycle.year}",
        description="Koko kaupungin äänestys: 60 000 € lähiympäristön hankkeisiin.",
        money=Decimal("60000"),
        selection_rule=SelectionRule.KNAPSACK,
        counting_rule=CountingRule.GREEDY,
    )
    from demo.ideas import seed_past_ideas

    seed_past_ideas(cycle, list(Proposal.objects.filter(cycle=cycle).order_by("pk")), areas)
    services.winners_decide(
        actor=users["paattaja@omakouvola.test"],
        ballot=ballot,
        decided_on=cycle.decision_starts_on + dt.timedelta(days=7),
        decision_number=f"KVL/58/02.07.01/{cycle.year}",
        rationale="Vahvistetaan äänestyksen tulos.",
        winner_ids=[int(w) for w in result.data["winners"]],
    )
    return ballot


def _seed_current(areas, users, cycle) -> list[Ballot]:
    """Today's ballots, open now with the round's proposals, through the services."""
    from demo.ideas import YOUTH_PROPOSALS

    coordinator = users["koordinaattori@omakouvola.test"]
    opens = _at(cycle.voting_starts_on, 9)
    closes = _at(cycle.voting_ends_on, 20)
    # The round's own ballots: identification's trial ballots (identification/demo.py) in
    # the same cycle keep their own window and their own money.
    mine = Ballot.objects.filter(cycle=cycle, identity_level=IdentityLevel.EMAIL).order_by("pk")
    existing = list(mine)
    if existing:
        for ballot in existing:  # a later run keeps the vote open with the cycle
            if ballot.closes_at < closes and ballot.results_published_at is None:
                services.ballot_extend(
                    actor=coordinator,
                    ballot=ballot,
                    closes_at=closes,
                    reason="Demo: äänestys pidetään auki kokeilijoita varten.",
                )
        return list(mine.all())
    approved = Proposal.objects.filter(cycle=cycle, status=ProposalStatus.APPROVED)
    youth_titles = [title for title, _slug, _cost in YOUTH_PROPOSALS]
    group = services.ballot_group_save(
        actor=coordinator,
        group=BallotGroup(
            cycle=cycle,
            name=f"Alueiden äänestykset {cycle.year}",
            choice=BallotGroup.Choice.HOME_AREA,
        ),
    )
    split = split_by_population(75_000, {slug: a.population for slug, a in areas.items()})

    def save(proposals, **fields) -> Ballot:
        return services.ballot_save(
            actor=coordinator,
            ballot=Ballot(
                cycle=cycle,
                opens_at=opens,
                closes_at=closes,
                tie_break_seed=cycle.year,
                **_key_fields(),
                **fields,
            ),
            proposals=proposals,
        )

    ballots = [
        save(
            approved.filter(area=area).exclude(title__in=youth_titles),
            group=group,
            name=f"{area.name} {cycle.year}",
            description=(
                f"{area.name}: käytettävissä {format_euros(Decimal(split[slug]), language='fi')}."
                " Valitse ehdotukset, joiden yhteishinta mahtuu rahaan."
            ),
            area=area,
            money=Decimal(split[slug]),
            residency=Residency.AREA,
        )
        for slug, area in sorted(areas.items())
    ]
    ballots.append(
        save(
            approved.filter(area__isnull=True),
            name=f"Koko kaupunki {cycle.year}",
            description="Koko kaupungin hankkeet, laskettuna tasaosuusmenetelmällä.",
            money=Decimal(25_000),
            residency=Residency.KOUVOLA,
            counting_rule=CountingRule.EQUAL_SHARES,
        )
    )
    ballots.append(
        save(
            approved.filter(title__in=youth_titles),
            name=f"Nuoret {cycle.year}",
            money=Decimal(10_000),
            operating_funds=Decimal(5_000),
            description="Nuorten oma budjetti: 10 000 €, josta 5 000 € toimintarahasta.",
            min_age=13,
            max_age=20,
            residency=Residency.KOUVOLA,
            selection_rule=SelectionRule.APPROVAL,
            min_choices=1,
            max_choices=3,
        )
    )
    return ballots


def seed_voting_codes(*, ballots: list[Ballot], actor: User) -> CodeBatch | None:
    """One batch of voting codes for a school's youth vote (idempotent).

    Made through the service, so the slips' PDF is printed by the task (in-process in
    `make run`) and only the codes' hashes are stored; the coordinator downloads the
    slips in the admin (Voting code batches).
    """
    from voting import codes

    youth = next((b for b in ballots if b.min_age is not None and b.closes_at > _now()), None)
    if youth is None:
        return None
    place = "Kouvolan yhteiskoulu, 8. luokat"
    existing = CodeBatch.objects.filter(ballot=youth, place=place).first()
    if existing is not None:
        return existing
    return codes.code_batch_create(
        actor=actor, ballot=youth, place=place, size=24, min_age=13, max_age=15
    )


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def seed_paper_batch(*, ballots: list[Ballot], clerk: User) -> PaperBatch | None:
    """The service point's counted paper ballots for an open area ballot (idempotent).

    Imported through `paper_votes_import`, as the clerk does from the polling station's
    sheet: no identities, only the coarse age band and postal code of each ballot.
    """
    from omakouvola.models import PostalCode

    area_ballot = next(
        (b for b in ballots if b.area_id is not None and b.min_age is None and b.is_open()), None
    )
    if area_ballot is None:
        return None
    source = "Asiointipiste Kouvola-talo, paperiäänet viikko 1"
    existing = PaperBatch.objects.filter(ballot=area_ballot, source_name=source).first()
    if existing is not None:
        return existing
    proposals = sorted(area_ballot.proposals.all(), key=lambda p: (p.cost, p.pk))
    codes = list(PostalCode.objects.filter(area=area_ballot.area_id).values_list("code", flat=True))
    bands = [AgeBand.ADULT, AgeBand.MIDDLE, AgeBand.SENIOR, AgeBand.SENIOR, AgeBand.YOUNG]
    rows = [
        {
            "proposal_ids": [proposals[n % min(3, len(proposals))].pk],
            "age_band": bands[n % len(bands)],
            "postal_code": codes[n % len(codes)],
        }
        for n in range(12)
    ]
    return services.paper_votes_import(
        actor=clerk, ballot=area_ballot, source_name=source, rows=rows
    )
