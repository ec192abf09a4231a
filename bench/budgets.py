"""``make bench``: every budget of issues #8, #15, #20 and #22 in one table, each against a
baseline measured in the same run on this machine.

Run with ``python -m bench.budgets`` (``make bench``). The detailed tables behind the rows
are ``python -m bench.geodesy``, ``bench.nearest``, ``bench.batch_cli`` (the batch command
line), ``bench.data_load``, ``bench.layers``, ``bench.app``, ``bench.export``,
``bench.browser`` (the map in Chromium) and ``bench.load`` (a room of users on one server).
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable

from bench import accuracy, app, batch_cli, browser, export, load, nearest, speed
from bench.common import ROW_KEYS, Row, print_table

SECTIONS: tuple[tuple[str, Callable[[], list[Row]]], ...] = (
    ("accuracy", accuracy.rows),
    ("batch geodesy", speed.rows),
    ("point to territory", nearest.rows),
    ("the batch command", batch_cli.rows),
    ("exported HTML", export.rows),
    ("app", app.rows),
    ("the map in Chromium", browser.rows),
    ("a room of users", load.rows),
)
ORDER = (
    *("A1", "A2", "A3", "A4", "P1", "P2", "P3", "P4", "P5", "P6", "S1", "S2", "U1", "U2"),
    *("B0", "B6", "B7", "B1", "B8", "B2", "B3", "B4", "B5"),
    *("L0", "L1", "L2", "L3", "L4", "L5"),
)


def machine() -> str:
    """This machine, for the table's title: CPU count and Python."""
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"


def main() -> None:
    rows: list[Row] = []
    for name, measure in SECTIONS:
        start = time.perf_counter()
        rows += measure()
        print(f"measured {name} in {time.perf_counter() - start:.0f} s", flush=True)
    rows.sort(key=lambda r: ORDER.index(r["id"]) if r["id"] in ORDER else len(ORDER))
    print_table(
        f"Budgets of issues #8, #15, #20 and #22 ({time.strftime('%Y-%m-%d')}, {machine()})",
        [k.capitalize() for k in ROW_KEYS],
        [[r[k] for k in ROW_KEYS] for r in rows],
    )
    budgets = [r for r in rows if r["holds"] in ("yes", "**no**")]  # not floors or figures
    failing = [r["id"] for r in budgets if r["holds"] != "yes"]
    print(
        f"\n{len(budgets) - len(failing)} of {len(budgets)} budgets hold"
        + (f"; not: {', '.join(failing)}" if failing else ".")
    )


if __name__ == "__main__":
    main()
