"""Bearings in every north, time at a speed, the horizon and the people in towns.

Checked against what defines each figure, not against our own code: the World Magnetic
Model 2025's published test values, the UTM grid drawn by pyproj, √(2kRh), and a sum of
GeoNames populations by geodesic distance.
"""

import datetime as dt
import math

import numpy as np
import pytest
from pyproj import Geod, Proj, Transformer

from geo.bearings import bearing, declination_deg, grid_convergence_deg, to_mils, travel_time_h
from geo.data import towns
from geo.errors import GeoInputError
from geo.horizon import MEAN_RADIUS_M, horizon
from geo.reach import people_in_towns, people_in_towns_each
from geo.rings import ring

GEOD = Geod(ellps="WGS84")
VILNIUS = (25.2798, 54.68916)
MINSK = (27.56667, 53.9)

# The WMM2025 technical report's test values (NOAA NCEI / BGS, Table 6): decimal year,
# height above the ellipsoid (km), latitude, longitude, declination (degrees, 2 places).
WMM2025_TEST_VALUES = [
    (2025.0, 0.0, 80.0, 0.0, 1.28),
    (2025.0, 0.0, 0.0, 120.0, -0.16),
    (2025.0, 0.0, -80.0, 240.0, 68.78),
    (2025.0, 100.0, 80.0, 0.0, 0.85),
    (2025.0, 100.0, 0.0, 120.0, -0.15),
    (2025.0, 100.0, -80.0, 240.0, 68.21),
    (2027.5, 0.0, 80.0, 0.0, 2.59),
    (2027.5, 0.0, 0.0, 120.0, -0.24),
    (2027.5, 0.0, -80.0, 240.0, 68.49),
    (2027.5, 100.0, 80.0, 0.0, 2.16),
    (2027.5, 100.0, 0.0, 120.0, -0.23),
    (2027.5, 100.0, -80.0, 240.0, 67.93),
]


def date_of(decimal_year: float) -> dt.date:
    year = int(decimal_year)
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return start + dt.timedelta(days=round((decimal_year - year) * days))


@pytest.mark.parametrize(("year", "height_km", "lat", "lon", "expected"), WMM2025_TEST_VALUES)
def test_declination_matches_the_wmm2025_published_test_values(year, height_km, lat, lon, expected):
    got = declination_deg(lon, lat, date_of(year), height_m=height_km * 1000)
    assert got == pytest.approx(expected, abs=0.006)  # published to 0.01°


@pytest.mark.parametrize("day", [dt.date(2024, 12, 31), dt.date(2030, 1, 1)])
def test_a_date_outside_the_magnetic_models_span_is_refused(day):
    with pytest.raises(GeoInputError, match="outside the WMM2025"):
        declination_deg(*VILNIUS, day)


def test_mils_are_degrees_times_6400_over_360():
    degrees = np.array([0.0, 1.0, 90.0, 119.6, 359.9])
    assert to_mils(degrees) == pytest.approx(degrees * 6400 / 360)


