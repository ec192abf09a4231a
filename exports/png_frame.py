"""Where a PNG map sits on the ellipsoid: its projection, extent, scale bar and north.

Pure computation for :mod:`exports.png_image` and :mod:`exports.png_layout` (no
matplotlib): a Lambert azimuthal equal-area projection centred on what is shown, the
projected bounds that fill the frame, a scale bar whose ends are a round geodesic length
apart, and the direction of true north.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from geo.measure import distance_m, forward
from geo.nearest import REGION_BOUNDS
from geo.projections import project
from layers.spec import LayerSpec
from layers.units import check_unit, convert_km

DEFAULT_REGION = (19.0, 50.0, 33.0, 58.0)
MIN_SPAN_M = 250_000.0  # the smallest width or height shown
MARGIN = 0.05  # of the span, on each side of what is shown
_NICE = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5)  # scale-bar lengths, times a power of ten
FRAMING_GROUPS = ("strategic", "user")  # the map is framed on these layers


@lru_cache(maxsize=32)
def laea(lon: float, lat: float) -> Transformer:
    """Lambert azimuthal equal-area on WGS84 centred on ``(lon, lat)``: degrees → metres."""
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=laea +lat_0={lat} +lon_0={lon} +ellps=WGS84"
    )


def map_extent(frames: Mapping[LayerSpec, gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
    """The lon/lat bounds a map of ``frames`` shows, before margins.

    The bounds of the strategic and user layers, else of any non-context layer (the territories
    of the ``borders`` layer span Europe; the claims reach Berlin), clipped to the
    region; :data:`DEFAULT_REGION` if there are none.

    Returns
    -------
    tuple of float
        ``(west, south, east, north)`` in degrees.
    """
    drawn = {s: g for s, g in frames.items() if not g.empty}
    shown = [g for s, g in drawn.items() if s.group in FRAMING_GROUPS] or [
        g for s, g in drawn.items() if s.group != "context"
    ]
    if not shown:
        return DEFAULT_REGION
    b = np.array([g.total_bounds for g in shown])
    west, south, east, north = REGION_BOUNDS
    return (
        float(np.clip(b[:, 0].min(), west, east)),
        float(np.clip(b[:, 1].min(), south, north)),
        float(np.clip(b[:, 2].max(), west, east)),
        float(np.clip(b[:, 3].max(), south, north)),
    )


def projection_centre(extent: tuple[float, float, float, float]) -> tuple[float, float]:
    """The ``(lon, lat)`` a map of ``extent`` is centred on, rounded to 0.5° (cache-friendly)."""
    west, south, east, north = extent
    return round(west + east) / 2, round(south + north) / 2


def map_view(
    extent: tuple[float, float, float, float], aspect: float
) -> tuple[Transformer, tuple[float, float, float, float]]:
    """The projection centred on ``extent`` and the projected bounds that show it.

    Parameters
    ----------
    extent : tuple of float
        ``(west, south, east, north)`` in degrees.
    aspect : float
        Width over height of the map frame; the bounds are widened to fill it.

    Returns
    -------
    transformer : pyproj.Transformer
        :func:`laea` at the extent's centre (rounded to 0.5°).
    bounds : tuple of float
        ``(xmin, ymin, xmax, ymax)`` in projected metres.
    """
    west, south, east, north = extent
    transformer = laea(*projection_centre(extent))
    outline = shapely.segmentize(shapely.box(west, south, east, north), 0.25)
    xmin, ymin, xmax, ymax = project(outline, transformer).bounds
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    need_w = max(xmax - xmin, MIN_SPAN_M) * (0.5 + MARGIN)
    need_h = max(ymax - ymin, MIN_SPAN_M) * (0.5 + MARGIN)
    half_w, half_h = max(need_w, need_h * aspect), max(need_h, need_w / aspect)
    # The frame is wider (or taller) than what must show: slide it toward the data region.
    shifts = np.linspace(-1.0, 1.0, 41)[:, None] * [half_w - need_w, half_h - need_h]
    views = shapely.box(
        cx + shifts[:, 0] - half_w,
        cy + shifts[:, 1] - half_h,
        cx + shifts[:, 0] + half_w,
        cy + shifts[:, 1] + half_h,
    )
    region = project(shapely.segmentize(shapely.box(*REGION_BOUNDS), 0.25), transformer)
    shown = shapely.area(shapely.intersection(views, region))
    best = views[np.argmax(shown - np.abs(shifts).sum(axis=1))]  # on a tie, the least shift
    return transformer, tuple(float(v) for v in best.bounds)


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar: its ends in lon/lat and in projected metres, and its length.

    The WGS84 geodesic between ``(lons[0], lats[0])`` and ``(lons[1], lats[1])`` is
    ``length`` ``unit`` long; on the map the bar is horizontal, from ``xs[0]`` to ``xs[1]``
    at height ``y``.
    """

    lons: tuple[float, float]
    lats: tuple[float, float]
    xs: tuple[float, float]
    y: float
    length: float
    unit: str

    @property
    def label(self) -> str:
        """``200 km``: the length and its unit."""
        return f"{self.length:g} {self.unit}"


