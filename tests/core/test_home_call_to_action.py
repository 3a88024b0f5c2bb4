"""During ideation the home page asks residents to propose an idea; outside it, it does not."""

from __future__ import annotations

import pytest
import time_machine

from ..factories import CycleFactory

pytestmark = pytest.mark.django_db


def _cta(body: str) -> bool:
    return 'class="propose-cta"' in body and 'href="/fi/ideas/new/"' in body


def test_the_home_page_asks_for_ideas_during_ideation(client):
    cycle = CycleFactory(opening_year=2026)
    with time_machine.travel(cycle.ideation_starts_on.isoformat() + "T12:00:00+02:00"):
        body = client.get("/fi/").content.decode()
    assert _cta(body)
    assert "Ehdota ideaa" in body


def test_the_home_page_does_not_ask_for_ideas_once_voting_runs(client):
    cycle = CycleFactory(opening_year=2026)
    with time_machine.travel(cycle.voting_starts_on.isoformat() + "T12:00:00+02:00"):
        body = client.get("/fi/").content.decode()
    assert not _cta(body)
