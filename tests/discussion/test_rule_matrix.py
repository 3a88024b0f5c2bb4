"""Who may comment, reply, report, answer and moderate, as a table: each role against each
state of the discussion (open in today's phase, closed in this phase, never switched on,
pre-moderated). A change to `discussion/rules.py` that moves one cell fails here."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from discussion.models import Comment, CommentState, DiscussionSettings
from omakouvola.models import Role
from omakouvola.rules import allows

from ..factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unconfirmed", "resident", "author", "expert", "coordinator", "city_team"]
# c = comment, r = reply, p = report someone else's comment, a = official answer,
# m = moderate. "." = refused.
EXPECTED = {
    #                 anonymous unconfirmed resident author expert coordinator city_team
    "open": ["....", "....", "crp..", "cr...", "crp..", "crpam", "crpam"],
    "closed": ["....", "....", "..p..", ".....", "..p..", "..pam", "..pam"],
    "off": ["....", "....", "..p..", ".....", "..p..", "..pam", "..pam"],
    "premoderated": ["....", "....", "crp..", "cr...", "crp..", "crpam", "crpam"],
}


def _people(comment_author):
    return {
        "anonymous": AnonymousUser(),
        "unconfirmed": UserFactory(email="uusi@example.fi", verified=False),
        "resident": UserFactory(email="aili@example.fi", postal_code="45100"),
        "author": comment_author,
        "expert": UserFactory(email="asiantuntija@kouvola.fi", roles=[Role.SECTOR_EXPERT]),
        "coordinator": UserFactory(
            email="kaisa@kouvola.fi", is_staff=True, roles=[Role.COORDINATOR]
        ),
        "city_team": UserFactory(email="ville@kouvola.fi", is_staff=True, roles=[Role.CITY_TEAM]),
    }


def _cells(user, idea, comment) -> str:
    asks = [
        ("c", "discussion.comment", idea),
        ("r", "discussion.reply", comment),
        ("p", "discussion.report", comment),
        ("a", "discussion.answer", idea),
        ("m", "discussion.moderate", None),
    ]
    return "".join(mark if allows(user, perm, obj) else "." for mark, perm, obj in asks)


@pytest.mark.parametrize("state", list(EXPECTED))
def test_the_discussion_rules_by_role_and_state(state, cycle, time_machine):
    from ..factories import helsinki

    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=False)  # the cycle's ideation
    if state in ("open", "premoderated"):
        DiscussionSettings.objects.create(
            cycle=cycle, in_ideation=True, pre_moderation=state == "premoderated"
        )
    elif state == "closed":
        DiscussionSettings.objects.create(cycle=cycle, in_ideation=False, in_voting=True)
    writer = UserFactory(email="bertil@example.fi")
    idea = IdeaFactory(cycle=cycle, submitter=writer, title="Koirapuisto Kuusankoskelle")
    comment = Comment.objects.create(
        idea=idea, author=writer, body="Hyvä idea.", state=CommentState.PUBLISHED
    )
    people = _people(writer)
    got = {role: _cells(people[role], idea, comment) for role in ROLES}
    expected = {role: EXPECTED[state][i].ljust(5, ".") for i, role in enumerate(ROLES)}
    assert got == expected


def test_a_hidden_or_withdrawn_idea_takes_no_comment_from_anyone(cycle, time_machine):
    from ..factories import helsinki

    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=False)
    DiscussionSettings.objects.create(cycle=cycle, in_ideation=True)
    idea = IdeaFactory(cycle=cycle, title="Piilotettu", is_hidden=True)
    withdrawn = IdeaFactory(cycle=cycle, title="Peruttu", status="withdrawn")
    coordinator = UserFactory(email="kaisa@kouvola.fi", is_staff=True, roles=[Role.COORDINATOR])
    for person in (UserFactory(email="aili@example.fi"), coordinator):
        for target in (idea, withdrawn):
            assert not allows(person, "discussion.comment", target)
            assert not allows(person, "discussion.answer", target)
