"""The claims ledger as tables: JSON records, CSV and Markdown (for the CLI and exports)."""

from __future__ import annotations

import csv
import io
from typing import Any

from geo.claims import ledger
from layers.escape import csv_cell
from layers.spec import cite

COLUMNS = (
    "id",
    "quote",
    "seed",
    "claimed",
    "computed",
    "units",
    "qualifier",
    "difference",
    "verdict",
    "measured",
    "note",
)


def ledger_records() -> list[dict[str, Any]]:
    """One dict per claim with the keys of :data:`COLUMNS`, in the claims file's order."""
    return [v.record() for v in ledger()]


def ledger_csv(records: list[dict[str, Any]]) -> str:
    """The records as CSV text (a cell starting like a spreadsheet formula gets a ``'``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow([csv_cell(_text(r[c])) for c in COLUMNS])
    return out.getvalue()


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _md(value: Any) -> str:
    return str(_text(value)).replace("|", "\\|").replace("\n", " ")


def ledger_markdown(records: list[dict[str, Any]]) -> str:
    """The records as a Markdown table: claim, seed, claimed, computed, verdict."""
    lines = [
        "| claim | seed | claimed | computed | verdict |",
        "|---|---|---|---|---|",
    ]
    for r in records:
        claimed = "—" if r["claimed"] is None else f"{_md(r['claimed'])} {r['units']}"
        lines.append(
            f"| `{r['id']}`: “{_md(r['quote'])}” | {cite(r['seed'])} | {claimed} "
            f"({r['qualifier'].replace('_', ' ')}) | {_md(r['computed'])} {r['units']} | "
            f"**{r['verdict']}** |"
        )
    return "\n".join(lines)
