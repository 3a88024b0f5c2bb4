"""The demo's trial ballots: open now, at the identification levels, made once."""

from __future__ import annotations

import pytest

from demo.identification import seed_identification
from voting.models import Ballot

pytestmark = pytest.mark.django_db


def test_the_trial_ballots_are_open_now_and_made_once(cycle, area):
    first = seed_identification(cycle=cycle, areas={"keskusta": area})
    again = seed_identification(cycle=cycle, areas={"keskusta": area})
    assert [b.pk for b in first] == [b.pk for b in again]
    assert Ballot.objects.count() == 2
    assert {b.identity_level for b in first} == {"strong", "in_person"}
    assert all(b.is_open() and b.proposals.count() == 3 for b in first)
