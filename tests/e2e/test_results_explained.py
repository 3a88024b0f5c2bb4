"""A resident reads why the results came out as they did, at phone width, in three languages."""

from __future__ import annotations

import os

import pytest

from voting import services

from ..factories import (
    TEST_ELECTION_PASSPHRASE,
    AreaFactory,
    BallotFactory,
    PostalCodeFactory,
    ProposalFactory,
    UserFactory,
    helsinki,
)
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_results_show_the_other_rule_the_rounds_and_fairness_at_phone_width(
    phone_page, cycle, coordinator, time_machine
):
    page = phone_page
    page.set_viewport_size({"width": 390, "height": 844})
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    area = AreaFactory(slug="keskusta", name="Keskusta")
    PostalCodeFactory(code="45100", area=area)
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    muraali = ProposalFactory(cycle=cycle, title="Muraali", cost=6000, status="approved")
    portaat = ProposalFactory(cycle=cycle, title="Kuntoportaat", cost=9000, status="approved")
    ballot = BallotFactory(
        cycle=cycle, name="Keskusta 2027", money=10_000, proposals=[penkit, muraali, portaat]
    )
    for n, chosen in enumerate([[portaat], [portaat], [penkit, muraali], [penkit]]):
        voter = UserFactory(email=f"v{n}@example.fi", postal_code="45100")
        services.vote_cast(actor=voter, ballot=ballot, proposal_ids=[p.pk for p in chosen])
    time_machine.move_to(helsinki(2027, 2, 9, 10, 0), tick=True)
    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)

    for language, heading, not_official in [
        ("fi", "Tasaosuusmenetelmä vaihe vaiheelta", "Ei virallinen."),
        ("sv", "Metoden med lika andelar steg för steg", "Inte officiellt."),
        ("en", "Equal Shares step by step", "Not official."),
    ]:
        page.goto(page.base_url + f"/{language}/voting/{ballot.pk}/results/")
        assert page.get_by_role("heading", name=heading).is_visible()
        assert page.get_by_text(not_official, exact=True).first.is_visible()
        # Nothing wider than the phone: the tables scroll inside their own box.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (language, width)
        # ... and the reason column stays readable there, not one word a line.
        reason = page.locator("td.results-outcome").first.bounding_box()
        assert reason["width"] >= 200, (language, reason)
        assert axe_violations(page) == [], language
        if shots := os.environ.get("SCREENSHOT_DIR"):
            page.screenshot(path=f"{shots}/results_{language}.png", full_page=True)
