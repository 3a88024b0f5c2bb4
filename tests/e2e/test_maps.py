"""Maps and support (issue #17) in Chromium: the ideas' map beside the list on a phone
(390 px) and a desktop (1280 px), the ballot's proposals and the built projects on their
maps, the small map of one idea, the location picker by keyboard, and "kannatan"."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest

from ideas.models import IdeaStatus, IdeaSupport

from ..factories import (
    BallotFactory,
    IdeaFactory,
    ImplementationFactory,
    ProposalFactory,
    UserFactory,
    helsinki,
)
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _log_in(page, email, password="salasana-123"):
    page.goto(page.base_url + "/fi/accounts/login/")
    page.get_by_label("Sähköposti").first.fill(email)
    page.get_by_label("Salasana").first.fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r".*/fi/(?!accounts/login).*"))


@pytest.fixture
def located(cycle, area, valkeala):
    IdeaFactory(
        cycle=cycle,
        area=area,
        title="Penkit torille",
        latitude=Decimal("60.86827"),
        longitude=Decimal("26.70443"),
    )
    IdeaFactory(
        cycle=cycle,
        area=area,
        title="Koirapuisto Käpylään",
        latitude=Decimal("60.87600"),
        longitude=Decimal("26.72800"),
    )
    IdeaFactory(
        cycle=cycle,
        area=valkeala,
        title="Laituri Valkealaan",
        latitude=Decimal("60.93977"),
        longitude=Decimal("26.79988"),
    )
    IdeaFactory(cycle=cycle, area=None, title="Koko kaupungin idea")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_stands_beside_the_list_and_follows_its_filters(
    browser, live_server, located, valkeala, width
):
    context = browser.new_context(
        locale="fi-FI",
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared machine is slow under load
    try:
        page.goto(live_server.url + "/fi/ideas/")
        canvas = page.locator("[data-map=points]")
        page.locator("[data-map=points][data-ready]").wait_for(state="attached")
        assert canvas.get_attribute("data-ready") == "3"
        # The outlines and the markers (clustered or one by one) are drawn without tiles.
        assert page.locator(".leaflet-overlay-pane path").count() >= 1
        assert page.locator(".leaflet-marker-icon").count() >= 1, "no marker or cluster was drawn"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.get_by_role("link", name="Siirry listaan").is_visible()
        assert page.get_by_role("link", name="Laituri Valkealaan").is_visible()
        assert axe_violations(page) == []
        _shot(page, f"ideas-map-{width}")
        # The list's own filter form drives the map too.
        page.get_by_label("Alue").select_option(str(valkeala.pk))
        page.get_by_role("button", name="Näytä ideat").click()
        page.wait_for_url(f"**area={valkeala.pk}**")
        page.locator("[data-map=points][data-ready]").wait_for(state="attached")
        assert page.locator("[data-map=points]").get_attribute("data-ready") == "1"
    finally:
        context.close()


def test_the_picker_moves_by_keyboard_and_suggests_the_area(
    page, cycle, area, valkeala, resident, time_machine
):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    page.set_default_timeout(60_000)
    _log_in(page, resident.email)
    page.goto(page.base_url + "/fi/ideas/new/")
    page.locator("[data-map=picker][data-ready]").wait_for(state="attached")
    area_select = page.locator("#id_area")
    assert area_select.input_value() == ""
    # Typed coordinates (the fallback) place the marker and suggest Valkeala.
    page.locator("#id_latitude").fill("60.93977")
    page.locator("#id_longitude").fill("26.79988")
    page.locator("#id_longitude").press("Tab")
    assert area_select.input_value() == str(valkeala.pk)
    assert "Valkeala" in page.locator("[data-map=picker] ~ div [data-map-status]").inner_text()
    # Arrow keys on the focused map move the marker; the fields follow it.
    picker = page.locator("[data-map=picker]")
    picker.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert Decimal(page.locator("#id_longitude").input_value()) > Decimal("26.79988")
    # Moving far south-west, into the centre, replaces our own suggestion.
    page.locator("#id_latitude").fill("60.86827")
    page.locator("#id_longitude").fill("26.70443")
    page.locator("#id_longitude").press("Tab")
    assert area_select.input_value() == str(area.pk)
    assert axe_violations(page) == []
    _shot(page, "picker-1280")


def test_a_resident_supports_an_idea_and_takes_it_back(page, cycle, area, time_machine):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    idea = IdeaFactory(cycle=cycle, area=area, title="Kuntoportaat Käpylään")
    IdeaSupport.objects.create(idea=idea, user=UserFactory())
    supporter = UserFactory(email="tuula@example.fi", postal_code="45100")
    _log_in(page, supporter.email)
    page.goto(page.base_url + f"/fi/ideas/{idea.pk}/")
    assert page.locator("[data-support-count]").get_attribute("data-support-count") == "1"
    page.get_by_role("button", name="Kannatan").click()
    page.wait_for_url("**#support")
    assert page.locator("[data-support-count]").get_attribute("data-support-count") == "2"
    assert page.get_by_text("Kannatus ei ole ääni").is_visible()
    assert axe_violations(page) == []
    _shot(page, "support-1280")
    page.get_by_role("button", name="Peru kannatukseni").click()
    page.wait_for_url("**#support")
    assert page.locator("[data-support-count]").get_attribute("data-support-count") == "1"


def _context(browser, width):
    return browser.new_context(
        locale="fi-FI",
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
    )


def _merged_idea(proposal, lat, lon, **extra):
    return IdeaFactory(
        cycle=proposal.cycle,
        area=proposal.area,
        proposal=proposal,
        status=IdeaStatus.MERGED,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        **extra,
    )


def _wait_for_map(page, expected):
    page.locator("[data-map=points][data-ready]").wait_for(state="attached")
    assert page.locator("[data-map=points]").get_attribute("data-ready") == expected
    assert page.locator(".leaflet-marker-icon").count() >= 1, "no marker or cluster was drawn"


@pytest.fixture
def ballot_on_map(cycle, area, valkeala):
    penkit = ProposalFactory(cycle=cycle, area=area, title="Penkit torille", cost=4000)
    laituri = ProposalFactory(cycle=cycle, area=valkeala, title="Laituri Valkealaan", cost=6000)
    nowhere = ProposalFactory(cycle=cycle, area=None, title="Koko kaupungin ehdotus", cost=3000)
    for proposal in (penkit, laituri, nowhere):
        proposal.status = "approved"
        proposal.save()
    _merged_idea(penkit, "60.86827", "26.70443")
    _merged_idea(laituri, "60.93977", "26.79988")
    return BallotFactory(cycle=cycle, name="Kohenna Kouvolaa", proposals=[penkit, laituri, nowhere])


@pytest.mark.parametrize("width", [390, 1280])
def test_the_ballots_proposals_stand_on_a_map_after_the_list(
    browser, live_server, ballot_on_map, width
):
    context = _context(browser, width)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(live_server.url + f"/fi/voting/{ballot_on_map.pk}/")
        _wait_for_map(page, "2")
        assert page.get_by_text("1 ehdotuksella ei ole sijaintia").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # By keyboard every proposal comes before anything on the map.
        page.locator("h1").click()
        reached = []
        for _ in range(60):
            page.keyboard.press("Tab")
            active = page.evaluate(
                "(() => { const a = document.activeElement;"
                " return a.closest('.map-canvas') ? 'map' : (a.id || a.tagName); })()"
            )
            reached.append(active)
            if active == "map":
                break
        boxes = [f"proposal-{p.pk}" for p in ballot_on_map.proposals.all()]
        assert "map" in reached
        assert all(reached.index(b) < reached.index("map") for b in boxes), reached
        # The link under the map leads back to the list.
        page.get_by_role("link", name="Takaisin ehdotusten listaan").click()
        page.wait_for_url("**#ballot-proposals")
        assert axe_violations(page) == []
        _shot(page, f"ballot-map-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_built_projects_stand_on_a_map_beside_the_list(
    browser, live_server, cycle, area, valkeala, width
):
    for title, where, lat, lon in (
        ("Kuntoportaat Käpylään", area, "60.87600", "26.72800"),
        ("Laituri Valkealaan", valkeala, "60.93977", "26.79988"),
    ):
        project = ImplementationFactory(
            title=title,
            proposal__title=title,
            proposal__cycle=cycle,
            proposal__area=where,
            area=where,
        )
        _merged_idea(project.proposal, lat, lon)
    context = _context(browser, width)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(live_server.url + "/fi/budgets/built/")
        _wait_for_map(page, "2")
        assert page.get_by_text("Aluetoimikuntien avustuksilla ei ole paikkaa").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.get_by_role("link", name="Siirry listaan").is_visible()
        assert axe_violations(page) == []
        _shot(page, f"built-map-{width}")
        # The list's filter drives the map.
        page.get_by_label("Alue").select_option(str(valkeala.pk))
        page.get_by_role("button", name="Näytä").click()
        page.wait_for_url(f"**area={valkeala.pk}**")
        _wait_for_map(page, "1")
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_an_idea_page_shows_its_point_on_a_small_map(browser, live_server, cycle, valkeala, width):
    idea = IdeaFactory(
        cycle=cycle,
        area=valkeala,
        title="Laituri Valkealaan",
        address="Valkeala",
        latitude=Decimal("60.93977"),
        longitude=Decimal("26.79988"),
    )
    context = _context(browser, width)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(live_server.url + f"/fi/ideas/{idea.pk}/")
        _wait_for_map(page, "1")
        assert page.get_by_text("Valkeala · 60.93977° P, 26.79988° I").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        _shot(page, f"idea-map-{width}")
    finally:
        context.close()
