"""Properties of the pure geodesy in geo/, checked over generated inputs with hypothesis.

Each property holds for every input in its strategy, not only for the seed places the other
test modules use. Expected values come from the test's own ``wgs84`` Geod, from the formats'
documented precision, or from closed-form figures computed here; never from what geo/ prints.
Runs are reproducible: every test uses ``derandomize=True`` and no example database.
"""

import math

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.coords import format_dd, format_dms, format_mgrs, parse_coordinates
from geo.errors import GeoInputError
from geo.measure import distance_m, forward, inverse
from geo.rings import ring, ring_vertices, validate_radii

# WGS84 as published (NIMA TR8350.2): semi-major axis and inverse flattening.
WGS84_A_M = 6_378_137.0
WGS84_F = 1 / 298.257223563


def _half_meridian_m(a: float, f: float) -> float:
    """Pole-to-pole length along a meridian: Helmert's series for the quarter meridian, doubled.

    The quarter meridian is pi/2 * a/(1+n) * (1 + n^2/4 + n^4/64 + n^6/256 + ...) with
    n = f/(2-f); for WGS84 the n^8 term is below 1e-22 of the sum.
    """
    n = f / (2 - f)
    series = 1 + n**2 / 4 + n**4 / 64 + n**6 / 256 + 25 * n**8 / 16384
    return math.pi * a / (1 + n) * series


# No two points on the ellipsoid are further apart than pole to pole.
HALF_MERIDIAN_M = _half_meridian_m(WGS84_A_M, WGS84_F)
# Documented in geo.rings.validate_radii: "a finite number in (0, 19,900 km]".
DOCUMENTED_MAX_RADIUS_M = 19_900_000.0
# The documented precision of each written form, in degrees.
DD_STEP_DEG = 0.5e-5  # format_dd prints 5 decimals and rounds
DMS_STEP_DEG = 0.05 / 3600  # format_dms prints tenths of a second and rounds
FLOAT_SLACK_DEG = 1e-9  # decimal text to float and back


def _settings(max_examples: int) -> settings:
    """Fixed, reproducible runs: the same examples every time and nothing written to disk."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def lons(lo: float = -180.0, hi: float = 180.0) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def lats(lo: float = -90.0, hi: float = 90.0) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def _angle_between_deg(a: float, b: float) -> float:
    """Smallest difference between two bearings, so 359.9999999° and 0° are close."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def _dist(wgs84, lon1, lat1, lon2, lat2) -> np.ndarray:
    """The test's own geodesic distance, broadcasting a scalar start over an array of ends."""
    lon2, lat2 = np.asarray(lon2, dtype=float), np.asarray(lat2, dtype=float)
    return wgs84.inv(np.full(lon2.shape, lon1), np.full(lat2.shape, lat1), lon2, lat2)[2]


# --- Coordinates -------------------------------------------------------------------------


@_settings(300)
@given(lon=lons(), lat=lats())
@example(lon=180.0, lat=90.0)
@example(lon=-180.0, lat=-90.0)
@example(lon=-1e-9, lat=-1e-9)  # rounds to 0.00000 with a W and an S
def test_decimal_degrees_round_trip_within_the_fifth_decimal(lon, lat):
    back_lon, back_lat = parse_coordinates(format_dd(lon, lat))
    assert abs(back_lat - lat) <= DD_STEP_DEG + FLOAT_SLACK_DEG
    assert abs(back_lon - lon) <= DD_STEP_DEG + FLOAT_SLACK_DEG


@_settings(300)
@given(lon=lons(), lat=lats())
@example(lon=179.99999999, lat=89.99999999)  # seconds round up into the next degree
@example(lon=-0.00000001, lat=-0.00000001)
def test_dms_round_trips_within_a_twentieth_of_a_second(lon, lat):
    back_lon, back_lat = parse_coordinates(format_dms(lon, lat))
    assert abs(back_lat - lat) <= DMS_STEP_DEG + FLOAT_SLACK_DEG
    assert abs(back_lon - lon) <= DMS_STEP_DEG + FLOAT_SLACK_DEG


