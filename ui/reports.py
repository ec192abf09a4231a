"""Tables the app shows beside the map: a measurement, a point's distances, what is inside.

Each returns a small pandas DataFrame with figures already in the chosen unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from geo.bearings import bearing, to_mils
from geo.coords import format_dd, format_dms, format_mgrs
from geo.data import SITE_KINDS, countries
from geo.errors import InputError
from geo.gazetteer import Place
from geo.measure import legs, measure
from geo.reach import (
    countries_touched_each,
    geodesic_area_km2,
    people_in_towns_each,
    site_distances,
    sites_within_each,
)
from geo.territories import territory_distance
from layers.units import UNITS, convert_km

# Every kind of point site (regions are areas, shown as computed layers).
ALL_SITE_KINDS = tuple(sorted(SITE_KINDS - {"region"}))
PEOPLE = "people in towns of ≥ 5,000"  # GeoNames populations of the towns inside: a floor


def _mgrs(lon: float, lat: float) -> str:
    try:
        return format_mgrs(lon, lat)
    except InputError:
        return "—"


def point_formats(place: Place) -> dict[str, str]:
    """A place's coordinates in DD, DMS and MGRS."""
    lon, lat = place.lon, place.lat
    return {"DD": format_dd(lon, lat), "DMS": format_dms(lon, lat), "MGRS": _mgrs(lon, lat)}


def measurement_table(a: Place, b: Place) -> pd.DataFrame:
    """The geodesic from ``a`` to ``b``: distance in every unit, bearings in every north
    (true and mils, magnetic today, UTM grid), both ends."""
    m = measure(a.lon, a.lat, b.lon, b.lat)
    rows = [(f"distance ({u})", f"{convert_km(m.distance_km, u):,.3f}") for u in UNITS]
    bear = bearing(a.lon, a.lat, b.lon, b.lat)
    rows += [
        ("azimuth at A (true)", f"{m.azimuth_deg:.2f}° · {bear.azimuth_mils:.0f} mils"),
        (
            "back azimuth at B (true)",
            f"{m.back_azimuth_deg:.2f}° · {bear.back_azimuth_mils:.0f} mils",
        ),
        (
            "magnetic azimuth at A",
            f"{bear.magnetic_azimuth_deg:.2f}° (declination {bear.declination_deg:+.2f}°, "
            f"{bear.magnetic_model}, {bear.magnetic_date})",
        ),
        (
            "grid azimuth at A",
            "no UTM grid beyond 84°N / 80°S"
            if bear.utm_zone is None
            else f"{bear.grid_azimuth_deg:.2f}° (UTM zone {bear.utm_zone}, convergence "
            f"{bear.grid_convergence_deg:+.2f}°)",
        ),
    ]
    for label, place in (("A", a), ("B", b)):
        rows += [
            (f"{label}: {place.name} ({fmt})", text) for fmt, text in point_formats(place).items()
        ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def route_table(points: Sequence[Place], unit: str) -> pd.DataFrame:
    """A route's legs: from, to, length in ``unit``, true bearing, distance along it."""
    dist, az, along = legs([p.lon for p in points], [p.lat for p in points])
    return pd.DataFrame(
        {
            "leg": np.arange(1, len(points)),
            "from": [p.name for p in points[:-1]],
            "to": [p.name for p in points[1:]],
            f"length ({unit})": [round(convert_km(d / 1000.0, unit), 3) for d in dist],
            "bearing (°)": az.round(2),
            f"along the route ({unit})": [round(convert_km(d / 1000.0, unit), 3) for d in along],
        }
    )


def site_distance_table(
    place: Place, unit: str, *, limit: int = 25, bearings: Sequence[str] = ("true",)
) -> pd.DataFrame:
    """The nearest curated sites from a point: distance in ``unit`` and bearings.

    ``bearings`` picks the bearing columns, as the Measure tab's setting does: ``true``
    (degrees), ``mils``, ``magnetic`` (WMM2025 today, the point's declination) and
    ``grid`` (the point's UTM zone). With none picked, true bearings are shown.
    """
    rows = site_distances(place.lon, place.lat, kinds=ALL_SITE_KINDS)
    rows = rows[rows["id"] != place.ref].head(limit)
    true = rows["azimuth_deg"].to_numpy()
    table = {
        "site": rows["name"].to_numpy(),
        "kind": rows["kind"].str.replace("_", " ").to_numpy(),
        f"distance ({unit})": [round(convert_km(d, unit), 2) for d in rows["distance_km"]],
    }
    # The point's declination and grid convergence (bearing() gives NaN, not an error,
    # for the magnetic figures once the model has expired).
    north = bearing(
        place.lon, place.lat, place.lon, place.lat + (0.01 if place.lat < 89 else -0.01)
    )
    columns = {
        "true": ("bearing (°)", lambda: true.round(1)),
        "mils": ("bearing (mils)", lambda: to_mils(true).round(0)),
        "magnetic": ("magnetic (°)", lambda: ((true - north.declination_deg) % 360).round(1)),
        "grid": ("grid (°)", lambda: ((true - north.grid_convergence_deg) % 360).round(1)),
    }
    for key in [b for b in columns if b in bearings] or ["true"]:
        name, values = columns[key]
        table[name] = values()
    return pd.DataFrame(table)


def border_distance_table(place: Place, unit: str) -> pd.DataFrame:
    """Distance from a point to every territory in the atlas, and its nearest point."""
    rows = []
    for row in countries().itertuples():
        near = territory_distance(place.lon, place.lat, row.code)
        rows.append(
            (
                row.name,
                round(convert_km(near.distance_km, unit), 2),
                "inside" if near.inside else format_dd(near.nearest_lon, near.nearest_lat),
            )
        )
    table = pd.DataFrame(rows, columns=["territory", f"distance ({unit})", "nearest point"])
    return table.sort_values(f"distance ({unit})", kind="stable", ignore_index=True)


def inside_tables(names: Sequence[str], areas: ArrayLike) -> pd.DataFrame:
    """What each area holds: capitals and cities inside, countries touched, geodesic area.

    One row per area.

    Sites come from one spatial-index query, countries from one matrix of prepared
    intersection tests, for all the areas together.

    Parameters
    ----------
    names : sequence of str
        A label per area.
    areas : array_like of shapely geometry
        Polygons in lon/lat.

    Returns
    -------
    DataFrame
        Columns ``area``, ``capitals``, ``cities``, ``countries`` (comma-separated names,
        "—" for none), ``area (km²)`` and ``people in towns of ≥ 5,000`` (GeoNames'
        populations of the towns inside: a floor, not the area's population).
    """
    areas = np.asarray(areas, dtype=object)
    held = sites_within_each(areas, kinds=("capital", "admin_centre", "city"))
    touched = countries_touched_each(areas)
    people = people_in_towns_each(areas)
    names_by_code = dict(zip(countries()["code"], countries()["name"], strict=True))

    def listed(values: Iterable[str]) -> str:
        return ", ".join(values) or "—"

    rows = [
        {
            "area": name,
            "capitals": listed(held[i].loc[held[i]["kind"] == "capital", "name"]),
            "cities": listed(held[i].loc[held[i]["kind"] != "capital", "name"]),
            "countries": listed(n for c, n in names_by_code.items() if c in touched[i]),
            "area (km²)": round(geodesic_area_km2(area)),
            PEOPLE: people[i].people,
        }
        for i, (name, area) in enumerate(zip(names, areas, strict=True))
    ]
    columns = ["area", "capitals", "cities", "countries", "area (km²)", PEOPLE]
    return pd.DataFrame(rows, columns=columns)
