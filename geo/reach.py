"""What a ring or an area reaches: places inside, countries touched, geodesic area."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.data import sites, territories, towns
from geo.errors import GeoInputError
from geo.measure import GEOD, M_PER_KM, inverse

__all__ = [
    "CITY_KINDS",
    "TOWN_THRESHOLD",
    "PeopleInTowns",
    "SiteDistance",
    "countries_touched",
    "countries_touched_each",
    "geodesic_area_km2",
    "nearest_sites",
    "people_in_towns",
    "people_in_towns_each",
    "site_distances",
    "sites_within",
    "sites_within_each",
]

# The places a briefer cares about when asking what a ring reaches.
CITY_KINDS = ("capital", "admin_centre", "city")
TOWN_THRESHOLD = 5000  # the smallest places towns.csv holds in full (GeoNames cities5000)


@dataclass(frozen=True)
class SiteDistance:
    """A curated site with its geodesic distance and bearing from some point.

    Examples
    --------
    >>> SiteDistance("minsk", "Minsk", "capital", 172.85, 119.6).distance_km
    172.85
    """

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

    Examples
    --------
    From Vilnius (a site itself, at 0 km, its azimuth that of coincident points):

    >>> rows = site_distances(25.2798, 54.68916).head(3)
    >>> rows[["id", "distance_km", "azimuth_deg"]].round(3).to_numpy().tolist()
    [['vilnius', 0.0, 180.0], ['alytus', 86.701, 248.376], ['kaunas', 91.277, 285.572]]

    From the North Pole every azimuth is measured from the meridian given (0°):

    >>> site_distances(0.0, 90.0).head(1)[["id", "distance_km"]].round(3).to_numpy().tolist()
    [['murmansk', 2348.135]]
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

    Examples
    --------
    >>> [(s.name, round(s.distance_km, 3)) for s in nearest_sites(25.2798, 54.68916, n=2,
    ...                                                          exclude=("vilnius",))]
    [('Alytus', 86.701), ('Kaunas', 91.277)]
    >>> [s.name for s in nearest_sites(25.2798, 54.68916, country="BY", n=2)]
    ['Grodno', 'Minsk']
    >>> nearest_sites(25.2798, 54.68916, n=0)
    []
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
    """Curated sites of the given kinds that lie inside (or on) an area.

    Examples
    --------
    >>> from geo.rings import ring
    >>> sites_within(ring(26.12, 54.761944, 100_000))["name"].tolist()  # Astravets NPP
    ['Vilnius', 'Utena']
    >>> sites_within(shapely.Polygon())["name"].tolist()
    []
    """
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

    Examples
    --------
    >>> from geo.rings import rings
    >>> held = sites_within_each(rings(26.12, 54.761944, [50_000, 100_000]))
    >>> [h["name"].tolist() for h in held]
    [[], ['Vilnius', 'Utena']]
    """
    rows = sites()[sites()["kind"].isin(kinds)]
    area, site = _pairs(areas, rows.geometry.to_numpy(), "covers")
    return [rows.iloc[site[area == i]] for i in range(len(np.atleast_1d(areas)))]


def countries_touched(area: BaseGeometry) -> list[str]:
    """Codes of the territories an area overlaps, in ``countries.csv`` order.

    Examples
    --------
    >>> from geo.rings import ring
    >>> countries_touched(ring(26.12, 54.761944, 50_000))  # 50 km around Astravets NPP
    ['BY', 'LT']
    >>> countries_touched(ring(180.0, 0.0, 100_000)), countries_touched(shapely.Polygon())
    ([], [])
    """
    return countries_touched_each([area])[0]


