"""The PNG export's page: figure and frames, header, footer, legend, scale bar, north arrow.

Sizes are in inches on a figure whose smaller side matches a 10 × 6.25 inch design,
so fonts keep their proportions at any pixel size. All text is drawn literally
(``parse_math=False``).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Polygon, Rectangle
from matplotlib.transforms import Bbox

from exports.png_draw import (
    LINE,
    POINT,
    POLYGON,
    geometry_kinds,
    line_style,
    line_width_pt,
)
from layers.catalogue import CATALOGUE
from layers.spec import LayerSpec, Style
from layers.style import TERRITORY_FILL, full_path_style

if TYPE_CHECKING:
    from exports.png_frame import ScaleBar

DESIGN_IN = (10.0, 6.25)
TITLE_IN, FOOTER_IN, PANEL_IN, PAD_IN = 0.66, 0.42, 2.25, 0.14
SEA_COLOR = "#d5e5ef"
INK, MUTED, FRAME = "#1a1a1a", "#555555", "#9a9a9a"
NOTES_ROOM = 0.16  # of the legend panel's height, kept at its foot for the notes
Z_FURNITURE = 10.0
_BOX = {"fc": "white", "ec": FRAME, "lw": 0.5}  # the scale bar's and north arrow's boxes


def page(width_px: int, height_px: int) -> tuple[Figure, Axes, Axes]:
    """A figure of exactly ``width_px`` × ``height_px`` pixels, its map axes and legend panel.

    Returns
    -------
    figure : Figure
        With an Agg canvas (no pyplot, safe in threads).
    map_ax : Axes
        The map frame, sea-coloured, without ticks.
    panel_ax : Axes
        The panel right of the map, for the legend (no axes drawn).
    """
    dpi = min(width_px / DESIGN_IN[0], height_px / DESIGN_IN[1])
    w_in, h_in = width_px / dpi, height_px / dpi
    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    body_h = (h_in - TITLE_IN - FOOTER_IN) / h_in
    map_w = w_in - PANEL_IN - 3 * PAD_IN
    ax = fig.add_axes((PAD_IN / w_in, FOOTER_IN / h_in, map_w / w_in, body_h))
    ax.set_facecolor(SEA_COLOR)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set(color=MUTED, linewidth=0.8)
    panel = fig.add_axes(((map_w + 2 * PAD_IN) / w_in, FOOTER_IN / h_in, PANEL_IN / w_in, body_h))
    panel.set_axis_off()
    return fig, ax, panel


def inches_to_data(ax: Axes) -> float:
    """Projected metres per inch on the map axes (equal scale in x and y)."""
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (ax.get_position().width * ax.figure.get_figwidth())


def header_footer(fig: Figure, title: str, subtitle: str, attribution: str, stamp: str) -> None:
    """Title and subtitle above the map; attribution (left) and date/version (right) below."""
    w_in, h_in = fig.get_figwidth(), fig.get_figheight()
    x = PAD_IN / w_in
    size = 15.0 if len(title) <= 60 else max(9.0, 15.0 * 60 / len(title))
    fig.text(
        x,
        1 - 0.30 / h_in,
        title,
        fontsize=size,
        fontweight="bold",
        color=INK,
        va="baseline",
        parse_math=False,
    )
    fig.text(
        x, 1 - 0.52 / h_in, subtitle, fontsize=8.5, color=MUTED, va="baseline", parse_math=False
    )
    rule_y = 1 - (TITLE_IN - 0.04) / h_in
    fig.add_artist(Line2D([x, 1 - x], [rule_y, rule_y], color=FRAME, linewidth=0.6))
    chars = int((w_in - PANEL_IN - 3 * PAD_IN) * 72 / (5.6 * 0.6))
    fig.text(
        x,
        (FOOTER_IN - 0.08) / h_in,
        textwrap.fill(attribution, chars),
        fontsize=5.6,
        color=MUTED,
        va="top",
        linespacing=1.3,
        parse_math=False,
    )
    fig.text(
        1 - x,
        (FOOTER_IN - 0.08) / h_in,
        stamp,
        fontsize=6.5,
        color=INK,
        ha="right",
        va="top",
        linespacing=1.3,
        parse_math=False,
    )


def legend(panel: Axes, frames: Mapping[LayerSpec, gpd.GeoDataFrame], notes: str) -> None:
    """One row per layer (its swatch and title), the highlighted territories, each layer's
    key of colours (the forces' standard identities, the claims' verdicts), then notes."""
    handles = [_swatch(spec.style, gdf) for spec, gdf in frames.items()]
    labels = [textwrap.fill(spec.title, 26) for spec in frames]
    top = _legend_box(panel, handles, labels, "Legend", 1.0) if frames else 1.0
    borders = CATALOGUE["borders"]
    if borders in frames:
        codes = dict(zip(frames[borders]["code"], frames[borders]["name"], strict=True))
        shown = [c for c in TERRITORY_FILL if c in codes]
        style = borders.style
        handles = [_patch(full_path_style(style, "territory", c), 0.5) for c in shown]
        top = _legend_box(panel, handles, [codes[c] for c in shown], "Highlighted", top - 0.02)
    for spec in (s for s in frames if s.key):  # a layer's own colours: symbols, verdicts
        handles = [Patch(facecolor=color, edgecolor=INK, linewidth=0.5) for color, _ in spec.key]
        labels = [textwrap.fill(meaning, 30) for _, meaning in spec.key]
        bottom = _legend_box(panel, handles, labels, spec.title, top - 0.02)
        if bottom < NOTES_ROOM:  # no room left for it and the notes: the page's legend has it
            panel.artists[-1].remove()
            break
        top = bottom
    panel.text(
        0.02,
        top - 0.03,
        notes,
        transform=panel.transAxes,
        fontsize=6.3,
        color=MUTED,
        va="top",
        linespacing=1.4,
        parse_math=False,
    )


def _legend_box(panel: Axes, handles: list, labels: list[str], title: str, top: float) -> float:
    """A legend whose top is at ``top`` (axes fraction); returns its bottom."""
    box = Legend(
        panel,
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.0, top, 1.0, 0.0),
        mode="expand",
        title=title,
        fontsize=7.6,
        title_fontsize=8.4,
        alignment="left",
        frameon=True,
        fancybox=False,
        edgecolor=FRAME,
        handlelength=2.4,
        handleheight=1.1,
        labelspacing=0.7,
        borderpad=0.8,
        borderaxespad=0.0,
    )
    box.get_title().set(fontweight="bold", parse_math=False)
    for text in box.get_texts():
        text.set_parse_math(False)
    box.get_frame().set_linewidth(0.6)
    panel.add_artist(box)
    renderer = panel.figure.canvas.get_renderer()
    extent = box.get_window_extent(renderer).transformed(panel.transAxes.inverted())
    return float(extent.y0)


def _swatch(style: Style, gdf: gpd.GeoDataFrame) -> Patch | Line2D:
    """The layer's look: a filled patch for areas, else a line for lines, else a dot."""
    kinds = geometry_kinds(gdf.geometry.to_numpy())
    for kind in (POLYGON, LINE, POINT):
        rows = np.flatnonzero(kinds == kind)
        if len(rows):
            look = full_path_style(style, gdf["role"].iloc[rows[0]])
            break
    else:
        return _patch(full_path_style(style, ""), max(style.fill_opacity, 0.25))
    if kind == POLYGON:
        return _patch(look, max(look["fillOpacity"], 0.25))
    width = max(line_width_pt(look["weight"]), 1.2)
    if kind == LINE:
        return Line2D(
            [],
            [],
            color=look["color"],
            linewidth=width,
            linestyle=line_style(look["dashArray"], width),
        )
    return Line2D(
        [],
        [],
        color=look["color"],
        marker="o",
        linestyle="none",
        markersize=5,
        markeredgecolor="white",
        markeredgewidth=0.6,
    )


