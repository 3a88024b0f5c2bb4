"""Where things are: the five areas' outlines and which area a map point falls in.

The outlines are approximate (omakouvola/data/area_outlines.geojson, longitude-latitude
rings in WGS84) and only *suggest* an idea's area from its point; residence is decided by
postal codes. There is no PostGIS here, so the point-in-polygon test is plain Python: five
polygons of a handful of vertices each cost microseconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

OUTLINES_FILE = Path(__file__).resolve().parent / "data" / "area_outlines.geojson"

#: Where a map of Kouvola opens when it has nothing to fit: the city centre.
KOUVOLA_CENTRE = (60.86827, 26.70443)


@cache
def area_outlines() -> dict[str, list[list[list[float]]]]:
    """Each area slug's polygon rings (the first the outer one), as in the data file."""
    data = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    return {
        feature["properties"]["slug"]: feature["geometry"]["coordinates"]
        for feature in data["features"]
    }


def _in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: a ray eastwards from the point crosses the ring's edges an odd number
    of times when the point is inside."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(lon: float, lat: float, rings: list[list[list[float]]]) -> bool:
    """Inside the outer ring and in none of the holes."""
    if not rings or not _in_ring(lon, lat, rings[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in rings[1:])


def area_slug_at(latitude: Decimal | float | None, longitude: Decimal | float | None) -> str:
    """The slug of the area whose outline holds the point, or "" outside them all."""
    if latitude is None or longitude is None:
        return ""
    lat, lon = float(latitude), float(longitude)
    for slug, rings in area_outlines().items():
        if point_in_polygon(lon, lat, rings):
            return slug
    return ""


def areas_feature_collection(areas: list[Any]) -> dict[str, Any]:
    """GeoJSON of the given Area rows' outlines (rows without an outline are left out)."""
    outlines = area_outlines()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": area.pk,
                "properties": {"id": area.pk, "slug": area.slug, "name": area.localized_name},
                "geometry": {"type": "Polygon", "coordinates": outlines[area.slug]},
            }
            for area in areas
            if area.slug in outlines
        ],
    }


def point_feature(
    pk: int, *, title: str, url: str, latitude: Any, longitude: Any, status: str = ""
) -> dict[str, Any]:
    """One marker of a map's GeoJSON: what the popup shows and where it stands (GeoJSON
    orders longitude first)."""
    return {
        "type": "Feature",
        "id": pk,
        "properties": {"title": title, "status": status, "url": url},
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
    }


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def located_features(rows: Iterable[Any], *, status: Callable[[Any], str]) -> dict[str, Any]:
    """The GeoJSON of rows annotated with a place (`map_latitude`, `map_longitude`, as
    `ideas.selectors.proposal_location` gives them), each linked to its own page."""
    return feature_collection(
        [
            point_feature(
                row.pk,
                title=row.title,
                status=status(row),
                url=row.get_absolute_url(),
                latitude=row.map_latitude,
                longitude=row.map_longitude,
            )
            for row in rows
        ]
    )
