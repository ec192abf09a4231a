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

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Geod

from geo.errors import GeoInputError

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
    """Refuse a pair of points that is not finite or has a latitude beyond ±90."""
    values = np.asarray(lon_lat, dtype=float)
    if not np.isfinite(values).all() or (np.abs(values[1::2]) > 90.0).any():
        shown = ", ".join(f"{v:g}" for v in values)
        raise GeoInputError(
            f"points ({shown}) are not usable: expected finite lon, lat pairs with "
            "latitudes in -90…90"
        )


@dataclass(frozen=True)
class Measurement:
    """One geodesic measurement between two points, in every unit we report."""

    distance_km: float
    distance_mi: float
    distance_nmi: float
    azimuth_deg: float
    back_azimuth_deg: float

    def to_dict(self) -> dict[str, float]:
        """Return the fields as a plain dict (the ``--json`` keys)."""
        return asdict(self)


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
        If a coordinate is not finite or a latitude is beyond ±90.
    """
    _check_points(lon1, lat1, lon2, lat2)
    dist, az, back = inverse(lon1, lat1, lon2, lat2)
    return Measurement(
        distance_km=float(dist) / M_PER_KM,
        distance_mi=float(dist) / M_PER_MI,
        distance_nmi=float(dist) / M_PER_NMI,
        azimuth_deg=float(az),
        back_azimuth_deg=float(back),
    )
