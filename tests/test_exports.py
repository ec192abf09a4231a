"""Vector exports read back with GDAL (pyogrio): every layer, its features, types and figures."""

import csv
import dataclasses
import html
import json
import subprocess
import sys
import threading

import geopandas as gpd
import pyogrio
import pytest
import shapely

from exports import formats as exports
from geo.errors import UnknownNameError
from layers.catalogue import CATALOGUE, build
from layers.escape import csv_cell, escape_markdown, escape_text
from layers.spec import Built, LayerSpec, Style
from tests.conftest import ROOT

LAYERS = ["suwalki_gap", "astravets_rings", "sites"]
VECTOR_FORMATS = ["geojson", "gpkg", "kml", "csv"]
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The chosen layers written once in every vector format."""
    folder = tmp_path_factory.mktemp("exports")
    paths = {fmt: folder / f"atlas.{fmt}" for fmt in VECTOR_FORMATS}
    for fmt, path in paths.items():
        assert exports.export(path, layer_ids=LAYERS, unit="mi") == fmt
    return paths


def test_geojson_is_one_rfc7946_collection_with_every_layer(written, site_coords):
    data = json.loads(written["geojson"].read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "OpenStreetMap" in data["attribution"]
    gdf = pyogrio.read_dataframe(written["geojson"])
    assert gdf.crs.to_epsg() == 4326
    for layer_id in LAYERS:
        assert (gdf["layer"] == layer_id).sum() == len(build(layer_id).features)
    vilnius = gdf[(gdf["layer"] == "sites") & (gdf["name"] == "Vilnius")].geometry.iloc[0]
    assert (vilnius.x, vilnius.y) == pytest.approx(site_coords["vilnius"])  # lon, lat order


def test_geopackage_has_one_table_per_layer_with_features_and_figures(written):
    tables = {name: kind for name, kind in pyogrio.list_layers(written["gpkg"])}
    assert set(tables) == set(LAYERS)
    assert tables["sites"] == "MultiPoint"
    for layer_id in LAYERS:
        gdf = pyogrio.read_dataframe(written["gpkg"], layer=layer_id)
        assert len(gdf) == len(build(layer_id).features)
        assert (
            "OpenStreetMap"
            in pyogrio.read_info(written["gpkg"], layer=layer_id)["layer_metadata"]["DESCRIPTION"]
        )
    gap = pyogrio.read_dataframe(written["gpkg"], layer="suwalki_gap")
    assert set(gap["role"]) == {"corridor", "border", "shortest_line"}
    assert set(gap.geom_type) == {"Polygon", "MultiLineString", "LineString"}
    width_mi = build("suwalki_gap").metrics["width_km"] / 1.609344
    line = gap[gap["role"] == "shortest_line"].iloc[0]
    assert f"{width_mi:,.1f} mi" in line["description"]  # labels in the chosen unit


def test_kml_has_a_folder_per_layer_with_names_styles_and_attribution(written):
    folders = [name for name, _ in pyogrio.list_layers(written["kml"])]
    assert folders == [CATALOGUE[i].title for i in LAYERS]  # not "Astravets_nuclear_plant"
    text = written["kml"].read_text(encoding="utf-8")
    assert "<LineStyle>" in text and "<PolyStyle>" in text
    for name in folders:
        gdf = pyogrio.read_dataframe(written["kml"], layer=name)
        assert gdf["Name"].notna().all() and gdf["description"].str.contains("ODbL").all()
    assert sum(len(pyogrio.read_dataframe(written["kml"], layer=n)) for n in folders) == sum(
        len(build(i).features) for i in LAYERS
    )


def test_csv_gives_metrics_and_distances_between_the_main_sites(written, site_coords, wgs84):
    rows = list(csv.reader(written["csv"].open(encoding="utf-8")))
    assert rows[0][0].startswith("#") and "ODbL" in rows[1][0]
    body = [dict(zip(rows[2], r, strict=True)) for r in rows[3:]]
    width = next(r for r in body if r["from"] == "suwalki_gap" and r["to"] == "width")
    assert float(width["value"]) == pytest.approx(
        build("suwalki_gap").metrics["width_km"] / 1.609344, abs=0.001
    )
    assert width["unit"] == "mi"
    metrics = [r["to"] for r in body if r["table"] == "metric"]
    assert not [m for m in metrics if m.endswith(("_km", "_km2", "_deg"))], "unit-neutral names"
    pair = next(
        r
        for r in body
        if r["table"] == "distance" and r["from"] == "Vilnius" and r["to"] == "Minsk"
    )
    expected = wgs84.inv(*site_coords["vilnius"], *site_coords["minsk"])[2] / 1609.344
    assert float(pair["value"]) == pytest.approx(expected, abs=0.001)


@pytest.fixture
def hostile_layer(monkeypatch):
    """A layer whose title, place name and label are markup, as a user's upload could be."""
    features = gpd.GeoDataFrame(
        {
            "role": ["site", "ring"],
            "name": [HOSTILE, f'=HYPERLINK("http://x") {HOSTILE}'],
            "label": [f"{HOSTILE}\n⟦km:12.5⟧", "ring"],
        },
        geometry=[shapely.Point(25.28, 54.69), shapely.Point(25.28, 54.69).buffer(0.1)],
        crs=4326,
    )
    spec = LayerSpec(
        id="hostile",
        title=f"Layer {HOSTILE}",
        description="test",
        seeds=(),
        style=Style(color="#123456"),
        build=lambda: Built(features, {"width_km": 1.0}),
    )
    monkeypatch.setitem(CATALOGUE, "hostile", spec)
    return spec


