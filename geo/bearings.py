"""Bearings as analysts read them: true, back, NATO mils, magnetic and grid; time at speed.

Every bearing starts from the true (geodesic) azimuth of :func:`geo.measure.inverse`, on
the WGS84 ellipsoid. The others are that azimuth referred to another north:

* **mils**: NATO mils, 6,400 to the circle (``deg × 6400 / 360``);
* **magnetic**: true minus the magnetic declination of the World Magnetic Model 2025
  (``pygeomag``, which ships NOAA/NGA's coefficients) at the start point, at sea level,
  on a date (today unless given). The model is valid 2025-01-01 to 2029-12-31; a date
  outside it is refused, not extrapolated. Local anomalies (ore bodies, power lines,
  vehicles) are not in the model: its stated uncertainty is about 0.3–0.5° here;
* **grid**: true minus the UTM grid convergence of the start point's zone (the zone
  its MGRS reference names, exceptions included), from ``pyproj``'s
  ``Proj.get_factors``. There is no UTM zone beyond 84°N or 80°S: grid bearings are
  then NaN (None in JSON).

A bearing with no direction (two coincident points) has NaN in every north.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Proj

from geo.coords import format_mgrs
from geo.errors import GeoInputError
from geo.measure import _check_points, _none_for_nan, inverse

__all__ = [
    "MAGNETIC_MODEL",
    "MAGNETIC_VALID",
    "MILS_PER_TURN",
    "SPEED_UNITS",
    "Bearing",
    "bearing",
    "declination_deg",
    "grid_convergence_deg",
    "to_mils",
    "travel_time_h",
    "utm_zone",
]

MILS_PER_TURN = 6400  # NATO mils
MAGNETIC_MODEL = "WMM2025"
MAGNETIC_VALID = (dt.date(2025, 1, 1), dt.date(2029, 12, 31))
_WMM_FILE = "wmm/WMM_2025.COF"  # inside the pygeomag package
SPEED_UNITS = {"km/h": 1.0, "mph": 1.609344, "kn": 1.852}  # km per hour of one unit


def to_mils(degrees: ArrayLike) -> np.ndarray:
    """Angles in NATO mils (6,400 to the circle), wrapped to 0–6400.

    Parameters
    ----------
    degrees : float or array_like
        Angles in degrees.

    Returns
    -------
    ndarray or float
        The same angles in mils.

    Examples
    --------
    >>> float(to_mils(90.0)), float(to_mils(-45.0)), to_mils([0.0, 359.0]).round(2).tolist()
    (1600.0, 5600.0, [0.0, 6382.22])
    """
    return np.mod(np.asarray(degrees, dtype=float), 360.0) * (MILS_PER_TURN / 360.0)


@lru_cache(maxsize=1)
def _wmm():
    from pygeomag import GeoMag

    return GeoMag(coefficients_file=_WMM_FILE)


def _decimal_year(on: dt.date) -> float:
    start = dt.date(on.year, 1, 1)
    return on.year + (on - start).days / (dt.date(on.year + 1, 1, 1) - start).days


def _check_date(on: dt.date) -> dt.date:
    if not isinstance(on, dt.date):
        raise GeoInputError(f"a date is needed for the magnetic model, got {on!r}")
    on = on.date() if isinstance(on, dt.datetime) else on
    first, last = MAGNETIC_VALID
    if not first <= on <= last:
        raise GeoInputError(
            f"{on.isoformat()} is outside the {MAGNETIC_MODEL} magnetic model's span "
            f"({first.isoformat()} to {last.isoformat()})"
        )
    return on


def declination_deg(
    lon: float, lat: float, on: dt.date | None = None, *, height_m: float = 0.0
) -> float:
    """Magnetic declination (east positive) of the World Magnetic Model 2025.

    Parameters
    ----------
    lon, lat : float
        The place in degrees.
    on : datetime.date, optional
        The date; today (UTC) if not given.
    height_m : float, optional
        Height above the WGS84 ellipsoid in metres.

    Returns
    -------
    float
        Degrees east of true north that a compass needle points.

    Raises
    ------
    GeoInputError
        For a place off the globe, or a date outside 2025-01-01 … 2029-12-31.

    Examples
    --------
    One of the model's published test values (2025.0, sea level, 80°N 0°E: 1.28°),
    and Vilnius in mid-2026:

    >>> round(declination_deg(0.0, 80.0, dt.date(2025, 1, 1)), 2)
    1.28
    >>> round(declination_deg(25.2798, 54.68916, dt.date(2026, 7, 1)), 1)
    8.7
    >>> declination_deg(25.0, 54.0, dt.date(2031, 1, 1))
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: 2031-01-01 is outside the WMM2025 magnetic model's span
    (2025-01-01 to 2029-12-31)
    """
    _check_points(lon, lat)
    on = _check_date(on or dt.datetime.now(dt.UTC).date())
    lon = (float(lon) + 180.0) % 360.0 - 180.0
    result = _wmm().calculate(float(lat), lon, float(height_m) / 1000.0, _decimal_year(on))
    return float(result.d)


def utm_zone(lon: float, lat: float) -> int | None:
    """The UTM zone a point's MGRS reference names (Norway's and Svalbard's included).

    Returns
    -------
    int or None
        1–60, or None beyond 84°N / 80°S (the polar UPS grids, not UTM).

    Examples
    --------
    >>> utm_zone(25.2798, 54.68916), utm_zone(6.0, 60.5), utm_zone(0.0, 89.0)
    (35, 32, None)
    """
    zone = re.match(r"\d+", format_mgrs(lon, lat, precision=0))
    return int(zone.group()) if zone else None


@lru_cache(maxsize=64)
def _utm(zone: int, south: bool) -> Proj:
    return Proj(proj="utm", zone=zone, south=south, ellps="WGS84")


def grid_convergence_deg(lon: float, lat: float, zone: int | None = None) -> float:
    """UTM grid convergence at a point: grid azimuth = true azimuth − convergence.

    Parameters
    ----------
    lon, lat : float
        The point in degrees.
    zone : int, optional
        The UTM zone; the point's own (:func:`utm_zone`) if not given.

    Returns
    -------
    float
        Degrees, negative west of the zone's central meridian in the north; NaN where
        there is no UTM zone (beyond 84°N or 80°S).

    Examples
    --------
    Vilnius lies 1.7° west of zone 35's central meridian (27°E):

    >>> round(grid_convergence_deg(25.2798, 54.68916), 4)
    -1.4039
    """
    _check_points(lon, lat)
    zone = zone or utm_zone(lon, lat)
    if zone is None:
        return math.nan
    factors = _utm(zone, lat < 0).get_factors(lon, lat)
    return float(factors.meridian_convergence)


def travel_time_h(distance_km: ArrayLike, speed: float, unit: str = "km/h") -> np.ndarray:
    """Hours to cover a distance at a speed.

    Parameters
    ----------
    distance_km : float or array_like
        Distances in kilometres.
    speed : float
        The speed, above 0, in ``unit``.
    unit : {"km/h", "mph", "kn"}
        Kilometres, statute miles or nautical miles per hour.

    Returns
    -------
    ndarray or float
        Hours.

    Raises
    ------
    GeoInputError
        For a speed not above 0 or an unknown unit.

    Examples
    --------
    >>> float(travel_time_h(172.869, 60.0)), round(float(travel_time_h(1.852, 1, "kn")), 6)
    (2.88115, 1.0)
    """
    if unit not in SPEED_UNITS:
        raise GeoInputError(f"unknown speed unit {unit!r}: use one of {', '.join(SPEED_UNITS)}")
    try:
        kmh = float(speed) * SPEED_UNITS[unit]
    except (TypeError, ValueError):
        kmh = math.nan
    if not (math.isfinite(kmh) and kmh > 0):
        raise GeoInputError(f"a speed must be a number above 0, got {speed!r}")
    return np.asarray(distance_km, dtype=float) / kmh


@dataclass(frozen=True)
class Bearing:
    """The bearing from one point to another in every north we report.

    Attributes
    ----------
    azimuth_deg, back_azimuth_deg : float
        True (geodesic) azimuth at the start, and at the end back toward the start.
    azimuth_mils, back_azimuth_mils : float
        The same in NATO mils.
    magnetic_azimuth_deg, declination_deg : float
        Magnetic azimuth at the start and the declination it used.
    grid_azimuth_deg, grid_convergence_deg : float
        UTM grid azimuth at the start, and the convergence it used (NaN without a zone).
    utm_zone : int or None
        The start point's UTM zone.
    magnetic_model, magnetic_date : str
        ``WMM2025`` and the ISO date of the declination.

    Examples
    --------
    Due north from a point on zone 35's central meridian: 0 true, 0 grid, 3200 mils back:

    >>> b = bearing(27.0, 54.0, 27.0, 55.0, dt.date(2026, 1, 1))
    >>> b.azimuth_deg, abs(b.grid_azimuth_deg % 360.0) < 1e-9, b.back_azimuth_mils
    (0.0, True, 3200.0)
    >>> b.to_dict()["utm_zone"], b.to_dict()["magnetic_date"]
    (35, '2026-01-01')
    """

    azimuth_deg: float
    back_azimuth_deg: float
    azimuth_mils: float
    back_azimuth_mils: float
    magnetic_azimuth_deg: float
    declination_deg: float
    grid_azimuth_deg: float
    grid_convergence_deg: float
    utm_zone: int | None
    magnetic_model: str
    magnetic_date: str

    def to_dict(self) -> dict:
        """The fields as a plain dict (the ``--json`` keys); NaN becomes None."""
        return _none_for_nan(asdict(self))


def bearing(
    lon1: float, lat1: float, lon2: float, lat2: float, on: dt.date | None = None
) -> Bearing:
    """The bearing from one point to another: true, back, mils, magnetic and grid.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Start and end in degrees.
    on : datetime.date, optional
        The date of the magnetic declination; today (UTC) if not given. If today is
        outside the model's span, the magnetic figures are NaN (the others stand).

    Returns
    -------
    Bearing

    Raises
    ------
    GeoInputError
        For a point off the globe or a date given outside the magnetic model's span.

    Examples
    --------
    Vilnius to Minsk: 119.61° true, 2126.4 mils; magnetic 8.7° less; grid 1.4° more:

    >>> b = bearing(25.2798, 54.68916, 27.56667, 53.9, dt.date(2026, 7, 1))
    >>> round(b.azimuth_deg, 2), round(b.azimuth_mils, 1), round(b.magnetic_azimuth_deg, 1)
    (119.61, 2126.3, 110.9)
    >>> round(b.grid_azimuth_deg, 2), b.utm_zone, b.magnetic_model, b.magnetic_date
    (121.01, 35, 'WMM2025', '2026-07-01')
    """
    _check_points(lon1, lat1, lon2, lat2)
    today = on is None
    on = on or dt.datetime.now(dt.UTC).date()
    dist, az, back = (float(v) for v in inverse(lon1, lat1, lon2, lat2))
    if dist == 0.0:
        az = back = math.nan
    if today and not MAGNETIC_VALID[0] <= on <= MAGNETIC_VALID[1]:
        decl = math.nan  # the model has expired: no magnetic bearing, the rest stands
    else:
        decl = declination_deg(lon1, lat1, _check_date(on))
    zone = utm_zone(lon1, lat1)
    conv = grid_convergence_deg(lon1, lat1, zone)
    return Bearing(
        azimuth_deg=az,
        back_azimuth_deg=back,
        azimuth_mils=float(to_mils(az)),
        back_azimuth_mils=float(to_mils(back)),
        magnetic_azimuth_deg=float(np.mod(az - decl, 360.0)),
        declination_deg=decl,
        grid_azimuth_deg=float(np.mod(az - conv, 360.0)),
        grid_convergence_deg=conv,
        utm_zone=zone,
        magnetic_model=MAGNETIC_MODEL,
        magnetic_date=on.isoformat(),
    )
