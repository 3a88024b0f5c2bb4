"""A cycle in ideation with discussion open, an idea and a proposal to talk about."""

from __future__ import annotations

import pytest

from discussion.models import DiscussionSettings

from ..factories import IdeaFactory, ProposalFactory, helsinki


@pytest.fixture
def during_ideation(time_machine):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=False)


@pytest.fixture
def during_workshops(time_machine):
    time_machine.move_to(helsinki(2027, 1, 12, 12, 0), tick=False)


@pytest.fixture
def open_discussion(db, cycle):
    return DiscussionSettings.objects.create(cycle=cycle, in_ideation=True)


@pytest.fixture
def idea(db, cycle, other_resident, open_discussion):
    return IdeaFactory(cycle=cycle, submitter=other_resident, title="Koirapuisto Kuusankoskelle")


@pytest.fixture
def proposal(db, cycle, open_discussion):
    return ProposalFactory(cycle=cycle, status="approved", title="Valaistu latu")