@pytest.mark.parametrize("fmt", ["html", "geojson", "kml", "gpkg", "csv"])
def test_markup_in_a_place_name_comes_out_escaped(hostile_layer, tmp_path, fmt):
    path = tmp_path / f"hostile.{fmt}"
    exports.export(path, layer_ids=["hostile"], title=HOSTILE, offline=True)
    raw = path.read_bytes()
    if fmt == "html":  # rendered by a browser: HTML-escaped
        assert b"<img" not in raw and escape_text(HOSTILE).encode() in raw
    elif fmt == "geojson":  # HTML-safe JSON: no markup in the file, the exact text to readers
        assert b"<img" not in raw and b"\\u003cimg" in raw
        data = json.loads(raw)
        assert data["title"] == HOSTILE and data["features"][0]["properties"]["name"] == HOSTILE
        assert pyogrio.read_dataframe(path)["name"].iloc[0] == HOSTILE
    elif fmt == "kml":  # Google Earth renders descriptions as HTML: HTML-, then XML-escaped
        assert b"<img" not in raw
        back = pyogrio.read_dataframe(path)
        assert back["Name"].iloc[0] == html.escape(HOSTILE)
        assert html.escape(HOSTILE) in back["description"].iloc[0]
    elif fmt == "gpkg":  # a database: the exact text, bound as an SQL value
        assert pyogrio.read_dataframe(path, layer="hostile")["name"].iloc[0] == HOSTILE
    else:  # csv: a cell a spreadsheet would run as a formula is defused with a quote
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        assert rows[0] == ["# " + HOSTILE]
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_spreadsheet_formulas_are_defused():
    assert csv_cell("=1+2") == "'=1+2"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-3") == "'-3"
    assert csv_cell(-3.5) == -3.5  # numbers stay numbers
    assert csv_cell("Vilnius") == "Vilnius"


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("atlas.shp", None, "cannot export 'atlas.shp'"),
        ("atlas.txt", "xml", "choose one of"),
    ],
)
def test_unknown_formats_are_refused(tmp_path, name, fmt, message):
    with pytest.raises(UnknownNameError, match=message):
        exports.export(tmp_path / name, fmt=fmt)


def test_cli_export_writes_the_file_named_by_its_extension(tmp_path):
    out = tmp_path / "gap.geojson"
    run = subprocess.run(
        [sys.executable, "cli.py", "export", "--out", str(out), "--layers", "suwalki_gap"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert len(pyogrio.read_dataframe(out)) == len(build("suwalki_gap").features)
    bad = subprocess.run(
        [sys.executable, "cli.py", "export", "--out", str(tmp_path / "x.doc")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("![x](https://host/p.png)", r"\!\[x\]\(https\://host/p\.png\)"),
        ("**bold** $x$ :red[a]", r"\*\*bold\*\* \$x\$ \:red\[a\]"),
        ("a\\b <b>&amp;", r"a\\b \<b\>\&amp;"),
        ("two\nlines", "two lines"),
        ("Białystok – Šiauliai", "Białystok – Šiauliai"),
    ],
)
def test_markdown_is_escaped_for_streamlit(text, escaped):
    assert escape_markdown(text) == escaped


def test_a_kml_export_writes_nothing_to_stderr_on_a_server_thread(tmp_path, capfd):
    """The app exports on one of the server's threads, where GDAL printed "Layer name
    'Smolensk Gates' adjusted to 'Smolensk_Gates'" into the server's log (issue #21)."""
    path = tmp_path / "gates.kml"
    worker = threading.Thread(
        target=exports.export, args=(path,), kwargs={"fmt": "kml", "layer_ids": ["smolensk_gates"]}
    )
    worker.start()
    worker.join()
    assert path.is_file()
    assert capfd.readouterr().err == ""
    assert [name for name, _ in pyogrio.list_layers(path)] == ["Smolensk Gates"]


@pytest.mark.parametrize("fmt", ["kml", "kmz"])
def test_any_layer_title_names_its_kml_folder(monkeypatch, tmp_path, capfd, fmt):
    """GDAL refused a ":" in a KML layer's name ("Illegal characters … to form a valid
    filename"): a user's layer from "Front: north.geojson" made the export fail. Every
    layer is written under its id and its folder then takes its title."""
    titles = ["Front: north (your layer)", "a/b\\c – <d> & e?"]
    for i, title in enumerate(titles):
        spec = dataclasses.replace(CATALOGUE["sites"], id=f"titled_{i}", title=title)
        monkeypatch.setitem(CATALOGUE, spec.id, spec)
    path = tmp_path / f"titled.{fmt}"
    exports.export(path, layer_ids=["astravets_rings", "titled_0", "titled_1"])
    read = f"/vsizip/{path}/doc.kml" if fmt == "kmz" else path
    folders = [name for name, _ in pyogrio.list_layers(read)]
    assert folders == [CATALOGUE["astravets_rings"].title, *titles]
    sites = len(build("sites").features)
    assert [len(pyogrio.read_dataframe(read, layer=n)) for n in folders[1:]] == [sites, sites]
    assert capfd.readouterr().err == ""
