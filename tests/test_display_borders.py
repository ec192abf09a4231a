"""Display territories: land borders within 50 m of the full-resolution ones, drawn once.

``scripts/build_data.py`` simplifies each shared border once (Douglas–Peucker per arc in
the regional projection, then the 1e-4° grid); these tests measure the result against
``data/territories.fgb`` in metres, in an azimuthal-equidistant frame of their own.
"""

import itertools

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from scripts.build_data import display_geometry

BORDER_ERROR_M = 50.0
FLANK = ("BY", "LT", "LV", "EE", "PL", "RU-KGD", "RU", "UA")


def _metric(geoms, lon: float, lat: float):
    """Geometries in an azimuthal-equidistant frame centred on (lon, lat), in metres."""
    to_m = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )
    return shapely.transform(geoms, lambda c: np.column_stack(to_m.transform(c[:, 0], c[:, 1])))


def _shared(gdf, a: str, b: str):
    return shapely.line_merge(
        shapely.intersection(gdf.geometry[a].boundary, gdf.geometry[b].boundary)
    )


def _neighbours(analysis) -> list[tuple[str, str]]:
    pairs = []
    for a, b in itertools.combinations(FLANK, 2):
        if shapely.length(_shared(analysis, a, b)) > 0:
            pairs.append((a, b))
    return pairs


def _segments(geom) -> shapely.STRtree:
    """An index of a line's segments (nearest-distance queries stay fast on long borders)."""
    parts = [shapely.get_coordinates(p) for p in shapely.get_parts(geom)]
    pairs = np.concatenate([np.stack([c[:-1], c[1:]], axis=1) for c in parts if len(c) > 1])
    return shapely.STRtree(shapely.linestrings(pairs))


def _farthest_m(line, tree: shapely.STRtree) -> float:
    """The largest distance from a line (densified to 10 m) to the indexed segments."""
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(line, 10.0)))
    return float(tree.query_nearest(points, return_distance=True)[1].max()) if len(points) else 0.0


def _border_error_m(analysis, display, a: str, b: str) -> float:
    """Hausdorff distance in metres between a land border at full resolution and drawn.

    From the full-resolution border of a and b to the display boundary of each, and from
    the display's border of a and b to the full-resolution boundary of each: a stretch
    that only one side draws (along a river the data leaves as a gap) counts too.
    """
    full = _shared(analysis, a, b)
    lon, lat = shapely.get_coordinates(full.centroid)[0]
    geoms = [full, _shared(display, a, b)]
    geoms += [g.geometry[c].boundary for g in (display, analysis) for c in (a, b)]
    full_m, drawn_m, *boundaries = _metric(geoms, lon, lat)
    drawn_a, drawn_b, full_a, full_b = (_segments(g) for g in boundaries)
    return max(
        _farthest_m(full_m, drawn_a),
        _farthest_m(full_m, drawn_b),
        _farthest_m(drawn_m, full_a),
        _farthest_m(drawn_m, full_b),
    )


def test_every_land_border_of_the_flank_is_within_50_m(analysis, display):
    pairs = _neighbours(analysis)
    assert ("BY", "LT") in pairs and ("PL", "RU-KGD") in pairs and len(pairs) >= 12
    errors = {pair: _border_error_m(analysis, display, *pair) for pair in pairs}
    worst = max(errors, key=errors.get)
    print(f"worst land-border error: {worst} {errors[worst]:.1f} m over {len(pairs)} borders")
    assert errors[worst] <= BORDER_ERROR_M, f"{worst}: {errors[worst]:.1f} m"


def test_neighbours_share_identical_border_vertices(analysis, display, wgs84):
    """A clean coverage: no overlaps, every shared edge drawn with the same vertices."""
    assert shapely.coverage_is_valid(display.geometry.values)
    for a, b in (("BY", "LT"), ("PL", "LT"), ("PL", "RU-KGD"), ("BY", "UA")):
        ends_a = {tuple(c) for c in shapely.get_coordinates(display.geometry[a])}
        ends_b = {tuple(c) for c in shapely.get_coordinates(display.geometry[b])}
        shared = {tuple(c) for c in shapely.get_coordinates(_shared(display, a, b))}
        assert shared and shared <= ends_a & ends_b, (a, b)
        full_km = wgs84.geometry_length(_shared(analysis, a, b)) / 1000
        drawn_km = wgs84.geometry_length(_shared(display, a, b)) / 1000
        assert drawn_km == pytest.approx(full_km, rel=0.1), (a, b)


def test_every_hole_left_is_an_enclave(analysis, display):
    """Lake holes are dropped; a hole stays only where another territory lies in it."""
    for level in (analysis, display):
        for code, geom in level.geometry.items():
            for poly in shapely.get_parts(geom):
                for ring in poly.interiors:
                    inside = shapely.Polygon(ring).point_on_surface()
                    owners = [
                        c for c in level.index if c != code and level.geometry[c].contains(inside)
                    ]
                    assert owners, f"{code} keeps a lake hole at {inside.wkt}"
    holes = {
        lv: sum(
            int(shapely.get_num_interior_rings(p).sum())
            for p in (shapely.get_parts(g) for g in gdf.geometry)
        )
        for lv, gdf in (("a", analysis), ("d", display))
    }
    assert holes["d"] == holes["a"]


def _square(lon: float, lat: float, half: float, holes=()) -> shapely.Polygon:
    shell = shapely.box(lon - half, lat - half, lon + half, lat + half).exterior.coords
    return shapely.Polygon(shell, [shapely.box(*h).exterior.coords for h in holes])


def test_a_lake_hole_is_filled_and_an_enclave_kept():
    """Country A (0.4° square) holds a lake and country B as an enclave; C borders A."""
    enclave = (25.00, 54.00, 25.05, 54.03)
    lake = (24.85, 53.85, 24.9, 53.88)
    a = _square(25.0, 54.0, 0.2, holes=[enclave, lake])
    b = shapely.box(*enclave)
    c = shapely.box(25.2, 53.8, 25.5, 54.2)
    out = display_geometry(np.array([a, b, c], dtype=object))
    assert shapely.get_num_interior_rings(out[0]) == 1
    hole = shapely.Polygon(out[0].interiors[0])
    assert hole.equals(out[1])  # the enclave, vertex for vertex
    assert shapely.coverage_is_valid(out)
    shared = shapely.intersection(out[0].boundary, out[2].boundary)
    assert shapely.length(shared) == pytest.approx(0.4, abs=1e-4)
