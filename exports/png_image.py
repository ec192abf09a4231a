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

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.transforms import Bbox
from pyproj import Transformer

from exports.png_draw import draw_labels, draw_layer, polygon_paths
from exports.png_frame import map_extent, map_view, north_angle_deg, projection_centre, scale_bar
from exports.png_layout import draw_north_arrow, draw_scale_bar, header_footer, legend, page
from geo.data import DATA_DIR, territories_display
from geo.errors import ExportError
from geo.projections import project
from layers.attribution import ATTRIBUTION
from layers.catalogue import CATALOGUE
from layers.spec import LayerSpec
from layers.units import check_unit

MIN_PX = (1600, 1000)
MAX_PX = (8000, 8000)
# Lon/lat bounds shown when only context layers are drawn: Belarus and its neighbours.
DATA_SUFFIXES = (".fgb", ".csv", ".geojson", ".json", ".toml")  # claims.toml is data too
LAND_COLOR, LAND_EDGE = "#ebebe8", "#a9a9a9"
SUBTITLE = "Strategic geography of Belarus and NATO's Baltic flank"
UNIT_NAMES = {"km": "kilometres", "mi": "statute miles", "nmi": "nautical miles"}
# Context sites worth a label: the rest are dots (the sites layer has ~140).
LABELLED_KINDS = {"capital": True, "admin_centre": False}  # kind → emphasised
LABELLED_ROLES = ("site", "unit", "user_point")  # points named on the map
SAME_PLACE_M = 5000.0  # labels of one name closer than about this are one place
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
    _draw_site_labels(ax, frames, transformer, bounds, avoid=(bar_box, arrow_box))
    legend(panel, frames, _notes(projection_centre(extent), unit))
    version, today = data_version(), dt.date.today().isoformat()
    stamp = f"{today}  ·  data version {version}\nBaltic Flank Atlas"
    header_footer(fig, title, f"{SUBTITLE}  ·  distances in {unit}", ATTRIBUTION, stamp)
    metadata = {
        "Title": title,
        "Software": f"Baltic Flank Atlas (matplotlib {matplotlib.__version__})",
        "Source": ATTRIBUTION,
        "Description": f"Layers: {', '.join(s.id for s in frames)}; unit: {unit}; "
        f"data version: {version}",
        "Creation Time": today,
    }
    fig.savefig(path, format="png", dpi=fig.dpi, metadata=metadata)


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
    _draw_country_names(ax, land, territories_display()["name"].tolist(), bounds)
    # Context underneath, then the claims ledger, then the strategic layers on top.
    specs = sorted(frames, key=lambda s: DRAW_ORDER.get(s.group, len(DRAW_ORDER)))
    for order, spec in enumerate(specs):
        context = spec.group == "context"
        draw_layer(ax, frames[spec], spec.style, transformer, order=order, context=context)


COUNTRY_NAME_MIN_SHARE = 0.03  # a country is named if it fills 3% of the map or more
COUNTRY_NAME_COLOR = "#8a8a8a"


def _draw_country_names(
    ax: Axes, land: np.ndarray, names: list[str], bounds: tuple[float, float, float, float]
) -> None:
    """Name each country that fills enough of the map, inside its visible part, in grey."""
    frame = shapely.box(*bounds)
    # Names are placed away from the map's edge, so none is cut off.
    inner = shapely.box(*bounds).buffer(-0.06 * (bounds[2] - bounds[0]))
    visible = shapely.intersection(land, frame)
    share = shapely.area(visible) / frame.area
    for geom, name, part in zip(shapely.intersection(land, inner), names, share, strict=True):
        if part < COUNTRY_NAME_MIN_SHARE or geom.is_empty:
            continue
        spot = shapely.point_on_surface(geom)
        ax.text(
            spot.x,
            spot.y,
            str(name).split(" (")[0].upper(),  # "Russia (west of 45°E)" → "RUSSIA"
            parse_math=False,
            fontsize=9,
            color=COUNTRY_NAME_COLOR,
            ha="center",
            va="center",
            zorder=1.5,
            alpha=0.9,
        )


def _draw_site_labels(
    ax: Axes,
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    transformer: Transformer,
    bounds: tuple[float, float, float, float],
    *,
    avoid: tuple[Bbox, ...],
) -> None:
    """Name the sites and units of the non-context layers, then context capitals and centres.

    Only points inside the map are named, a place in two layers once.
    """
    chosen = []
    for spec in sorted(frames, key=lambda s: s.group == "context"):
        gdf = frames[spec]
        points = gdf[gdf["role"].isin(LABELLED_ROLES) & (gdf.geom_type == "Point")]
        if spec.group == "context":
            kinds = points.get("kind", pd.Series("", index=points.index))
            points = points[kinds.isin(list(LABELLED_KINDS))]
            strong = kinds[points.index].map(LABELLED_KINDS).to_numpy(dtype=bool)
        else:
            strong = np.ones(len(points), dtype=bool)
        chosen.append((points, strong))
    if not chosen:
        return
    names = [str(n) for pts, _ in chosen for n in pts["name"]]
    strong = np.concatenate([s for _, s in chosen])
    geoms = np.concatenate([pts.geometry.to_numpy() for pts, _ in chosen])
    xy = shapely.get_coordinates(project(geoms, transformer)).reshape(-1, 2)
    inside = shapely.contains_xy(shapely.box(*bounds), xy[:, 0], xy[:, 1])
    # The same place in two layers (Vilnius) is named once; namesakes apart are both named.
    spot = np.round(xy / SAME_PLACE_M).astype(np.int64)
    first = ~pd.DataFrame({"name": names, "x": spot[:, 0], "y": spot[:, 1]}).duplicated().to_numpy()
    keep = np.flatnonzero(inside & first)
    draw_labels(ax, xy[keep], [names[i] for i in keep], strong=strong[keep], avoid=avoid)


def _notes(centre: tuple[float, float], unit: str) -> str:
    """The map's projection and units, for the legend panel."""
    lon, lat = centre
    return (
        f"Projection: Lambert azimuthal equal-area\ncentred on {lat:g}°N {lon:g}°E (WGS84).\n"
        f"Scale bar: geodesic length, {UNIT_NAMES[unit]}.\nNorth arrow: true north."
    )
