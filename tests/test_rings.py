"""Geodesic range rings and buffers: every vertex at the radius, valid anywhere on Earth."""

import numpy as np
import pytest
import shapely

from geo.errors import GeoInputError
from geo.nearest import distance_to_geometry
from geo.rings import buffer, radii_from_km, ring, ring_vertices, rings

ASTRAVETS_NPP = (26.09, 54.76)


@pytest.mark.parametrize("radius_km", [30, 100, 500])
def test_every_vertex_lies_within_0_05_percent_of_the_radius(radius_km, wgs84):
    disc = ring(*ASTRAVETS_NPP, radius_km * 1000)
    coords = shapely.get_coordinates(disc.exterior)
    dist = wgs84.inv(
        np.full(len(coords), ASTRAVETS_NPP[0]),
        np.full(len(coords), ASTRAVETS_NPP[1]),
        coords[:, 0],
        coords[:, 1],
    )[2]
    assert np.abs(dist / (radius_km * 1000) - 1).max() < 0.0005


@pytest.mark.parametrize("radius_km", [30, 100, 500])
def test_edges_sag_below_the_radius_by_under_0_01_percent_with_256_vertices(radius_km, wgs84):
    """The midpoint of each straight edge (in lon/lat) is the worst place on the ring."""
    coords = shapely.get_coordinates(ring(*ASTRAVETS_NPP, radius_km * 1000).exterior)
    mid = (coords[:-1] + coords[1:]) / 2
    dist = wgs84.inv(
        np.full(len(mid), ASTRAVETS_NPP[0]),
        np.full(len(mid), ASTRAVETS_NPP[1]),
        mid[:, 0],
        mid[:, 1],
    )[2]
    assert np.abs(dist / (radius_km * 1000) - 1).max() < 0.0001


def test_all_radii_come_from_one_vectorized_call_in_order():
    discs = rings(*ASTRAVETS_NPP, [10_000, 20_000, 50_000])
    areas = shapely.area(discs)
    assert len(discs) == 3 and (np.diff(areas) > 0).all()
    assert all(d.contains(shapely.Point(ASTRAVETS_NPP)) for d in discs)


def test_rings_are_counter_clockwise_as_rfc_7946_wants():
    assert ring(*ASTRAVETS_NPP, 50_000).exterior.is_ccw


@pytest.mark.parametrize(
    ("lon", "lat", "what"),
    [
        (179.5, 10.0, "crosses the antimeridian"),
        (-179.0, -30.0, "crosses the antimeridian, southern hemisphere"),
        (25.0, 85.0, "contains the north pole"),
        (-170.0, -86.0, "contains the south pole and crosses the antimeridian"),
    ],
)
def test_a_3000_km_ring_is_valid_and_contains_its_centre_anywhere(lon, lat, what, wgs84):
    disc = ring(lon, lat, 3_000_000)
    assert disc.is_valid, what
    assert disc.contains(shapely.Point(lon, lat)), what
    coords = shapely.get_coordinates(disc)
    not_seam = (np.abs(coords[:, 0]) < 180) & (np.abs(coords[:, 1]) < 90)
    dist = wgs84.inv(
        np.full(not_seam.sum(), lon),
        np.full(not_seam.sum(), lat),
        coords[not_seam, 0],
        coords[not_seam, 1],
    )[2]
    assert np.abs(dist / 3_000_000 - 1).max() < 0.0005, what


def test_a_ring_around_the_north_pole_covers_the_pole_cap():
    disc = ring(25.0, 85.0, 3_000_000)
    assert disc.contains(shapely.Point(-150.0, 89.0))  # across the pole from the centre
    assert not disc.contains(shapely.Point(25.0, 50.0))


def test_the_antimeridian_ring_is_split_into_two_parts_on_either_side():
    disc = ring(179.5, 10.0, 3_000_000)
    assert disc.geom_type == "MultiPolygon"
    assert disc.contains(shapely.Point(-170.0, 10.0)) and disc.contains(shapely.Point(170.0, 10.0))


def test_vertices_array_has_one_row_per_radius_and_n_vertices():
    verts = ring_vertices(*ASTRAVETS_NPP, [1000, 2000], n=64)
    assert verts.shape == (2, 64, 2)


@pytest.mark.parametrize(
    "radii",
    [[0], [-5], [float("nan")], [float("inf")], [20_000_000], ["ten"], []],
)
def test_unusable_radii_are_refused_with_a_clear_message(radii):
    with pytest.raises(GeoInputError, match="radi"):
        rings(*ASTRAVETS_NPP, radii)


def test_a_centre_off_the_globe_is_refused():
    with pytest.raises(GeoInputError, match="not a valid lat, lon"):
        ring(25.0, 95.0, 1000)


def test_a_point_buffer_is_the_ring():
    point = shapely.Point(ASTRAVETS_NPP)
    assert buffer(point, 20_000).equals_exact(ring(*ASTRAVETS_NPP, 20_000), tolerance=1e-12)


def test_a_line_buffer_keeps_its_edge_at_the_distance_from_the_line():
    """Vilnius–Minsk road-length line buffered by 25 km: every boundary vertex of the
    buffer lies 25 km (±0.5%) from the line, measured exactly on the ellipsoid."""
    line = shapely.LineString([(25.28, 54.69), (26.5, 54.3), (27.56, 53.9)])
    coords = shapely.get_coordinates(buffer(line, 25_000).exterior)
    near = distance_to_geometry(coords[:, 0], coords[:, 1], line)
    assert np.abs(near.distance_m / 25_000 - 1).max() < 0.005


@pytest.mark.parametrize(
    ("radii_km", "metres"),
    [([10, 20.5, 50], [10_000.0, 20_500.0, 50_000.0]), (30, [30_000.0]), (("2.5",), [2_500.0])],
)
def test_radii_in_km_become_metres_once_validated(radii_km, metres):
    assert radii_from_km(radii_km).tolist() == metres


@pytest.mark.parametrize(
    ("radii_km", "message"),
    [
        ([], r"expected one or more radii in km, got \[\]"),
        (None, "radii must be numbers of km, got None"),
        (["ten"], r"radii must be numbers of km, got \['ten'\]"),
        ([100, -5], "radius -5 km is not usable: radii must be above 0 and at most 19,900 km"),
        ([0], "radius 0 km is not usable"),
        ([float("nan")], "radius nan km is not usable"),
        ([20_000], "radius 20000 km is not usable"),
    ],
)
def test_unusable_radii_in_km_say_what_was_received_and_what_is_expected(radii_km, message):
    with pytest.raises(GeoInputError, match=message):
        radii_from_km(radii_km)


def test_layers_and_the_app_take_radii_in_km_through_one_check():
    """The catalogue's and the URL's radii are refused with radii_from_km's own message."""
    from layers.catalogue import build, radii_km_tuple
    from ui.link import parse_radii

    for refuse in (lambda: radii_km_tuple([30, -5]), lambda: parse_radii("30, -5")):
        with pytest.raises(GeoInputError, match="radius -5 km is not usable: radii must be above"):
            refuse()
    with pytest.raises(GeoInputError, match="radius -5 km is not usable: radii must be above"):
        build("vilnius_rings", radii_km=(30, -5))
    assert radii_km_tuple(["30", 50]) == (30.0, 50.0)
