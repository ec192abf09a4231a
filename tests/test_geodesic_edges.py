"""Geodesic edge cases (issue #7): coincident and antipodal points, poles, the antimeridian,
longitudes given as ±180 or beyond, zero-length lines and buffers that wrap.

Expected figures come from the test's own ``wgs84`` Geod (pyproj, not geo.measure) or are
worked by hand in the test; never from the function under test. test_rings.py and
test_properties.py cover rings near (not on) the poles and across the antimeridian.
"""

import itertools
import math

import numpy as np
import pytest
import shapely

from geo.errors import GeoInputError
from geo.measure import distance_m, geodesic_path, inverse, measure
from geo.rings import buffer, ring, ring_vertices

MM = 0.001  # metres
VILNIUS = (25.2797, 54.6872)


def dense(wgs84, geom, step_m: float = 500.0) -> np.ndarray:
    """The vertices of a line, with points every ``step_m`` along each edge's geodesic."""
    out = []
    for part in shapely.get_parts(geom):
        xy = shapely.get_coordinates(part)
        out.append(xy[:1])
        for (lon1, lat1), (lon2, lat2) in itertools.pairwise(xy):
            n = int(wgs84.inv(lon1, lat1, lon2, lat2)[2] // step_m)
            inner = wgs84.npts(lon1, lat1, lon2, lat2, n) if n else []
            out.append(np.array([*inner, (lon2, lat2)]).reshape(-1, 2))
    return np.vstack(out)


def distances_to(wgs84, xy: np.ndarray, line) -> np.ndarray:
    """Brute-force geodesic distance from each point of ``xy`` to ``line`` (densified)."""
    d = dense(wgs84, line)
    lon1, lat1 = np.repeat(xy[:, 0], len(d)), np.repeat(xy[:, 1], len(d))
    lon2, lat2 = np.tile(d[:, 0], len(xy)), np.tile(d[:, 1], len(xy))
    return wgs84.inv(lon1, lat1, lon2, lat2)[2].reshape(len(xy), len(d)).min(axis=1)


def off_the_seam(geom) -> np.ndarray:
    """Boundary vertices, without those the antimeridian split adds at ±180 and ±90."""
    xy = shapely.get_coordinates(geom)
    return xy[(np.abs(xy[:, 0]) < 180.0) & (np.abs(xy[:, 1]) < 90.0)]


def assert_on_the_geodesic(wgs84, path, lon1, lat1, lon2, lat2, spacing_m):
    """Finite, from start to end, steps at most ``spacing_m`` adding up to the geodesic,
    every vertex on a shortest path, and no step across the antimeridian."""
    total = wgs84.inv(lon1, lat1, lon2, lat2)[2]
    assert np.isfinite(path).all()
    assert tuple(path[0]) == (lon1, lat1)
    assert (path[-1, 0] - lon2) % 360.0 == pytest.approx(0.0, abs=1e-9) or (
        path[-1, 0] - lon2
    ) % 360.0 == pytest.approx(360.0, abs=1e-9)
    assert path[-1, 1] == lat2
    steps = wgs84.inv(path[:-1, 0], path[:-1, 1], path[1:, 0], path[1:, 1])[2]
    assert steps.max() <= spacing_m + MM
    assert steps.sum() == pytest.approx(total, abs=MM)
    n = len(path)
    via = (
        wgs84.inv(np.full(n, lon1), np.full(n, lat1), path[:, 0], path[:, 1])[2]
        + wgs84.inv(path[:, 0], path[:, 1], np.full(n, lon2), np.full(n, lat2))[2]
    )
    assert np.abs(via - total).max() <= MM
    assert np.abs(np.diff(path[:, 0])).max() <= 180.0  # 180 exactly: over a pole


# --- coincident points -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (VILNIUS, VILNIUS),
        ((0.0, 0.0), (0.0, 0.0)),
        ((180.0, 10.0), (-180.0, 10.0)),  # one meridian, two names
        ((190.0, 10.0), (-170.0, 10.0)),  # longitude is periodic
        ((0.0, 90.0), (123.0, 90.0)),  # the pole, whatever its longitude
        ((-45.0, -90.0), (45.0, -90.0)),
    ],
)
def test_coincident_points_are_0_m_apart_with_finite_azimuths(a, b, wgs84):
    dist, az, back = inverse(*a, *b)
    assert dist == 0.0
    az12, az21, _ = wgs84.inv(*a, *b)
    assert az == pytest.approx(az12 % 360) and back == pytest.approx(az21 % 360)
    assert 0.0 <= az < 360.0 and 0.0 <= back < 360.0


