"""The residents' side on the seeded demo (issue #17 item 6), in Chromium at phone and
desktop width, with axe-core (WCAG 2.1 AA) and a sideways-scroll check on every page:

- maps: the idea list's map and a ballot's map draw their markers from the demo's located
  ideas, the built projects' list has its map, an idea with a point has its small map;
- discussion: the resident comments on a proposal of the open ballot and the city team's
  official answer stands marked as such;
- support: a young resident supports an idea of the youth round, which takes ideas now;
- following: the resident follows a proposal from its page and finds it on her follows.

Nothing here moves the clock or creates rows before the browser: the journeys use what
`seed_demo` left (the `world` fixture), as `make run` serves it.
"""

from __future__ import annotations

import pytest

from .test_demo_journeys import WIDTHS, Journey, _ballot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _markers_drawn(page) -> int:
    page.locator("[data-map=points][data-ready]").first.wait_for(state="attached")
    return page.locator(".leaflet-marker-icon").count()


def _maps(browser, live_server, world, width) -> list[str]:
    from ideas.models import Idea

    me = Journey(browser, live_server, world["resident"], width)
    page = me.page
    me.goto("/fi/ideas/")
    assert _markers_drawn(page) >= 1, "the idea list's map drew no marker"
    assert page.get_by_role("link", name="Siirry listaan").first.is_visible()

    ballot = _ballot("Kuusankoski-Jaala")
    me.goto(f"/fi/voting/{ballot.pk}/")
    assert _markers_drawn(page) >= 1, "the ballot's map drew no marker"

    me.goto("/fi/budgets/built/")
    page.locator("[data-map=points]").first.wait_for(state="attached")

    located = Idea.objects.public().filter(latitude__isnull=False).order_by("pk").first()
    me.goto(f"/fi/ideas/{located.pk}/")
    assert page.locator("[data-map]").count() == 1, "the idea page has no map of its point"
    return me.close()


def _discussion(browser, live_server, world, width) -> list[str]:
    from discussion.models import Comment

    ballot = _ballot("Kuusankoski-Jaala")
    proposal = ballot.proposals.order_by("pk").first()
    me = Journey(browser, live_server, world["resident"], width)
    page = me.page
    me.goto(f"/fi/proposals/{proposal.pk}/")
    text = f"Hyvä ehdotus, käyn itse paikalla usein ({width} px)."
    page.get_by_label("Kommenttisi").fill(text)
    page.get_by_role("button", name="Lähetä kommentti").click()
    page.locator(".discussion-body", has_text=text).wait_for()
    me.check()
    assert Comment.objects.filter(body=text, author=world["resident"]).exists()
    return me.close()


def _official_answer_is_marked(browser, live_server, world, width) -> list[str]:
    from discussion.models import Comment, CommentState

    comment = Comment.objects.filter(is_official=True, state=CommentState.PUBLISHED).first()
    assert comment is not None, "the demo has no official answer"
    me = Journey(browser, live_server, world["resident"], width)
    me.goto(comment.target.get_absolute_url())
    answer = me.page.locator(f"#comment-{comment.pk}")
    assert answer.get_by_text("Virallinen vastaus").first.is_visible()
    return me.close()


def _youth_supports_an_idea(browser, live_server, world, width) -> list[str]:
    from ideas.models import IdeaSupport
    from omakouvola.models import User
    from omakouvola.selectors import cycle_open_for_ideas

    young = User.objects.get(email="nuori@omakouvola.test")
    youth = cycle_open_for_ideas()
    idea = (
        youth.ideas.public()
        .exclude(supports__user=young)
        .exclude(submitter=young)
        .order_by("pk")
        .first()
    )
    me = Journey(browser, live_server, young, width)
    page = me.page
    me.goto(f"/fi/ideas/{idea.pk}/")
    before = int(page.locator("[data-support-count]").get_attribute("data-support-count"))
    page.get_by_role("button", name="Kannatan").click()
    page.wait_for_url("**#support")
    me.check()
    after = int(page.locator("[data-support-count]").get_attribute("data-support-count"))
    assert after == before + 1
    assert IdeaSupport.objects.filter(idea=idea, user=young).exists()
    # Taken back, so the other width starts from the same demo.
    page.get_by_role("button", name="Peru kannatukseni").click()
    page.wait_for_url("**#support")
    assert not IdeaSupport.objects.filter(idea=idea, user=young).exists()
    return me.close()


def _follows_a_proposal(browser, live_server, world, width) -> list[str]:
    from following.selectors import follows_of

    resident = world["resident"]
    ballot = _ballot("Kuusankoski-Jaala")
    followed = {row.item for row in follows_of(resident)}
    proposal = next(p for p in ballot.proposals.order_by("pk") if p not in followed)
    me = Journey(browser, live_server, resident, width)
    page = me.page
    me.goto(f"/fi/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Seuraa", exact=True).click()
    page.get_by_role("button", name="Lopeta seuraaminen").first.wait_for()
    me.check()
    me.goto("/fi/follows/")
    assert page.get_by_text(proposal.title).first.is_visible()
    return me.close()


JOURNEYS = [
    _maps,
    _discussion,
    _official_answer_is_marked,
    _youth_supports_an_idea,
    _follows_a_proposal,
]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_maps_discussion_support_and_following_on_the_demo(browser, live_server, world, width):
    problems: list[str] = []
    for journey in JOURNEYS:
        problems += journey(browser, live_server, world, width)
    assert problems == [], "\n".join(problems)
