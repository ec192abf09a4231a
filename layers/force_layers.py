"""Layers of forces: each unit of ``data/forces.csv`` as its symbol, as of a date.

:func:`forces_layer` gives one point a unit, with its SIDC (the map and the PNG draw the
symbol from it: :func:`layers.style.path_style`), its dates, the radius it may lie in and
its source, and its distances to the territories that matter for its side as ranges over
that radius (:func:`geo.forces.distance_range_km`). :func:`uncertainty_layer` draws those
radii as geodesic discs, for when a briefer wants them seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.forces import as_of, distance_range_km, forces, laydown_date
from geo.rings import rings
from geo.territories import distance_to_territory, territory_name
from layers.features import frame
from layers.spec import SEEDS, Built, Param, cite
from layers.units import distance_token

__all__ = [
    "AS_OF",
    "DISC_VERTICES",
    "DISTANCES_TO",
    "SIDE_NAMES",
    "cited",
    "force_label",
    "force_records",
    "forces_layer",
    "on_date",
    "uncertainty_layer",
]

# Vertices of an uncertainty disc: geodesic points 5.6° apart, whose chords stray at most
# 0.12% of the radius (6 m on a 5 km disc) inside the circle; a page a quarter the size of
# a range ring's 256 (the all-layer HTML's budget, S1, is 600 KB).
DISC_VERTICES = 64
# The laydown date of every layer of forces (the catalogue's and a user's with dates).
AS_OF = Param("as_of_date", "Laydown as of", "date", "")
# Whose forces a side's are, as a popup says it.
SIDE_NAMES = {
    "RU": "Russian",
    "BY": "Belarusian",
    "NATO": "NATO",
    "UA": "Ukrainian",
    "other": "other",
}
# The territories a unit's popup gives its distance to, by side: the other side's ground.
DISTANCES_TO: dict[str, tuple[str, ...]] = {
    "RU": ("BY", "LT", "PL"),
    "BY": ("LT", "PL", "LV"),
    "NATO": ("BY", "RU-KGD", "RU"),
    "UA": ("BY", "RU"),
    "other": ("BY",),
}


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ""


def _range_text(centre: float, near: float, far: float) -> str:
    """``100.1 km (62.2 mi), from 95.1 km to 105.1 km``: the point's distance, the range."""
    if far - near < 1e-9:
        return distance_token(centre)
    return (
        f"{distance_token(centre)}, from {distance_token(near, both=False)} "
        f"to {distance_token(far, both=False)}"
    )


def cited(text: str) -> str:
    """A citation with each seed's file name as the seed's short citation.

    Examples
    --------
    >>> cited("000_6671a901a6bdcfaf.txt: 'two new Russian motorized regiments'")
    "Jamestown 2019: 'two new Russian motorized regiments'"
    """
    for seed in SEEDS:
        text = text.replace(seed, cite(seed))
    return text


def force_label(unit: Mapping[str, Any], ranges: Mapping[str, tuple[float, float]]) -> str:
    """A unit's popup text: what, whose, when, how sure, how far, and who says so.

    Parameters
    ----------
    unit : mapping
        A row of :func:`geo.forces.forces` (or of a user's forces file).
    ranges : mapping
        Territory code → (from the point shown, nearest, farthest) in km: the distances
        from the unit's point and the range over its disc.
    """
    start, end = _day(unit.get("from")), _day(unit.get("to"))
    when = (
        f"from {start} to {end}"
        if start and end
        else f"since {start}"
        if start
        else f"until {end}"
        if end
        else "dates not known"
    )
    radius = float(unit.get("uncertainty_km") or 0.0)
    where = (
        f"position: within {distance_token(radius, both=False)} of the point shown"
        if radius > 0
        else "position: as shown"
    )
    lines = [
        str(unit["name"]),
        f"{SIDE_NAMES.get(str(unit.get('side')), str(unit.get('side')))} "
        f"{unit.get('echelon') or 'unit'} · SIDC {unit['sidc']}",
        f"there: {when}",
        where,
    ]
    for code, (centre, near, far) in ranges.items():
        name = territory_name(code)
        lines.append(f"in {name}" if far <= 0 else f"to {name}: {_range_text(centre, near, far)}")
    lines.append(f"source: {cited(str(unit.get('citation', '')))}")
    if unit.get("note"):
        lines.append(f"note: {unit['note']}")
    return "\n".join(lines)


