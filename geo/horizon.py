"""How far a radar or an observer sees over a smooth Earth: the horizon, with refraction.

Over flat country (Belarus, the Suwałki gap) the Earth's curvature, not terrain, is what
hides a low target from a radar or an observer on a tower. The distance to the horizon
for a height ``h`` above a smooth sphere of radius ``k·R`` is ``√(2·k·R·h)`` (the
tangent's length, with ``h`` ≪ ``R``); a target of height ``t`` is seen out to the sum
of both horizons. ``R`` is the Earth's mean radius (IUGG R1 = 6,371,008.8 m); ``k``
stands for atmospheric refraction: 4/3 for radar, 7/6 for light, 1 for geometry alone.

Terrain, buildings, trees and the weather are **not** modelled: the figures are the most
a smooth Earth allows, not what a given place sees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.errors import GeoInputError

__all__ = ["K_FACTORS", "MEAN_RADIUS_M", "Horizon", "horizon"]

MEAN_RADIUS_M = 6_371_008.8  # IUGG mean radius R1 of the WGS84 ellipsoid
K_FACTORS = {"radar": 4.0 / 3.0, "optical": 7.0 / 6.0, "geometric": 1.0}


@dataclass(frozen=True)
class Horizon:
    """Horizon distances for an observer and a target, in km.

    Attributes
    ----------
    observer_km : float
        The observer's (antenna's) horizon.
    target_km : float
        The target's horizon (0 for a target at the surface).
    horizon_km : float
        Their sum: the farthest the observer sees the target's top.
    k : float
        The effective Earth radius factor used.

    Examples
    --------
    >>> h = horizon(10.0, 10.0, k=1.0)
    >>> h.observer_km == h.target_km, h.horizon_km == 2 * h.observer_km
    (True, True)
    """

    observer_km: float
    target_km: float
    horizon_km: float
    k: float


def _height(value: float, what: str) -> float:
    try:
        h = float(value)
    except (TypeError, ValueError):
        h = math.nan
    if not (math.isfinite(h) and 0.0 <= h <= 100_000.0):
        raise GeoInputError(f"{what} must be a height of 0 to 100,000 m, got {value!r}")
    return h


def horizon(
    height_m: float, target_height_m: float = 0.0, *, k: float = K_FACTORS["radar"]
) -> Horizon:
    """Radar or visual horizon over a smooth Earth of radius ``k × R``.

    Parameters
    ----------
    height_m : float
        The observer's or antenna's height above the surface, in metres (0–100 km).
    target_height_m : float, optional
        The target's height above the surface, in metres.
    k : float, optional
        Effective Earth radius factor: 4/3 radar (default), 7/6 optical, 1 geometric.

    Returns
    -------
    Horizon

    Raises
    ------
    GeoInputError
        For a negative or non-numeric height, or ``k`` not in (0, 10].

    Examples
    --------
    A 30 m mast sees a surface target 22.6 km away by radar; with a 100 m target,
    63.8 km; geometrically (k = 1), the mast alone sees 19.6 km:

    >>> horizon(30.0).observer_km.__round__(1), horizon(30.0, 100.0).horizon_km.__round__(1)
    (22.6, 63.8)
    >>> round(horizon(30.0, k=1.0).horizon_km, 1)
    19.6
    >>> horizon(-1.0)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: the observer's height must be a height of 0 to 100,000 m, got -1.0
    """
    h = _height(height_m, "the observer's height")
    t = _height(target_height_m, "the target's height")
    try:
        k = float(k)
    except (TypeError, ValueError):
        k = math.nan
    if not (math.isfinite(k) and 0.0 < k <= 10.0):
        raise GeoInputError(f"k (the effective Earth radius factor) must be in (0, 10], got {k!r}")
    radius = k * MEAN_RADIUS_M
    observer, target = (math.sqrt(2.0 * radius * x) / 1000.0 for x in (h, t))
    return Horizon(observer_km=observer, target_km=target, horizon_km=observer + target, k=k)
