"""The map of what got built (issue #17): the list's own selector and filters, a built
proposal at the mean point of its located ideas, in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import AreaFactory, IdeaFactory, ImplementationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [2, 30])
def test_built_projects_on_the_map_in_constant_queries(
    client, cycle, count, django_assert_num_queries
):
    keskusta = AreaFactory(slug="keskusta", name="Keskusta")
    valkeala = AreaFactory(slug="valkeala", name="Valkeala")
    for n in range(count):
        built = ImplementationFactory(proposal__cycle=cycle, area=keskusta if n % 2 else valkeala)
        for lat in ("60.86", "60.88"):
            IdeaFactory(
                cycle=cycle,
                proposal=built.proposal,
                latitude=Decimal(lat),
                longitude=Decimal("26.70"),
            )
    ImplementationFactory(proposal__cycle=cycle, title="Ei paikkaa")
    ImplementationFactory(proposal__cycle=cycle, title="Piilotettu", is_public=False)
    # The years, the savepoint and its release, the located projects.
    with django_assert_num_queries(4):
        data = client.get("/fi/budgets/built/map.geojson").json()
    assert len(data["features"]) == count
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert (lat, lon) == (pytest.approx(60.87), pytest.approx(26.70))
    assert {f["properties"]["title"] for f in data["features"]}.isdisjoint(
        {"Piilotettu", "Ei paikkaa"}
    )
    data = client.get(f"/fi/budgets/built/map.geojson?area={valkeala.pk}").json()
    assert len(data["features"]) == (count + 1) // 2
    html = client.get(f"/fi/budgets/built/?area={valkeala.pk}").content.decode()
    assert f'data-points-url="/fi/budgets/built/map.geojson?area={valkeala.pk}"' in html
