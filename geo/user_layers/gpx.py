"""GPX: waypoints, routes and tracks, with their times; checked with expat first.

GDAL's GPX driver reads the file as five layers. Three are kept as the user's layers:
``waypoints``, ``routes`` and ``tracks``; ``route_points`` and ``track_points`` are the
same positions again, one row per vertex.

Before GDAL reads it, every ``wpt``, ``rtept`` and ``trkpt`` is checked with expat: GDAL
(3.12) reads ``lat="abc"`` as latitude 0 and drops a waypoint without ``lat`` without a
word (measured). A point whose ``lat`` or ``lon`` is missing or not a number is cut from
the text, and a note names it (a waypoint by its name, a route or track point by its
route's or track's name) with its line; the rest is read.

The lines are built here from those vertex
layers rather than taken from GDAL's ``routes`` and ``tracks``, because GDAL (3.12)
turns a route or a track with a one-point segment into an invalid geometry that is
lost whole (measured). Here a one-point segment is a point, a track's segments are the
parts of one multi-line, and each track gets ``begin`` and ``end``: the times of its first
and last timed position.
"""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.errors import FileInputError
from geo.user_layers.files import _shown
from geo.user_layers.gdal_read import _cap, _check_layer_count, _gdal, _read_layer
from geo.user_layers.kml import _check_xml
from geo.user_layers.kml_repair import _NUMBER_RE, _element_end, _Repair
from geo.user_layers.limits import Limits, _Raw
from geo.user_layers.text import _clean_text, _count, _listed

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

# The user's layer, the layer of its vertices, and the field naming each vertex's line.
_LAYERS = (
    ("waypoints", None, None),
    ("routes", "route_points", ("route_fid",)),
    ("tracks", "track_points", ("track_fid", "track_seg_id")),
)


