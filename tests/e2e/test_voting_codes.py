"""The coordinator prints voting codes for a library; a resident votes with one on a phone."""

from __future__ import annotations

import io
import os
import re
import subprocess

import pytest
from pypdf import PdfReader

from voting.models import VoterRoll

from ..factories import BallotFactory, ProposalFactory, helsinki
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("E2E_SHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_coordinator_prints_codes_and_a_resident_votes_with_one_on_a_phone(
    browser, phone_page, live_server, cycle, coordinator, time_machine, tmp_path
):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    muraali = ProposalFactory(cycle=cycle, title="Muraali", cost=6000, status="approved")
    ballot = BallotFactory(
        cycle=cycle, name="Kuusankoski 2027", money=10_000, proposals=[penkit, muraali]
    )

    staff = browser.new_context(locale="fi-FI", accept_downloads=True)
    admin = staff.new_page()
    admin.goto(live_server.url + "/admin/voting/codebatch/add/")
    admin.get_by_label("Sähköposti").first.fill(coordinator.email)
    admin.get_by_label("Salasana").first.fill("salasana-123")
    admin.get_by_role("button", name="Kirjaudu sisään").click()
    admin.wait_for_url("**/admin/voting/codebatch/add/")
    admin.select_option("#id_ballot", str(ballot.pk))
    admin.fill("#id_place", "Kuusankosken kirjasto")
    admin.fill("#id_size", "8")
    _shot(admin, "codes-1-admin-add")
    admin.click("input[name=_save]")
    admin.wait_for_url("**/admin/voting/codebatch/")
    assert admin.get_by_role("link", name="Lataa koodilaput").is_visible()
    _shot(admin, "codes-2-admin-list")
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Lataa koodilaput").click()
    pdf_path = tmp_path / "slips.pdf"
    download.value.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    found = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", text)
    assert len(found) == 6
    if SHOTS:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(pdf_path), os.path.join(SHOTS, "codes-slips")],
            check=True,
        )
    staff.close()

    page = phone_page
    page.goto(page.base_url + "/fi/voting/")
    page.get_by_role("link", name="Saitko lapun, jossa on äänestyskoodi?").click()
    page.wait_for_url("**/fi/voting/code/")
    assert axe_violations(page) == []
    page.get_by_label("Äänestyskoodi").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Jatka").click()
    assert page.get_by_text("Tämä äänestyskoodi ei kelpaa.").is_visible()
    page.get_by_label("Äänestyskoodi").fill(found[0].lower())
    page.get_by_role("button", name="Jatka").click()
    page.get_by_label("Penkit rantaan").check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    _shot(page, "codes-3-phone-ballot")
    page.get_by_role("button", name="Lähetä ääneni").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/code/done/")
    assert page.locator(".receipt-code").inner_text().strip()
    assert page.get_by_text("Penkit rantaan").is_visible()
    assert axe_violations(page) == []
    _shot(page, "codes-4-phone-receipt")
    assert VoterRoll.objects.get(ballot=ballot).channel == "code"

    # The same slip again: refused, nothing added.
    page.goto(page.base_url + "/fi/voting/code/")
    page.get_by_label("Äänestyskoodi").fill(found[0])
    page.get_by_role("button", name="Jatka").click()
    assert page.get_by_text("Tämä äänestyskoodi on jo käytetty.").is_visible()
    _shot(page, "codes-5-phone-reused")
    assert VoterRoll.objects.filter(ballot=ballot).count() == 1


def test_what_happened_to_my_vote_on_a_phone(phone_page, cycle, area, coordinator, time_machine):
    from voting import services

    from ..factories import TEST_ELECTION_PASSPHRASE, UserFactory

    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    muraali = ProposalFactory(cycle=cycle, title="Muraali", cost=6000, status="approved")
    portaat = ProposalFactory(cycle=cycle, title="Kuntoportaat", cost=9000, status="approved")
    ballot = BallotFactory(
        cycle=cycle, name="Keskusta 2027", money=10_000, proposals=[penkit, muraali, portaat]
    )
    choices = [[penkit.pk, muraali.pk], [penkit.pk], [portaat.pk]]
    votes = [
        services.vote_cast(
            actor=UserFactory(email=f"v{n}@example.fi", postal_code="45100"),
            ballot=ballot,
            proposal_ids=chosen,
        )
        for n, chosen in enumerate(choices)
    ]
    time_machine.move_to(helsinki(2027, 2, 9, 12, 0), tick=True)
    services.results_publish(actor=coordinator, ballot=ballot, passphrase=TEST_ELECTION_PASSPHRASE)

    page = phone_page
    page.goto(page.base_url + f"/fi/voting/{ballot.pk}/results/")
    page.get_by_role("link", name="Mitä äänelleni tapahtui?").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/my-vote/")
    page.get_by_label("Kuittikoodi").fill(votes[0].receipt_code)
    page.get_by_role("button", name="Tarkista").click()
    assert page.get_by_text("Kyllä: tämä kuitti kuuluu ääneen, joka laskettiin.").is_visible()
    page.get_by_label("Penkit rantaan").check()
    page.get_by_label("Muraali").check()
    outcome = page.locator("#my-outcome").inner_text()
    assert "Valitsemistasi 2 ehdotuksesta voitti 2." in outcome
    assert "(yhteensä 1)" in outcome
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    _shot(page, "codes-6-phone-my-vote")
