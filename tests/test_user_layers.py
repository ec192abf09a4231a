"""geo.user_layers: uploaded layers come back clean, or as one clear FileInputError.

The hostile corpus lives in tests/data/hostile (its README says what each file is);
large or binary cases (a million-vertex polygon, zip bombs, GeoPackages) are generated
here, in memory or in tmp_path.
"""

import http.server
import io
import json
import sqlite3
import struct
import threading
import zipfile
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
from geo.user_layers import SUPPORTED_EXTENSIONS, Limits, read_user_layer

HOSTILE = Path(__file__).parent / "data" / "hostile"
VILNIUS, MINSK, HRODNA = (25.2797, 54.6872), (27.5615, 53.9045), (23.8258, 53.6884)
XSS = "<img src=x onerror=alert(1)>"


def load(filename: str, **kwargs) -> dict[str, gpd.GeoDataFrame]:
    """Read a corpus file the way the app will: its bytes and its name."""
    return read_user_layer((HOSTILE / filename).read_bytes(), filename, **kwargs)


def only(layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    assert len(layers) == 1, list(layers)
    return next(iter(layers.values()))


def gpkg_bytes(tmp_path: Path, frames: dict[str, gpd.GeoDataFrame]) -> bytes:
    path = tmp_path / "layers.gpkg"
    for name, frame in frames.items():
        pyogrio.write_dataframe(frame, path, layer=name, append=path.exists())
    return path.read_bytes()


def points(crs: int = 4326) -> gpd.GeoDataFrame:
    """Vilnius and Minsk in ``crs``, projected by pyproj (not by the code under test)."""
    to = Transformer.from_crs(4326, crs, always_xy=True)
    xy = [to.transform(*VILNIUS), to.transform(*MINSK)]
    return gpd.GeoDataFrame(
        {"name": ["Vilnius", "Minsk"]}, geometry=[shapely.Point(p) for p in xy], crs=crs
    )


def kmz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


# --- the corpus ------------------------------------------------------------------------

# file → words the message must hold (case-insensitive).
REFUSED = {
    "malformed.geojson": ["not valid json", "line 4"],
    "not_geojson.json": ["json but not geojson", "featurecollection"],
    "topojson.json": ["not geojson", "topology"],
    "coordinates_as_text.geojson": ["feature 1", "text", "not a number"],
    "properties_as_array.geojson": ["feature 2", "properties", "list"],
    "geometry_as_text.geojson": ["feature 1", "geometry", "text"],
    "nan_coordinates.geojson": ["feature 2", "nan"],
    "infinite_coordinates.geojson": ["feature 1", "infinity"],
    "latitude_95.geojson": ["feature 1", "latitude 95", "outside wgs84"],
    "projected_undeclared.geojson": ["projected", "does not declare", "metres", "epsg:4326"],
    "crs_link.geojson": ["coordinate system", "link", "epsg:32635"],
    "all_null_geometries.geojson": ["no features with a geometry", "2 features"],
    "empty.geojson": ["empty"],
    "blank.csv": ["empty"],
    "roads.shp": [".shp", "not supported", ".geojson", ".gpkg", "zip its .shp, .shx, .dbf"],
    "setup.exe": [".exe", "not supported", ".kml", ".csv"],
    "swapped.csv": ["swapped", "'lat'", "'lon'", "row 2"],
    "bad_mgrs.csv": ["row 3", "mgrs", "not-a-grid-ref"],
    "no_coordinates.csv": ["no coordinate columns", "latitude", "mgrs", "found name"],
    "utm_as_csv.csv": ["projected", "row 2", "metres", "decimal degrees"],
    "nan_in_csv.csv": ["row 3", "'lat'", "nan"],
    "too_many_values.csv": ["row 3", "5 values", "3 columns"],
    "billion_laughs.kml": ["doctype", "refused"],
    "xxe.kml": ["doctype", "refused"],
    "malformed.kml": ["not well-formed", "line 3"],
    "not_kml.kml": ["not kml", "<gpx>"],
    "truncated.gpkg": ["not a readable geopackage", "damaged, truncated"],
    "not_a_gpkg.gpkg": ["not a geopackage"],
    "xxe.gpx": ["doctype", "gpx", "refused"],
    "billion_laughs.gpx": ["doctype", "refused"],
    "malformed.gpx": ["not well-formed gpx", "line 5"],
    "not_gpx.gpx": ["not gpx", "<kml>"],
    "latitude_95.gpx": ["feature 1", "latitude 95", "outside wgs84"],
    "traversal.zip": ["../../../tmp/towns.", "out of the archive", "refused"],
    "prj_symlink.zip": ["symbolic link", "towns.prj", "refused"],
    "prj_grid_file.zip": ["towns.shp", ".prj", "parameterfile", "refused"],
    "prj_proj_string.zip": ["towns.shp", ".prj", "not a wkt", "+proj=longlat"],
    "truncated_dbf.zip": ["towns.shp", ".dbf", "truncated", "3 records"],
    "dbf_of_another.zip": [".dbf has 1 record", ".shx 3 shapes", "do not belong together"],
    "no_dbf.zip": ["without its .dbf", ".shp, .shx and .dbf"],
    "no_shapefile.zip": ["no shapefile (.shp)"],
    "not_flatgeobuf.fgb": ["not a flatgeobuf file"],
}
# file → (layer names, feature count per layer): read cleanly; details tested below.
CLEAN = {
    "property_values_as_arrays.geojson": {"property_values_as_arrays": 1},
    "xss_name.geojson": {"xss_name": 1},
    "projected_utm35.geojson": {"projected_utm35": 2},
    "null_geometries.geojson": {"null_geometries": 2},
    "bowtie.geojson": {"bowtie": 1},
    "mgrs.csv": {"mgrs": 3},
    "decimal_comma.csv": {"decimal_comma": 2},
    "control_chars.csv": {"control_chars": 2},
    "formula_name.csv": {"formula_name": 1},
    "script_description.kml": {"script_description": 1},
    "two_folders.kml": {"Capitals": 2, "Route": 1},
    "geometry_property.geojson": {"geometry_property": 2},
    "invisible_chars.geojson": {"invisible_chars": 3},
    "cp1250.csv": {"cp1250": 2},
    "cp1257.csv": {"cp1257": 2},
    "cp1251.csv": {"cp1251": 2},
    "one_point_segments.gpx": {"waypoints": 1, "routes": 1, "tracks": 1},
    "bad_positions.gpx": {"waypoints": 2, "tracks": 1},
    "bad_coordinates.kml": {"bad_coordinates": 2},
    "tracks.kml": {"Tracks": 3},
    "overlays.kml": {"overlays": 3},
    "cp1251_cpg.zip": {"towns": 3},
    "cp1251_no_cpg.zip": {"towns": 3},
    "truncated.fgb": {"truncated": 2},
}


def test_every_corpus_file_has_an_expectation():
    files = {p.name for p in HOSTILE.iterdir()} - {"README.md", "make_archives.py"}
    assert files == set(REFUSED) | set(CLEAN)
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    assert [f for f in sorted(files) if f"`{f}`" not in readme] == []  # each is described


@pytest.mark.parametrize("filename", sorted(REFUSED))
def test_hostile_file_is_refused_with_a_one_line_message(filename):
    with pytest.raises(FileInputError) as caught:
        load(filename)
    message = str(caught.value)
    assert message.startswith(f"'{filename}'"), message
    assert "\n" not in message and "vsimem" not in message and "pyogrio" not in message
    for word in REFUSED[filename]:
        assert word in message.lower(), (word, message)


@pytest.mark.parametrize("filename", sorted(CLEAN))
def test_clean_file_reads_as_wgs84_layers_with_names(filename):
    layers = load(filename)
    assert {k: len(v) for k, v in layers.items()} == CLEAN[filename]
    for frame in layers.values():
        assert frame.crs.to_epsg() == 4326
        assert shapely.is_valid(frame.geometry.values).all()
        assert frame["name"].map(lambda s: isinstance(s, str) and s != "").all()
        bounds = frame.total_bounds
        assert -180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90


def test_markup_in_names_is_kept_verbatim_as_data():
    """The loader keeps text as data; layers.escape makes it inert where it is drawn."""
    from layers.escape import escape_text

    row = only(load("xss_name.geojson")).iloc[0]
    assert row["name"] == XSS
    assert row["note"] == "${alert(1)}`\\"
    assert row["description"] == "</script><script>alert(1)</script>"
    assert "<" not in escape_text(row["name"]) and "`" not in escape_text(row["note"])


def test_kml_script_in_description_is_kept_as_data():
    row = only(load("script_description.kml")).iloc[0]
    assert row["name"] == XSS
    assert row["description"] == "<script>alert(document.cookie)</script><b>bold</b>"


def test_property_values_that_are_arrays_become_json_text():
    row = only(load("property_values_as_arrays.geojson")).iloc[0]
    assert json.loads(row["tags"]) == ["capital", "NATO"]
    assert json.loads(row["sizes"]) == [1, 2, 3]
    assert json.loads(row["extra"]) == {"k": [1, 2]}


def test_control_characters_are_stripped_and_text_capped():
    frame = only(load("control_chars.csv"))
    assert frame["name"].tolist() == ["Vilnius[31m", '=HYPERLINK("http://x")']
    assert frame["description"].iloc[1] == "tab\tand\nnewline"  # \r\n → \n; \x0b gone
    assert len(frame["description"].iloc[0]) == 1_000
    text = "".join(frame.select_dtypes(exclude=["geometry", "number"]).astype(str).sum())
    assert not any(ch in text for ch in "\x00\x07\x0b\x1b\r")


def test_csv_formula_is_kept_as_text():
    """Spreadsheet formulas are data here; layers.escape.csv_cell guards CSV exports."""
    assert only(load("formula_name.csv"))["name"].iloc[0] == "=cmd|' /C calc'!A0"


def test_null_and_empty_geometries_are_dropped_and_listed():
    """The note names each dropped feature by its number in the file and its name."""
    frame = only(load("null_geometries.geojson"))
    assert frame["name"].tolist() == ["Vilnius", "feature 4"]  # feature 4 has no name
    assert frame.attrs["notes"] == [
        "2 features without a geometry dropped: feature 1 ('no geometry'), feature 3 ('empty line')"
    ]


def test_self_intersecting_polygon_is_repaired():
    frame = only(load("bowtie.geojson"))
    geom = frame.geometry.iloc[0]
    assert geom.is_valid and geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.5)  # two triangles of 0.25 square degrees
    assert frame.attrs["notes"] == ["1 invalid geometry repaired"]


