"""Labels on the map: what each layer names, where on the feature, and which give way.

A layer declares its labels in the catalogue (:class:`~layers.spec.LabelRule`: a role,
the text, a priority and where on the feature). :func:`label_table` turns a built layer
into its labels: text, priority and the spot on the feature (a point's position, a line's
middle, a ring's northern edge, inside an area). :func:`place_labels` then puts them on
a drawn map, most urgent first, each in the first of its candidate positions that stays
inside the map and clear of every label placed before it; a label with no such position
is left out. The page (``webmap/js/atlas-geo.js``, on every view) and the PNG
(``exports/png_image.py``) run the same rules on the same tables; the tests hold the
page's placement to this one. What each adds of its own: the page's vector base names its
cities after every layer's labels, and its controls are kept clear; the PNG names the
countries when the territories layer is off, and keeps its scale bar and north arrow
clear. Labels of one priority go in the order the layers are drawn (in the app, the
order their data arrived).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.territories import territory_name
from layers.spec import LabelRule, LayerSpec
from layers.units import distance_token

__all__ = [
    "CANDIDATES",
    "DOT_PX",
    "GAP_PX",
    "LABEL_COLUMNS",
    "NEAR_PX",
    "SAME_PX",
    "SYMBOL_BOX_PX",
    "across",
    "bearing_only",
    "country",
    "distance_to",
    "fan_ranges",
    "label_table",
    "length",
    "length_and_bearing",
    "named",
    "place_labels",
    "radius",
    "tagged",
]

# Priorities (1 is placed first; a label that would overlap one before it is left out):
# the seeds' figures and places, then what measures them, then the map's context.
FIGURE, PLACE, MEASURE, RING, CAPITAL, COUNTRY, SITE, RIVER, CENTRE = range(1, 10)
LABEL_COLUMNS = ("text", "priority", "place", "lon", "lat", "feature")
GAP_PX = 6.0  # between a point and its label, and between a line and a label above it
# Candidate positions by place, tried in turn: the label's box offset from its spot, as
# (x, y) multiples of (its width, its height) plus multiples of the gap. A point's label
# goes right, left, above or below it; a line's, a ring's or an area's is centred on its
# spot, else above or below where that one would be; a unit's goes right, left, below or
# above its symbol (SYMBOL_BOX_PX), clear of it. (x grows right, y grows down.)
CANDIDATES: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "point": ((0, -0.5, 1, 0), (-1, -0.5, -1, 0), (-0.5, -1, 0, -0.5), (-0.5, 0, 0, 0.5)),
    "line": ((-0.5, -0.5, 0, 0), (-0.5, -1.5, 0, -0.5), (-0.5, 0.5, 0, 0.5)),
    "ring": ((-0.5, -0.5, 0, 0), (-0.5, -1.5, 0, -0.5), (-0.5, 0.5, 0, 0.5)),
    "area": ((-0.5, -0.5, 0, 0), (-0.5, -1.5, 0, 0), (-0.5, 0.5, 0, 0)),
    "symbol": ((0, -0.5, 3.75, 0), (-1, -0.5, -3.75, 0), (-0.5, 0, 0, 3.75), (-0.5, -1, 0, -5.5)),
}
SAME_PX = 24.0  # a label saying what a placed one says, this close to it, is the same place
NEAR_PX = 12.0  # and so is a point this close to a named point, under whatever name
DOT_PX = 4.0  # around every labelled point, no label: the dots stay in sight
# Around a unit's symbol (layers.style.SYMBOL_SIZE_PX: milsymbol's frame 26 px high, its
# echelon mark above it), no label: the box's reach left, up, right and down of the point.
SYMBOL_BOX_PX = (21.0, 32.0, 21.0, 21.0)


# -- what a label says (LabelRule.text): a feature's properties -> plain text --------------


def named(row: Mapping[str, Any]) -> str:
    """The feature's name: a site, a unit, a river (none if it has no name)."""
    value = row.get("name")
    return value if isinstance(value, str) else ""


def country(row: Mapping[str, Any]) -> str:
    """A territory's name in capitals, without its note: ``Russia (west of 45°E)`` → RUSSIA."""
    return str(row["name"]).split(" (")[0].upper()


