"""The batch command line at scale (issue #22): P4 speed, P5 bounded memory, P6 start-up.

Run with ``python -m bench.batch_cli`` for the detailed table (also near and far points);
``make bench`` shows the budget rows. Each run of ``cli.py distances`` is a process of its
own, as an analyst runs it; its peak resident memory is the kernel's high-water mark for
that process (:func:`run`). Every figure is measured in this run:

* **P4**: the command's time per point, beyond its start-up, for 1,000,000 points uniform
  over 50–58°N, 20–34°E, to Belarus, against P2's per-point time of the core query
  (``BoundaryIndex.query``, 100,000 points to Russia's border) — and, for the record, the
  core on the very same points;
* **P5**: the command's peak memory for 4,000,000 such points against 1,000,000;
* **P6**: the command's fixed cost (a one-point file), against the bare interpreter's.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from bench.common import ROW_KEYS, Row, median_seconds, print_table, row

ROOT = Path(__file__).resolve().parent.parent
N = 1_000_000
LARGE = 4_000_000
BOX = (20.0, 50.0, 34.0, 58.0)  # west, south, east, north: the bounding box
NEAR = (23.0, 51.0, 33.0, 56.5)  # in and around Belarus
FAR = (5.0, 45.0, 45.0, 62.0)  # most points hundreds of km from Belarus
P4_MAX = 1.5
P5_MAX = 1.2


def write_points(path: Path, n: int, box: tuple[float, float, float, float], seed: int) -> Path:
    """``n`` points uniform over ``box`` as a CSV of id, lat, lon (pyarrow: seconds)."""
    rng = np.random.default_rng(seed)
    west, south, east, north = box
    table = pa.table(
        {
            "id": np.arange(n),
            "lat": rng.uniform(south, north, n),
            "lon": rng.uniform(west, east, n),
        }
    )
    pacsv.write_csv(table, path)
    return path


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process.

    The peak is the kernel's high-water mark of the process's own memory (``VmHWM`` in
    ``/proc/PID/status``), read every 0.1 s until it exits: ``ru_maxrss`` (``os.wait4``)
    would count the pages of this process, which is large, that the child had before its
    ``exec``.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    status = Path(f"/proc/{proc.pid}/status")
    peak_kb = 0
    while proc.poll() is None:
        try:
            text = status.read_text()
        except OSError:  # exited between the two calls
            break
        found = re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE)
        peak_kb = max(peak_kb, int(found[1])) if found else peak_kb
        time.sleep(0.1)
    err = proc.communicate()[1].decode()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err}")
    return seconds, peak_kb / 1024


def distances(source: Path, out: Path) -> tuple[float, float]:
    """``cli.py distances SOURCE --to-country BY --out OUT``: seconds and peak MB."""
    cmd = [sys.executable, "cli.py", "distances", str(source), "--to-country", "BY"]
    return run([*cmd, "--out", str(out), "--quiet"])


def core_seconds(source: Path) -> tuple[float, int]:
    """The core query alone on the file's points (read beforehand): seconds, and points."""
    from geo.territories import territory_index

    table = pacsv.read_csv(source)
    lons, lats = table["lon"].to_numpy(), table["lat"].to_numpy()
    index = territory_index("BY")
    index.query(lons[:1000], lats[:1000])  # built and warm
    return median_seconds(lambda: index.query(lons, lats), repeats=1), len(lons)


def p2_per_point() -> float:
    """P2's per-point seconds, from this run's ``bench.nearest`` if it ran, else measured."""
    from bench import nearest

    if nearest.LAST is not None:
        return nearest.LAST["vectorized"] / nearest.N
    index = nearest.territory_index(nearest.CODE)
    lons, lats = nearest._points(nearest.N)
    index.query(lons[:1000], lats[:1000])
    return median_seconds(lambda: index.query(lons, lats), repeats=3) / nearest.N


