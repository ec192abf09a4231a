"""Distances from many points to territories and sites: exact, vectorized, in chunks.

For each target a point gets three columns: ``to_<T>_km`` (the ellipsoidal geodesic
distance, 0 inside a territory), and ``to_<T>_lon`` / ``to_<T>_lat`` (the nearest point of
the territory, or the site itself). ``<T>`` is a territory code (``BY``, ``LT``,
``RU-KGD``) or a site's id (``astravets_npp``); other places are named by their
coordinates. One function measures a chunk (:func:`measure_chunk`); it runs in this
process, chunk by chunk, or on the workers of a dask cluster (:func:`measure_chunks`,
:func:`add_distances_dask`) with identical results.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoInputError, InputError
from geo.locate import locate
from geo.measure import M_PER_KM, distance_m
from geo.territories import distance_to_territory, resolve_territory

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "CHUNK_POINTS",
    "Target",
    "add_distances",
    "add_distances_dask",
    "check_columns",
    "dask_client",
    "distance_columns",
    "measure_chunk",
    "measure_chunks",
    "point_coordinates",
    "targets",
]

CHUNK_POINTS = 50_000  # points per vectorized call: bounds memory, paces the progress bar
_LABEL = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Target:
    """What distances are measured to: a territory (``code``) or a place (``lon``, ``lat``).

    Examples
    --------
    >>> Target("BY", "BY", code="BY").columns
    ('to_BY_km', 'to_BY_lon', 'to_BY_lat')
    """

    label: str
    name: str
    code: str | None = None
    lon: float = np.nan
    lat: float = np.nan

    @property
    def columns(self) -> tuple[str, str, str]:
        """The three output columns: distance (km), nearest lon, nearest lat."""
        return (f"to_{self.label}_km", f"to_{self.label}_lon", f"to_{self.label}_lat")


def targets(countries: Iterable[str] = (), places: Iterable[str] = ()) -> list[Target]:
    """Resolve country names or codes and place names (or coordinates) into targets.

    Raises
    ------
    InputError
        For an unknown country (:class:`~geo.errors.UnknownNameError`) or place
        (:class:`~geo.errors.GeoInputError`), naming the closest, or no target at all.

    Examples
    --------
    A site is labelled by its id, typed coordinates by themselves:

    >>> [t.label for t in targets(["Belarus"], ["Vilnius", "54.5, 25.25"])]
    ['BY', 'vilnius', '54.50000_25.25000']
    >>> targets()
    Traceback (most recent call last):
    ...
    geo.errors.InputError: no target: give at least one country or place to measure to
    """
    found = [Target(code, code, code=code) for code in map(resolve_territory, countries)]
    for text in places:
        place = locate(text)
        label = place.ref if place.kind != "point" else f"{place.lat:.5f}_{place.lon:.5f}"
        found.append(Target(_LABEL.sub("_", label), place.name, lon=place.lon, lat=place.lat))
    if not found:
        raise InputError("no target: give at least one country or place to measure to")
    labels = [t.label for t in found]
    if len(set(labels)) < len(labels):
        raise InputError(f"a target is given twice: {', '.join(labels)}")
    return found


def distance_columns(lons: np.ndarray, lats: np.ndarray, to: Sequence[Target]) -> pd.DataFrame:
    """The distance and nearest-point columns of each target for points, one pass each.

    Parameters
    ----------
    lons, lats : numpy.ndarray
        The points, in degrees.
    to : sequence of Target
        From :func:`targets`.

    Returns
    -------
    pandas.DataFrame
        ``3 × len(to)`` float columns (see :attr:`Target.columns`), one row per point.

    Examples
    --------
    Vilnius and Minsk to Belarus (Minsk is inside it: 0 km, its own nearest point):

    >>> cols = distance_columns([25.2798, 27.56653], [54.68916, 53.90019], targets(["BY"]))
    >>> cols.round(5).to_numpy().tolist()
    [[29.05678, 25.73021, 54.68282], [0.0, 27.56653, 53.90019]]
    >>> len(distance_columns([], [], targets(["BY"])))
    0
    """
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    out: dict[str, np.ndarray] = {}
    for target in to:
        km, lon, lat = target.columns
        if target.code is not None:
            near = distance_to_territory(lons, lats, target.code)
            out[km], out[lon], out[lat] = near.distance_m / M_PER_KM, near.lon, near.lat
        else:
            out[km] = distance_m(lons, lats, target.lon, target.lat) / M_PER_KM
            out[lon], out[lat] = np.full(len(lons), target.lon), np.full(len(lons), target.lat)
    return pd.DataFrame(out)


def measure_chunk(points: gpd.GeoDataFrame, to: Sequence[Target]) -> gpd.GeoDataFrame:
    """One chunk of points with each target's distance and nearest point added.

    The one function every engine runs on each chunk: :func:`add_distances` and
    :func:`measure_chunks` here, and on a dask worker (``engine="dask"``).

    Examples
    --------
    >>> points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([25.2798], [54.68916]), crs=4326)
    >>> measure_chunk(points, targets(["BY"]))["to_BY_km"].round(5).tolist()
    [29.05678]
    """
    lons, lats = point_coordinates(points)
    added = distance_columns(lons, lats, to)
    added.index = points.index
    return pd.concat([points, added], axis=1)


def measure_chunks(
    chunks: Iterable[gpd.GeoDataFrame], to: Sequence[Target], *, client: Client | None = None
) -> Iterator[gpd.GeoDataFrame]:
    """:func:`measure_chunk` on each chunk, in order: here, or on a dask cluster.

    Parameters
    ----------
    chunks : iterable of GeoDataFrame
        Point features in EPSG:4326, e.g. a file read chunk by chunk; every chunk is
        checked (:func:`check_columns`, points only) before it is measured.
    to : sequence of Target
        From :func:`targets`.
    client : distributed.Client, optional
        Measure on this dask cluster (:func:`dask_client`): a few chunks per worker are
        in flight at a time, so memory stays bounded as it does here.

    Yields
    ------
    GeoDataFrame
        Each chunk with its distance columns, in the order the chunks came.

    Examples
    --------
    >>> points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([25.2798, 27.56653],
    ...                           [54.68916, 53.90019]), crs=4326)
    >>> parts = measure_chunks([points.iloc[:1], points.iloc[1:]], targets(["BY"]))
    >>> [p["to_BY_km"].round(5).tolist() for p in parts]
    [[29.05678], [0.0]]
    """
    checked = (_checked(chunk, to) for chunk in chunks)
    if client is None:
        yield from (measure_chunk(chunk, to) for chunk in checked)
        return
    ahead = 2 * max(len(client.scheduler_info()["workers"]), 1)
    flying: deque[Future] = deque()
    for chunk in checked:
        flying.append(client.submit(measure_chunk, chunk, list(to), pure=False))
        if len(flying) >= ahead:
            yield flying.popleft().result()
    while flying:
        yield flying.popleft().result()


def _checked(chunk: gpd.GeoDataFrame, to: Sequence[Target]) -> gpd.GeoDataFrame:
    point_coordinates(chunk)
    check_columns(chunk, to)
    return chunk


def add_distances(
    points: gpd.GeoDataFrame,
    to: Sequence[Target],
    *,
    chunk: int = CHUNK_POINTS,
    progress: Callable[[int], None] | None = None,
) -> gpd.GeoDataFrame:
    """A copy of ``points`` with each target's distance and nearest point added.

    Parameters
    ----------
    points : GeoDataFrame
        Point features in EPSG:4326 (the caller's frame is not changed).
    to : sequence of Target
        From :func:`targets`.
    chunk : int, optional
        Points per vectorized call (:func:`measure_chunk`).
    progress : callable, optional
        Called with the number of points done after each chunk (e.g. a progress bar's
        ``update``).

    Raises
    ------
    GeoInputError
        If a geometry is not a single point.
    InputError
        If an output column is already there.

    Examples
    --------
    >>> points = gpd.GeoDataFrame({"name": ["Vilnius", "Minsk"]}, crs=4326,
    ...                           geometry=gpd.points_from_xy([25.2798, 27.56653],
    ...                                                       [54.68916, 53.90019]))
    >>> out = add_distances(points, targets(["BY"], ["Vilnius"]))
    >>> out[["to_BY_km", "to_vilnius_km"]].round(5).to_numpy().tolist()
    [[29.05678, 0.0], [0.0, 172.85045]]
    >>> list(points.columns)  # the caller's frame is not changed
    ['name', 'geometry']
    """
    _checked(points, to)
    parts = []
    for part in measure_chunks(_slices(points, chunk), to):
        parts.append(part)
        if progress is not None:
            progress(len(part))
    return pd.concat(parts) if parts else measure_chunk(points, to)


def _slices(points: gpd.GeoDataFrame, chunk: int) -> Iterator[gpd.GeoDataFrame]:
    return (points.iloc[start : start + chunk] for start in range(0, len(points), chunk))


def point_coordinates(points: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The points' longitudes and latitudes; every geometry must be a single point.

    Examples
    --------
    >>> points = gpd.GeoDataFrame(geometry=[shapely.Point(25.0, 54.0)], crs=4326)
    >>> [c.tolist() for c in point_coordinates(points)]
    [[25.0], [54.0]]
    >>> point_coordinates(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=4326))
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: feature 1 is a Polygon, not a point: distances are measured from
    points (one per row)
    """
    geoms = points.geometry.to_numpy()
    not_point = shapely.get_type_id(geoms) != 0
    if not_point.any():
        first = int(np.argmax(not_point))
        kind = shapely.get_type_id(geoms[first])
        raise GeoInputError(
            f"feature {first + 1} is a {shapely.GeometryType(kind).name.title()}, not a point: "
            "distances are measured from points (one per row)"
        )
    return shapely.get_x(geoms), shapely.get_y(geoms)


def check_columns(points: pd.DataFrame, to: Sequence[Target]) -> None:
    """Refuse output columns the input already has (nothing of the input is overwritten).

    Examples
    --------
    >>> check_columns(pd.DataFrame({"name": []}), targets(["BY"]))  # no clash: None
    >>> check_columns(pd.DataFrame({"TO_BY_KM": []}), targets(["BY"]))
    Traceback (most recent call last):
    ...
    geo.errors.InputError: the input already has column 'to_BY_km': rename it, or measure to
    another target
    """
    taken = {str(c).lower() for c in points.columns}
    clash = [c for t in to for c in t.columns if c.lower() in taken]
    if clash:
        raise InputError(
            f"the input already has column {clash[0]!r}: rename it, or measure to another target"
        )


@contextmanager
def dask_client(scheduler: str | None = None) -> Iterator[Client]:
    """A dask client: on ``scheduler`` (``tcp://host:8786``), or on a local cluster of one
    single-threaded worker process per core, without a dashboard; closed on leaving.

    Examples
    --------
    Not run as a doctest (a local cluster takes seconds to start):

    >>> with dask_client() as client:  # doctest: +SKIP
    ...     parts = list(measure_chunks(chunks, targets(["BY"]), client=client))
    """
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def add_distances_dask(
    points: gpd.GeoDataFrame,
    to: Sequence[Target],
    *,
    chunk: int = CHUNK_POINTS,
    scheduler: str | None = None,
) -> gpd.GeoDataFrame:
    """:func:`add_distances` on a dask cluster: :func:`measure_chunk` on each chunk.

    Results are identical to the in-process path. Worth it when one machine is not
    enough: a cluster at hand (``scheduler``).

    Parameters
    ----------
    points : GeoDataFrame
        Point features in EPSG:4326.
    to : sequence of Target
        From :func:`targets`.
    chunk : int, optional
        Points per task.
    scheduler : str, optional
        A dask scheduler's address; default: a local cluster (:func:`dask_client`).

    Examples
    --------
    Not run as a doctest (a local cluster takes seconds to start; ``tests/test_batch.py``
    checks that the figures equal :func:`add_distances`'):

    >>> points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([25.2798], [54.68916]), crs=4326)
    >>> out = add_distances_dask(points, targets(["BY"]))  # doctest: +SKIP
    >>> round(float(out["to_BY_km"][0]), 5)  # doctest: +SKIP
    29.05678
    """
    _checked(points, to)
    with dask_client(scheduler) as client:
        parts = list(measure_chunks(_slices(points, chunk), to, client=client))
    return pd.concat(parts) if parts else measure_chunk(points, to)
