"""The CSV of figures: each layer's metrics, the claims ledger, the units shown (forces),
and distances between sites.

One long table (``table, from, to, value, unit``) under a title and attribution line;
cells a spreadsheet would run as formulas are defused (:func:`layers.escape.csv_cell`).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from exports.ledger import ledger_records
from geo.data import sites
from geo.measure import distance_m
from layers.attribution import ATTRIBUTION
from layers.catalogue import CATALOGUE, build
from layers.escape import csv_cell
from layers.spec import LayerSpec
from layers.units import convert_km, split_metric

__all__ = ["MAIN_SITES", "UNIT_FIELDS", "write_csv"]

# What the CSV gives of each unit (a feature with a SIDC), after its distances.
UNIT_FIELDS = ("sidc", "side", "echelon", "from", "to", "uncertainty_km", "citation")

# Point sites between which the CSV gives every distance: the places the seeds measure from.
MAIN_SITES = (
    "vilnius",
    "minsk",
    "astravets_npp",
    "astravets",
    "grodno",
    "vitebsk",
    "smolensk",
    "gomel",
    "mogilev",
    "brest",
    "baranavichy_airbase",
    "yelnia_regiment",
    "klintsy_regiment",
    "kaliningrad",
    "warsaw",
    "riga",
    "moscow",
)


def write_csv(
    path: Path,
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    *,
    unit: str = "km",
    title: str,
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Each layer's metrics, the claims ledger (with the ``claims`` layer), then the distance
    table between the main sites, in long format."""
    rows: list[list[Any]] = [
        ["# " + title.replace("\n", " ")],
        ["# " + ATTRIBUTION],
        ["table", "from", "to", "value", "unit"],
    ]
    for spec in frames:
        for key, value in build(spec, **dict((params or {}).get(spec.id, {}))).metrics.items():
            name, shown, unit_name = _metric(key, value, unit)
            rows.append(["metric", spec.id, name, shown, unit_name])
    for gdf in frames.values():  # units: "from" is the unit, "to" the field
        rows += _unit_rows(gdf, unit)
    if CATALOGUE["claims"] in frames:  # the ledger: "from" is the claim, "to" its verdict
        for r in ledger_records():
            computed = r["computed"]
            rows.append(["claim", r["id"], r["verdict"], computed, r["units"]])
    table = sites().set_index("id").loc[list(MAIN_SITES)]
    for a in table.itertuples():
        n = len(table)
        dist = distance_m(
            np.full(n, a.lon), np.full(n, a.lat), table["lon"].to_numpy(), table["lat"].to_numpy()
        )
        for b_name, d_m in zip(table["name"], dist, strict=True):
            if b_name != a.name:
                rows.append(
                    ["distance", a.name, b_name, round(convert_km(d_m / 1000, unit), 3), unit]
                )
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[csv_cell(v) for v in row] for row in rows])


def _unit_rows(gdf: gpd.GeoDataFrame, unit: str) -> list[list[Any]]:
    """Each unit's SIDC, side, echelon, dates, radius, source, position and distances (the
    ``to_<code>_km`` columns, with their ``_min`` and ``_max`` over its disc)."""
    if "sidc" not in gdf.columns:
        return []
    rows: list[list[Any]] = []
    units = gdf[gdf["sidc"].notna() & (gdf.geom_type == "Point")]
    distances = [c for c in units.columns if c.startswith("to_") and "_km" in c]
    numbers = units[[*distances, "uncertainty_km"] if "uncertainty_km" in units else distances]
    numbers = numbers.apply(pd.to_numeric, errors="coerce")  # a user's columns may be text
    for index, u in units.iterrows():
        name = u["name"]
        for field in UNIT_FIELDS:
            value = numbers.at[index, field] if field in numbers else u.get(field)
            if field == "uncertainty_km":
                if value is not None and np.isfinite(value):
                    shown = round(convert_km(value, unit), 3)
                    rows.append(["unit", name, "uncertainty", shown, unit])
            elif isinstance(value, str) and value:
                rows.append(["unit", name, field, value, ""])
        rows.append(["unit", name, "lat", round(u.geometry.y, 6), "°"])
        rows.append(["unit", name, "lon", round(u.geometry.x, 6), "°"])
        for column in distances:
            value = numbers.at[index, column]
            if np.isfinite(value):
                shown = round(convert_km(value, unit), 3)
                rows.append(["unit", name, column.replace("_km", ""), shown, unit])
    return rows


def _metric(key: str, value: float, unit: str) -> tuple[str, float, str]:
    """A metric as the CSV has it: its name without the unit its key ends in (the unit
    column says it: a distance is in the chosen unit), its value, its unit."""
    name, metric_unit = split_metric(key)
    if metric_unit == "km":
        return name, round(convert_km(value, unit), 3), unit
    if metric_unit == "km²":
        return name, round(value, 1), metric_unit
    if metric_unit == "°":
        return name, round(value, 2), metric_unit
    return name, round(value, 3), metric_unit or ""
