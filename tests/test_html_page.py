"""Exported HTML: one file, every script inlined, the layers and controls in it, and small."""

import base64
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest
import shapely

from exports.html_page import atlas_html, squeeze
from geo.errors import DataFileError, UnknownNameError
from layers.catalogue import CATALOGUE, build
from layers.escape import escape_text
from webmap.assets import VENDOR_CSS, VENDOR_DIR, VENDOR_JS, inline_assets, inline_css
from webmap.compact import (
    ALPHABET,
    GEOMETRY_TYPES,
    REF,
    RUNTIME_JS,
    compact_layer,
    encode_paths,
    safe_json,
)
from webmap.controls import OSM_NAME, POSITRON_NAME
from webmap.vector_base import VECTOR_BASE_NAME, cities, vector_base_json

MB = 1_000_000


class _Tags(HTMLParser):
    """Every tag that could load something: ``<script src>``, ``<link href>``, ``<img src>``."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.scripts += tag == "script"
        for name in ("src", "href"):
            if values.get(name) and tag in {"script", "link", "img", "iframe"}:
                self.loads.append(values[name])


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """All layers online and offline, and two layers offline."""
    return {
        "online": atlas_html(title="Atlas online"),
        "offline": atlas_html(title="Atlas offline", offline=True),
        "two": atlas_html(["suwalki_gap", "astravets_rings"], offline=True, unit="mi"),
    }


@pytest.mark.parametrize("name", ["online", "offline", "two"])
def test_nothing_is_loaded_from_a_link(pages, name):
    tags = _tags(pages[name])
    assert tags.loads == []
    # mgrs.js only with the MGRS pointer format, jQuery never; our own script once
    assert tags.scripts >= len(VENDOR_JS) - 2 + 1


def test_every_vendored_script_and_stylesheet_is_inlined(pages):
    html = pages["offline"]
    for js in ["leaflet/leaflet.js", "leaflet-minimap/Control.MiniMap.min.js"]:
        body = (VENDOR_DIR / js).read_text(encoding="utf-8")
        assert body.splitlines()[0].replace("</script", "<\\/script") in html
    assert "sourceMappingURL" not in html
    assert ".leaflet-control-layers-toggle" in html  # leaflet.css


def test_stylesheet_images_become_data_uris():
    css = inline_css(VENDOR_CSS["Control.FullScreen.css"])
    svg = (VENDOR_DIR / "leaflet.fullscreen/icon-fullscreen.svg").read_bytes()
    assert f"data:image/svg+xml;base64,{base64.b64encode(svg).decode()}" in css
    assert "icon-fullscreen.svg" not in css
    leaflet = inline_css(VENDOR_CSS["leaflet_css"])
    assert "images/layers.png" not in leaflet and "data:image/png;base64," in leaflet


def test_a_link_that_cannot_be_inlined_is_an_error():
    with pytest.raises(DataFileError, match="not inlined"):
        inline_assets('<script src="v:/other/lib.js"></script>', "v:")


def test_offline_page_has_no_tiles_and_our_vector_base(pages):
    offline = pages["offline"]
    assert "tile.openstreetmap.org" not in offline and "cartocdn" not in offline
    assert vector_base_json() in offline  # the only base: nothing to choose in the control
    online = pages["online"]
    for name in (OSM_NAME, POSITRON_NAME, VECTOR_BASE_NAME):
        assert json.dumps(name)[1:-1] in online
    assert "tile.openstreetmap.org" in online


def test_page_has_title_legend_scale_layer_control_popups_and_attribution(pages):
    html = pages["two"]
    assert "<title>Baltic Flank Atlas</title>" in html
    assert "atlas-title" in html and "atlas-legend" in html
    assert "L.control.scale(" in html and "L.control.layers(" in html
    assert len(_layer_payloads(html)) == 2  # one Leaflet layer, with popups, per layer
    for layer_id in ("suwalki_gap", "astravets_rings"):
        assert json.dumps(CATALOGUE[layer_id].title)[1:-1] in html
    assert "Smolensk Gates" not in html  # only the chosen layers
    assert "OpenStreetMap" in html and "GeoNames" in html


def test_popups_give_distances_in_the_chosen_unit(pages):
    width_mi = build("suwalki_gap").metrics["width_km"] / 1.609344
    assert f"{width_mi:,.1f} mi" in pages["two"]


def _layer_payloads(html: str) -> list[dict]:
    """The compact data of each layer drawn by our script (``atlasGeo.layer(data, ...)``)."""
    return [json.loads(m) for m in re.findall(r"atlasGeo\.layer\((\{.*?\}), \{\"", html)]


def test_every_feature_of_the_chosen_layers_is_in_the_page(pages):
    features = [f for data in _layer_payloads(pages["two"]) for f in data["f"]]
    expected = len(build("suwalki_gap").features) + len(build("astravets_rings").features)
    assert len(features) == expected


def test_jquery_is_left_out_and_our_script_is_in_once(pages):
    for html in pages.values():
        assert "jQuery" not in html
        assert html.count(squeeze(RUNTIME_JS)) == 1  # the page's indentation is squeezed


def test_vector_base_labels_capitals_and_big_cities():
    names, points = cities()
    assert {"Minsk", "Vilnius", "Warsaw", "Riga", "Moscow"} <= set(names)
    assert len(names) == len(points) == len(set(names))
    data = json.loads(vector_base_json())
    assert [f[2] for f in data["cities"]["f"]] == [escape_text(n) for n in names]
    assert len(data["land"]["f"]) >= 10 and len(data["rivers"]["f"]) >= 10


@pytest.mark.parametrize(("name", "limit_mb"), [("online", 0.7), ("offline", 0.7)])
def test_all_layer_pages_are_small(pages, name, limit_mb):
    """Issue #8 asks for 0.6 MB (budget S1; `bench/export.py` measures it)."""
    assert len(pages[name].encode("utf-8")) < limit_mb * MB


