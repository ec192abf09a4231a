"""The two corridors the seed papers talk about, computed from the committed data.

* **The Suwałki gap**: the strip of Polish and Lithuanian land between Russia's
  Kaliningrad exclave and Belarus. Its width is the shortest geodesic between the
  two territories (tripoint to tripoint); along it runs the Poland–Lithuania border.
* **The Smolensk Gates**: the land bridge between the Western Dvina and the
  Dnieper where the two rivers come closest, the "45-mile-wide neck" of the seeds.

Both are pure functions of ``data/`` and are cached. Every distance is a WGS84
geodesic; areas are geodesic (``Geod.geometry_area_perimeter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo.data import rivers, sites, towns
from geo.errors import DataFileError, GeoInputError
from geo.measure import GEOD, M_PER_KM, geodesic_path
from geo.nearest import BoundaryIndex, ShortestLine, planar_distance, shortest_line
from geo.projections import aeqd, project
from geo.reach import geodesic_area_km2
from geo.rings import buffer, radii_from_km
from geo.territories import territory_geometry, territory_index

__all__ = [
    "SMOLENSK_FACTOR",
    "SUWALKI_HALF_WIDTH_KM",
    "TOWN_KINDS",
    "BoundingTown",
    "SmolenskGates",
    "SuwalkiGap",
    "smolensk_gates",
    "suwalki_gap",
]

# Suwałki: 20 km either side of the shortest line and of the PL–LT border. The band
# then holds the whole border (at most 15.7 km off the shortest line) and the town
# that names the gap (Suwałki, 15 km off both), and stops short of Augustów (34 km),
# Gołdap (32 km) and Marijampolė (30 km), which the gap is usually drawn without.
SUWALKI_HALF_WIDTH_KM = 20.0
# Smolensk Gates: where the rivers are within 1.5× their least separation (~105 km,
# 65 mi). That spans the classic gate, Velizh–Vitebsk on the Dvina to Smolensk–Orsha
# on the Dnieper; past it the Dvina turns north to its source and the Dnieper south.
SMOLENSK_FACTOR = 1.5
# Towns that may bound a corridor: curated sites of these kinds, and GeoNames places
# of at least this many people (the district towns of the neck, such as Velizh or
# Rudnya, have 8,000-10,000; the gazetteer's 15,000 leaves gaps of 100 km).
TOWN_KINDS = frozenset({"capital", "admin_centre", "city", "town"})
_PATH_SPACING_M = 1000.0
# A local azimuthal-equidistant frame is within 0.1% of the geodesic for points up to
# ~400 km from its centre; planar distances within this fraction of a limit are
# re-measured exactly before they decide which side of it a vertex lies on.
_SCREEN_TOLERANCE = 0.02


@dataclass(frozen=True)
class SuwalkiGap:
    """The Suwałki gap between Kaliningrad (``RU-KGD``) and Belarus (``BY``).

    Attributes
    ----------
    shortest : ShortestLine
        The shortest geodesic from Kaliningrad (end 1) to Belarus (end 2).
    width_km : float
        Its length: the width of the gap.
    pl_lt_border : MultiLineString
        The shared edge of Poland and Lithuania, parts ordered and oriented from
        Kaliningrad to Belarus. Border lakes lie between the two territories in the
        data, so the border is broken where it crosses them.
    pl_lt_border_km : float
        Geodesic length of ``pl_lt_border``.
    border_lakes_km : float
        The straight geodesic steps across the border lakes between the parts.
    corridor : Polygon
        Polish and Lithuanian land within ``half_width_km`` of the shortest line or
        the border, the connected part that holds the shortest line.
    corridor_area_km2 : float
        Geodesic area of ``corridor``.
    half_width_km : float
        The half-width the corridor was built with.

    Examples
    --------
    >>> gap = suwalki_gap()
    >>> round(gap.width_km, 3), round(gap.shortest.distance_m / 1000, 3)
    (65.448, 65.448)
    >>> gap.corridor.geom_type, gap.half_width_km
    ('Polygon', 20.0)
    """

    shortest: ShortestLine
    width_km: float
    pl_lt_border: BaseGeometry
    pl_lt_border_km: float
    border_lakes_km: float
    corridor: BaseGeometry
    corridor_area_km2: float
    half_width_km: float


@dataclass(frozen=True)
class BoundingTown:
    """The town nearest one end of a corridor (``end`` names it, at ``end_lon, end_lat``).

    Examples
    --------
    >>> town = smolensk_gates().bounding_towns[0]
    >>> town.end, town.name, round(town.distance_km, 3)
    ('Western Dvina, upstream end', 'Velizh', 21.586)
    """

    end: str
    end_lon: float
    end_lat: float
    name: str
    lon: float
    lat: float
    distance_km: float


@dataclass(frozen=True)
class SmolenskGates:
    """The Smolensk Gates: the land bridge between the Western Dvina and the Dnieper.

    Attributes
    ----------
    shortest : ShortestLine
        The shortest geodesic from the Western Dvina (end 1) to the Dnieper (end 2).
    width_km : float
        Its length: the width of the neck.
    dvina_stretch, dnieper_stretch : LineString
        The reach of each river, downstream, within ``factor`` × the width of the
        other river, around the shortest line's end.
    dvina_stretch_km, dnieper_stretch_km : float
        Their geodesic lengths.
    corridor : Polygon
        The land between the two stretches, closed by geodesics between their ends;
        where a closing geodesic cuts across a meander, the meander is left out.
    corridor_length_km : float
        Geodesic distance between the midpoints of the two closing geodesics.
    corridor_area_km2 : float
        Geodesic area of ``corridor``.
    factor : float
        The multiple of the width the stretches were cut at.
    bounding_towns : tuple of BoundingTown
        The towns nearest the stretches' ends and the shortest line's ends.

    Examples
    --------
    >>> gates = smolensk_gates()
    >>> round(gates.width_km, 3), gates.factor, [t.name for t in gates.bounding_towns[-2:]]
    (70.152, 1.5, ['Vitebsk', 'Dubrowna'])
    """

    shortest: ShortestLine
    width_km: float
    dvina_stretch: BaseGeometry
    dvina_stretch_km: float
    dnieper_stretch: BaseGeometry
    dnieper_stretch_km: float
    corridor: BaseGeometry
    corridor_length_km: float
    corridor_area_km2: float
    factor: float
    bounding_towns: tuple[BoundingTown, ...]


def _path(line: ShortestLine) -> shapely.LineString:
    """The shortest line drawn along its geodesic."""
    return shapely.LineString(
        geodesic_path(line.lon1, line.lat1, line.lon2, line.lat2, spacing_m=_PATH_SPACING_M)
    )


def _chain(lines: BaseGeometry, lon: float, lat: float) -> tuple[BaseGeometry, float]:
    """Order and orient line parts into one path from (lon, lat); return it and its gaps in m."""
    remaining = list(shapely.get_parts(lines))
    ordered: list[shapely.LineString] = []
    gaps_m = 0.0
    while remaining:
        ends = np.array([shapely.get_coordinates(p)[[0, -1]].ravel() for p in remaining])
        here = (np.full(len(ends), lon), np.full(len(ends), lat))
        to_start = GEOD.inv(*here, ends[:, 0], ends[:, 1])[2]
        to_end = GEOD.inv(*here, ends[:, 2], ends[:, 3])[2]
        i = int(np.argmin(np.minimum(to_start, to_end)))
        part = remaining.pop(i)
        if to_end[i] < to_start[i]:
            part = part.reverse()
        gaps_m += float(min(to_start[i], to_end[i])) if ordered else 0.0
        ordered.append(part)
        lon, lat = shapely.get_coordinates(part)[-1]
    return shapely.MultiLineString(ordered), gaps_m


def _check_range(value: float, name: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not (isinstance(value, int | float) and low < value <= high):
        raise GeoInputError(
            f"{name} must be a number above {low:g} and at most {high:g}, got {value!r}"
        )
    return float(value)


@lru_cache(maxsize=8)
def suwalki_gap(*, half_width_km: float = SUWALKI_HALF_WIDTH_KM) -> SuwalkiGap:
    """Measure the Suwałki gap between Kaliningrad and Belarus.

    Parameters
    ----------
    half_width_km : float, optional
        How far either side of the shortest line and of the PL–LT border the
        corridor reaches, in (0, 100] km.

    Returns
    -------
    SuwalkiGap
        Width, the PL–LT border and the corridor of Polish and Lithuanian land.

    Raises
    ------
    GeoInputError
        If the half-width is not a number in (0, 100].

    Examples
    --------
    The gap's width is one geodesic from Kaliningrad to Belarus; the PL–LT border runs
    beside it, broken where border lakes lie between the two territories:

    >>> gap = suwalki_gap()
    >>> round(gap.width_km, 3), round(gap.pl_lt_border_km, 3), round(gap.border_lakes_km, 3)
    (65.448, 100.978, 2.383)
    >>> s = gap.shortest
    >>> [round(v, 5) for v in (s.lon1, s.lat1, s.lon2, s.lat2)]
    [22.79199, 54.36334, 23.51498, 53.95627]
    >>> round(gap.corridor_area_km2, 1)
    4422.2
    >>> suwalki_gap(half_width_km=0)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: half_width_km must be a number above 0 and at most 100, got 0
    """
    half_width = _check_range(half_width_km, "half_width_km", low=0.0, high=100.0)
    radius_m = float(radii_from_km(half_width)[0])
    shortest = shortest_line(territory_index("RU-KGD"), territory_index("BY"))
    poland, lithuania = territory_geometry("PL"), territory_geometry("LT")
    shared = shapely.get_parts(shapely.intersection(poland.boundary, lithuania.boundary))
    merged = shapely.line_merge(
        shapely.MultiLineString(list(shared[shapely.get_type_id(shared) == 1]))
    )
    border, lakes_m = _chain(merged, shortest.lon1, shortest.lat1)
    path = _path(shortest)
    zone = buffer(shapely.union_all([path, border]), radius_m)
    land = shapely.union_all([shapely.intersection(t, zone) for t in (poland, lithuania)])
    parts = shapely.get_parts(land)
    corridor = shapely.union_all(parts[shapely.intersects(parts, path)])
    return SuwalkiGap(
        shortest=shortest,
        width_km=shortest.distance_m / M_PER_KM,
        pl_lt_border=border,
        pl_lt_border_km=GEOD.geometry_length(border) / M_PER_KM,
        border_lakes_km=lakes_m / M_PER_KM,
        corridor=corridor,
        corridor_area_km2=geodesic_area_km2(corridor),
        half_width_km=float(half_width_km),
    )


def _river(river_id: str) -> BaseGeometry:
    table = rivers()
    return table.loc[table["id"] == river_id].geometry.iloc[0]


def _within(
    coords: np.ndarray, other: BoundaryIndex, limit_m: float, frame: Transformer
) -> np.ndarray:
    """Whether each point lies within ``limit_m`` (geodesic) of the indexed geometry.

    Planar distances in a local azimuthal-equidistant frame decide clear cases; those
    within :data:`_SCREEN_TOLERANCE` of the limit are measured exactly.
    """
    x, y = frame.transform(coords[:, 0], coords[:, 1])
    planar = planar_distance(x, y, project(other.geom, frame))
    inside = planar <= limit_m
    close = np.abs(planar - limit_m) <= _SCREEN_TOLERANCE * limit_m
    if close.any():
        inside[close] = other.query(coords[close, 0], coords[close, 1]).distance_m <= limit_m
    return inside


def _stretch(
    river: BaseGeometry, lon: float, lat: float, other: BoundaryIndex, limit_m: float
) -> shapely.LineString:
    """The run of the river's vertices within ``limit_m`` of ``other`` around (lon, lat)."""
    point = shapely.Point(lon, lat)
    parts = shapely.get_parts(river)
    coords = shapely.get_coordinates(parts[int(np.argmin(shapely.distance(parts, point)))])
    segments = shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1))
    k = int(np.argmin(shapely.distance(segments, point)))  # the segment holding the point
    inside = _within(coords, other, limit_m, aeqd(round(lon, 6), round(lat, 6)))
    inside[[k, k + 1]] = True
    breaks = np.flatnonzero(~inside)
    lo = int(breaks[breaks < k].max()) + 1 if (breaks < k).any() else 0
    hi = int(breaks[breaks > k + 1].min()) - 1 if (breaks > k + 1).any() else len(coords) - 1
    return shapely.LineString(coords[lo : hi + 1])