def test_coincident_points_off_the_poles_head_south_by_convention():
    """GeographicLib's convention, documented in geo.measure: 180° out, 0° back."""
    m = measure(*VILNIUS, *VILNIUS)
    assert (m.distance_km, m.azimuth_deg, m.back_azimuth_deg) == (0.0, 180.0, 0.0)


def test_the_path_between_coincident_points_is_two_equal_vertices():
    path = geodesic_path(*VILNIUS, *VILNIUS)
    assert path.shape == (2, 2) and np.isfinite(path).all()
    assert (path == VILNIUS).all()
    assert shapely.LineString(path).length == 0.0


# --- antipodal and nearly antipodal points -------------------------------------------------

ANTIPODAL = [
    ((0.0, 0.0), (180.0, 0.0)),  # on the equator: every meridian is a shortest path
    ((0.0, 90.0), (0.0, -90.0)),  # pole to pole
    ((25.28, 54.69), (-154.72, -54.69)),  # exact antipodes of Vilnius
    ((0.0, 0.0), (179.5, 0.5)),  # nearly antipodal: the geodesic goes far off the equator
    ((25.28, 54.69), (-154.8, -54.6)),
    ((-179.9, 0.2), (0.3, -0.1)),
]


@pytest.mark.parametrize(("a", "b"), ANTIPODAL)
def test_antipodal_distances_agree_with_pyproj_to_a_millimetre(a, b, wgs84):
    expected = wgs84.inv(*a, *b)[2]
    assert distance_m(*a, *b) == pytest.approx(expected, abs=MM)
    assert measure(*a, *b).distance_km * 1000 == pytest.approx(expected, abs=MM)


@pytest.mark.parametrize(("a", "b"), ANTIPODAL)
def test_an_antipodal_path_lies_on_a_shortest_geodesic_without_jumps(a, b, wgs84):
    path = geodesic_path(*a, *b, spacing_m=250_000)
    assert_on_the_geodesic(wgs84, path, *a, *b, spacing_m=250_000)


def test_the_pole_to_pole_path_follows_the_start_meridian_and_is_the_half_meridian(wgs84):
    """20,003,931.46 m: the published WGS84 half meridian (see test_properties)."""
    path = geodesic_path(0.0, 90.0, 0.0, -90.0, spacing_m=1_000_000)
    assert wgs84.inv(0.0, 90.0, 0.0, -90.0)[2] == pytest.approx(20_003_931.46, abs=0.01)
    assert (np.diff(path[:, 1]) < 0).all()
    assert set(np.round(path[1:-1, 0], 9)) <= {0.0, 180.0, -180.0}


# --- the antimeridian and longitudes beyond it ----------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((170.0, 50.0), (-170.0, 50.0)),  # eastward across it
        ((-170.0, -20.0), (170.0, -25.0)),  # westward across it
        ((180.0, 0.0), (-179.0, 1.0)),
        ((-180.0, 0.0), (179.0, 1.0)),
        ((25.28, 54.69), (-150.0, 61.2)),  # Vilnius to Anchorage, over the Arctic
    ],
)
def test_a_path_across_the_antimeridian_is_one_continuous_line(a, b, wgs84):
    """Unwrapped: a map draws it as one line, not as one round the whole world."""
    path = geodesic_path(*a, *b, spacing_m=100_000)
    assert_on_the_geodesic(wgs84, path, *a, *b, spacing_m=100_000)
    n = len(path) - 2
    expected = np.array(wgs84.npts(*a, *b, n)) if n else np.zeros((0, 2))
    assert np.allclose((path[1:-1, 0] - expected[:, 0] + 180.0) % 360.0 - 180.0, 0.0, atol=1e-9)
    assert np.allclose(path[1:-1, 1], expected[:, 1], atol=1e-9)


