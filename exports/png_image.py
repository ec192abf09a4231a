"""A PNG of catalogue layers for slides, drawn with matplotlib (Agg; no network, no browser).

The map is in a Lambert azimuthal equal-area projection centred on what it shows, so
areas are true and north is straight up at the centre. It carries a title, a legend
with one row per layer, a geodesic scale bar (the WGS84 distance between its ends is
its label), a north arrow pointing to true north where it stands, and a footer with
the attribution, the date and the data version. Every string is drawn literally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox
from pyproj import Transformer

from exports.png_draw import PT_PER_PX, Z_LABEL, draw_layer, polygon_paths
from exports.png_frame import map_extent, map_view, north_angle_deg, projection_centre, scale_bar
from exports.png_layout import INK, draw_north_arrow, draw_scale_bar, header_footer, legend, page
from geo.data import DATA_DIR, territories_display
from geo.errors import ExportError
from geo.projections import project
from layers.attribution import ATTRIBUTION
from layers.catalogue import CATALOGUE
from layers.labels import (
    COUNTRY,
    DOT_PX,
    GAP_PX,
    LABEL_COLUMNS,
    NEAR_PX,
    SAME_PX,
    SYMBOL_BOX_PX,
    label_table,
    place_labels,
)
from layers.spec import LayerSpec
from layers.units import check_unit, render_distances

MIN_PX = (1600, 1000)
MAX_PX = (8000, 8000)
# Lon/lat bounds shown when only context layers are drawn: Belarus and its neighbours.
DATA_SUFFIXES = (".fgb", ".csv", ".geojson", ".json", ".toml")  # claims.toml is data too
LAND_COLOR, LAND_EDGE = "#ebebe8", "#a9a9a9"
SUBTITLE = "Strategic geography of Belarus and NATO's Baltic flank"
UNIT_NAMES = {"km": "kilometres", "mi": "statute miles", "nmi": "nautical miles"}
NORTH_ARROW_AT = (0.945, 0.87)  # fraction of the map's width and height


@lru_cache(maxsize=1)
def data_version() -> str:
    """A short content hash of the data files (names and bytes), stable between runs.

    Returns
    -------
    str
        The first 10 hex digits of the SHA-256 over the sorted ``.fgb``, ``.csv``,
        ``.geojson`` and ``.json`` files in ``data/``.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in DATA_DIR.iterdir() if p.suffix in DATA_SUFFIXES):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


DRAW_ORDER = {"context": 0, "claims": 1, "strategic": 2, "user": 3}


def check_size(width_px: int, height_px: int) -> None:
    """Raise :class:`ExportError` unless the size is within :data:`MIN_PX`–:data:`MAX_PX`."""
    (min_w, min_h), (max_w, max_h) = MIN_PX, MAX_PX
    if not (min_w <= width_px <= max_w and min_h <= height_px <= max_h):
        raise ExportError(
            f"PNG size {width_px}×{height_px} px is out of range: width must be "
            f"{min_w}–{max_w} px and height {min_h}–{max_h} px (default 2000×1250)"
        )


def write_png(
    path: Path,
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    *,
    title: str,
    unit: str = "km",
    width_px: int = 2000,
    height_px: int = 1250,
) -> None:
    """Write the layers as a PNG map for slides, ``width_px`` × ``height_px`` exactly.

    Parameters
    ----------
    path : Path
        The file to write (its folder must exist).
    frames : mapping of LayerSpec to GeoDataFrame
        Layer → features, as :func:`exports.formats.layer_frames` returns them.
    title : str
        The map's title, drawn literally (also the PNG's ``Title``).
    unit : str, optional
        The scale bar's unit: ``km``, ``mi`` or ``nmi``.
    width_px, height_px : int, optional
        The image size, at least 1600 × 1000 and at most 8000 × 8000.

    Raises
    ------
    ExportError
        For a size out of range or a missing folder.
    UnknownNameError
        For an unknown unit.
    """
    check_size(width_px, height_px)
    check_unit(unit)
    if not Path(path).parent.exists():
        raise ExportError(f"folder '{Path(path).parent}' does not exist")
    fig, _ = draw_png(frames, title=title, unit=unit, width_px=width_px, height_px=height_px)
    version, today = data_version(), dt.date.today().isoformat()
    metadata = {
        "Title": title,
        "Software": f"Baltic Flank Atlas (matplotlib {matplotlib.__version__})",
        "Source": ATTRIBUTION,
        "Description": f"Layers: {', '.join(s.id for s in frames)}; unit: {unit}; "
        f"data version: {version}",
        "Creation Time": today,
    }
    fig.savefig(path, format="png", dpi=fig.dpi, metadata=metadata)


def draw_png(
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    *,
    title: str,
    unit: str = "km",
    width_px: int = 2000,
    height_px: int = 1250,
) -> tuple[Figure, list[Any]]:
    """The PNG's figure (see :func:`write_png`, which checks the arguments) and the map
    labels drawn on it."""
    fig, ax, panel = page(width_px, height_px)
    box = ax.get_position()
    aspect = (box.width * fig.get_figwidth()) / (box.height * fig.get_figheight())
    extent = map_extent(frames)
    transformer, bounds = map_view(extent, aspect)
    _draw_map(ax, frames, transformer, bounds)
    bar_box = draw_scale_bar(ax, scale_bar(bounds, transformer, unit=unit))
    xmin, ymin, xmax, ymax = bounds
    fx, fy = NORTH_ARROW_AT
    x, y = xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin)
    lon, lat = transformer.transform(x, y, direction="INVERSE")
    arrow_box = draw_north_arrow(ax, x, y, north_angle_deg(lon, lat, transformer))
    labels = draw_map_labels(ax, map_labels(frames, unit), transformer, avoid=(bar_box, arrow_box))
    legend(panel, frames, _notes(projection_centre(extent), unit))
    version, today = data_version(), dt.date.today().isoformat()
    stamp = f"{today}  ·  data version {version}\nBaltic Flank Atlas"
    header_footer(fig, title, f"{SUBTITLE}  ·  distances in {unit}", ATTRIBUTION, stamp)
    return fig, labels