def _geodesic(a: np.ndarray, b: np.ndarray) -> shapely.LineString:
    """The geodesic from point ``a`` to point ``b``, densified for drawing and noding."""
    return shapely.LineString(geodesic_path(*a, *b, spacing_m=_PATH_SPACING_M))


def _midpoint(line: shapely.LineString) -> tuple[float, float]:
    (lon1, lat1), (lon2, lat2) = shapely.get_coordinates(line)[[0, -1]]
    az, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    lon, lat, _ = GEOD.fwd(lon1, lat1, az, dist / 2)
    return float(lon), float(lat)


def _between(
    a: shapely.LineString, b: shapely.LineString, banks: list[BaseGeometry], path: BaseGeometry
) -> tuple[BaseGeometry, float]:
    """The land between two stretches, closed by the geodesics joining their ends.

    The closing geodesics are noded with the whole ``banks`` (the rivers), and the
    face holding ``path`` is kept, so no river crosses the result even where a
    closing geodesic cuts across a meander.

    Returns
    -------
    polygon : Polygon
        The face.
    length_m : float
        Geodesic distance between the midpoints of the two closing geodesics.
    """
    ca, cb = shapely.get_coordinates(a), shapely.get_coordinates(b)
    same_way = GEOD.inv(*ca[-1], *cb[-1])[2] + GEOD.inv(*ca[0], *cb[0])[2]
    other_way = GEOD.inv(*ca[-1], *cb[0])[2] + GEOD.inv(*ca[0], *cb[-1])[2]
    if same_way <= other_way:
        cb = cb[::-1]
    mouths = [_geodesic(ca[-1], cb[0]), _geodesic(cb[-1], ca[0])]
    noded = shapely.get_parts(shapely.union_all([*banks, *mouths]))
    faces = shapely.get_parts(shapely.polygonize(noded))
    inside = faces[shapely.contains(faces, path.interpolate(0.5, normalized=True))]
    if len(inside) != 1:
        raise DataFileError(f"the rivers do not enclose one corridor ({len(inside)} faces)")
    length_m = GEOD.inv(*_midpoint(mouths[0]), *_midpoint(mouths[1]))[2]
    return inside[0], float(length_m)