def countries_touched_each(areas: ArrayLike) -> list[list[str]]:
    """:func:`countries_touched` for many areas: one matrix of prepared intersection tests.

    Examples
    --------
    >>> countries_touched_each([shapely.box(23.0, 54.0, 24.0, 54.5), shapely.Point(0.0, 0.0)])
    [['LT', 'PL'], []]
    >>> countries_touched_each([])
    []
    """
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
    """Area on the WGS84 ellipsoid in km² (orientation-independent).

    Examples
    --------
    A 1° cell on the equator; a 500 km disc has nearly the same area at 54°N and around
    the North Pole (π r² less 0.05% for the Earth's curvature and 0.01% for the
    256-gon); an empty polygon has none:

    >>> round(geodesic_area_km2(shapely.box(0.0, 0.0, 1.0, 1.0)), 3)
    12308.778
    >>> from geo.rings import ring
    >>> [round(geodesic_area_km2(ring(lon, lat, 500_000))) for lon, lat in [(25, 54), (0, 90)]]
    [784918, 784920]
    >>> geodesic_area_km2(shapely.Polygon())
    0.0
    """
    area_m2, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area_m2) / 1e6


@dataclass(frozen=True)
class PeopleInTowns:
    """People living in the towns an area holds: a floor, never a total population.

    Attributes
    ----------
    people : int
        The sum of the towns' GeoNames populations.
    towns : int
        How many towns.
    min_population : int
        The smallest town counted.

    Examples
    --------
    >>> PeopleInTowns(12_500, 2, 5000).label
    'people in towns of ≥ 5,000: 12,500 (2 towns)'
    """

    people: int
    towns: int
    min_population: int

    @property
    def label(self) -> str:
        """How the figure is to be shown: what it counts is part of it."""
        plural = "town" if self.towns == 1 else "towns"
        return (
            f"people in towns of ≥ {self.min_population:,}: {self.people:,} ({self.towns} {plural})"
        )


def people_in_towns_each(
    areas: ArrayLike, *, min_population: int = TOWN_THRESHOLD
) -> list[PeopleInTowns]:
    """People in the towns (``data/towns.csv``, GeoNames) inside each area.

    It counts only places of ``min_population`` or more, at their GeoNames point: a
    town whose point is outside the area counts for nothing, one inside for all its
    people. Villages and the countryside are not in the data; the figure is a floor.

    Parameters
    ----------
    areas : array_like of shapely geometry
        Areas in lon/lat (rings, fans, corridors).
    min_population : int, optional
        The smallest town counted, 5,000 or more (the data's threshold).

    Returns
    -------
    list of PeopleInTowns

    Raises
    ------
    GeoInputError
        For a threshold below the data's 5,000.

    Examples
    --------
    >>> from geo.rings import rings
    >>> [p.towns for p in people_in_towns_each(rings(27.56667, 53.9, [5_000, 30_000]))]
    [1, 7]
    """
    if not (isinstance(min_population, int | np.integer) and min_population >= TOWN_THRESHOLD):
        raise GeoInputError(
            f"a town threshold must be a whole number of people, {TOWN_THRESHOLD:,} or more "
            f"(the data holds no smaller towns in full), got {min_population!r}"
        )
    points, population = _town_points()
    big = population >= min_population
    area, town = _pairs(areas, points, "covers")
    keep = big[town]
    area, town = area[keep], town[keep]
    n = len(np.atleast_1d(areas))
    people = np.bincount(area, weights=population[town], minlength=n)
    count = np.bincount(area, minlength=n)
    return [PeopleInTowns(int(people[i]), int(count[i]), int(min_population)) for i in range(n)]


def people_in_towns(area: BaseGeometry, *, min_population: int = TOWN_THRESHOLD) -> PeopleInTowns:
    """:func:`people_in_towns_each` for one area.

    Examples
    --------
    >>> people_in_towns(shapely.Polygon()).label
    'people in towns of ≥ 5,000: 0 (0 towns)'
    """
    return people_in_towns_each([area], min_population=min_population)[0]


@lru_cache(maxsize=1)
def _town_points() -> tuple[np.ndarray, np.ndarray]:
    rows = towns()
    return shapely.points(rows["lon"], rows["lat"]), rows["population"].to_numpy(dtype=np.int64)
