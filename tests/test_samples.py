"""Real files from other projects' test suites read as those projects say they should.

tests/data/samples/README.md gives each file's source, commit and licence; facts.json the
facts about each, derived without GDAL (the XML read with xml.etree, the DBF with a
struct reader cross-checked with pyshp, FlatGeobuf with a reader written from its
specification) and agreeing with the source projects' own tests. Coordinates in another
datum are converted by pyproj here, independently of the reader.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geo.user_layers import read_user_layer

SAMPLES = Path(__file__).parent / "data" / "samples"
FACTS = json.loads((SAMPLES / "facts.json").read_text(encoding="utf-8"))


def read(filename: str) -> dict[str, gpd.GeoDataFrame]:
    return read_user_layer((SAMPLES / filename).read_bytes(), filename)


def xy(geom: shapely.Geometry) -> list[list[float]]:
    return shapely.get_coordinates(geom).tolist()


def utc(text: str) -> pd.Timestamp:
    """A GPX or KML time; one without a zone is UTC, as GPX 1.1 defines its times."""
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def test_every_sample_is_listed_with_its_facts_and_unchanged():
    files = {p.name for p in SAMPLES.iterdir()} - {"README.md", "facts.json", "NOTICE-gpxpy.txt"}
    assert files == set(FACTS)
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name, facts in FACTS.items():
        assert f"`{name}`" in readme
        assert hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest() == facts["sha256"]


# --- GPX -------------------------------------------------------------------------------

GPX = sorted(n for n in FACTS if n.endswith(".gpx"))


@pytest.mark.parametrize("name", GPX)
def test_gpx_waypoints_are_where_and_when_the_file_says(name):
    expected = FACTS[name]["waypoints"]
    layers = read(name)
    if not expected:
        assert "waypoints" not in layers
        return
    got = layers["waypoints"]
    assert [xy(g)[0] for g in got.geometry] == [[w["lon"], w["lat"]] for w in expected]
    for row, want in zip(got.itertuples(), expected, strict=True):
        if want["name"]:
            assert row.name == want["name"]
        if want["time"]:
            assert row.time == utc(want["time"])


@pytest.mark.parametrize("name", GPX)
def test_gpx_routes_keep_every_point_and_empty_ones_are_named_as_dropped(name):
    expected = FACTS[name]["routes"]
    kept = [r for r in expected if r["n_points"]]
    layers = read(name)
    if not kept:
        assert "routes" not in layers
        return
    got = layers["routes"]
    assert [len(xy(g)) for g in got.geometry] == [r["n_points"] for r in kept]
    first = [r["first_point"] for r in kept]
    assert [xy(g)[0] for g in got.geometry] == [[p["lon"], p["lat"]] for p in first]
    for empty in (r for r in expected if not r["n_points"]):
        assert any(f"('{empty['name']}')" in note for note in got.attrs["notes"])


@pytest.mark.parametrize("name", GPX)
def test_gpx_tracks_keep_every_point_and_their_first_and_last_times(name):
    expected = [t for t in FACTS[name]["tracks"] if t["n_points"]]
    got = read(name)["tracks"]
    assert len(got) == len(expected)
    for (_, row), want in zip(got.iterrows(), expected, strict=True):
        points = xy(row.geometry)
        assert len(points) == want["n_points"]
        assert points[0] == want["first_point"] and points[-1] == want["last_point"]
        if want["first_time"]:
            assert row["begin"] == utc(want["first_time"])
            assert row["end"] == utc(want["last_time"])


def test_the_real_run_is_one_track_of_three_segments():
    run = read("gpx_togeojson_friday_evening_run.gpx")["tracks"].iloc[0]
    assert run["name"] == "Friday Evening Run"
    assert [len(part.coords) for part in run.geometry.geoms] == [4, 5, 8]


# --- KML tracks -----------------------------------------------------------------------


def test_a_gx_track_is_a_line_through_its_coordinates_with_its_times():
    facts = FACTS["kml_gx_track.kml"]["placemarks"][0]["tracks"][0]
    line = next(iter(read("kml_gx_track.kml").values())).iloc[0]
    coords = shapely.get_coordinates(line.geometry, include_z=True).tolist()
    assert len(coords) == facts["n_coord"]
    assert coords[0] == pytest.approx(facts["first_coord"])
    assert coords[-1] == pytest.approx(facts["last_coord"])
    assert (line["begin"], line["end"]) == (utc(facts["first_when"]), utc(facts["last_when"]))


def test_a_gx_multitrack_is_a_multiline_of_its_tracks_between_its_two_points():
    facts = FACTS["kml_gx_multitrack.kml"]["placemarks"]
    layer = next(iter(read("kml_gx_multitrack.kml").values()))
    assert layer["name"].tolist() == [p["name"] for p in facts]
    tour = layer.iloc[1]
    tracks = facts[1]["tracks"]
    parts = list(tour.geometry.geoms)
    assert [len(p.coords) for p in parts] == [t["n_coord"] for t in tracks]
    for part, track in zip(parts, tracks, strict=True):
        coords = shapely.get_coordinates(part, include_z=True).tolist()
        assert coords[0] == pytest.approx(track["first_coord"])
        assert coords[-1] == pytest.approx(track["last_coord"])
    assert tour["begin"] == utc(tracks[0]["first_when"])
    assert tour["end"] == utc(tracks[-1]["last_when"])
    assert xy(layer.geometry.iloc[0])[0] == facts[0]["coordinates"][:2]


# --- zipped shapefiles ----------------------------------------------------------------


def test_a_utf8_shapefile_keeps_its_cyrillic_and_tamil_names():
    facts = FACTS["shp_fiona_gre_utf8.zip"]
    grenada = read("shp_fiona_gre_utf8.zip")["gre"]
    assert len(grenada) == facts["n_features"]
    assert grenada["name_ru"].iloc[0] == "Гренада"  # Fiona's own test asserts this
    first = facts["first_coordinate"]
    assert xy(grenada.geometry.iloc[0])[0] == pytest.approx(first, abs=1e-6)
    assert grenada.attrs["notes"] == []


def test_a_latin1_shapefile_without_a_cpg_reads_as_western_ansi_and_says_so():
    """No .cpg; the DBF's byte 29 is 0x57 ("ANSI": whatever code page the writer's Windows
    had), so the text is read as Windows-1252 with a note that says how to fix it. The
    .prj is SAD69 (EPSG:4618): pyproj converts the first point from EPSG:4618 here. PROJ
    chooses its operation for the .prj's ESRI definition and for the EPSG code separately;
    the two agree within 1e-6 degrees (5 cm measured), far below the file's precision."""
    facts = FACTS["shp_ogr2osm_sp_usinas_cp1252_nocpg.zip"]
    plants = read("shp_ogr2osm_sp_usinas_cp1252_nocpg.zip")["sp_usinas"]
    assert len(plants) == facts["n_features"] == 187
    first = plants.iloc[0]
    assert (first["NOME"], first["SITUA__O"]) == ("ILHA SOLTEIRA", "EM OPERAÇÃO")
    to_wgs84 = Transformer.from_crs(4618, 4326, always_xy=True)
    expected = to_wgs84.transform(*facts["first_coordinate"])
    assert xy(first.geometry)[0] == pytest.approx(list(expected), abs=1e-6)
    assert plants.attrs["notes"] == [
        "its DBF says only 'ANSI' (the code page of the Windows that wrote it): its text was "
        "read as Windows-1252 (Western European); if names read wrong, add a .cpg: 1257 for "
        "Lithuanian or Latvian, 1250 for Polish, 1251 for Cyrillic",
        "the file is in the coordinate system, SAD69 (EPSG:4618): converted to WGS84 (EPSG:4326)",
    ]


