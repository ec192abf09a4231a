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
from geo.errors import UnknownNameError
from geo.gazetteer import Place, site_place
from geo.measure import GEOD, M_PER_KM, M_PER_MI, geodesic_path, inverse
from geo.nearest import nearest_point
from geo.reach import geodesic_area_km2
from geo.rings import ring
from geo.territories import (
    distance_to_territory,
    territory_distance,
    territory_geometry,
    territory_name,
)

__all__ = [
    "COMPASS",
    "KINDS",
    "M_PER_UNIT",
    "PATH_SPACING_M",
    "Quantity",
    "border_distance",
    "compass_point",
    "corridor_distance",
    "corridor_width",
    "direction",
    "distance",
    "in_country",
    "only_within",
    "point",
    "range_reaches",
    "route_crosses",
]

M_PER_UNIT = {"km": M_PER_KM, "mi": M_PER_MI}
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
PATH_SPACING_M = 2000.0


@dataclass(frozen=True)
class Quantity:
    """A computed figure with what shows it on a map.

    ``value`` is a float in the claim's units, a compass azimuth in degrees, or a bool;
    ``features`` are ``(role, geometry)`` pairs in EPSG:4326; ``extra`` holds figures a
    rule needs besides the value (``next_nearest`` for ``only_within``).

    Examples
    --------
    >>> q = distance({"from": "minsk", "to": "vilnius"}, "km")
    >>> round(q.value, 3), q.detail, [role for role, _ in q.features], dict(q.extra)
    (172.85, 'Minsk → Vilnius: geodesic distance', ['measure_line'], {})
    """

    value: float | bool
    detail: str
    features: tuple[tuple[str, BaseGeometry], ...]
    extra: Mapping[str, float] = field(default_factory=dict)


def _corridor(corridor_id: str) -> Any:
    makers = {"suwalki_gap": suwalki_gap, "smolensk_gates": smolensk_gates}
    if corridor_id not in makers:
        raise UnknownNameError(f"unknown corridor '{corridor_id}': expected one of {list(makers)}")
    return makers[corridor_id]()


def _corridor_name(corridor_id: str) -> str:
    """A corridor's name as people write it (its record in ``data/sites.csv``)."""
    return site_place(corridor_id).name


def point(ref: str) -> Place:
    """A claim's place: a site id, or a corridor id (the middle of its narrowest line).

    Examples
    --------
    >>> point("vilnius").name
    'Vilnius'
    >>> middle = point("suwalki_gap")
    >>> middle.name, round(middle.lon, 5), round(middle.lat, 5)
    ('Suwalki gap (middle)', 23.15526, 54.16035)
    """
    if ref in {"suwalki_gap", "smolensk_gates"}:
        s = _corridor(ref).shortest
        lon, lat = GEOD.npts(s.lon1, s.lat1, s.lon2, s.lat2, 1)[0]
        return Place(f"{_corridor_name(ref)} (middle)", lon, lat, "corridor", "", "computed", ref)
    return site_place(ref)


def _path(a: Place, b: Place) -> shapely.LineString:
    return shapely.LineString(geodesic_path(a.lon, a.lat, b.lon, b.lat, spacing_m=PATH_SPACING_M))


def _line(lon1: float, lat1: float, lon2: float, lat2: float) -> shapely.LineString:
    return shapely.LineString(geodesic_path(lon1, lat1, lon2, lat2, spacing_m=PATH_SPACING_M))


def _to_territory(place: Place, code: str) -> tuple[float, shapely.LineString]:
    near = territory_distance(place.lon, place.lat, code)
    return near.distance_m, _line(place.lon, place.lat, near.nearest_lon, near.nearest_lat)


def distance(c: Mapping[str, Any], units: str) -> Quantity:
    """Place to place, centre to centre.

    Examples
    --------
    >>> round(distance({"from": "minsk", "to": "vilnius"}, "km").value, 3)
    172.85
    >>> round(distance({"from": "minsk", "to": "vilnius"}, "mi").value, 3)
    107.404
    """
    a, b = point(c["from"]), point(c["to"])
    m = float(inverse(a.lon, a.lat, b.lon, b.lat)[0])
    return Quantity(
        m / M_PER_UNIT[units],
        f"{a.name} → {b.name}: geodesic distance",
        (("measure_line", _path(a, b)),),
    )


def border_distance(c: Mapping[str, Any], units: str) -> Quantity:
    """Place to the nearest point of a country's territory.

    Examples
    --------
    Inside the territory the distance is 0 and the line has no length:

    >>> q = border_distance({"from": "vilnius", "country": "BY"}, "km")
    >>> round(q.value, 3), q.detail
    (29.057, 'Vilnius → nearest point of Belarus')
    >>> q = border_distance({"from": "minsk", "country": "BY"}, "km")
    >>> q.value, q.features[0][1].length
    (0.0, 0.0)
    """
    a = point(c["from"])
    m, line = _to_territory(a, c["country"])
    return Quantity(
        m / M_PER_UNIT[units],
        f"{a.name} → nearest point of {territory_name(c['country'])}",
        (("border_line", line),),
    )