def test_the_eastward_path_runs_on_past_180_degrees():
    path = geodesic_path(170.0, 50.0, -170.0, 50.0, spacing_m=100_000)
    assert (np.diff(path[:, 0]) > 0).all()
    assert path[-1, 0] == pytest.approx(190.0)  # -170 + 360
    assert shapely.LineString(path).bounds[0] == 170.0


def test_longitudes_beyond_180_are_the_same_meridians(wgs84):
    """Measuring treats longitude as periodic, as pyproj does; the app's parser
    (geo.coords) is where 190° is refused as input (test_properties)."""
    expected = wgs84.inv(-170.0, 10.0, 25.0, 54.0)[2]
    for lon in (190.0, 550.0, -530.0):
        assert distance_m(lon, 10.0, 25.0, 54.0) == pytest.approx(expected, abs=MM)
    path = geodesic_path(190.0, 10.0, -160.0, 10.0, spacing_m=100_000)
    assert path[0, 0] == 190.0 and path[-1, 0] == pytest.approx(200.0)
    assert (np.diff(path[:, 0]) > 0).all()


def test_a_ring_centred_on_180_or_minus_180_is_the_same_disc():
    east, west = ring(180.0, 0.0, 500_000), ring(-180.0, 0.0, 500_000)
    assert east.is_valid and west.is_valid
    assert shapely.symmetric_difference(east, west).area < 1e-9 * east.area


@pytest.mark.parametrize(("lon", "lat"), [(180.5, 0.0), (-181.0, 10.0), (25.0, -90.5)])
def test_a_centre_beyond_the_globe_is_refused_not_wrapped(lon, lat):
    with pytest.raises(GeoInputError, match="not a valid lat, lon"):
        ring(lon, lat, 10_000)


# --- the poles -----------------------------------------------------------------------------


@pytest.mark.parametrize("pole_lon", [0.0, 123.0, -180.0])
def test_distance_from_a_pole_does_not_depend_on_its_longitude(pole_lon, wgs84):
    meridian_arc = wgs84.inv(25.0, 90.0, 25.0, 54.0)[2]  # along 25°E
    assert distance_m(pole_lon, 90.0, 25.0, 54.0) == pytest.approx(meridian_arc, abs=MM)


@pytest.mark.parametrize("pole_lon", [0.0, 123.0, -180.0])
def test_azimuth_from_a_pole_is_measured_from_the_meridian_given_for_it(pole_lon):
    """Hand-worked: at the north pole, meridian ``pole_lon`` is due south (180°), and a
    meridian (25 - pole_lon)° further east lies that much further anticlockwise, at
    180 - (25 - pole_lon); at the south pole, meridian ``pole_lon`` is due north (0°) and
    25°E lies at 25 - pole_lon."""
    _, north, _ = inverse(pole_lon, 90.0, 25.0, 54.0)
    _, south, _ = inverse(pole_lon, -90.0, 25.0, -54.0)
    assert north == pytest.approx((180.0 - (25.0 - pole_lon)) % 360.0, abs=1e-9)
    assert south == pytest.approx((25.0 - pole_lon) % 360.0, abs=1e-9)


def test_a_path_from_the_pole_runs_down_the_meridian_of_its_end(wgs84):
    path = geodesic_path(0.0, 90.0, 25.0, 54.0, spacing_m=200_000)
    assert_on_the_geodesic(wgs84, path, 0.0, 90.0, 25.0, 54.0, spacing_m=200_000)
    assert np.allclose(path[1:, 0], 25.0, atol=1e-9)
    assert (np.diff(path[:, 1]) < 0).all()


