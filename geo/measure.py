"""Geodesic distances and azimuths on the WGS84 ellipsoid, vectorized.

Every function takes scalars or arrays (broadcast like numpy) and returns the same
kind. The one geodesic is :data:`GEOD`; nothing here uses a sphere.

Edge cases, as GeographicLib (through pyproj) defines them:

* longitude is periodic: 180 and -180 are one meridian, and 190 is -170;
* the vectorized functions (:func:`inverse`, :func:`distance_m`, :func:`forward`) give
  NaN where an input is NaN or a latitude is beyond ±90, rather than fail the whole
  array; the scalar ones (:func:`geodesic_path`, :func:`measure`) raise
  :class:`~geo.errors.GeoInputError` instead;
* coincident points are 0 m apart with azimuths 180° out and 0° back (a zero-length
  geodesic heading south): defined and finite, but they carry no direction;
* at a pole the azimuth is measured from the meridian of the longitude given for it;
* for antipodal points several geodesics are equally short (every meridian, for two
  points on the equator); the distance is exact and one of them is chosen.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Geod

from geo.errors import GeoInputError

__all__ = [
    "GEOD",
    "M_PER_KM",
    "M_PER_MI",
    "M_PER_NMI",
    "Measurement",
    "distance_m",
    "forward",
    "geodesic_path",
    "inverse",
    "legs",
    "measure",
]

GEOD = Geod(ellps="WGS84")
M_PER_KM = 1000.0
M_PER_MI = 1609.344
M_PER_NMI = 1852.0


def _broadcast(*values: ArrayLike) -> tuple:
    """Scalars as they are; otherwise arrays of one shape (one site against many points).

    pyproj needs equal lengths; numpy's broadcasting makes views, not copies.
    """
    if all(np.ndim(v) == 0 for v in values):
        return values
    return tuple(np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values)))


def inverse(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve the inverse geodesic problem.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Start and end points in degrees.

    Returns
    -------
    distance_m : ndarray or float
        Ellipsoidal geodesic distance in metres.
    azimuth_deg : ndarray or float
        Initial azimuth at the start toward the end, 0–360° clockwise from north.
    back_azimuth_deg : ndarray or float
        Azimuth at the end back toward the start, 0–360°.

    Examples
    --------
    Vilnius to Minsk, then a degree of the equator across the antimeridian (a × π/180)
    and a quarter meridian from the North Pole:

    >>> [round(float(v), 3) for v in inverse(25.2798, 54.68916, 27.56667, 53.9)]
    [172869.334, 119.605, 301.463]
    >>> [round(float(v), 3) for v in inverse(179.5, 0.0, -179.5, 0.0)]
    [111319.491, 90.0, 270.0]
    >>> [round(float(v), 3) for v in inverse(0.0, 90.0, 0.0, 0.0)]
    [10001965.729, 180.0, 0.0]

    Coincident points: 0 m, heading south and back north. Arrays give arrays, empty
    ones empty arrays, and NaN or a latitude beyond ±90 gives NaN in its place:

    >>> [float(v) for v in inverse(25.0, 54.0, 25.0, 54.0)]
    [0.0, 180.0, 0.0]
    >>> inverse([], [], [], [])[0]
    array([], dtype=float64)
    >>> inverse([25.0, float("nan"), 25.0], 54.0, 26.0, [54.0, 54.0, 95.0])[0].round(3)
    array([65575.229,       nan,       nan])
    """
    az12, az21, dist = GEOD.inv(*_broadcast(lon1, lat1, lon2, lat2))
    return dist, np.mod(az12, 360.0), np.mod(az21, 360.0)


def distance_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> np.ndarray:
    """Ellipsoidal geodesic distance in metres (see :func:`inverse`).

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array_like
        Start and end points in degrees.

    Returns
    -------
    ndarray or float
        Distances in metres.

    Examples
    --------
    One point against many (numpy broadcasting); antipodes on the equator are half a
    meridian apart (the shortest way is over a pole):

    >>> distance_m(25.2798, 54.68916, [27.56667, 25.2798], [53.9, 54.68916]).round(3)
    array([172869.334,      0.   ])
    >>> round(float(distance_m(0.0, 0.0, 180.0, 0.0)), 3)
    20003931.459
    >>> distance_m([], [], [], [])
    array([], dtype=float64)
    """
    return GEOD.inv(*_broadcast(lon1, lat1, lon2, lat2))[2]


