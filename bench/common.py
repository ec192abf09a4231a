"""Small helpers shared by the benchmark scripts (medians, table printing)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], *, repeats: int = 5) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Print a Markdown table (pastes straight into the README)."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


Row = dict[str, str]
ROW_KEYS = ("id", "goal", "target", "measured", "baseline", "ratio", "holds")


def row(
    budget_id: str,
    goal: str,
    measured: str,
    baseline: str,
    ratio: float,
    holds: bool | str | None,
    target: str,
    *,
    ratio_label: str | None = None,
) -> Row:
    """One line of the budget table (``make bench``): the issue's id, goal and target, what
    was measured, the baseline measured in the same run, their ratio and whether it holds
    (``None``: a floor that others are measured against, with no budget of its own; a
    string: a figure shown beside a budget, with no budget of its own, described so)."""
    return {
        "id": budget_id,
        "goal": goal,
        "target": target,
        "measured": measured,
        "baseline": baseline,
        "ratio": ratio_label if ratio_label is not None else f"{ratio:.2f}",
        "holds": (
            "floor"
            if holds is None
            else holds
            if isinstance(holds, str)
            else "yes"
            if holds
            else "**no**"
        ),
    }
