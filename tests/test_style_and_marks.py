"""One style for every drawing of a layer, and the user's marks as a built layer."""

import itertools
import math

import pytest
import shapely

from geo.gazetteer import Place
from layers.catalogue import CATALOGUE
from layers.spec import Style
from layers.style import ROLE_STYLE, TERRITORY_FILL, full_path_style, path_style
from layers.user_marks import USER_MARKS, user_marks


def place(name: str, lon: float, lat: float) -> Place:
    return Place(name, lon, lat, kind="point", country="", source="test", ref="coordinates")


def test_belarus_and_kaliningrad_are_filled_apart_from_other_territories():
    style = CATALOGUE["borders"].style
    assert path_style(style, "territory", "BY")["fillColor"] == TERRITORY_FILL["BY"][0]
    assert path_style(style, "territory", "RU-KGD")["fillOpacity"] == TERRITORY_FILL["RU-KGD"][1]
    assert path_style(style, "territory", "LT")["fillColor"] == style.fill_color


def test_a_role_overrides_the_layer_style():
    style = Style("#123456", weight=2, dash_array="4 4")
    look = path_style(style, "measure_line")
    assert look["dashArray"] == ROLE_STYLE["measure_line"]["dashArray"]
    assert look["weight"] == 3 and look["fillOpacity"] == 0


@pytest.mark.parametrize("colour", ["red", "#fff", "#12345g", "#1234567", None, 3])
def test_only_a_full_hex_colour_from_data_is_used(colour):
    assert path_style(Style("#123456"), "ring", color=colour)["color"] == "#123456"


def test_a_hex_colour_from_data_colours_line_and_fill():
    look = path_style(Style("#123456"), "ring", color="#abcdef")
    assert look["color"] == look["fillColor"] == "#abcdef"


def test_the_png_gets_every_key_with_leaflets_defaults():
    look = full_path_style(Style("#123456"), "ring")
    assert look["opacity"] == 1.0 and look["dashArray"] is None
    assert full_path_style(Style("#123456"), "border")["opacity"] == 0.8


def test_no_marks_is_an_empty_layer():
    built = USER_MARKS.build()
    assert built.features.empty and list(built.features.columns)[:3] == ["role", "name", "label"]


def test_two_clicks_make_a_ruler_along_the_geodesic(wgs84):
    a, b = place("A", 25.2797, 54.6872), place("B", 27.559, 53.9006)
    features = user_marks([a, b]).features
    assert list(features["role"]) == ["site", "site", "measure_line"]
    ruler = features.iloc[2]
    expected_km = wgs84.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000
    assert ruler["distance_km"] == pytest.approx(expected_km, abs=1e-9)
    length_m = wgs84.geometry_length(ruler.geometry)
    assert length_m / 1000 == pytest.approx(expected_km, rel=1e-6)


def test_a_single_click_is_a_point_without_a_ruler():
    features = user_marks([place("A", 25.0, 54.0)]).features
    assert list(features["role"]) == ["site"]


def test_rings_are_geodesic_circles_of_the_radii_given(wgs84):
    centre = place("Grodno", 23.83, 53.68)
    features = user_marks([], [(centre, (40.0, 120.0))]).features
    rings = features[features["role"] == "ring"]
    assert list(rings["radius_km"]) == [40.0, 120.0]
    for radius_km, disc in zip(rings["radius_km"], rings.geometry, strict=True):
        lons, lats = shapely.get_coordinates(disc.exterior).T
        distances = wgs84.inv([centre.lon] * len(lons), [centre.lat] * len(lats), lons, lats)[2]
        assert distances == pytest.approx(radius_km * 1000, abs=1.0)


def test_the_rulers_label_states_the_bearings_picked_and_its_row_has_them_all(wgs84):
    a, b = place("A", 25.2797, 54.6872), place("B", 27.559, 53.9006)
    az = wgs84.inv(a.lon, a.lat, b.lon, b.lat)[0] % 360
    ruler = user_marks([a, b], bearings=("true", "mils")).features.iloc[2]
    assert ruler["bearings"] == f"{az:03.0f}° · {az * 6400 / 360:04.0f} mils"
    assert ruler["label"].endswith(ruler["bearings"])
    assert ruler["azimuth_mils"] == pytest.approx(az * 6400 / 360)
    assert ruler["grid_azimuth_deg"] == pytest.approx(az + 1.4, abs=0.1)  # zone 35, 1.7° W
    only_true = user_marks([a, b], bearings=()).features.iloc[2]
    assert only_true["bearings"] == f"{az:03.0f}°"


def test_a_route_of_clicks_is_a_geodesic_leg_between_each_two(wgs84):
    points = [
        place(n, lon, lat)
        for n, lon, lat in (("A", 25.0, 54.0), ("B", 26.0, 55.0), ("C", 27.5, 54.2))
    ]
    features = user_marks(points, route=points).features
    route = features[features["role"] == "measure_line"]
    assert list(route["name"]) == ["Leg 1", "Leg 2"]
    lengths = [
        wgs84.inv(p.lon, p.lat, q.lon, q.lat)[2] / 1000 for p, q in itertools.pairwise(points)
    ]
    assert list(route["distance_km"]) == pytest.approx(lengths, abs=1e-9)
    assert list(route["along_km"]) == pytest.approx([lengths[0], sum(lengths)], abs=1e-9)


def test_fans_and_radials_join_the_marks_with_their_centres(wgs84):
    centre = place("Grodno", 23.83, 53.68)
    features = user_marks(
        [], fans=[(centre, (90.0, 60.0, 0.0, 40.0))], radials=[(centre, (4, 25.0, 45.0))]
    ).features
    assert list(features["role"]) == ["site", "fan", "site", "radial", "radial", "radial", "radial"]
    radials = features[features["role"] == "radial"]
    assert list(radials["azimuth_deg"]) == [45.0, 135.0, 225.0, 315.0]
    for az, line in zip(radials["azimuth_deg"], radials.geometry, strict=True):
        assert line.coords[-1] == pytest.approx(
            wgs84.fwd(centre.lon, centre.lat, az, 25_000)[:2], abs=1e-9
        )


def test_a_horizon_ring_is_at_the_smooth_earth_horizon_and_says_terrain_is_not_modelled(wgs84):
    centre = place("Grodno", 23.83, 53.68)
    features = user_marks([], horizons=[(centre, (30.0, 100.0, "radar"))]).features
    ring = features[features["role"] == "ring"].iloc[0]
    radius = 4 / 3 * 6_371_008.8
    expected_km = (math.sqrt(2 * radius * 30) + math.sqrt(2 * radius * 100)) / 1000
    assert ring["radius_km"] == pytest.approx(expected_km, rel=1e-12)
    lons, lats = shapely.get_coordinates(ring.geometry.exterior).T
    distances = wgs84.inv([centre.lon] * len(lons), [centre.lat] * len(lats), lons, lats)[2]
    assert distances == pytest.approx(expected_km * 1000, abs=1.0)
    assert ring["name"] == "Grodno radar horizon"
    assert "terrain, buildings and trees are not modelled" in ring["label"]