@pytest.mark.parametrize("lat", [90.0, -90.0])
@pytest.mark.parametrize("lon", [0.0, 123.0, -180.0])
def test_a_ring_centred_on_a_pole_is_the_polar_cap(lon, lat, wgs84):
    radius_m = 500_000.0
    verts = ring_vertices(lon, lat, [radius_m])[0]
    n = len(verts)
    dist = wgs84.inv(np.full(n, lon), np.full(n, lat), verts[:, 0], verts[:, 1])[2]
    assert np.abs(dist / radius_m - 1).max() <= 1e-9
    # the cap's edge is one circle of latitude: the meridian arc of 500 km from the pole
    edge_lat = wgs84.fwd(0.0, lat, 180.0 if lat > 0 else 0.0, radius_m)[1]
    assert np.allclose(verts[:, 1], edge_lat, atol=1e-9)
    cap = ring(lon, lat, radius_m)
    assert cap.is_valid
    assert shapely.covers(cap, shapely.LineString([(-180.0, lat), (180.0, lat)]))
    around = np.linspace(-179.0, 179.0, 37)
    inside = np.full(37, math.copysign(abs(edge_lat) + 0.01, lat))
    outside = np.full(37, math.copysign(abs(edge_lat) - 0.01, lat))
    assert shapely.contains(cap, shapely.points(around, inside)).all()
    assert not shapely.intersects(cap, shapely.points(around, outside)).any()
    reference = ring(0.0, lat, radius_m)
    assert shapely.symmetric_difference(cap, reference).area < 1e-5 * cap.area


# --- invalid input -------------------------------------------------------------------------


def test_vectorized_measures_give_nan_where_one_input_is_unusable_not_an_error():
    lat2 = np.array([54.0, 95.0, np.nan])
    dist = distance_m(np.zeros(3), np.zeros(3), np.full(3, 25.0), lat2)
    assert np.isfinite(dist[0]) and np.isnan(dist[1:]).all()


@pytest.mark.parametrize(
    "points", [(0.0, 95.0, 25.0, 54.0), (np.nan, 0.0, 25.0, 54.0), (0.0, 0.0, np.inf, 54.0)]
)
def test_scalar_measures_refuse_unusable_points(points):
    with pytest.raises(GeoInputError, match="latitudes in -90…90"):
        measure(*points)
    with pytest.raises(GeoInputError, match="latitudes in -90…90"):
        geodesic_path(*points)


@pytest.mark.parametrize("spacing_m", [0.0, -5.0, np.nan, np.inf])
def test_a_path_needs_a_spacing_above_zero(spacing_m):
    with pytest.raises(GeoInputError, match="spacing"):
        geodesic_path(*VILNIUS, 27.56, 53.9, spacing_m=spacing_m)


# --- buffers of degenerate geometries --------------------------------------------------------


@pytest.mark.parametrize(
    "geom",
    [
        shapely.Point(VILNIUS),
        shapely.LineString([VILNIUS, VILNIUS]),  # zero length
        shapely.LineString([VILNIUS, VILNIUS, VILNIUS]),
        shapely.MultiPoint([VILNIUS, VILNIUS]),
    ],
    ids=["point", "zero-length line", "line of one repeated vertex", "repeated multipoint"],
)
def test_a_geometry_at_one_place_is_buffered_as_the_exact_ring(geom, wgs84):
    disc = buffer(geom, 20_000)
    assert disc.equals_exact(ring(*VILNIUS, 20_000, n=256), tolerance=0.0)
    xy = shapely.get_coordinates(disc)
    dist = wgs84.inv(np.full(len(xy), VILNIUS[0]), np.full(len(xy), VILNIUS[1]), *xy.T)[2]
    assert np.abs(dist / 20_000 - 1).max() <= 1e-9


def test_repeated_vertices_do_not_change_a_line_buffer(wgs84):
    plain = shapely.LineString([VILNIUS, (26.5, 54.3)])
    repeated = shapely.LineString([VILNIUS, VILNIUS, (26.5, 54.3), (26.5, 54.3)])
    grown = buffer(repeated, 10_000)
    assert grown.is_valid
    assert shapely.symmetric_difference(grown, buffer(plain, 10_000)).area < 1e-6 * grown.area
    near = distances_to(wgs84, off_the_seam(grown.exterior), plain)
    assert np.abs(near / 10_000 - 1).max() < 0.005


@pytest.mark.parametrize("geom", [shapely.LineString(), shapely.Polygon(), shapely.Point()])
def test_an_empty_geometry_buffers_to_an_empty_polygon(geom):
    grown = buffer(geom, 10_000)
    assert grown.is_empty and grown.geom_type == "Polygon"


