"""What a ring or an area reaches: places inside, countries touched, geodesic area."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.data import sites, territories
from geo.measure import GEOD, M_PER_KM, inverse

# The places a briefer cares about when asking what a ring reaches.
CITY_KINDS = ("capital", "admin_centre", "city")


@dataclass(frozen=True)
class SiteDistance:
    """A curated site with its geodesic distance and bearing from some point."""

    id: str
    name: str
    kind: str
    distance_km: float
    azimuth_deg: float


def site_distances(
    lon: float, lat: float, *, kinds: tuple[str, ...] = CITY_KINDS
) -> gpd.GeoDataFrame:
    """Curated sites of the given kinds with distance and bearing from a point, nearest first.

    Parameters
    ----------
    lon, lat : float
        The point in degrees.
    kinds : tuple of str, optional
        Site kinds to include (default: capitals, admin centres and cities).

    Returns
    -------
    GeoDataFrame
        The sites' rows plus ``distance_km`` and ``azimuth_deg``, sorted by distance.
    """
    rows = sites()[sites()["kind"].isin(kinds)].copy()
    dist, az, _ = inverse(
        np.full(len(rows), lon),
        np.full(len(rows), lat),
        rows["lon"].to_numpy(),
        rows["lat"].to_numpy(),
    )
    rows["distance_km"] = dist / M_PER_KM
    rows["azimuth_deg"] = az
    return rows.sort_values("distance_km", kind="stable")


def nearest_sites(
    lon: float,
    lat: float,
    *,
    kinds: tuple[str, ...] = CITY_KINDS,
    country: str | None = None,
    n: int = 3,
    exclude: tuple[str, ...] = (),
) -> list[SiteDistance]:
    """The ``n`` nearest curated sites (optionally in one country) with distance and bearing.

    Parameters
    ----------
    lon, lat : float
        The point in degrees.
    kinds : tuple of str, optional
        Site kinds to consider.
    country : str, optional
        ISO alpha-2 code to restrict to.
    n : int, optional
        How many.
    exclude : tuple of str, optional
        Site ids to leave out (e.g. the point's own site).

    Returns
    -------
    list of SiteDistance
        Nearest first.
    """
    rows = site_distances(lon, lat, kinds=kinds)
    if country is not None:
        rows = rows[rows["country"] == country]
    rows = rows[~rows["id"].isin(exclude)].head(n)
    return [
        SiteDistance(r.id, r.name, r.kind, float(r.distance_km), float(r.azimuth_deg))
        for r in rows.itertuples()
    ]


def sites_within(area: BaseGeometry, *, kinds: tuple[str, ...] = CITY_KINDS) -> gpd.GeoDataFrame:
    """Curated sites of the given kinds that lie inside (or on) an area."""
    return sites_within_each([area], kinds=kinds)[0]


def sites_within_each(
    areas: ArrayLike, *, kinds: tuple[str, ...] = CITY_KINDS
) -> list[gpd.GeoDataFrame]:
    """:func:`sites_within` for many areas: one spatial-index query for them all.

    Parameters
    ----------
    areas : array_like of shapely geometry
        Areas in lon/lat.
    kinds : tuple of str, optional
        Site kinds to include.

    Returns
    -------
    list of GeoDataFrame
        Per area, the sites' rows in ``sites.csv`` order.
    """
    rows = sites()[sites()["kind"].isin(kinds)]
    area, site = _pairs(areas, rows.geometry.to_numpy(), "covers")
    return [rows.iloc[site[area == i]] for i in range(len(np.atleast_1d(areas)))]


def countries_touched(area: BaseGeometry) -> list[str]:
    """Codes of the territories an area overlaps, in ``countries.csv`` order."""
    return countries_touched_each([area])[0]


def countries_touched_each(areas: ArrayLike) -> list[list[str]]:
    """:func:`countries_touched` for many areas: one matrix of prepared intersection tests."""
    gdf = territories()
    geoms = gdf.geometry.to_numpy()
    shapely.prepare(geoms)  # kept by the shared geometries: later calls test in microseconds
    touched = shapely.intersects(geoms[:, None], np.atleast_1d(areas)[None, :])
    codes = gdf["code"].to_numpy()
    return [codes[touched[:, i]].tolist() for i in range(touched.shape[1])]


def _pairs(areas: ArrayLike, geoms: np.ndarray, predicate: str) -> tuple[np.ndarray, np.ndarray]:
    """(area index, geometry index) of every pair where ``predicate(area, geometry)`` holds,
    sorted by area, then geometry (the table's order)."""
    area, geom = shapely.STRtree(geoms).query(np.atleast_1d(areas), predicate=predicate)
    order = np.lexsort((geom, area))
    return area[order], geom[order]


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid in km² (orientation-independent)."""
    area_m2, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area_m2) / 1e6