def radius(row: Mapping[str, Any]) -> str:
    """A ring's radius in the chosen unit alone (``50 km``): the ring says from where."""
    return distance_token(float(row["radius_km"]), both=False)


def across(name: str) -> Callable[[Mapping[str, Any]], str]:
    """A corridor's width on its shortest line: ``Suwałki gap 65.4 km · 40.6 mi``."""

    def text(row: Mapping[str, Any]) -> str:
        return f"{name} {distance_token(float(row['distance_km']))}"

    return text


def tagged(row: Mapping[str, Any]) -> str:
    """The label a builder wrote for the map (``tag``; none if empty): a claim's figure."""
    value = row.get("tag")
    return value if isinstance(value, str) else ""


def length(row: Mapping[str, Any]) -> str:
    """A line's length (``47.3 km · 29.4 mi``)."""
    return distance_token(float(row["distance_km"]))


def distance_to(row: Mapping[str, Any]) -> str:
    """A line to a border: its length and the country (``28.6 km · 17.8 mi to Belarus``)."""
    return f"{distance_token(float(row['distance_km']))} to {territory_name(str(row['country']))}"


def length_and_bearing(row: Mapping[str, Any]) -> str:
    """A measured line: its length and initial bearing (``164.9 km · 102.5 mi, 057°``), or
    the bearings its builder wrote (``bearings``: ``057° · 1013 mils``)."""
    said = row.get("bearings")
    if not (isinstance(said, str) and said):
        said = f"{float(row['azimuth_deg']) % 360:03.0f}°"
    return f"{distance_token(float(row['distance_km']))}, {said}"


# -- which labels a built layer has ---------------------------------------------------------


def bearing_only(row: Mapping[str, Any]) -> str:
    """A radial or line of bearing: its true bearing (``045°``)."""
    return f"{float(row['azimuth_deg']) % 360:03.0f}°"


def fan_ranges(row: Mapping[str, Any]) -> str:
    """A range fan: its central bearing and its ranges (``090° 10 km–50 km``)."""
    low, high = (
        distance_token(float(row[k]), both=False) for k in ("min_range_km", "max_range_km")
    )
    return f"{float(row['azimuth_deg']) % 360:03.0f}° {low}–{high}"


def label_table(spec: LayerSpec, features: gpd.GeoDataFrame) -> pd.DataFrame:
    """The labels a built layer's rules give, in the order they are placed within it.

    Parameters
    ----------
    spec : LayerSpec
        The layer, with its label rules.
    features : GeoDataFrame
        Its built features (EPSG:4326), with ``role``, ``name`` and what the rules read.

    Returns
    -------
    DataFrame
        :data:`LABEL_COLUMNS`: the text (plain, with distance tokens), the priority, the
        place (``point``, ``line``, ``ring``, ``area``), the spot (lon, lat) where it
        goes and the feature's position in ``features``; by rule and within a rule by
        feature, rings largest first (an outer ring's label is the one worth keeping at a
        small scale). Features with no geometry and empty texts have none.

    Notes
    -----
    The app makes the table of your marks again on every change of them, so it works on
    plain arrays: a rule with no features of its role costs a comparison, and each
    feature the rules read is a plain mapping of its values (``Series.__iter__``'s, as
    ``itertuples`` gives them), not a pandas row.
    """
    frame = _Frame(features)
    parts = [part for rule in spec.labels if (part := _rule_labels(rule, frame))]
    if not parts:
        return pd.DataFrame({c: [] for c in LABEL_COLUMNS})
    texts, rules, spots, rows = zip(*parts, strict=True)
    counts = [len(r) for r in rows]
    spots = np.concatenate(spots)
    return pd.DataFrame(
        {
            "text": np.concatenate(texts).astype(str),
            "priority": np.repeat(np.array([r.priority for r in rules], np.int64), counts),
            "place": np.repeat(np.array([r.place for r in rules], dtype=object), counts),
            "lon": shapely.get_x(spots),
            "lat": shapely.get_y(spots),
            "feature": np.concatenate(rows).astype(np.int64),
        }
    )


