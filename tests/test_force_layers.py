"""Forces on the map (#18): symbols from SIDCs, a laydown as of a date, ranges, user units."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from cli import main
from exports.formats import export
from geo.errors import DataFileError, FileInputError, GeoInputError
from geo.forces import as_of, forces
from geo.territories import distance_to_territory
from layers.catalogue import CATALOGUE, build
from layers.force_layers import DISTANCES_TO
from layers.labels import CANDIDATES, GAP_PX, SYMBOL_BOX_PX, place_labels
from layers.scenes import caption, scene
from layers.style import SYMBOL_SIZE_PX
from layers.symbols import DRAW_JS, MILSYMBOL_JS, symbol
from layers.user_layers import read_user_specs
from tests.test_forces import SEED_UNITS
from ui.link import MapState, from_query, to_query
from webmap.render import layer_data

WGS84 = Geod(ellps="WGS84")


# -- the data ------------------------------------------------------------------------------


def test_the_seeds_units_are_in_the_data_each_cited_and_each_symbol_drawable():
    table = forces().set_index("id")
    assert set(table.index) >= SEED_UNITS
    for ident, unit in table.iterrows():
        assert len(unit["citation"]) > 20, ident
        drawn = symbol(unit["sidc"])
        assert drawn.svg.startswith("<svg") and drawn.width > 10 and drawn.height > 10, ident


def test_the_symbols_standard_identities_are_the_sides():
    """The fourth digit of a SIDC is its standard identity: 6 hostile, 3 friend, 4 neutral."""
    identity = {"RU": "6", "NATO": "3", "BY": "4"}
    for unit in forces().to_dict("records"):
        assert unit["sidc"][3] == identity[unit["side"]], unit["id"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_server_draws_each_symbol_exactly_as_milsymbol_does_in_node(tmp_path):
    """The same file, run by node rather than our V8: the same SVG, size and anchor."""
    sidcs = sorted(set(forces()["sidc"]))
    script = tmp_path / "draw.js"
    script.write_text(
        f"var window = globalThis, self = globalThis;\n"
        f"globalThis.ms = require({json.dumps(str(MILSYMBOL_JS))});\n"
        f"{DRAW_JS.read_text()}\n"
        f"console.log(JSON.stringify({json.dumps(sidcs)}.map(function (s) {{"
        f" return JSON.parse(atlasSymbol(s, {SYMBOL_SIZE_PX})); }})));\n"
    )
    drawn = json.loads(
        subprocess.run(["node", str(script)], capture_output=True, text=True, check=True).stdout
    )
    for sidc, node in zip(sidcs, drawn, strict=True):
        ours = symbol(sidc, SYMBOL_SIZE_PX)
        assert node["valid"] and ours.svg == node["svg"], sidc
        assert (ours.width, ours.height, ours.anchor) == (
            node["width"],
            node["height"],
            (node["x"], node["y"]),
        )


def test_a_symbol_milsymbol_cannot_draw_is_a_clear_error():
    with pytest.raises(GeoInputError, match=r"10061000179999990000.*cannot draw"):
        symbol("10061000179999990000")
    with pytest.raises(GeoInputError, match="not 20 digits"):
        symbol("SHGPUCIZ--*****")


def test_a_missing_milsymbol_says_to_run_make(monkeypatch, tmp_path):
    import layers.symbols as symbols

    monkeypatch.setattr(symbols, "MILSYMBOL_JS", tmp_path / "milsymbol.js")
    monkeypatch.setattr(symbols, "_CONTEXT", [])
    symbols.symbol.cache_clear()
    try:
        with pytest.raises(DataFileError, match="make"):
            symbols.symbol("10031000001211000000")
    finally:
        symbols.symbol.cache_clear()


# -- the laydown as of a date --------------------------------------------------------------


def _shown(day: str) -> set[str]:
    return set(build("forces", as_of_date=day).features["id"])


@pytest.mark.parametrize(
    ("unit", "first_day"),
    [("efp_lithuania", "2017-02-07"), ("efp_poland", "2017-04-13"), ("efp_latvia", "2017-06-19")],
)
def test_a_unit_is_shown_from_its_first_day_and_not_the_day_before(unit, first_day):
    day = dt.date.fromisoformat(first_day)
    assert unit in _shown(first_day)
    assert unit not in _shown((day - dt.timedelta(days=1)).isoformat())


def test_units_without_dates_are_always_shown_and_hidden_units_stay_in_the_data():
    assert "polonez_brigade" in _shown("1995-01-01")
    assert _shown("2017-03-01") == {
        "yelnia_regiment",
        "klintsy_regiment",
        "efp_lithuania",
        "polonez_brigade",
    }
    assert set(forces()["id"]) >= SEED_UNITS  # hidden, not deleted


def test_an_empty_date_is_today_and_a_bad_one_is_refused():
    today = dt.datetime.now(dt.UTC).date()
    assert _shown("") == set(as_of(forces(), today)["id"])
    with pytest.raises(GeoInputError, match="not a date"):
        build("forces", as_of_date="1 March 2017")
    with pytest.raises(GeoInputError, match="1900"):
        build("forces", as_of_date="1066-10-14")


# -- distances as ranges --------------------------------------------------------------------


def _sampled_range_km(lon: float, lat: float, radius_km: float, code: str) -> tuple[float, float]:
    """Nearest and farthest distance to a territory over the disc, by brute force: the
    centre and 720 points on each of 40 circles filling the disc (pyproj's Geod)."""
    lons, lats = [lon], [lat]
    for r in np.linspace(radius_km / 40, radius_km, 40):
        az = np.linspace(0, 360, 720, endpoint=False)
        x, y, _ = WGS84.fwd(np.full(720, lon), np.full(720, lat), az, np.full(720, r * 1000))
        lons += list(x)
        lats += list(y)
    d = distance_to_territory(np.array(lons), np.array(lats), code).distance_m / 1000
    return float(d.min()), float(d.max())


@pytest.mark.parametrize("ident", ["yelnia_regiment", "klintsy_regiment", "efp_lithuania"])
def test_each_range_is_the_nearest_and_farthest_point_of_the_disc(ident):
    unit = build("forces", as_of_date="2020-01-01").features.set_index("id").loc[ident]
    side_codes = DISTANCES_TO[unit["side"]]
    for code in side_codes:
        key = code.replace("-", "_")
        near, far = _sampled_range_km(
            unit.geometry.x, unit.geometry.y, unit["uncertainty_km"], code
        )
        assert unit[f"to_{key}_km_min"] == pytest.approx(near, abs=0.05), code
        assert unit[f"to_{key}_km_max"] == pytest.approx(far, abs=0.05), code
        assert unit[f"to_{key}_km_min"] < unit[f"to_{key}_km"] < unit[f"to_{key}_km_max"]


def test_the_popup_states_the_range_its_dates_and_its_source():
    label = (
        build("forces", as_of_date="2020-01-01")
        .features.set_index("id")
        .loc["klintsy_regiment", "label"]
    )
    assert "since 2016-01-12" in label and "within ⟦km1:5.0⟧" in label
    assert "to Belarus: ⟦km:" in label and ", from ⟦km1:" in label
    assert "source: Jamestown 2019: 'and the other at Klintsy" in label


def test_the_uncertainty_discs_are_geodesic_with_the_units_radius():
    discs = build("force_uncertainty", as_of_date="2020-01-01").features.set_index("id")
    disc = discs.loc["efp_latvia"]
    lon, lat = disc.geometry.centroid.x, disc.geometry.centroid.y
    edge = np.asarray(disc.geometry.exterior.coords)
    _, _, d = WGS84.inv(np.full(len(edge), 24.33678), np.full(len(edge), 57.0708), *edge.T)
    assert np.allclose(d, 5000.0, atol=1.0)
    assert abs(lon - 24.33678) < 0.01 and abs(lat - 57.0708) < 0.01


# -- on the page ----------------------------------------------------------------------------


def test_the_page_gets_each_units_symbol_and_not_the_library():
    spec = CATALOGUE["forces"]
    data = json.loads(layer_data(spec, build("forces", as_of_date="2020-01-01")))
    styles = [s for s in data["s"] if "symbol" in s]
    assert {s["sidc"] for s in styles} == set(forces()["sidc"])
    for style in styles:
        drawn = symbol(style["sidc"], SYMBOL_SIZE_PX)
        assert style["symbol"] == [drawn.svg, drawn.width, drawn.height, *drawn.anchor]
    assert "ms.Symbol" not in json.dumps(data)  # no library: the drawings themselves
    assert len(json.dumps(data)) < 30_000


def test_a_unit_label_keeps_clear_of_its_symbol():
    """Python's placement (the PNG's, mirrored by the page's) puts the name beside the symbol
    box, not over it: a label that would fit at a point's gap goes further out."""
    chosen, boxes = place_labels(
        np.array([[500.0, 300.0]]),
        np.array([[120.0, 14.0]]),
        ["symbol"],
        ["Unit"],
        (0, 0, 1000, 600),
    )
    assert chosen[0] == 0
    x0 = boxes[0][0]
    assert x0 == pytest.approx(500 + CANDIDATES["symbol"][0][2] * GAP_PX)
    assert x0 >= 500 + SYMBOL_BOX_PX[2]  # right of the symbol's box
    # A label after it whose every spot lies on the symbol is left out; beside a plain
    # point (a 4 px dot kept clear) the same label is placed.
    anchors = np.array([[500.0, 300.0], [505.0, 295.0]])
    sizes = np.array([[120.0, 14.0], [20.0, 10.0]])
    frame = (0, 0, 1000, 600)
    on_symbol, _ = place_labels(anchors, sizes, ["symbol", "line"], ["Unit", "x"], frame)
    on_dot, _ = place_labels(anchors, sizes, ["point", "line"], ["Unit", "x"], frame)
    assert on_symbol.tolist() == [0, -1] and on_dot[1] >= 0


# -- the link, scenes and the command line -------------------------------------------------


def test_today_in_a_scene_that_sets_a_date_stays_today_in_the_link():
    state, _ = from_query({"scene": "forces_2017"})
    today = replace(state, as_of="")
    assert to_query(today)["as_of"] == "today"
    assert from_query(to_query(today))[0].as_of == ""
    assert from_query({"scene": "forces_today", "as_of": "today"})[0].as_of == ""


def test_the_link_keeps_the_date_and_reports_a_bad_one():
    state = MapState(as_of="2017-03-01")
    assert to_query(state)["as_of"] == "2017-03-01"
    back, problems = from_query(to_query(state))
    assert back.as_of == "2017-03-01" and problems == []
    assert back.layer_params("forces") == {"as_of_date": "2017-03-01"}
    back, problems = from_query({"as_of": "2017-02-30"})
    assert back.as_of == "" and problems == ["as-of date '2017-02-30' is not a date (YYYY-MM-DD)"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert MapState().layer_params("forces") == {"as_of_date": today}
    assert "as_of" not in to_query(MapState())


def test_a_scene_sets_its_date_and_a_link_to_it_opens_on_that_date():
    assert scene("forces_2017").as_of == "2017-03-01"
    assert scene("forces_today").as_of == ""
    assert scene("overview").as_of is None
    state, _ = from_query({"scene": "forces_2017"})
    assert state.as_of == "2017-03-01"
    shown_today = len(as_of(forces(), dt.datetime.now(dt.UTC).date()))
    assert f"({shown_today} units)" in caption(scene("forces_today"))


def test_export_as_of_a_date_carries_the_symbol_code_dates_radius_and_source(tmp_path, capsys):
    out = tmp_path / "units.geojson"
    assert main(["export", "--out", str(out), "--layers", "forces", "--as-of", "2017-03-01"]) == 0
    features = json.loads(out.read_text())["features"]
    assert {f["properties"]["id"] for f in features} == {
        "yelnia_regiment",
        "klintsy_regiment",
        "efp_lithuania",
        "polonez_brigade",
    }
    lit = next(f["properties"] for f in features if f["properties"]["id"] == "efp_lithuania")
    assert lit["sidc"] == "10031004161211023900" and lit["from"] == "2017-02-07"
    assert lit["uncertainty_km"] == 2.0 and "jfcbs.nato.int" in lit["citation"]
    assert main(["export", "--out", str(out), "--layers", "forces", "--as-of", "2017-3-1"]) == 2
    assert "as-of date '2017-3-1' is not a date" in capsys.readouterr().err


def test_gpkg_and_csv_keep_the_units_fields(tmp_path):
    import geopandas as gpd

    export(
        tmp_path / "u.gpkg", layer_ids=["forces"], params={"forces": {"as_of_date": "2020-01-01"}}
    )
    table = gpd.read_file(tmp_path / "u.gpkg")
    assert {"sidc", "from", "to", "uncertainty_km", "citation"} <= set(table.columns)
    assert set(table["sidc"].dropna()) == set(forces()["sidc"])

    import csv

    export(
        tmp_path / "u.csv",
        layer_ids=["forces"],
        unit="mi",
        params={"forces": {"as_of_date": "2020-01-01"}},
    )
    rows = [r for r in csv.reader((tmp_path / "u.csv").open()) if r and r[0] == "unit"]
    by_field = {(r[1], r[2]): (r[3], r[4]) for r in rows}
    klintsy = (
        build("forces", as_of_date="2020-01-01").features.set_index("id").loc["klintsy_regiment"]
    )
    name = klintsy["name"]
    assert by_field[(name, "sidc")] == ("10061000171211020000", "")
    assert by_field[(name, "from")] == ("2016-01-12", "")
    assert by_field[(name, "citation")][0] == klintsy["citation"]
    low_mi = klintsy["to_BY_km_min"] / 1.609344
    assert float(by_field[(name, "to_BY_min")][0]) == pytest.approx(low_mi, abs=1e-3)
    assert by_field[(name, "to_BY_min")][1] == "mi"


# -- a user's forces ------------------------------------------------------------------------


def test_a_users_points_with_a_sidc_are_drawn_as_their_symbols():
    data = (
        b"name,lat,lon,SIDC,from,uncertainty_km\n"
        b"Recce squadron,54.9,25.6,10031000141211000000,2024-01-01,3\n"
        b"Plain point,54.0,26.0,,,\n"
    )
    (spec,), _ = read_user_specs(data, "mine.csv")
    built = spec.build()
    assert list(built.features["role"]) == ["unit", "user_point"]
    page = json.loads(layer_data(spec, built))
    assert [s["symbol"][0] for s in page["s"] if "symbol" in s] == [
        symbol("10031000141211000000", SYMBOL_SIZE_PX).svg
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (b"Bad,54,25,10069999171211020000,,", "feature 1 \\(Bad\\): SIDC .*symbol set 99"),
        (b"Bad,54,25,10031000141211000000,2024-13-01,", "feature 1 \\(Bad\\): as-of date"),
        (b"Bad,54,25,10031000141211000000,,-3", "feature 1 \\(Bad\\): uncertainty_km -3"),
        (b"Bad,54,25,1.00310001412110e19,,", "feature 1 \\(Bad\\): SIDC .*20 digits"),
    ],
)
def test_a_bad_value_in_a_users_forces_is_one_error_naming_the_feature(row, message):
    data = b"name,lat,lon,sidc,from,uncertainty_km\n" + row + b"\n"
    with pytest.raises(FileInputError, match=message):
        read_user_specs(data, "mine.csv")


def test_the_vendored_milsymbol_is_the_pinned_one():
    pins = json.loads((Path(__file__).parents[1] / "assets" / "package.json").read_text())
    assert pins["dependencies"]["milsymbol"] == "3.0.4"
    assert 'this.version="3.0.4"' in MILSYMBOL_JS.read_text()


def test_kmz_gives_each_unit_its_symbol_as_an_icon_centred_on_its_position(tmp_path):
    import io
    import re
    import zipfile

    from PIL import Image

    out = tmp_path / "units.kmz"
    assert main(["export", "--out", str(out), "--layers", "forces,borders"]) == 0
    archive = zipfile.ZipFile(out)
    assert archive.namelist()[0] == "doc.kml"  # the document Google Earth opens
    doc = archive.read("doc.kml").decode()
    hrefs = re.findall(r"<IconStyle>.*?<href>([^<]+)</href>", doc, re.S)
    today = as_of(forces(), dt.datetime.now(dt.UTC).date())
    assert len(hrefs) == len(today)  # one a unit; territories keep their line styles
    assert set(hrefs) == {f"files/{s}.png" for s in today["sidc"]} <= set(archive.namelist())
    # The hostile regiment's mechanized-infantry cross meets at the frame's centre, the
    # unit's position: the icon's centre is black, and below it the hostile fill.
    icon = Image.open(io.BytesIO(archive.read("files/10061000171211020000.png"))).convert("RGBA")
    w, h = icon.size
    assert w == h and icon.getpixel((w // 2, h // 2))[:3] == (0, 0, 0)
    assert icon.getpixel((w // 2, h // 2 + 20)) == (255, 128, 128, 255)


def test_the_png_draws_the_units_symbols_on_the_map_and_explains_them(tmp_path):
    """milsymbol's fills (light red hostile, light blue friendly, light green neutral) on the
    map's side of the page, where only the symbols have those colours."""
    from PIL import Image

    out = tmp_path / "units.png"
    assert main(["export", "--out", str(out), "--layers", "borders,forces"]) == 0
    image = np.asarray(Image.open(out).convert("RGB"))
    map_side = image[:, : int(image.shape[1] * 0.7)]

    def pixels(rgb: tuple[int, int, int]) -> int:
        return int((map_side == rgb).all(axis=2).sum())

    assert pixels((255, 128, 128)) > 200  # two hostile regiments
    assert pixels((128, 224, 255)) > 400  # four friendly battlegroups
    assert pixels((170, 255, 170)) > 100  # the neutral brigade
    legend = image[:, int(image.shape[1] * 0.75) :]
    assert int((legend == (255, 128, 128)).all(axis=2).sum()) > 50  # the key's hostile swatch


def test_a_users_dated_units_follow_the_laydown_date_and_undated_points_stay():
    data = (
        b"name,lat,lon,sidc,from,to\n"
        b"Arrives,54.9,25.6,10031000141211000000,2024-01-01,\n"
        b"Leaves,54.5,25.0,10061000141211000000,,2023-12-31\n"
        b"Plain point,54.0,26.0,,,\n"
    )
    (spec,), _ = read_user_specs(data, "mine.csv")
    assert [p.name for p in spec.params] == ["as_of_date"]
    assert list(build(spec, as_of_date="2023-12-31").features["name"]) == ["Leaves", "Plain point"]
    assert list(build(spec, as_of_date="2024-01-01").features["name"]) == [
        "Arrives",
        "Plain point",
    ]
    (undated,), _ = read_user_specs(b"name,lat,lon,sidc\nU,54,25,10031000141211000000\n", "u.csv")
    assert undated.params == ()


def test_csv_and_kmz_take_the_units_and_leave_their_discs_as_areas(tmp_path):
    """The discs of "Where the forces may be" are areas: no unit rows, no icon, their own style."""
    import csv
    import zipfile

    layers = ["forces", "force_uncertainty"]
    params = {i: {"as_of_date": "2020-01-01"} for i in layers}
    export(tmp_path / "u.csv", layer_ids=layers, params=params)
    rows = [r for r in csv.reader((tmp_path / "u.csv").open()) if r and r[0] == "unit"]
    assert len({r[1] for r in rows}) == _units("2020-01-01")
    export(tmp_path / "u.kmz", layer_ids=layers, params=params)
    doc = zipfile.ZipFile(tmp_path / "u.kmz").read("doc.kml").decode()
    assert doc.count("<IconStyle>") == _units("2020-01-01")
    assert doc.lower().count("ff9a3d6a") >= _units("2020-01-01")  # #6a3d9a as KML's aabbggrr


def _units(day: str) -> int:
    return len(as_of(forces(), dt.date.fromisoformat(day)))


def test_a_name_that_looks_like_an_icon_style_gets_no_icon(tmp_path):
    import zipfile

    data = (
        b"name,lat,lon,sidc\n"
        b'"SYMBOL(id:""http://evil.example/x.png"")",54.9,25.6,\n'
        b"Real unit,54.5,25.0,10031000141211000000\n"
    )
    specs, _ = read_user_specs(data, "mine.csv")
    export(tmp_path / "u.kmz", layer_ids=specs)
    doc = zipfile.ZipFile(tmp_path / "u.kmz").read("doc.kml").decode()
    hrefs = re.findall(r"<href>([^<]+)</href>", doc)
    assert hrefs == ["files/10031000141211000000.png"]


def test_a_geojson_of_units_with_dates_and_numbers(tmp_path):
    """GDAL reads ISO dates in GeoJSON as dates and a radius as a number: both are kept as
    the data's own are (ISO text, km); a SIDC given as a number is refused with the fix."""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [25.6, 54.9]},
        "properties": {
            "name": "Recce",
            "sidc": "10031000141211000000",
            "from": "2024-01-01",
            "uncertainty_km": 3,
        },
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    (spec,), _ = read_user_specs(data, "units.geojson")
    unit = build(spec, as_of_date="2024-06-01").features.iloc[0]
    assert (unit["from"], unit["uncertainty_km"], unit["role"]) == ("2024-01-01", 3.0, "unit")
    assert build(spec, as_of_date="2023-12-31").features.empty
    export(tmp_path / "u.csv", layer_ids=[spec], params={spec.id: {"as_of_date": "2024-06-01"}})
    assert "unit,Recce,uncertainty,3.0,km" in (tmp_path / "u.csv").read_text()
    feature["properties"]["sidc"] = 10031000141211000000
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    with pytest.raises(FileInputError, match=r"is a number.*write it as text"):
        read_user_specs(data, "units.geojson")