@_settings(200)
@given(lon=lons(), lat=lats(-80.0, 84.0))
@example(lon=25.2797, lat=54.6872)
@example(lon=180.0, lat=0.0)
@example(lon=0.0, lat=84.0)
@example(lon=0.0, lat=-80.0)
@example(lon=6.0, lat=60.0)  # zone 32V, widened for Norway
@example(lon=21.0, lat=78.0)  # Svalbard's 12° zone 33X
@example(lon=0.0, lat=-2.2091260740124686e-08)  # the library wrote 31MAA6602100000 (band M)
def test_mgrs_at_one_metre_round_trips_within_half_the_diagonal_of_its_square(lon, lat, wgs84):
    """A 1 m MGRS reference names the 1 m grid square that holds the point (the writer
    truncates), and is read as the square's centre: the point is at most half the square's
    diagonal away (√2/2 m of grid, over a scale factor of at least 0.9996 in UTM and 0.994
    in UPS: 0.712 m)."""
    back_lon, back_lat = parse_coordinates(format_mgrs(lon, lat, precision=5))
    assert wgs84.inv(lon, lat, back_lon, back_lat)[2] <= 0.712


coordinate_like_text = st.text(
    alphabet=st.sampled_from(list("0123456789.,;:+- NSEWnsewdms°º′″'\"’”DEGMINSECULAXZ\t")),
    max_size=40,
)


@_settings(1500)
@given(text=st.one_of(st.text(), coordinate_like_text))
@example(text="")
@example(text=" \t ")
@example(text="nan, 20")
@example(text="99XZZ")
@example(text="33XZZ9999999999")
@example(text="N°°°")
@example(text="1" * 400 + ", 20")
def test_any_text_is_either_a_point_on_the_globe_or_a_geo_input_error(text):
    """No other exception type escapes the parser, whatever is typed or pasted."""
    try:
        lon, lat = parse_coordinates(text)
    except GeoInputError:
        return
    assert -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


# Safely beyond the range even after printing with 6 decimals.
out_of_range_lats = st.one_of(
    st.floats(min_value=90.00001, max_value=1e6), st.floats(min_value=-1e6, max_value=-90.00001)
)
out_of_range_lons = st.one_of(
    st.floats(min_value=180.00001, max_value=1e6), st.floats(min_value=-1e6, max_value=-180.00001)
)


def _written_forms(lon: float, lat: float) -> list[str]:
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return [
        f"{lat:.6f}, {lon:.6f}",
        f"{lat:.6f} {lon:.6f}",
        f"{abs(lat):.6f}°{ns} {abs(lon):.6f}°{ew}",
        f"{ns}{abs(lat):.6f} {ew}{abs(lon):.6f}",
    ]


@_settings(200)
@given(lon=lons(), lat=out_of_range_lats)
def test_a_latitude_beyond_the_poles_is_refused(lon, lat):
    for text in _written_forms(lon, lat):
        with pytest.raises(GeoInputError, match="latitude"):
            parse_coordinates(text)


@_settings(200)
@given(lon=out_of_range_lons, lat=lats())
def test_a_longitude_beyond_the_antimeridian_is_refused(lon, lat):
    for text in _written_forms(lon, lat):
        with pytest.raises(GeoInputError, match="longitude"):
            parse_coordinates(text)


