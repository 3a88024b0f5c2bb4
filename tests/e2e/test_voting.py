"""A resident votes with the keyboard alone, changes the vote, and checks the receipt."""

from __future__ import annotations

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


def _tab_to(page, predicate_js: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError("never reached by Tab: " + predicate_js)


def _receipt_code(page) -> str:
    return page.locator(".receipt-code").inner_text().strip()


def test_keyboard_only_voting_receipt_change_and_check(page, cycle, coordinator, time_machine):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    area = AreaFactory(slug="keskusta", name="Keskusta")
    PostalCodeFactory(code="45100", area=area)
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    muraali = ProposalFactory(cycle=cycle, title="Muraali", cost=6000, status="approved")
    portaat = ProposalFactory(cycle=cycle, title="Kuntoportaat", cost=9000, status="approved")
    ballot = BallotFactory(
        cycle=cycle, name="Keskusta 2027", money=10_000, proposals=[penkit, muraali, portaat]
    )
    UserFactory(email="aili@example.fi", postal_code="45100")

    page.goto(page.base_url + "/en/accounts/login/")
    page.get_by_label("Email").first.focus()
    page.keyboard.type("aili@example.fi")
    page.keyboard.press("Tab")
    page.keyboard.type("salasana-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/")

    page.goto(page.base_url + f"/en/voting/{ballot.pk}/")
    assert axe_violations(page) == []
    _tab_to(page, f"document.activeElement.id === 'proposal-{penkit.pk}'")
    page.keyboard.press("Space")
    _tab_to(page, f"document.activeElement.id === 'proposal-{muraali.pk}'")
    page.keyboard.press("Space")
    total = page.locator("#ballot-total")
    assert total.inner_text() == "Chosen €10,000.00, left €0.00."
    _tab_to(page, f"document.activeElement.id === 'proposal-{portaat.pk}'")
    page.keyboard.press("Space")
    assert "more than the money" in total.inner_text()
    page.keyboard.press("Space")  # untick again
    _tab_to(page, "document.activeElement.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/voting/{ballot.pk}/receipt/")
    first_code = _receipt_code(page)
    assert page.get_by_text("Penkit rantaan").is_visible()
    assert axe_violations(page) == []

    # The choices were shown once; later the sealed vote cannot be shown.
    page.goto(page.base_url + f"/en/voting/{ballot.pk}/receipt/")
    assert page.get_by_text("Your vote is sealed, so it cannot be shown here.").is_visible()
    assert page.locator(".receipt-code").count() == 0

    # Change the vote: nothing is ticked any more; the new vote replaces the old.
    page.goto(page.base_url + f"/en/voting/{ballot.pk}/")
    assert page.get_by_text("You have voted on this ballot.", exact=False).is_visible()
    assert page.locator("input[name=proposals]:checked").count() == 0
    _tab_to(page, f"document.activeElement.id === 'proposal-{portaat.pk}'")
    page.keyboard.press("Space")
    _tab_to(page, "document.activeElement.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/voting/{ballot.pk}/receipt/")
    second_code = _receipt_code(page)
    assert second_code != first_code
    assert page.get_by_text("Kuntoportaat").is_visible()

    # After voting closes the coordinator publishes; the resident checks the receipt.
    time_machine.move_to(helsinki(2027, 2, 9, 10, 0), tick=True)
    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)
    page.goto(page.base_url + f"/en/voting/{ballot.pk}/results/")
    assert axe_violations(page) == []
    page.get_by_label("Receipt code").fill(second_code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**receipt={second_code}")
    assert page.get_by_text("This receipt belongs to a vote that was counted.").is_visible()
    page.get_by_label("Receipt code").fill(first_code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**receipt={first_code}")
    assert page.get_by_text("No counted vote has this receipt code").is_visible()


def test_the_ballot_list_and_an_ineligible_ballot_are_accessible(page, cycle, time_machine):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    proposal = ProposalFactory(cycle=cycle, title="Skeittiramppi", cost=5000, status="approved")
    youth = BallotFactory(
        cycle=cycle, name="Nuoret 2027", min_age=13, max_age=20, proposals=[proposal]
    )
    for path in ["/fi/voting/", f"/fi/voting/{youth.pk}/", "/sv/voting/"]:
        page.goto(page.base_url + path)
        assert axe_violations(page) == [], path


def _log_in(page, email: str) -> None:
    page.goto(page.base_url + "/en/accounts/login/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password").first.fill("salasana-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/")


def test_a_clerk_records_a_paper_vote_and_verifies_an_account(page, cycle, time_machine):
    """The clerk's two pages in Chromium: a paper vote, then verifying a resident who
    turns out to be that paper voter: the account gets no view of the vote, nor a second."""
    from omakouvola.models import Role

    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    area = AreaFactory(slug="keskusta", name="Keskusta")
    PostalCodeFactory(code="45100", area=area)
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    ballot = BallotFactory(cycle=cycle, name="Keskusta 2027", money=10_000, proposals=[penkit])
    UserFactory(email="aino@kouvola.fi", roles=[Role.PAPER_VOTE_CLERK])
    UserFactory(email="aili@example.fi", postal_code="45100")

    _log_in(page, "aino@kouvola.fi")
    page.goto(page.base_url + f"/en/voting/paper/?ballot={ballot.pk}")
    page.get_by_label("Personal identifier from the identity document").fill("010190-123M")
    if page.get_by_label("Birth year").count():
        page.get_by_label("Birth year").fill("1990")
    page.get_by_label("Postal code").fill("45100")
    page.get_by_label("Penkit rantaan", exact=False).check()
    page.get_by_role("button", name="Record the vote").click()
    assert page.get_by_text("The paper vote was recorded.").is_visible()

    page.goto(page.base_url + "/en/voting/identity/")
    page.get_by_label("The resident's e-mail address").fill("aili@example.fi")
    page.get_by_label("Personal identifier from the identity document").fill("010190-123M")
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_text("The identity was verified for this account.").is_visible()
    page.context.clear_cookies()

    _log_in(page, "aili@example.fi")
    page.goto(page.base_url + f"/en/voting/{ballot.pk}/")
    assert page.get_by_text("You have voted on this ballot.", exact=False).count() == 0
    assert page.locator("input[name=proposals]:checked").count() == 0
    page.get_by_label("Penkit rantaan", exact=False).check()
    page.get_by_role("button", name="Cast my vote").click()
    assert page.get_by_text("already been recorded", exact=False).is_visible()


def test_a_clerk_records_a_paper_vote_and_an_invented_identifier_is_refused(
    page, cycle, time_machine
):
    """The clerk's page in Chromium: asks what the ballot needs, refuses in Swedish."""
    from voting.models import Vote, VoterRoll

    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    area = AreaFactory(slug="keskusta", name="Keskusta")
    PostalCodeFactory(code="45100", area=area)
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    youth = BallotFactory(
        cycle=cycle, name="Nuoret 2027", min_age=13, max_age=20, proposals=[penkit]
    )
    UserFactory(email="aino@kouvola.fi", roles=["paper_vote_clerk"])

    page.goto(page.base_url + "/sv/accounts/login/")
    page.locator("input[name=login]").fill("aino@kouvola.fi")
    page.locator("input[name=password]").fill("salasana-123")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/sv/")
    page.goto(page.base_url + f"/sv/voting/paper/?ballot={youth.pk}")
    assert page.locator("input[name=birth_year]").is_visible()
    assert page.locator("input[name=postal_code]").is_visible()
    assert axe_violations(page) == []

    page.locator("input[name=identifier]").fill("fake-0")
    page.locator("input[name=birth_year]").fill("2010")
    page.locator("input[name=postal_code]").fill("45100")
    page.get_by_label("Penkit rantaan").check()
    page.get_by_role("button", name="Registrera rösten").click()
    page.get_by_role("alert").get_by_text("är inte en giltig finsk personbeteckning").wait_for()
    assert Vote.objects.count() == 0

    page.locator("input[name=identifier]").fill("010110A1230")
    page.locator("input[name=birth_year]").fill("2010")
    page.locator("input[name=postal_code]").fill("45100")
    page.get_by_label("Penkit rantaan").check()
    page.get_by_role("button", name="Registrera rösten").click()
    page.wait_for_url(f"**/sv/voting/paper/?ballot={youth.pk}")
    assert VoterRoll.objects.get().age_band == "13-17"
