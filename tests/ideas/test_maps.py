"""Maps (issue #17): the areas' outlines, which area a point is in, the ideas' GeoJSON under
the list's own filters, and the pages that carry the map and the location picker."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ideas.models import Idea, IdeaStatus
from omakouvola import geo

from ..factories import AreaFactory, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

# Real places, each inside its committee area.
PLACES = {
    "keskusta": (60.86827, 26.70443),  # Kouvola market square
    "kuusankoski-jaala": (60.90793, 26.62394),  # Kuusankoski centre
    "valkeala": (60.93977, 26.79988),  # Valkeala church
    "elimaki-koria": (60.72132, 26.44806),  # Elimäki
    "anjalankoski": (60.69905, 26.83045),  # Inkeroinen
}


@pytest.mark.parametrize(("slug", "point"), PLACES.items())
def test_a_real_place_falls_in_its_own_area(slug, point):
    assert geo.area_slug_at(*point) == slug
    assert geo.area_slug_at(Decimal(str(point[0])), Decimal(str(point[1]))) == slug


def test_a_place_outside_kouvola_is_in_no_area():
    assert geo.area_slug_at(60.16952, 24.93545) == ""  # Helsinki
    assert geo.area_slug_at(None, 26.7) == ""


def test_the_outlines_do_not_overlap():
    # A grid over the city: each point is in at most one outline.
    outlines = geo.area_outlines()
    for i in range(40):
        for j in range(40):
            lat, lon = 60.55 + i * 0.0175, 26.1 + j * 0.03
            inside = [s for s, rings in outlines.items() if geo.point_in_polygon(lon, lat, rings)]
            assert len(inside) <= 1, (lat, lon, inside)


def test_a_hole_is_outside():
    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    assert geo.point_in_polygon(2, 2, [square, hole])
    assert not geo.point_in_polygon(5, 5, [square, hole])


def test_the_areas_geojson_has_the_outlines_in_constant_queries(client, django_assert_num_queries):
    for slug in PLACES:
        AreaFactory(slug=slug, name=slug.title())
    AreaFactory(slug="no-outline")
    # The request's savepoint and release, and the areas.
    with django_assert_num_queries(3):
        response = client.get("/fi/areas.geojson")
    data = response.json()
    assert response.status_code == 200
    assert {f["properties"]["slug"] for f in data["features"]} == set(PLACES)
    assert all(f["geometry"]["type"] == "Polygon" for f in data["features"])


def _located(cycle, n, **extra):
    submitter = UserFactory()
    Idea.objects.bulk_create(
        [
            Idea(
                cycle=cycle,
                title=f"Paikka {i}",
                description="x",
                submitter=submitter,
                latitude=Decimal("60.86827"),
                longitude=Decimal("26.70443") + Decimal(i % 100) / 10000,
                **extra,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("count", [5, 500])
def test_the_map_data_runs_a_constant_number_of_queries(
    client, cycle, count, django_assert_num_queries
):
    _located(cycle, count)
    IdeaFactory(cycle=cycle, title="Ei paikkaa")  # not located: not on the map
    client.get("/fi/ideas/map.geojson")  # reads the filter choices into the cache
    # The request's savepoint and release, and the located ideas.
    with django_assert_num_queries(3):
        response = client.get("/fi/ideas/map.geojson")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == count
    _lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert lat == pytest.approx(60.86827)
    assert data["features"][0]["properties"]["url"].startswith("/fi/ideas/")


def test_the_map_takes_the_lists_filters(client, cycle, area, valkeala):
    IdeaFactory(
        cycle=cycle,
        title="Keskustan penkki",
        area=area,
        latitude=Decimal("60.868"),
        longitude=Decimal("26.704"),
    )
    IdeaFactory(
        cycle=cycle,
        title="Valkealan laituri",
        area=valkeala,
        latitude=Decimal("60.94"),
        longitude=Decimal("26.80"),
    )
    IdeaFactory(
        cycle=cycle,
        title="Piilotettu",
        area=area,
        latitude=Decimal("60.868"),
        longitude=Decimal("26.704"),
        is_hidden=True,
    )
    IdeaFactory(
        cycle=cycle,
        title="Peruttu",
        area=area,
        latitude=Decimal("60.868"),
        longitude=Decimal("26.704"),
        status=IdeaStatus.WITHDRAWN,
    )

    def titles(query):
        data = client.get(f"/fi/ideas/map.geojson?{query}").json()
        return sorted(f["properties"]["title"] for f in data["features"])

    assert titles("") == ["Keskustan penkki", "Valkealan laituri"]
    assert titles(f"area={valkeala.pk}") == ["Valkealan laituri"]
    assert titles("q=penkki") == ["Keskustan penkki"]
    assert titles("area=city") == []
    # Nonsense never yields a 500: the filters that do not parse are ignored.
    assert client.get("/fi/ideas/map.geojson?area=%00&cycle=x&status=<b>").status_code == 200


def test_the_list_page_carries_the_map_with_the_same_query(client, cycle, area):
    response = client.get(f"/fi/ideas/?area={area.pk}&page=2")
    html = response.content.decode()
    assert f'data-points-url="/fi/ideas/map.geojson?area={area.pk}"' in html
    assert "leaflet/leaflet.js" in html and "leaflet.markercluster.js" in html
    assert 'href="#idea-results"' in html and 'id="idea-results"' in html


def test_the_idea_form_has_the_picker_beside_the_coordinate_fields(client, cycle, resident):
    client.force_login(resident)
    html = client.get("/fi/ideas/new/").content.decode()
    assert 'data-map="picker"' in html
    assert 'data-lat-input="id_latitude"' in html and 'id="id_latitude"' in html


def test_a_tile_source_is_a_setting_and_allowed_by_the_csp(client, cycle, settings):
    assert client.get("/fi/ideas/").content.decode().count('data-tile-url=""') == 1
    settings.MAP_TILE_URL = "https://tiles.example.fi/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Kouvolan kaupunki"
    html = client.get("/fi/ideas/").content.decode()
    assert 'data-tile-url="https://tiles.example.fi/{z}/{x}/{y}.png"' in html
    assert "© Kouvolan kaupunki" in html


def test_the_tile_origin_goes_into_img_src():
    from omakouvola.settings.base import _tile_origins

    assert _tile_origins("") == []
    assert _tile_origins("https://{s}.tile.example.org/{z}/{x}/{y}.png") == [
        "https://*.tile.example.org"
    ]


def test_every_demo_place_lies_in_its_own_area():
    from demo.ideas import PLACE_COORDINATES, PLACES

    for slug, places in PLACES.items():
        for place in places:
            assert geo.area_slug_at(*PLACE_COORDINATES[place]) == slug, place


def test_a_located_idea_page_has_a_small_map_and_its_text(client, cycle, area):
    idea = IdeaFactory(
        cycle=cycle,
        area=area,
        address="Kauppatori",
        latitude=Decimal("60.86827"),
        longitude=Decimal("26.70443"),
    )
    html = client.get(f"/sv/ideas/{idea.pk}/").content.decode()
    assert 'data-point="60.86827,26.70443"' in html
    assert f"Kauppatori · 60.86827° N, 26.70443° O · {area.localized_name}" in html
    assert "leaflet/leaflet.js" in html
    bare = IdeaFactory(cycle=cycle, area=area)
    html = client.get(f"/fi/ideas/{bare.pk}/").content.decode()
    assert "data-point=" not in html and "leaflet/leaflet.js" not in html
