"""Vectorized geodesic distance for 1,000,000 point pairs, against its baselines.

Run with ``make bench``. Every figure is a median measured in this run, so the
ratios compare like with like on this machine.
"""

from __future__ import annotations

import numpy as np
from geographiclib.geodesic import Geodesic

from bench.common import median_seconds, print_table
from geo.measure import GEOD, distance_m, inverse

N = 1_000_000
LOOP_N = 20_000  # the pure-Python loop is timed on a slice and scaled to N
SCALAR_N = 100_000
EARTH_RADIUS_M = 6_371_008.8  # mean radius, the usual haversine choice


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance on a sphere: the common shortcut we do not use."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def main() -> None:
    rng = np.random.default_rng(42)
    # Point pairs across the region (5.5–45°E, 43.5–70.5°N), as analysts use it.
    lon1, lon2 = rng.uniform(5.5, 45.0, (2, N))
    lat1, lat2 = rng.uniform(43.5, 70.5, (2, N))

    raw = median_seconds(lambda: GEOD.inv(lon1, lat1, lon2, lat2), repeats=3)
    ours = median_seconds(lambda: distance_m(lon1, lat1, lon2, lat2), repeats=3)
    ours_full = median_seconds(lambda: inverse(lon1, lat1, lon2, lat2), repeats=3)
    hav = median_seconds(lambda: haversine_m(lon1, lat1, lon2, lat2), repeats=3)

    def pure_python_loop() -> None:  # Karney's algorithm in pure Python (geographiclib)
        for i in range(LOOP_N):
            Geodesic.WGS84.Inverse(lat1[i], lon1[i], lat2[i], lon2[i], Geodesic.DISTANCE)

    def scalar_call_loop() -> None:  # one C call per pair
        for i in range(SCALAR_N):
            GEOD.inv(float(lon1[i]), float(lat1[i]), float(lon2[i]), float(lat2[i]))

    loop = median_seconds(pure_python_loop, repeats=3) * (N / LOOP_N)
    scalar = median_seconds(scalar_call_loop, repeats=3) * (N / SCALAR_N)
    exact = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    rel_err = np.abs(haversine_m(lon1, lat1, lon2, lat2) / exact - 1)
    worst = int(np.argmax(rel_err))

    rows = [
        ["pyproj `Geod.inv` (baseline)", f"{raw * 1000:.0f} ms", "1.00×", "exact"],
        [
            "`geo.measure.distance_m`",
            f"{ours * 1000:.0f} ms",
            f"{ours / raw:.2f}×",
            "exact (goal ≤ 1.2×)",
        ],
        [
            "`geo.measure.inverse` (+ azimuths 0–360°)",
            f"{ours_full * 1000:.0f} ms",
            f"{ours_full / raw:.2f}×",
            "exact",
        ],
        [
            "pure-Python loop (geographiclib)",
            f"{loop * 1000:,.0f} ms (scaled from {LOOP_N:,})",
            f"{loop / raw:.0f}×",
            "exact",
        ],
        [
            "Python loop of scalar `Geod.inv` calls",
            f"{scalar * 1000:,.0f} ms (scaled from {SCALAR_N:,})",
            f"{scalar / raw:.1f}×",
            "exact",
        ],
        [
            "numpy haversine (sphere)",
            f"{hav * 1000:.0f} ms",
            f"{hav / raw:.2f}×",
            f"worst error {rel_err[worst] * 100:.2f}% "
            f"({rel_err[worst] * exact[worst] / 1000:.1f} km at {exact[worst] / 1000:,.0f} km)",
        ],
    ]
    print_table(
        f"Geodesic distance, {N:,} point pairs (median of 3)",
        ["method", "time", "vs Geod.inv", "accuracy"],
        rows,
    )


if __name__ == "__main__":
    main()
