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


def records(v: Verdict) -> list[Record]:
    """One record per geometry of a checked claim, coloured by its verdict."""
    return [
        {
            "role": role,
            "name": f"Claim {v.claim.id}: {v.verdict}",
            "label": label(v),
            "claim": v.claim.id,
            "verdict": v.verdict,
            "color": VERDICT_COLORS[v.verdict],
            "geometry": geom,
        }
        for role, geom in v.features
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