@pytest.mark.parametrize(
    "coords",
    [[(179.0, 0.0), (181.0, 0.0)], [(25.0, 54.0), (25.0, 91.0)], [(25.0, 54.0), (np.nan, 54.0)]],
)
def test_a_geometry_off_the_globe_is_refused(coords):
    with np.errstate(invalid="ignore"):  # shapely warns of the NaN as it builds the line
        line = shapely.LineString(coords)
    with pytest.raises(GeoInputError, match="not a valid lat, lon"):
        buffer(line, 10_000)


# --- buffers across the antimeridian and over a pole ----------------------------------------

WRAPPING_LINES = {
    "across the antimeridian": shapely.LineString([(179.5, 10.0), (-179.5, 10.5)]),
    "split at the antimeridian (RFC 7946)": shapely.MultiLineString(
        [[(179.0, -30.0), (180.0, -30.0)], [(-180.0, -30.0), (-179.0, -30.5)]]
    ),
    "near the north pole": shapely.LineString([(-10.0, 89.5), (10.0, 89.5)]),
    "over the north pole": shapely.LineString([(0.0, 88.0), (180.0, 88.0)]),
    "past the north pole": shapely.LineString([(0.0, 88.0), (120.0, 88.0)]),
    "over the south pole, across the antimeridian": shapely.LineString(
        [(-170.0, -89.0), (10.0, -89.0)]
    ),
}


@pytest.mark.parametrize("what", sorted(WRAPPING_LINES))
def test_a_wrapping_buffer_is_valid_and_its_edge_at_the_distance(what, wgs84):
    line, radius_m = WRAPPING_LINES[what], 100_000.0
    grown = buffer(line, radius_m)
    assert grown.is_valid, what
    assert shapely.covers(grown, line.representative_point()), what
    xmin, ymin, xmax, ymax = grown.bounds
    assert -180.0 <= xmin <= xmax <= 180.0 and -90.0 <= ymin <= ymax <= 90.0
    near = distances_to(wgs84, off_the_seam(grown), line)
    assert np.abs(near / radius_m - 1).max() < 0.005, what


def test_a_buffer_across_the_antimeridian_is_split_there_not_wrapped_round_the_globe():
    grown = buffer(WRAPPING_LINES["across the antimeridian"], 100_000)
    assert grown.geom_type == "MultiPolygon"
    for part in grown.geoms:
        xmin, _, xmax, _ = part.bounds
        assert xmax - xmin < 5.0  # two slivers by ±180, not a band round the Earth
    assert grown.covers(shapely.Point(180.0, 10.25)) and grown.covers(shapely.Point(-180.0, 10.25))
    assert not grown.intersects(shapely.Point(0.0, 10.0))


def test_a_line_split_at_the_antimeridian_buffers_like_the_line_across_it():
    split = buffer(WRAPPING_LINES["split at the antimeridian (RFC 7946)"], 30_000)
    whole = buffer(shapely.LineString([(179.0, -30.0), (180.0, -30.0), (-179.0, -30.5)]), 30_000)
    assert shapely.symmetric_difference(split, whole).area < 1e-3 * whole.area


@pytest.mark.parametrize(
    ("what", "pole"),
    [("over the north pole", 90.0), ("over the south pole, across the antimeridian", -90.0)],
)
def test_a_buffer_over_a_pole_covers_the_whole_pole(what, pole):
    """The pole is the line along latitude ±90 from -180 to 180 in lon/lat."""
    grown = buffer(WRAPPING_LINES[what], 100_000)
    assert shapely.covers(grown, shapely.LineString([(-180.0, pole), (180.0, pole)]))
    around = shapely.points(np.linspace(-179.0, 179.0, 37), np.full(37, pole * 0.9999))
    assert shapely.contains(grown, around).all()


def test_a_line_round_a_pole_buffers_to_a_band_that_leaves_the_pole_out(wgs84):
    """A closed line along 85°N (taken the short way between its vertices)."""
    loop = shapely.LineString([(0.0, 85.0), (90.0, 85.0), (180.0, 85.0), (-90.0, 85.0), (0, 85)])
    band = buffer(loop, 100_000)
    assert band.is_valid
    assert not band.intersects(shapely.Point(0.0, 89.99))
    assert band.contains(shapely.Point(45.0, 85.5)) and band.contains(shapely.Point(-135.0, 85.5))
    near = distances_to(wgs84, off_the_seam(band), loop)
    assert np.abs(near / 100_000 - 1).max() < 0.005