def test_csv_decimal_commas_and_semicolons():
    frame = only(load("decimal_comma.csv"))
    assert frame.geometry.iloc[0].coords[0] == VILNIUS
    assert frame["Latitude"].tolist() == [54.6872, 53.9045]


@pytest.mark.parametrize(
    ("data", "columns"),
    [
        (
            "\ufeffLatitude,Longitude,Title\n54.6,25.2,A\n".encode(),
            ["Latitude", "Longitude", "Title"],
        ),
        ("lat\tlon\tlabel\n54.6\t25.2\tA\n".encode("utf-16"), ["lat", "lon", "label"]),
        (
            b"name,lat,lon,geometry\nA,54.6,25.2,POINT (0 0)\n",
            ["name", "lat", "lon", "geometry_in_file"],
        ),
        (b"x,mgrs,Name\n1,35ULA8910661342,A\n", ["x", "mgrs", "Name"]),
    ],
)
def test_csv_variants(data, columns):
    """A BOM, UTF-16 with tabs, a column called geometry, an x column beside MGRS."""
    frame = only(read_user_layer(data, "variant.csv"))
    assert list(frame.columns)[: len(columns)] == columns
    assert frame["name"].tolist() == ["A"]
    assert frame.geometry.iloc[0].distance(shapely.Point(25.2, 54.6)) < 0.15  # degrees


