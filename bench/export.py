"""Exports of all layers: file size and time to write, against the issue's budgets.

Cold times run in a fresh interpreter (after imports), so they include reading data/ and
building every layer; warm times reuse built layers. The baseline, measured in the same
run, is folium rendering the same layers with links instead of inlined files (what
``folium.Map.save`` would write): the ratio is the cost of a self-contained page.
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from bench.common import Row, median_seconds, print_table, row

MB = 1_000_000
COLD_SCRIPT = """
import json, sys, time
from pathlib import Path
from exports.formats import export
start = time.perf_counter()
export(Path(sys.argv[1]), offline=sys.argv[2] == "offline")
print(json.dumps(time.perf_counter() - start))
"""
BUDGET_MB = {"online": 2.0, "offline": 3.0}
BUDGET_S = 2.0
S1_BUDGET_KB = 600.0  # issue #8: the all-layer page, with land borders within 50 m
S1_BORDER_ERROR_M = 50.0
S2_BUDGET_B = 160.0  # issue #8: bytes per point of a point layer
KB = 1000
MARKERS = 100  # folium Markers drawn for the per-point baseline
FLANK = ("BY", "LT", "LV", "EE", "PL", "RU-KGD", "RU", "UA")  # land borders measured


def cold_seconds(path: Path, mode: str, runs: int = 3) -> float:
    """Median seconds to export all layers as HTML from a fresh interpreter."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT, str(path), mode],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(json.loads(out.stdout))
    return statistics.median(times)


def main() -> None:
    from exports.formats import FORMATS, export
    from webmap.render import atlas_map

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for mode in ("online", "offline"):
            path = Path(folder) / f"{mode}.html"
            cold = cold_seconds(path, mode)
            warm = median_seconds(lambda p=path, m=mode: export(p, offline=m == "offline"))
            size = path.stat().st_size / MB
            rows.append(
                [
                    f"all-layer HTML, {mode}: size",
                    f"{size:.2f} MB",
                    f"< {BUDGET_MB[mode]:g} MB",
                    f"{size / BUDGET_MB[mode]:.2f}",
                    "yes" if size < BUDGET_MB[mode] else "**no**",
                ]
            )
            rows.append(
                [
                    f"all-layer HTML, {mode}: written (cold / warm)",
                    f"{cold:.2f} s / {warm:.2f} s",
                    f"< {BUDGET_S:g} s",
                    f"{cold / BUDGET_S:.2f}",
                    "yes" if cold < BUDGET_S else "**no**",
                ]
            )
        start = time.perf_counter()
        baseline = atlas_map().get_root().render()
        baseline_s = time.perf_counter() - start
        rows.append(
            [
                "baseline: folium render, linked assets",
                f"{len(baseline.encode()) / MB:.2f} MB, {baseline_s:.2f} s",
                "—",
                "—",
                "—",
            ]
        )
        for fmt in FORMATS:
            if fmt == "html":
                continue
            path = Path(folder) / f"atlas.{fmt}"
            seconds = median_seconds(lambda p=path: export(p), repeats=3)
            size = path.stat().st_size / MB
            rows.append([f"all layers as {fmt}", f"{size:.2f} MB, {seconds:.2f} s", "—", "—", "—"])
    print_table(
        "Exports (all layers; cold: median of 3 fresh processes, warm: median of 5)",
        ["measure", "value", "budget", "ratio to budget", "holds"],
        rows,
    )
    budgets = globals()["rows"]()
    print_table(
        "Issue #8 budgets S1 and S2",
        [k.capitalize() for k in budgets[0]],
        [list(r.values()) for r in budgets],
    )


def page_sizes_kb() -> dict[str, float]:
    """Sizes of the all-layer page online and offline, and of the same page with every
    layer as folium would embed its GeoJSON FeatureCollection (the S1 baseline)."""
    from bench.reference import compact_collection, feature_collection
    from exports.html_page import atlas_html
    from layers.catalogue import CATALOGUE, build
    from webmap.compact import safe_json

    sizes = {
        mode: len(atlas_html(offline=mode == "offline").encode()) for mode in ("online", "offline")
    }
    extra = 0
    for spec in CATALOGUE.values():
        collection = feature_collection(build(spec.id))
        geojson = json.dumps(collection)  # folium's tojson: default separators, ASCII
        extra += len(geojson) - len(safe_json(compact_collection(spec, collection)).encode())
    sizes["geojson"] = sizes["online"] + extra
    return {k: v / KB for k, v in sizes.items()}


