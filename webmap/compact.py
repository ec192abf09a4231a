"""Compact layers: the form our pages carry layers in, and how a page gets the script for them.

A layer travels as one compact JSON object that the page turns back into a GeoJSON
FeatureCollection (``atlasGeo.collection``) and one Leaflet GeoJSON layer with the same
styles, tooltips and popups folium's GeoJson would give (``atlasGeo.layer``):

``k``  coordinate units per degree (1e5 for the 1 m grid, 2e4 for the display borders);
``a``  arcs: polygon boundaries split where neighbours meet, each stored once;
``g``  geometries used by more than one feature;
``s``  styles (Leaflet path options); ``t`` label lines that recur;
``f``  features: [geometry (or index into ``g``), style index, name, label lines];
``m``  map labels, if any (:mod:`layers.labels`), in the order they are placed: [lon,
       lat, escaped text, priority, place index into ``layers.spec.LABEL_PLACES``], or
       [feature index, priority] for a point feature's name beside it.

A geometry is [type, coordinates] (type 0–5: Point, MultiPoint, LineString,
MultiLineString, Polygon, MultiPolygon) with each line or ring a string in Google's
encoded-polyline format (lon, lat deltas in units of 1/k; our digits, see ALPHABET). The
strings are decoded in order (``a``, ``g``, ``f``), each continuing from where the one
before it ended. In a ring's string, ``!`` and one number (5 bits a digit, low first, as
a coordinate's digits) refer to a shared arc: half the number is the step, zigzag, from
the arc referred to before in the layer (from 0 at first), and an odd number takes the arc
reversed. The arc's vertices join the ring, its first left out if it equals the vertex
the ring stands on; the ring's own deltas, and the next string if the ring ends there, go
on from the arc's end as used. A stretch between two arcs carries neither of the vertices
it shares with them (one it has twice, it keeps). Anything else is plain GeoJSON.
Names and label lines are HTML-escaped text (:func:`layers.escape.escape_text`), joined by
``<br>`` in the popup.

The script (``atlasGeo``) is ``webmap/js/atlas-geo.js``: exported pages carry it in their
head (:func:`add_runtime`), the app's map loads it from ``/app/static/atlas``
(:func:`link_runtime`).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter

import folium
import numpy as np
import shapely
from branca.element import Element
from shapely.geometry.base import BaseGeometry

from webmap.assets import APP_JS_URL, OWN_JS, own_js

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
# shapely's type ids of the types above (a LinearRing is a LineString in GeoJSON).
_SHAPELY_TYPES = {
    0: "Point",
    1: "LineString",
    2: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
}
# The encoded-polyline digits: base64url's alphabet with "." for "_", so that no string needs
# escaping in JSON, HTML or a Jinja template.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-."
# The grids a layer's coordinates may lie on (our data's); anything finer is drawn to 1e-5°.
GRIDS_DEG = (0.01, 0.005, 1e-3, 1e-4, 5e-5, 1e-5)
# Folium's GeoJsonPopup and GeoJsonTooltip styles, and our runtime (webmap/js/atlas-geo.js,
# plain ES5) as a page carries it.
RUNTIME_CSS = (
    ".foliumpopup{margin:auto}.foliumpopup table{margin:auto}.foliumpopup tr{text-align:left}"
    ".foliumpopup th{padding:2px;padding-right:8px}.foliumtooltip table{margin:auto}"
    ".foliumtooltip tr{text-align:left}.foliumtooltip th{padding:2px;padding-right:8px}"
)
RUNTIME_LINK = "atlas_geo_js"  # its name among a map's default_js (webmap.assets.OWN_JS)
APP_LINK = "atlas_app_js"  # the app's page only: served data, kept layers (webmap.served)
RUNTIME_JS = own_js(OWN_JS[RUNTIME_LINK])
RUNTIME_NAME = "atlas_geo_runtime"
_DIGITS = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
# In a ring's string: a reference to a shared arc follows (see _encode_all).
REF = "!"
# Placeholders for braces in strings: branca parses a rendered script again as a Jinja
# template, where "{{" in data would be an expression.
_BRACES = str.maketrans({"{": "\ue000", "}": "\ue001"})


def add_runtime(element: Element) -> None:
    """Put our script and the popup styles in the head of ``element``'s page (once).

    Exported pages carry the runtime this way. A page whose map loads it from the app's
    server instead (:func:`link_runtime`) keeps only the styles in its head.
    """
    header = element.get_root().header
    if RUNTIME_NAME not in header._children:
        header.add_child(
            Element(f"<style>{RUNTIME_CSS}</style><script>{RUNTIME_JS}</script>"),
            name=RUNTIME_NAME,
        )


def link_runtime(fmap: folium.Map, *, base_url: str = APP_JS_URL) -> folium.Map:
    """Have a map load our script from the app's server, and put the popup styles in its head.

    streamlit-folium writes a map's head into its frame as HTML, where a ``<script>``
    does not run, but it loads every ``default_js`` URL of the map, one after the other,
    before it runs the map's script and the layers sent with ``feature_group_to_add``:
    so the runtime is defined before anything calls it, and it is not sent again with
    every map script. The app's map also loads ``atlas-app.js``, which fetches the
    layer data the app serves as files (:mod:`webmap.served`) and keeps those layers
    drawn from one rerun to the next while they are shown.

    Parameters
    ----------
    fmap : folium.Map
        The map to change (in place; it is also returned).
    base_url : str, optional
        Where ``static/atlas`` (the copy of ``webmap/js``) is served.

    Returns
    -------
    folium.Map
        The same map.
    """
    fmap.get_root().header.add_child(Element(f"<style>{RUNTIME_CSS}</style>"), name=RUNTIME_NAME)
    fmap.default_js = [
        *fmap.default_js,
        *((name, f"{base_url}/{OWN_JS[name]}") for name in (RUNTIME_LINK, APP_LINK)),
    ]
    return fmap


def safe_json(data: object) -> str:
    """Compact JSON for a ``<script>``: UTF-8, ``<``, ``>``, ``&`` and ``'`` as escapes."""
    text = json.dumps(
        _hide_braces(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    for char in "<>&'\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text.replace("\ue000", "\\u007b").replace("\ue001", "\\u007d")


def _hide_braces(data: object) -> object:
    """``data`` with every brace in its strings (keys included) as a placeholder."""
    if isinstance(data, str):
        return data.translate(_BRACES)
    if isinstance(data, dict):
        return {_hide_braces(k): _hide_braces(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_hide_braces(v) for v in data]
    return data


def encode_paths(paths: list[np.ndarray], origin: np.ndarray | None = None) -> list[str]:
    """Integer ``(n, 2)`` paths as encoded-polyline strings of deltas (x before y).

    The first delta is from ``origin`` (default 0, 0), each later path's from where the
    one before it ended: the page decodes a layer's strings in that order.

    One vectorized pass over all their points (a layer has thousands of short paths).
    """
    if not paths:
        return []
    cursor = np.zeros(2, dtype=np.int64) if origin is None else np.reshape(origin, 2)
    starts = []
    for p in paths:
        starts.append(cursor)
        if len(p):
            cursor = np.reshape(p, (-1, 2))[-1]
    return _encode(paths, starts)


def _encode(paths: list[np.ndarray], starts: list[np.ndarray]) -> list[str]:
    """Integer paths as encoded-polyline strings, each path's first delta from its start
    (an empty path is an empty string)."""
    kept = [i for i, p in enumerate(paths) if len(p)]
    texts = [""] * len(paths)
    if not kept:
        return texts
    shaped = [np.reshape(paths[i], (-1, 2)).astype(np.int64) for i in kept]
    units = np.concatenate(shaped)
    sizes = np.array([len(p) for p in shaped])
    firsts = np.cumsum(sizes) - sizes
    before = np.empty_like(units)
    before[1:] = units[:-1]
    before[firsts] = np.reshape([starts[i] for i in kept], (-1, 2))
    deltas = (units - before).ravel()
    zigzag = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    chunks = (zigzag[:, None] >> (5 * np.arange(7))) & 31
    count = np.maximum(1, (np.floor(np.log2(np.maximum(zigzag, 1))).astype(int) + 5) // 5)
    used = np.arange(7) < count[:, None]
    more = np.arange(7) < count[:, None] - 1
    text = _DIGITS[(chunks | (more * 32))[used]].tobytes().decode("ascii")
    # Where each path's text ends: the digits of its points' two coordinates, summed.
    ends = np.concatenate([[0], np.cumsum(count.reshape(-1, 2).sum(axis=1))])[np.cumsum(sizes)]
    for i, (a, b) in zip(kept, itertools.pairwise([0, *ends.tolist()]), strict=True):
        texts[i] = text[a:b]
    return texts


def split_rings(rings: list[np.ndarray]) -> tuple[list[np.ndarray], list[list[tuple[int, bool]]]]:
    """Split rings that share boundaries into arcs, each shared stretch once.

    Parameters
    ----------
    rings : list of numpy.ndarray
        Vertex ids (any integers; equal ids are one vertex) of each ring, not closed.

    Returns
    -------
    arcs : list of numpy.ndarray
        Vertex ids of each arc, in a canonical direction. Arcs end where three or more
        boundaries meet; a ring that meets no other is one closed arc from its least id.
    refs : list of list of (int, bool)
        Per ring, its arcs in order as (arc index, reversed).
    """
    ids = np.concatenate(rings)
    ends = np.cumsum([len(r) for r in rings])
    nxt = np.roll(ids, -1)  # each vertex's successor: the ring's first after its last
    nxt[ends - 1] = ids[np.concatenate([[0], ends[:-1]])]
    pairs = np.sort(np.column_stack([ids, nxt]), axis=1)
    edges = pairs[np.unique(_row_keys(pairs), return_index=True)[1]]
    vertices, degree = np.unique(edges, return_counts=True)
    node_at = np.split(np.isin(ids, vertices[degree != 2]), ends[:-1])
    arcs: list[np.ndarray] = []
    index: dict[tuple[int, ...], int] = {}
    refs = []
    for ring, ring_nodes in zip(rings, node_at, strict=True):
        at = np.flatnonzero(ring_nodes)
        start = int(at[0]) if len(at) else int(np.argmin(ring))
        closed = np.concatenate((ring[start:], ring[: start + 1]))
        cuts = [*(at - start), len(ring)] if len(at) else [0, len(ring)]
        ring_refs = []
        for a, b in itertools.pairwise(cuts):
            fwd = tuple(closed[a : b + 1].tolist())
            key = min(fwd, fwd[::-1])
            if key not in index:
                index[key] = len(arcs)
                arcs.append(np.array(key))
            ring_refs.append((index[key], key != fwd))
        refs.append(ring_refs)
    return arcs, refs


def _row_keys(pairs: np.ndarray) -> np.ndarray:
    """One int64 per row of an integer ``(n, 2)`` array, ordered as the rows (x, then y).

    ``np.unique`` on these is ten times faster than on the rows (``axis=0``).
    """
    shifted = pairs.astype(np.int64) - pairs.min(axis=0)
    if shifted.size and shifted.max() >= 2**31:
        raise ValueError("coordinates span more than 2**31 units")
    return (shifted[:, 0] << 32) | shifted[:, 1]


def _units_per_degree(geometries: list[dict]) -> float:
    """Units of the coarsest grid of :data:`GRIDS_DEG` that every coordinate lies on."""
    coords = np.concatenate([c for g in geometries for c in _coordinate_arrays(g)] or [[[0, 0]]])
    for grid in GRIDS_DEG:
        if np.allclose(coords / grid, np.round(coords / grid), rtol=0, atol=1e-6):
            return round(1 / grid)
    return round(1 / GRIDS_DEG[-1])


def _coordinate_arrays(geometry: dict) -> list[np.ndarray]:
    """Every path (line, ring or point list) of an encodable GeoJSON geometry."""
    if not _encodable(geometry):
        return []
    return [np.array(p, dtype=float).reshape(-1, 2) for p in _paths(geometry)]


def _encodable(geometry: dict) -> bool:
    """Whether a geometry is one of :data:`GEOMETRY_TYPES` with coordinates."""
    coords = geometry.get("coordinates")
    return geometry.get("type") in GEOMETRY_TYPES and coords is not None and len(coords) > 0


def geometry_arrays(geom: BaseGeometry) -> dict:
    """A shapely geometry as GeoJSON whose lines, rings and points are numpy arrays.

    What :func:`compact_layer` takes, without writing and parsing JSON text
    (``json.loads(shapely.to_geojson(geom))`` costs 50 ms for the territories). A
    geometry collection or an empty geometry is plain GeoJSON.

    Parameters
    ----------
    geom : shapely geometry
        In lon/lat, 2D.

    Returns
    -------
    dict
        ``{"type": ..., "coordinates": ...}`` with each path an ``(n, 2)`` array (a
        point's coordinates a ``(2,)`` array).
    """
    kind = _SHAPELY_TYPES.get(int(shapely.get_type_id(geom)))
    if kind is None or geom.is_empty:
        return json.loads(shapely.to_geojson(geom))
    if kind == "Point":
        return {"type": kind, "coordinates": shapely.get_coordinates(geom)[0]}
    if kind in ("LineString", "MultiPoint"):
        return {"type": kind, "coordinates": shapely.get_coordinates(geom)}
    if kind == "Polygon":
        return {"type": kind, "coordinates": _ring_coordinates(geom)}
    parts = shapely.get_parts(geom)
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [shapely.get_coordinates(p) for p in parts]}
    return {"type": kind, "coordinates": [_ring_coordinates(p) for p in parts]}


def _ring_coordinates(polygon: BaseGeometry) -> list[np.ndarray]:
    return [shapely.get_coordinates(r) for r in shapely.get_rings(polygon)]


def _paths(geometry: dict) -> list[list]:
    """The coordinate lists of a geometry's lines and rings (a point's as a list of one)."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return [[coords]]
    if kind in ("MultiPoint", "LineString"):
        return [coords]
    if kind in ("MultiLineString", "Polygon"):
        return coords
    return [ring for polygon in coords for ring in polygon]


def _ring_arcs(geometries: list[dict], k: float) -> tuple[list[np.ndarray], dict[int, object]]:
    """Arcs of every polygon ring of a layer, and each ring by ``id`` of its list.

    A ring that is one arc nobody else uses stays a path (its coordinates in units); the
    others become lists of references to shared arcs and paths of their own stretches.
    """
    rings = [
        ring
        for g in geometries
        if g.get("type") in ("Polygon", "MultiPolygon") and _encodable(g)
        for ring in _paths(g)
    ]
    if not rings:
        return [], {}
    units = [np.round(np.array(r, dtype=float)[:-1] * k).astype(np.int64) for r in rings]
    _, ids = np.unique(_row_keys(np.concatenate(units)), return_inverse=True)
    vertex_ids = np.split(ids.ravel(), np.cumsum([len(u) for u in units])[:-1])
    arcs, refs = split_rings(vertex_ids)
    points = np.concatenate(units)[np.unique(ids.ravel(), return_index=True)[1]]
    uses = np.bincount([a for r in refs for a, _ in r], minlength=len(arcs))
    table: dict[int, int] = {}
    out: list[np.ndarray] = []
    encoded: dict[int, object] = {}
    for ring, ring_refs in zip(rings, refs, strict=True):
        if len(ring_refs) == 1 and uses[ring_refs[0][0]] == 1:
            encoded[id(ring)] = points[arcs[ring_refs[0][0]][:-1]]
            continue
        pieces = _Ring()
        for arc, rev in ring_refs:
            if uses[arc] == 1:  # its own stretch: inline, joined to the one before
                ids = arcs[arc][::-1] if rev else arcs[arc]
                if pieces and isinstance(pieces[-1], np.ndarray):
                    pieces[-1] = np.concatenate([pieces[-1], points[ids[1:]]])
                else:
                    pieces.append(points[ids])
                continue
            if arc not in table:
                table[arc] = len(out)
                out.append(points[arcs[arc]])
            pieces.append(~table[arc] if rev else table[arc])
        encoded[id(ring)] = _trim(pieces)
    return out, encoded


class _Ring(list):
    """A ring's pieces in order: its own stretches (integer ``(n, 2)`` arrays) and
    references to shared arcs (``i``, or ``~i`` reversed); written as one string."""


def _trim(pieces: _Ring) -> _Ring:
    """Own stretches without the end vertices an arc next to them in the ring gives.

    A stretch after an arc starts at the arc's last vertex, one before an arc ends at its
    first: the page takes both from the arc. It leaves out an arc's first vertex where
    the ring already stands on it, so a stretch that ends on that vertex twice (a
    repeated vertex) keeps its last. A ring's first stretch keeps its first vertex and
    its last stretch its last: they close the ring.
    """
    trimmed = _Ring()
    for i, piece in enumerate(pieces):
        if isinstance(piece, np.ndarray):
            after_arc = i > 0 and not isinstance(pieces[i - 1], np.ndarray)
            before_arc = i + 1 < len(pieces) and not isinstance(pieces[i + 1], np.ndarray)
            repeated_end = len(piece) > 1 and (piece[-2] == piece[-1]).all()
            piece = piece[int(after_arc) : len(piece) - int(before_arc and not repeated_end)]
            if not len(piece):
                continue
        trimmed.append(piece)
    return trimmed


def _encode_geometry(geometry: dict, k: float, rings: dict[int, object]) -> object:
    """[type, coordinates] with each path in integer units, or the plain GeoJSON."""
    if not _encodable(geometry):
        return geometry
    kind = geometry["type"]

    def path(p: list) -> object:
        if id(p) in rings:
            return rings[id(p)]
        return np.round(np.array(p, dtype=float).reshape(-1, 2) * k).astype(np.int64)

    coords = geometry["coordinates"]
    if kind == "Point":
        return [0, path([coords])]
    if kind in ("MultiPoint", "LineString"):
        return [GEOMETRY_TYPES.index(kind), path(coords)]
    if kind in ("MultiLineString", "Polygon"):
        return [GEOMETRY_TYPES.index(kind), [path(p) for p in coords]]
    return [5, [[path(r) for r in poly] for poly in coords]]


def compact_layer(
    geometries: list[dict],
    styles: list[dict],
    names: list[str],
    labels: list[list[str]],
    marks: list[list] = (),
) -> dict:
    """A layer in the compact form the page decodes (see the format above).

    Parameters
    ----------
    geometries : list of dict
        GeoJSON geometries, one per feature; paths may be numpy arrays
        (:func:`geometry_arrays`).
    styles : list of dict
        Leaflet path options per feature (a few distinct ones).
    names : list of str
        Tooltips: escaped text, already safe as HTML.
    labels : list of list of str
        Popup lines: escaped text, already safe as HTML.
    marks : list of list, optional
        Map labels, ``[lon, lat, text, priority, place index]`` (text escaped).

    Returns
    -------
    dict
        Plain JSON data (write it with :func:`safe_json`).
    """
    k = _units_per_degree(geometries)
    arcs, rings = _ring_arcs(geometries, k)
    encoded = [_encode_geometry(g, k, rings) for g in geometries]
    keys = [_key(e) for e in encoded]
    repeated = [key for key, n in Counter(keys).items() if n > 1]
    shared = {key: i for i, key in enumerate(repeated)}
    first = {key: e for key, e in zip(keys, encoded, strict=True)}
    style_keys = [json.dumps(s, sort_keys=True) for s in styles]
    style_index = {key: i for i, key in enumerate(dict.fromkeys(style_keys))}
    line_counts = Counter(line for label in labels for line in label)
    lines = [line for line, n in line_counts.items() if n > 1 and len(line) > 3]
    line_index = {line: i for i, line in enumerate(lines)}
    features = [
        [
            shared.get(key, geom),
            style_index[style_key],
            name,
            [line_index.get(line, line) for line in label],
        ]
        for geom, key, style_key, name, label in zip(
            encoded, keys, style_keys, names, labels, strict=True
        )
    ]
    # Paths become strings in the order the page decodes them: arcs, shared, features.
    arc_text, shared_text, feature_text = _encode_all(
        [arcs, [first[key] for key in repeated], features], arcs
    )
    compact = {
        "k": k,
        "a": arc_text,
        "g": shared_text,
        "s": [json.loads(key) for key in style_index],
        "t": lines,
        "f": feature_text,
    }
    if len(marks):
        # A label's spot to 1e-4° (~10 m) is as good as exact on any map.
        compact["m"] = [
            [round(m[0], 4), round(m[1], 4), *m[2:]] if len(m) > 2 else list(m) for m in marks
        ]
    return compact


def _key(value: object) -> object:
    """A hashable stand-in for an encoded geometry (to find repeated ones)."""
    if isinstance(value, np.ndarray):
        return value.tobytes()
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else value


def _encode_all(value: object, arcs: list[np.ndarray]) -> object:
    """``value`` with each integer path in it as an encoded string (:func:`encode_paths`)
    and each :class:`_Ring` as one string of its stretches and arc references.

    Paths are encoded in depth-first order, each continuing from where the one before it
    ended, or from the end of the arc referred to just before it: the order the page
    decodes them. A reference is :data:`REF` and one number in the polyline digits
    (:func:`_varint`, not zigzagged itself): the arc's index less the layer's reference
    before, zigzag, times 2, plus 1 if the arc is taken reversed.
    """
    paths: list[np.ndarray] = []
    starts: list[np.ndarray] = []
    cursor = np.zeros(2, dtype=np.int64)

    def collect(v: object) -> None:
        nonlocal cursor
        if isinstance(v, np.ndarray):
            paths.append(v)
            starts.append(cursor)
            if len(v):
                cursor = np.reshape(v, (-1, 2))[-1]
        elif isinstance(v, _Ring):
            for piece in v:
                if isinstance(piece, np.ndarray):
                    collect(piece)
                else:
                    cursor = arcs[~piece][0] if piece < 0 else arcs[piece][-1]
        elif isinstance(v, list):
            for item in v:
                collect(item)

    previous = 0

    def reference(piece: int) -> str:
        nonlocal previous
        index = ~piece if piece < 0 else piece
        step, previous = index - previous, index
        return REF + _varint(((~(step << 1) if step < 0 else step << 1) << 1) | (piece < 0))

    def fill(v: object) -> object:
        if isinstance(v, np.ndarray):
            return next(texts)
        if isinstance(v, _Ring):
            return "".join(next(texts) if isinstance(p, np.ndarray) else reference(p) for p in v)
        return [fill(item) for item in v] if isinstance(v, list) else v

    collect(value)
    texts = iter(_encode(paths, starts))
    return fill(value)


def _varint(n: int) -> str:
    """A non-negative integer in the encoded-polyline digits (5 bits a digit, low first)."""
    digits = []
    while n >= 32:
        digits.append(ALPHABET[(n & 31) | 32])
        n >>= 5
    return "".join(digits) + ALPHABET[n]