class _Frame:
    """A layer's features as :func:`label_table` reads them: arrays, and each column's
    values as a list made on first use."""

    def __init__(self, features: gpd.GeoDataFrame) -> None:
        self.features = features
        self.geoms = features.geometry.to_numpy() if len(features) else np.array([], object)
        self.drawn = ~(shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms))
        roles = features["role"]  # every built layer has one (a KeyError, as before, if not)
        self.roles = np.array([r if isinstance(r, str) else "" for r in roles], dtype=object)
        self._values: dict[str, list] | None = None

    def kinds_in(self, kinds: tuple[str, ...]) -> np.ndarray:
        """Which features are of one of ``kinds`` (none if the layer has no ``kind``)."""
        if "kind" not in self.features.columns:
            return np.zeros(len(self.features), dtype=bool)
        return self.features["kind"].isin(kinds).to_numpy(dtype=bool)

    def records(self, rows: np.ndarray) -> list[dict[str, Any]]:
        """The features at positions ``rows``, each a mapping of its non-geometry values."""
        if self._values is None:
            geometry = self.features.geometry.name
            self._values = {
                c: list(self.features[c]) for c in self.features.columns if c != geometry
            }
        return [{c: values[i] for c, values in self._values.items()} for i in rows]


def _rule_labels(
    rule: LabelRule, frame: _Frame
) -> tuple[np.ndarray, LabelRule, np.ndarray, np.ndarray] | None:
    """One rule's texts, the rule, their spots and the features' positions (None: none)."""
    keep = frame.drawn & (frame.roles == rule.role)
    if rule.kinds is not None:
        keep &= frame.kinds_in(rule.kinds)
    rows = np.flatnonzero(keep)  # positions: an index may repeat (a file's, a concatenation)
    if not rows.size:
        return None
    if rule.place == "ring":
        rows = rows[np.argsort(-shapely.area(frame.geoms[rows]), kind="stable")]
    texts = np.array([rule.text(record) for record in frame.records(rows)], dtype=object)
    said = np.array([bool(t.strip()) for t in texts], dtype=bool)
    if not said.any():
        return None
    rows = rows[said]
    return texts[said], rule, spot(frame.geoms[rows], rule.place), rows


def spot(geoms: np.ndarray, place: str) -> np.ndarray:
    """Where on each geometry its label goes (points, EPSG:4326).

    ``point`` and ``symbol``: the point (a non-point's centroid); ``line``: halfway along
    it; ``ring``:
    the northernmost vertex of its outer edge (where range rings are labelled); ``area``:
    the centre of the largest circle inside it (a name well inside a country).
    """
    geoms = np.asarray(geoms, dtype=object)
    if place in ("point", "symbol"):
        return np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.centroid(geoms))
    if place == "line":
        return shapely.line_interpolate_point(_lines(geoms), 0.5, normalized=True)
    if place == "ring":
        return np.array([_north(g) for g in geoms], dtype=object)
    return np.array([_inside(g) for g in geoms], dtype=object)


def _lines(geoms: np.ndarray) -> np.ndarray:
    """Lines as they are; a multi-line by its longest part (halfway along the others may
    be nowhere near the line)."""
    out = []
    for g in geoms:
        parts = shapely.get_parts(g)
        out.append(parts[np.argmax(shapely.length(parts))] if len(parts) > 1 else g)
    return np.array(out, dtype=object)


def _north(geom: Any) -> shapely.Point:
    coords = shapely.get_coordinates(shapely.get_exterior_ring(_largest(geom)))
    return shapely.Point(coords[np.argmax(coords[:, 1])])


def _inside(geom: Any) -> shapely.Point:
    part = _largest(geom)
    circle = shapely.maximum_inscribed_circle(part, tolerance=0.01)
    return shapely.get_point(circle, 0)


def _largest(geom: Any) -> Any:
    parts = shapely.get_parts(geom)
    return parts[np.argmax(shapely.area(parts))] if len(parts) > 1 else geom


# -- where they go on a drawn map -----------------------------------------------------------