def scale_bar(
    bounds: tuple[float, float, float, float],
    transformer: Transformer,
    *,
    unit: str = "km",
    start: tuple[float, float] = (0.04, 0.05),
    share: float = 0.2,
) -> ScaleBar:
    """A horizontal bar near the map's bottom-left whose ends are a round geodesic length apart.

    Parameters
    ----------
    bounds : tuple of float
        The map's ``(xmin, ymin, xmax, ymax)`` in projected metres.
    transformer : pyproj.Transformer
        Degrees → projected metres (the map's projection).
    unit : str, optional
        ``km``, ``mi`` or ``nmi``.
    start : tuple of float, optional
        The bar's left end as fractions of the map's width and height.
    share : float, optional
        The share of the map's width the bar aims at; a round length within about ±20%
        of it is chosen (15–25% of the width for the default).

    Returns
    -------
    ScaleBar
        Its end points and its length in ``unit``.
    """
    check_unit(unit)
    xmin, ymin, xmax, ymax = bounds
    x0, y0 = xmin + start[0] * (xmax - xmin), ymin + start[1] * (ymax - ymin)
    aim_x = share * (xmax - xmin)
    aim_unit = convert_km(_geodesic_m(transformer, x0, y0, x0 + aim_x) / 1000, unit)
    length = _round_length(aim_unit)
    length_m = length * 1000 / convert_km(1.0, unit)
    dx = aim_x * length / aim_unit
    for _ in range(8):  # the map's scale is near constant along the bar: converges in 2-3
        dx *= length_m / _geodesic_m(transformer, x0, y0, x0 + dx)
    lons, lats = transformer.transform([x0, x0 + dx], [y0, y0], direction="INVERSE")
    return ScaleBar(
        lons=(float(lons[0]), float(lons[1])),
        lats=(float(lats[0]), float(lats[1])),
        xs=(x0, x0 + dx),
        y=y0,
        length=length,
        unit=unit,
    )


def _geodesic_m(transformer: Transformer, x0: float, y: float, x1: float) -> float:
    lons, lats = transformer.transform([x0, x1], [y, y], direction="INVERSE")
    return float(distance_m(lons[0], lats[0], lons[1], lats[1]))


def _round_length(value: float) -> float:
    """The round length (1, 1.5, 2, 2.5, 3, 4, 5 or 7.5 × 10ⁿ) nearest ``value`` in ratio."""
    power = 10.0 ** math.floor(math.log10(value))
    candidates = np.array([*_NICE, 10.0]) * power
    return float(candidates[np.argmin(np.abs(np.log(candidates / value)))])


def north_angle_deg(lon: float, lat: float, transformer: Transformer) -> float:
    """The direction of true north on the map at ``(lon, lat)``.

    Parameters
    ----------
    lon, lat : float
        The point, in degrees.
    transformer : pyproj.Transformer
        Degrees → projected metres (the map's projection).

    Returns
    -------
    float
        Degrees clockwise from the map's up (negative: north leans left).
    """
    lon2, lat2 = forward(lon, lat, 0.0, 1000.0)
    xs, ys = transformer.transform([lon, float(lon2)], [lat, float(lat2)])
    return math.degrees(math.atan2(xs[1] - xs[0], ys[1] - ys[0]))
