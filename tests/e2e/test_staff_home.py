"""Each member of staff opens "My tasks" from the navigation, by keyboard, on a phone and
a desktop, sees what waits for them on the demo data and follows an item to where it is
done. axe-core (WCAG 2.1 AA) on every view."""

from __future__ import annotations

import os

import pytest

from .conftest import axe_violations
from .test_accessibility import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# role → a queue heading that must be on the page (Finnish), and whether it has items.
JOURNEYS = {
    "coordinator": ("Arvioitavat ideat", True),
    "city_team": ("Arvioitavat ideat", True),
    "expert": ("Kirjoitettavat arviot", True),
    "decision_maker": ("Vahvistettavat voittajat", True),
    "clerk": ("Paperiäänille avoimet äänestykset", True),
    "chair": ("Päätöstä odottavat hakemukset", True),
}
SHOTS = os.environ.get("E2E_SCREENSHOTS")


def test_every_staff_role_finds_and_works_from_its_tasks(browser, live_server, world):
    problems: list[str] = []
    for role, (heading, has_items) in JOURNEYS.items():
        context = _login(browser, live_server, world[role])
        page = context.new_page()
        page.set_default_timeout(15_000)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/fi/")
            # By keyboard: tab to the navigation link and press Enter.
            link = page.get_by_role("link", name="Tehtäväni")
            link.focus()
            page.keyboard.press("Enter")
            page.wait_for_url("**/fi/staff/")
            assert page.locator("h1").inner_text() == "Tehtäväni", role
            card = page.locator(".work-queue", has=page.get_by_role("heading", name=heading))
            assert card.count() == 1, (role, heading)
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/staff-{role}-{width}.png", full_page=True)
            violations = axe_violations(page)
            if violations:
                problems.append(f"{role} @{width}px axe: {violations}")
            if width < 500 and page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{role} @{width}px scrolls sideways")
        items = card.locator("li a")
        if has_items:
            assert items.count() >= 1, role
            response_target = items.first.get_attribute("href")
            with page.expect_navigation():
                items.first.click()
            assert page.url.endswith(response_target), (role, page.url)
            assert page.locator("h1, #content h1").count() >= 1, role
        else:
            assert "Täällä ei odota mitään." in card.inner_text(), role
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_admin_index_lists_the_coordinators_tasks(browser, live_server, world):
    context = _login(browser, live_server, world["coordinator"])
    page = context.new_page()
    page.goto(live_server.url + "/admin/")
    table = page.locator("#work-queues")
    assert "Arvioitavat ideat" in table.inner_text()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/admin-index.png", full_page=True)
    table.get_by_role("link", name="Tehtäväni").click()
    page.wait_for_url("**/staff/")
    context.close()