def place_labels(
    anchors: np.ndarray,
    sizes: np.ndarray,
    places: Iterable[str],
    texts: Iterable[str],
    frame: tuple[float, float, float, float],
    *,
    taken: Iterable[tuple[float, float, float, float]] = (),
    gap: float = GAP_PX,
    same: float = SAME_PX,
    near: float = NEAR_PX,
    dot: float = DOT_PX,
    symbol: tuple[float, float, float, float] = SYMBOL_BOX_PX,
) -> tuple[np.ndarray, np.ndarray]:
    """Put labels on a drawn map in the order given, none overlapping another.

    Each label takes the first of its place's :data:`CANDIDATES` whose box is inside
    ``frame`` and clear of ``taken``, of the labels placed before it and of the dots of
    the point labels before it (``dot`` around their spots: a figure may cover a lesser
    place's dot, not a key site's); a label with
    none is left out, and so is one that says what a placed label says with its spot
    within ``same`` of that one's, or a point's within ``near`` of a named point
    (a place in two layers is named once, even as Hrodna and Grodno). Coordinates are
    screen-like: x right, y down (flip y for a plot).

    Parameters
    ----------
    anchors : ndarray
        ``(n, 2)`` label spots on the drawn map (pixels or points).
    sizes : ndarray
        ``(n, 2)`` each label's width and height, in the same units.
    places : iterable of str
        Each label's place (``point``, ``line``, ``ring``, ``area``).
    texts : iterable of str
        What each label says.
    frame : tuple of float
        ``(x0, y0, x1, y1)``: the map's drawn area.
    taken : iterable of tuple, optional
        Boxes ``(x0, y0, x1, y1)`` no label may cover (a scale bar, a north arrow).
    gap : float, optional
        The gap between a point and its label (:data:`GAP_PX`).
    same : float, optional
        How near a placed label's spot a label saying the same is left out (:data:`SAME_PX`).
    near : float, optional
        How near a named point's spot a point label is left out (:data:`NEAR_PX`).
    dot : float, optional
        The half-width of the square kept clear around a point label's spot (:data:`DOT_PX`).
    symbol : tuple of float, optional
        How far left, up, right and down of a symbol label's spot no label after it may
        go (:data:`SYMBOL_BOX_PX`); its candidates are spaced by ``gap`` to clear it.

    Returns
    -------
    chosen : ndarray of int
        Each label's candidate index, or -1 where it is left out.
    boxes : ndarray
        ``(n, 4)`` the placed boxes (NaN where left out).
    """
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    sizes = np.asarray(sizes, dtype=float).reshape(-1, 2)
    placed = [tuple(b) for b in taken]
    named: dict[str, list[np.ndarray]] = {}
    points: list[np.ndarray] = []
    chosen = np.full(len(anchors), -1, dtype=int)
    boxes = np.full((len(anchors), 4), np.nan)
    for i, (place, text) in enumerate(zip(places, texts, strict=True)):
        (x, y), (w, h) = anchors[i], sizes[i]
        if any(np.hypot(*(anchors[i] - a)) <= same for a in named.get(text, ())):
            continue
        pointed = place in ("point", "symbol")
        if pointed and any(np.hypot(*(anchors[i] - a)) <= near for a in points):
            continue
        for k, (fw, fh, gx, gy) in enumerate(CANDIDATES[place]):
            x0, y0 = x + fw * w + gx * gap, y + fh * h + gy * gap
            box = (x0, y0, x0 + w, y0 + h)
            if _within(box, frame) and not _overlaps(box, placed):
                chosen[i], boxes[i] = k, box
                placed.append(box)
                named.setdefault(text, []).append(anchors[i])
                if pointed:
                    points.append(anchors[i])
                break
        if place == "point":  # labels after this one keep clear of its dot
            placed.append((x - dot, y - dot, x + dot, y + dot))
        elif place == "symbol":  # and of its symbol (a more urgent figure may cover it)
            placed.append((x - symbol[0], y - symbol[1], x + symbol[2], y + symbol[3]))
    return chosen, boxes


def _within(box: tuple[float, ...], frame: tuple[float, ...]) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _overlaps(box: tuple[float, ...], placed: list[tuple[float, ...]]) -> bool:
    return any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in placed)