@_settings(100)
@given(
    bad=st.sampled_from(["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "-1e999"]),
    good=st.floats(min_value=-90.0, max_value=90.0).map(lambda v: f"{v:.5f}"),
    bad_first=st.booleans(),
)
def test_nan_and_infinity_are_refused(bad, good, bad_first):
    """Python's float() would read these; the parser must not let them through."""
    text = f"{bad}, {good}" if bad_first else f"{good}, {bad}"
    with pytest.raises(GeoInputError):
        parse_coordinates(text)


# --- Rings -------------------------------------------------------------------------------


def _assert_vertices_at_radius(wgs84, lon, lat, radius_m):
    verts = ring_vertices(lon, lat, [radius_m])[0]
    dist = _dist(wgs84, lon, lat, verts[:, 0], verts[:, 1])
    assert np.abs(dist / radius_m - 1).max() <= 1e-6


@_settings(200)
@given(lon=lons(), lat=lats(-89.9, 89.9), radius_m=st.floats(1_000.0, 500_000.0))
@example(lon=25.0, lat=85.0, radius_m=500_000.0)
@example(lon=180.0, lat=0.0, radius_m=1_000.0)
def test_a_ring_up_to_500_km_has_every_vertex_at_the_radius_and_is_a_valid_disc(
    lon, lat, radius_m, wgs84
):
    """``ring_vertices`` is the raw ring, before any split at the antimeridian."""
    _assert_vertices_at_radius(wgs84, lon, lat, radius_m)
    disc = ring(lon, lat, radius_m)
    assert shapely.is_valid(disc)
    # covers, not contains: a centre on the antimeridian lies on the seam of the split disc.
    assert shapely.covers(disc, shapely.Point(lon, lat))


near_antipodal_radii = st.floats(19_000_000.0, DOCUMENTED_MAX_RADIUS_M)
any_radius = st.one_of(st.floats(1_000.0, DOCUMENTED_MAX_RADIUS_M), near_antipodal_radii)


@_settings(200)
@given(lon=lons(), lat=lats(-89.9, 89.9), radius_m=any_radius)
@example(lon=25.0, lat=54.0, radius_m=DOCUMENTED_MAX_RADIUS_M)
@example(lon=0.0, lat=0.0, radius_m=DOCUMENTED_MAX_RADIUS_M)
def test_a_ring_of_any_allowed_radius_has_every_vertex_at_the_radius_and_is_valid(
    lon, lat, radius_m, wgs84
):
    _assert_vertices_at_radius(wgs84, lon, lat, radius_m)
    assert shapely.is_valid(ring(lon, lat, radius_m))


@_settings(200)
@given(lon=lons(), lat=lats(-89.9, 89.9), radius_m=any_radius)
@example(lon=0.0, lat=0.0, radius_m=10_001_966.0)  # hypothesis' minimal falsifying example
@example(lon=90.0, lat=0.0, radius_m=15_000_000.0)
@example(lon=26.09, lat=54.76, radius_m=DOCUMENTED_MAX_RADIUS_M)
def test_a_ring_of_any_allowed_radius_is_the_disc_around_its_centre(lon, lat, radius_m, wgs84):
    """The disc holds its centre and not the centre's antipode, which is further away than
    any allowed radius."""
    antipode = (lon - 180.0 if lon > 0 else lon + 180.0, -lat)
    assert wgs84.inv(lon, lat, *antipode)[2] > radius_m
    disc = ring(lon, lat, radius_m)
    assert shapely.covers(disc, shapely.Point(lon, lat))
    assert not shapely.covers(disc, shapely.Point(antipode))


@_settings(200)
@given(
    lon=st.one_of(lons(179.0, 180.0), lons(-180.0, -179.0)),
    lat=lats(-80.0, 80.0),
    radius_m=st.floats(1_000.0, 1_000_000.0),
)
@example(lon=179.5, lat=10.0, radius_m=1_000_000.0)
@example(lon=-180.0, lat=0.0, radius_m=1_000.0)
def test_a_ring_near_the_antimeridian_is_split_there_not_wrapped_round_the_globe(
    lon, lat, radius_m
):
    """Up to 1,000 km and 80° of latitude no ring reaches a pole, so no part of the disc may
    span more than half the globe in longitude, and no edge may jump across it."""
    disc = ring(lon, lat, radius_m)
    assert shapely.is_valid(disc)
    for part in shapely.get_parts(disc):
        xy = shapely.get_coordinates(part.exterior)
        assert np.abs(np.diff(xy[:, 0])).max() <= 180.0
        min_lon, _, max_lon, _ = part.bounds
        assert max_lon - min_lon < 180.0
        assert min_lon >= -180.0 and max_lon <= 180.0
    assert shapely.covers(disc, shapely.Point(lon, lat))


@_settings(150)
@given(
    lon=lons(),
    lat=lats(85.0, 89.9),
    beyond_pole_m=st.floats(10_000.0, 1_500_000.0),
    north=st.booleans(),
)
@example(lon=25.0, lat=85.0, beyond_pole_m=442_000.0, north=True)  # about 1,000 km from 85°N
@example(lon=180.0, lat=85.0, beyond_pole_m=10_000.0, north=False)
def test_a_ring_reaching_over_a_pole_covers_the_pole(lon, lat, beyond_pole_m, north, wgs84):
    """The pole is a line along latitude ±90 from -180 to 180 once the disc is drawn in
    lon/lat, and it lies on the disc's edge, so the disc must *cover* that whole line and
    contain every point 1.1 km short of it (the ring passes at least 10 km beyond)."""
    sign = 1.0 if north else -1.0
    lat *= sign
    radius_m = wgs84.inv(lon, lat, lon, sign * 90.0)[2] + beyond_pole_m
    disc = ring(lon, lat, radius_m)
    assert shapely.is_valid(disc)
    assert shapely.covers(disc, shapely.LineString([(-180.0, sign * 90.0), (180.0, sign * 90.0)]))
    around = np.linspace(-179.0, 179.0, 37)
    assert shapely.contains(disc, shapely.points(around, np.full(37, sign * 89.99))).all()
    # covers, not contains: a centre on the antimeridian lies on the seam of the disc.
    assert shapely.covers(disc, shapely.Point(lon, lat))


@_settings(150)
@given(
    lon=lons(),
    lat=lats(80.0, 89.9),
    share_of_the_way=st.floats(0.1, 0.99),
    north=st.booleans(),
)
def test_a_ring_short_of_the_pole_stays_off_it(lon, lat, share_of_the_way, north, wgs84):
    sign = 1.0 if north else -1.0
    lat *= sign
    radius_m = wgs84.inv(lon, lat, lon, sign * 90.0)[2] * share_of_the_way
    disc = ring(lon, lat, radius_m)
    assert shapely.is_valid(disc)
    assert not shapely.intersects(disc, shapely.Point(lon, sign * 90.0))


# --- Distances ---------------------------------------------------------------------------

points = st.tuples(lons(), lats())


@_settings(300)
@given(a=points, b=points)
@example(a=(0.0, 90.0), b=(0.0, -90.0))
@example(a=(0.0, 0.0), b=(180.0, 0.0))
def test_distance_is_symmetric_and_agrees_with_our_own_geodesic(a, b, wgs84):
    d_ab, d_ba = distance_m(*a, *b), distance_m(*b, *a)
    assert abs(d_ab - d_ba) <= 1e-6
    assert abs(d_ab - wgs84.inv(*a, *b)[2]) <= 1e-6
    assert 0.0 <= d_ab <= HALF_MERIDIAN_M + 1e-6


@_settings(300)
@given(a=points, b=points, c=points)
def test_distance_obeys_the_triangle_inequality(a, b, c):
    assert distance_m(*a, *c) <= distance_m(*a, *b) + distance_m(*b, *c) + 1e-6


@_settings(200)
@given(a=points)
@example(a=(0.0, 90.0))
@example(a=(-180.0, -90.0))
def test_a_point_is_at_zero_distance_from_itself(a):
    assert distance_m(*a, *a) == 0.0


# Excluded: the poles and the antipodes. At a pole every direction is south (or north), so
# an azimuth means nothing there; at the exact antipode several geodesics are equally short
# (every meridian, for a point on the equator), so the inverse cannot return the azimuth it
# was given, and next to either the azimuth is ill-conditioned. Starts are kept 1° off the
# poles and distances at most 19,900 km, below pi * b = 19,970 km, where the equator itself
# stops being a shortest route, so the inverse finds the very geodesic forward walked.
# Distances start at 1 km, where an azimuth is resolved to far better than 1e-9°.
@_settings(300)
@given(
    lon=lons(),
    lat=lats(-89.0, 89.0),
    azimuth_deg=st.floats(0.0, 360.0, exclude_max=True),
    dist_m=st.floats(1_000.0, DOCUMENTED_MAX_RADIUS_M),
)
@example(lon=0.0, lat=0.0, azimuth_deg=90.0, dist_m=DOCUMENTED_MAX_RADIUS_M)
@example(lon=25.28, lat=54.69, azimuth_deg=0.0, dist_m=5_000_000.0)
def test_forward_then_inverse_returns_the_distance_and_azimuth(lon, lat, azimuth_deg, dist_m):
    lon2, lat2 = forward(lon, lat, azimuth_deg, dist_m)
    back_dist, back_az, _ = inverse(lon, lat, lon2, lat2)
    assert abs(back_dist - dist_m) <= 1e-6
    assert _angle_between_deg(float(back_az), azimuth_deg) <= 1e-9


@_settings(300)
@given(
    a=points,
    dlon=st.floats(-1.0, 1.0),
    dlat=st.floats(-1.0, 1.0),
)
@example(a=(0.0, 0.0), dlon=0.0, dlat=0.0)
@example(a=(25.28, 54.69), dlon=0.0, dlat=0.0)
@example(a=(0.0, 90.0), dlon=0.0, dlat=0.0)
def test_near_antipodal_points_are_no_further_apart_than_pole_to_pole(a, dlon, dlat, wgs84):
    lon, lat = a
    lon2 = (lon + 180.0 + dlon + 180.0) % 360.0 - 180.0
    lat2 = float(np.clip(-lat + dlat, -90.0, 90.0))
    d = distance_m(lon, lat, lon2, lat2)
    assert d <= HALF_MERIDIAN_M + 1e-6
    assert abs(d - wgs84.inv(lon, lat, lon2, lat2)[2]) <= 1e-6


def test_the_half_meridian_bound_is_the_published_20_003_931_m():
    assert abs(HALF_MERIDIAN_M - 20_003_931.4586) <= 1e-3


# --- Radii -------------------------------------------------------------------------------

usable_radii = st.floats(min_value=0.0, max_value=DOCUMENTED_MAX_RADIUS_M, exclude_min=True)
unusable_radii = st.one_of(
    st.sampled_from([0.0, -0.0, math.nan, math.inf, -math.inf]),
    st.floats(max_value=0.0, allow_nan=False),
    st.floats(min_value=DOCUMENTED_MAX_RADIUS_M, exclude_min=True, allow_nan=False),
)


@_settings(300)
@given(radii=st.lists(usable_radii, min_size=1, max_size=6))
@example(radii=[DOCUMENTED_MAX_RADIUS_M])
@example(radii=[5e-324])
def test_every_radius_in_range_is_accepted_as_given(radii):
    assert validate_radii(radii).tolist() == radii


@_settings(300)
@given(
    good=st.lists(usable_radii, max_size=5),
    bad=unusable_radii,
    at=st.integers(min_value=0, max_value=5),
)
@example(good=[], bad=DOCUMENTED_MAX_RADIUS_M + 0.001, at=0)
def test_one_unusable_radius_refuses_the_whole_list(good, bad, at):
    radii = [*good[:at], bad, *good[at:]]
    with pytest.raises(GeoInputError, match="radi"):
        validate_radii(radii)


@_settings(100)
@given(bad=unusable_radii)
def test_an_unusable_single_radius_is_refused(bad):
    with pytest.raises(GeoInputError, match="radi"):
        validate_radii(bad)