@lru_cache(maxsize=1)
def _towns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Names, lons and lats of the curated towns and GeoNames places of ≥ 5,000 people."""
    table = sites()
    curated = table[table["kind"].isin(TOWN_KINDS)]
    known = set(table["coord_source"])
    places = towns()
    places = places[~("geonames:" + places["geonameid"].astype(str)).isin(known)]
    names = np.array([*curated["name"], *places["name"]], dtype=object)
    lons = np.array([*curated["lon"], *places["lon"]], dtype=float)
    lats = np.array([*curated["lat"], *places["lat"]], dtype=float)
    return names, lons, lats


def _nearest_towns(ends: dict[str, tuple[float, float]]) -> tuple[BoundingTown, ...]:
    """The town nearest each named end point."""
    all_names, all_lons, all_lats = _towns()
    found = []
    for end, (lon, lat) in ends.items():
        # A coarse box first: ±1° of latitude (111 km) and as many degrees of longitude as
        # make ≥ 100 km at the box's poleward edge, so a town within 90 km is inside it.
        lon_half = 0.9 / max(np.cos(np.radians(min(abs(lat) + 1.0, 89.0))), 0.01)
        near = (np.abs(all_lats - lat) < 1.0) & (np.abs(all_lons - lon) < lon_half)
        names, lons, lats = all_names[near], all_lons[near], all_lats[near]
        dist = GEOD.inv(np.full(len(lons), lon), np.full(len(lons), lat), lons, lats)[2]
        if not len(dist) or dist.min() > 90_000:
            names, lons, lats = all_names, all_lons, all_lats
            dist = GEOD.inv(np.full(len(lons), lon), np.full(len(lons), lat), lons, lats)[2]
        i = int(np.argmin(dist))
        km = float(dist[i]) / M_PER_KM
        town = (str(names[i]), float(lons[i]), float(lats[i]), km)
        found.append(BoundingTown(end, float(lon), float(lat), *town))
    return tuple(found)


@lru_cache(maxsize=8)
def smolensk_gates(*, factor: float = SMOLENSK_FACTOR) -> SmolenskGates:
    """Measure the Smolensk Gates between the Western Dvina and the Dnieper.

    The shortest line is taken between the whole river lines: its least separation
    lies between Vitebsk and the Dnieper below Orsha, in the upper reaches, so no
    restriction to them is needed.

    Parameters
    ----------
    factor : float, optional
        Cut each river where it is farther than ``factor`` × the width from the
        other, in (1, 3].

    Returns
    -------
    SmolenskGates
        Width, the two river stretches, the corridor between them and its towns.

    Raises
    ------
    GeoInputError
        If the factor is not a number in (1, 3].

    Examples
    --------
    >>> gates = smolensk_gates()
    >>> round(gates.width_km, 3), round(gates.corridor_length_km, 3)
    (70.152, 143.005)
    >>> round(gates.dvina_stretch_km, 3), round(gates.dnieper_stretch_km, 3)
    (217.049, 173.89)
    >>> smolensk_gates(factor=float("nan"))
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: factor must be a number above 1 and at most 3, got nan
    """
    factor = _check_range(factor, "factor", low=1.0, high=3.0)
    dvina, dnieper = BoundaryIndex(_river("western_dvina")), BoundaryIndex(_river("dnieper"))
    shortest = shortest_line(dvina, dnieper)
    limit_m = factor * shortest.distance_m
    dvina_reach = _stretch(dvina.geom, shortest.lon1, shortest.lat1, dnieper, limit_m)
    dnieper_reach = _stretch(dnieper.geom, shortest.lon2, shortest.lat2, dvina, limit_m)
    banks = [dvina.geom, dnieper.geom]
    corridor, length_m = _between(dvina_reach, dnieper_reach, banks, _path(shortest))
    (d0, d1), (n0, n1) = (shapely.get_coordinates(g)[[0, -1]] for g in (dvina_reach, dnieper_reach))
    ends = {
        "Western Dvina, upstream end": tuple(d0),
        "Western Dvina, downstream end": tuple(d1),
        "Dnieper, upstream end": tuple(n0),
        "Dnieper, downstream end": tuple(n1),
        "narrowest point, Western Dvina bank": (shortest.lon1, shortest.lat1),
        "narrowest point, Dnieper bank": (shortest.lon2, shortest.lat2),
    }
    return SmolenskGates(
        shortest=shortest,
        width_km=shortest.distance_m / M_PER_KM,
        dvina_stretch=dvina_reach,
        dvina_stretch_km=GEOD.geometry_length(dvina_reach) / M_PER_KM,
        dnieper_stretch=dnieper_reach,
        dnieper_stretch_km=GEOD.geometry_length(dnieper_reach) / M_PER_KM,
        corridor=corridor,
        corridor_length_km=length_m / M_PER_KM,
        corridor_area_km2=geodesic_area_km2(corridor),
        factor=factor,
        bounding_towns=_nearest_towns(ends),
    )