def force_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """One point record a unit: role ``unit``, its SIDC, dates, radius, source and ranges.

    The distances are columns ``to_<code>_km`` (from the point shown), ``to_<code>_km_min``
    and ``to_<code>_km_max`` (over its disc) for each territory of :data:`DISTANCES_TO`
    for the unit's side (``RU-KGD`` as ``RU_KGD``).
    """
    records = []
    for unit in table.to_dict("records"):
        ranges = {
            code: (
                float(distance_to_territory([unit["lon"]], [unit["lat"]], code).distance_m[0])
                / 1000.0,
                *distance_range_km(unit["lon"], unit["lat"], unit["uncertainty_km"], code),
            )
            for code in DISTANCES_TO.get(str(unit.get("side")), ("BY",))
        }
        figures = {
            f"to_{code.replace('-', '_')}_km{end}": value
            for code, trio in ranges.items()
            for end, value in zip(("", "_min", "_max"), trio, strict=True)
        }
        records.append(
            {
                "role": "unit",
                "name": str(unit["name"]),
                "label": force_label(unit, ranges),
                "kind": "military_unit",
                "id": unit.get("id", ""),
                "side": unit.get("side", ""),
                "echelon": unit.get("echelon", ""),
                "sidc": unit["sidc"],
                "from": _day(unit.get("from")),
                "to": _day(unit.get("to")),
                "uncertainty_km": float(unit.get("uncertainty_km") or 0.0),
                "citation": unit.get("citation", ""),
                "note": unit.get("note", ""),
                **figures,
                "geometry": shapely.Point(unit["lon"], unit["lat"]),
            }
        )
    return records


def on_date(built: Built, as_of_date: str = "") -> Built:
    """A layer's units there on a date: a unit (role ``unit``) whose ``from`` is after it
    or whose ``to`` is before it is left out; other features stay.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> units = gpd.GeoDataFrame({"role": ["unit", "unit", "user_point"],
    ...     "from": ["2017-02-07", None, None], "to": [None, "2016-12-31", None]},
    ...     geometry=[shapely.Point(0, 0)] * 3, crs=4326)
    >>> on_date(Built(units), "2017-03-01").features.index.tolist()
    [0, 2]
    """
    day = laydown_date(as_of_date).isoformat()  # ISO dates compare as text
    features = built.features

    def dates(column: str) -> np.ndarray:
        values = features[column] if column in features.columns else [None] * len(features)
        return np.array([_day(v) or (str(v).strip() if isinstance(v, str) else "") for v in values])

    start, end = dates("from"), dates("to")
    there = ((start == "") | (start <= day)) & ((end == "") | (end >= day))
    keep = (features["role"] != "unit").to_numpy() | there
    return Built(features[keep], built.metrics)


@lru_cache(maxsize=32)
def forces_layer(as_of_date: str = "") -> Built:
    """The units of ``data/forces.csv`` there on a date (today when empty), as symbols.

    Units outside their dates are left out of the layer, not out of the data: another
    date shows them. Metrics: how many units are shown, and of them how many each side has.
    """
    day = laydown_date(as_of_date)
    shown = as_of(forces(), day)
    metrics: dict[str, float] = {"units_count": float(len(shown))}
    for side in sorted(set(shown["side"])):
        metrics[f"{side.lower()}_units_count"] = float((shown["side"] == side).sum())
    return Built(frame(force_records(shown)), metrics)


@lru_cache(maxsize=32)
def uncertainty_layer(as_of_date: str = "") -> Built:
    """The disc each uncertain unit shown on a date may lie in: geodesic, its radius named."""
    shown = as_of(forces(), laydown_date(as_of_date))
    shown = shown[shown["uncertainty_km"] > 0]
    records = []
    for unit in shown.to_dict("records"):
        radius = float(unit["uncertainty_km"])
        disc = rings(unit["lon"], unit["lat"], [radius * 1000.0], n=DISC_VERTICES)[0]
        records.append(
            {
                "role": "uncertainty",
                "name": f"{unit['name']}: where it may be",
                "label": (
                    f"{unit['name']}\nposition known to within "
                    f"{distance_token(radius, both=False)} (geodesic disc)\n"
                    f"source: {cited(unit['citation'])}"
                ),
                "id": unit["id"],
                "uncertainty_km": radius,
                "geometry": disc,
            }
        )
    return Built(frame(records), {"units_count": float(len(records))})
