"""Range fans, radials and lines of bearing: geodesic edges and arcs, valid anywhere.

Every figure is checked against pyproj's ``Geod`` directly: a fan's area against a
polygon sampled 20,000 times along its arcs, its edges and arcs against ``Geod.inv``,
a radial's end against ``Geod.fwd``.
"""

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.errors import GeoInputError
from geo.fans import bearing_lines, fan, radials

GEOD = Geod(ellps="WGS84")
VILNIUS = (25.2798, 54.68916)


def dense_fan_area_km2(lon, lat, azimuth, width, inner_m, outer_m, n=20_000):
    """A fan's geodesic area from a polygon sampled n times along each arc (reference)."""
    start, end = azimuth - width / 2, azimuth + width / 2
    out = np.linspace(start, end, n)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), out, np.full(n, outer_m))
    ring_lon, ring_lat = list(lons), list(lats)
    if inner_m > 0:
        back = np.linspace(end, start, n)
        lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), back, np.full(n, inner_m))
        ring_lon += list(lons)
        ring_lat += list(lats)
    else:
        ring_lon.append(lon)
        ring_lat.append(lat)
    area, _ = GEOD.polygon_area_perimeter(ring_lon, ring_lat)
    return abs(area) / 1e6


@pytest.mark.parametrize(
    ("lon", "lat", "azimuth", "width", "inner_km", "outer_km"),
    [
        (*VILNIUS, 45.0, 60.0, 10.0, 50.0),
        (*VILNIUS, 270.0, 30.0, 0.0, 300.0),
        (27.56667, 53.9, 350.0, 120.0, 50.0, 1000.0),  # across north
        (179.9, 0.0, 90.0, 60.0, 0.0, 500.0),  # across the antimeridian
        (0.0, -60.0, 200.0, 300.0, 100.0, 2000.0),  # wider than a half circle
    ],
)
def test_a_fans_area_is_that_of_the_densely_sampled_geodesic_fan(
    lon, lat, azimuth, width, inner_km, outer_km
):
    geom = fan(lon, lat, azimuth, width, inner_km * 1000, outer_km * 1000)
    assert geom.is_valid
    area, _ = GEOD.geometry_area_perimeter(geom)
    reference = dense_fan_area_km2(lon, lat, azimuth, width, inner_km * 1000, outer_km * 1000)
    # 256 vertices to the circle: each arc's chords sag by < 0.008% of the radius
    assert abs(area) / 1e6 == pytest.approx(reference, rel=2e-4)


def test_a_fan_runs_counter_clockwise_and_splits_at_the_antimeridian():
    east = fan(25.0, 54.0, 90.0, 60.0, 0.0, 100_000)
    assert east.geom_type == "Polygon" and east.exterior.is_ccw
    split = fan(179.9, 0.0, 90.0, 60.0, 0.0, 500_000)
    assert split.geom_type == "MultiPolygon"
    assert all(p.exterior.is_ccw for p in split.geoms)
    assert split.bounds[0] == -180.0 and split.bounds[2] == 180.0
    mirror = fan(0.0, 0.0, 90.0, 60.0, 0.0, 500_000)  # the same fan away from 180°
    assert GEOD.geometry_area_perimeter(split)[0] == pytest.approx(
        GEOD.geometry_area_perimeter(mirror)[0], rel=1e-6
    )


def test_a_fan_over_a_pole_is_closed_over_it_and_keeps_its_area():
    geom = fan(0.0, 89.5, 0.0, 90.0, 0.0, 300_000)  # 300 km north from 55 km off the pole
    assert geom.is_valid and geom.covers(shapely.Point(0.0, 90.0))
    area, _ = GEOD.geometry_area_perimeter(geom)
    assert abs(area) / 1e6 == pytest.approx(
        dense_fan_area_km2(0.0, 89.5, 0.0, 90.0, 0.0, 300_000), rel=5e-4
    )


