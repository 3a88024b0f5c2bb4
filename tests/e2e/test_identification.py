"""A resident identifies with Suomi.fi (the local test service) and votes on a ballot that
needs strong identification; a pupil proves their age with a school account (MPASSid)."""

from __future__ import annotations

import os

import pytest

from identification.devsettings import dev_identification_settings

from ..factories import (
    AreaFactory,
    BallotFactory,
    PostalCodeFactory,
    ProposalFactory,
    UserFactory,
    helsinki,
)
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def identity_service(settings, live_server, tmp_path):
    settings.IDENTIFICATION_DEV_IDP = True
    settings.IDENTIFICATION_KEY_DIR = str(tmp_path / "keys")
    settings.OMAKOUVOLA_SITE_URL = live_server.url
    for name, value in dev_identification_settings(live_server.url, "").items():
        setattr(settings, name, value)


def _log_in(page, email):
    page.set_default_timeout(60_000)  # a shared, busy machine; the flow has many hops
    page.goto(page.base_url + "/fi/accounts/login/")
    page.get_by_label("Sähköposti").first.fill(email)
    page.get_by_label("Salasana").first.fill("salasana-123")
    page.get_by_label("Salasana").first.press("Enter")
    page.wait_for_url("**/fi/")


def test_a_resident_identifies_with_suomifi_and_votes(page, identity_service, cycle, time_machine):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    kuusankoski = AreaFactory(slug="kuusankoski-jaala", name="Kuusankoski-Jaala")
    PostalCodeFactory(code="45720", area=kuusankoski)
    portaat = ProposalFactory(cycle=cycle, title="Kuntoportaat", cost=9000, status="approved")
    penkit = ProposalFactory(cycle=cycle, title="Penkit rantaan", cost=4000, status="approved")
    ballot = BallotFactory(
        cycle=cycle, name="Suomi.fi-kokeilu", identity_level="strong", proposals=[portaat, penkit]
    )
    UserFactory(email="aili@example.fi", postal_code="")  # nothing in the profile

    _log_in(page, "aili@example.fi")
    page.goto(page.base_url + f"/fi/voting/{ballot.pk}/")
    page.get_by_role("link", name="Tunnistaudu").click()
    page.wait_for_url("**/identification/**")
    assert axe_violations(page) == []
    _shot(page, "1-status")
    page.get_by_role("link", name="Tunnistaudu Suomi.fi:llä").click()
    page.wait_for_url("**/test-service/saml/sso/**")
    assert "TESTIPALVELU" in page.content()
    assert axe_violations(page) == []
    _shot(page, "2-test-idp")
    page.get_by_label("Aili Asukas", exact=False).check()
    page.get_by_role("button", name="Tunnistaudu").click()
    page.get_by_role("button", name="Jatka OmaKouvolaan").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/")
    text = page.content()
    assert "Olet nyt tunnistautunut Suomi.fi:llä" in text
    assert "Syntymävuosi 1994" in text and "Postinumero 45720" in text
    assert axe_violations(page) == []
    _shot(page, "3-ballot")
    page.get_by_label("Kuntoportaat").check()
    page.get_by_role("button", name="Lähetä ääneni").click()
    page.wait_for_url(f"**/fi/voting/{ballot.pk}/receipt/")

    from voting.models import VoterRoll

    assert VoterRoll.objects.get(ballot=ballot).area == kuusankoski


def test_a_pupil_proves_their_age_with_a_school_account_on_a_phone(
    browser, live_server, identity_service, cycle, time_machine
):
    time_machine.move_to(helsinki(2027, 1, 30, 12, 0), tick=True)
    area_code = PostalCodeFactory(code="47200")
    proposal = ProposalFactory(cycle=cycle, title="Skeittiramppi", cost=5000, status="approved")
    youth = BallotFactory(
        cycle=cycle,
        name="Nuorten kokeilu",
        identity_level="in_person",
        min_age=13,
        max_age=20,
        selection_rule="approval",
        max_choices=1,
        proposals=[proposal],
    )
    UserFactory(email="niko@example.fi", postal_code=area_code.code, birth_year=None)
    context = browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        _log_in(page, "niko@example.fi")
        page.goto(page.base_url + "/identification/?next=" + f"/fi/voting/{youth.pk}/")
        page.get_by_role("link", name="koulutunnuksella").click()
        page.wait_for_url("**/test-service/oidc/authorize/**")
        assert axe_violations(page) == []
        _shot(page, "4-test-oidc-phone")
        page.get_by_label("Niko Nuori", exact=False).check()
        page.get_by_role("button", name="Kirjaudu", exact=True).click()
        page.wait_for_url(f"**/fi/voting/{youth.pk}/")
        assert "Koulutunnuksesi on nyt liitetty tiliisi" in page.content()
        _shot(page, "5-youth-ballot-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_label("Skeittiramppi").check()
        page.get_by_role("button", name="Lähetä ääneni").click()
        page.wait_for_url(f"**/fi/voting/{youth.pk}/receipt/")
    finally:
        context.close()
