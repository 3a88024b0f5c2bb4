"""The demo resident's own page, on the seeded demo, in Chromium at phone and desktop width:
she signs in, opens /me/ from the navigation, finds every section filled, stops following
an item from the page and follows a supported idea from the link it gives; once with the
mouse at each width and once by keyboard alone; axe-core (WCAG 2.1 AA) on every page."""

from __future__ import annotations

import re

import pytest

from following.selectors import follows_of
from ideas.selectors import supports_of_user

from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "my-ideas": "Omat ideat",
    "my-supports": "Ideat, joita kannatan",
    "my-pledges": "Omat talkoolupaukset",
    "my-workshops": "Omat pajat",
    "my-follows": "Mitä seuraan",
    "my-ballots": "Äänestykset, joihin olen osallistunut",
    "my-comments": "Omat kommenttini",
}


def _sign_in(browser, live_server, user, width):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/fi/accounts/login/")
    page.get_by_label("Sähköposti").first.fill(user.email)
    page.get_by_label("Salasana").first.fill("Kouvola-demo-2026")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r".*/fi/(?!accounts/login).*"))
    return context, page


def _assert_clean(page, width, problems: list[str]) -> None:
    violations = axe_violations(page)
    if violations:
        problems.append(f"{page.url} @{width}px: {violations}")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{page.url} @{width}px: scrolls sideways ({scroll}px)")


def _assert_every_section_filled(page) -> None:
    for section_id, heading in SECTIONS.items():
        section = page.locator(f"#{section_id}")
        assert section.get_by_role("heading", name=heading).is_visible(), section_id
        assert section.locator("li").count() >= 1, section_id
    workshops = page.locator("#my-workshops")
    assert workshops.get_by_role("heading", name="Tulossa").is_visible()
    assert workshops.get_by_role("heading", name="Menneet pajat").is_visible()
    # Which ballot and when, never the choices.
    assert page.locator("#my-ballots").get_by_text("Kohenna Kouvolaa 2022").is_visible()
    assert page.locator("#my-pledges").get_by_text("nyt osa ehdotusta").is_visible()


def _followed_and_supported(resident):
    followed = follows_of(resident)[0]
    followed_ids = {(row.kind, row.item.pk) for row in follows_of(resident)}
    supported = next(
        s.idea for s in supports_of_user(resident) if ("idea", s.idea.pk) not in followed_ids
    )
    return followed, supported


def _following(user, item) -> bool:
    return any(row.item == item for row in follows_of(user))


@pytest.mark.parametrize("width", [390, 1280])
def test_the_resident_finds_everything_on_her_page_and_follows_from_it(
    browser, live_server, world, width
):
    resident = world["resident"]
    followed, supported = _followed_and_supported(resident)
    problems: list[str] = []
    context, page = _sign_in(browser, live_server, resident, width)

    page.get_by_role("navigation", name="Käyttäjätili").get_by_role("link", name="Oma sivu").click()
    page.wait_for_url("**/fi/me/")
    assert page.get_by_role("heading", level=1, name="Oma sivu").is_visible()
    _assert_every_section_filled(page)
    _assert_clean(page, width, problems)

    follows = page.locator("#my-follows")
    with page.expect_navigation():
        follows.get_by_role("button", name=f"Lopeta kohteen {followed.title} seuraaminen").click()
    assert follows.get_by_role("link", name=followed.title, exact=True).count() == 0
    assert not _following(resident, followed.item)
    _assert_clean(page, width, problems)

    page.locator("#my-supports").get_by_role("link", name=supported.title, exact=True).click()
    page.wait_for_url(f"**/fi/ideas/{supported.pk}/")
    with page.expect_navigation():
        page.locator("#follow").get_by_role("button", name="Seuraa").click()
    assert page.get_by_text("Seuraat nyt tätä.").is_visible()
    _assert_clean(page, width, problems)
    page.goto(live_server.url + "/fi/me/")
    assert follows.get_by_role("link", name=supported.title, exact=True).is_visible()
    assert _following(resident, supported)
    context.close()
    assert problems == [], "\n".join(problems)


def _tab_to(page, selector: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"never reached by Tab: {selector}")


def test_the_resident_uses_her_page_by_keyboard_alone(browser, live_server, world):
    resident = world["resident"]
    followed, supported = _followed_and_supported(resident)
    problems: list[str] = []
    context, page = _sign_in(browser, live_server, resident, 1280)

    _tab_to(page, '.account-nav a[href="/fi/me/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/fi/me/")
    _assert_every_section_filled(page)
    _assert_clean(page, 1280, problems)

    # The stop button of the first follow, reached and pressed from the keyboard.
    _tab_to(page, "#my-follows li:first-child button")
    assert followed.title in page.evaluate("document.activeElement.textContent")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not _following(resident, followed.item)

    _tab_to(page, f'#my-supports a[href="/fi/ideas/{supported.pk}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/fi/ideas/{supported.pk}/")
    _tab_to(page, "#follow button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Seuraat nyt tätä.").is_visible()
    assert _following(resident, supported)
    _assert_clean(page, 1280, problems)
    context.close()
    assert problems == [], "\n".join(problems)
