"""One point to a territory (or any geometry): a scalar result, exact on the ellipsoid.

Expected figures come from pyproj.Geod and the territories read straight from
data/territories.fgb (the ``analysis`` and ``brute_border_m`` fixtures), not from geo/.
"""

import math

import numpy as np
import pytest
import shapely

from geo.errors import GeoInputError
from geo.nearest import BoundaryIndex, NearestPoint, nearest_point
from geo.territories import TerritoryDistance, distance_to_territory, territory_distance

VILNIUS = (25.2798, 54.68916)
MINSK = (27.56653, 53.90019)
M_PER = {"km": 1000.0, "mi": 1609.344, "nmi": 1852.0}  # international definitions


def test_one_point_in_gives_plain_floats_out():
    near = territory_distance(*VILNIUS, "BY")
    assert isinstance(near, TerritoryDistance) and isinstance(near, NearestPoint)
    assert near.code == "BY"
    for name in ("distance_m", "nearest_lon", "nearest_lat", "azimuth_deg", "back_azimuth_deg"):
        assert type(getattr(near, name)) is float, name


def test_vilnius_to_belarus_is_the_brute_force_distance_to_a_point_on_the_border(
    brute_border_m, analysis, wgs84
):
    near = territory_distance(*VILNIUS, "BY")
    assert near.distance_m == pytest.approx(brute_border_m(*VILNIUS, "BY"), abs=2.0)
    on_border = shapely.Point(near.nearest_lon, near.nearest_lat)
    assert analysis.geometry["BY"].boundary.distance(on_border) < 1e-9  # degrees
    az, back, dist = wgs84.inv(*VILNIUS, near.nearest_lon, near.nearest_lat)
    assert near.distance_m == pytest.approx(dist, abs=1e-3)
    assert near.azimuth_deg == pytest.approx(az % 360, abs=1e-9)
    assert near.back_azimuth_deg == pytest.approx(back % 360, abs=1e-9)
    assert near.distance_km == near.distance_m / 1000


@pytest.mark.parametrize(
    ("lon", "lat", "code"),
    [
        (*VILNIUS, "BY"),
        (*VILNIUS, "RU"),  # Russia includes Kaliningrad
        (26.12, 54.761944, "LT"),  # Astravets NPP
        (21.0122, 52.2298, "RU-KGD"),  # Warsaw
        (24.9384, 60.1699, "EE"),  # Helsinki, across the gulf
    ],
)
def test_the_scalar_result_is_the_vectorized_one(lon, lat, code):
    near = territory_distance(lon, lat, code)
    many = distance_to_territory([lon, lon], [lat, lat], code)
    assert near.distance_m == many.distance_m[0] == many.distance_m[1]
    assert (near.nearest_lon, near.nearest_lat) == (many.lon[0], many.lat[0])


def test_inside_the_distance_is_0_the_point_is_its_own_nearest_and_has_no_direction():
    near = territory_distance(*MINSK, "BY")
    assert near.inside and near.distance_m == 0.0
    assert (near.nearest_lon, near.nearest_lat) == MINSK
    assert math.isnan(near.azimuth_deg) and math.isnan(near.back_azimuth_deg)
    record = near.to_dict()
    assert record["azimuth_deg"] is None and record["back_azimuth_deg"] is None
    assert record["code"] == "BY" and record["distance_m"] == 0.0


def test_the_measurement_gives_every_unit_and_the_azimuths(wgs84):
    near = territory_distance(*VILNIUS, "BY")
    m = near.measurement()
    for unit, metres in M_PER.items():
        assert getattr(m, f"distance_{unit}") == pytest.approx(near.distance_m / metres, rel=1e-15)
    assert (m.azimuth_deg, m.back_azimuth_deg) == (near.azimuth_deg, near.back_azimuth_deg)


def test_from_the_north_pole_the_nearest_point_is_no_farther_than_any_vertex(analysis, wgs84):
    """From a pole every geodesic is a meridian: Lithuania's nearest point is its northernmost
    vertex, or a bulge of a segment beside it (segments are straight in the polar frame)."""
    near = territory_distance(0.0, 90.0, "LT")
    coords = shapely.get_coordinates(analysis.geometry["LT"])
    pole = np.zeros(len(coords)), np.full(len(coords), 90.0)
    to_vertices = wgs84.inv(*pole, coords[:, 0], coords[:, 1])[2]
    assert to_vertices.min() - 1.0 <= near.distance_m <= to_vertices.min() + 1e-3
    assert near.distance_m == pytest.approx(
        wgs84.inv(0.0, 90.0, near.nearest_lon, near.nearest_lat)[2]
    )


def test_180_and_minus_180_are_one_meridian():
    east, west = territory_distance(180.0, 0.0, "LT"), territory_distance(-180.0, 0.0, "LT")
    assert east.distance_m == pytest.approx(west.distance_m, abs=1e-6)
    assert east.nearest_lon == pytest.approx(west.nearest_lon, abs=1e-9)


@pytest.mark.parametrize(
    ("lon", "lat"), [(float("nan"), 54.0), (25.0, 95.0), (None, 54.0), (25.0, float("inf"))]
)
def test_an_unusable_point_is_refused_with_what_was_received(lon, lat):
    with pytest.raises(GeoInputError, match=r"points \(.*\) are not usable"):
        territory_distance(lon, lat, "BY")


def test_an_unknown_territory_code_is_refused():
    with pytest.raises(ValueError, match="no territory with code 'XX'"):
        territory_distance(*VILNIUS, "XX")


def test_nearest_point_to_any_geometry_matches_its_index_and_pyproj(wgs84):
    """A line along 54°N: the scalar and the vectorized answers agree, inside a polygon is 0."""
    line = shapely.LineString([(24.0, 54.0), (26.0, 54.0)])
    index = BoundaryIndex(line)
    near = nearest_point(25.0, 55.0, index)
    many = index.query(25.0, 55.0)
    assert (near.distance_m, near.nearest_lon, near.nearest_lat) == (
        many.distance_m[0],
        many.lon[0],
        many.lat[0],
    )
    az, _, dist = wgs84.inv(25.0, 55.0, near.nearest_lon, near.nearest_lat)
    assert dist == pytest.approx(near.distance_m, abs=1e-3)
    assert near.azimuth_deg == pytest.approx(az % 360, abs=1e-9)
    assert near.azimuth_deg == pytest.approx(180.0, abs=1e-6)  # due south, to the line
    square = shapely.box(24.0, 54.0, 25.0, 55.0)
    assert nearest_point(24.5, 54.5, square).inside


def test_an_empty_geometry_is_refused():
    with pytest.raises(GeoInputError, match="empty geometry"):
        nearest_point(25.0, 54.0, shapely.Polygon())


def test_arrays_are_refused_with_the_vectorized_function_named():
    with pytest.raises(GeoInputError, match="distance_to_territory"):
        territory_distance([25.0, 26.0], [54.0, 54.5], "BY")