def _patch(look: dict[str, Any], fill_alpha: float) -> Patch:
    width = max(line_width_pt(look["weight"]), 0.8)
    return Patch(
        facecolor=to_rgba(look["fillColor"], fill_alpha),
        edgecolor=look["color"],
        linewidth=width,
        linestyle=line_style(look["dashArray"], width),
    )


def draw_scale_bar(ax: Axes, bar: ScaleBar) -> Bbox:
    """The bar in four alternating segments, labelled 0, half and the length, on a white box.

    Returns the box's extent in display pixels, for labels to keep clear of.
    """
    (x0, x1), y = bar.xs, bar.y
    per_in = inches_to_data(ax)
    h = 0.055 * per_in
    edges = np.linspace(x0, x1, 5)
    for i, (a, b) in enumerate(pairwise(edges)):
        ax.add_patch(
            Rectangle(
                (a, y),
                b - a,
                h,
                facecolor=INK if i % 2 == 0 else "white",
                edgecolor=INK,
                linewidth=0.6,
                zorder=Z_FURNITURE + 1,
            )
        )
    texts = [("0", x0), (f"{bar.length / 2:g}", (x0 + x1) / 2), (bar.label, x1)]
    for text, x in texts:
        ax.text(
            x,
            y + h + 0.04 * per_in,
            text,
            fontsize=6.8,
            color=INK,
            ha="center",
            va="bottom",
            zorder=Z_FURNITURE + 1,
            parse_math=False,
        )
    pad = 0.1 * per_in
    box = FancyBboxPatch(
        (x0 - pad, y - pad),
        x1 - x0 + 2 * pad + 0.15 * per_in,
        h + 0.24 * per_in + pad,
        zorder=Z_FURNITURE,
        alpha=0.9,
        **_box_style(per_in),
    )
    return ax.add_patch(box).get_window_extent()


