"""The quantities the seeds' claims assert, computed on the WGS84 ellipsoid.

One function per kind of claim (see ``data/claims.toml``). Each returns a
:class:`Quantity`: the value in the claim's units, the geometry that shows it (the
measured line, the ring, the corridor) and a sentence saying what was measured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.corridors import smolensk_gates, suwalki_gap
from geo.errors import GeoInputError
from geo.gazetteer import Place, site_place
from geo.measure import GEOD, M_PER_KM, M_PER_MI, geodesic_path, inverse
from geo.nearest import BoundaryIndex
from geo.reach import geodesic_area_km2
from geo.rings import ring
from geo.territories import distance_to_territory, territory_geometry, territory_name

M_PER_UNIT = {"km": M_PER_KM, "mi": M_PER_MI}
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
PATH_SPACING_M = 2000.0


@dataclass(frozen=True)
class Quantity:
    """A computed figure with what shows it on a map.

    ``value`` is a float in the claim's units, a compass azimuth in degrees, or a bool;
    ``features`` are ``(role, geometry)`` pairs in EPSG:4326; ``extra`` holds figures a
    rule needs besides the value (``next_nearest`` for ``only_within``).
    """

    value: float | bool
    detail: str
    features: tuple[tuple[str, BaseGeometry], ...]
    extra: Mapping[str, float] = field(default_factory=dict)


def _corridor(corridor_id: str) -> Any:
    makers = {"suwalki_gap": suwalki_gap, "smolensk_gates": smolensk_gates}
    if corridor_id not in makers:
        raise GeoInputError(f"unknown corridor '{corridor_id}': expected one of {list(makers)}")
    return makers[corridor_id]()


def point(ref: str) -> Place:
    """A claim's place: a site id, or a corridor id (the middle of its narrowest line)."""
    if ref in {"suwalki_gap", "smolensk_gates"}:
        s = _corridor(ref).shortest
        lon, lat = GEOD.npts(s.lon1, s.lat1, s.lon2, s.lat2, 1)[0]
        return Place(f"{ref} (middle)", lon, lat, "corridor", "", "computed", ref)
    return site_place(ref)


def _path(a: Place, b: Place) -> shapely.LineString:
    return shapely.LineString(geodesic_path(a.lon, a.lat, b.lon, b.lat, spacing_m=PATH_SPACING_M))


def _line(lon1: float, lat1: float, lon2: float, lat2: float) -> shapely.LineString:
    return shapely.LineString(geodesic_path(lon1, lat1, lon2, lat2, spacing_m=PATH_SPACING_M))


def _to_territory(place: Place, code: str) -> tuple[float, shapely.LineString]:
    near = distance_to_territory(place.lon, place.lat, code)
    lon, lat = float(near.lon[0]), float(near.lat[0])
    return float(near.distance_m[0]), _line(place.lon, place.lat, lon, lat)


def distance(c: Mapping[str, Any], units: str) -> Quantity:
    """Place to place, centre to centre."""
    a, b = point(c["from"]), point(c["to"])
    m = float(inverse(a.lon, a.lat, b.lon, b.lat)[0])
    return Quantity(
        m / M_PER_UNIT[units],
        f"{a.name} → {b.name}: geodesic distance",
        (("measure_line", _path(a, b)),),
    )


def border_distance(c: Mapping[str, Any], units: str) -> Quantity:
    """Place to the nearest point of a country's territory."""
    a = point(c["from"])
    m, line = _to_territory(a, c["country"])
    return Quantity(
        m / M_PER_UNIT[units],
        f"{a.name} → nearest point of {territory_name(c['country'])}",
        (("border_line", line),),
    )


def corridor_width(c: Mapping[str, Any], units: str) -> Quantity:
    """A corridor's narrowest width (its shortest line)."""
    gap = _corridor(c["corridor"])
    s = gap.shortest
    return Quantity(
        s.distance_m / M_PER_UNIT[units],
        f"narrowest width of the {c['corridor'].replace('_', ' ')}",
        (("corridor", gap.corridor), ("shortest_line", _line(s.lon1, s.lat1, s.lon2, s.lat2))),
    )


def corridor_distance(c: Mapping[str, Any], units: str) -> Quantity:
    """Place to the nearest point of a corridor's area (0 inside it)."""
    a = point(c["from"])
    area = _corridor(c["corridor"]).corridor
    near = BoundaryIndex(area).query(a.lon, a.lat)
    line = _line(a.lon, a.lat, float(near.lon[0]), float(near.lat[0]))
    return Quantity(
        float(near.distance_m[0]) / M_PER_UNIT[units],
        f"{a.name} → nearest point of the {c['corridor'].replace('_', ' ')}",
        (("corridor", area), ("measure_line", line)),
    )


