"""Exports of all layers: file size and time to write, against the issue's budgets.

Cold times run in a fresh interpreter (after imports), so they include reading data/ and
building every layer; warm times reuse built layers. The baseline, measured in the same
run, is folium rendering the same layers with links instead of inlined files (what
``folium.Map.save`` would write): the ratio is the cost of a self-contained page.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median_seconds, print_table

MB = 1_000_000
COLD_SCRIPT = """
import json, sys, time
from pathlib import Path
from layers.exports import export
start = time.perf_counter()
export(Path(sys.argv[1]), offline=sys.argv[2] == "offline")
print(json.dumps(time.perf_counter() - start))
"""
BUDGET_MB = {"online": 2.0, "offline": 3.0}
BUDGET_S = 2.0


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
    from layers.exports import FORMATS, export
    from layers.render import atlas_map

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


if __name__ == "__main__":
    main()
