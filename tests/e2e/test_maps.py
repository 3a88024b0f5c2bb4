"""Maps and support (issue #17) in Chromium: the ideas' map beside the list on a phone
(390 px) and a desktop (1280 px), the location picker by keyboard, and "kannatan"."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest

from ideas.models import IdeaSupport

from ..factories import IdeaFactory, UserFactory, helsinki
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
