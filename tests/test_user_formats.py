"""GPX, zipped shapefiles, FlatGeobuf and KML tracks: read whole, or refused in one line.

What every reader promises (tests/test_user_layers.py) holds for these formats too; here
is what is particular to each: tracks and their times, one-point tracks, coordinates GDAL
would misread, encodings of a DBF, archives built to attack whoever unpacks them, files
cut short. And nothing is dropped without a note naming it.

Expected values come from the files' own text (the coordinates and times written in
them) or from pyproj, never from the code under test. The binary corpus entries are
written by tests/data/hostile/make_archives.py.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo.errors import FileInputError
from geo.user_layers import Limits, read_user_layer

HOSTILE = Path(__file__).parent / "data" / "hostile"
sys.path.insert(0, str(HOSTILE))
from make_archives import HRODNA, MINSK, VILNIUS, archive, towns, without  # noqa: E402


def load(filename: str, **kwargs) -> dict[str, gpd.GeoDataFrame]:
    return read_user_layer((HOSTILE / filename).read_bytes(), filename, **kwargs)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(datetime.fromisoformat(text.replace("Z", "+00:00"))).tz_convert(UTC)


def coords(geom: shapely.Geometry) -> list[tuple[float, float]]:
    return [tuple(xy) for xy in shapely.get_coordinates(geom).tolist()]


# --- KML: tracks, and what GDAL alone would misread --------------------------------------


def test_kml_tracks_are_lines_with_their_first_and_last_times():
    tracks = load("tracks.kml")["Tracks"].set_index("name")
    patrol = tracks.loc["Patrol"]
    assert patrol.geometry.geom_type == "LineString"
    assert coords(patrol.geometry) == [VILNIUS, MINSK]
    assert shapely.get_coordinates(patrol.geometry, include_z=True)[:, 2].tolist() == [120, 220]
    assert (patrol["begin"], patrol["end"]) == (utc("2017-03-01T08:00Z"), utc("2017-03-01T11:00Z"))


def test_a_one_point_track_is_a_point_at_its_time():
    """GDAL alone makes it an invalid one-point line, and the placemark is lost."""
    fix = load("tracks.kml")["Tracks"].set_index("name").loc["Fix"]
    assert fix.geometry.geom_type == "Point" and coords(fix.geometry) == [HRODNA]
    assert fix["begin"] == fix["end"] == utc("2017-03-01T12:30Z")


def test_a_multitrack_keeps_its_one_point_leg():
    legs = load("tracks.kml")["Tracks"].set_index("name").loc["Two legs"]
    parts = list(legs.geometry.geoms)
    assert [p.geom_type for p in parts] == ["LineString", "Point"]
    assert coords(parts[0]) == [VILNIUS, MINSK] and coords(parts[1]) == [HRODNA]
    assert (legs["begin"], legs["end"]) == (utc("2017-03-01T08:00Z"), utc("2017-03-01T10:00Z"))


def test_a_track_with_a_bad_position_is_dropped_and_named_with_why():
    assert load("tracks.kml")["Tracks"].attrs["notes"] == [
        "2 placemarks whose tracks have one position, read as points: "
        "'Fix' (line 10, folder 'Tracks'); 'Two legs' (line 11, folder 'Tracks')",
        "1 placemark not read: 'Bad fix' (line 16, folder 'Tracks'): its track position "
        "'23.8258 north 0' is not 'longitude latitude'",
        "1 feature without a geometry dropped: feature 4 ('Bad fix')",
    ]


def test_a_track_with_one_good_and_one_bad_position_is_not_read_at_all():
    """Not a point from the good half: the note says it was not read, and it is not."""
    kml = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">'
        b"<Document><Placemark><name>Half</name><gx:Track><when>2020-01-01T00:00:00Z</when>"
        b"<when>2020-01-01T01:00:00Z</when><gx:coord>25.2797 54.6872 0</gx:coord>"
        b"<gx:coord>27.5615 north 0</gx:coord></gx:Track></Placemark>"
        b"<Placemark><name>V</name><Point><coordinates>25.2797,54.6872</coordinates></Point>"
        b"</Placemark></Document></kml>"
    )
    frame = next(iter(read_user_layer(kml, "half.kml").values()))
    assert frame["name"].tolist() == ["V"]


def test_a_one_point_track_keeps_the_placemarks_own_time():
    """A placemark's TimeSpan is its time; the track's <when> only stands in for a missing
    one (GDAL takes the placemark's for a longer track too)."""
    kml = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">'
        b"<Document><Placemark><name>Fix</name><TimeSpan><begin>2019-01-01T00:00:00Z</begin>"
        b"<end>2019-02-01T00:00:00Z</end></TimeSpan><gx:Track><when>2020-01-01T00:00:00Z</when>"
        b"<gx:coord>23.8258 53.6884 0</gx:coord></gx:Track></Placemark></Document></kml>"
    )
    fix = next(iter(read_user_layer(kml, "fix.kml").values())).iloc[0]
    assert coords(fix.geometry) == [HRODNA]
    assert (fix["begin"], fix["end"]) == (utc("2019-01-01T00:00Z"), utc("2019-02-01T00:00Z"))


