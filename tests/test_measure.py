"""Geodesic distance and azimuths between points, on the WGS84 ellipsoid."""

import math

import numpy as np
import pytest

from geo.measure import GEOD, forward, geodesic_path, inverse, measure

# Pairs of places the seeds name; expected figures come from pyproj.Geod in each test.
SEED_PAIRS = [
    ("vilnius", "minsk"),
    ("astravets_npp", "vilnius"),
    ("vitebsk", "moscow"),
    ("yelnia", "smolensk"),
    ("klintsy", "gomel"),
    ("yelnia", "gomel"),
    ("baranavichy", "warsaw"),
    ("berlin", "moscow"),
    ("kaliningrad", "minsk"),
    ("mogilev", "smolensk"),
    ("brest", "vilnius"),
    ("vilnius", "riga"),
]


@pytest.mark.parametrize(("a", "b"), SEED_PAIRS)
def test_distance_between_seed_places_agrees_with_pyproj_to_1_m(a, b, site_coords, wgs84):
    (lon1, lat1), (lon2, lat2) = site_coords[a], site_coords[b]
    az12, az21, dist = wgs84.inv(lon1, lat1, lon2, lat2)
    m = measure(lon1, lat1, lon2, lat2)
    assert m.distance_km * 1000 == pytest.approx(dist, abs=1.0)
    assert m.azimuth_deg == pytest.approx(az12 % 360, abs=1e-9)
    assert m.back_azimuth_deg == pytest.approx(az21 % 360, abs=1e-9)


def test_units_are_statute_and_nautical_miles(site_coords):
    m = measure(*site_coords["vilnius"], *site_coords["minsk"])
    assert m.distance_mi == pytest.approx(m.distance_km / 1.609344)
    assert m.distance_nmi == pytest.approx(m.distance_km / 1.852)


def test_vincentys_published_test_line_on_the_ellipsoid():
    """Flinders Peak → Buninyong (Vincenty 1975, on the same ellipsoid family): 54,972.271 m,
    initial azimuth 306°52′05.37″. GRS80 and WGS84 differ by far less than 1 mm here."""
    flinders = (144 + 25 / 60 + 29.52440 / 3600, -(37 + 57 / 60 + 3.72030 / 3600))
    buninyong = (143 + 55 / 60 + 35.38390 / 3600, -(37 + 39 / 60 + 10.15610 / 3600))
    m = measure(*flinders, *buninyong)
    assert m.distance_km * 1000 == pytest.approx(54_972.271, abs=0.001)
    assert m.azimuth_deg == pytest.approx(306 + 52 / 60 + 5.37 / 3600, abs=0.01 / 3600)


def test_vilnius_to_minsk_is_the_172_km_the_2020_seed_quotes(site_coords):
    """Seed 001 says Vilnius is '172 km north' of Minsk; the geodesic between city centres
    agrees to within a kilometre."""
    assert measure(*site_coords["vilnius"], *site_coords["minsk"]).distance_km == pytest.approx(
        172, abs=1.5
    )


def test_vectorized_inverse_matches_a_loop_of_scalar_calls(wgs84):
    rng = np.random.default_rng(7)
    lon1, lon2 = rng.uniform(-180, 180, (2, 500))
    lat1, lat2 = rng.uniform(-89, 89, (2, 500))
    dist, az, back = inverse(lon1, lat1, lon2, lat2)
    for i in range(0, 500, 50):
        az12, az21, d = wgs84.inv(lon1[i], lat1[i], lon2[i], lat2[i])
        assert dist[i] == pytest.approx(d, abs=1e-3)
        assert az[i] == pytest.approx(az12 % 360, abs=1e-9)
        assert back[i] == pytest.approx(az21 % 360, abs=1e-9)
    assert ((az >= 0) & (az < 360)).all() and ((back >= 0) & (back < 360)).all()


def test_forward_then_inverse_returns_the_distance_and_azimuth():
    lon2, lat2 = forward(25.28, 54.69, 127.0, 250_000.0)
    dist, az, _ = inverse(25.28, 54.69, lon2, lat2)
    assert dist == pytest.approx(250_000.0, abs=1e-6)
    assert az == pytest.approx(127.0, abs=1e-9)


def test_a_point_to_itself_is_zero():
    assert measure(27.56, 53.9, 27.56, 53.9).distance_km == 0.0


def test_geodesic_path_is_densified_and_lies_on_the_geodesic(site_coords, wgs84):
    (lon1, lat1), (lon2, lat2) = site_coords["berlin"], site_coords["moscow"]
    path = geodesic_path(lon1, lat1, lon2, lat2, spacing_m=10_000)
    total = wgs84.inv(lon1, lat1, lon2, lat2)[2]
    steps = wgs84.inv(path[:-1, 0], path[:-1, 1], path[1:, 0], path[1:, 1])[2]
    assert tuple(path[0]) == (lon1, lat1) and tuple(path[-1]) == (lon2, lat2)
    assert steps.max() <= 10_000 + 1e-6
    assert steps.sum() == pytest.approx(total, abs=1e-3)  # on the geodesic, no detour
    assert len(path) == math.ceil(total / 10_000) + 1


def test_the_module_geodesic_is_the_wgs84_ellipsoid():
    assert GEOD.a == pytest.approx(6_378_137.0)
    assert GEOD.f == pytest.approx(1 / 298.257223563)
