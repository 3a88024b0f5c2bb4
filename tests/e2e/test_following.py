"""A resident follows an idea, the city screens it, the e-mail waits in the outbox with
its unsubscribe link, and the link (opened signed out) asks, then unsubscribes: in
Chromium at phone and desktop width, axe clean on every page."""

from __future__ import annotations

import re

import pytest

from following.models import Follow, FollowPreference
from ideas import services as ideas_services
from omakouvola.models import Notification

from ..factories import IdeaFactory, UserFactory
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _session(browser, live_server, width):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


@pytest.mark.parametrize("width", [390, 1280])
def test_follow_an_idea_hear_of_its_screening_and_unsubscribe_by_the_link(
    browser, live_server, cycle, city_team_member, width
):
    follower = UserFactory(email="seija@example.fi", display_name="Seija")
    idea = IdeaFactory(cycle=cycle, title="Koirapuisto Kuusankoskelle")
    context, page = _session(browser, live_server, width)
    page.goto(live_server.url + "/fi/accounts/login/")
    page.get_by_label("Sähköposti").first.fill(follower.email)
    page.get_by_label("Salasana").first.fill("salasana-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r".*/fi/(?!accounts/login).*"))

    page.goto(f"{live_server.url}/fi/ideas/{idea.pk}/")
    page.locator("#follow").get_by_role("button", name="Seuraa").click()
    assert page.get_by_text("Seuraat nyt tätä.").is_visible()
    assert page.locator("#follow").get_by_role("button", name="Lopeta seuraaminen").is_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/fi/follows/")
    assert page.get_by_role("link", name="Koirapuisto Kuusankoskelle").is_visible()
    assert axe_violations(page) == []
    # "No news at all", chosen with the keyboard, then taken back: the follow stays.
    page.get_by_label("Ei mitään uutisia (seuraamiseni säilyvät)").focus()
    page.keyboard.press("Space")
    page.get_by_label("Ei mitään uutisia (seuraamiseni säilyvät)").press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Tallenna"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Valintasi on tallennettu.").is_visible()
    assert page.get_by_label("Ei mitään uutisia (seuraamiseni säilyvät)").is_checked()
    assert page.get_by_role("link", name="Koirapuisto Kuusankoskelle").is_visible()
    assert axe_violations(page) == []
    assert FollowPreference.objects.get(user=follower).unsubscribed
    page.get_by_label("Sähköposti heti").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()
    assert not FollowPreference.objects.get(user=follower).unsubscribed
    context.close()

    ideas_services.idea_reject(
        actor=city_team_member,
        idea=idea,
        reason="not_city_land",
        public_reasoning="Alue on valtion maata.",
    )
    message = Notification.objects.get(user=follower, template="following_news")
    assert "Koirapuisto Kuusankoskelle" in message.body_text
    path = re.search(
        r"Lopeta viestit tästä kohteesta: \S*?(/fi/unsubscribe/\S+/)", message.body_text
    )
    assert path, message.body_text

    signed_out, mail_page = _session(browser, live_server, width)
    mail_page.goto(live_server.url + path.group(1))
    assert mail_page.get_by_text("Lopetetaanko viestit kohteesta").is_visible()
    assert Follow.objects.get(user=follower).muted is False  # opening the link is not enough
    assert axe_violations(mail_page) == []
    mail_page.get_by_role("button", name="Peru tilaus").click()
    assert mail_page.get_by_text("Et enää saa viestejä kohteesta").is_visible()
    assert axe_violations(mail_page) == []
    assert Follow.objects.get(user=follower).muted is True
    # A link changed by one character is refused in words, not with an error page.
    mail_page.goto(live_server.url + path.group(1)[:-4] + "zzz/")
    assert mail_page.get_by_text("Tämä peruutuslinkki ei kelpaa").is_visible()
    signed_out.close()
