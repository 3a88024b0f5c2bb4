"""axe-core (WCAG 2.1 AA) on every public, resident, committee and staff page, at phone
and desktop widths, in Finnish; public pages also in Swedish and English. Each page must
also have a title, one h1, the right lang, and no sideways scrolling on a phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..security.matrix_world import url_kwargs
from ..security.test_url_matrix import EXPECTED
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES_BY_ROLE = {
    "resident": [
        "profile",
        "delete_account",
        "my_page",
        "ideas:submit",
        "ideas:edit",
        "ideas:withdraw",
        "committees:my_applications",
    ],
    "chair": [
        "committees:workspace",
        "committees:request",
        "committees:meeting",
        "committees:meeting_new",
        "committees:chairs",
        "committees:adopt",
        "committees:request_fast_track",
    ],
    "clerk": ["voting:paper_vote", "voting:verify_identity"],
    "decision_maker": ["voting:decide"],
}


def _public_pages():
    return sorted(
        name
        for name, row in EXPECTED.items()
        if str(row["anonymous"]) == "200" and name != "committees:application_report"
    )


def _check(page, url, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == 200, url
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(f"axe: {violations}")
    if page.locator("html").get_attribute("lang") != language:
        problems.append("lang")
    if not page.title().strip() or page.title().startswith(" – "):
        problems.append("title")
    if page.locator("h1").count() != 1:
        problems.append(f"h1 count {page.locator('h1').count()}")
    if width < 500 and page.evaluate("document.documentElement.scrollWidth") > width:
        problems.append("scrolls sideways")
    return [f"{url} @{width}px: {p}" for p in problems]


def _login(browser, live_server, user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    context = browser.new_context(locale="fi-FI")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )
    return context


def test_every_page_passes_axe_at_phone_and_desktop_width(browser, live_server, world):
    kwargs = url_kwargs(world)
    problems: list[str] = []
    checked = 0
    anonymous = browser.new_context(locale="fi-FI")
    page = anonymous.new_page()
    for name in _public_pages():
        path = reverse(name, kwargs=kwargs.get(name, {})).replace("/en/", "/fi/", 1)
        for language in ("fi", "sv", "en"):
            url = live_server.url + path.replace("/fi/", f"/{language}/", 1)
            for width in (375, 1280) if language == "fi" else (1280,):
                problems += _check(page, url, language, width)
                checked += 1
    anonymous.close()
    for role, names in PAGES_BY_ROLE.items():
        context = _login(browser, live_server, world[role])
        page = context.new_page()
        for name in names:
            url = live_server.url + reverse(name, kwargs=kwargs.get(name, {})).replace(
                "/en/", "/fi/", 1
            )
            for width in (375, 1280):
                problems += _check(page, url, "fi", width)
                checked += 1
        context.close()
    print(f"\naxe checked {checked} page views")
    assert problems == [], "\n".join(problems)