def test_notes_of_a_layer_left_empty_are_kept_and_a_file_left_empty_says_why():
    kml = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        b"<Folder><name>A</name><Placemark><name>V</name><Point><coordinates>25.2797,54.6872"
        b"</coordinates></Point></Placemark></Folder>"
        b"<Folder><name>B</name><Placemark><name>N</name><Point><coordinates>25</coordinates>"
        b"</Point></Placemark></Folder></Document></kml>"
    )
    layers = read_user_layer(kml, "two.kml")
    assert list(layers) == ["A"]
    assert "'N' (line 1, folder 'B'): its coordinates '25'" in " ".join(layers["A"].attrs["notes"])
    link = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><NetworkLink><name>Feed</name>'
        b"</NetworkLink></Document></kml>"
    )
    with pytest.raises(FileInputError, match=r"no features with a geometry.*network link.*Feed"):
        read_user_layer(link, "feed.kml")


def test_kml_coordinates_gdal_would_misread_are_dropped_and_listed_never_zero():
    """GDAL reads ``25.2797`` and an empty element as (0, 0) and ``25.2797,,54.6872`` as
    (25.2797, 0, 54.6872), without a word (measured with GDAL 3.12)."""
    frame = load("bad_coordinates.kml")["bad_coordinates"]
    assert frame["name"].tolist() == ["Vilnius", "Spaced line"]
    assert not (shapely.get_coordinates(frame.geometry.values) == 0).any()
    assert frame.attrs["notes"] == [
        "5 placemarks not read: "
        "'Letters' (line 5): its coordinates 'abc' are not 'longitude,latitude' numbers; "
        "'One number' (line 6): its coordinates '25.2797' are not 'longitude,latitude' numbers; "
        "'Empty' (line 7): its coordinates are empty; "
        "'Double comma' (line 8): its coordinates '25.2797,,54.6872' are not "
        "'longitude,latitude' numbers; "
        "'Two positions' (line 9): its point has 2 positions",
        "5 features without a geometry dropped: feature 2 ('Letters'), feature 3 "
        "('One number'), feature 4 ('Empty'), feature 5 ('Double comma'), "
        "feature 6 ('Two positions')",
    ]


def test_a_kml_line_with_spaces_after_its_commas_is_read_not_dropped():
    line = load("bad_coordinates.kml")["bad_coordinates"].set_index("name").loc["Spaced line"]
    assert coords(line.geometry) == [VILNIUS, MINSK]


def test_kml_overlays_links_and_models_are_named_in_the_notes():
    frame = load("overlays.kml")["overlays"].set_index("name")
    assert coords(frame.loc["Radar model"].geometry) == [MINSK]
    assert frame.loc["Scan"].geometry.bounds == (25.0, 54.0, 26.0, 55.0)
    assert frame.attrs["notes"] == [
        "1 network link not read (linked files are never fetched): 'Live feed' (line 5)",
        "1 screen overlay not read (a picture fixed to the screen): 'Logo' (line 6)",
        "1 ground overlay: its outline is read, not its picture: 'Scan' (line 7)",
        "1 3D model drawn as a point at its location: 'Radar model' (line 8)",
    ]


