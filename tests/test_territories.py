"""The committed territories: complete, valid, a clean coverage, lakes filled, exact distances."""

import itertools

import pytest
import shapely

from geo.errors import UnknownNameError
from geo.nearest import REGION_BOUNDS
from geo.territories import distance_to_territory, resolve_territory, territory_geometry

REQUIRED = [
    "BY",
    "LT",
    "LV",
    "EE",
    "PL",
    "UA",
    "RU",
    "RU-KGD",
    "DE",
    "CZ",
    "SK",
    "FI",
    "SE",
    "MD",
    "RO",
]


def test_every_required_territory_is_present_once_and_kaliningrad_is_its_own(analysis):
    assert sorted(analysis.index) == sorted(REQUIRED)
    assert analysis.loc["RU-KGD", "country"] == "RU"


@pytest.mark.parametrize("level", ["analysis", "display"])
def test_geometries_are_valid_polygons_in_wgs84_within_the_region(level, request):
    gdf = request.getfixturevalue(level)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.is_valid.all()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    west, south, east, north = REGION_BOUNDS
    minx, miny, maxx, maxy = gdf.total_bounds
    assert (
        minx >= west - 1e-9
        and miny >= south - 1e-9
        and maxx <= east + 1e-9
        and maxy <= north + 1e-9
    )


@pytest.mark.parametrize("level", ["analysis", "display"])
def test_territories_do_not_overlap(level, request):
    gdf = request.getfixturevalue(level)
    for a, b in itertools.combinations(gdf.index, 2):
        overlap = shapely.intersection(gdf.geometry[a], gdf.geometry[b]).area
        assert overlap < 1e-8, f"{a} and {b} overlap by {overlap:.2e} square degrees"


@pytest.mark.parametrize(
    ("code", "lon", "lat", "place"),
    [
        ("BY", 27.5667, 53.9, "Minsk"),
        ("LT", 25.2797, 54.6872, "Vilnius"),
        ("RU-KGD", 20.5109, 54.7065, "Kaliningrad"),
        ("UA", 34.1024, 44.9521, "Simferopol: Crimea follows the recognised border"),
        ("BY", 26.78, 54.86, "Lake Narach: a lake inside Belarus is Belarusian territory"),
        ("FI", 28.0, 61.3, "Lake Saimaa"),
        ("PL", 22.93, 54.10, "Suwałki"),
    ],
)
def test_places_lie_in_the_right_territory(analysis, code, lon, lat, place):
    holders = [c for c in analysis.index if analysis.geometry[c].contains(shapely.Point(lon, lat))]
    assert holders == [code], place


def test_kaliningrad_does_not_touch_mainland_russia(analysis):
    assert analysis.geometry["RU-KGD"].distance(analysis.geometry["RU"]) > 3  # degrees


def test_every_remaining_hole_is_another_territory_s_enclave(analysis):
    """Lake holes are filled; a hole is kept only where a neighbour's land lies in it."""
    for code, geom in analysis.geometry.items():
        for poly in shapely.get_parts(geom):
            for ring in poly.interiors:
                inside = shapely.Polygon(ring).point_on_surface()
                owners = [
                    c for c in analysis.index if c != code and analysis.geometry[c].contains(inside)
                ]
                assert owners, f"{code} keeps a hole at {inside.wkt} that no territory fills"


def test_display_level_is_far_lighter_and_stays_close_to_the_analysis_level(analysis, display):
    """Drawing only: land borders within 50 m, coasts within 2 km, islets under 5 km² that
    touch no border dropped (data/SOURCES.md; tests/test_display_borders.py measures the
    borders). Around the flank's countries the whole outline stays within ~3 km."""
    n_analysis = shapely.get_num_coordinates(analysis.geometry.values).sum()
    n_display = shapely.get_num_coordinates(display.geometry.values).sum()
    assert n_display < n_analysis / 3
    for code in ("BY", "LT", "PL", "RU-KGD"):
        # 0.05° is 3.3 km of longitude at 54°N (5.6 km of latitude).
        assert display.geometry[code].hausdorff_distance(analysis.geometry[code]) < 0.05, code


@pytest.mark.parametrize(("a", "b", "published_km"), [("BY", "LT", 640), ("PL", "LT", 104)])
def test_shared_borders_have_their_published_length(analysis, a, b, published_km, wgs84):
    """CIA World Factbook border lengths; the data's border is where both territories meet."""
    shared = shapely.intersection(analysis.geometry[a].boundary, analysis.geometry[b].boundary)
    assert wgs84.geometry_length(shared) / 1000 == pytest.approx(published_km, rel=0.05)


def test_neighbours_still_meet_on_the_display_level(analysis, display, wgs84):
    """Shared borders are simplified once, so Belarus and Lithuania still share one border
    (simplification straightens its bends, so it is somewhat shorter)."""

    def shared_km(gdf):
        line = shapely.intersection(gdf.geometry["BY"].boundary, gdf.geometry["LT"].boundary)
        return wgs84.geometry_length(line) / 1000

    assert 0.7 * shared_km(analysis) < shared_km(display) <= shared_km(analysis)


def test_vilnius_to_belarus_matches_brute_force_over_the_border(brute_border_m):
    vilnius = (25.2797, 54.6872)
    near = distance_to_territory(*vilnius, "BY")
    assert near.distance_m[0] == pytest.approx(brute_border_m(*vilnius, "BY"), abs=2.0)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BY", "BY"),
        ("blr", "BY"),
        ("Belarus", "BY"),
        ("Беларусь", "BY"),
        ("Lietuva", "LT"),
        ("Kaliningrad", "RU-KGD"),
        ("Russia", "RU"),
        ("RUS", "RU"),
        ("Polska", "PL"),
    ],
)
def test_a_territory_is_found_by_code_name_or_alias(text, code):
    assert resolve_territory(text) == code


def test_russia_means_mainland_and_kaliningrad_together():
    whole = territory_geometry("RU")
    assert whole.contains(shapely.Point(20.51, 54.71)) and whole.contains(
        shapely.Point(32.05, 54.78)
    )


def test_russia_is_the_union_of_its_parts_as_one_valid_multipolygon(analysis):
    """Its parts are disjoint, so they are collected rather than unioned; same geometry."""
    parts = analysis[analysis["country"] == "RU"].geometry.values
    whole = territory_geometry("RU")
    assert whole.is_valid and whole.geom_type == "MultiPolygon"
    assert shapely.equals(whole, shapely.union_all(parts))


def test_an_unknown_country_is_refused_with_the_valid_codes():
    with pytest.raises(UnknownNameError, match=r"unknown country 'XX'.*BY"):
        resolve_territory("XX")
