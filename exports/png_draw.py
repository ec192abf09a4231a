"""Catalogue layers drawn on a matplotlib axes in projected metres, for the PNG export.

Geometries become one matplotlib collection per layer and kind (polygons, lines,
points), built from shapely's coordinate arrays without a Python loop over vertices.
Styles are the web map's (:func:`layers.style.full_path_style`): the layer's
:class:`~layers.spec.Style`, each role's tweaks, Belarus and Kaliningrad coloured apart.
Names are drawn literally (``parse_math=False``): a ``$`` in data is a dollar sign.
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
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox
from pyproj import Transformer

from geo.projections import project
from layers.spec import Style
from layers.style import full_path_style

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
    looks = [
        full_path_style(style, r, c, k) for r, c, k in zip(gdf["role"], codes, colors, strict=True)
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


# Where a label may go, tried in turn: (x sign, y sign) of its corner from the point.
_LABEL_SPOTS = ((1, 1), (1, -1), (-1, 1), (-1, -1))
_LABEL_GAP_PT, _POINT_PT = 3.5, 2.5


def draw_labels(
    ax: Axes,
    xy: np.ndarray,
    names: list[str],
    *,
    strong: np.ndarray,
    avoid: list[Bbox] | tuple[Bbox, ...] = (),
    fontsize: float = 6.0,
) -> int:
    """Label points with their names, literally, on a white halo, without overlaps.

    Each label goes to the first free spot of upper-right, lower-right, upper-left and
    lower-left of its point, inside the map and clear of other labels, labelled points
    and ``avoid``. Labels are placed in order, ``strong`` ones first and in bold; a strong
    label with no free spot is drawn anyway, a plain one is left out, and so is the label
    of a point under an ``avoid`` area.

    Parameters
    ----------
    ax : Axes
        The map axes (projected metres), its limits set.
    xy : ndarray
        ``(n, 2)`` projected positions.
    names : list of str
        The labels, drawn as given (no mathtext).
    strong : ndarray of bool
        Which labels are emphasised and always drawn.
    avoid : sequence of Bbox, optional
        Areas to keep clear, in display pixels (the scale bar, the north arrow).
    fontsize : float, optional
        Size in points of the plain labels; strong ones are a point larger.

    Returns
    -------
    int
        How many labels were drawn.
    """
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()
    pixels = ax.transData.transform(xy) if len(xy) else np.empty((0, 2))
    frame = ax.get_window_extent(renderer).extents
    px_per_pt = ax.figure.dpi / 72
    gap, r = _LABEL_GAP_PT * px_per_pt, _POINT_PT * px_per_pt
    taken = [b.extents for b in avoid] + [(x - r, y - r, x + r, y + r) for x, y in pixels]
    hidden = [any(b.contains(x, y) for b in avoid) for x, y in pixels]
    drawn = 0
    for i in np.argsort(~np.asarray(strong, dtype=bool), kind="stable"):
        if hidden[i]:  # under the scale bar or the north arrow
            continue
        text = _label(ax, xy[i], names[i], bool(strong[i]), fontsize)
        w, h = text.get_window_extent(renderer).size
        boxes = [_spot_box(pixels[i], sx, sy, w, h, gap) for sx, sy in _LABEL_SPOTS]
        free = [k for k, b in enumerate(boxes) if _inside(b, frame) and not _hits(b, taken)]
        if not free and not strong[i]:
            text.remove()
            continue
        k = free[0] if free else 0
        sx, sy = _LABEL_SPOTS[k]
        text.set(
            ha="left" if sx > 0 else "right",
            va="bottom" if sy > 0 else "top",
            position=(sx * _LABEL_GAP_PT, sy * _LABEL_GAP_PT * 0.6),
        )
        taken.append(boxes[k])
        drawn += 1
    return drawn


def _label(ax: Axes, xy: np.ndarray, name: str, bold: bool, fontsize: float) -> Any:
    return ax.annotate(
        name,
        (xy[0], xy[1]),
        xytext=(_LABEL_GAP_PT, _LABEL_GAP_PT * 0.6),
        textcoords="offset points",
        fontsize=fontsize + (1.0 if bold else 0.0),
        fontweight="bold" if bold else "normal",
        color="#1a1a1a" if bold else "#3a3a3a",
        path_effects=[withStroke(linewidth=2.2, foreground="white", alpha=0.9)],
        parse_math=False,
        annotation_clip=True,
        clip_on=True,
        zorder=Z_LABEL + (0.1 if bold else 0.0),
    )


def _spot_box(
    p: np.ndarray, sx: int, sy: int, w: float, h: float, gap: float
) -> tuple[float, float, float, float]:
    x0 = p[0] + gap if sx > 0 else p[0] - gap - w
    y0 = p[1] + gap * 0.6 if sy > 0 else p[1] - gap * 0.6 - h
    return (x0, y0, x0 + w, y0 + h)


def _inside(box: tuple[float, ...], frame: np.ndarray) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _hits(box: tuple[float, ...], taken: list) -> bool:
    t = np.asarray(taken, dtype=float).reshape(-1, 4)
    return bool(
        np.any((box[0] < t[:, 2]) & (box[2] > t[:, 0]) & (box[1] < t[:, 3]) & (box[3] > t[:, 1]))
    )
