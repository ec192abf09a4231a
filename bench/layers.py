"""Time to build every catalogue layer: cold (fresh process) and cached.

Cold is measured in a fresh interpreter per run, after imports and before any data is
loaded, so it includes reading data/ and building the spatial indexes.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from bench.common import median_seconds, print_table

COLD_SCRIPT = """
import json, time
from layers.catalogue import CATALOGUE, build
times = {}
start = time.perf_counter()
for layer_id in CATALOGUE:
    t = time.perf_counter()
    build(layer_id)
    times[layer_id] = time.perf_counter() - t
times["all"] = time.perf_counter() - start
print(json.dumps(times))
"""


def cold_runs(n: int = 3) -> list[dict[str, float]]:
    """Build all layers in ``n`` fresh interpreters; per-layer and total seconds."""
    runs = []
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
    return runs


def main() -> None:
    from layers.catalogue import CATALOGUE, build

    runs = cold_runs()
    for layer_id in CATALOGUE:
        build(layer_id)
    cached = median_seconds(lambda: [build(layer_id) for layer_id in CATALOGUE], repeats=20)
    rows = [
        [f"`{layer_id}`", f"{statistics.median(r[layer_id] for r in runs) * 1000:.0f} ms"]
        for layer_id in CATALOGUE
    ]
    cold = statistics.median(r["all"] for r in runs)
    rows.append(["**all layers, cold**", f"**{cold * 1000:.0f} ms** (goal < 1,000 ms)"])
    rows.append(["**all layers, cached**", f"**{cached * 1000:.2f} ms** (goal < 50 ms)"])
    print_table(
        "Building the layer catalogue (median of 3 fresh processes; cached: of 20)",
        ["layer", "time"],
        rows,
    )


if __name__ == "__main__":
    main()