def test_csv_mgrs_lands_within_a_metre_and_a_half(wgs84):
    """MGRS at 1 m precision truncates to the square's corner: at most √2 m off."""
    frame = only(load("mgrs.csv"))
    for (lon, lat), geom in zip((VILNIUS, MINSK, HRODNA), frame.geometry, strict=True):
        assert wgs84.inv(lon, lat, geom.x, geom.y)[2] < 1.5


def test_kml_folders_become_layers():
    layers = load("two_folders.kml")
    assert layers["Capitals"]["name"].tolist() == ["Vilnius", "Minsk"]
    assert layers["Route"].geometry.iloc[0].geom_type == "LineString"


def test_kml_placemarks_bring_only_the_fields_they_set():
    """GDAL's LIBKML driver adds timestamp, tessellate, visibility ... to every placemark;
    unset, they would clutter popups and exports."""
    assert list(load("two_folders.kml")["Capitals"].columns) == [
        "Name",
        "description",
        "name",
        "geometry",
    ]
    hidden = kml_with_data({}).replace(
        b"<name>Vilnius</name>", b"<name>V</name><visibility>0</visibility>"
    )
    assert only(read_user_layer(hidden, "hidden.kml"))["visibility"].tolist() == [0]


# --- properties named like the geometry ---------------------------------------------------