def range_reaches(c: Mapping[str, Any], units: str) -> Quantity:
    """Distance from the launch point to the target, with the range's ring."""
    a, b = point(c["from"]), point(c["to"])
    m = float(inverse(a.lon, a.lat, b.lon, b.lat)[0])
    disc = ring(a.lon, a.lat, float(c["claimed"]) * M_PER_UNIT[units])
    return Quantity(
        m / M_PER_UNIT[units],
        f"{a.name} → {b.name}: geodesic distance, against the range",
        (("ring", disc), ("measure_line", _path(a, b))),
    )


def direction(c: Mapping[str, Any], units: str) -> Quantity:
    """Initial geodesic azimuth, degrees clockwise from true north (to a place or a country)."""
    a = point(c["from"])
    if c["to"].isupper():  # a country code: towards its nearest point
        _, line = _to_territory(a, c["to"])
        (lon, lat) = line.coords[-1]
        target = territory_name(c["to"])
    else:
        b = point(c["to"])
        lon, lat, target = b.lon, b.lat, b.name
    az = float(inverse(a.lon, a.lat, lon, lat)[1])
    return Quantity(
        az,
        f"{a.name} → {target}: azimuth {az:.0f}° ({compass_point(az)})",
        (("measure_line", _line(a.lon, a.lat, lon, lat)),),
    )


def route_crosses(c: Mapping[str, Any], units: str) -> Quantity:
    """Whether the geodesic between two places crosses a country, and for how long."""
    a, b = point(c["from"]), point(c["to"])
    path = _path(a, b)
    inside = shapely.intersection(path, territory_geometry(c["country"]))
    km = 0.0 if inside.is_empty else GEOD.geometry_length(inside) / M_PER_KM
    name = territory_name(c["country"])
    return Quantity(
        km > 0,
        f"{a.name} → {b.name} geodesic: {km:,.0f} km of it in {name}",
        (("measure_line", path), *((("route", inside),) if km > 0 else ())),
    )


def in_country(c: Mapping[str, Any], units: str) -> Quantity:
    """The share of a corridor's geodesic area that lies in a country, in percent."""
    area = _corridor(c["corridor"]).corridor
    part = shapely.intersection(area, territory_geometry(c["country"]))
    share = 100.0 * geodesic_area_km2(part) / geodesic_area_km2(area) if not part.is_empty else 0.0
    return Quantity(
        share,
        f"{share:.0f}% of the {c['corridor'].replace('_', ' ')} lies in "
        f"{territory_name(c['country'])}",
        (("corridor", area),),
    )


def only_within(c: Mapping[str, Any], units: str) -> Quantity:
    """Each candidate's distance to the nearest of the countries' territories.

    The value is the named place's distance; the detail names the nearest other candidate.
    """
    places = [point(ref) for ref in c["candidates"]]
    lons = np.array([p.lon for p in places])
    lats = np.array([p.lat for p in places])
    best = np.full(len(places), np.inf)
    ends = np.zeros((len(places), 2))
    for code in c["countries"]:
        near = distance_to_territory(lons, lats, code)
        closer = near.distance_m < best
        best = np.where(closer, near.distance_m, best)
        ends[closer] = np.column_stack([near.lon, near.lat])[closer]
    dist = best / M_PER_UNIT[units]
    me = c["candidates"].index(c["from"])
    others = [i for i in range(len(places)) if i != me]
    nxt = min(others, key=lambda i: dist[i])
    lines = tuple(
        ("border_line", _line(p.lon, p.lat, *ends[i]))
        for i, p in enumerate(places)
        if i in (me, nxt)
    )
    return Quantity(
        float(dist[me]),
        f"{places[me].name}: {dist[me]:,.1f} {units} from the nearest territory; next "
        f"nearest {places[nxt].name}: {dist[nxt]:,.1f} {units}",
        lines,
        {"next_nearest": float(dist[nxt])},
    )


def compass_point(azimuth_deg: float) -> str:
    """The 8-point compass point nearest an azimuth (N, NE, E, ...)."""
    return COMPASS[int(((azimuth_deg % 360.0) + 22.5) // 45.0) % 8]


KINDS: dict[str, Callable[[Mapping[str, Any], str], Quantity]] = {
    "distance": distance,
    "border_distance": border_distance,
    "corridor_width": corridor_width,
    "corridor_distance": corridor_distance,
    "range_reaches": range_reaches,
    "direction": direction,
    "route_crosses": route_crosses,
    "in_country": in_country,
    "only_within": only_within,
}
