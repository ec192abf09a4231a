"""Range fans (sectors), radials and lines of bearing, geodesic on the WGS84 ellipsoid.

A fan is what a radar, a launcher or an observation post covers: the area between two
bearings, from a minimum to a maximum range. Its straight edges are geodesics from the
centre (every point on them lies on the geodesic leaving the centre at that azimuth,
solved with :func:`geo.measure.forward`) and its arcs are at a constant geodesic
distance from the centre, like :func:`geo.rings.rings`. A radial is one such geodesic; a
line of bearing is a radial with its own azimuth.

Fans and lines that cross the antimeridian are split there, and fans around a pole are
closed over it, as rings are (:func:`geo.rings._on_the_globe`, the ``antimeridian``
package). Polygons run counter-clockwise (RFC 7946).
"""

from __future__ import annotations

import math

import antimeridian
import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.measure import GEOD, _check_points
from geo.rings import _on_the_globe, validate_radii

__all__ = [
    "ARC_STEP_DEG",
    "EDGE_STEPS",
    "MAX_RADIALS",
    "bearing_lines",
    "fan",
    "radials",
    "span",
]

ARC_STEP_DEG = 360.0 / 256  # arcs sampled as finely as a ring's 256 vertices
EDGE_STEPS = 64  # points along each straight edge and line (a geodesic from the centre)
MAX_RADIALS = 360


def _azimuth(value: float, what: str) -> float:
    try:
        az = float(value)
    except (TypeError, ValueError):
        az = math.nan
    if not math.isfinite(az):
        raise GeoInputError(f"{what} must be a bearing in degrees, got {value!r}")
    return az


def _along(lon: float, lat: float, azimuth: float, start_m: float, end_m: float) -> np.ndarray:
    """Points on the geodesic leaving (lon, lat) at ``azimuth``, from one range to another."""
    dist = np.linspace(start_m, end_m, EDGE_STEPS + 1)
    lons, lats, _ = GEOD.fwd(
        np.full(dist.shape, lon), np.full(dist.shape, lat), np.full(dist.shape, azimuth), dist
    )
    return np.column_stack([lons, lats])


def _arc(lon: float, lat: float, first: float, last: float, radius_m: float) -> np.ndarray:
    """Points at ``radius_m`` from (lon, lat), azimuths ``first`` to ``last`` (either way)."""
    steps = max(math.ceil(abs(last - first) / ARC_STEP_DEG), 1)
    az = np.linspace(first, last, steps + 1)
    lons, lats, _ = GEOD.fwd(
        np.full(az.shape, lon), np.full(az.shape, lat), az, np.full(az.shape, radius_m)
    )
    return np.column_stack([lons, lats])


def span(start_deg: float, end_deg: float) -> tuple[float, float]:
    """A fan's central bearing and width from its bounding bearings, clockwise.

    Parameters
    ----------
    start_deg, end_deg : float
        The fan runs clockwise from ``start_deg`` to ``end_deg`` (degrees true).

    Returns
    -------
    tuple of float
        ``(azimuth_deg, width_deg)`` for :func:`fan`.

    Raises
    ------
    GeoInputError
        For a bearing that is not a number, or equal bearings (no width, or every one).

    Examples
    --------
    >>> span(30.0, 90.0), span(350.0, 10.0), span(90.0, 30.0)
    ((60.0, 60.0), (0.0, 20.0), (240.0, 300.0))
    """
    start = _azimuth(start_deg, "a fan's first bearing")
    end = _azimuth(end_deg, "a fan's last bearing")
    width = (end - start) % 360.0
    if width == 0.0:
        raise GeoInputError(
            f"a fan's bearings must differ (got {start_deg!r} and {end_deg!r}); for a full "
            "circle give a width of 360"
        )
    return (start + width / 2.0) % 360.0, width


def fan(
    lon: float,
    lat: float,
    azimuth_deg: float,
    width_deg: float,
    min_range_m: float,
    max_range_m: float,
) -> BaseGeometry:
    """A geodesic range fan: the area between two bearings and two ranges.

    Parameters
    ----------
    lon, lat : float
        The centre in degrees.
    azimuth_deg : float
        The fan's central bearing, degrees clockwise from true north.
    width_deg : float
        Its angular width, in (0, 360]; 360 gives a full disc or annulus.
    min_range_m, max_range_m : float
        Inner and outer range in metres, ``0 ≤ min < max ≤ 19,900 km``.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Counter-clockwise in lon/lat; split at the antimeridian, closed over a pole.

    Raises
    ------
    GeoInputError
        For a centre off the globe, a width outside (0, 360], ranges not as above.

    Examples
    --------
    A 60° fan north-east of Vilnius, 10–50 km: its geodesic area is 60/360 of the
    annulus, π (50² − 10²) / 6 = 1256.6 km² less the arcs' chord sag, and its
    perimeter 2 × 40 km + 2π (50 + 10) / 6 km:

    >>> from geo.measure import GEOD
    >>> f = fan(25.2798, 54.68916, 45.0, 60.0, 10_000, 50_000)
    >>> area, perimeter = GEOD.geometry_area_perimeter(f)
    >>> round(area / 1e6, 1), round(perimeter / 1e3, 2)
    (1256.5, 142.83)
    >>> fan(25.0, 54.0, 0.0, 0.0, 0, 10_000)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: a fan's width must be above 0 and at most 360 degrees, got 0.0
    """
    _check_points(lon, lat)
    lon, lat = float(lon), float(lat)
    az = _azimuth(azimuth_deg, "a fan's azimuth")
    width = _azimuth(width_deg, "a fan's width")
    if not 0.0 < width <= 360.0:
        raise GeoInputError(
            f"a fan's width must be above 0 and at most 360 degrees, got {width_deg!r}"
        )
    inner, outer = _ranges(min_range_m, max_range_m)
    if width == 360.0:
        return _annulus(lon, lat, inner, outer)
    start, end = az - width / 2.0, az + width / 2.0
    # Clockwise as bearings grow: the start edge out, the outer arc, the end edge in, the
    # inner arc (or the centre) back; then reversed to run counter-clockwise.
    parts = [_along(lon, lat, start, inner, outer)[:-1], _arc(lon, lat, start, end, outer)[:-1]]
    parts.append(_along(lon, lat, end, outer, inner)[:-1])
    if inner > 0.0:
        parts.append(_arc(lon, lat, end, start, inner)[:-1])
    coords = np.vstack(parts)[::-1]
    return _on_the_globe(shapely.Polygon(coords))