RENAMED_NOTE = "geometry, geom and fid name the geometry and the feature id"


def test_properties_named_geometry_geom_or_fid_are_kept_under_new_names():
    """GDAL drops a property called "geometry"; "geom" and "fid" break a GeoPackage export.
    Any case: SQLite, under a GeoPackage, compares column names ignoring case."""
    frame = only(load("geometry_property.geojson"))
    row = frame.iloc[0]
    assert row["geometry_in_file (2)"] == "POINT (25.2797 54.6872)"  # the file's own
    assert row["geometry_in_file"] == "already taken"  # "…_in_file" was taken: not clobbered
    assert row["Geom_in_file"] == "old town" and row["FID_in_file"] == "LT-01"
    assert frame.geometry.iloc[0].coords[0] == VILNIUS
    (note,) = frame.attrs["notes"]
    assert note.startswith("3 properties renamed ('geometry' to 'geometry_in_file (2)', ")
    assert RENAMED_NOTE in note


def kml_with_data(fields: dict[str, str]) -> bytes:
    data = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in fields.items())
    return (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Placemark><name>Vilnius</name><ExtendedData>{data}</ExtendedData>"
        f"<Point><coordinates>{VILNIUS[0]},{VILNIUS[1]}</coordinates></Point>"
        "</Placemark></Document></kml>"
    ).encode()


def gpkg_with_a_geometry_column(tmp_path: Path) -> bytes:
    """A GeoPackage whose attribute table has a text column called "geometry"."""
    path = tmp_path / "sites.gpkg"
    pyogrio.write_dataframe(points().assign(geometry_text=["old town", "centre"]), path)
    with sqlite3.connect(path) as con:
        con.execute("ALTER TABLE sites RENAME COLUMN geometry_text TO geometry")
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "gpkg"])
def test_a_property_called_geometry_survives_in_every_format(fmt, tmp_path):
    feature = {"type": "Feature", "properties": {"name": "Vilnius", "geometry": "old town"}}
    point = {"type": "Point", "coordinates": list(VILNIUS)}
    data = {
        "geojson": lambda: json.dumps({**feature, "geometry": point}).encode(),
        "csv": lambda: (
            f"name,geometry,lat,lon\nVilnius,old town,{VILNIUS[1]},{VILNIUS[0]}\n".encode()
        ),
        "kml": lambda: kml_with_data({"geometry": "old town"}),
        "gpkg": lambda: gpkg_with_a_geometry_column(tmp_path),
    }[fmt]()
    frame = next(iter(read_user_layer(data, f"sites.{fmt}").values()))
    assert frame["geometry_in_file"].iloc[0] == "old town"
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(VILNIUS)
    assert any(RENAMED_NOTE in note for note in frame.attrs["notes"])


def test_renamed_columns_let_the_layer_be_written_to_a_geopackage(tmp_path):
    """Written as is, "geom" or a text "fid" makes GDAL refuse the GeoPackage."""
    props = {"name": "Vilnius", "geom": "g", "fid": "LT-01", "GEOMETRY": "x"}
    point = {"type": "Point", "coordinates": list(VILNIUS)}
    data = json.dumps({"type": "Feature", "properties": props, "geometry": point}).encode()
    frame = only(read_user_layer(data, "sites.geojson"))
    path = tmp_path / "out.gpkg"
    pyogrio.write_dataframe(frame, path, driver="GPKG")
    back = pyogrio.read_dataframe(path)
    assert back[["geom_in_file", "fid_in_file", "GEOMETRY_in_file"]].iloc[0].tolist() == [
        "g",
        "LT-01",
        "x",
    ]


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "names", "assumed"),
    [
        ("cp1250.csv", ["Białystok", "Łódź"], "Windows-1250 (Central European"),
        ("cp1257.csv", ["Šiauliai", "Panevėžys"], "Windows-1257 (Baltic"),
        ("cp1251.csv", ["Мінск", "Гродна"], "Windows-1251 (Cyrillic"),
    ],
)
def test_a_csv_in_a_windows_code_page_is_read_and_the_assumption_noted(filename, names, assumed):
    """Excel's "CSV" is in the Windows code page of the user's language. Those decode
    almost any bytes, so the loader cannot know which: it takes the one whose non-ASCII
    characters are most often letters of the region, and says so."""
    frame = only(load(filename))
    assert frame["name"].tolist() == names
    (note,) = frame.attrs["notes"]
    assert note.startswith(f"the file is not UTF-8: read as {assumed}")
    assert "check" in note and "'CSV UTF-8'" in note


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"], ids=str
)
def test_unicode_with_or_without_a_byte_order_mark_needs_no_note(encoding):
    text = "name,lat,lon\nŠiauliai,55.9349,23.3141\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes no BOM for an explicit byte order
    frame = only(read_user_layer(data, "towns.csv"))
    assert frame["name"].tolist() == ["Šiauliai"]
    assert frame.attrs["notes"] == []


