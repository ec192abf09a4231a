"""Exact geodesic distance from points to a geometry, and between two geometries.

"Exact" means: the geometry's boundary as defined by its vertices, each segment
straight in the azimuthal-equidistant frame centred on the query point (where
distance and azimuth from the point are exact geodesics). :meth:`BoundaryIndex.query`
answers every point at once:

1. **Upper bound.** A ``shapely.STRtree`` over the segments' first vertices in the
   regional Lambert azimuthal equal-area projection gives, for all points in one
   call, the planar-nearest vertex. Its exact distance (``Geod.inv``) is an upper
   bound ``U`` on the answer, as any boundary point's is. The projection only
   makes ``U`` tight; nothing relies on its accuracy.
   Points outside the region take the smallest exact distance to a few dozen
   spread-out vertices instead.
2. **Candidates.** Every segment that could be nearer than ``U`` is found in a
   tree of balls in Earth-centred 3D coordinates (runs of 4 segments, then runs of
   4 runs, ...), descended for all points together with numpy. The bound is sound
   without any projection: a geodesic is never shorter than the arc of the same
   chord ``c`` on a sphere of radius ``ρ = a²/b``, the ellipsoid's largest radius
   of curvature (the ellipsoid is everywhere at least as curved as that sphere, on
   which equality holds), i.e. ``s ≥ 2ρ·asin(c / 2ρ)``. So a segment whose 3D distance
   from the point exceeds ``2ρ·sin(U / 2ρ)`` plus the segment's sag (a margin of
   ``2 L²/ρ_min``, several times the bulge of a segment between its vertices)
   cannot hold the nearest point. ``ρ`` carries a further 1e-4 relative margin and
   every bound 1 mm; both inequalities are checked against ``pyproj.Geod`` in the
   tests. Near the antipode the equidistant frame bends segments strongly, so a
   point more than 15,000 km from the boundary checks every segment.
3. **Exact refinement.** One ``Geod.inv`` over the candidates' vertices gives
   their distance and azimuth from the point, i.e. their azimuthal-equidistant
   coordinates; the nearest point of each segment to the origin is computed in
   closed form, the minimum taken per point, and one ``Geod.fwd`` maps the
   nearest points back to ``(lon, lat)``.

Points inside a polygon are at distance 0 and are their own nearest point.
``bench/reference.py`` keeps the former one-point-at-a-time method (32-vertex pieces,
planar search radius ``1.1 d + 1 km``) as the reference the tests and benchmarks
compare with.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property

import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.measure import GEOD, M_PER_KM, Measurement, _check_points, _none_for_nan, inverse
from geo.projections import REGIONAL, project

__all__ = [
    "REGION_BOUNDS",
    "BoundaryIndex",
    "Nearest",
    "NearestPoint",
    "ShortestLine",
    "chord_bound_m",
    "distance_to_geometry",
    "nearest_point",
    "planar_distance",
    "shortest_line",
]

# Region of the product: the index's projection is trustworthy inside this box.
REGION_BOUNDS = (5.5, 43.5, 45.0, 70.5)
_INDEX_MARGIN_DEG = 5.0
_PIECE_VERTICES = 32

_A_M, _B_M = GEOD.a, GEOD.b
_E2 = 1.0 - (_B_M / _A_M) ** 2
_RHO_MAX_M = _A_M**2 / _B_M * (1.0 + 1e-4)  # largest radius of curvature, with margin
_RHO_MIN_M = _B_M**2 / _A_M  # smallest radius of curvature
_BOUND_SLACK_M = 1e-3
# A segment's points (straight in the query point's equidistant frame) lie within
# ``_SAG_FACTOR * L**2 / ρ_min`` of its 3D chord: measured at most 0.72 of that without
# the factor for points up to 15,000 km away; beyond, every segment is a candidate.
_SAG_FACTOR = 2.0
_ALL_SEGMENTS_BEYOND_M = 15_000_000.0
_BRANCH = 4  # children per ball in the 3D ball tree
_TOP_BALLS = 64  # the coarsest level has at most this many balls
_ANCHORS = 64  # vertices measured for the upper bound of points outside the region
_CHUNK_POINTS = 16384  # points per descent, to keep the candidate arrays small


@dataclass(frozen=True)
class Nearest:
    """Distances from points to a geometry and the nearest points on it, as arrays.

    What :meth:`BoundaryIndex.query` returns, one entry per query point; for one point,
    :func:`nearest_point` returns a :class:`NearestPoint` of plain floats instead.

    Examples
    --------
    >>> square = shapely.box(24.0, 54.0, 25.0, 55.0)
    >>> near = distance_to_geometry([24.5, 26.0], [54.5, 54.5], square)
    >>> near.distance_m.round(3)
    array([    0.   , 64783.625])
    >>> near.lon.round(6), near.lat.round(6)
    (array([24.5     , 25.000025]), array([54.5     , 54.504135]))
    """

    distance_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


@dataclass(frozen=True)
class NearestPoint:
    """One point to a geometry: the geodesic distance, the nearest point, the azimuths.

    The scalar counterpart of :class:`Nearest`, returned by :func:`nearest_point`; every
    field is a plain float.

    Attributes
    ----------
    distance_m : float
        Geodesic distance on the WGS84 ellipsoid in metres, as :meth:`BoundaryIndex.query`
        finds it; 0 for a point inside a polygon or on the geometry.
    nearest_lon, nearest_lat : float
        The nearest point of the geometry in degrees; the point itself at distance 0.
    azimuth_deg : float
        Initial azimuth of the geodesic from the point to the nearest point, 0–360°
        clockwise from north; NaN at distance 0, where there is no direction.
    back_azimuth_deg : float
        Azimuth at the nearest point back toward the point, 0–360°; NaN at distance 0.

    Examples
    --------
    >>> near = NearestPoint(1500.0, 25.0, 54.5, 90.0, 270.0)
    >>> near.distance_km, near.inside
    (1.5, False)
    >>> at_zero = NearestPoint(0.0, 25.0, 54.5, float("nan"), float("nan"))
    >>> at_zero.inside, at_zero.to_dict()["azimuth_deg"]
    (True, None)
    """

    distance_m: float
    nearest_lon: float
    nearest_lat: float
    azimuth_deg: float
    back_azimuth_deg: float

    @property
    def distance_km(self) -> float:
        """The distance in kilometres."""
        return self.distance_m / M_PER_KM

    @property
    def inside(self) -> bool:
        """Whether the point lies in the geometry (inside a polygon, or on it): distance 0."""
        return self.distance_m == 0.0

    def measurement(self) -> Measurement:
        """The distance in km, mi and nmi with the azimuths, as :func:`geo.measure.measure` has.

        Examples
        --------
        >>> NearestPoint(1852.0, 25.0, 54.5, 90.0, 270.0).measurement().distance_nmi
        1.0
        """
        return Measurement.from_distance_m(self.distance_m, self.azimuth_deg, self.back_azimuth_deg)

    def to_dict(self) -> dict[str, float | str | None]:
        """Return the fields as a plain dict; a NaN azimuth (distance 0) is None.

        Examples
        --------
        >>> NearestPoint(0.0, 25.0, 54.5, float("nan"), float("nan")).to_dict()
        {'distance_m': 0.0, 'nearest_lon': 25.0, 'nearest_lat': 54.5, 'azimuth_deg': None,
        'back_azimuth_deg': None}
        """
        return _none_for_nan(asdict(self))


def _boundary_parts(geom: BaseGeometry) -> np.ndarray:
    lines = geom.boundary if geom.geom_type.endswith("Polygon") else geom
    return shapely.get_parts(lines)


def _boundary_pieces(geom: BaseGeometry) -> np.ndarray:
    """Split the boundary (or the lines, or the points) of ``geom`` into short LineStrings."""
    chunks: list[np.ndarray] = []
    for part in _boundary_parts(geom):
        coords = shapely.get_coordinates(part)
        if len(coords) == 1:  # a point: a zero-length piece
            coords = np.vstack([coords, coords])
        for start in range(0, len(coords) - 1, _PIECE_VERTICES):
            chunks.append(coords[start : start + _PIECE_VERTICES + 1])
    if not chunks:
        return np.array([], dtype=object)
    index = np.repeat(np.arange(len(chunks)), [len(c) for c in chunks])
    return shapely.linestrings(np.vstack(chunks), indices=index)


def _boundary_segments(geom: BaseGeometry) -> np.ndarray:
    """Every segment of the boundary as an ``(n, 4)`` array of lon1, lat1, lon2, lat2."""
    out = []
    for part in _boundary_parts(geom):
        coords = shapely.get_coordinates(part)
        if len(coords) == 1:  # a point: a zero-length segment
            coords = np.vstack([coords, coords])
        out.append(np.hstack([coords[:-1], coords[1:]]))
    return np.vstack(out) if out else np.empty((0, 4))


def _ecef(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Earth-centred Cartesian coordinates (metres) of points on the WGS84 ellipsoid."""
    lam, phi = np.radians(lons), np.radians(lats)
    sin_phi, cos_phi = np.sin(phi), np.cos(phi)
    n = _A_M / np.sqrt(1.0 - _E2 * sin_phi**2)
    return np.column_stack(
        [n * cos_phi * np.cos(lam), n * cos_phi * np.sin(lam), n * (1.0 - _E2) * sin_phi]
    )


