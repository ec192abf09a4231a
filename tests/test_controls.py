"""Map controls (webmap.controls): vendored assets only, an escaped legend, pointer formats.

The pointer formatters themselves run in node: tests/js/pointer-formats.test.js.
"""

import dataclasses
import re
from html.parser import HTMLParser

import folium
import pytest

from geo.errors import UnknownNameError
from layers.attribution import ATTRIBUTION_HTML
from layers.catalogue import CATALOGUE
from layers.escape import escape_text
from webmap.assets import APP_VENDOR_URL, VENDOR_CSS, VENDOR_DIR, css_references, missing_assets
from webmap.controls import (
    COORD_FORMATS,
    OSM_NAME,
    POSITRON_NAME,
    Legend,
    add_controls,
)
from webmap.render import atlas_map, base_map
from webmap.vector_base import VECTOR_BASE_NAME

HOSTILE = "<img src=x onerror=alert(1)>"
URL_RE = re.compile(r"https?://[^\s\"'<>\\)]+")
TILE_TEMPLATE_RE = re.compile(r"\{z\}/\{x\}/\{y\}")


class _Parser(HTMLParser):
    """Collects ``<script src>``, ``<link href>`` and ``<a href>`` attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"])
        elif tag == "link" and values.get("href"):
            self.assets.append(values["href"])
        elif tag == "a" and values.get("href"):
            self.anchors.append(values["href"])


def _parse(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    return parser


def _attribution_links(fmap: folium.Map) -> set[str]:
    """The ``<a href>`` links in the attributions of the map's tile layers."""
    texts = [
        child.options.get("attribution", "")
        for child in fmap._children.values()
        if isinstance(child, folium.TileLayer)
    ]
    return {href for text in texts for href in _parse(text).anchors}


@pytest.fixture(scope="module")
def maps() -> dict[str, tuple[folium.Map, str]]:
    """An atlas map with controls, and its HTML, per coordinate format (all layers for dd)."""
    out = {}
    for name in COORD_FORMATS:
        fmap = add_controls(atlas_map(None if name == "dd" else ["rivers"]), coord_format=name)
        out[name] = (fmap, fmap.get_root().render())
    return out


@pytest.mark.parametrize("name", list(COORD_FORMATS))
def test_scripts_and_styles_are_vendored(maps, name):
    assets = _parse(maps[name][1]).assets
    assert assets, "no <script src> or <link href> found"
    assert [a for a in assets if not a.startswith(f"{APP_VENDOR_URL}/")] == []
    files = {a.removeprefix(f"{APP_VENDOR_URL}/") for a in assets}
    assert {
        "leaflet/leaflet.js",
        "leaflet.fullscreen/Control.FullScreen.js",
        "leaflet-minimap/Control.MiniMap.min.js",
        "leaflet-mouse-position/L.Control.MousePosition.js",
    } <= files
    assert ("mgrs/mgrs.min.js" in files) == (name == "mgrs")
    assert not any("bootstrap" in f or "awesome" in f for f in files)


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.mark.parametrize("name", list(COORD_FORMATS))
def test_only_tile_templates_and_attributions_are_remote(maps, name):
    fmap, html = maps[name]
    allowed = _attribution_links(fmap) | set(_parse(ATTRIBUTION_HTML).anchors)
    assert "https://carto.com/attributions" in allowed
    remote = set(URL_RE.findall(html)) - {SVG_NAMESPACE}  # a name in units' symbols, not a fetch
    assert remote, "expected the online base maps' tile URLs"
    assert {u for u in remote if not TILE_TEMPLATE_RE.search(u) and u not in allowed} == set()


def test_referenced_files_are_installed(maps):
    assert missing_assets() == [], "run `make static/vendor/.installed`"
    assets = {a for _, html in maps.values() for a in _parse(html).assets}
    paths = [a.removeprefix(f"{APP_VENDOR_URL}/") for a in assets]
    assert [p for p in paths if not (VENDOR_DIR / p).is_file()] == []


def test_stylesheet_images_are_checked():
    assert css_references(VENDOR_CSS["Control.FullScreen.css"]) == [
        "leaflet.fullscreen/icon-fullscreen.svg"
    ]
    assert "leaflet/images/layers.png" in css_references(VENDOR_CSS["leaflet_css"])