def test_ascii_in_any_code_page_is_utf_8_and_needs_no_note():
    frame = only(read_user_layer(b"name,lat,lon\nVilnius,54.6872,25.2797\n", "a.csv"))
    assert frame.attrs["notes"] == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("name,lat\x00\n".encode("utf-16-le") + b"\xff", "nul bytes"),
        (b"\xef\xbb\xbfname,lat,lon\n\xff\xfe,1,2\n", "utf-8-sig byte order mark"),
        (b"name,lat,lon\n\x81\x83\x88\x90\x98,1,2\n", "nor in a windows code page"),
    ],
)
def test_text_that_no_assumed_encoding_reads_is_refused(data, words):
    """NUL bytes (binary, or UTF-16 without a BOM), a BOM the rest contradicts, and bytes
    that every candidate code page leaves undefined."""
    with pytest.raises(FileInputError) as caught:
        read_user_layer(data, "odd.csv")
    assert words in str(caught.value).lower() and "'csv utf-8'" in str(caught.value).lower()


# --- invisible characters ------------------------------------------------------------------


def test_invisible_characters_that_disguise_text_are_removed_and_counted():
    """Bidi overrides and isolates, zero-width spaces, word joiners, a stray BOM, soft
    hyphens, joiners beside Latin letters and tag characters go; they are counted."""
    frame = only(load("invisible_chars.geojson"))
    assert frame["name"].tolist() == ["Vilnius", "Minsk", "Hrodna"]
    assert frame["note"].tolist()[:2] == ["photogpj.exe", "start and end"]
    assert frame["tip"].iloc[0] == "Minsk and Hrodna"
    # 7 in feature 1; 1 joiner, 2 tags and 2 joiners at the ends in feature 2
    assert frame.attrs["notes"] == [
        "12 invisible characters removed from the text (right-to-left overrides, "
        "zero-width spaces and the like can disguise a name)"
    ]


def test_joiners_and_marks_that_scripts_and_emoji_need_are_kept():
    """ZWJ in an emoji sequence, ZWNJ in Persian, a flag's tag sequence, RLM in Hebrew."""
    row = only(load("invisible_chars.geojson")).iloc[2]
    assert row["emoji"] == "\U0001f469\u200d\U0001f4bb"
    assert row["fa"] == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    flag = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert row["flag"] == flag
    assert row["he"] == "\u05e9\u05dc\u05d5\u05dd\u200f!"


def test_invisible_characters_are_removed_from_column_and_file_names():
    data = "name,\u202elat,lon\u200b\nA,54.6,25.2\n".encode()
    frame = only(read_user_layer(data, "a.csv"))
    assert list(frame.columns)[:3] == ["name", "lat", "lon"]
    with pytest.raises(FileInputError) as caught:
        read_user_layer(b"x", "report\u202efdp.exe")
    assert str(caught.value).startswith("'reportfdp.exe' is a .exe file")


# --- coordinate systems -------------------------------------------------------------------


def test_projected_geojson_is_reprojected_to_the_known_points(wgs84):
    frame = only(load("projected_utm35.geojson"))
    for (lon, lat), geom in zip((VILNIUS, MINSK), frame.geometry, strict=True):
        assert wgs84.inv(lon, lat, geom.x, geom.y)[2] < 0.001  # metres
    (note,) = frame.attrs["notes"]
    assert "projected" in note and "UTM zone 35N (EPSG:32635)" in note