# --- FlatGeobuf -----------------------------------------------------------------------


def test_a_flatgeobuf_in_the_british_grid_is_converted_from_its_header_crs():
    facts = FACTS["fgb_poly00_epsg27700.fgb"]
    polys = read("fgb_poly00_epsg27700.fgb")["fgb_poly00_epsg27700"]
    assert len(polys) == facts["features_count_header"] == 10
    first = polys.iloc[0]
    assert first["EAS_ID"] == facts["first_feature"]["properties"]["EAS_ID"]
    to_wgs84 = Transformer.from_crs(27700, 4326, always_xy=True)
    raw = facts["first_feature"]["first_coordinate"]
    assert xy(first.geometry)[0] == pytest.approx(list(to_wgs84.transform(*raw)), abs=1e-9)


def test_a_flatgeobuf_without_a_crs_in_degrees_is_read_as_wgs84():
    facts = FACTS["fgb_poly_landmarks.fgb"]
    landmarks = read("fgb_poly_landmarks.fgb")["fgb_poly_landmarks"]
    assert len(landmarks) == facts["features_count_header"] == 85
    assert xy(landmarks.geometry.iloc[0])[0] == facts["first_feature"]["first_coordinate"]
    assert list(landmarks.total_bounds) == pytest.approx(facts["envelope"])
