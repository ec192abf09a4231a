"""Coordinates as people type them: decimal degrees, DMS and MGRS."""

import pytest
from pyproj import Transformer

from geo.coords import format_dd, format_dms, format_mgrs, parse_coordinates
from geo.errors import GeoInputError

VILNIUS_LON, VILNIUS_LAT = 25 + 16 / 60 + 47 / 3600, 54 + 41 / 60 + 14 / 3600


@pytest.mark.parametrize(
    "text",
    [
        "54°41′14″N 25°16′47″E",
        "54°41'14\"N, 25°16'47\"E",
        "54 41 14 N 25 16 47 E",
        "N 54 41 14 E 25 16 47",
        "25°16′47″E 54°41′14″N",
        "54°41′14″ 25°16′47″",
        f"{54 + 41 / 60 + 14 / 3600:.7f}, {25 + 16 / 60 + 47 / 3600:.7f}",
        f"{54 + 41 / 60 + 14 / 3600:.7f} {25 + 16 / 60 + 47 / 3600:.7f}",
        f"{54 + 41 / 60 + 14 / 3600:.7f}N {25 + 16 / 60 + 47 / 3600:.7f}E",
        "54°41.2333333′N 25°16.7833333′E",
        # What people paste (issue #19): d as the degree sign, colons, look-alike marks.
        "54d41'14\"N 25d16'47\"E",
        "54D 41' 14\" N, 25D 16' 47\" E",
        "54:41:14N 25:16:47E",
        "54:41:14, 25:16:47",
        "N54:41.2333333 E25:16.7833333",
        "54˚41′14″N 25˚16′47″E",
        "54⁰41’14”N 25⁰16’47”E",
        "54°41'14''N 25°16'47''E",
        "54°41´14″N 25°16´47″E",
        "54°41′14″N\u00a025°16′47″E",
    ],
)
def test_every_written_form_of_vilnius_gives_the_same_point(text):
    lon, lat = parse_coordinates(text)
    assert lon == pytest.approx(VILNIUS_LON, abs=1e-6)
    assert lat == pytest.approx(VILNIUS_LAT, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "lon", "lat"),
    [
        ("-33.9, 151.2", 151.2, -33.9),
        ("33°54′S 151°12′E", 151.2, -33.9),
        ("40.7128N 74.0060W", -74.006, 40.7128),
        ("0, 0", 0.0, 0.0),
        ("90, 180", 180.0, 90.0),
        ("−33.9, 151.2", 151.2, -33.9),  # U+2212 minus sign
        ("–33.9, 151.2", 151.2, -33.9),  # en dash
        ("—33.9, 151.2", 151.2, -33.9),  # em dash
        (".5, .25", 0.25, 0.5),
        ("-.5, -0.25", -0.25, -0.5),
        ("33:54S 151:12E", 151.2, -33.9),
    ],
)
def test_signs_and_hemisphere_letters(text, lon, lat):
    assert parse_coordinates(text) == pytest.approx((lon, lat), abs=1e-9)


def test_mgrs_matches_the_utm_grid_computed_by_pyproj():
    """An MGRS reference is UTM easting/northing within a 100 km square: check via pyproj."""
    ref = format_mgrs(VILNIUS_LON, VILNIUS_LAT)
    easting, northing = Transformer.from_crs(4326, 32635, always_xy=True).transform(
        VILNIUS_LON, VILNIUS_LAT
    )
    assert ref.startswith("35U")
    assert int(ref[5:10]) == int(easting) % 100_000
    assert int(ref[10:15]) == int(northing) % 100_000
    lon, lat = parse_coordinates(ref)
    assert (lon, lat) == pytest.approx((VILNIUS_LON, VILNIUS_LAT), abs=2e-5)  # 1 m square


def test_mgrs_accepts_spaces_and_lower_case():
    ref = format_mgrs(VILNIUS_LON, VILNIUS_LAT)
    spaced = f"{ref[:3]} {ref[3:5]} {ref[5:10]} {ref[10:]}".lower()
    assert parse_coordinates(spaced) == pytest.approx(parse_coordinates(ref))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("95,20", "latitude 95"),
        ("54, 200", "longitude 200"),
        ("54°61′N 25°E", "minutes and seconds"),
        ("54N 25N", "two latitudes"),
        ("-54N 25E", "minus sign"),
        ("54.1 25.2 26.3", "cannot read"),
        ("", "empty"),
        ("12 apples", "cannot read"),
        ("99XZZ", "not a valid MGRS"),
        # Still ambiguous after issue #19: refused, never read as something else.
        ("54.5 – 25.3", "cannot read"),  # a dash between two numbers: minus or range?
        ("54::41N 25E", "D:M:S"),
        ("54:41:14:5N 25E", "D:M:S"),
        ("54:61N 25E", "minutes and seconds"),
        ("54 d 41 N 25 E", "cannot read"),  # a d on its own is no degree sign
        ("54 41 14 25 16 47", "cannot read"),
    ],
)
def test_bad_coordinates_name_the_problem(text, message):
    with pytest.raises(GeoInputError, match=message):
        parse_coordinates(text)


def test_lon_lat_typed_in_the_wrong_order_gets_a_hint():
    with pytest.raises(GeoInputError, match="latitude first"):
        parse_coordinates("95, 20")


def test_formats_round_trip_through_the_parser():
    lon, lat = 25.2797, 54.6872
    for text in (format_dd(lon, lat), format_dms(lon, lat)):
        assert parse_coordinates(text) == pytest.approx((lon, lat), abs=2e-5)


def test_dms_format_reads_like_an_atlas():
    assert format_dms(VILNIUS_LON, VILNIUS_LAT) == "54°41′14.0″N 025°16′47.0″E"
    assert format_dd(-74.006, 40.7128) == "40.71280°N 74.00600°W"


def test_dms_rounding_never_prints_sixty_seconds():
    assert format_dms(25.9999999, 54.9999999) == "55°00′00.0″N 026°00′00.0″E"


@pytest.mark.parametrize(("lon", "lat"), [(0.0, 89.0), (10.0, -88.0)])
def test_polar_points_use_the_ups_zones_of_mgrs(lon, lat):
    ref = format_mgrs(lon, lat)
    assert ref[0] in "ABYZ"
    assert parse_coordinates(ref) == pytest.approx((lon, lat), abs=1e-3)


@pytest.mark.parametrize(
    "text", ["0°30:00, 1°15:00", "1 2:3, 4", "54 41:14N 25 16:47E", "+33˚N;59°:.63˚E"]
)
def test_colons_mixed_with_marks_or_spaces_are_refused_not_joined(text):
    """D:M:S has colons and nothing else between its numbers: '1 2:3' once read as 12:3."""
    with pytest.raises(GeoInputError, match="as D:M:S"):
        parse_coordinates(text)