def test_a_bare_geometry_collections_crs_is_the_files_and_a_part_cannot_have_its_own(wgs84):
    """Issue #19: the crs of a top-level GeometryCollection is the whole file's."""
    x, y = Transformer.from_crs(4326, 32635, always_xy=True).transform(*VILNIUS)
    crs = {"type": "name", "properties": {"name": "EPSG:32635"}}
    point = {"type": "Point", "coordinates": [x, y]}
    doc = {"type": "GeometryCollection", "crs": crs, "geometries": [point]}
    frame = only(read_user_layer(json.dumps(doc).encode(), "g.geojson"))
    (part,) = shapely.get_parts(frame.geometry)
    assert wgs84.inv(*VILNIUS, part.x, part.y)[2] < 0.001  # metres
    inner = {**doc, "geometries": [{**point, "crs": crs}]}
    with pytest.raises(FileInputError, match="declares its own coordinate system"):
        read_user_layer(json.dumps(inner).encode(), "g.geojson")


@pytest.mark.parametrize("epsg", [3857, 32634, 4258])
def test_gpkg_in_another_crs_is_reprojected(tmp_path, wgs84, epsg):
    data = gpkg_bytes(tmp_path, {"sites": points(epsg)})
    frame = read_user_layer(data, "sites.gpkg")["sites"]
    for (lon, lat), geom in zip((VILNIUS, MINSK), frame.geometry, strict=True):
        assert wgs84.inv(lon, lat, geom.x, geom.y)[2] < 0.01
    assert f"EPSG:{epsg}" in frame.attrs["notes"][0]


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_gpkg_without_a_crs_in_metres_is_refused(tmp_path):
    data = gpkg_bytes(tmp_path, {"sites": points(32635).set_crs(None, allow_override=True)})
    with pytest.raises(FileInputError, match=r"projected coordinate system.*feature 1"):
        read_user_layer(data, "sites.gpkg")


# --- limits ----------------------------------------------------------------------------


def circle_polygon(n: int) -> dict:
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ring = np.round(np.c_[25 + np.cos(angles), 54 + np.sin(angles)], 5)
    return {"type": "Polygon", "coordinates": [[*ring.tolist(), ring[0].tolist()]]}


def test_million_vertex_polygon_is_refused():
    """1e6 + 1 coordinates in 17 MB: under the byte limit, over the vertex limit."""
    data = json.dumps(circle_polygon(1_000_000), separators=(",", ":")).encode()
    assert len(data) < Limits().max_bytes
    with pytest.raises(FileInputError, match=r"more than 1,000,000 vertices \(the limit\)"):
        read_user_layer(data, "huge.geojson")


def test_million_vertex_polygon_in_a_gpkg_is_refused(tmp_path):
    angles = np.linspace(0, 2 * np.pi, 1_000_000, endpoint=False)
    ring = shapely.Polygon(np.c_[25 + np.cos(angles), 54 + np.sin(angles)])
    data = gpkg_bytes(tmp_path, {"huge": gpd.GeoDataFrame(geometry=[ring], crs=4326)})
    assert len(data) < Limits().max_bytes
    with pytest.raises(FileInputError, match=r"more than 1,000,000 vertices"):
        read_user_layer(data, "huge.gpkg")


@pytest.mark.parametrize(("n", "ok"), [(999, True), (1_000, False)])
def test_vertex_limit_boundary(n, ok):
    """n distinct vertices + the closing one against a limit of 1,000."""
    data = json.dumps(circle_polygon(n)).encode()
    limits = Limits(max_vertices=1_000)
    if ok:
        assert len(only(read_user_layer(data, "ring.geojson", limits=limits))) == 1
    else:
        with pytest.raises(FileInputError, match="more than 1,000 vertices"):
            read_user_layer(data, "ring.geojson", limits=limits)


@pytest.mark.parametrize(
    ("filename", "limits", "words"),
    [
        ("xss_name.geojson", Limits(max_bytes=100), "over the 100 bytes limit"),
        ("null_geometries.geojson", Limits(max_features=3), "4 features, over the limit of 3"),
        ("two_folders.kml", Limits(max_features=2), "more than 2 features"),
        ("mgrs.csv", Limits(max_features=2), "more than 2 rows"),
        ("two_folders.kml", Limits(max_layers=1), "2 layers, over the limit of 1"),
    ],
)
def test_limits_are_named_in_the_message(filename, limits, words):
    with pytest.raises(FileInputError, match=words):
        load(filename, limits=limits)


