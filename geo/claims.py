"""The claims ledger: each geographic claim of the seeds, checked against the computed figure.

Claims are data (``data/claims.toml``); the quantities are computed in
:mod:`geo.claim_quantities`; the verdict rules are :data:`RULES`, here and nowhere else:

=============  ===============================================================  =========
qualifier      consistent when                                                  unclear
=============  ===============================================================  =========
approximately  within 10% of the claimed figure (a bare figure counts as this)  —
less_than      strictly below the claimed figure                                —
a_mere         at most the claimed figure plus 10% ("a mere 23 km")              —
near           at most 50 km                                                    50–100 km
within_range   at most the claimed range                                        —
direction      within 22.5° of the claimed 8-point compass direction            22.5–45°
crosses        the geodesic crosses the country as claimed (yes or no)          —
outside        at most 10% of the corridor's area inside the country            10–50%
only_within    the place within the range, every other candidate beyond it      —
=============  ===============================================================  =========

Anything else is ``inconsistent``. Bounds are inclusive as written ("at most", "within").
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.claim_quantities import COMPASS, KINDS, M_PER_UNIT, Quantity, compass_point
from geo.data import DATA_DIR
from geo.errors import DataFileError, UnknownNameError
from geo.measure import M_PER_KM

__all__ = [
    "CLAIMS_FILE",
    "RULES",
    "Claim",
    "Verdict",
    "angle_off",
    "evaluate",
    "judge",
    "ledger",
    "load_claims",
]

CLAIMS_FILE = DATA_DIR / "claims.toml"
APPROX_TOLERANCE = 0.10
A_MERE_TOLERANCE = 0.10
NEAR_KM = 50.0
NEAR_UNCLEAR_KM = 100.0
DIRECTION_DEG = 22.5
DIRECTION_UNCLEAR_DEG = 45.0
OUTSIDE_PCT = 10.0
OUTSIDE_UNCLEAR_PCT = 50.0
REQUIRED = ("id", "seed", "quote", "kind", "units", "qualifier")


@dataclass(frozen=True)
class Claim:
    """One claim as written in ``data/claims.toml`` (``fields`` keeps every key).

    Examples
    --------
    >>> claim = next(c for c in load_claims() if c.id == "vilnius_belarusian_border")
    >>> claim.kind, claim.claimed, claim.units, claim.qualifier, claim.fields["country"]
    ('border_distance', 30, 'km', 'less_than', 'BY')
    """

    id: str
    seed: str
    quote: str
    kind: str
    units: str
    qualifier: str
    claimed: float | str | bool | None
    note: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Verdict:
    """A claim checked: the computed value, the difference and the verdict.

    ``difference`` is computed − claimed in the claim's units (azimuth degrees for a
    direction), or None where it has no meaning (yes/no, "near" without a figure).

    Examples
    --------
    >>> v = evaluate(next(c for c in load_claims() if c.id == "vilnius_belarusian_border"))
    >>> round(v.computed, 3), round(v.difference, 3), v.verdict
    (29.057, -0.943, 'consistent')
    """

    claim: Claim
    computed: float | bool
    difference: float | None
    verdict: str
    detail: str
    features: tuple[tuple[str, BaseGeometry], ...]

    def record(self) -> dict[str, Any]:
        """The ledger row: ``id, quote, seed, claimed, computed, units, verdict, note``.

        Figures are rounded to 2 decimals; a direction is shown with its compass point.

        Examples
        --------
        >>> row = next(v for v in ledger() if v.claim.id == "vilnius_north_of_minsk").record()
        >>> row["claimed"], row["computed"], row["difference"], row["verdict"]
        ('N', '301° (NW)', 58.54, 'inconsistent')
        """
        computed = self.computed if isinstance(self.computed, bool) else round(self.computed, 2)
        if self.claim.qualifier == "direction":
            computed = f"{self.computed:.0f}° ({compass_point(float(self.computed))})"
        return {
            "id": self.claim.id,
            "quote": self.claim.quote,
            "seed": self.claim.seed,
            "claimed": self.claim.claimed,
            "computed": computed,
            "units": self.claim.units,
            "qualifier": self.claim.qualifier,
            "difference": None if self.difference is None else round(self.difference, 2),
            "verdict": self.verdict,
            "measured": self.detail,
            "note": self.claim.note,
        }


def _km(value: float, units: str) -> float:
    return value * M_PER_UNIT[units] / M_PER_KM


def _approximately(computed: float, claimed: float, **_: Any) -> str:
    ok = abs(computed - claimed) <= APPROX_TOLERANCE * abs(claimed)
    return "consistent" if ok else "inconsistent"


def _less_than(computed: float, claimed: float, **_: Any) -> str:
    return "consistent" if computed < claimed else "inconsistent"


def _a_mere(computed: float, claimed: float, **_: Any) -> str:
    return "consistent" if computed <= claimed * (1 + A_MERE_TOLERANCE) else "inconsistent"


def _near(computed: float, claimed: Any = None, *, units: str = "km", **_: Any) -> str:
    km = _km(computed, units)
    if km <= NEAR_KM:
        return "consistent"
    return "unclear" if km <= NEAR_UNCLEAR_KM else "inconsistent"


def _within_range(computed: float, claimed: float, **_: Any) -> str:
    return "consistent" if computed <= claimed else "inconsistent"


def _direction(computed: float, claimed: str, **_: Any) -> str:
    off = angle_off(computed, claimed)
    if off <= DIRECTION_DEG:
        return "consistent"
    return "unclear" if off <= DIRECTION_UNCLEAR_DEG else "inconsistent"


def _crosses(computed: bool, claimed: bool, **_: Any) -> str:
    return "consistent" if bool(computed) == bool(claimed) else "inconsistent"


def _outside(computed: float, claimed: Any = None, **_: Any) -> str:
    if computed <= OUTSIDE_PCT:
        return "consistent"
    return "unclear" if computed <= OUTSIDE_UNCLEAR_PCT else "inconsistent"


def _only_within(
    computed: float, claimed: float, *, next_nearest: float = float("inf"), **_: Any
) -> str:
    return "consistent" if computed <= claimed < next_nearest else "inconsistent"


# qualifier → rule(computed, claimed, *, units, **extra) → verdict. The one place they live.
RULES: dict[str, Callable[..., str]] = {
    "approximately": _approximately,
    "less_than": _less_than,
    "a_mere": _a_mere,
    "near": _near,
    "within_range": _within_range,
    "direction": _direction,
    "crosses": _crosses,
    "outside": _outside,
    "only_within": _only_within,
}


def angle_off(azimuth_deg: float, compass: str) -> float:
    """Degrees between an azimuth and a compass point (N, NE, ... NW), 0 to 180.

    Examples
    --------
    >>> angle_off(301.5, "N"), angle_off(10.0, "NW"), angle_off(-90.0, "W")
    (58.5, 55.0, 0.0)
    >>> angle_off(0.0, "NNE")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownNameError: unknown compass point 'NNE': expected one of ('N', 'NE', 'E',
    'SE', 'S', 'SW', 'W', 'NW')
    """
    if compass not in COMPASS:
        raise UnknownNameError(f"unknown compass point '{compass}': expected one of {COMPASS}")
    target = 45.0 * COMPASS.index(compass)
    return abs((azimuth_deg - target + 180.0) % 360.0 - 180.0)


def judge(
    qualifier: str,
    computed: float | bool,
    claimed: float | str | bool | None,
    *,
    units: str = "km",
    **extra: float,
) -> str:
    """The verdict of :data:`RULES` for a computed value against a claimed one.

    Parameters
    ----------
    qualifier : str
        A key of :data:`RULES`.
    computed : float or bool
        The computed figure, in the claim's units (an azimuth for ``direction``).
    claimed : float, str, bool or None
        The claimed figure (a compass point for ``direction``; None for ``near``).
    units : str, optional
        The units of both figures (``near`` converts miles to km).
    **extra : float
        Figures the rule needs besides these (``next_nearest`` for ``only_within``).

    Returns
    -------
    str
        ``consistent``, ``inconsistent`` or ``unclear``.

    Raises
    ------
    UnknownNameError
        If the qualifier is not a key of :data:`RULES`.

    Examples
    --------
    >>> judge("approximately", 170.0, 172.0), judge("less_than", 30.2, 30)
    ('consistent', 'inconsistent')
    >>> judge("near", 60.0, None), judge("near", 40.0, None, units="mi")  # 40 mi is 64 km
    ('unclear', 'unclear')
    >>> judge("direction", 301.5, "N")
    'inconsistent'
    """
    if qualifier not in RULES:
        raise UnknownNameError(f"unknown qualifier '{qualifier}': expected one of {list(RULES)}")
    return RULES[qualifier](computed, claimed, units=units, **extra)


def _claim(raw: Mapping[str, Any], where: str) -> Claim:
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise DataFileError(f"{where}: claim {raw.get('id', '?')!r} lacks {missing}")
    if raw["kind"] not in KINDS:
        raise DataFileError(f"{where}: claim {raw['id']!r} has unknown kind {raw['kind']!r}")
    if raw["qualifier"] not in RULES:
        raise DataFileError(
            f"{where}: claim {raw['id']!r} has unknown qualifier {raw['qualifier']!r}"
        )
    return Claim(
        id=raw["id"],
        seed=raw["seed"],
        quote=raw["quote"],
        kind=raw["kind"],
        units=raw["units"],
        qualifier=raw["qualifier"],
        claimed=raw.get("claimed"),
        note=raw.get("note", ""),
        fields=dict(raw),
    )


def load_claims(path: Path = CLAIMS_FILE) -> tuple[Claim, ...]:
    """Read the claims file.

    Raises
    ------
    DataFileError
        If it is missing, not TOML, or a claim lacks a field or has an unknown kind,
        qualifier or a repeated id.

    Examples
    --------
    >>> load_claims()[0].id
    'suwalki_gap_width'
    >>> load_claims(DATA_DIR / "no_such_file.toml")
    Traceback (most recent call last):
    ...
    geo.errors.DataFileError: cannot read claims from .../no_such_file.toml: [Errno 2] No such
    file or directory: '.../no_such_file.toml'
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"cannot read claims from {path}: {exc}") from exc
    claims = tuple(_claim(raw, path.name) for raw in data.get("claim", []))
    ids = [c.id for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise DataFileError(f"{path.name}: repeated claim ids {repeated}")
    return claims


def _difference(claim: Claim, q: Quantity) -> float | None:
    if isinstance(q.value, bool) or claim.claimed is None:
        return None
    if claim.qualifier == "direction":
        return angle_off(float(q.value), str(claim.claimed))
    return float(q.value) - float(claim.claimed)


def evaluate(claim: Claim) -> Verdict:
    """Compute a claim's quantity and judge it (see :data:`RULES`).

    Examples
    --------
    The Suwałki gap's "60-mile" width, measured as the gap's narrowest width:

    >>> v = evaluate(load_claims()[0])
    >>> round(v.computed, 3), v.claim.claimed, v.claim.units, v.verdict
    (40.668, 60, 'mi', 'inconsistent')
    """
    q = KINDS[claim.kind](claim.fields, claim.units)
    verdict = judge(claim.qualifier, q.value, claim.claimed, units=claim.units, **q.extra)
    return Verdict(claim, q.value, _difference(claim, q), verdict, q.detail, q.features)


@lru_cache(maxsize=1)
def ledger() -> tuple[Verdict, ...]:
    """Every claim in ``data/claims.toml``, checked (computed once per process).

    Examples
    --------
    >>> len(ledger()) == len(load_claims()), ledger() is ledger()
    (True, True)
    >>> {v.verdict for v in ledger()} <= {"consistent", "inconsistent", "unclear"}
    True
    """
    return tuple(evaluate(c) for c in load_claims())