def test_a_long_list_of_dropped_features_names_twenty_and_counts_the_rest():
    doc = (
        "".join(f"<Placemark><name>P{i}</name></Placemark>" for i in range(25))
        + "<Placemark><name>Here</name><Point><coordinates>25,54</coordinates></Point></Placemark>"
    )
    kml = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{doc}</Document></kml>'
    notes = next(iter(read_user_layer(kml.encode(), "many.kml").values())).attrs["notes"]
    assert notes[-1].startswith("25 features without a geometry dropped: feature 1 ('P0'), ")
    assert notes[-1].endswith("feature 20 ('P19') and 5 more")


# --- GPX -------------------------------------------------------------------------------


def test_gpx_waypoints_routes_and_tracks_become_three_layers():
    layers = load("one_point_segments.gpx")
    waypoint = layers["waypoints"].iloc[0]
    assert waypoint["name"] == "Vilnius" and coords(waypoint.geometry) == [VILNIUS]
    assert waypoint["time"] == utc("2017-03-01T07:00Z")
    route = layers["routes"].iloc[0]
    assert route.geometry.geom_type == "Point" and coords(route.geometry) == [MINSK]
    assert "1 route with one position read as a point" in layers["routes"].attrs["notes"]


def test_a_gpx_track_keeps_every_segment_and_its_times():
    """GDAL alone loses the whole track when one segment has one point (measured)."""
    tracks = load("one_point_segments.gpx")["tracks"]
    patrol = tracks.iloc[0]
    assert [g.geom_type for g in patrol.geometry.geoms] == ["LineString", "Point"]
    assert coords(patrol.geometry) == [VILNIUS, MINSK, HRODNA]
    assert (patrol["begin"], patrol["end"]) == (utc("2017-03-01T08:00Z"), utc("2017-03-01T12:30Z"))
    assert tracks.attrs["notes"] == [
        "1 track segment with one position read as a point",
        "1 feature without a geometry dropped: feature 2 ('No positions')",
    ]


def test_gpx_points_gdal_would_misread_are_left_out_and_named():
    """GDAL alone reads lat="abc" as latitude 0 and drops a waypoint without lat silently."""
    layers = load("bad_positions.gpx")
    waypoints, track = layers["waypoints"], layers["tracks"].geometry.iloc[0]
    assert [coords(g)[0] for g in waypoints.geometry] == [VILNIUS, HRODNA]
    assert waypoints.attrs["notes"] == [
        "2 points left out: waypoint 'Minsk in words' (line 4): its lat 'abc' is not a number; "
        "waypoint 'Hrodna without lat' (line 5): it has no lat"
    ]
    assert coords(track) == [VILNIUS, MINSK]
    assert layers["tracks"].attrs["notes"] == [
        "1 point left out: a point of track 'Patrol' (line 7): its lat 'north' is not a number"
    ]


def test_empty_element_tags_are_cut_whole_and_nothing_after_them():
    """expat gives an empty-element tag's end just past its "/>", where the parent's end tag
    may start: cutting a bad <Model/> must leave </Placemark> and the next placemark."""
    kml = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        b"<Placemark><name>M</name><Model/></Placemark>"
        b'<Placemark><name a=">">P</name><Point><coordinates/></Point></Placemark>'
        b"<Placemark><name>V</name><Point><coordinates>25.2797,54.6872</coordinates></Point>"
        b"</Placemark></Document></kml>"
    )
    frame = next(iter(read_user_layer(kml, "empty.kml").values()))
    assert frame["name"].tolist() == ["V"] and coords(frame.geometry.iloc[0]) == [VILNIUS]
    assert frame.attrs["notes"][-1] == (
        "2 features without a geometry dropped: feature 1 ('M'), feature 2 ('P')"
    )