def test_a_point_costs_under_160_bytes(pages):
    """Budget S2: the sites layer, popups included, as one compact FeatureCollection."""
    (data,) = [d for d in _layer_payloads(pages["online"]) if len(d["f"]) > 100]
    assert len(safe_json(data).encode()) / len(data["f"]) < 160


def test_braces_and_markup_in_data_stay_text():
    """branca parses a rendered script as a Jinja template again: ``{{`` must not reach it."""
    text = safe_json({"name": "{{ 7*7 }} {% x %} <script>&'", "k": 1})
    assert "{{" not in text and "{%" not in text and "<" not in text and "'" not in text
    assert json.loads(text) == {"name": "{{ 7*7 }} {% x %} <script>&'", "k": 1}
    assert "{{" not in RUNTIME_JS and "{%" not in RUNTIME_JS and "{#" not in RUNTIME_JS


def _number(text: str, i: int) -> tuple[int, int]:
    """The encoded number at ``text[i]`` and where the next one starts."""
    digits = {c: n for n, c in enumerate(ALPHABET)}
    shift = value = 0
    while True:
        bits = digits[text[i]]
        i += 1
        value |= (bits & 31) << shift
        shift += 5
        if bits < 32:
            return value, i


def _signed(value: int) -> int:
    return ~(value >> 1) if value & 1 else value >> 1


