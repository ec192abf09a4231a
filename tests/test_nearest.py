"""Exact distance from points to a geometry, and the shortest line between two geometries.

The expected figures are brute force: the boundary densified with pyproj.Geod.npts to
50 m steps, and the smallest pyproj.Geod.inv distance to any of those points.
"""

import itertools

import numpy as np
import pytest
import shapely

from bench.reference import reference_query
from geo.errors import GeoInputError
from geo.nearest import BoundaryIndex, distance_to_geometry, planar_distance, shortest_line

STEP_M = 50.0
# Real borders have a vertex every ~100-300 m; test shapes get the same, so that
# "straight between vertices" means the same in every frame to well under a metre.
VERTEX_SPACING_DEG = 0.002


def dense_boundary(geom, wgs84) -> np.ndarray:
    """Points every <= 50 m along the geodesics between the boundary's vertices."""
    out = []
    for line in shapely.get_parts(geom.boundary if geom.geom_type.endswith("Polygon") else geom):
        c = shapely.get_coordinates(line)
        for (x1, y1), (x2, y2) in itertools.pairwise(c):
            n = int(wgs84.inv(x1, y1, x2, y2)[2] // STEP_M)
            out += [(x1, y1), *wgs84.npts(x1, y1, x2, y2, n)]
        out.append(tuple(c[-1]))
    return np.array(out)


def brute_force(lon, lat, geom, wgs84) -> float:
    pts = dense_boundary(geom, wgs84)
    return float(
        wgs84.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])[2].min()
    )


@pytest.fixture(scope="module")
def blob():
    """A ragged polygon of ~200 km, like a small country, with a lake hole."""
    rng = np.random.default_rng(3)
    ang = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    r = 1.0 + 0.25 * rng.uniform(-1, 1, 60)
    outer = np.column_stack([25 + 1.6 * r * np.cos(ang), 54 + r * np.sin(ang)])
    lake = [(24.9, 53.9), (25.1, 53.9), (25.1, 54.1), (24.9, 54.1)]
    return shapely.segmentize(shapely.Polygon(outer, [lake]), VERTEX_SPACING_DEG)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(28.5, 54.0), (25.0, 56.2), (21.0, 52.0), (27.0, 55.5), (25.3, 52.7), (40.0, 60.0)],
)
def test_distance_matches_brute_force_to_a_metre(blob, lon, lat, wgs84):
    near = distance_to_geometry(lon, lat, blob)
    expected = brute_force(lon, lat, blob, wgs84)
    # The densified truth can only overestimate, by at most the sag of a 50 m step.
    assert near.distance_m[0] == pytest.approx(expected, abs=1.0)
    assert near.distance_m[0] <= expected + 1e-6


def test_the_nearest_point_is_on_the_boundary_at_the_stated_distance(blob, wgs84):
    near = distance_to_geometry(28.5, 54.0, blob)
    on_boundary = shapely.distance(blob.boundary, shapely.Point(near.lon[0], near.lat[0]))
    assert on_boundary < 1e-6  # degrees: well under a metre
    stated = wgs84.inv(28.5, 54.0, near.lon[0], near.lat[0])[2]
    assert stated == pytest.approx(near.distance_m[0], abs=1e-6)


def test_points_inside_are_at_zero_and_a_lake_is_not_inside(blob, wgs84):
    near = distance_to_geometry([25.5, 25.0], [54.5, 54.0], blob)
    assert near.distance_m[0] == 0.0
    # The lake's centre: its nearest shore is 0.1° of longitude east or west (~6.6 km).
    assert near.distance_m[1] == pytest.approx(brute_force(25.0, 54.0, blob, wgs84), abs=1.0)
    assert near.distance_m[1] == pytest.approx(wgs84.inv(25.0, 54.0, 25.1, 54.0)[2], rel=1e-3)


def test_many_points_at_once_agree_with_one_at_a_time(blob):
    rng = np.random.default_rng(11)
    lons, lats = rng.uniform(20, 30, 40), rng.uniform(51, 57, 40)
    index = BoundaryIndex(blob)
    batch = index.query(lons, lats)
    for i in range(0, 40, 7):
        one = index.query(lons[i], lats[i])
        assert batch.distance_m[i] == one.distance_m[0]


def test_a_point_far_outside_the_region_still_gets_the_exact_distance(blob, wgs84):
    """Washington DC: the regional index is bypassed, every boundary piece is checked."""
    near = distance_to_geometry(-77.04, 38.9, blob)
    assert near.distance_m[0] == pytest.approx(brute_force(-77.04, 38.9, blob, wgs84), abs=1.0)


