"""Our JavaScript (``webmap/js``) run in node: tests/js/*.test.js, with cases from Python.

Each test writes its cases (what Python encoded or formatted) to a JSON file, runs one
node test file on it (``node --test``) and fails with node's report.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely

from bench.reference import feature_collection
from geo.coords import format_dd, format_dms, format_mgrs
from layers.catalogue import CATALOGUE, build
from layers.labels import (
    CANDIDATES,
    DOT_PX,
    GAP_PX,
    NEAR_PX,
    SAME_PX,
    SYMBOL_BOX_PX,
    label_table,
    place_labels,
)
from layers.scenes import scenes
from layers.spec import LABEL_PLACES
from webmap.assets import VENDOR_DIR
from webmap.compact import ALPHABET, REF, compact_layer, encode_paths
from webmap.render import layer_data

JS_TESTS = Path(__file__).parent / "js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node (Node 20)")


def run_node(test_file: str, cases: object, tmp_path: Path) -> str:
    """Run one node test file on ``cases``; fail with node's report unless every test passes."""
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    run = subprocess.run(
        [NODE, "--test", "--test-reporter=spec", str(JS_TESTS / test_file)],
        env={**os.environ, "ATLAS_JS_CASES": str(cases_file)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"node --test {test_file} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout


# --- decoding: hand-made layers and a catalogue layer ----------------------------------


def _square(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """A counter-clockwise closed ring of a rectangle."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def _case(name: str, geometries: list[dict], labels: list[list[str]] | None = None) -> dict:
    """A hand-made layer: its compact data and what went in (each feature its own style)."""
    styles = [{"color": f"#00000{i % 10}", "weight": i + 1} for i in range(len(geometries))]
    names = [f"{name} {i} &amp; co" for i in range(len(geometries))]
    labels = labels or [[f"line {i}", "a shared line"] for i in range(len(geometries))]
    data = compact_layer(geometries, styles, names, labels)
    return {
        "name": name,
        "data": data,
        "geometries": geometries,
        "names": names,
        "labels": labels,
        "styles": styles,
        "tolerance_deg": 0.5 / data["k"] + 1e-9,
    }


def hand_made_layers() -> list[dict]:
    """Neighbours with shared and reversed arcs, holes, points, lines and a shared geometry."""
    # Two squares side by side under one rectangle: three nodes where three boundaries meet.
    a = _square(25.0, 54.0, 25.1, 54.1)
    b = _square(25.1, 54.0, 25.2, 54.1)
    top = [[25.0, 54.1], [25.1, 54.1], [25.2, 54.1], [25.2, 54.2], [25.0, 54.2], [25.0, 54.1]]
    neighbours = [{"type": "Polygon", "coordinates": ring} for ring in ([a], [b], [top])]
    # A multipolygon: a part with two holes (rings of their own) and a part that shares an
    # edge with a polygon drawn clockwise; and a lone clockwise square.
    shell = _square(20.0, 50.0, 21.0, 51.0)
    holes = [_square(20.2, 50.2, 20.4, 50.4)[::-1], _square(20.6, 50.6, 20.8, 50.8)[::-1]]
    part = _square(21.0, 50.0, 21.5, 50.5)
    clockwise = _square(21.5, 50.0, 22.0, 50.5)[::-1]
    holed = [
        {"type": "MultiPolygon", "coordinates": [[shell, *holes], [part]]},
        {"type": "Polygon", "coordinates": [clockwise]},
        {"type": "Polygon", "coordinates": [_square(23.0, 52.0, 23.3, 52.2)[::-1]]},
    ]
    point = {"type": "Point", "coordinates": [27.5615, 53.9045]}
    loose = [
        point,
        {"type": "Point", "coordinates": [-70.6483, -33.4569]},  # west and south
        {"type": "MultiPoint", "coordinates": [[25.2797, 54.6872], [26.0864, 54.7614]]},
        {"type": "LineString", "coordinates": [[24.0, 54.0], [24.5, 54.25], [25.0, 54.0]]},
        {
            "type": "MultiLineString",
            "coordinates": [[[23.0, 53.0], [23.1, 53.2]], [[23.2, 53.0], [23.3, 53.1], [23.4, 53]]],
        },
        dict(point),  # the same geometry again: written once, in "g"
        {"type": "GeometryCollection", "geometries": [point]},  # plain GeoJSON
    ]
    # A vertex twice (a grid rounds close vertices together): where a shared edge starts
    # and inside one (tests/test_html_page.py's case, moved to 25°E, 56°N).
    repeated = [
        [[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
        [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0.5], [1, 0.5], [1, 0]],
        [[1, 0.5], [1, 0], [0, 0], [0, 1], [1, 1], [1, 0.5]],
    ]
    repeated = [[[25 + x / 10, 56 + y / 10] for x, y in ring] for ring in repeated]
    twice = [{"type": "Polygon", "coordinates": [ring]} for ring in repeated]
    return [
        _case("three neighbours", neighbours),
        _case("a multipolygon with holes and neighbours", holed),
        _case("points and lines", loose, labels=[[] for _ in loose]),
        _case("neighbours with a vertex twice", twice),
    ]


def borders_layer() -> dict:
    """The catalogue's territories as the app sends them, and the layer's own geometries."""
    spec, built = CATALOGUE["borders"], build("borders")
    props = [f["properties"] for f in feature_collection(built)["features"]]
    geometries = shapely.force_2d(built.features.geometry.to_numpy())
    return {
        "name": "the borders layer",
        "data": json.loads(layer_data(spec, built)),
        "geometries": [json.loads(shapely.to_geojson(g)) for g in geometries],
        "names": [p["name"] for p in props],
        "labels": [p["label"].split("<br>") for p in props],
        "tolerance_deg": 0.5e-5 + 1e-9,  # drawn on the 1 m grid (webmap.render.DRAW_GRID_DEG)
    }


def continued_strings() -> dict:
    """Three paths encoded one after the other, and their coordinates."""
    k = 100_000
    rng = np.random.default_rng(14)
    units = np.round(rng.uniform([-180, -80], [180, 84], (30, 2)) * k).astype(np.int64)
    paths = [units[:1], units[1:12], units[12:]]
    return {"k": k, "texts": encode_paths(paths), "paths": [(p / k).tolist() for p in paths]}


def test_runtime_decodes_what_python_encodes(tmp_path):
    layers = [*hand_made_layers(), borders_layer()]
    assert len(layers[-1]["data"]["a"]) > 10, "the borders share arcs"
    run_node("decode.test.js", {"strings": continued_strings(), "layers": layers}, tmp_path)


# --- linear time ----------------------------------------------------------------------

GROWTH = 16  # the larger layer has this many times the arcs or vertices of the smaller
ARCS = 500  # a ring of this many arcs, then GROWTH times as many
ARC_VERTICES = 5  # each
VERTICES = 625  # a ring of this many vertices in one string, then GROWTH times as many


def _circle_units(n: int) -> np.ndarray:
    """``n`` vertices of a circle around (25°E, 54°N), in units of 1e-5°."""
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.round(np.column_stack([25 + np.cos(angle), 54 + np.sin(angle)]) * 1e5).astype(int)


def _layer(ring: object, arcs: list[str]) -> dict:
    """A compact layer of one polygon (the format of webmap.compact)."""
    return {"k": 100000, "a": arcs, "g": [], "s": [{}], "t": [], "f": [[[4, [ring]], 0, "", []]]}


def ring_of_arcs(arcs: int) -> dict:
    """One polygon whose ring is ``arcs`` arcs of :data:`ARC_VERTICES`, each from where one ends."""
    step = ARC_VERTICES - 1
    units = _circle_units(arcs * step)
    starts = np.arange(arcs)[:, None] * step
    pieces = list(units[(starts + np.arange(ARC_VERTICES)) % len(units)])
    # Arc 0, then each the next: steps 0 and 1, forwards ("!" and the step's zigzag times 2).
    ring = REF + ALPHABET[0] + (REF + ALPHABET[4]) * (arcs - 1)
    return _layer(ring, encode_paths(pieces))


def ring_of_vertices(vertices: int) -> dict:
    """One polygon whose ring is one string of ``vertices`` vertices."""
    return _layer(encode_paths([_circle_units(vertices)])[0], [])


@pytest.mark.slow
def test_runtime_decodes_in_linear_time(tmp_path):
    """N and 16N: linear is about 16 times as long, quadratic about 256 (issue #15)."""
    cases = {
        "arcs": {
            "factor": GROWTH,
            "small": ring_of_arcs(ARCS),
            "large": ring_of_arcs(GROWTH * ARCS),
        },
        "vertices": {
            "factor": GROWTH,
            "small": ring_of_vertices(VERTICES),
            "large": ring_of_vertices(GROWTH * VERTICES),
        },
    }
    run_node("linear-time.test.js", cases, tmp_path)


# --- pointer formatters ---------------------------------------------------------------

# (lon, lat): four hemispheres, zero, carries into the next degree or minute, one-digit
# UTM zones, Norway's 32V and Svalbard's 33X, a zone edge, and the ends of MGRS's band.
POINTS = [
    (25.2797, 54.6872),
    (26.0864, 54.7614),
    (20.5109, 54.7104),
    (-0.1276, 51.5072),
    (-70.6483, -33.4569),
    (151.2093, -33.8688),
    (-157.8583, 21.3069),
    (-177.5, -45.2),
    (0.0, 0.0),
    (-0.000001, -0.000001),
    (54.999995, 54.999995),
    (25.999986, 54.99999),
    (25.0000138888889, 54.0000138888889),
    (8.0, 60.0),
    (15.0, 78.0),
    (2.999999, 56.5),
    (3.0, 56.5),
    (-179.999999, 0.5),
    (10.0, -80.0),
    (10.0, 83.999999),
]
# Beyond MGRS's latitudes (Python's mgrs writes polar UPS references there).
OUTSIDE_MGRS = [(10.0, 84.0000001), (10.0, 85.0), (-20.0, -80.0000001), (0.0, -90.0)]


@pytest.mark.skipif(
    not (VENDOR_DIR / "mgrs" / "mgrs.min.js").is_file(),
    reason="run `make static/vendor/.installed`",
)
def test_pointer_formatters_write_what_python_writes(tmp_path):
    cases = {
        "dd": [(lon, lat, format_dd(lon, lat)) for lon, lat in POINTS],
        "dms": [(lon, lat, format_dms(lon, lat)) for lon, lat in POINTS],
        "mgrs": [(lon, lat, format_mgrs(lon, lat)) for lon, lat in POINTS],
        "outside_mgrs": OUTSIDE_MGRS,
    }
    run_node("pointer-formats.test.js", cases, tmp_path)


# --- labels: the page places them as Python does -----------------------------------------


def _label_case(name: str, labels: list[dict], width: float, height: float) -> dict:
    """Labels (spot, size, priority, place, text) and where Python places them: per label
    its offset from its spot, or None where it is left out."""
    order = sorted(range(len(labels)), key=lambda i: labels[i]["priority"])  # stable
    chosen, boxes = place_labels(
        [[labels[i]["x"], labels[i]["y"]] for i in order],
        [[labels[i]["w"], labels[i]["h"]] for i in order],
        [LABEL_PLACES[labels[i]["place"]] for i in order],
        [labels[i]["text"] for i in order],
        (0, 0, width, height),
    )
    expected: list = [None] * len(labels)
    for i, k, box in zip(order, chosen, boxes, strict=True):
        if k >= 0:
            expected[i] = [box[0] - labels[i]["x"], box[1] - labels[i]["y"]]
    return {"name": name, "labels": labels, "width": width, "height": height, "expected": expected}


def test_the_page_places_labels_as_python_does(tmp_path):
    # Names an object already has in JavaScript (an uploaded point may be called that)
    # are labels like any other.
    rng = np.random.default_rng(7)
    crowded = [
        {
            "x": float(x),
            "y": float(y),
            "w": float(w),
            "h": float(h),
            "priority": int(p),
            "place": int(k),
            "text": str(t),
        }
        for x, y, w, h, p, k, t in zip(
            rng.uniform(0, 900, 400),
            rng.uniform(0, 600, 400),
            rng.uniform(20, 150, 400),
            rng.uniform(12, 18, 400),
            rng.integers(1, 10, 400),
            rng.integers(0, 4, 400),
            rng.choice(["Minsk", "Vilnius", "50 km", "BELARUS", "constructor", "__proto__"], 400),
            strict=True,
        )
    ]
    # The overview's labels where a 1200 × 800 map at zoom 6 shows them (Web Mercator),
    # each 7 px a character wide.
    spec_ids = scenes()[0].layers
    scale = 256 * 2**6 / 360
    overview = []
    for layer_id in spec_ids:
        table = label_table(CATALOGUE[layer_id], build(layer_id).features)
        for row in table.itertuples():
            y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(row.lat) / 2)))
            overview.append(
                {
                    "x": float((row.lon - 27.0) * scale + 600),
                    "y": float((62.5 - y) * scale + 400),
                    "w": 7.0 * len(row.text),
                    "h": 15.0,
                    "priority": int(row.priority),
                    "place": LABEL_PLACES.index(row.place),
                    "text": row.text,
                }
            )
    cases = [
        _label_case("crowded", crowded, 900, 600),
        _label_case("the overview", overview, 1200, 800),
    ]
    assert all(any(e is None for e in c["expected"]) for c in cases)  # some give way
    assert all(any(e is not None for e in c["expected"]) for c in cases)
    run_node("labels.test.js", cases, tmp_path)


def test_the_page_and_python_try_the_same_spots():
    text = (Path(__file__).parents[1] / "webmap" / "js" / "atlas-geo.js").read_text()
    spots = re.search(r"var SPOTS = (\[.*?\]\]\]);", text, re.S).group(1)
    assert json.loads(spots) == [[list(c) for c in CANDIDATES[p]] for p in LABEL_PLACES]
    assert (
        f"var GAP = {GAP_PX:g}, SAME = {SAME_PX:g}, NEAR = {NEAR_PX:g}, DOT = {DOT_PX:g};" in text
    )
    box = ", ".join(f"{v:g}" for v in SYMBOL_BOX_PX)
    assert f"var SYMBOL_BOX = [{box}];" in text