def corridor_width(c: Mapping[str, Any], units: str) -> Quantity:
    """A corridor's narrowest width (its shortest line).

    Examples
    --------
    >>> q = corridor_width({"corridor": "suwalki_gap"}, "mi")
    >>> round(q.value, 3), q.detail
    (40.668, 'narrowest width of the Suwalki gap')
    >>> corridor_width({"corridor": "fulda_gap"}, "km")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownNameError: unknown corridor 'fulda_gap': expected one of ['suwalki_gap',
    'smolensk_gates']
    """
    gap = _corridor(c["corridor"])
    s = gap.shortest
    return Quantity(
        s.distance_m / M_PER_UNIT[units],
        f"narrowest width of the {_corridor_name(c['corridor'])}",
        (("corridor", gap.corridor), ("shortest_line", _line(s.lon1, s.lat1, s.lon2, s.lat2))),
    )


def corridor_distance(c: Mapping[str, Any], units: str) -> Quantity:
    """Place to the nearest point of a corridor's area (0 inside it).

    Examples
    --------
    >>> q = corridor_distance({"from": "yelnia_regiment", "corridor": "smolensk_gates"}, "km")
    >>> round(q.value, 3), q.detail
    (70.862, 'Yelnia regiment → nearest point of the Smolensk Gates')
    >>> corridor_distance({"from": "vitebsk", "corridor": "smolensk_gates"}, "km").value
    0.0
    """
    a = point(c["from"])
    area = _corridor(c["corridor"]).corridor
    near = nearest_point(a.lon, a.lat, area)
    line = _line(a.lon, a.lat, near.nearest_lon, near.nearest_lat)
    return Quantity(
        near.distance_m / M_PER_UNIT[units],
        f"{a.name} → nearest point of the {_corridor_name(c['corridor'])}",
        (("corridor", area), ("measure_line", line)),
    )


def range_reaches(c: Mapping[str, Any], units: str) -> Quantity:
    """Distance from the launch point to the target, with the range's ring.

    Examples
    --------
    >>> q = range_reaches({"from": "vitebsk", "to": "vilnius", "claimed": 300}, "km")
    >>> round(q.value, 3), [role for role, _ in q.features]
    (320.472, ['ring', 'measure_line'])
    """
    a, b = point(c["from"]), point(c["to"])
    m = float(inverse(a.lon, a.lat, b.lon, b.lat)[0])
    disc = ring(a.lon, a.lat, float(c["claimed"]) * M_PER_UNIT[units])
    return Quantity(
        m / M_PER_UNIT[units],
        f"{a.name} → {b.name}: geodesic distance, against the range",
        (("ring", disc), ("measure_line", _path(a, b))),
    )


def direction(c: Mapping[str, Any], units: str) -> Quantity:
    """Initial geodesic azimuth, degrees clockwise from true north (to a place or a country).

    Examples
    --------
    >>> direction({"from": "minsk", "to": "vilnius"}, "compass").detail
    'Minsk → Vilnius: azimuth 301° (NW)'
    >>> round(direction({"from": "vilnius", "to": "BY"}, "compass").value, 3)
    91.208
    """
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
    """Whether the geodesic between two places crosses a country, and for how long.

    Examples
    --------
    >>> q = route_crosses({"from": "berlin", "to": "moscow", "country": "BY"}, "km")
    >>> q.value, q.detail
    (True, 'Berlin → Moscow geodesic: 334 km of it in Belarus')
    >>> route_crosses({"from": "vilnius", "to": "riga", "country": "BY"}, "km").value
    False
    """
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
    """The share of a corridor's geodesic area that lies in a country, in percent.

    Examples
    --------
    >>> q = in_country({"corridor": "smolensk_gates", "country": "BY"}, "km")
    >>> round(q.value, 3), q.detail
    (53.414, '53% of the Smolensk Gates lies in Belarus')
    >>> in_country({"corridor": "suwalki_gap", "country": "BY"}, "km").value
    0.0
    """
    area = _corridor(c["corridor"]).corridor
    part = shapely.intersection(area, territory_geometry(c["country"]))
    share = 100.0 * geodesic_area_km2(part) / geodesic_area_km2(area) if not part.is_empty else 0.0
    return Quantity(
        share,
        f"{share:.0f}% of the {_corridor_name(c['corridor'])} lies in "
        f"{territory_name(c['country'])}",
        (("corridor", area),),
    )


def only_within(c: Mapping[str, Any], units: str) -> Quantity:
    """Each candidate's distance to the nearest of the countries' territories.

    The value is the named place's distance; the detail names the nearest other candidate.

    Examples
    --------
    >>> claim = {"from": "vilnius", "countries": ["BY", "RU"],
    ...          "candidates": ["vilnius", "riga", "warsaw"]}
    >>> q = only_within(claim, "km")
    >>> round(q.value, 3), round(q.extra["next_nearest"], 3)
    (29.057, 148.056)
    >>> q.detail
    'Vilnius: 29.1 km from the nearest territory; next nearest Warsaw: 148.1 km'
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
    """The 8-point compass point nearest an azimuth (N, NE, E, ...).

    Examples
    --------
    Azimuths wrap around (-10° is 350°); a half-way azimuth goes clockwise:

    >>> [compass_point(a) for a in (0.0, 22.5, 301.5, -10.0, 360.0)]
    ['N', 'NE', 'NW', 'N', 'N']
    """
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