LATS = st.floats(-89.9, 89.9, allow_nan=False).map(lambda v: round(v, 7))
LONS = st.floats(-179.9, 179.9, allow_nan=False).map(lambda v: round(v, 7))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.tuples(LONS, LATS), min_size=1, max_size=6, unique=True),
        min_size=1,
        max_size=4,
    )
)
def test_every_gpx_track_position_is_read_back_exactly(segments):
    """A segment's positions are distinct here: one that never moves is a zero-length line,
    which the reader repairs to a point and notes."""
    body = "".join(
        "<trkseg>"
        + "".join(f'<trkpt lat="{lat!r}" lon="{lon!r}"/>' for lon, lat in seg)
        + "</trkseg>"
        for seg in segments
    )
    gpx = (
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>t</name>{body}</trk></gpx>"
    )
    track = read_user_layer(gpx.encode(), "t.gpx")["tracks"].geometry.iloc[0]
    assert coords(track) == [p for seg in segments for p in seg]


def test_gpx_vertices_count_against_the_limit():
    pts = "".join(f'<trkpt lat="54.{i:04d}" lon="25.0"/>' for i in range(50))
    gpx = f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{pts}'
    gpx += "</trkseg></trk></gpx>"
    with pytest.raises(FileInputError, match="more than 40 vertices"):
        read_user_layer(gpx.encode(), "long.gpx", limits=Limits(max_vertices=40))


# --- zipped shapefiles -----------------------------------------------------------------


@pytest.mark.parametrize("filename", ["cp1251_cpg.zip", "cp1251_no_cpg.zip"])
def test_a_cyrillic_dbf_reads_as_the_names_written(filename):
    """GDAL alone reads a DBF with no .cpg and no code-page byte as ISO-8859-1 (measured)."""
    frame = load(filename)["towns"]
    assert frame["name"].tolist() == ["Vilnius", "Мінск", "Гродна"]
    assert [coords(g)[0] for g in frame.geometry] == [VILNIUS, MINSK, HRODNA]
    guessed = [n for n in frame.attrs["notes"] if "Windows-1251" in n]
    assert bool(guessed) == (filename == "cp1251_no_cpg.zip")


@pytest.mark.parametrize(
    ("written", "cpg", "names"),
    [
        ("CP1251", "1251", ["Мінск", "Гродна"]),
        ("CP1251", "ANSI 1251", ["Мінск", "Гродна"]),
        ("UTF-8", "65001", ["Мінск", "Гродна"]),
        ("UTF-8", "utf8", ["Мінск", "Гродна"]),
        ("CP1257", "CP1257", ["Šiauliai", "Panevėžys"]),
        ("ISO-8859-13", "ISO 8859-13", ["Šiauliai", "Panevėžys"]),
        ("CP1250", "windows-1250", ["Białystok", "Łódź"]),
        ("ISO-8859-1", "88591", ["Köln", "Tõrva"]),
    ],
)
def test_the_cpg_names_the_encoding_in_the_forms_gis_programs_write(written, cpg, names):
    frame = gpd.GeoDataFrame(
        {"name": names}, geometry=[shapely.Point(MINSK), shapely.Point(HRODNA)], crs=4326
    )
    parts = _shapefile(frame, written)
    parts = {**without(parts, ".cpg"), "layer.cpg": cpg.encode()}
    read = read_user_layer(archive(parts), "t.zip")["layer"]
    assert read["name"].tolist() == names and read.attrs["notes"] == []


def _shapefile(frame: gpd.GeoDataFrame, encoding: str = "UTF-8") -> dict[str, bytes]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(frame, Path(tmp) / "layer.shp", encoding=encoding)
        return {p.name: p.read_bytes() for p in sorted(Path(tmp).iterdir())}


