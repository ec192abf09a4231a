"""Feature records shared by the layer builders: points, geodesic lines, rings, borders.

A record is a dict of typed properties plus ``geometry``; :func:`frame` turns a list
of them into the GeoDataFrame a :class:`~layers.spec.Built` carries. Labels are plain
text; rendering escapes them.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely

from geo.coords import format_dd
from geo.fans import fan, radials
from geo.gazetteer import Place
from geo.horizon import Horizon
from geo.measure import GEOD, geodesic_path, measure
from geo.reach import (
    CITY_KINDS,
    countries_touched,
    geodesic_area_km2,
    people_in_towns,
    site_distances,
)
from geo.rings import radii_from_km, rings
from geo.territories import territory_distance, territory_name
from layers.spec import cite
from layers.units import distance_token

Record = dict[str, Any]


def km_mi(km: float) -> str:
    """A distance for a label: shown as ``65.3 km (40.6 mi)`` or in the unit the user picks.

    See :mod:`layers.units`: the label carries a token that rendering formats.
    """
    return distance_token(km)


def frame(records: list[Record]) -> gpd.GeoDataFrame:
    """Records → GeoDataFrame in EPSG:4326 (columns missing from a record are NaN)."""
    if not records:
        return gpd.GeoDataFrame(
            {"role": [], "name": [], "label": []}, geometry=gpd.GeoSeries([], crs=4326)
        )
    return gpd.GeoDataFrame(records, geometry="geometry", crs=4326)


def point_record(place: Place, *, role: str = "site", label: str = "", **props: Any) -> Record:
    """A point for a place, labelled with its name, coordinates and their source."""
    text = label or f"{place.name}\n{format_dd(place.lon, place.lat)} (source: {place.source})"
    return {
        "role": role,
        "name": place.name,
        "label": text,
        "kind": place.kind,
        "geometry": shapely.Point(place.lon, place.lat),
        **props,
    }


def line_record(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    *,
    name: str,
    role: str = "measure_line",
    **props: Any,
) -> Record:
    """A geodesic line, densified so it draws as the geodesic, labelled with its figures."""
    m = measure(lon1, lat1, lon2, lat2)
    label = f"{name}: {km_mi(m.distance_km)}, bearing {m.azimuth_deg:.0f}°"
    return {
        "role": role,
        "name": name,
        "label": label,
        "distance_km": m.distance_km,
        "azimuth_deg": m.azimuth_deg,
        "geometry": shapely.LineString(geodesic_path(lon1, lat1, lon2, lat2)),
        **props,
    }


def ring_records(centre: Place, radii_km: tuple[float, ...], *, seed: str) -> list[Record]:
    """Geodesic rings around a place, each with what it reaches and its area."""
    discs = rings(centre.lon, centre.lat, radii_from_km(radii_km))
    around = site_distances(centre.lon, centre.lat, kinds=CITY_KINDS)
    around = around[around["id"] != centre.ref]
    records = []
    for radius_km, disc in zip(radii_km, discs, strict=True):
        inside = around[around["distance_km"] <= radius_km]  # exact: geodesic distance
        reaches = ", ".join(inside["name"]) or "no capital or city"
        countries = ", ".join(countries_touched(disc))
        area = geodesic_area_km2(disc)
        label = (
            f"{km_mi(radius_km)} from {centre.name} (geodesic ring)\n"
            f"reaches: {reaches}\ncountries: {countries}\n"
            f"area: {area:,.0f} km²\nclaim source: {cite(seed)}"
        )
        records.append(
            {
                "role": "ring",
                "name": f"{centre.name} {radius_km:g} km",
                "label": label,
                "radius_km": float(radius_km),
                "area_km2": area,
                "reaches": reaches,
                "countries": countries,
                "geometry": disc,
            }
        )
    return records


def border_records(place: Place, code: str) -> tuple[list[Record], float, float]:
    """The shortest geodesic from a place to a territory and its nearest point.

    Returns
    -------
    records : list of dict
        The nearest point and the line to it.
    distance_km, azimuth_deg : float
        The distance and the bearing from the place.
    """
    near = territory_distance(place.lon, place.lat, code)
    lon, lat = near.nearest_lon, near.nearest_lat
    country = territory_name(code)
    line = line_record(
        place.lon,
        place.lat,
        lon,
        lat,
        name=f"{place.name} → {country} border",
        role="border_line",
        country=code,
    )
    point = {
        "role": "nearest_point",
        "name": f"nearest point of {country}",
        "label": f"Nearest point of {country} to {place.name}\n{format_dd(lon, lat)}\n"
        f"{km_mi(line['distance_km'])} away",
        "distance_km": line["distance_km"],
        "country": code,
        "geometry": shapely.Point(lon, lat),
    }
    return [line, point], line["distance_km"], line["azimuth_deg"]


def fan_record(
    centre: Place,
    azimuth_deg: float,
    width_deg: float,
    min_km: float,
    max_km: float,
    *,
    seed: str = "your fans",
) -> Record:
    """A geodesic range fan from a place, with its area, perimeter and what it holds."""
    geom = fan(centre.lon, centre.lat, azimuth_deg, width_deg, min_km * 1000.0, max_km * 1000.0)
    area_m2, perimeter_m = GEOD.geometry_area_perimeter(geom)
    people = people_in_towns(geom)
    countries = ", ".join(countries_touched(geom))
    name = f"{centre.name} fan {azimuth_deg:g}° ± {width_deg / 2:g}°"
    label = (
        f"{name} (geodesic range fan)\n"
        f"range {km_mi(min_km)} to {km_mi(max_km)}\n"
        f"bearings {(azimuth_deg - width_deg / 2) % 360:g}° to "
        f"{(azimuth_deg + width_deg / 2) % 360:g}° true\n"
        f"countries: {countries or 'none'}\n{people.label}\n"
        f"area: {abs(area_m2) / 1e6:,.0f} km²\nsource: {cite(seed)}"
    )
    return {
        "role": "fan",
        "name": name,
        "label": label,
        "azimuth_deg": float(azimuth_deg),
        "width_deg": float(width_deg),
        "min_range_km": float(min_km),
        "max_range_km": float(max_km),
        "area_km2": abs(area_m2) / 1e6,
        "perimeter_km": perimeter_m / 1000.0,
        "people_in_towns": people.people,
        "countries": countries,
        "geometry": geom,
    }


def radial_records(
    centre: Place, count: int, length_km: float, *, first_deg: float = 0.0
) -> list[Record]:
    """``count`` geodesic radials from a place (a line of bearing when ``count`` is 1)."""
    lines = radials(centre.lon, centre.lat, count, length_km * 1000.0, first_deg=first_deg)
    step = 360.0 / count
    records = []
    for i, line in enumerate(lines):
        azimuth = (first_deg + i * step) % 360.0
        name = f"{centre.name} {azimuth:05.1f}°"
        records.append(
            {
                "role": "radial",
                "name": name,
                "label": f"{name} true, {km_mi(length_km)} (geodesic radial)",
                "azimuth_deg": azimuth,
                "distance_km": float(length_km),
                "geometry": line,
            }
        )
    return records


def horizon_records(
    centre: Place, seen: Horizon, height_m: float, target_m: float, kind: str
) -> list[Record]:
    """A horizon ring around a place: the farthest a smooth Earth lets it see a target."""
    (disc,) = rings(centre.lon, centre.lat, radii_from_km([seen.horizon_km]))
    name = f"{centre.name} {kind} horizon"
    label = (
        f"{name}: {km_mi(seen.horizon_km)}\n"
        f"antenna or eye {height_m:g} m, target {target_m:g} m, k = {seen.k:.4g}\n"
        "smooth Earth: terrain, buildings and trees are not modelled"
    )
    return [
        {
            "role": "ring",
            "name": name,
            "label": label,
            "radius_km": seen.horizon_km,
            "height_m": float(height_m),
            "target_height_m": float(target_m),
            "k": seen.k,
            "area_km2": geodesic_area_km2(disc),
            "geometry": disc,
        }
    ]
