"""Exact point-to-territory distance for 100,000 points, against its baselines (issue #8, P2).

Run with ``python -m bench.nearest``. Every figure is a median measured in this
run, so the ratios compare like with like on this machine. :func:`rows` returns
the budget rows for a combined ``make bench`` table.
"""

from __future__ import annotations

import numpy as np
import shapely

from bench.common import ROW_KEYS, Row, median_seconds, print_table, row
from bench.reference import ReferenceNearest
from geo.nearest import BoundaryIndex
from geo.projections import REGIONAL, aeqd, project
from geo.territories import territory_index

N = 100_000
ONE_POINT_REPEATS = 500
PER_POINT_SAMPLE = 200  # the one-projection-per-point baseline, scaled to N
REFERENCE_SAMPLE = 500  # the former per-point method, scaled to N
CODE = "RU"  # Russia west of 45°E with Kaliningrad: ~41k border vertices (the issue: 35k)
LAST: dict[str, float] | None = None  # this run's figures, for P4 (bench.batch_cli)


def _points(n: int, seed: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform over the region (5.5–45°E, 43.5–70.5°N)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(5.5, 45.0, n), rng.uniform(43.5, 70.5, n)


def _naive_planar(index: BoundaryIndex):
    """The ≤ 4× baseline: points projected once, ``query_nearest`` over projected segments."""
    tree = shapely.STRtree(project(shapely.linestrings(index.segments.reshape(-1, 2, 2)), REGIONAL))

    def run(lons: np.ndarray, lats: np.ndarray):
        x, y = REGIONAL.transform(lons, lats)
        return tree.query_nearest(shapely.points(x, y), return_distance=True)

    return run


def _one_projection_per_point(index: BoundaryIndex, lons: np.ndarray, lats: np.ndarray) -> None:
    """The ≥ 1,000× baseline: a fresh AEQD projection of the whole border per point."""
    border = index.geom.boundary
    for lon, lat in zip(lons, lats, strict=True):
        aeqd.cache_clear()
        local = project(border, aeqd(float(lon), float(lat)))
        shapely.distance(shapely.Point(0.0, 0.0), local)


def measure() -> dict[str, float]:
    """Median times (seconds) and accuracy (metres) for every row of the table."""
    index = territory_index(CODE)
    lons, lats = _points(N)
    naive = _naive_planar(index)
    sample = slice(0, PER_POINT_SAMPLE)
    ref = slice(0, REFERENCE_SAMPLE)
    one_lons, one_lats = _points(ONE_POINT_REPEATS, seed=9)

    def one_point_loop() -> None:
        for lon, lat in zip(one_lons, one_lats, strict=True):
            index.query(lon, lat)

    new = index.query(lons[ref], lats[ref])
    reference = ReferenceNearest(index)
    old = reference.query(lons[ref], lats[ref])  # also builds its tree, as before
    global LAST
    LAST = {
        "vectorized": median_seconds(lambda: index.query(lons, lats), repeats=5),
        "one_point": median_seconds(one_point_loop, repeats=3) / ONE_POINT_REPEATS,
        "naive": median_seconds(lambda: naive(lons, lats), repeats=5),
        "per_point": median_seconds(
            lambda: _one_projection_per_point(index, lons[sample], lats[sample]), repeats=1
        )
        * (N / PER_POINT_SAMPLE),
        "reference": median_seconds(lambda: reference.query(lons[ref], lats[ref]), repeats=1)
        * (N / REFERENCE_SAMPLE),
        "max_diff_m": float(np.abs(new.distance_m - old.distance_m).max()),
        "vertices": float(len(shapely.get_coordinates(index.geom))),
        "outside": float((index.query(lons, lats).distance_m > 0).sum()),
    }
    return LAST


def rows(m: dict[str, float] | None = None) -> list[Row]:
    """The P2 budget rows for the combined ``make bench`` table."""
    m = measure() if m is None else m
    vs_naive = m["vectorized"] / m["naive"]
    per_point = m["per_point"] / m["vectorized"]
    return [
        row(
            "P2",
            f"100,000 points to a {m['vertices']:,.0f}-vertex border, exact",
            f"{m['vectorized']:.2f} s",
            f"naive planar STRtree: {m['naive']:.2f} s",
            vs_naive,
            m["vectorized"] <= 3.0 and vs_naive <= 4.0,
            "≤ 3 s; ≤ 4× a naive planar STRtree query",
            ratio_label=f"{vs_naive:.2f}× naive",
        ),
        row(
            "P2",
            "one point to the same border",
            f"{m['one_point'] * 1e3:.3f} ms",
            f"one projection per point: {m['per_point'] / N * 1e3:.1f} ms",
            per_point,
            m["one_point"] <= 2e-4 and per_point >= 1000,
            "≤ 0.2 ms; ≥ 1,000× one-projection-per-point",
            ratio_label=f"{per_point:,.0f}× faster",
        ),
    ]


def main() -> None:
    m = measure()
    timing = [
        ["`BoundaryIndex.query` (vectorized, exact)", f"{m['vectorized'] * 1e3:,.0f} ms", "1.00×"],
        ["naive planar STRtree `query_nearest` (not exact)", f"{m['naive'] * 1e3:,.0f} ms",
         f"{m['naive'] / m['vectorized']:.2f}×"],
        [f"former per-point method (scaled from {REFERENCE_SAMPLE:,})",
         f"{m['reference'] * 1e3:,.0f} ms", f"{m['reference'] / m['vectorized']:,.0f}×"],
        [f"one AEQD projection per point (scaled from {PER_POINT_SAMPLE:,})",
         f"{m['per_point'] * 1e3:,.0f} ms", f"{m['per_point'] / m['vectorized']:,.0f}×"],
        ["one point (median of many)", f"{m['one_point'] * 1e3:.3f} ms", "—"],
    ]  # fmt: skip
    print_table(
        f"Distance to Russia ({m['vertices']:,.0f} border vertices), {N:,} random points "
        f"in the region ({m['outside']:,.0f} outside it), median of 5",
        ["method", "time", "vs vectorized"],
        timing,
    )
    print_table("Budgets (issue #8)", list(ROW_KEYS), [list(r.values()) for r in rows(m)])


if __name__ == "__main__":
    main()