def draw_north_arrow(ax: Axes, x: float, y: float, angle_deg: float) -> Bbox:
    """A two-tone needle centred at ``(x, y)`` pointing ``angle_deg`` clockwise from up, and N.

    Returns the box's extent in display pixels, for labels to keep clear of.
    """
    per_in = inches_to_data(ax)
    half_len, half_w = 0.2 * per_in, 0.075 * per_in
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    tip, notch = (0.0, half_len), (0.0, -0.45 * half_len)
    left, right = (-half_w, -half_len), (half_w, -half_len)
    for shape, face in (((tip, left, notch), INK), ((tip, notch, right), "white")):
        xy = np.array(shape) @ rot.T + (x, y)
        ax.add_patch(
            Polygon(
                xy,
                closed=True,
                facecolor=face,
                edgecolor=INK,
                linewidth=0.6,
                joinstyle="miter",
                zorder=Z_FURNITURE + 1,
            )
        )
    nx, ny = np.array([0.0, half_len + 0.1 * per_in]) @ rot.T + (x, y)
    ax.text(
        nx,
        ny,
        "N",
        fontsize=9,
        fontweight="bold",
        color=INK,
        ha="center",
        va="center",
        rotation=-angle_deg,
        zorder=Z_FURNITURE + 1,
        parse_math=False,
    )
    r = 0.26 * per_in
    box = FancyBboxPatch(
        (x - r, y - 0.28 * per_in),
        2 * r,
        0.72 * per_in,
        zorder=Z_FURNITURE,
        alpha=0.9,
        **_box_style(per_in),
    )
    return ax.add_patch(box).get_window_extent()


def _box_style(per_in: float) -> dict[str, Any]:
    return {**_BOX, "boxstyle": f"round,pad=0,rounding_size={0.05 * per_in}"}