def chord_bound_m(distance_m: ArrayLike) -> np.ndarray:
    """Largest 3D chord of two ellipsoid points at most ``distance_m`` apart along a geodesic.

    Inverts ``s ≥ 2ρ·asin(c / 2ρ)`` (see the module docstring) with 1 mm to spare.

    Parameters
    ----------
    distance_m : float or array_like
        Geodesic distances in metres.

    Returns
    -------
    ndarray
        Chord lengths in metres (``inf`` past half the sphere's circumference).

    Examples
    --------
    At most the distance itself (plus 1 mm), a little less over long distances, and
    unbounded past half the circumference:

    >>> chord_bound_m([0.0, 1_000.0, 1_000_000.0, 21_000_000.0]).round(3)
    array([1.00000000e-03, 1.00000100e+03, 9.98983133e+05,            inf])
    """
    s = np.asarray(distance_m, dtype=float)
    half = np.minimum(s, np.pi * _RHO_MAX_M) / (2.0 * _RHO_MAX_M)
    chord = 2.0 * _RHO_MAX_M * np.sin(half) + _BOUND_SLACK_M
    return np.where(s < np.pi * _RHO_MAX_M, chord, np.inf)


def _in_region(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    west, south, east, north = REGION_BOUNDS
    m = _INDEX_MARGIN_DEG
    return (lons >= west - m) & (lons <= east + m) & (lats >= south - m) & (lats <= north + m)


def _local_nearest(
    lons: np.ndarray, lats: np.ndarray, segments: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest point of each segment to each point, in the point's equidistant frame.

    Row ``i`` pairs point ``(lons[i], lats[i])`` with ``segments[i]``. Returns the
    distance in metres and the nearest point's frame coordinates ``x`` (east), ``y``.
    """
    n = len(lons)
    az, _, dist = GEOD.inv(
        np.concatenate([lons, lons]),
        np.concatenate([lats, lats]),
        np.concatenate([segments[:, 0], segments[:, 2]]),
        np.concatenate([segments[:, 1], segments[:, 3]]),
    )
    az_rad = np.radians(az)
    x, y = dist * np.sin(az_rad), dist * np.cos(az_rad)
    x1, y1, dx, dy = x[:n], y[:n], x[n:] - x[:n], y[n:] - y[:n]
    length2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0.0, -(x1 * dx + y1 * dy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    xn, yn = x1 + t * dx, y1 + t * dy
    return np.hypot(xn, yn), xn, yn


class _BallTree:
    """Balls in Earth-centred coordinates over runs of consecutive segments.

    ``levels[0]`` is the coarsest; the children of ball ``j`` are balls (or, below the
    last level, segments) ``j * _BRANCH`` to ``j * _BRANCH + _BRANCH - 1``.
    """

    def __init__(self, segments: np.ndarray) -> None:
        self.start = _ecef(segments[:, 0], segments[:, 1])
        self.end = _ecef(segments[:, 2], segments[:, 3])
        length = np.linalg.norm(self.end - self.start, axis=1)
        self.sag = _SAG_FACTOR * length**2 / _RHO_MIN_M + _BOUND_SLACK_M
        centre, radius = (self.start + self.end) / 2.0, length / 2.0 + self.sag
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []
        while len(centre) > _TOP_BALLS:
            centre, radius = self._parents(centre, radius)
            self.levels.insert(0, (centre, radius))

    @staticmethod
    def _parents(centre: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        starts = np.arange(0, len(centre), _BRANCH)
        counts = np.diff(np.append(starts, len(centre)))
        parent = np.add.reduceat(centre, starts, axis=0) / counts[:, None]
        reach = np.linalg.norm(centre - np.repeat(parent, counts, axis=0), axis=1) + radius
        return parent, np.maximum.reduceat(reach, starts)

    def candidates(self, xyz: np.ndarray, chord_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs ``(point, segment)`` where the segment may lie within ``chord_m`` in 3D."""
        sizes = [len(c) for c, _ in self.levels] + [len(self.start)]
        point = np.repeat(np.arange(len(xyz)), sizes[0])
        node = np.tile(np.arange(sizes[0]), len(xyz))
        for (centre, radius), n_next in zip(self.levels, sizes[1:], strict=True):
            gap = xyz[point] - centre[node]
            keep = np.einsum("ij,ij->i", gap, gap) <= (chord_m[point] + radius[node]) ** 2
            child = (node[keep][:, None] * _BRANCH + np.arange(_BRANCH)).ravel()
            point = np.repeat(point[keep], _BRANCH)
            valid = child < n_next
            point, node = point[valid], child[valid]
        return self._near_segments(xyz, chord_m, point, node)

    def _near_segments(
        self, xyz: np.ndarray, chord_m: np.ndarray, point: np.ndarray, seg: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        a, ab = self.start[seg], self.end[seg] - self.start[seg]
        ap = xyz[point] - a
        length2 = np.einsum("ij,ij->i", ab, ab)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(length2 > 0.0, np.einsum("ij,ij->i", ap, ab) / length2, 0.0)
        off = ap - np.clip(t, 0.0, 1.0)[:, None] * ab
        keep = np.einsum("ij,ij->i", off, off) <= (chord_m[point] + self.sag[seg]) ** 2
        return point[keep], seg[keep]


class BoundaryIndex:
    """Answer exact point-to-geometry distance queries for one geometry.

    Parameters
    ----------
    geom : shapely geometry
        Polygonal, lineal or point geometry in EPSG:4326 ``(lon, lat)``. A point
        inside a polygon is at distance 0 from it.

    Raises
    ------
    GeoInputError
        If the geometry is empty or None.

    Examples
    --------
    >>> index = BoundaryIndex(shapely.box(24.0, 54.0, 25.0, 55.0))
    >>> index.query([26.0, 24.5], [54.5, 54.5]).distance_m.round(3)
    array([64783.625,     0.   ])
    >>> BoundaryIndex(None)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: cannot measure distance to an empty geometry
    """

    def __init__(self, geom: BaseGeometry) -> None:
        if geom is None or geom.is_empty:
            raise GeoInputError("cannot measure distance to an empty geometry")
        self.geom = geom
        shapely.prepare(self.geom)
        self.pieces = _boundary_pieces(geom)
        self.segments = _boundary_segments(geom)

    @cached_property
    def _tree(self) -> shapely.STRtree:
        """Planar index over the 32-vertex pieces (for :func:`shortest_line`)."""
        return shapely.STRtree(project(self.pieces, REGIONAL))

    @cached_property
    def _start_tree(self) -> shapely.STRtree:
        """Planar index over the segments' first vertices in the regional projection."""
        x, y = REGIONAL.transform(self.segments[:, 0], self.segments[:, 1])
        return shapely.STRtree(shapely.points(x, y))

    @cached_property
    def _balls(self) -> _BallTree:
        return _BallTree(self.segments)

    def query(self, lons: ArrayLike, lats: ArrayLike) -> Nearest:
        """Nearest point of the geometry and its geodesic distance, per point.

        Parameters
        ----------
        lons, lats : float or array_like
            Query points in degrees.

        Returns
        -------
        Nearest
            Arrays of distance in metres and of the nearest point's lon and lat.

        Examples
        --------
        >>> index = BoundaryIndex(shapely.box(24.0, 54.0, 25.0, 55.0))
        >>> index.query(26.0, 54.5).distance_m.round(3)
        array([64783.625])
        >>> index.query([], []).distance_m
        array([], dtype=float64)
        """
        lons = np.atleast_1d(np.asarray(lons, dtype=float))
        lats = np.atleast_1d(np.asarray(lats, dtype=float))
        dist = np.zeros(lons.shape)
        near_lon, near_lat = lons.copy(), lats.copy()
        outside = np.flatnonzero(~shapely.contains_xy(self.geom, lons, lats))
        for start in range(0, len(outside), _CHUNK_POINTS):
            idx = outside[start : start + _CHUNK_POINTS]
            dist[idx], near_lon[idx], near_lat[idx] = self._query_outside(lons[idx], lats[idx])
        return Nearest(dist, near_lon, near_lat)

    def _query_outside(
        self, lons: np.ndarray, lats: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exact distance and nearest point for points outside the geometry."""
        upper = self._upper_bounds(lons, lats)
        bound = np.where(upper > _ALL_SEGMENTS_BEYOND_M, np.inf, chord_bound_m(upper))
        point, seg = self._balls.candidates(_ecef(lons, lats), bound)
        d, x, y = _local_nearest(lons[point], lats[point], self.segments[seg])
        order = np.lexsort((d, point))
        first = order[np.unique(point[order], return_index=True)[1]]
        d, x, y = d[first], x[first], y[first]
        lon2, lat2, _ = GEOD.fwd(lons, lats, np.degrees(np.arctan2(x, y)), d)
        at_zero = d == 0.0
        return d, np.where(at_zero, lons, lon2), np.where(at_zero, lats, lat2)

    def _upper_bounds(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Exact distance to some boundary vertex: an upper bound on the answer, per point."""
        vertex = np.zeros(len(lons), dtype=np.intp)
        inside = _in_region(lons, lats)
        if inside.any():
            x, y = REGIONAL.transform(lons[inside], lats[inside])
            found = self._start_tree.query_nearest(shapely.points(x, y), all_matches=False)
            vertex[inside] = found[1][np.argsort(found[0])]
        bound = GEOD.inv(lons, lats, *self.segments[vertex, :2].T)[2]
        far = np.flatnonzero(~inside)
        if len(far):
            anchors = self.segments[:: max(1, len(self.segments) // _ANCHORS), :2]
            p, a = np.repeat(far, len(anchors)), np.tile(np.arange(len(anchors)), len(far))
            dist = GEOD.inv(lons[p], lats[p], anchors[a, 0], anchors[a, 1])[2]
            bound[far] = dist.reshape(len(far), len(anchors)).min(axis=1)
        return bound


def distance_to_geometry(lons: ArrayLike, lats: ArrayLike, geom: BaseGeometry) -> Nearest:
    """Exact geodesic distance from points to a geometry, with the nearest points.

    Builds a :class:`BoundaryIndex` for ``geom``; keep and reuse one index when
    querying the same geometry repeatedly.

    Parameters
    ----------
    lons, lats : float or array_like
        Query points in degrees.
    geom : shapely geometry
        Target geometry in EPSG:4326.

    Returns
    -------
    Nearest
        Distances in metres (0 inside a polygon) and nearest points.

    Examples
    --------
    From two points to a line along 54°N (straight in each point's equidistant frame,
    so its middle bulges a little north of the parallel):

    >>> line = shapely.LineString([(24.0, 54.0), (26.0, 54.0)])
    >>> near = distance_to_geometry([25.0, 25.0], [55.0, 54.0], line)
    >>> near.distance_m.round(3), near.lat.round(6)
    (array([110847.409,      0.   ]), array([54.004195, 54.      ]))
    """
    return BoundaryIndex(geom).query(lons, lats)


def nearest_point(lon: float, lat: float, geom: BaseGeometry | BoundaryIndex) -> NearestPoint:
    """Exact geodesic distance from one point to a geometry, with the nearest point of it.

    A scalar in, plain floats out: the one-point form of :meth:`BoundaryIndex.query`
    (the same distance and nearest point), with the azimuths between the point and the
    nearest point from :func:`geo.measure.inverse`.

    Parameters
    ----------
    lon, lat : float
        The point in degrees (latitude in -90…90).
    geom : shapely geometry or BoundaryIndex
        Polygonal, lineal or point geometry in EPSG:4326, not empty; pass an index to
        reuse it.

    Returns
    -------
    NearestPoint
        Distance in metres, nearest point, azimuths; inside a polygon (or on the
        geometry) distance 0, the point itself and NaN azimuths.

    Raises
    ------
    GeoInputError
        If a coordinate is not a finite number or the latitude is beyond ±90.

    Examples
    --------
    A 1° box at 54–55°N: from a point 1° east of it, the nearest point is on its eastern
    edge, due west of the point. The edge is straight in the point's azimuthal-equidistant
    frame (see the module docstring), so it bows 1.6 m east of the meridian it follows:

    >>> square = shapely.box(24.0, 54.0, 25.0, 55.0)
    >>> near = nearest_point(26.0, 54.5, square)
    >>> round(near.distance_m, 3), round(near.nearest_lon, 6), round(near.nearest_lat, 6)
    (64783.625, 25.000025, 54.504135)
    >>> round(near.azimuth_deg, 3), round(near.back_azimuth_deg, 3)
    (270.814, 90.0)

    Inside, the point is its own nearest point and there is no direction:

    >>> nearest_point(24.5, 54.5, square)
    NearestPoint(distance_m=0.0, nearest_lon=24.5, nearest_lat=54.5, azimuth_deg=nan,
    back_azimuth_deg=nan)

    From the North Pole the nearest point is the middle of the northern edge (straight
    in the polar frame, so it bulges 0.0013° north of the parallel). At the pole the
    azimuth is measured from the meridian given for it (0°); -180 and 180 are one
    meridian:

    >>> pole = nearest_point(0.0, 90.0, square)
    >>> round(pole.distance_m, 3), round(pole.nearest_lon, 6), round(pole.nearest_lat, 6)
    (3904586.736, 24.5, 55.001336)
    >>> round(pole.azimuth_deg, 6)
    155.5
    >>> east, west = nearest_point(180.0, 0.0, square), nearest_point(-180.0, 0.0, square)
    >>> round(east.distance_m, 3) == round(west.distance_m, 3) == 13497726.099
    True

    A point that is not a number, or an empty geometry, is refused:

    >>> nearest_point(float("nan"), 54.5, square)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: points (nan, 54.5) are not usable: expected finite lon, lat
    pairs with latitudes in -90…90
    >>> nearest_point(25.0, 54.0, shapely.Polygon())
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: cannot measure distance to an empty geometry
    """
    if np.ndim(lon) or np.ndim(lat):
        raise GeoInputError(
            "one point is two numbers (lon, lat); for arrays of points use "
            "BoundaryIndex.query or geo.territories.distance_to_territory"
        )
    _check_points(lon, lat)
    index = geom if isinstance(geom, BoundaryIndex) else BoundaryIndex(geom)
    near = index.query(lon, lat)
    dist, lon2, lat2 = float(near.distance_m[0]), float(near.lon[0]), float(near.lat[0])
    if dist == 0.0:
        return NearestPoint(0.0, lon2, lat2, np.nan, np.nan)
    _, az, back = inverse(lon, lat, lon2, lat2)
    return NearestPoint(dist, lon2, lat2, float(az), float(back))


@dataclass(frozen=True)
class ShortestLine:
    """The shortest geodesic between two geometries: its end points and its length.

    Examples
    --------
    >>> s = ShortestLine(25.0, 55.0, 26.0, 55.0, 63993.584)
    >>> s.line.wkt
    'LINESTRING (25 55, 26 55)'
    """

    lon1: float
    lat1: float
    lon2: float
    lat2: float
    distance_m: float

    @property
    def line(self) -> shapely.LineString:
        """The end points as a two-vertex LineString (densify before drawing)."""
        return shapely.LineString([(self.lon1, self.lat1), (self.lon2, self.lat2)])


def shortest_line(
    a: BaseGeometry | BoundaryIndex, b: BaseGeometry | BoundaryIndex, *, max_iter: int = 20
) -> ShortestLine:
    """Shortest geodesic between two disjoint geometries (e.g. Kaliningrad and Belarus).

    Starts from the planar shortest line in the regional projection, then
    alternates exact nearest-point queries (a point on ``a`` → nearest on ``b`` →
    nearest on ``a`` …) until the end points move less than 1 mm.

    Parameters
    ----------
    a, b : shapely geometry or BoundaryIndex
        Geometries in EPSG:4326 (pass indexes to reuse them).
    max_iter : int, optional
        Limit on refinement rounds.

    Returns
    -------
    ShortestLine
        End points on ``a`` and ``b`` and the geodesic distance between them.

    Examples
    --------
    Two 1° boxes a degree of longitude apart: meridians converge northward, so their
    northern corners are nearest. Geometries that touch or overlap are 0 m apart:

    >>> west, east = shapely.box(24.0, 54.0, 25.0, 55.0), shapely.box(26.0, 54.0, 27.0, 55.0)
    >>> s = shortest_line(west, east)
    >>> [round(v, 6) for v in (s.lon1, s.lat1, s.lon2, s.lat2)], round(s.distance_m, 3)
    ([25.0, 55.0, 26.0, 55.0], 63993.584)
    >>> shortest_line(west, shapely.box(24.5, 54.5, 26.0, 56.0)).distance_m
    0.0
    """
    ia = a if isinstance(a, BoundaryIndex) else BoundaryIndex(a)
    ib = b if isinstance(b, BoundaryIndex) else BoundaryIndex(b)
    if ia.geom.intersects(ib.geom):
        p = shapely.intersection(ia.geom, ib.geom).representative_point()
        return ShortestLine(p.x, p.y, p.x, p.y, 0.0)
    x, y = shapely.get_coordinates(_planar_shortest_line(ia, ib))[0]
    lon_a, lat_a = REGIONAL.transform(x, y, direction="INVERSE")
    for _ in range(max_iter):
        nb = ib.query(lon_a, lat_a)
        na = ia.query(nb.lon[0], nb.lat[0])
        moved = float(GEOD.inv(lon_a, lat_a, na.lon[0], na.lat[0])[2])
        lon_a, lat_a = float(na.lon[0]), float(na.lat[0])
        if moved < 1e-3:
            break
    # (lon_a, lat_a) is the point of ``a`` nearest to nb's point, so na measures the pair.
    return ShortestLine(lon_a, lat_a, float(nb.lon[0]), float(nb.lat[0]), float(na.distance_m[0]))


def _planar_shortest_line(ia: BoundaryIndex, ib: BoundaryIndex) -> shapely.LineString:
    """The shortest line between two disjoint geometries in the regional projection.

    Their boundaries hold the nearest points: the nearest pair of pieces (one
    ``STRtree.query_nearest``), then GEOS on those two pieces alone. A start for the
    exact refinement; 50x faster than GEOS on the whole geometries.
    """
    pieces_a = project(ia.pieces, REGIONAL)
    (at_a, at_b), dist = ib._tree.query_nearest(pieces_a, return_distance=True, all_matches=False)
    k = int(np.argmin(dist))
    return shapely.shortest_line(pieces_a[at_a[k]], ib._tree.geometries[at_b[k]])


def planar_distance(x: ArrayLike, y: ArrayLike, geom: BaseGeometry) -> np.ndarray:
    """Planar distance from points to a geometry, in the geometry's own coordinates.

    ``shapely.distance`` with an index: the boundary's pieces in an ``STRtree``, 0 inside
    a polygon. Thousands of points to a border of thousands of vertices in milliseconds.

    Parameters
    ----------
    x, y : array_like
        Points in the geometry's coordinates (e.g. metres of a projection).
    geom : shapely geometry
        Polygonal, lineal or point geometry, not empty.

    Returns
    -------
    numpy.ndarray
        One distance per point.

    Examples
    --------
    >>> planar_distance([0.0, 3.0], [0.0, 4.0], shapely.box(-1.0, -1.0, 1.0, 1.0)).round(6)
    array([0.      , 3.605551])
    >>> planar_distance([], [], shapely.Point(0.0, 0.0))
    array([], dtype=float64)
    """
    points = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    (at, _), dist = shapely.STRtree(_boundary_pieces(geom)).query_nearest(
        points, return_distance=True, all_matches=False
    )
    out = np.empty(len(points))
    out[at] = dist
    if geom.geom_type.endswith("Polygon"):
        out[shapely.contains(geom, points)] = 0.0
    return out