def test_distance_to_a_line_and_to_a_point(wgs84):
    line = shapely.segmentize(shapely.LineString([(24.0, 54.0), (26.0, 55.0)]), VERTEX_SPACING_DEG)
    assert distance_to_geometry(25.0, 55.5, line).distance_m[0] == pytest.approx(
        brute_force(25.0, 55.5, line, wgs84), abs=1.0
    )
    point = shapely.Point(27.56, 53.9)
    assert distance_to_geometry(25.28, 54.69, point).distance_m[0] == pytest.approx(
        wgs84.inv(25.28, 54.69, 27.56, 53.9)[2], abs=1e-3
    )


def test_shortest_line_between_two_polygons_is_the_brute_force_minimum(wgs84):
    west = shapely.segmentize(
        shapely.Polygon([(20, 54), (22, 54), (22.4, 55), (20, 55.3)]), VERTEX_SPACING_DEG
    )
    east = shapely.segmentize(
        shapely.Polygon([(23, 53.5), (25, 53.5), (25, 55), (23.3, 54.6)]), VERTEX_SPACING_DEG
    )
    line = shortest_line(west, east)
    a, b = dense_boundary(west, wgs84), dense_boundary(east, wgs84)
    a = a[(a[:, 0] > 22.0) & (a[:, 1] > 54.5)]
    b = b[(b[:, 0] < 23.6) & (b[:, 1] > 54.3)]
    ai, bi = np.meshgrid(np.arange(len(a)), np.arange(len(b)))
    best = wgs84.inv(a[ai, 0], a[ai, 1], b[bi, 0], b[bi, 1])[2].min()
    assert line.distance_m == pytest.approx(best, abs=2.0)
    assert line.distance_m == pytest.approx(
        wgs84.inv(line.lon1, line.lat1, line.lon2, line.lat2)[2]
    )
    assert west.boundary.distance(shapely.Point(line.lon1, line.lat1)) < 1e-6
    assert east.boundary.distance(shapely.Point(line.lon2, line.lat2)) < 1e-6


@pytest.mark.parametrize("kind", ["polygon with a lake", "its boundary line", "its vertices"])
def test_indexed_planar_distance_is_shapely_s_distance(blob, kind):
    """Inside the polygon is 0; inside the lake, and to lines and points, is not."""
    geom = {
        "polygon with a lake": blob,
        "its boundary line": blob.boundary,
        "its vertices": shapely.multipoints(shapely.get_coordinates(blob)),
    }[kind]
    rng = np.random.default_rng(11)
    x, y = rng.uniform(22, 28, 2000), rng.uniform(52, 56, 2000)
    x[:3], y[:3] = (25.0, 25.05, 29.0), (54.0, 54.05, 57.0)  # lake centre, lake, far out
    expected = shapely.distance(shapely.points(x, y), geom)
    np.testing.assert_allclose(planar_distance(x, y, geom), expected, rtol=0, atol=1e-12)


def test_touching_geometries_are_zero_apart():
    a = shapely.box(20, 54, 21, 55)
    b = shapely.box(21, 54.5, 22, 55.5)
    assert shortest_line(a, b).distance_m == 0.0


def test_an_empty_geometry_is_refused():
    with pytest.raises(GeoInputError, match="empty"):
        BoundaryIndex(shapely.Polygon())


# --- The vectorized query against the former per-point method and brute force ---

FAR_PLACES = {
    "Lisbon": (-9.14, 38.72),
    "Tokyo": (139.69, 35.69),
    "South Pole region": (30.0, -89.5),
    "east of the antimeridian": (-179.9, 65.0),
    "west of the antimeridian": (179.9, -10.0),
    "New Zealand, near the antipode": (172.0, -42.0),
}


@pytest.fixture(scope="module")
def belarus():
    """Belarus's territory index: ~14,000 border vertices, lakes filled, a real border."""
    from geo.territories import territory_index

    return territory_index("BY")


@pytest.fixture(scope="module")
def random_points():
    """2,000 points across the region and 5° beyond it on every side."""
    rng = np.random.default_rng(21)
    return rng.uniform(0.5, 50.0, 2000), rng.uniform(38.5, 75.5, 2000)


def test_random_points_agree_with_the_former_method_to_a_millimetre(belarus, random_points):
    lons, lats = random_points
    new = belarus.query(lons, lats)
    ref = reference_query(belarus, lons, lats)
    assert np.abs(new.distance_m - ref.distance_m).max() <= 1e-3


def test_each_stated_distance_is_the_distance_to_the_stated_point(belarus, random_points, wgs84):
    lons, lats = random_points
    near = belarus.query(lons, lats)
    stated = wgs84.inv(lons, lats, near.lon, near.lat)[2]
    assert np.abs(stated - near.distance_m).max() <= 1e-3
    on_border = shapely.distance(belarus.geom.boundary, shapely.points(near.lon, near.lat))
    outside = near.distance_m > 0
    # Straight in the point's frame is not straight in degrees: on the longest
    # segments (7.5 km) the two lie up to ~0.2 m apart.
    assert on_border[outside].max() < 1e-5  # degrees: about a metre