def _decode(
    text: str, k: float, cursor: list[int], arcs: list | None = None, last: list | None = None
) -> list[tuple[float, float]]:
    """An independent reading of a layer's strings (see webmap.compact): ``cursor`` is
    where the string before ended, in units; ``arcs`` the layer's arcs read before, as
    vertex lists in units, and ``last`` the index of the arc referred to last."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        if text[i] == REF:  # an arc: the index steps on from the last, odd means reversed
            value, i = _number(text, i + 1)
            last[0] += _signed(value >> 1)
            arc = arcs[last[0]][::-1] if value & 1 else arcs[last[0]]
            out += arc[1:] if out and out[-1] == arc[0] else arc
            cursor[:] = arc[-1]
            continue
        for axis in (0, 1):
            value, i = _number(text, i)
            cursor[axis] += _signed(value)
        out.append(tuple(cursor))
    return [(x / k, y / k) for x, y in out]


def _decode_layer(data: dict) -> list[dict]:
    """Every feature's GeoJSON geometry from a compact layer, read as the page reads it."""
    k, cursor, last = data["k"], [0, 0], [0]
    arcs = [[(round(x * k), round(y * k)) for x, y in _decode(s, k, cursor)] for s in data["a"]]
    depth = {"Point": 0, "MultiPoint": 0, "LineString": 0}
    depth |= {"MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}

    def nest(c: object, n: int) -> object:
        return [nest(x, n - 1) for x in c] if n else _decode(c, k, cursor, arcs, last)

    def geometry(g: object) -> dict:
        if not isinstance(g, list):  # plain GeoJSON
            return g
        kind = GEOMETRY_TYPES[g[0]]
        coords = nest(g[1], depth[kind])
        return {"type": kind, "coordinates": coords[0] if kind == "Point" else coords}

    shared = [geometry(g) for g in data["g"]]
    return [shared[f[0]] if isinstance(f[0], int) else geometry(f[0]) for f in data["f"]]


@pytest.mark.parametrize("k", [1e5, 1e4])
def test_encoded_paths_give_back_the_grid_coordinates(k):
    rng = np.random.default_rng(8)
    units = np.round(rng.uniform([5.5, 43.5], [45, 70.5], (50, 2)) * k).astype(np.int64)
    cursor = [0, 0]
    first = _decode(encode_paths([units[:20]])[0], k, cursor)
    rest = _decode(encode_paths([units[20:]], units[19])[0], k, cursor)
    assert np.allclose(first + rest, units / k, rtol=0, atol=1e-9)


def test_shared_borders_are_written_once_and_rebuilt_exactly():
    """Two squares sharing an edge: one arc for the edge, each ring rebuilt vertex for vertex."""
    a = {
        "type": "Polygon",
        "coordinates": [[[25, 54], [25.1, 54], [25.1, 54.1], [25, 54.1], [25, 54]]],
    }
    b = {
        "type": "Polygon",
        "coordinates": [[[25.1, 54], [25.2, 54], [25.2, 54.1], [25.1, 54.1], [25.1, 54]]],
    }
    data = compact_layer([a, b], [{}, {}], ["a", "b"], [["x"], ["x"]])
    assert len(data["a"]) == 1 and data["t"] == []  # "x" is too short to be worth a table
    rings = [shapely.Polygon(g["coordinates"][0]) for g in _decode_layer(data)]
    assert rings[0].equals(shapely.Polygon(a["coordinates"][0]))
    assert rings[1].equals(shapely.Polygon(b["coordinates"][0]))


def test_a_grid_of_cells_is_rebuilt_vertex_for_vertex():
    """Cells meeting three and four at a node, a hole, a cell inside it and a cell whose own
    stretch between two shared edges is a single edge: every ring comes back exactly."""
    cells = [
        shapely.box(25 + 0.1 * i, 54 + 0.1 * j, 25.1 + 0.1 * i, 54.1 + 0.1 * j)
        for i in range(3)
        for j in range(3)
    ]
    cells[4] = cells[4].difference(shapely.box(25.12, 54.12, 25.18, 54.18))
    cells.append(shapely.box(25.12, 54.12, 25.18, 54.18))
    cells.append(shapely.Polygon([(25.3, 54.0), (25.35, 54.05), (25.3, 54.1)]))
    geometries = [json.loads(shapely.to_geojson(c)) for c in cells]
    data = compact_layer(geometries, [{}] * len(cells), ["c"] * len(cells), [[]] * len(cells))
    assert data["a"] and any(REF in f[0][1][0] for f in data["f"])
    for cell, decoded in zip(cells, _decode_layer(data), strict=True):
        drawn = shapely.geometry.shape(decoded)
        assert shapely.equals_exact(shapely.normalize(drawn), shapely.normalize(cell), 1e-9)


def test_a_repeated_vertex_beside_a_shared_arc_is_kept():
    """A ring may hold a vertex twice (grids round close vertices together): next to a
    shared arc, at its end or inside a shared edge, both copies come back."""
    p = [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]  # twice where q's edge starts
    q = [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0.5], [1, 0.5], [1, 0]]]  # twice inside it
    r = [[[1, 0.5], [1, 0], [0, 0], [0, 1], [1, 1], [1, 0.5]]]
    geometries = [{"type": "Polygon", "coordinates": c} for c in (p, q, r)]
    data = compact_layer(geometries, [{}] * 3, ["p", "q", "r"], [[]] * 3)
    assert data["a"]
    for geometry, decoded in zip(geometries, _decode_layer(data), strict=True):
        drawn, given = (
            decoded["coordinates"][0][:-1],
            [tuple(v) for v in geometry["coordinates"][0][:-1]],
        )
        starts = [i for i in range(len(drawn)) if drawn[i:] + drawn[:i] == given]
        assert starts, f"{drawn} is not the ring {given} from any start"


def test_empty_paths_encode_as_empty_strings_and_the_rest_goes_on():
    units = np.array([[2_500_000, 5_400_000], [2_500_100, 5_400_050]])
    texts = encode_paths([units[:1], np.zeros((0, 2), dtype=np.int64), units[1:]])
    cursor = [0, 0]
    assert texts[1] == ""
    assert [_decode(t, 1e5, cursor) for t in texts] == [[(25.0, 54.0)], [], [(25.001, 54.0005)]]
    line = {"type": "MultiLineString", "coordinates": [[[25, 54], [25.1, 54.1]], []]}
    data = compact_layer([line], [{}], ["l"], [[]])
    assert _decode_layer(data)[0]["coordinates"] == [[(25.0, 54.0), (25.1, 54.1)], []]


