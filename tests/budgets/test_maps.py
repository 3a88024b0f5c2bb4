"""Built projects on a map (issue #17): public winners stand at their proposal's oldest
located idea, grants and hidden projects never appear, the map follows the list's filters,
the endpoint runs a fixed number of queries, and the project page has its small map."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets import selectors
from budgets.models import Implementation
from ideas.models import IdeaStatus
from omakouvola.models import Cycle
from tests.committees.conftest import (  # noqa: F401  (fixtures)
    chair_user,
    committee,
    conflicted_user,
    deputy_user,
    funding_request,
    member_user,
    valkeala_committee,
)
from tests.committees.helpers import grant_input, held_meeting

from ..factories import AreaFactory, CycleFactory, IdeaFactory, ImplementationFactory

pytestmark = pytest.mark.django_db

MARKET = (Decimal("60.86827"), Decimal("26.70443"))
VALKEALA = (Decimal("60.93977"), Decimal("26.79988"))


def _built(title, point, **extra):
    project = ImplementationFactory(
        title=title, proposal__title=title, proposal__cycle=_cycle(), **extra
    )
    if point:
        IdeaFactory(
            cycle=project.proposal.cycle,
            proposal=project.proposal,
            status=IdeaStatus.MERGED,
            latitude=point[0],
            longitude=point[1],
        )
    return project


def _cycle():
    return Cycle.objects.first() or CycleFactory()


def _titles(client, query=""):
    response = client.get(f"/fi/budgets/built/map.geojson?{query}")
    assert response.status_code == 200
    return sorted(f["properties"]["title"] for f in response.json()["features"])


@pytest.fixture
def keskusta(db):
    return AreaFactory(slug="keskusta", name="Keskusta")


@pytest.fixture
def valkeala_area(db):
    return AreaFactory(slug="valkeala", name="Valkeala")


def test_located_public_winners_are_on_the_map_under_the_lists_filters(
    client, keskusta, valkeala_area
):
    _built("Penkit", MARKET, area=keskusta, year=2025)
    _built("Laituri", VALKEALA, area=valkeala_area, year=2026)
    _built("Ei paikkaa", None, area=keskusta, year=2025)
    _built("Piilotettu", MARKET, area=keskusta, year=2025, is_public=False)
    assert _titles(client) == ["Laituri", "Penkit"]
    assert _titles(client, f"area={valkeala_area.pk}") == ["Laituri"]
    assert _titles(client, "year=2025") == ["Penkit"]
    # Nonsense never yields a 500: filters that do not parse are ignored.
    assert _titles(client, "year=x&area=%00") == ["Laituri", "Penkit"]
    assert selectors.implementations_off_map() == 1  # "Ei paikkaa"; the hidden one is not listed
    assert selectors.implementations_off_map(year=2026) == 0


def test_a_committee_grant_is_listed_but_never_on_the_map(
    client, committee, coordinator, funding_request, django_capture_on_commit_callbacks
):
    from committees import services as committee_services

    _, [item] = held_meeting(committee, coordinator, requests=[funding_request])
    with django_capture_on_commit_callbacks(execute=True):
        decision = committee_services.decision_record(
            actor=coordinator, agenda_item=item, data=grant_input("1200", votes_for=6)
        )
    grant_project = Implementation.objects.get(grant=decision.grant)
    _built("Penkit", MARKET, year=grant_project.year)
    assert _titles(client) == ["Penkit"]
    assert selectors.implementations_off_map() == 1
    html = client.get("/en/budgets/built/").content.decode()
    assert "Area committee grants have no place, so they are not on the map." in html
    assert "1 project in this list is not on the map." in html
    assert grant_project.title in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_map_data_runs_a_constant_number_of_queries(
    client, keskusta, count, django_assert_num_queries
):
    for n in range(count):
        _built(f"Hanke {n}", MARKET, area=keskusta)
    client.get("/fi/budgets/built/map.geojson")
    # The request's savepoint and release, the years of the filter, the located projects.
    with django_assert_num_queries(4):
        response = client.get("/fi/budgets/built/map.geojson")
    assert len(response.json()["features"]) == count


def test_the_list_carries_the_map_with_the_same_query(client, keskusta):
    html = client.get(f"/fi/budgets/built/?area={keskusta.pk}&page=2").content.decode()
    assert f'data-points-url="/fi/budgets/built/map.geojson?area={keskusta.pk}"' in html
    assert 'href="#built-results"' in html and 'id="built-results"' in html


def test_a_located_project_page_has_its_small_map_and_its_text(client, keskusta):
    project = _built("Penkit", MARKET, area=keskusta)
    project.proposal.source_ideas.update(address="Kouvolan keskusta")
    html = client.get(f"/fi/budgets/built/{project.pk}/").content.decode()
    assert 'data-point="60.86827,26.70443"' in html
    assert "Kouvolan keskusta · 60.86827° P, 26.70443° I · Keskusta" in html
    assert "leaflet/leaflet.js" in html
    bare = _built("Ei paikkaa", None, area=keskusta)
    html = client.get(f"/fi/budgets/built/{bare.pk}/").content.decode()
    assert "data-point=" not in html and "leaflet/leaflet.js" not in html