def forward(
    lon: ArrayLike, lat: ArrayLike, azimuth_deg: ArrayLike, distance_m: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Solve the direct geodesic problem: where a bearing and distance lead.

    Parameters
    ----------
    lon, lat : float or array_like
        Start points in degrees.
    azimuth_deg : float or array_like
        Initial azimuths in degrees clockwise from north.
    distance_m : float or array_like
        Distances in metres.

    Returns
    -------
    tuple of ndarray
        ``(lon, lat)`` of the end points, longitudes in -180…180.

    Examples
    --------
    100 km east of 54°N 25°E, then across the antimeridian (0.2° of the equator) and
    over the North Pole (111.7 km north of 89°N comes down the other side, at 180°):

    >>> [round(float(v), 6) for v in forward(25.0, 54.0, 90.0, 100_000.0)]
    [26.524718, 53.990329]
    >>> [round(float(v), 6) for v in forward(179.9, 0.0, 90.0, 0.2 * 111_319.490793)]
    [-179.9, 0.0]
    >>> [round(float(v), 6) for v in forward(0.0, 89.0, 0.0, 111_700.0)]
    [180.0, 89.999945]
    >>> forward([], [], [], [])
    (array([], dtype=float64), array([], dtype=float64))
    """
    lon2, lat2, _ = GEOD.fwd(*_broadcast(lon, lat, azimuth_deg, distance_m))
    return lon2, lat2


def geodesic_path(
    lon1: float, lat1: float, lon2: float, lat2: float, *, spacing_m: float = 5000.0
) -> np.ndarray:
    """Points along the geodesic, for drawing it on a map.

    A straight two-vertex line on a Web Mercator map is not the geodesic (tens of km
    off over 1,000 km); densify with this before drawing.

    Longitudes are unwrapped: the path starts at ``lon1`` as given and no step changes
    longitude by more than 180°, so a path across the antimeridian runs on past ±180
    (179° → 181°) and a web map draws it as one line, not one across the whole world.
    Its last longitude is then ``lon2`` ± 360; split the line at the antimeridian (the
    ``antimeridian`` package) before writing RFC 7946 GeoJSON. A step of exactly 180° is
    a pass over a pole. Two equal points give a zero-length path of two equal vertices.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        End points in degrees (latitudes in -90…90).
    spacing_m : float, optional
        Largest gap between consecutive points, above 0.

    Returns
    -------
    ndarray
        ``(n, 2)`` array of ``(lon, lat)``, both end points included.

    Raises
    ------
    GeoInputError
        If a coordinate is not finite, a latitude is beyond ±90 or the spacing not above 0.

    Examples
    --------
    >>> geodesic_path(25.0, 54.0, 26.0, 54.0, spacing_m=25_000).round(6)
    array([[25.      , 54.      ],
           [25.333331, 54.000924],
           [25.666669, 54.000924],
           [26.      , 54.      ]])

    Across the antimeridian the longitudes run on past 180; two equal points give a
    path of two equal vertices:

    >>> geodesic_path(179.0, 0.0, -179.0, 0.0, spacing_m=100_000)[:, 0].round(6)
    array([179.      , 179.666667, 180.333333, 181.      ])
    >>> geodesic_path(25.0, 54.0, 25.0, 54.0)
    array([[25., 54.],
           [25., 54.]])
    >>> geodesic_path(25.0, 54.0, 26.0, float("nan"))
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: points (25, 54, 26, nan) are not usable: expected finite lon, lat
    pairs with latitudes in -90…90
    """
    _check_points(lon1, lat1, lon2, lat2)
    if not (np.isfinite(spacing_m) and spacing_m > 0):
        raise GeoInputError(f"path spacing must be a distance above 0 m, got {spacing_m!r}")
    dist = float(GEOD.inv(lon1, lat1, lon2, lat2)[2])
    n_inner = max(int(np.ceil(dist / spacing_m)) - 1, 0)
    inner = GEOD.npts(lon1, lat1, lon2, lat2, n_inner) if n_inner else []
    path = np.array([(lon1, lat1), *inner, (lon2, lat2)], dtype=float)
    path[:, 0] = np.unwrap(path[:, 0], period=360.0)  # adds whole turns; path[0] as given
    return path


def _check_points(*lon_lat: float) -> None:
    """Refuse points (lon, lat, lon, lat, ...) not finite, not numbers or beyond ±90° latitude."""
    try:
        values = np.asarray(lon_lat, dtype=float)
        usable = np.isfinite(values).all() and not (np.abs(values[1::2]) > 90.0).any()
    except (TypeError, ValueError):  # None, or text
        usable = False
    if not usable:
        shown = ", ".join(f"{v:g}" if isinstance(v, Real) else repr(v) for v in lon_lat)
        raise GeoInputError(
            f"points ({shown}) are not usable: expected finite lon, lat pairs with "
            "latitudes in -90…90"
        )


def _none_for_nan(record: dict[str, Any]) -> dict[str, Any]:
    """A record with every NaN float replaced by None (``null`` in JSON, not ``NaN``)."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in record.items()}


@dataclass(frozen=True)
class Measurement:
    """One geodesic measurement between two points, in every unit we report.

    Attributes
    ----------
    distance_km, distance_mi, distance_nmi : float
        The geodesic distance in kilometres, statute miles and nautical miles.
    azimuth_deg : float
        Initial azimuth at the start toward the end, 0–360° clockwise from north; NaN
        where there is no direction (see :meth:`geo.nearest.NearestPoint.measurement`).
    back_azimuth_deg : float
        Azimuth at the end back toward the start, 0–360°, or NaN as above.

    Examples
    --------
    >>> m = Measurement.from_distance_m(1852.0, 90.0, 270.0)
    >>> m.distance_nmi, m.distance_km, round(m.distance_mi, 4)
    (1.0, 1.852, 1.1508)
    """

    distance_km: float
    distance_mi: float
    distance_nmi: float
    azimuth_deg: float
    back_azimuth_deg: float

    @classmethod
    def from_distance_m(
        cls, distance_m: float, azimuth_deg: float, back_azimuth_deg: float
    ) -> Measurement:
        """A measurement from a distance in metres and the two azimuths in degrees.

        Examples
        --------
        >>> Measurement.from_distance_m(0.0, float("nan"), float("nan")).distance_km
        0.0
        """
        return cls(
            distance_km=float(distance_m) / M_PER_KM,
            distance_mi=float(distance_m) / M_PER_MI,
            distance_nmi=float(distance_m) / M_PER_NMI,
            azimuth_deg=float(azimuth_deg),
            back_azimuth_deg=float(back_azimuth_deg),
        )

    def to_dict(self) -> dict[str, float | None]:
        """Return the fields as a plain dict (the ``--json`` keys); a NaN azimuth is None.

        Examples
        --------
        >>> Measurement.from_distance_m(1000.0, 90.0, 270.0).to_dict()["azimuth_deg"]
        90.0
        >>> no_direction = Measurement.from_distance_m(0.0, float("nan"), float("nan"))
        >>> no_direction.to_dict()["azimuth_deg"] is None
        True
        """
        return _none_for_nan(asdict(self))


def measure(lon1: float, lat1: float, lon2: float, lat2: float) -> Measurement:
    """Measure the geodesic from one point to another.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Start and end points in degrees.

    Returns
    -------
    Measurement
        Distance in km, statute miles and nautical miles, initial and back azimuth.

    Raises
    ------
    GeoInputError
        If a coordinate is not finite, not a number, or a latitude is beyond ±90.

    Examples
    --------
    >>> m = measure(25.2798, 54.68916, 27.56667, 53.9)  # Vilnius to Minsk
    >>> round(m.distance_km, 3), round(m.distance_mi, 3), round(m.distance_nmi, 3)
    (172.869, 107.416, 93.342)
    >>> round(m.azimuth_deg, 2), round(m.back_azimuth_deg, 2)
    (119.61, 301.46)
    >>> round(measure(0.0, 90.0, 123.0, 0.0).distance_km, 6)  # a quarter meridian
    10001.965729
    >>> measure(25.0, 54.0, None, 54.0)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: points (25, 54, None, 54) are not usable: expected finite lon, lat
    pairs with latitudes in -90…90
    """
    _check_points(lon1, lat1, lon2, lat2)
    return Measurement.from_distance_m(*inverse(lon1, lat1, lon2, lat2))


def legs(lons: ArrayLike, lats: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The legs of a route through points in order: each one's geodesic and azimuth.

    Parameters
    ----------
    lons, lats : array_like
        The route's points in degrees, in order (two or more).

    Returns
    -------
    distance_m : ndarray
        Each leg's geodesic length in metres (one fewer than the points).
    azimuth_deg : ndarray
        Each leg's initial azimuth, 0–360°.
    cumulative_m : ndarray
        The distance along the route at each leg's end.

    Raises
    ------
    GeoInputError
        For fewer than two points or a point off the globe.

    Examples
    --------
    Vilnius, Minsk, Orsha: two legs, the route as long as their sum:

    >>> d, az, total = legs([25.2798, 27.56667, 30.4161], [54.68916, 53.9, 54.5081])
    >>> (d / 1000).round(3), az.round(2), (total / 1000).round(3)
    (array([172.869, 197.858]), array([119.61,  68.85]), array([172.869, 370.727]))
    """
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if lons.shape != lats.shape or lons.ndim != 1 or lons.size < 2:
        raise GeoInputError(f"a route needs two or more points, got {lons.size}")
    _check_points(*np.column_stack([lons, lats]).ravel())
    dist, az, _ = inverse(lons[:-1], lats[:-1], lons[1:], lats[1:])
    return dist, az, np.cumsum(dist)