def test_the_territories_are_rebuilt_exactly_from_the_page_s_form():
    """Every territory as the page decodes it is the display geometry, vertex for vertex."""
    from bench.reference import compact_collection, feature_collection

    built = build("borders")
    data = compact_collection(CATALOGUE["borders"], feature_collection(built))
    assert len(data["a"]) > 100, "the borders share arcs"
    for geom, decoded in zip(built.features.geometry, _decode_layer(data), strict=True):
        drawn = shapely.geometry.shape(decoded)
        assert shapely.equals_exact(shapely.normalize(drawn), shapely.normalize(geom), 1e-9)


def test_hostile_title_is_escaped():
    hostile = "<img src=x onerror=alert(1)>"
    html = atlas_html(["suwalki_gap"], title=hostile, offline=True)
    assert "<img src=x" not in html
    assert f"<title>{escape_text(hostile)}</title>" in html


def test_unknown_layer_is_refused():
    with pytest.raises(UnknownNameError, match="suwalki"):
        atlas_html(["suwalki"])


# Jinja syntax: branca compiles every rendered script again as a template, so unescaped it
# would run on the server (7 * 1001 = 7007; the loop would write "L1001L1001").
TEMPLATE = "{{ 7 * %d }}{%% for x in range(2) %%}L%d{%% endfor %%}"


def _ran(text: str, *numbers: int) -> list[int]:
    """The numbers whose template ran: its product stands alone (not inside an id such as
    ``a7014f``, or a coordinate such as ``25.70140``), or its loop wrote ``L{n}L{n}``."""
    return [
        n
        for n in numbers
        if re.search(rf"(?<![0-9A-Za-z.]){7 * n}(?![0-9A-Za-z.])", text) or f"L{n}L{n}" in text
    ]


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "online"])
def test_template_syntax_in_data_or_titles_is_never_run(offline):
    from layers.user_layers import read_user_specs

    feature = {
        "type": "Feature",
        "properties": {"name": TEMPLATE % (1001, 1001), "note": TEMPLATE % (1002, 1002)},
        "geometry": {"type": "Point", "coordinates": [25.0, 54.5]},
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    specs, _ = read_user_specs(data, (TEMPLATE % (1003, 1003)) + ".geojson")
    page = atlas_html(["sites", *specs], title=TEMPLATE % (1004, 1004), offline=offline)
    assert _ran(page, 1001, 1002, 1003, 1004) == []
    assert "&#123;&#123; 7 * 1004 &#125;&#125;" in page  # shown as typed, braces as entities


def test_template_syntax_in_an_uploaded_layers_title_is_not_run_in_the_app():
    from streamlit_folium import _get_feature_group_string

    from layers.user_layers import read_user_specs
    from webmap.render import base_map, data_group, layer_data

    point = {"type": "Point", "coordinates": [25.0, 54.5]}
    feature = {
        "type": "Feature",
        "properties": {"name": TEMPLATE % (1005, 1005)},
        "geometry": point,
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    specs, _ = read_user_specs(data, (TEMPLATE % (1006, 1006)) + ".geojson")
    fmap, _ = base_map(user_layers=specs)
    group = data_group(specs[0], layer_data(specs[0], specs[0].build()))  # as app.py sends it
    sent = fmap.get_root().render() + _get_feature_group_string(group, fmap)
    assert _ran(sent, 1005, 1006) == []


def test_squeezing_drops_only_indentation_and_blank_lines():
    page = "<script>\n    var a = 1;\n\n\n        var b = 'x  y';  \n</script>"
    assert squeeze(page) == "<script>\nvar a = 1;\nvar b = 'x  y';\n</script>"


def test_a_layer_with_altitudes_is_drawn_at_its_longitudes_and_latitudes():
    """Google Earth writes an altitude on every vertex; the map draws lon/lat only."""
    from bench.reference import feature_collection
    from layers.user_layers import read_user_specs
    from webmap.render import layer_data

    kml = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Route</name>'
        "<LineString><coordinates>25.2797,54.6872,120 26.4,54.3,180.5 27.5615,53.9045,220"
        "</coordinates></LineString></Placemark></Document></kml>"
    )
    specs, _ = read_user_specs(kml.encode(), "route.kml")
    data = json.loads(layer_data(specs[0], specs[0].build()))
    kind, path = data["f"][0][0]
    assert kind == 2  # LineString
    drawn = _decode(path, data["k"], [0, 0])
    expected = [(25.2797, 54.6872), (26.4, 54.3), (27.5615, 53.9045)]
    assert np.allclose(drawn, expected, atol=1e-9)
    geojson = feature_collection(specs[0].build())["features"][0]["geometry"]
    assert np.allclose(geojson["coordinates"], expected, atol=1e-9)
