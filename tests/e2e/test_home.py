"""A resident's first visit, in a real browser."""

from __future__ import annotations

import pytest

from ..factories import helsinki
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_switch_language_and_find_the_signup_form(page, cycle, time_machine):
    time_machine.move_to(helsinki(2026, 11, 28, 12, 0), tick=True)
    page.goto(page.base_url + "/")
    assert page.url.endswith("/fi/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Svenska").click()
    page.wait_for_url("**/sv/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert axe_violations(page) == []

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/")
    page.get_by_role("link", name="Sign up").first.click()
    page.wait_for_url("**/en/accounts/signup/")
    assert page.get_by_label("Email").first.is_visible()
    assert page.get_by_label("Password").first.is_visible()
    page.screenshot(path="test-artifacts/signup-en.png", full_page=True)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Suomi").click()
    page.wait_for_url("**/fi/accounts/signup/")


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto(page.base_url + "/fi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_home_page_fits_a_phone_screen(phone_page, cycle):
    phone_page.goto(phone_page.base_url + "/fi/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert axe_violations(phone_page) == []
