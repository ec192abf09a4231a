"""The claims ledger on the map: each claim's measured line, ring or corridor, by verdict."""

from __future__ import annotations

from functools import lru_cache

from geo.claim_quantities import M_PER_UNIT
from geo.claims import Verdict, ledger
from geo.measure import M_PER_KM
from layers.features import Record, frame, km_mi
from layers.spec import Built, cite

VERDICT_COLORS = {"consistent": "#1a9850", "inconsistent": "#d73027", "unclear": "#fdae61"}


def _figure(value: object, units: str) -> str:
    if value is None:
        return "no figure"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if units in {"km", "mi"} and isinstance(value, int | float):
        return km_mi(float(value) * M_PER_UNIT[units] / M_PER_KM)
    return f"{value} {units}"


def label(v: Verdict) -> str:
    """A claim's popup text: verdict, quote, claimed and computed figures, source (plain)."""
    c = v.claim
    computed = v.record()["computed"] if c.qualifier == "direction" else v.computed
    return (
        f"{v.verdict.upper()}: “{c.quote}”\n"
        f"claimed: {_figure(c.claimed, c.units)} ({c.qualifier.replace('_', ' ')})\n"
        f"computed: {_figure(computed, c.units)}: {v.detail}\n"
        f"{c.note}\nsource: {cite(c.seed)}"
    )


# The roles whose first line carries the claim's figure on the map (its "tag").
TAGGED_ROLES = ("shortest_line", "measure_line", "border_line")


def tag(v: Verdict) -> str:
    """A claim's map label: the computed figure and the verdict (``65.4 km (inconsistent)``)."""
    c = v.claim
    computed = v.record()["computed"] if c.qualifier == "direction" else v.computed
    if computed is None or isinstance(computed, bool):  # "yes" says nothing on a map
        return ""
    return f"{_figure(computed, c.units)} ({v.verdict})"


def records(v: Verdict) -> list[Record]:
    """One record per geometry of a checked claim, coloured by its verdict; the first line
    of it carries its :func:`tag`."""
    lines = [i for i, (role, _) in enumerate(v.features) if role in TAGGED_ROLES]
    return [
        {
            "role": role,
            "name": f"Claim {v.claim.id}: {v.verdict}",
            "label": label(v),
            "tag": tag(v) if lines and i == lines[0] else "",
            "claim": v.claim.id,
            "verdict": v.verdict,
            "color": VERDICT_COLORS[v.verdict],
            "geometry": geom,
        }
        for i, (role, geom) in enumerate(v.features)
    ]


@lru_cache(maxsize=1)
def claims() -> Built:
    """Every claim of the ledger; metrics count the verdicts."""
    checked = ledger()
    metrics = {
        f"{name}_claims": float(sum(v.verdict == name for v in checked)) for name in VERDICT_COLORS
    }
    return Built(frame([r for v in checked for r in records(v)]), metrics)


def claim(claim_id: str) -> Built:
    """One claim's geometry (for the app's "Claims check" panel)."""
    chosen = [v for v in ledger() if v.claim.id == claim_id]
    return Built(frame([r for v in chosen for r in records(v)]))