def _draw_map(
    ax: Axes,
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    transformer: Transformer,
    bounds: tuple[float, float, float, float],
) -> None:
    """Land underneath, the layers (context first), then the point labels."""
    xmin, ymin, xmax, ymax = bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="datalim")
    land = project(territories_display().geometry.to_numpy(), transformer)
    paths, _ = polygon_paths(land)
    edge = "none" if CATALOGUE["borders"] in frames else LAND_EDGE
    ax.add_collection(
        PathCollection(paths, facecolors=LAND_COLOR, edgecolors=edge, linewidths=0.5, zorder=1),
        autolim=False,
    )
    # Context underneath, then the claims ledger, then the strategic layers on top.
    specs = sorted(frames, key=lambda s: DRAW_ORDER.get(s.group, len(DRAW_ORDER)))
    for order, spec in enumerate(specs):
        context = spec.group == "context"
        draw_layer(ax, frames[spec], spec.style, transformer, order=order, context=context)


# Label text by priority (layers/catalogue.py): the seeds' figures largest, context smallest.
LABEL_PT = {1: 8.0, 2: 7.5, 3: 7.0, 4: 7.0, 5: 7.0, 6: 7.0}
LABEL_PT_CONTEXT = 6.0
COUNTRY_COLOR = "#7a7a7a"


def map_labels(frames: Mapping[LayerSpec, gpd.GeoDataFrame], unit: str) -> pd.DataFrame:
    """Every label of the map, in the order they are placed: the layers' labels
    (:func:`layers.labels.label_table`), and the land's country names when the
    territories layer is not drawn (the land is), most urgent first."""
    tables = [label_table(spec, gdf) for spec, gdf in frames.items()]
    if CATALOGUE["borders"] not in frames:
        land = territories_display().assign(role="territory")
        tables.append(label_table(CATALOGUE["borders"], land))
    tables = [t for t in tables if not t.empty]
    if not tables:
        return pd.DataFrame({c: [] for c in LABEL_COLUMNS})
    table = pd.concat(tables).sort_values("priority", kind="stable", ignore_index=True)
    table["text"] = [render_distances(t, unit, label=True) for t in table["text"]]
    return table


def draw_map_labels(
    ax: Axes,
    table: pd.DataFrame,
    transformer: Transformer,
    *,
    avoid: tuple[Bbox, ...] = (),
) -> list[Any]:
    """Place the labels on the map as the page does (:func:`layers.labels.place_labels`).

    Each is measured as drawn, tried at its place's candidate spots in turn and drawn at
    the first inside the map and clear of ``avoid`` and of the labels before it, or
    left out. Returns the drawn text artists.
    """
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()
    if table.empty:
        return []
    x, y = transformer.transform(table["lon"].to_numpy(), table["lat"].to_numpy())
    pixels = ax.transData.transform(np.column_stack([x, y]))
    height = ax.figure.bbox.height
    flip = np.column_stack([pixels[:, 0], height - pixels[:, 1]])  # screen-like: y down
    pairs = zip(table["text"], table["priority"], strict=True)
    texts = [_text(ax, str(t), int(p)) for t, p in pairs]
    sizes = np.array([t.get_window_extent(renderer).size for t in texts]).reshape(-1, 2)
    frame = ax.get_window_extent(renderer).extents
    px = ax.figure.dpi / 96  # the page's pixel, in this figure's
    taken = [(b.x0, height - b.y1, b.x1, height - b.y0) for b in avoid]
    chosen, boxes = place_labels(
        flip,
        sizes,
        table["place"],
        table["text"],
        (frame[0], height - frame[3], frame[2], height - frame[1]),
        taken=taken,
        gap=GAP_PX * px,
        same=SAME_PX * px,
        near=NEAR_PX * px,
        dot=DOT_PX * px,
        symbol=tuple(v * PT_PER_PX * ax.figure.dpi / 72 for v in SYMBOL_BOX_PX),  # as drawn
    )
    to_data = ax.transData.inverted()
    drawn = []
    for text, k, box in zip(texts, chosen, boxes, strict=True):
        if k < 0:
            text.remove()
            continue
        text.set_position(to_data.transform((box[0], height - box[3])))  # its lower left
        drawn.append(text)
    return drawn


def _text(ax: Axes, text: str, priority: int) -> Any:
    context = priority not in LABEL_PT
    country = priority == COUNTRY
    return ax.text(
        0,
        0,
        text,
        ha="left",
        va="bottom",
        parse_math=False,
        fontsize=LABEL_PT_CONTEXT if context else LABEL_PT[priority],
        fontweight="normal" if context or country else "bold",
        color=COUNTRY_COLOR if country else INK,
        path_effects=[withStroke(linewidth=2.2, foreground="white", alpha=0.9)],
        zorder=Z_LABEL + (10 - priority) / 100,  # over every point, the urgent ones on top
        clip_on=True,
    )


def _notes(centre: tuple[float, float], unit: str) -> str:
    """The map's projection and units, for the legend panel."""
    lon, lat = centre
    return (
        f"Projection: Lambert azimuthal equal-area\ncentred on {lat:g}°N {lon:g}°E (WGS84).\n"
        f"Scale bar: geodesic length, {UNIT_NAMES[unit]}.\nNorth arrow: true north."
    )
