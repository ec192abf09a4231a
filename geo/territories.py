"""Countries' territories: look one up by code or name, measure distance to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.data import countries, territories
from geo.errors import UnknownNameError
from geo.names import closest, normalize
from geo.nearest import BoundaryIndex, Nearest, NearestPoint, nearest_point

__all__ = [
    "TerritoryDistance",
    "distance_to_territory",
    "resolve_territory",
    "territory_choices",
    "territory_distance",
    "territory_geometry",
    "territory_index",
    "territory_name",
]


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Normalized code, ISO3, name or alias → territory code."""
    index: dict[str, str] = {}
    table = countries()
    for row in table.itertuples():
        labels = [row.code, row.name, *row.aliases.split("|")]
        if row.code == row.country:  # a whole country also answers to its ISO3
            labels.append(row.iso3)
        for label in labels:
            index.setdefault(normalize(label), row.code)
    return index


def resolve_territory(text: str) -> str:
    """Territory code for an ISO alpha-2 or alpha-3 code, a name or an alias.

    ``RU`` / ``Russia`` means all of Russia in the atlas (mainland west of 45°E and
    Kaliningrad); ``RU-KGD`` / ``Kaliningrad`` means the exclave alone.

    Parameters
    ----------
    text : str
        For example ``"LT"``, ``"LTU"``, ``"Lithuania"``, ``"Lietuva"``.

    Returns
    -------
    str
        A code from ``data/countries.csv``.

    Raises
    ------
    UnknownNameError
        If nothing matches; the message lists the closest names.

    Examples
    --------
    >>> resolve_territory("Lietuva"), resolve_territory("blr"), resolve_territory("Kaliningrad")
    ('LT', 'BY', 'RU-KGD')
    >>> resolve_territory("Belarussia")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownNameError: unknown country 'Belarussia': use one of BY, LT, LV, EE, PL, UA,
    RU, RU-KGD, DE, CZ, SK, FI, SE, MD, RO or a name; closest: Belarus (BY), ...
    >>> resolve_territory("")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownNameError: unknown country '': use one of BY, ... or a name
    """
    code = _name_index().get(normalize(text))
    if code is not None:
        return code
    table = countries()
    keys = [normalize(v) for v in table["name"]] + [normalize(v) for v in table["code"]]
    labels = [f"{n} ({c})" for n, c in zip(table["name"], table["code"], strict=True)] * 2
    near = closest(text, keys, labels, limit=4, cutoff=50)
    valid = ", ".join(table["code"])
    hint = f"; closest: {', '.join(near)}" if near else ""
    raise UnknownNameError(f"unknown country '{text}': use one of {valid} or a name{hint}")


def territory_choices() -> dict[str, str]:
    """Every territory code with its name, in the order of ``data/countries.csv``.

    Examples
    --------
    >>> list(territory_choices().items())[:3]
    [('BY', 'Belarus'), ('LT', 'Lithuania'), ('LV', 'Latvia')]
    """
    return dict(zip(countries()["code"], countries()["name"], strict=True))


def territory_name(code: str) -> str:
    """Display name of a territory code (``LT`` → ``Lithuania``).

    Examples
    --------
    >>> territory_name("LT"), territory_name("RU"), territory_name("RU-KGD")
    ('Lithuania', 'Russia', 'Kaliningrad (Russia)')
    >>> territory_name("XX")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownNameError: unknown territory code 'XX': give a code such as BY, LT or RU
    """
    if code == "RU":
        return "Russia"
    names = dict(zip(countries()["code"], countries()["name"], strict=True))
    if code not in names:
        raise UnknownNameError(f"unknown territory code '{code}': give a code such as BY, LT or RU")
    return str(names[code])


@lru_cache(maxsize=32)
def territory_geometry(code: str) -> BaseGeometry:
    """The analysis geometry of a territory code (``RU`` includes Kaliningrad).

    Parameters
    ----------
    code : str
        A code from :func:`resolve_territory`.

    Returns
    -------
    shapely geometry
        (Multi)polygon in EPSG:4326.

    Raises
    ------
    UnknownNameError
        If no territory has that code.

    Examples
    --------
    >>> kaliningrad = territory_geometry("RU-KGD")
    >>> kaliningrad.geom_type, [round(v, 3) for v in kaliningrad.bounds]
    ('MultiPolygon', [19.639, 54.318, 22.887, 55.29])
    >>> territory_geometry("RU").contains(kaliningrad)
    True
    >>> territory_geometry("XX")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownNameError: no territory with code 'XX'
    """
    gdf = territories()
    rows = gdf[gdf["country"] == code] if code == "RU" else gdf[gdf["code"] == code]
    if rows.empty:
        raise UnknownNameError(f"no territory with code '{code}'")
    parts = rows.geometry.values
    if len(parts) == 1:
        return parts[0]
    if not _any_intersect(parts):  # Russia's mainland and Kaliningrad: 1 ms, a union 250 ms
        return shapely.multipolygons(shapely.get_parts(parts))
    return shapely.union_all(parts)