def test_a_projected_shapefile_is_converted_by_its_prj():
    """UTM 35N metres (pyproj) and the .prj GDAL writes: back to the known degrees."""
    to = Transformer.from_crs(4326, 32635, always_xy=True)
    frame = gpd.GeoDataFrame(
        {"name": ["Vilnius", "Minsk"]},
        geometry=[shapely.Point(to.transform(*p)) for p in (VILNIUS, MINSK)],
        crs=32635,
    )
    read = read_user_layer(archive(_shapefile(frame)), "utm.zip")["layer"]
    got = shapely.get_coordinates(read.geometry.values)
    assert np.allclose(got, [VILNIUS, MINSK], atol=1e-9, rtol=0)
    assert any("UTM zone 35N" in note for note in read.attrs["notes"])


def test_shapefiles_in_folders_of_one_zip_are_layers_and_macos_shadows_are_skipped():
    parts = without(towns(), ".cpg")
    members = {f"a/{k}": v for k, v in parts.items()}
    members |= {f"b/roads/{k.replace('towns', 'Towns2')}": v for k, v in parts.items()}
    members["__MACOSX/a/._towns.shp"] = b"\x00\x05\x16\x07 resource fork"
    layers = read_user_layer(archive(members), "two.zip")
    assert {k: len(v) for k, v in layers.items()} == {"towns": 3, "Towns2": 3}


def test_a_zipped_shapefile_bomb_is_refused_before_unpacking():
    parts = towns()
    padded = {**parts, "towns.dbf": parts["towns.dbf"] + b" " * (25 * 2**20)}
    data = archive(padded)
    assert len(data) < 100_000
    with pytest.raises(FileInputError, match="unpacks to 25 MB, over the 20 MB limit"):
        read_user_layer(data, "bomb.zip")


def test_an_encrypted_member_is_refused_with_what_to_do():
    """Bit 0 of the flags marks a password-protected member, in both of its headers."""
    data = bytearray(archive(towns()))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    with pytest.raises(FileInputError, match=r"encrypted file .* without a password"):
        read_user_layer(bytes(data), "secret.zip")


@pytest.mark.parametrize("name", ["/etc/towns.shp", "C:towns.shp", "a\\..\\..\\towns.shp"])
def test_member_names_that_leave_the_archive_are_refused(name):
    data = archive({name: towns()["towns.shp"], "towns.shx": b"", "towns.dbf": b""})
    with pytest.raises(FileInputError, match="out of the archive: refused for safety"):
        read_user_layer(data, "evil.zip")


def test_a_shapefile_over_the_feature_limit_is_refused():
    with pytest.raises(FileInputError, match="has 3 features, over the limit of 2"):
        read_user_layer(archive(towns()), "t.zip", limits=Limits(max_features=2))


def test_the_feature_limit_counts_every_shapefile_of_a_zip_together():
    parts = towns()
    members = {f"a/{k}": v for k, v in parts.items()} | {f"b/{k}": v for k, v in parts.items()}
    with pytest.raises(FileInputError, match="has 6 features, over the limit of 5"):
        read_user_layer(archive(members), "two.zip", limits=Limits(max_features=5))


def test_one_name_in_two_cases_is_refused_rather_than_paired_wrongly():
    """Towns.shp with towns.dbf and Towns.dbf: which table goes with the shapes?"""
    parts = towns()
    members = {k.replace("towns", "Towns"): v for k, v in parts.items()}
    members["towns.dbf"] = parts["towns.dbf"]
    with pytest.raises(FileInputError, match=r"holds both 'Towns\.dbf' and 'towns\.dbf'"):
        read_user_layer(archive(members), "cases.zip")


@pytest.mark.parametrize(
    ("written", "ldid", "names", "note"),
    [
        ("UTF-8", 0x57, ["Šiauliai", "Мінск"], "its text was read as UTF-8"),
        ("CP1252", 0x57, ["Köln", "Tõrva"], "read as Windows-1252 (Western European)"),
        ("CP1251", 0xC9, ["Мінск", "Гродна"], None),  # 0xC9 declares Windows-1251
        ("CP1257", 0x00, ["Šiauliai", "Panevėžys"], "read as Windows-1257"),
    ],
)
def test_a_dbf_without_a_cpg_is_read_by_what_its_header_and_text_say(written, ldid, names, note):
    """0x57 says only "ANSI" (the writer's Windows code page); other bytes name one."""
    frame = gpd.GeoDataFrame(
        {"name": names}, geometry=[shapely.Point(MINSK), shapely.Point(HRODNA)], crs=4326
    )
    parts = without(_shapefile(frame, written), ".cpg")
    dbf = bytearray(parts["layer.dbf"])
    dbf[29] = ldid
    read = read_user_layer(archive({**parts, "layer.dbf": bytes(dbf)}), "t.zip")["layer"]
    assert read["name"].tolist() == names
    notes = " ".join(read.attrs["notes"])
    assert (note in notes) if note else notes == ""


