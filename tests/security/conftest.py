"""The demo world as the ground for security tests: every kind of object and person."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils import timezone

from omakouvola.models import Role, User

from ..factories import UserFactory


class PostForms(HTMLParser):
    """The page's POST forms as (action, field names), header forms left out."""

    SKIP_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = []
            action = attrs.get("action") or ""
            if not any(skip in action for skip in self.SKIP_ACTIONS):
                self.forms.append((action, self._current))
        elif tag in {"input", "select", "textarea"} and self._current is not None:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken" and name not in self._current:
                self._current.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str, path: str) -> list[tuple[str, list[str]]]:
    parser = PostForms()
    parser.feed(html)
    return [(action or path, fields) for action, fields in parser.forms]


@pytest.fixture
def world(db):
    """seed_demo's data plus the people the demo lacks, keyed by role name."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from committees.models import Membership, MembershipRole
    from voting.models import Ballot

    by_email = {u.email: u for u in User.objects.filter(email__endswith="@omakouvola.test")}
    member = UserFactory(email="jasen@omakouvola.test", display_name="Jäsen Jaana")
    membership = Membership.objects.filter(
        committee__slug="valkeala", role=MembershipRole.MEMBER, user__isnull=True
    ).first()
    membership.user = member
    membership.save()
    people = {
        "anonymous": None,
        "unverified": UserFactory(email="vahvistamaton@omakouvola.test", verified=False),
        "resident": by_email["asukas@omakouvola.test"],
        "expert": by_email["asiantuntija@omakouvola.test"],
        "city_team": by_email["vihertiimi@omakouvola.test"],
        "coordinator": by_email["koordinaattori@omakouvola.test"],
        "decision_maker": by_email["paattaja@omakouvola.test"],
        "clerk": by_email["asiointipiste@omakouvola.test"],
        "member": member,
        "chair": by_email["puheenjohtaja@omakouvola.test"],
        "council": by_email["valtuutettu@omakouvola.test"],
    }
    assert people["council"].groups.filter(name=Role.COUNCIL).exists()
    # A ballot open now, so casting can be exercised today.
    pilot = Ballot.objects.get(name="Kohenna Kouvolaa 2022")
    open_ballot = Ballot.objects.create(
        cycle=pilot.cycle,
        name="Avoin testiäänestys",
        money=30_000,
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=1),
        residency="anyone",
    )
    open_ballot.proposals.set(pilot.proposals.all()[:4])
    return people
