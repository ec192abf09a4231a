"""Catalogue layers drawn on a matplotlib axes in projected metres, for the PNG export.

Geometries become one matplotlib collection per layer and kind (polygons, lines,
points), built from shapely's coordinate arrays without a Python loop over vertices.
Styles are the web map's (:func:`layers.style.full_path_style`): the layer's
:class:`~layers.spec.Style`, each role's tweaks, Belarus and Kaliningrad coloured apart.
The map's labels are placed and drawn by :mod:`exports.png_image` (the rules of
:mod:`layers.labels`), over everything drawn here (:data:`Z_LABEL`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.path import Path
from pyproj import Transformer

from exports.png_symbols import draw_symbols
from geo.projections import project
from layers.spec import Style
from layers.style import SYMBOL_SIZE_PX, full_path_style

PT_PER_PX = 0.55  # Leaflet's CSS pixels → points on a 10-inch-wide figure
POINT_MARKER = {"site": "o", "unit": "s", "nearest_point": "D"}
# Draw order: fills under lines under points under labels, whatever the layer order.
Z_POLYGON, Z_LINE, Z_POINT, Z_LABEL = 2.0, 3.0, 4.0, 5.0
POLYGON, LINE, POINT = "polygon", "line", "point"
# shapely type id → kind (collections are not produced by the layer builders).
_KIND = {0: POINT, 4: POINT, 1: LINE, 2: LINE, 5: LINE, 3: POLYGON, 6: POLYGON}


def geometry_kinds(geoms: np.ndarray) -> np.ndarray:
    """``polygon``, ``line`` or ``point`` for each geometry (empty ones count as polygons)."""
    return np.array([_KIND.get(t, POLYGON) for t in shapely.get_type_id(geoms)], dtype=object)


def line_width_pt(weight_px: float) -> float:
    """A Leaflet stroke weight in CSS pixels as a matplotlib line width in points."""
    return weight_px * PT_PER_PX


def line_style(dash_array: str | None, width_pt: float) -> Any:
    """A Leaflet ``dashArray`` (pixels) as a matplotlib dash pattern, or ``"solid"``.

    Matplotlib scales dashes by the line width, so the lengths are divided by it.
    """
    if not dash_array:
        return "solid"
    lengths = [float(d) for d in dash_array.replace(",", " ").split()]
    return (0.0, tuple(d * PT_PER_PX / max(width_pt, 0.1) for d in lengths))


def polygon_paths(geoms: np.ndarray) -> tuple[list[Path], np.ndarray]:
    """One compound path per (multi)polygon, holes wound against their shells.

    Returns
    -------
    paths : list of matplotlib.path.Path
        Paths of the non-empty geometries.
    index : ndarray
        For each path, the position of its geometry in ``geoms``.
    """
    oriented = shapely.orient_polygons(geoms)
    parts, part_of = shapely.get_parts(oriented, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, vertex_of = shapely.get_coordinates(rings, return_index=True)
    if not len(coords):
        return [], np.array([], dtype=int)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.flatnonzero(np.r_[True, vertex_of[1:] != vertex_of[:-1]])
    codes[starts] = Path.MOVETO
    codes[np.r_[starts[1:], len(coords)] - 1] = Path.CLOSEPOLY
    feature = part_of[ring_of[vertex_of]]
    cuts = np.flatnonzero(np.diff(feature)) + 1
    paths = [Path(v, c) for v, c in zip(np.split(coords, cuts), np.split(codes, cuts), strict=True)]
    return paths, feature[np.r_[0, cuts]]


def line_segments(geoms: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The vertex arrays of every line part, and for each the position of its geometry."""
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    coords, vertex_of = shapely.get_coordinates(parts, return_index=True)
    if not len(coords):
        return [], np.array([], dtype=int)
    cuts = np.flatnonzero(np.diff(vertex_of)) + 1
    return np.split(coords, cuts), part_of[vertex_of[np.r_[0, cuts]]]