@pytest.mark.parametrize("cpg", [b"UTF-16", b"rot13", b"base64"])
def test_a_cpg_that_names_no_text_encoding_a_dbf_can_hold_is_noted_and_guessed(cpg):
    parts = {**without(towns(), ".cpg"), "towns.cpg": cpg}
    frame = read_user_layer(archive(parts), "t.zip")["towns"]
    assert frame["name"].tolist() == ["Vilnius", "Мінск", "Гродна"]
    assert "its .cpg names an encoding not known here" in frame.attrs["notes"][0]


def test_an_empty_prj_is_noted_and_the_degrees_read():
    frame = read_user_layer(archive({**towns(), "towns.prj": b"  \n"}), "t.zip")["towns"]
    assert [coords(g)[0] for g in frame.geometry] == [VILNIUS, MINSK, HRODNA]
    assert "its .prj is empty" in frame.attrs["notes"][0]


# --- FlatGeobuf -----------------------------------------------------------------------


def test_a_flatgeobuf_in_utm_is_read_in_wgs84():
    to = Transformer.from_crs(4326, 32635, always_xy=True)
    frame = gpd.GeoDataFrame(
        {"name": ["Vilnius", "Minsk"], "rank": [1, 2]},
        geometry=[shapely.Point(to.transform(*p)) for p in (VILNIUS, MINSK)],
        crs=32635,
    )
    buf = io.BytesIO()
    pyogrio.write_dataframe(frame, buf, driver="FlatGeobuf", layer="sites")
    read = read_user_layer(buf.getvalue(), "sites.fgb")["sites"].sort_values("rank")
    assert read["name"].tolist() == ["Vilnius", "Minsk"]
    got = shapely.get_coordinates(read.geometry.values)
    assert np.allclose(got, [VILNIUS, MINSK], atol=1e-9, rtol=0)


def test_a_truncated_flatgeobuf_keeps_what_reads_and_says_so():
    frame = load("truncated.fgb")["truncated"]
    assert frame["name"].tolist() == ["Vilnius", "Minsk"]
    assert [coords(g)[0] for g in frame.geometry] == [VILNIUS, MINSK]
    assert frame.attrs["notes"] == [
        "the file declares 3 features but only the first 2 could be read: it is damaged or "
        "truncated"
    ]


def test_a_flatgeobuf_over_the_feature_limit_is_refused_not_cut():
    frame = gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(10)]},
        geometry=[shapely.Point(25 + i / 10, 54) for i in range(10)],
        crs=4326,
    )
    buf = io.BytesIO()
    pyogrio.write_dataframe(frame, buf, driver="FlatGeobuf", layer="x")
    with pytest.raises(FileInputError, match="has 10 features, over the limit of 5"):
        read_user_layer(buf.getvalue(), "x.fgb", limits=Limits(max_features=5))


def test_a_flatgeobuf_of_another_version_is_refused():
    data = (HOSTILE / "truncated.fgb").read_bytes()
    with pytest.raises(FileInputError, match="FlatGeobuf version 2, and only version 3"):
        read_user_layer(data[:3] + b"\x02" + data[4:], "old.fgb")


# --- coordinate systems that would read a file on the server ----------------------------

