"""A resident comments and replies, another reports, the coordinator hides the comment
with a reason, and the public reads the reason: in Chromium at phone and desktop width."""

from __future__ import annotations

import re

import pytest

from discussion.models import Comment, CommentReport, DiscussionSettings

from ..factories import IdeaFactory, UserFactory, helsinki
from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _session(browser, live_server, width):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.base_url = live_server.url
    return context, page


def _log_in(page, email, password="salasana-123"):
    page.goto(page.base_url + "/fi/accounts/login/")
    page.get_by_label("Sähköposti").first.fill(email)
    page.get_by_label("Salasana").first.fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(re.compile(r".*/fi/(?!accounts/login).*"))


@pytest.mark.parametrize("width", [390, 1280])
def test_comment_reply_report_and_a_hidden_comment_with_its_reason(
    browser, live_server, cycle, coordinator, time_machine, width
):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    DiscussionSettings.objects.create(cycle=cycle, in_ideation=True)
    UserFactory(email="aili@example.fi", display_name="Aili")
    UserFactory(email="bertil@example.fi", display_name="Bertil")
    idea = IdeaFactory(cycle=cycle, title="Koirapuisto Kuusankoskelle")
    url = f"{live_server.url}/fi/ideas/{idea.pk}/"

    aili, page = _session(browser, live_server, width)
    _log_in(page, "aili@example.fi")
    page.goto(url)
    page.get_by_label("Kommenttisi").fill("Hyvä idea!\nKoirat tarvitsevat aidatun paikan.")
    page.get_by_role("button", name="Lähetä kommentti").click()
    page.wait_for_url(re.compile(r".*#comment-\d+$"))
    assert page.locator(".discussion-body").first.inner_text().startswith("Hyvä idea!")
    assert axe_violations(page) == []

    bertil, other = _session(browser, live_server, width)
    _log_in(other, "bertil@example.fi")
    other.goto(url)
    other.get_by_text("Vastaa", exact=True).click()
    other.get_by_label("Vastauksesi").fill("Samaa mieltä.")
    other.get_by_role("button", name="Lähetä vastaus").click()
    other.wait_for_url(re.compile(r".*#comment-\d+$"))
    assert other.locator(".discussion-replies").inner_text().count("Samaa mieltä.") == 1
    other.get_by_role("link", name=re.compile("Ilmoita")).first.click()
    assert axe_violations(other) == []
    other.get_by_label("Loukkaava tai häiritsevä").check()
    other.get_by_role("button", name="Lähetä ilmoitus").click()
    other.wait_for_url(re.compile(r".*#comment-\d+$"))
    assert other.get_by_text("Ilmoitit tästä kommentista.").is_visible()
    assert CommentReport.objects.count() == 1

    staff, moderator = _session(browser, live_server, width)
    _log_in(moderator, coordinator.email)
    moderator.goto(live_server.url + "/fi/staff/")
    moderator.get_by_role("link", name="Moderoi keskustelua").first.click()
    assert axe_violations(moderator) == []
    moderator.get_by_label("Kommentin paikalla näytettävä syy").fill("Asiaton sävy.")
    moderator.get_by_role("button", name="Piilota").click()
    assert moderator.get_by_text("Kommentti piilotettiin.").is_visible()

    public, visitor = _session(browser, live_server, width)
    visitor.goto(url + "#discussion")
    assert visitor.get_by_text("Moderaattori piilotti tämän kommentin: Asiaton sävy.").is_visible()
    assert "Koirat tarvitsevat" not in visitor.content()
    assert axe_violations(visitor) == []
    assert Comment.objects.filter(state="hidden").count() == 1
    for context in (aili, bertil, staff, public):
        context.close()