def _metric(geom, lon: float, lat: float):
    """A geometry in an azimuthal-equidistant frame centred on (lon, lat), in metres."""
    from pyproj import Transformer

    to_m = Transformer.from_crs(
        4326, f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )
    return shapely.transform(geom, lambda c: np.column_stack(to_m.transform(c[:, 0], c[:, 1])))


def _farthest_m(line, target) -> float:
    """The largest distance from ``line`` (10 m steps) to ``target``'s segments, in metres."""
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(line, 10.0)))
    coords = [shapely.get_coordinates(p) for p in shapely.get_parts(target)]
    segments = np.concatenate([np.stack([c[:-1], c[1:]], axis=1) for c in coords if len(c) > 1])
    tree = shapely.STRtree(shapely.linestrings(segments))
    return float(tree.query_nearest(points, return_distance=True)[1].max()) if len(points) else 0.0


def worst_border_error_m() -> tuple[float, str]:
    """The largest distance between a land border of the flank at full resolution and as
    drawn (Hausdorff, metres, both ways; as tests/test_display_borders.py measures it)."""
    from geo.data import territories, territories_display

    full = territories().set_index("code").geometry
    drawn = territories_display().set_index("code").geometry
    worst, where = 0.0, ""
    for a, b in itertools.combinations(FLANK, 2):
        line = shapely.line_merge(shapely.intersection(full[a].boundary, full[b].boundary))
        if shapely.length(line) == 0:
            continue
        lon, lat = shapely.get_coordinates(line.centroid)[0]
        shared = shapely.intersection(drawn[a].boundary, drawn[b].boundary)
        pairs = [(line, drawn[c].boundary) for c in (a, b)]
        pairs += [(shared, full[c].boundary) for c in (a, b)]
        for src, dst in pairs:
            error = _farthest_m(_metric(src, lon, lat), _metric(dst, lon, lat))
            if error > worst:
                worst, where = error, f"{a}–{b}"
    return worst, where


def bytes_per_point() -> tuple[float, float, int]:
    """Bytes per point of the sites layer as our page writes it, and of one folium Marker
    per point (tooltip and popup the same text), and the number of sites."""
    import folium

    from bench.reference import compact_collection, feature_collection
    from layers.catalogue import CATALOGUE, build
    from webmap.compact import safe_json

    collection = feature_collection(build("sites"))
    ours = len(safe_json(compact_collection(CATALOGUE["sites"], collection)).encode())
    features = collection["features"][:MARKERS]

    def page(n: int) -> int:
        fmap = folium.Map(tiles=None)
        for f in features[:n]:
            lon, lat = f["geometry"]["coordinates"]
            props = f["properties"]
            folium.Marker((lat, lon), tooltip=props["name"], popup=props["label"]).add_to(fmap)
        return len(fmap.get_root().render().encode())

    marker = (page(len(features)) - page(0)) / len(features)
    n = len(collection["features"])
    return ours / n, marker, n


def rows() -> list[Row]:
    """The S1 and S2 rows of issue #8's budget table, measured now."""
    sizes = page_sizes_kb()
    error_m, where = worst_border_error_m()
    size = max(sizes["online"], sizes["offline"])
    s1 = row(
        "S1",
        "exported all-layer HTML, land borders within 50 m",
        f"{sizes['online']:.0f} KB online / {sizes['offline']:.0f} KB offline; "
        f"worst land-border error {error_m:.1f} m ({where})",
        f"{sizes['geojson']:.0f} KB with the layers as GeoJSON",
        size / S1_BUDGET_KB,
        size <= S1_BUDGET_KB and error_m <= S1_BORDER_ERROR_M,
        f"≤ {S1_BUDGET_KB:.0f} KB, ≤ {S1_BORDER_ERROR_M:.0f} m",
    )
    ours, marker, n = bytes_per_point()
    s2 = row(
        "S2",
        "a point layer as one GeoJSON FeatureCollection",
        f"{ours:.0f} B per point (sites, {n} points, popups included)",
        f"{marker:.0f} B per folium Marker",
        ours / S2_BUDGET_B,
        ours <= S2_BUDGET_B,
        f"≤ {S2_BUDGET_B:.0f} B per point",
        ratio_label=f"{ours / S2_BUDGET_B:.2f} ({ours / marker:.2f} of a Marker)",
    )
    return [s1, s2]


if __name__ == "__main__":
    main()