def test_gpkg_layer_limit(tmp_path):
    data = gpkg_bytes(tmp_path, {f"layer{i}": points() for i in range(3)})
    assert len(read_user_layer(data, "three.gpkg")) == 3
    with pytest.raises(FileInputError, match="3 layers, over the limit of 2"):
        read_user_layer(data, "three.gpkg", limits=Limits(max_layers=2))


def test_too_many_property_names_are_refused():
    props = {f"p{i}": i for i in range(1_001)}
    point = {"type": "Point", "coordinates": [25, 54]}
    doc = {"type": "Feature", "properties": props, "geometry": point}
    with pytest.raises(FileInputError, match="more than 1,000 property names"):
        read_user_layer(json.dumps(doc).encode(), "wide.geojson")


def test_deeply_nested_json_is_refused():
    with pytest.raises(FileInputError, match="too deeply nested"):
        read_user_layer(b"[" * 200_000 + b"]" * 200_000, "deep.json")


def test_linked_crs_is_refused_before_gdal_could_fetch_it():
    """GDAL fetches a GeoJSON "link" CRS (checked: it requests the URL), at any level."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    link = {"type": "link", "properties": {"href": f"http://127.0.0.1:{server.server_port}/"}}
    point = {"type": "Point", "coordinates": [25, 54]}
    docs = [
        {"type": "FeatureCollection", "crs": link, "features": []},
        {"type": "Feature", "properties": {}, "geometry": {**point, "crs": link}},
        {**point, "crs": link},
    ]
    try:
        for doc in docs:
            with pytest.raises(FileInputError, match="coordinate system"):
                read_user_layer(json.dumps(doc).encode(), "link.geojson")
        # A duplicate key: Python keeps the last "crs", and GDAL reads what Python kept.
        twice = (
            json.dumps(link)
            + ', "crs": null, "features": ['
            + json.dumps({"type": "Feature", "properties": {}, "geometry": point})
        )
        data = ('{"type": "FeatureCollection", "crs": ' + twice + "]}").encode()
        assert len(only(read_user_layer(data, "twice.geojson"))) == 1
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


# --- KMZ -------------------------------------------------------------------------------


def test_kmz_reads_its_first_kml():
    kml = (HOSTILE / "two_folders.kml").read_bytes()
    data = kmz({"doc.kml": kml, "files/icon.png": b"\x89PNG\r\n\x1a\n"})
    assert {k: len(v) for k, v in read_user_layer(data, "route.kmz").items()} == {
        "Capitals": 2,
        "Route": 1,
    }


def test_kmz_zip_bomb_is_refused_before_unpacking():
    """25 MB of spaces packs into ~25 kB; the declared sizes are summed before reading."""
    data = kmz({"doc.kml": b"<kml>" + b" " * (25 * 2**20) + b"</kml>"})
    assert len(data) < 100_000
    with pytest.raises(FileInputError, match="unpacks to 25 MB, over the 20 MB limit"):
        read_user_layer(data, "bomb.kmz")


def test_kmz_that_lies_about_its_size_is_refused():
    """A member claiming 100 bytes but holding 1 MB stops at 100 bytes and fails its CRC."""
    data = bytearray(kmz({"doc.kml": b"<kml>" + b" " * 2**20 + b"</kml>"}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature) + offset
        data[at : at + 4] = struct.pack("<I", 100)
    with pytest.raises(FileInputError, match="not a readable KMZ"):
        read_user_layer(bytes(data), "liar.kmz")


def test_kmz_with_too_many_members_is_refused():
    data = kmz({f"f{i}.txt": b"" for i in range(1_001)})
    with pytest.raises(FileInputError, match="1,001 files, over the limit of 1,000"):
        read_user_layer(data, "many.kmz")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (kmz({"readme.txt": b"hello"}), "without a .kml file"),
        (b"PK\x03\x04 not really a zip", "not a readable kmz"),
        (kmz({"doc.kml": (HOSTILE / "xxe.kml").read_bytes()}), "doctype"),
    ],
)
def test_bad_kmz_is_refused(data, words):
    with pytest.raises(FileInputError) as caught:
        read_user_layer(data, "bad.kmz")
    assert words in str(caught.value).lower()


# --- GeoPackage ------------------------------------------------------------------------


def test_gpkg_with_a_view_is_refused_without_running_it(tmp_path):
    """A registered view could be a query without end; GDAL would run it to count rows."""
    path = tmp_path / "view.gpkg"
    pyogrio.write_dataframe(points(), path, layer="sites")
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE VIEW slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
            "FROM c WHERE x < 100000000) SELECT x AS fid, (SELECT geom FROM sites) AS geom FROM c"
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('slow', 'features', 'slow', 4326)"
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES ('slow', 'geom', 'POINT', 4326, 0, 0)"
        )
    con.close()
    with pytest.raises(FileInputError, match="views"):
        read_user_layer(path.read_bytes(), "view.gpkg")


def test_gpkg_in_wal_mode_is_read(tmp_path):
    """QGIS leaves GeoPackages in WAL mode, which in-memory SQLite cannot open as is."""
    path = tmp_path / "wal.gpkg"
    pyogrio.write_dataframe(points(), path, layer="sites")
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    con.close()
    data = path.read_bytes()
    assert data[18:20] == b"\x02\x02"
    assert read_user_layer(data, "wal.gpkg")["sites"]["name"].tolist() == ["Vilnius", "Minsk"]


def test_gpkg_attribute_tables_are_skipped(tmp_path):
    path = tmp_path / "mixed.gpkg"
    pyogrio.write_dataframe(points(), path, layer="sites")
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), path, layer="table", append=True)
    assert list(read_user_layer(path.read_bytes(), "mixed.gpkg")) == ["sites"]


def test_sqlite_database_that_is_not_a_gpkg_is_refused(tmp_path):
    path = tmp_path / "plain.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (a)")
    con.close()
    with pytest.raises(FileInputError, match=r"not a readable GeoPackage.*gpkg_contents"):
        read_user_layer(path.read_bytes(), "plain.gpkg")


# --- our own exports, read back ------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_our_export_reads_back_as_a_user_layer(tmp_path, suffix):
    from exports.formats import export, layer_frames

    ids = ["suwalki_gap", "sites"]
    path = tmp_path / f"atlas{suffix}"
    export(path, layer_ids=ids)
    layers = read_user_layer(path.read_bytes(), path.name)
    assert list(layers) == (ids if suffix == ".gpkg" else ["atlas"])
    got = pd.concat(layers.values(), ignore_index=True)
    expected = pd.concat(layer_frames(ids).values(), ignore_index=True)
    assert len(got) == len(expected)
    assert got["name"].tolist() == expected["name"].tolist()
    assert got["role"].tolist() == expected["role"].tolist()
    # A GeoPackage table of one kind is written as its multi-type (points as MultiPoint).
    base = (lambda t: t.removeprefix("Multi")) if suffix == ".gpkg" else (lambda t: t)
    assert got.geom_type.map(base).tolist() == expected.geom_type.map(base).tolist()
    assert shapely.equals(got.geometry.values, expected.geometry.values).all()
    assert all(frame.attrs["notes"] == [] for frame in layers.values())


# --- anything at all -----------------------------------------------------------------------

VALID = {name: (HOSTILE / name).read_bytes() for name in CLEAN}


@pytest.fixture(scope="module")
def valid_gpkg(tmp_path_factory) -> bytes:
    return gpkg_bytes(tmp_path_factory.mktemp("gpkg"), {"sites": points(3857)})


def outcome(data: bytes, filename: str) -> None:
    """Layers in EPSG:4326, or a one-line FileInputError naming the file: nothing else."""
    try:
        layers = read_user_layer(data, filename)
    except FileInputError as exc:
        assert "\n" not in str(exc) and filename in str(exc)
    else:
        assert layers and all(f.crs.to_epsg() == 4326 for f in layers.values())


@settings(max_examples=80, deadline=None, derandomize=True)
@given(data=st.binary(max_size=600), ext=st.sampled_from(SUPPORTED_EXTENSIONS))
def test_random_bytes_never_raise_anything_else(data, ext):
    outcome(data, f"fuzz{ext}")


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    name=st.sampled_from([*sorted(VALID), "sites.gpkg"]),
    cut=st.floats(0, 1),
    at=st.floats(0, 1),
    byte=st.integers(0, 255),
)
def test_damaged_valid_files_never_raise_anything_else(valid_gpkg, name, cut, at, byte):
    data = bytearray(valid_gpkg if name == "sites.gpkg" else VALID[name])
    data[int(at * (len(data) - 1))] = byte
    outcome(bytes(data[: max(1, int(cut * len(data)))]), name)