def test_base_url_is_honoured():
    html = add_controls(atlas_map(["rivers"]), base_url="/x/vendor").get_root().render()
    assets = _parse(html).assets
    assert assets
    assert all(a.startswith("/x/vendor/") for a in assets)


def test_the_offline_vector_base_comes_first_and_is_shown_the_online_ones_are_offered(maps):
    fmap = maps["dd"][0]
    children = list(fmap._children.values())
    control = children[-1]
    assert isinstance(control, folium.LayerControl), "the layer control must render last"
    assert control.options["collapsed"] is True  # a button, not a third of the map
    assert list(control.base_layers) == [VECTOR_BASE_NAME, OSM_NAME, POSITRON_NAME]
    bases = [c for c in children if isinstance(c, folium.map.Layer) and not c.overlay]
    assert [b.show for b in bases] == [True, False, False]


@pytest.mark.parametrize(("base", "name"), [("osm", OSM_NAME), ("positron", POSITRON_NAME)])
def test_an_online_base_may_be_the_first_shown(base, name):
    fmap = add_controls(atlas_map(["rivers"]), base=base)
    bases = [c for c in fmap._children.values() if isinstance(c, folium.map.Layer)]
    shown = [b.layer_name for b in bases if not b.overlay and b.show]
    assert shown == [name]


def test_the_apps_map_shows_the_base_its_sidebar_chose_with_ours_behind_it_unlisted():
    fmap, _ = base_map("dd", base="osm")
    bases = [c for c in fmap._children.values() if isinstance(c, folium.map.Layer)]
    bases = [b for b in bases if not b.overlay]
    assert [(b.layer_name, b.show) for b in bases] == [(VECTOR_BASE_NAME, False), (OSM_NAME, True)]
    assert not any(b.control for b in bases)


def test_an_unknown_base_is_refused_with_the_choices():
    with pytest.raises(UnknownNameError, match="vector, osm, positron"):
        add_controls(atlas_map(["rivers"]), base="satellite")


def test_controls_are_in_the_script(maps):
    html = maps["dd"][1]
    for js in ("L.control.scale(", "L.control.fullscreen(", "new L.Control.MiniMap("):
        assert js in html
    assert '"metric": true' in html and '"imperial": true' in html


def _legend(fmap: folium.Map) -> Legend:
    (legend,) = [c for c in fmap._children.values() if isinstance(c, Legend)]
    return legend


def test_legend_names_the_layers_present():
    fmap = add_controls(atlas_map(["vilnius_rings", "rivers"]))
    html = _legend(fmap).html
    assert "Vilnius" in html and "Rivers" in html
    assert CATALOGUE["vilnius_rings"].style.color in html
    assert "Suwalki gap" not in html


def test_legend_takes_layer_ids():
    html = _legend(add_controls(atlas_map(["rivers"]), layer_ids=["suwalki_gap"])).html
    assert "Suwalki gap" in html and "Rivers" not in html
    with pytest.raises(UnknownNameError, match="suwalki_gap"):
        add_controls(atlas_map(["rivers"]), layer_ids=["suwalki"])


def test_legend_escapes_a_hostile_title(monkeypatch):
    spec = dataclasses.replace(CATALOGUE["rivers"], title=HOSTILE)
    monkeypatch.setitem(CATALOGUE, "rivers", spec)
    fmap = add_controls(atlas_map(["rivers"]))
    legend = _legend(fmap).html
    assert escape_text(HOSTILE) in legend and "<img" not in legend
    assert "<img" not in fmap.get_root().render().lower()


@pytest.mark.parametrize("name", list(COORD_FORMATS))
def test_coord_format_renders_its_formatter(maps, name):
    html = maps[name][1]
    assert "new L.Control.MousePosition(" in html
    assert COORD_FORMATS[name].formatter_js in html
    assert ("mgrs.forward(" in html) == (name == "mgrs")


@pytest.mark.parametrize("bad", ["utm", "MGRS ", ""])
def test_unknown_coord_format_names_the_choices(bad):
    fmap = atlas_map(["rivers"])
    before = list(fmap._children)
    with pytest.raises(UnknownNameError, match="dd, dms, mgrs"):
        add_controls(fmap, coord_format=bad)
    assert list(fmap._children) == before, "the map must not change"
