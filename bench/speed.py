"""Speed budgets P1 and P3: batch point-to-site distances, and no per-item projections."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pyproj
from geographiclib.geodesic import Geodesic

from bench.common import Row, median_seconds, row
from geo.batch import distance_columns, targets
from geo.measure import GEOD

N = 1_000_000
LOOP_N = 20_000  # the pure-Python loop is timed on a slice and scaled to N


def p1_point_to_site(seed: int = 11) -> Row:
    """1,000,000 points to Astravets through the batch path, against raw ``Geod.inv``."""
    rng = np.random.default_rng(seed)
    lons, lats = rng.uniform(5.5, 45.0, N), rng.uniform(43.5, 70.5, N)
    (site,) = targets(places=["Astravets NPP"])
    site_lons, site_lats = np.full(N, site.lon), np.full(N, site.lat)
    raw = median_seconds(lambda: GEOD.inv(lons, lats, site_lons, site_lats), repeats=5)
    ours = median_seconds(lambda: distance_columns(lons, lats, [site]), repeats=5)

    def pure_python_loop() -> None:  # Karney's algorithm in pure Python (geographiclib)
        for i in range(LOOP_N):
            Geodesic.WGS84.Inverse(lats[i], lons[i], site.lat, site.lon, Geodesic.DISTANCE)

    loop = median_seconds(pure_python_loop, repeats=3) * (N / LOOP_N)
    ratio = ours / raw
    return row(
        "P1",
        "1,000,000 point-to-site distances (`geo.batch`)",
        f"{ours * 1000:.0f} ms; {loop / ours:.0f}× faster than a pure-Python loop",
        f"raw `Geod.inv`: {raw * 1000:.0f} ms; loop: {loop:.1f} s",
        ratio,
        ratio <= 1.25 and loop / ours >= 70,
        "≤ 1.25× raw `Geod.inv`; ≥ 70× a pure-Python loop",
        ratio_label=f"{ratio:.2f}× raw",
    )


def p3_no_projection_per_item(seed: int = 13) -> Row:
    """Count pyproj transformer constructions while rings, buffers and point queries run."""
    from geo.rings import buffer, rings
    from geo.territories import distance_to_territory

    rng = np.random.default_rng(seed)
    made = {"from_crs": 0, "from_pipeline": 0}
    originals = {name: getattr(pyproj.Transformer, name) for name in made}

    def counting(name):
        def make(*args, **kwargs):
            made[name] += 1
            return originals[name](*args, **kwargs)

        return make

    centres = np.column_stack([rng.uniform(20, 32, 200), rng.uniform(51, 57, 200)])
    points = np.column_stack([rng.uniform(20, 32, 20_000), rng.uniform(51, 57, 20_000)])
    import shapely

    line = shapely.LineString([(25.28, 54.69), (27.56, 53.9)])
    with (
        mock.patch.object(pyproj.Transformer, "from_crs", counting("from_crs")),
        mock.patch.object(pyproj.Transformer, "from_pipeline", counting("from_pipeline")),
    ):
        for lon, lat in centres:
            rings(lon, lat, [50e3, 100e3, 300e3])
        for _ in range(50):
            buffer(line, 20e3)  # one centre: its projection is cached
        distance_to_territory(points[:, 0], points[:, 1], "LT")
    items = len(centres) * 3 + 50 + len(points)
    calls = made["from_crs"] + made["from_pipeline"]
    return row(
        "P3",
        "no `Transformer.from_crs` in per-ring or per-point loops",
        f"{made['from_crs']} `from_crs`, {made['from_pipeline']} `from_pipeline` calls",
        f"{items:,} rings, buffers and points (one each if built per item)",
        calls / items,
        made["from_crs"] == 0 and calls <= 2,
        "cached or `from_pipeline`",
        ratio_label=f"{calls}/{items:,}",
    )


def rows() -> list[Row]:
    """P1 and P3, measured now."""
    return [p1_point_to_site(), p3_no_projection_per_item()]
