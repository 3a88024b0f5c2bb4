"""Fixtures shared by every test: people in their roles, areas, a cycle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone, translation

from omakouvola.models import Role, User

from .factories import AreaFactory, CycleFactory, PostalCodeFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request or `activate` in one test
    left the next one's `reverse` and `gettext` in Swedish, and its assertions failed only
    in the whole run."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def area(db):
    area = AreaFactory(slug="keskusta", name="Keskusta", name_sv="Centrum", population=28_833)
    PostalCodeFactory(code="45100", locality="Kouvola", area=area)
    return area


@pytest.fixture
def valkeala(db):
    area = AreaFactory(slug="valkeala", name="Valkeala", name_sv="Valkeala", population=10_653)
    PostalCodeFactory(code="45360", locality="Valkeala", area=area)
    return area


@pytest.fixture
def cycle(db):
    return CycleFactory(opening_year=2026)


@pytest.fixture
def resident(db, area):
    return UserFactory(email="aili@example.fi", display_name="Aili", postal_code="45100")


@pytest.fixture
def other_resident(db):
    return UserFactory(email="bertil@example.fi", display_name="Bertil")


@pytest.fixture
def unverified_user(db):
    return UserFactory(email="uusi@example.fi", verified=False)


@pytest.fixture
def coordinator(db):
    return UserFactory(email="kaisa@kouvola.fi", is_staff=True, roles=[Role.COORDINATOR])


@pytest.fixture
def city_team_member(db):
    return UserFactory(email="ville@kouvola.fi", is_staff=True, roles=[Role.CITY_TEAM])


@pytest.fixture
def council_member(db):
    return UserFactory(email="veera@kouvola.fi", roles=[Role.COUNCIL])


@pytest.fixture
def committee_chair(db):
    # Committee memberships arrive with the committees app; until then a plain resident.
    return UserFactory(email="paavo@example.fi", display_name="Paavo")


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
