"""Fixtures shared by every test: people in their roles, areas, a cycle."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from omakouvola.models import Role

from .factories import AreaFactory, CycleFactory, PostalCodeFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


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
