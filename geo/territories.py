"""Countries' territories: look one up by code or name, measure distance to it."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.data import countries, territories
from geo.errors import GeoInputError
from geo.names import closest, normalize
from geo.nearest import BoundaryIndex, Nearest


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
    GeoInputError
        If nothing matches; the message lists the closest names.
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
    raise GeoInputError(f"unknown country '{text}': use one of {valid} or a name{hint}")


def territory_choices() -> dict[str, str]:
    """Every territory code with its name, in the order of ``data/countries.csv``."""
    return dict(zip(countries()["code"], countries()["name"], strict=True))


def territory_name(code: str) -> str:
    """Display name of a territory code (``LT`` → ``Lithuania``)."""
    table = countries().set_index("code")
    return "Russia" if code == "RU" else str(table.loc[code, "name"])


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
    """
    gdf = territories()
    rows = gdf[gdf["country"] == code] if code == "RU" else gdf[gdf["code"] == code]
    if rows.empty:
        raise GeoInputError(f"no territory with code '{code}'")
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
    """A cached :class:`~geo.nearest.BoundaryIndex` for a territory code."""
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
    """
    return territory_index(code).query(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