def test_edges_are_geodesics_from_the_centre_and_arcs_are_at_their_range():
    lon, lat = VILNIUS
    geom = fan(lon, lat, 120.0, 40.0, 20_000, 80_000)
    xy = shapely.get_coordinates(geom)[:-1]
    az, _, dist = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    az = np.mod(az, 360)
    on_edge = np.isclose(az, 100.0, atol=1e-7) | np.isclose(az, 140.0, atol=1e-7)
    on_arc = np.isclose(dist, 20_000, atol=1e-3) | np.isclose(dist, 80_000, atol=1e-3)
    assert (on_edge | on_arc).all()
    assert (az >= 100.0 - 1e-7).all() and (az <= 140.0 + 1e-7).all()
    assert on_edge.sum() > 100 and on_arc.sum() > 50  # the edges are densified


def test_a_full_circle_fan_is_a_disc_or_an_annulus():
    disc = fan(25.0, 54.0, 0.0, 360.0, 0.0, 50_000)
    annulus = fan(25.0, 54.0, 0.0, 360.0, 20_000, 50_000)
    assert len(disc.interiors) == 0 and len(annulus.interiors) == 1
    a_disc = abs(GEOD.geometry_area_perimeter(disc)[0])
    a_hole = abs(GEOD.geometry_area_perimeter(fan(25.0, 54.0, 0.0, 360.0, 0.0, 20_000))[0])
    assert abs(GEOD.geometry_area_perimeter(annulus)[0]) == pytest.approx(a_disc - a_hole, rel=1e-9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 0.0, 0.0, 10_000), "width"),
        ((0.0, 361.0, 0.0, 10_000), "width"),
        ((0.0, float("nan"), 0.0, 10_000), "width"),
        ((0.0, 30.0, 20_000, 10_000), "below its maximum"),
        ((0.0, 30.0, 10_000, 10_000), "below its maximum"),
        ((0.0, 30.0, -1.0, 10_000), "minimum range"),
        ((0.0, 30.0, 0.0, 0.0), "radi"),
        ((0.0, 30.0, 0.0, 30_000_000), "radi"),
        (("north", 30.0, 0.0, 10_000), "azimuth"),
    ],
)
def test_a_bad_fan_is_refused_with_what_is_wrong(args, message):
    with pytest.raises(GeoInputError, match=message):
        fan(25.0, 54.0, *args)


def test_radials_end_where_geod_fwd_says_and_follow_their_geodesic():
    lon, lat = VILNIUS
    lines = radials(lon, lat, 8, 150_000, first_deg=10.0)
    assert len(lines) == 8
    for i, line in enumerate(lines):
        azimuth = 10.0 + 45.0 * i
        end_lon, end_lat, _ = GEOD.fwd(lon, lat, azimuth, 150_000)
        assert line.coords[-1] == pytest.approx((end_lon, end_lat), abs=1e-9)
        xy = np.asarray(line.coords)[1:]
        az, _, _ = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
        assert np.allclose(np.mod(az - azimuth + 180, 360) - 180, 0.0, atol=1e-7)


def test_a_line_of_bearing_across_the_antimeridian_is_split_there():
    (line,) = bearing_lines(179.5, 10.0, 90.0, 200_000)
    assert line.geom_type == "MultiLineString"
    end_lon, end_lat, _ = GEOD.fwd(179.5, 10.0, 90.0, 200_000)
    assert line.geoms[-1].coords[-1] == pytest.approx((end_lon, end_lat), abs=1e-9)
    total = sum(GEOD.line_length(*zip(*part.coords, strict=True)) for part in line.geoms)
    assert total == pytest.approx(200_000, rel=1e-6)


@pytest.mark.parametrize("count", [0, 361, 2.5, "many", None])
def test_a_bad_number_of_radials_is_refused(count):
    with pytest.raises(GeoInputError, match="number of radials"):
        radials(25.0, 54.0, count, 10_000)