def measure(folder: Path, *, detail: bool = False) -> dict[str, float]:
    """Every figure of the rows (and of the detailed table with ``detail``)."""
    m: dict[str, float] = {}
    one = write_points(folder / "one.csv", 1, BOX, 1)
    startups = [distances(one, folder / "one_out.csv")[0] for _ in range(3)]
    m["startup"] = statistics.median(startups)
    bare = [run([sys.executable, "-c", "pass"])[0] for _ in range(3)]
    m["bare"] = statistics.median(bare)
    box = write_points(folder / "box.csv", N, BOX, 2)
    m["box_s"], m["box_mb"] = distances(box, folder / "box_out.csv")
    m["core_box_s"], _ = core_seconds(box)
    m["p2"] = p2_per_point()
    large = write_points(folder / "large.csv", LARGE, BOX, 3)
    m["large_s"], m["large_mb"] = distances(large, folder / "large_out.csv")
    large.unlink()
    if detail:
        for label, area in (("near", NEAR), ("far", FAR)):
            source = write_points(folder / f"{label}.csv", 200_000, area, 4)
            m[f"{label}_s"], _ = distances(source, folder / f"{label}_out.csv")
            m[f"core_{label}_s"], _ = core_seconds(source)
    return m


def _per_point_us(m: dict[str, float], key: str, n: int) -> float:
    return (m[key] - m["startup"]) / n * 1e6


def rows(m: dict[str, float] | None = None) -> list[Row]:
    """The P4, P5 and P6 rows for the combined ``make bench`` table."""
    if m is None:
        with tempfile.TemporaryDirectory(prefix="atlas-bench-") as folder:
            m = measure(Path(folder))
    cli_us = _per_point_us(m, "box_s", N)
    p2_us = m["p2"] * 1e6
    ratio = cli_us / p2_us
    memory = m["large_mb"] / m["box_mb"]
    core_us = m["core_box_s"] / N * 1e6
    return [
        row(
            "P4",
            "`atlas distances` on 1,000,000 points (50–58°N, 20–34°E) to Belarus, end to end",
            f"{cli_us:.1f} µs a point beyond start-up ({m['box_s']:.1f} s in all); "
            f"the core alone on these points: {core_us:.1f} µs",
            f"P2, the core's per-point time: {p2_us:.1f} µs",
            ratio,
            ratio <= P4_MAX,
            f"≤ {P4_MAX}× P2's per-point time",
            ratio_label=f"{ratio:.2f}× P2",
        ),
        row(
            "P5",
            "peak memory of the same command on 4,000,000 points",
            f"{m['large_mb']:.0f} MB ({m['large_s']:.0f} s)",
            f"1,000,000 points: {m['box_mb']:.0f} MB",
            memory,
            memory <= P5_MAX,
            f"≤ {P5_MAX}× the 1,000,000-point run (bounded, not linear)",
            ratio_label=f"{memory:.2f}×",
        ),
        row(
            "P6",
            "the command's fixed cost (a one-point file: start-up, imports, data, writing)",
            f"{m['startup']:.2f} s",
            f"the bare interpreter: {m['bare']:.2f} s",
            m["startup"] / m["bare"],
            "figure",
            "a figure: paid once per run",
            ratio_label=f"{m['startup'] / m['bare']:.0f}×",
        ),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as folder:
        m = measure(Path(folder), detail=True)
    table = []
    for label, key, n in (
        ("1,000,000 over the box", "box", N),
        ("200,000 near (23–33°E, 51–56.5°N)", "near", 200_000),
        ("200,000 far (5–45°E, 45–62°N)", "far", 200_000),
    ):
        cli_us = _per_point_us(m, f"{key}_s", n)
        core_us = m[f"core_{key}_s"] / n * 1e6
        table.append([label, f"{cli_us:.1f} µs", f"{core_us:.1f} µs", f"{cli_us / core_us:.2f}×"])
    print_table(
        "`atlas distances … --to-country BY` per point, beyond start-up",
        ["points", "command", "core query alone", "command / core"],
        table,
    )
    print_table("Budgets (issue #22)", list(ROW_KEYS), [list(r.values()) for r in rows(m)])


if __name__ == "__main__":
    main()