def _ranges(min_range_m: float, max_range_m: float) -> tuple[float, float]:
    try:
        inner, outer = float(min_range_m), float(max_range_m)
    except (TypeError, ValueError):
        inner = outer = math.nan
    if not (math.isfinite(inner) and inner >= 0.0):
        raise GeoInputError(f"a fan's minimum range must be 0 m or more, got {min_range_m!r}")
    validate_radii(outer)
    if not inner < outer:
        raise GeoInputError(
            f"a fan's minimum range ({inner / 1000:g} km) must be below its maximum "
            f"({outer / 1000:g} km)"
        )
    return inner, outer


def _annulus(lon: float, lat: float, inner: float, outer: float) -> BaseGeometry:
    shell = _arc(lon, lat, 360.0, 0.0, outer)[:-1]
    holes = [_arc(lon, lat, 0.0, 360.0, inner)[:-1]] if inner > 0.0 else []
    return _on_the_globe(shapely.Polygon(shell, holes))


def bearing_lines(lon: float, lat: float, azimuths_deg: ArrayLike, length_m: float) -> np.ndarray:
    """Geodesic lines of a length leaving a point at given bearings.

    Parameters
    ----------
    lon, lat : float
        The start in degrees.
    azimuths_deg : float or array_like
        Bearings in degrees clockwise from true north.
    length_m : float
        Each line's geodesic length in metres, in (0, 19,900 km].

    Returns
    -------
    ndarray of shapely LineString or MultiLineString
        One per bearing, ``EDGE_STEPS + 1`` points on the geodesic; split at the
        antimeridian.

    Raises
    ------
    GeoInputError
        For a start off the globe, a bearing that is not a number or a bad length.

    Examples
    --------
    A 100 km line of bearing 090° from Minsk ends where :func:`geo.measure.forward` says:

    >>> from geo.measure import forward
    >>> (line,) = bearing_lines(27.56667, 53.9, 90.0, 100_000)
    >>> [round(v, 6) for v in line.coords[-1]]
    [29.087746, 53.890364]
    >>> [round(float(v), 6) for v in forward(27.56667, 53.9, 90.0, 100_000)]
    [29.087746, 53.890364]
    """
    _check_points(lon, lat)
    azimuths = np.atleast_1d(np.asarray(azimuths_deg, dtype=object))
    azimuths = np.array([_azimuth(a, "a bearing") for a in azimuths], dtype=float)
    (length,) = validate_radii(length_m)
    lines = [_along(float(lon), float(lat), a, 0.0, length) for a in azimuths]
    return np.array(
        [antimeridian.fix_line_string(shapely.LineString(c), great_circle=False) for c in lines],
        dtype=object,
    )


def radials(
    lon: float, lat: float, count: int, length_m: float, *, first_deg: float = 0.0
) -> np.ndarray:
    """``count`` geodesic radials of one length, evenly spaced from ``first_deg``.

    Parameters
    ----------
    lon, lat : float
        The centre in degrees.
    count : int
        How many, 1 to 360.
    length_m : float
        Their geodesic length in metres.
    first_deg : float, optional
        The first radial's bearing (default north).

    Returns
    -------
    ndarray of shapely LineString or MultiLineString

    Raises
    ------
    GeoInputError
        For a count outside 1–360, or as :func:`bearing_lines`.

    Examples
    --------
    >>> lines = radials(25.0, 54.0, 4, 10_000)
    >>> [round(v, 4) for line in lines for v in line.coords[-1]]
    [25.0, 54.0898, 25.1525, 53.9999, 25.0, 53.9102, 24.8475, 53.9999]
    """
    try:
        n = int(count)
        ok = float(count) == n and 1 <= n <= MAX_RADIALS
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok:
        raise GeoInputError(
            f"the number of radials must be a whole number from 1 to {MAX_RADIALS}, got {count!r}"
        )
    start = _azimuth(first_deg, "the first radial's bearing")
    return bearing_lines(lon, lat, start + np.arange(n) * (360.0 / n), length_m)