def densified_minimum(lon, lat, segments, wgs84) -> float:
    """Smallest Geod.inv distance to points every <= 50 m along the given segments."""
    pts = [segments[:, :2], segments[:, 2:]]
    for x1, y1, x2, y2 in segments:
        n = int(wgs84.inv(x1, y1, x2, y2)[2] // STEP_M)
        if n:
            pts.append(np.array(wgs84.npts(x1, y1, x2, y2, n)))
    pts = np.vstack(pts)
    return float(wgs84.inv(np.full(len(pts), lon), np.full(len(pts), lat), *pts.T)[2].min())


def test_random_points_match_an_independent_brute_force(belarus, wgs84):
    """Every vertex measured, then every segment within 2 km of the nearest densified."""
    rng = np.random.default_rng(22)
    lons, lats = rng.uniform(5.5, 45.0, 40), rng.uniform(43.5, 70.5, 40)
    near = belarus.query(lons, lats)
    seg = belarus.segments
    for lon, lat, got in zip(lons, lats, near.distance_m, strict=True):
        if got == 0.0:
            continue
        d1 = wgs84.inv(np.full(len(seg), lon), np.full(len(seg), lat), seg[:, 0], seg[:, 1])[2]
        d2 = wgs84.inv(np.full(len(seg), lon), np.full(len(seg), lat), seg[:, 2], seg[:, 3])[2]
        close = seg[np.minimum(d1, d2) <= min(d1.min(), d2.min()) + 2000.0]
        brute = densified_minimum(lon, lat, close, wgs84)
        assert got >= brute - 1e-3
        # A 50 m step misses the foot of the perpendicular by at most 25 m.
        assert got <= brute + 25.0**2 / (2 * got) + 1e-3


@pytest.mark.parametrize("place", FAR_PLACES)
def test_points_far_outside_the_region_are_exact(belarus, place):
    lon, lat = FAR_PLACES[place]
    new = belarus.query(lon, lat)
    ref = reference_query(belarus, lon, lat)
    assert new.distance_m[0] == pytest.approx(ref.distance_m[0], abs=1e-3)
    assert new.distance_m[0] > 1_000_000


def test_inside_outside_and_on_the_border_mixed_in_one_call(belarus):
    border_lon, border_lat = belarus.segments[100, :2]
    lons = [27.5667, 21.0, 26.78, border_lon, 30.0]
    lats = [53.9, 52.2, 54.86, border_lat, 60.0]
    near = belarus.query(lons, lats)
    assert near.distance_m[[0, 2, 3]].tolist() == [0.0, 0.0, 0.0]  # Minsk, Lake Narach, border
    assert near.lon[[0, 2, 3]].tolist() == [lons[0], lons[2], lons[3]]
    assert near.lat[[0, 2, 3]].tolist() == [lats[0], lats[2], lats[3]]
    assert (near.distance_m[[1, 4]] > 100_000).all()  # Warsaw, Lake Ladoga's shore
    ref = reference_query(belarus, lons, lats)
    assert np.abs(near.distance_m - ref.distance_m).max() <= 1e-3


def test_one_point_and_empty_input(belarus):
    one = belarus.query(21.0, 52.2)
    assert one.distance_m.shape == one.lon.shape == one.lat.shape == (1,)
    assert one.distance_m[0] == belarus.query([21.0, 30.0], [52.2, 60.0]).distance_m[0]
    empty = belarus.query([], [])
    assert empty.distance_m.shape == empty.lon.shape == empty.lat.shape == (0,)


def test_the_chord_bound_holds_for_pairs_anywhere_on_earth(wgs84):
    """The candidate search's premise: no geodesic is shorter than its chord allows."""
    from pyproj import Transformer

    from geo.nearest import chord_bound_m

    rng = np.random.default_rng(23)
    n = 200_000
    lon1, lon2 = rng.uniform(-180, 180, (2, n))
    lat1, lat2 = np.degrees(np.arcsin(rng.uniform(-1, 1, (2, n))))
    near = rng.random(n) < 0.5  # half the pairs short: a few metres to a few hundred km
    scale = 10.0 ** rng.uniform(-5, 0.5, int(near.sum()))  # degrees
    lon2[near] = lon1[near] + rng.normal(0, 1, len(scale)) * scale
    lat2[near] = np.clip(lat1[near] + rng.normal(0, 1, len(scale)) * scale, -90, 90)
    ecef = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
    a = np.column_stack(ecef.transform(lon1, lat1, np.zeros(n)))
    b = np.column_stack(ecef.transform(lon2, lat2, np.zeros(n)))
    chord = np.linalg.norm(a - b, axis=1)
    assert (chord_bound_m(wgs84.inv(lon1, lat1, lon2, lat2)[2]) >= chord).all()