@pytest.mark.parametrize("point", [VILNIUS, MINSK, (20.5, 54.7), (32.0, 57.0), (-3.2, -41.0)])
def test_grid_convergence_is_pyprojs_for_the_points_utm_zone(point):
    lon, lat = point
    zone = int((lon + 180) // 6) + 1
    factors = Proj(proj="utm", zone=zone, south=lat < 0, ellps="WGS84").get_factors(lon, lat)
    assert grid_convergence_deg(lon, lat) == pytest.approx(factors.meridian_convergence, abs=1e-9)
    # and roughly Δλ·sin φ, the textbook approximation
    central = zone * 6 - 183
    assert grid_convergence_deg(lon, lat) == pytest.approx(
        (lon - central) * math.sin(math.radians(lat)), abs=0.05
    )


def test_a_grid_bearing_is_the_angle_the_line_makes_on_the_utm_grid():
    """Project a short piece of the geodesic into UTM and measure its angle on paper."""
    b = bearing(*VILNIUS, *MINSK, dt.date(2026, 7, 1))
    to_utm = Transformer.from_crs(4326, 32635, always_xy=True)
    lon2, lat2, _ = GEOD.fwd(*VILNIUS, b.azimuth_deg, 10.0)
    (x1, x2), (y1, y2) = to_utm.transform([VILNIUS[0], lon2], [VILNIUS[1], lat2])
    on_paper = math.degrees(math.atan2(x2 - x1, y2 - y1)) % 360
    assert b.grid_azimuth_deg == pytest.approx(on_paper, abs=1e-4)
    assert b.utm_zone == 35


def test_a_bearing_in_every_north():
    on = dt.date(2026, 7, 1)
    b = bearing(*VILNIUS, *MINSK, on)
    az, back, _ = GEOD.inv(*VILNIUS, *MINSK)
    assert b.azimuth_deg == pytest.approx(az % 360, abs=1e-9)
    assert b.back_azimuth_deg == pytest.approx(back % 360, abs=1e-9)
    assert b.azimuth_mils == pytest.approx((az % 360) * 6400 / 360, abs=1e-9)
    assert b.back_azimuth_mils == pytest.approx((back % 360) * 6400 / 360, abs=1e-9)
    assert b.magnetic_azimuth_deg == pytest.approx((az - declination_deg(*VILNIUS, on)) % 360)
    assert 7.0 < b.declination_deg < 10.0  # east, as every chart of Lithuania has it
    assert (b.magnetic_model, b.magnetic_date) == ("WMM2025", "2026-07-01")


def test_a_bearing_beyond_the_utm_grid_has_no_grid_figure():
    b = bearing(10.0, 85.0, 20.0, 85.5, dt.date(2026, 1, 1))
    assert b.utm_zone is None and math.isnan(b.grid_azimuth_deg)
    assert b.to_dict()["grid_azimuth_deg"] is None


def test_coincident_points_have_no_bearing():
    b = bearing(*VILNIUS, *VILNIUS, dt.date(2026, 1, 1))
    assert math.isnan(b.azimuth_deg) and b.to_dict()["azimuth_mils"] is None


def test_time_at_a_speed_in_each_unit():
    assert float(travel_time_h(100.0, 50.0)) == pytest.approx(2.0)
    assert float(travel_time_h(1.609344 * 30, 30.0, "mph")) == pytest.approx(1.0)
    assert float(travel_time_h(1.852 * 12, 6.0, "kn")) == pytest.approx(2.0)
    for bad in (0, -5, float("nan"), "fast"):
        with pytest.raises(GeoInputError, match="speed"):
            travel_time_h(10.0, bad)
    with pytest.raises(GeoInputError, match="unit"):
        travel_time_h(10.0, 5.0, "furlongs per fortnight")


@pytest.mark.parametrize("k", [4 / 3, 7 / 6, 1.0])
@pytest.mark.parametrize(("h", "t"), [(30.0, 0.0), (10.0, 100.0), (1000.0, 5.0)])
def test_the_horizon_is_the_square_root_of_2_k_r_h(h, t, k):
    got = horizon(h, t, k=k)
    expected = [math.sqrt(2 * k * 6_371_008.8 * x) / 1000 for x in (h, t)]
    assert (got.observer_km, got.target_km) == pytest.approx(expected, rel=1e-12)
    assert got.horizon_km == pytest.approx(sum(expected), rel=1e-12)


def test_the_geometric_horizon_is_the_tangent_to_the_sphere():
    h = 100.0
    tangent = math.sqrt((MEAN_RADIUS_M + h) ** 2 - MEAN_RADIUS_M**2) / 1000
    assert horizon(h, k=1.0).observer_km == pytest.approx(tangent, rel=1e-5)


@pytest.mark.parametrize(
    ("args", "kwargs"), [((-1.0,), {}), ((10.0, -2.0), {}), ((10.0,), {"k": 0}), (("x",), {})]
)
def test_a_bad_height_or_k_is_refused(args, kwargs):
    with pytest.raises(GeoInputError):
        horizon(*args, **kwargs)


@pytest.mark.parametrize(("centre", "radius_km"), [(MINSK, 30.0), (VILNIUS, 120.0)])
def test_people_in_towns_are_the_towns_within_the_ring_by_geodesic_distance(centre, radius_km):
    rows = towns()
    _, _, dist = GEOD.inv(
        np.full(len(rows), centre[0]), np.full(len(rows), centre[1]), rows["lon"], rows["lat"]
    )
    # no town so near the edge that the 256-gon's sag (< 0.008%) could decide it
    assert not (np.abs(dist / 1000 - radius_km) < radius_km * 1e-4).any()
    inside = rows[(dist / 1000 <= radius_km) & (rows["population"] >= 5000)]
    got = people_in_towns(ring(*centre, radius_km * 1000))
    assert (got.people, got.towns) == (int(inside["population"].sum()), len(inside))
    assert got.label.startswith("people in towns of ≥ 5,000: ")


def test_a_higher_threshold_counts_fewer_towns_and_a_lower_one_is_refused():
    disc = ring(*VILNIUS, 200_000)
    low, high = (
        people_in_towns_each([disc, disc], min_population=5000)[0],
        people_in_towns(disc, min_population=100_000),
    )
    assert high.towns < low.towns and high.people < low.people
    assert high.label.startswith("people in towns of ≥ 100,000")
    with pytest.raises(GeoInputError, match="5,000 or more"):
        people_in_towns(disc, min_population=1000)


def test_once_the_model_has_expired_today_has_no_magnetic_bearing_but_the_rest_stands(
    monkeypatch,
):
    class After(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2030, 6, 1, tzinfo=tz)

    monkeypatch.setattr("geo.bearings.dt.datetime", After)
    b = bearing(*VILNIUS, *MINSK)
    assert math.isnan(b.magnetic_azimuth_deg) and b.magnetic_date == "2030-06-01"
    assert b.azimuth_deg == pytest.approx(GEOD.inv(*VILNIUS, *MINSK)[0] % 360)
    with pytest.raises(GeoInputError):
        bearing(*VILNIUS, *MINSK, dt.date(2030, 6, 1))