# GDAL's WKT1 with a grid file for its datum (PROJ opens the path to shift the datum).
GRID_WKT = (
    'GEOGCS["x",DATUM["d",SPHEROID["Clarke 1866",6378206.4,294.978698213898],'
    'EXTENSION["PROJ4_GRIDS","/nonexistent/probe.gsb"]],PRIMEM["Greenwich",0],'
    'UNIT["degree",0.0174532925199433]]'
)
INIT_WKT = (
    'GEOGCS["x",DATUM["d",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
    'UNIT["degree",0.0174532925199433],EXTENSION["PROJ4","+proj=longlat +init=/nonexistent/x:y"]]'
)


@pytest.mark.parametrize(("driver", "ext"), [("FlatGeobuf", "fgb"), ("GPKG", "gpkg")])
def test_a_file_whose_crs_reads_a_grid_file_is_refused_before_gdal_reads_it(driver, ext):
    """PROJ would open the path (measured with strace), and its error would say whether
    the file exists: refused whatever the format, with one message that says neither."""
    import warnings

    from pyproj import CRS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = gpd.GeoDataFrame(
            {"name": ["a"]}, geometry=[shapely.Point(VILNIUS)], crs=CRS.from_wkt(GRID_WKT)
        )
        buf = io.BytesIO()
        pyogrio.write_dataframe(frame, buf, driver=driver, layer="x")
    with pytest.raises(FileInputError) as caught:
        read_user_layer(buf.getvalue(), f"grid.{ext}")
    assert str(caught.value) == (
        f"'grid.{ext}' declares a coordinate system that reads a grid or another file; "
        "refused for safety: save it in WGS84 (EPSG:4326) or a plain projection"
    )


@pytest.mark.parametrize("prj", [GRID_WKT, INIT_WKT])
def test_a_prj_with_a_grid_or_init_file_in_an_extension_is_refused(prj):
    data = archive({**without(towns(), ".prj"), "towns.prj": prj.encode()})
    with pytest.raises(FileInputError, match="refers to a file, a grid or a URL"):
        read_user_layer(data, "g.zip")


def test_web_mercator_with_its_null_grid_reads_and_a_real_grid_after_it_does_not():
    """EPSG:3857's WKT1 carries +nadgrids=@null, PROJ's built-in grid that reads nothing;
    '@null,/path' would still read /path."""
    import warnings

    from pyproj import CRS, Transformer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mercator = CRS.from_epsg(3857).to_wkt("WKT1_GDAL")
    assert "+nadgrids=@null" in mercator
    to = Transformer.from_crs(4326, 3857, always_xy=True)
    frame = gpd.GeoDataFrame(
        {"name": ["Vilnius"]}, geometry=[shapely.Point(to.transform(*VILNIUS))], crs=3857
    )
    parts = {**without(_shapefile(frame), ".prj"), "layer.prj": mercator.encode()}
    read = read_user_layer(archive(parts), "m.zip")["layer"]
    assert np.allclose(shapely.get_coordinates(read.geometry.values), [VILNIUS], atol=1e-9)
    poisoned = mercator.replace("+nadgrids=@null", "+nadgrids=@null,/nonexistent/x.gsb")
    with pytest.raises(FileInputError, match="refers to a file, a grid or a URL"):
        read_user_layer(archive({**parts, "layer.prj": poisoned.encode()}), "m.zip")


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "kmz", "csv", "png", "html"])
def test_a_track_of_a_line_and_a_point_exports_in_every_format(tmp_path, fmt):
    """A GPX track with a one-point segment is a collection (a line and a point): the
    GeoPackage writer once had no table type for it."""
    from cli import main as cli_main

    out = tmp_path / f"tracks.{fmt}"
    gpx = str(HOSTILE / "one_point_segments.gpx")
    assert cli_main(["export", "--out", str(out), "--layers", "sites", "--user-layer", gpx]) == 0
    if fmt == "gpkg":
        tracks = gpd.read_file(
            out, layer=next(n for n, _ in pyogrio.list_layers(out) if "tracks" in n)
        )
        assert [g.geom_type for g in tracks.geometry] == ["GeometryCollection"]
        assert coords(tracks.geometry.iloc[0]) == [VILNIUS, MINSK, HRODNA]
    assert out.stat().st_size > 0
