"""Parallel submissions on a real PostgreSQL: one voter, one vote."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from voting import services
from voting.models import Vote, VoterRoll

from ..factories import (
    AreaFactory,
    BallotFactory,
    CycleFactory,
    PostalCodeFactory,
    ProposalFactory,
    UserFactory,
    helsinki,
)
from .conftest import counted

pytestmark = pytest.mark.django_db(transaction=True)


def _race(count, action):
    barrier = threading.Barrier(count)
    outcomes: list[object] = []

    def run(n):
        try:
            barrier.wait()
            outcomes.append(action(n))
        except ValidationError as exc:
            outcomes.append(exc)
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def setup(time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    cycle = CycleFactory(opening_year=2026)
    area = AreaFactory(slug="keskusta", name="Keskusta")
    PostalCodeFactory(code="45100", area=area)
    proposals = [ProposalFactory(cycle=cycle, cost=3000, status="approved") for _ in range(3)]
    ballot = BallotFactory(cycle=cycle, money=10_000, proposals=proposals)
    return ballot, proposals


def test_parallel_casts_by_one_voter_store_exactly_one_vote(setup):
    ballot, proposals = setup
    voter = UserFactory(postal_code="45100")
    outcomes = _race(
        10,
        lambda n: services.vote_cast(
            actor=voter, ballot=ballot, proposal_ids=[proposals[n % 3].pk]
        ),
    )
    assert all(isinstance(o, Vote) for o in outcomes), outcomes
    # Each cast seals a vote; the roll's one pointer names the one that counts.
    assert len(counted(ballot)) == 1
    assert VoterRoll.objects.filter(ballot=ballot).count() == 1


def test_parallel_paper_entries_for_one_person_store_one_vote(setup):
    ballot, proposals = setup
    clerks = [UserFactory(roles=["paper_vote_clerk"]) for _ in range(8)]
    outcomes = _race(
        8,
        lambda n: services.paper_vote_record(
            clerk=clerks[n],
            ballot=ballot,
            identifier="010110A1230",
            postal_code="45100",
            proposal_ids=[proposals[0].pk],
        ),
    )
    stored = [o for o in outcomes if isinstance(o, Vote)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(stored), len(refused)) == (1, 7), outcomes
    assert all(e.message == services.ALREADY_VOTED for e in refused)
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_parallel_votes_on_two_ballots_of_a_group_leave_nobody_in_both(setup):
    """Issue #10: 8 people each sent two parallel POSTs to two ballots of a free-choice
    group and 4 got a vote on both. The group is locked while casting, and the roll's
    per-group unique constraint backs it."""
    from voting.models import BallotGroup

    ballot, proposals = setup
    group = BallotGroup.objects.create(cycle=ballot.cycle, name="Alueet", choice="free")
    ballot.group = group
    ballot.save(update_fields=["group"])
    second = BallotFactory(cycle=ballot.cycle, money=10_000, proposals=proposals, group=group)
    people = [UserFactory(postal_code="45100") for _ in range(8)]
    targets = [ballot, second]
    outcomes = _race(
        16,
        lambda n: services.vote_cast(
            actor=people[n // 2], ballot=targets[n % 2], proposal_ids=[proposals[0].pk]
        ),
    )
    assert not [o for o in outcomes if not isinstance(o, Vote | ValidationError)], outcomes
    for person in people:
        assert VoterRoll.objects.filter(user=person, group=group).count() == 1
    assert VoterRoll.objects.filter(group=group).count() == 8


def test_the_roll_refuses_a_second_ballot_of_a_group_by_constraint(setup):
    from django.db import IntegrityError, transaction

    from voting.models import BallotGroup

    ballot, proposals = setup
    group = BallotGroup.objects.create(cycle=ballot.cycle, name="Alueet", choice="free")
    second = BallotFactory(cycle=ballot.cycle, money=10_000, proposals=proposals, group=group)
    person = UserFactory(postal_code="45100")
    common = {"user": person, "group": group, "channel": "web", "voted_on": "2027-01-30"}
    VoterRoll.objects.create(ballot=ballot, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRoll.objects.create(ballot=second, **common)