def draw_layer(
    ax: Axes,
    gdf: gpd.GeoDataFrame,
    style: Style,
    transformer: Transformer,
    *,
    order: int,
    context: bool = False,
) -> None:
    """Draw one layer's features: a collection for its polygons, lines and points.

    Parameters
    ----------
    ax : Axes
        An axes in the transformer's projected metres.
    gdf : GeoDataFrame
        The layer's features (EPSG:4326) with ``role`` and, for territories, ``code``.
    style : Style
        The layer's catalogue style.
    transformer : pyproj.Transformer
        Degrees → projected metres.
    order : int
        The layer's place in the drawing order, among layers of the same kind.
    context : bool, optional
        A context layer (territories, rivers, sites): its points are drawn small.
    """
    geoms = project(gdf.geometry.to_numpy(), transformer)
    codes = gdf["code"].tolist() if "code" in gdf.columns else [None] * len(gdf)
    colors = gdf["color"].tolist() if "color" in gdf.columns else [None] * len(gdf)
    sidcs = gdf["sidc"].tolist() if "sidc" in gdf.columns else [None] * len(gdf)
    looks = [
        full_path_style(style, r, c, k, s)
        for r, c, k, s in zip(gdf["role"], codes, colors, sidcs, strict=True)
    ]
    kinds = geometry_kinds(geoms)
    z = order * 0.01
    polygons = kinds == POLYGON
    if polygons.any():
        paths, index = polygon_paths(geoms[polygons])
        _add_paths(ax, paths, [looks[i] for i in np.flatnonzero(polygons)[index]], Z_POLYGON + z)
    lines = kinds == LINE
    if lines.any():
        segments, index = line_segments(geoms[lines])
        _add_lines(ax, segments, [looks[i] for i in np.flatnonzero(lines)[index]], Z_LINE + z)
    points = np.flatnonzero(kinds == POINT)
    if len(points):
        parts, index = shapely.get_parts(geoms[points], return_index=True)
        xy, owner = shapely.get_coordinates(parts), points[index]
        units = np.array([bool(looks[i].get("sidc")) for i in owner], dtype=bool)
        if units.any():  # a unit is its symbol, milsymbol's anchor on its point
            unit_sidcs = [looks[i]["sidc"] for i in owner[units]]
            size_pt = SYMBOL_SIZE_PX * PT_PER_PX
            draw_symbols(ax, *xy[units].T, unit_sidcs, size_pt=size_pt, zorder=Z_POINT + z)
        xy, owner = xy[~units], owner[~units]
        roles = gdf["role"].to_numpy()[owner]
        for role in dict.fromkeys(roles):
            mine = roles == role
            _add_points(ax, xy[mine], looks[owner[mine][0]], role, context, Z_POINT + z)


def _stroke(look: dict[str, Any]) -> tuple[tuple[float, ...], float, Any]:
    width = line_width_pt(look["weight"])
    return to_rgba(look["color"], look["opacity"]), width, line_style(look["dashArray"], width)


def _add_paths(ax: Axes, paths: list[Path], looks: list[dict[str, Any]], z: float) -> None:
    strokes = [_stroke(look) for look in looks]
    ax.add_collection(
        PathCollection(
            paths,
            facecolors=[to_rgba(look["fillColor"], look["fillOpacity"]) for look in looks],
            edgecolors=[s[0] for s in strokes],
            linewidths=[s[1] for s in strokes],
            linestyles=[s[2] for s in strokes],
            capstyle="round",
            joinstyle="round",
            zorder=z,
        ),
        autolim=False,
    )


def _add_lines(ax: Axes, segments: list[np.ndarray], looks: list[dict[str, Any]], z: float) -> None:
    strokes = [_stroke(look) for look in looks]
    ax.add_collection(
        LineCollection(
            segments,
            colors=[s[0] for s in strokes],
            linewidths=[s[1] for s in strokes],
            linestyles=[s[2] for s in strokes],
            capstyle="round",
            joinstyle="round",
            zorder=z,
        ),
        autolim=False,
    )


def _add_points(
    ax: Axes, xy: np.ndarray, look: dict[str, Any], role: str, small: bool, z: float
) -> None:
    size_pt = 3.2 if small else (4.0 if role == "nearest_point" else 6.5)
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=size_pt**2,
        marker=POINT_MARKER.get(role, "o"),
        facecolors=to_rgba(look["color"], look["fillOpacity"]),
        edgecolors="white",
        linewidths=0.5 if small else 0.8,
        zorder=z,
    )
