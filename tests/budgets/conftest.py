"""Fixtures of the budgets tests: a decided ballot whose money comes from an appropriation,
and a committee allocation drawing from another."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgets import services
from budgets.models import Purpose
from tests.factories import (
    BallotFactory,
    CycleFactory,
    FundingSourceFactory,
    ProposalFactory,
    UserFactory,
    helsinki,
)
from voting.models import WinnerDecision


@pytest.fixture
def city_budget(db):
    return FundingSourceFactory(name="Kaupungin talousarvio", kind="city_budget")


@pytest.fixture
def operating_funds(db):
    return FundingSourceFactory(name="Toimintaraha", kind="operating_funds")


@pytest.fixture
def pb_cycle(db):
    """A round opening October 2024, budget year 2025."""
    return CycleFactory(opening_year=2024)


@pytest.fixture
def appropriation(coordinator, city_budget):
    return services.appropriation_save(
        actor=coordinator,
        year=2025,
        purpose=Purpose.PARTICIPATORY_BUDGETING,
        name="Osallistuva budjetointi",
        amount=Decimal("50000"),
        shares={city_budget: Decimal("50000")},
    )


@pytest.fixture
def decided_ballot(pb_cycle, area, coordinator):
    """A 30 000 € ballot with two confirmed winners (12 000 € and 9 000 €) and a loser."""
    winners = [
        ProposalFactory(
            cycle=pb_cycle, title="Kuntoportaat", cost=12_000, area=area, status="selected"
        ),
        ProposalFactory(cycle=pb_cycle, title="Muraali", cost=9_000, area=area, status="selected"),
    ]
    loser = ProposalFactory(cycle=pb_cycle, title="Koirapuisto", cost=15_000, status="not_selected")
    ballot = BallotFactory(
        cycle=pb_cycle,
        name="Keskusta 2025",
        money=30_000,
        proposals=[*winners, loser],
        opens_at=helsinki(2025, 1, 26, 9, 0),
        closes_at=helsinki(2025, 2, 8, 20, 0),
    )
    decision = WinnerDecision.objects.create(
        ballot=ballot,
        decided_on=dt.date(2025, 2, 20),
        decision_number="KVL/1/2025",
        rule_used="greedy",
        rationale="Vahvistetaan tulos.",
    )
    decision.confirmed.set(winners)
    return ballot


@pytest.fixture
def committed_ballot(decided_ballot, appropriation, coordinator):
    services.commitment_create(
        actor=coordinator,
        appropriation=appropriation,
        ballot=decided_ballot,
        committed_on=dt.date(2025, 1, 10),
    )
    return decided_ballot


@pytest.fixture
def projects(committed_ballot, coordinator):
    made = services.implementations_for_winners(actor=coordinator, ballot=committed_ballot)
    return {p.title: p for p in made}


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@kouvola.fi")
