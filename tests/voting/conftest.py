"""Fixtures for voting: an open knapsack ballot in Keskusta with three proposals."""

from __future__ import annotations

import pytest

from omakouvola.models import Role

from ..factories import BallotFactory, ProposalFactory, UserFactory, helsinki

DURING_VOTING = helsinki(2027, 1, 30, 12, 0)


@pytest.fixture
def during_voting(time_machine):
    time_machine.move_to(DURING_VOTING, tick=False)


@pytest.fixture
def proposals(cycle, area):
    return [
        ProposalFactory(cycle=cycle, title="Penkit", cost=4000, status="approved", area=area),
        ProposalFactory(cycle=cycle, title="Muraali", cost=6000, status="approved", area=area),
        ProposalFactory(cycle=cycle, title="Kuntoportaat", cost=9000, status="approved", area=area),
    ]


@pytest.fixture
def ballot(cycle, area, proposals):
    return BallotFactory(
        cycle=cycle, name="Keskusta 2027", area=area, money=10_000, proposals=proposals
    )


@pytest.fixture
def clerk(db):
    return UserFactory(email="aino@kouvola.fi", roles=[Role.PAPER_VOTE_CLERK])


@pytest.fixture
def decision_maker(db):
    return UserFactory(email="pekka@kouvola.fi", roles=[Role.DECISION_MAKER])


def opened(vote) -> set[str]:
    """The titles a sealed vote holds, opened with the factories' election key."""
    from ideas.models import Proposal
    from voting import secrecy

    from ..factories import factory_election_key

    ids = secrecy.open_choices(factory_election_key()[0], vote.sealed)
    return set(Proposal.objects.filter(pk__in=ids).values_list("title", flat=True))


def counted(ballot) -> list[set[str]]:
    """What the count would see: the votes that count, opened."""
    from voting.models import Vote
    from voting.selectors import votes_counted

    from ..factories import factory_election_key

    ids = votes_counted(ballot, factory_election_key()[0])
    return sorted((opened(v) for v in Vote.objects.filter(pk__in=ids)), key=lambda s: sorted(s))
