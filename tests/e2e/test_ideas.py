"""A resident's idea from submission to the city's answer, in a real browser."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from ideas.models import Idea, IdeaStatus

from ..factories import IdeaFactory, ThemeFactory, UserFactory, WorkshopFactory, helsinki
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, email, password="salasana-123"):
    page.goto(page.base_url + "/fi/accounts/login/")
    page.get_by_label("Sähköposti").first.fill(email)
    page.get_by_label("Salasana").first.fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r".*/fi/(?!accounts/login).*"))


def test_submit_an_idea_then_the_coordinator_rejects_it_and_the_resident_sees_why(
    page, browser, live_server, cycle, area, coordinator, time_machine, tmp_path
):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    ThemeFactory(slug="luonto", name="Luonto ja monimuotoisuus")
    UserFactory(email="aili@example.fi", display_name="Aili", postal_code="45100")
    photo = tmp_path / "ranta.jpg"
    Image.new("RGB", (320, 200), (40, 110, 160)).save(photo, "JPEG")

    _log_in(page, "aili@example.fi")
    page.get_by_role("link", name="Ideat").first.click()
    page.get_by_role("link", name="Ehdota ideaa").click()
    assert axe_violations(page) == []
    page.get_by_label("Idean nimi").fill("Lintutorni Käyräjärven rantaan")
    page.get_by_label("Kuvaile ideaa").fill("Lintutorni koululaisille ja luontoharrastajille.")
    page.get_by_label("Alue").select_option(label="Keskusta")
    page.get_by_label("Kuva 1", exact=False).set_input_files(str(photo))
    page.get_by_label("Mitä kuvassa 1 on?").fill("Järven ranta")
    page.get_by_role("button", name="Lähetä idea").click()
    page.wait_for_url(re.compile(r".*/fi/ideas/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Lintutorni Käyräjärven rantaan"
    assert page.locator("img[alt='Järven ranta']").count() == 1
    assert axe_violations(page) == []

    page.get_by_role("link", name="Oma sivu").click()
    page.wait_for_url("**/fi/me/")
    mine = page.locator("#my-ideas")
    assert mine.get_by_role("link", name="Lintutorni Käyräjärven rantaan").is_visible()

    # The coordinator screens it in the admin, in another browser session.
    staff = browser.new_context(locale="fi-FI")
    admin = staff.new_page()
    admin.goto(live_server.url + "/admin/ideas/idea/")
    admin.get_by_label("Sähköposti").first.fill(coordinator.email)
    admin.get_by_label("Salasana").first.fill("salasana-123")
    admin.get_by_role("button", name="Kirjaudu sisään").click()
    admin.wait_for_url("**/admin/ideas/idea/")
    admin.locator("tr", has_text="Lintutorni").locator("input[type=checkbox]").check()
    admin.select_option("select[name=action]", "reject")
    admin.click("button[name=index]")
    admin.select_option("#id_reason", "other_body")
    admin.fill("#id_public_reasoning", "Rantaa hallinnoi yksityinen maanomistaja.")
    admin.click("input[name=apply]")
    admin.wait_for_url("**/admin/ideas/idea/")
    staff.close()
    assert Idea.objects.get().status == IdeaStatus.REJECTED

    page.goto(page.base_url + "/fi/me/")
    page.locator("#my-ideas").get_by_role("link", name="Lintutorni Käyräjärven rantaan").click()
    assert page.get_by_text("Rantaa hallinnoi yksityinen maanomistaja.").is_visible()


def test_public_idea_pages_have_no_accessibility_violations(page, cycle, area, time_machine):
    time_machine.move_to(helsinki(2027, 1, 2, 12, 0), tick=True)
    idea = IdeaFactory(cycle=cycle, area=area, title="Penkkejä rantareitille")
    workshop = WorkshopFactory(cycle=cycle, title="Paja: liikuntapaikat")
    workshop.ideas.add(idea)
    for path in [
        "/fi/ideas/",
        f"/fi/ideas/{idea.pk}/",
        "/fi/workshops/",
        f"/fi/workshops/{workshop.pk}/",
        "/sv/ideas/",
        "/en/proposals/",
    ]:
        page.goto(page.base_url + path)
        assert axe_violations(page) == [], path


def test_the_idea_list_works_on_a_phone_and_with_the_keyboard(phone_page, cycle, area):
    IdeaFactory(cycle=cycle, area=area, title="Koirapuisto Kaunisnurmeen")
    phone_page.goto(phone_page.base_url + "/fi/ideas/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.get_by_label("Haku").fill("koirapuisto")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**q=koirapuisto**")
    assert phone_page.get_by_role("link", name="Koirapuisto Kaunisnurmeen").is_visible()