def _read_gpx(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    _check_xml(data, name, "gpx", "GPX")
    data, cut = _without_bad_points(data)
    listed = {str(title) for title, _ in _gdal(pyogrio.list_layers, data, name, "GPX")}
    if "waypoints" not in listed:
        raise FileInputError(f"'{name}' is not a readable GPX file (no GPX layers in it)")
    driver = _gdal(pyogrio.read_info, data, name, "GPX", layer="waypoints")["driver"]
    if driver != "GPX":
        raise FileInputError(f"'{name}' is not a GPX file (it reads as {driver})")
    budget, raws = limits.max_features, []
    for title, vertex_layer, keys in _LAYERS:
        frame = _read_layer(data, name, "GPX", title, budget, limits, on_invalid="ignore")
        budget -= len(frame)
        if frame.empty:
            continue
        unset = [c for c in frame.columns if c != frame.geometry.name and frame[c].isna().all()]
        frame = frame.drop(columns=unset)  # GPX's two dozen optional fields
        notes: list[str] = []
        if vertex_layer is not None and keys is not None:
            frame, notes = _lines_from_vertices(frame, data, name, vertex_layer, keys, limits)
        notes += cut.pop(title, [])
        raws.append(_Raw(title, frame, "feature", np.arange(1, len(frame) + 1), notes))
    _check_layer_count(len(raws), name, limits)
    left = [note for notes in cut.values() for note in notes]  # a layer left with nothing
    if raws and left:
        raws[0].notes.extend(left)
    return raws


_POINTS = {"wpt": "waypoints", "rtept": "routes", "trkpt": "tracks"}


@dataclass
class _Open:
    """An open element: its name, where it starts, and for a point why it is bad."""

    local: str
    start: int
    line: int
    why: str = ""
    name: str = ""  # a waypoint's, route's or track's <name>


def _without_bad_points(data: bytes) -> tuple[bytes, dict[str, list[str]]]:
    """The GPX without points whose lat or lon is missing or not a number, and notes
    naming them, per layer (``data`` has passed :func:`geo.user_layers.kml._check_xml`)."""
    repair = _Repair()
    found: dict[str, list[str]] = {}  # layer -> "waypoint 'x' (line 3): why"
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    stack: list[_Open] = []
    text: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Open(tag.rpartition(" ")[2], parser.CurrentByteIndex, parser.CurrentLineNumber)
        if element.local in _POINTS:
            element.why = _bad_position(attrs)
        stack.append(element)
        text.clear()

    def end(_tag: str) -> None:
        element = stack.pop()
        parent = stack[-1] if stack else None
        if element.local == "name" and parent is not None:
            parent.name = _clean_text("".join(text)).strip()
        if not element.why:
            return
        cut = (element.start, _element_end(data, element.start, parser.CurrentByteIndex))
        repair.edits.append((*cut, b""))
        if element.local == "wpt":
            label = f"waypoint {_shown(element.name)}" if element.name else "a waypoint"
        else:
            kind = "route" if element.local == "rtept" else "track"
            owner = next((e.name for e in reversed(stack) if e.local in ("rte", "trk")), "")
            label = f"a point of {kind} {_shown(owner)}" if owner else f"a point of a {kind}"
        found.setdefault(_POINTS[element.local], []).append(
            f"{label} (line {element.line}): {element.why}"
        )

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text.append
    parser.EndElementHandler = end
    parser.Parse(data, True)
    notes = {
        layer: [f"{_count(len(items), 'point')} left out: {_listed(items, sep='; ')}"]
        for layer, items in found.items()
    }
    return repair.apply(data), notes


def _bad_position(attrs: dict[str, str]) -> str:
    """Why a point's ``lat`` and ``lon`` cannot be read, or ``""``."""
    for axis in ("lat", "lon"):
        value = attrs.get(axis)
        if value is None:
            return f"it has no {axis}"
        if not _NUMBER_RE.fullmatch(value.strip()):
            return f"its {axis} {_shown(value)} is not a number"
    return ""


def _lines_from_vertices(
    frame: gpd.GeoDataFrame,
    data: bytes,
    name: str,
    layer: str,
    keys: tuple[str, ...],
    limits: Limits,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Each route's or track's geometry from its vertices, and its first and last time."""
    fields = [str(f) for f in _gdal(pyogrio.read_info, data, name, "GPX", layer=layer)["fields"]]
    columns = [*keys, *(["time"] if "time" in fields else [])]
    vertices = _gdal(
        pyogrio.read_dataframe,
        data,
        name,
        "GPX",
        layer=layer,
        columns=columns,
        max_features=_cap(limits.max_vertices),
    )
    if len(vertices) > limits.max_vertices:
        raise FileInputError(
            f"'{name}' has more than {limits.max_vertices:,} vertices (the limit): simplify it "
            "first"
        )
    xy = shapely.get_coordinates(vertices.geometry.to_numpy())
    owner = vertices[keys[0]].to_numpy(dtype=np.int64)
    order = np.lexsort(vertices[list(keys)].to_numpy(dtype=np.int64).T[::-1])
    vertices, xy, owner = vertices.iloc[order], xy[order], owner[order]
    # each segment (or route) is a part, numbered in the order they appear
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(vertices[list(keys)]))
    sizes = np.bincount(codes, minlength=len(uniques))
    singles = sizes[codes] == 1
    parts = np.empty(len(uniques), dtype=object)
    if (~singles).any():
        shapely.linestrings(xy[~singles], indices=codes[~singles], out=parts)
    parts[codes[singles]] = shapely.points(xy[singles])
    part_owner = np.asarray([key[0] for key in uniques], dtype=np.int64)  # sorted
    geoms = np.full(len(frame), None, dtype=object)
    points_made = int(singles.sum())  # a single vertex is a part of its own
    breaks = np.flatnonzero(np.diff(part_owner)) + 1  # the parts of one line are together
    firsts = part_owner[np.r_[0, breaks]] if len(part_owner) else part_owner
    for fid, mine in zip(firsts, np.split(parts, breaks), strict=False):
        if 0 <= fid < len(frame):
            geoms[fid] = _one_geometry(list(mine))
    out = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    notes = []
    if points_made:
        what = "track segment" if layer == "track_points" else "route"
        notes.append(f"{_count(points_made, what)} with one position read as a point")
    if "time" in columns:
        times = pd.to_datetime(vertices["time"], utc=True, errors="coerce")
        timed = pd.DataFrame({"owner": owner, "time": times}).dropna()
        first = timed.groupby("owner")["time"].first()
        last = timed.groupby("owner")["time"].last()
        if not first.empty:
            out.insert(len(out.columns) - 1, "begin", first.reindex(range(len(out))).to_numpy())
            out.insert(len(out.columns) - 1, "end", last.reindex(range(len(out))).to_numpy())
    return out, notes


def _one_geometry(parts: list[shapely.Geometry]) -> shapely.Geometry | None:
    """A line's parts as one geometry: a line, a multi-line, a point or a collection."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if all(p.geom_type == "LineString" for p in parts):
        return shapely.multilinestrings(parts)
    return shapely.geometrycollections(parts)