def _any_intersect(geoms: np.ndarray) -> bool:
    """Whether any two of ``geoms`` intersect (a spatial-index query, then exact tests)."""
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    return bool(np.any(left != right))


@lru_cache(maxsize=32)
def territory_index(code: str) -> BoundaryIndex:
    """A cached :class:`~geo.nearest.BoundaryIndex` for a territory code.

    Examples
    --------
    >>> territory_index("BY") is territory_index("BY")
    True
    """
    return BoundaryIndex(territory_geometry(code))


def distance_to_territory(lons: ArrayLike, lats: ArrayLike, code: str) -> Nearest:
    """Exact geodesic distance from points to a territory, and the nearest points.

    Parameters
    ----------
    lons, lats : float or array_like
        Points in degrees.
    code : str
        Territory code; see :func:`resolve_territory`.

    Returns
    -------
    Nearest
        Distances in metres (0 inside the territory) and nearest points on it.

    Examples
    --------
    Vilnius is 29 km from Belarus; Minsk is inside it:

    >>> near = distance_to_territory([25.2798, 27.56653], [54.68916, 53.90019], "BY")
    >>> near.distance_m.round(3)
    array([29056.782,     0.   ])
    >>> near.lon.round(5), near.lat.round(5)
    (array([25.73021, 27.56653]), array([54.68282, 53.90019]))
    >>> distance_to_territory([], [], "BY").distance_m
    array([], dtype=float64)
    """
    return territory_index(code).query(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))


@dataclass(frozen=True)
class TerritoryDistance(NearestPoint):
    """One point to a territory: the distance, the nearest point of it, the azimuths.

    A :class:`~geo.nearest.NearestPoint` (every field a plain float, on the WGS84
    ellipsoid) that also names the territory; :func:`territory_distance` returns it.

    Attributes
    ----------
    code : str
        The territory's code (``BY``, ``RU-KGD``, ...), keyword-only.
    distance_m : float
        Geodesic distance in metres; 0 inside the territory.
    nearest_lon, nearest_lat : float
        The nearest point of the territory; the point itself inside it.
    azimuth_deg, back_azimuth_deg : float
        Azimuth from the point toward the nearest point and back, 0–360° clockwise from
        north; NaN inside the territory, where there is no direction.

    Examples
    --------
    >>> t = TerritoryDistance(1000.0, 25.7, 54.7, 90.0, 270.0, code="BY")
    >>> t.distance_km, t.inside, t.to_dict()["code"]
    (1.0, False, 'BY')
    """

    code: str = field(kw_only=True)


def territory_distance(lon: float, lat: float, code: str) -> TerritoryDistance:
    """Exact geodesic distance from one point to a territory, with its nearest point.

    The scalar form of :func:`distance_to_territory` (the same distance and nearest
    point), with the azimuths between the point and the nearest point.

    Parameters
    ----------
    lon, lat : float
        The point in degrees.
    code : str
        Territory code; see :func:`resolve_territory`.

    Returns
    -------
    TerritoryDistance
        Distance in metres, nearest point and azimuths; inside the territory distance 0,
        the point itself and NaN azimuths.

    Raises
    ------
    GeoInputError
        If a coordinate is not a finite number or the latitude is beyond ±90.
    UnknownNameError
        If no territory has that code.

    Examples
    --------
    From Vilnius to Belarus: 29 km almost due east, to a point on the border:

    >>> near = territory_distance(25.2798, 54.68916, "BY")
    >>> near.code, round(near.distance_km, 6), near.nearest_lon, round(near.nearest_lat, 6)
    ('BY', 29.056782, 25.73021, 54.68282)
    >>> round(near.azimuth_deg, 2), round(near.back_azimuth_deg, 2)
    (91.21, 271.58)

    Inside the territory (Minsk in Belarus, Kaliningrad in ``RU``), the distance is 0,
    the nearest point is the point itself, and there is no direction:

    >>> minsk = territory_distance(27.56653, 53.90019, "BY")
    >>> minsk.inside, minsk.distance_m, (minsk.nearest_lon, minsk.nearest_lat)
    (True, 0.0, (27.56653, 53.90019))
    >>> minsk.to_dict()["azimuth_deg"] is None
    True
    >>> territory_distance(20.5, 54.7, "RU").inside
    True

    From the North Pole the geodesic runs down the meridian of Lithuania's northernmost
    point (azimuth 180° − 24.885°, measured from the meridian given, 0°); -180 and 180
    are one meridian:

    >>> pole = territory_distance(0.0, 90.0, "LT")
    >>> round(pole.distance_km, 3), round(pole.nearest_lat, 5), round(pole.azimuth_deg, 5)
    (3743.25, 56.45042, 155.11479)
    >>> east, west = territory_distance(180.0, 0.0, "LT"), territory_distance(-180.0, 0.0, "LT")
    >>> round(east.distance_km, 6) == round(west.distance_km, 6) == 13360.080077
    True
    >>> territory_distance(25.0, 95.0, "LT")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: points (25, 95) are not usable: expected finite lon, lat pairs with
    latitudes in -90…90
    """
    return TerritoryDistance(**asdict(nearest_point(lon, lat, territory_index(code))), code=code)
