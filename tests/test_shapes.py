"""Geodesic lengths, areas and perimeters of any geometry (geo.shapes), against pyproj."""

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.shapes import geodesic_areas_km2, geodesic_lengths_km

WGS84 = Geod(ellps="WGS84")
LINE = [(25.2797, 54.6872), (27.5615, 53.9045), (30.2, 55.19)]
SQUARE = [(24.0, 55.0), (24.5, 55.0), (24.5, 55.3), (24.0, 55.3), (24.0, 55.0)]
HOLE = [(24.1, 55.1), (24.2, 55.1), (24.2, 55.2), (24.1, 55.2), (24.1, 55.1)]


def area_km2(ring):
    lons, lats = zip(*ring, strict=True)
    return abs(WGS84.polygon_area_perimeter(lons, lats)[0]) / 1e6


def perimeter_km(ring):
    lons, lats = zip(*ring, strict=True)
    return WGS84.line_length(lons, lats) / 1000


def test_a_line_is_as_long_as_pyproj_says_and_points_and_areas_have_no_length():
    lons, lats = zip(*LINE, strict=True)
    geoms = [shapely.LineString(LINE), shapely.Point(LINE[0]), shapely.Polygon(SQUARE)]
    expected = [WGS84.line_length(lons, lats) / 1000, 0.0, 0.0]
    assert geodesic_lengths_km(geoms) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("reverse", [False, True], ids=["ccw", "cw"])
def test_area_is_positive_whatever_the_winding_and_holes_are_taken_out(reverse):
    outer, inner = (SQUARE[::-1], HOLE) if reverse else (SQUARE, HOLE[::-1])
    polygon = shapely.Polygon(outer, [inner])
    area, perimeter = geodesic_areas_km2([polygon])
    assert area[0] == pytest.approx(area_km2(SQUARE) - area_km2(HOLE), rel=1e-9)
    assert perimeter[0] == pytest.approx(perimeter_km(SQUARE) + perimeter_km(HOLE), rel=1e-9)
    assert 990 < area[0] < 1000  # 0.5° × 0.3° at 55°N: 32 km × 33 km, less a 6 km × 11 km hole


def test_a_collection_counts_each_kind_of_part():
    collection = shapely.GeometryCollection(
        [shapely.Polygon(SQUARE), shapely.LineString(LINE), shapely.Point(0, 0)]
    )
    (length,) = geodesic_lengths_km([collection])
    (area,), _ = geodesic_areas_km2([collection])
    assert length == pytest.approx(geodesic_lengths_km([shapely.LineString(LINE)])[0])
    assert area == pytest.approx(area_km2(SQUARE), rel=1e-9)


def test_empty_input_gives_empty_arrays():
    assert geodesic_lengths_km([]).shape == (0,)
    areas, perimeters = geodesic_areas_km2(np.array([], dtype=object))
    assert areas.shape == perimeters.shape == (0,)
