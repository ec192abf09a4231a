"""Exported HTML: one file, every script inlined, the layers and controls in it, and small."""

import base64
import json
import re
from html.parser import HTMLParser

import pytest

from geo.errors import GeoInputError
from layers.assets import VENDOR_CSS, VENDOR_DIR, VENDOR_JS, inline_assets, inline_css
from layers.catalogue import CATALOGUE, build
from layers.controls import OSM_NAME, POSITRON_NAME
from layers.escape import escape_text
from layers.html_export import atlas_html
from layers.vector_base import VECTOR_BASE_NAME, cities, vector_base_json

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
    assert tags.scripts >= len(VENDOR_JS) - 1  # mgrs.js only with the MGRS pointer format


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
    with pytest.raises(ValueError, match="not inlined"):
        inline_assets('<script src="v:/other/lib.js"></script>', "v:")


def test_offline_page_has_no_tiles_and_our_vector_base(pages):
    offline = pages["offline"]
    assert "tile.openstreetmap.org" not in offline and "cartocdn" not in offline
    assert json.dumps(VECTOR_BASE_NAME)[1:-1] in offline
    assert vector_base_json() in offline
    online = pages["online"]
    for name in (OSM_NAME, POSITRON_NAME, VECTOR_BASE_NAME):
        assert json.dumps(name)[1:-1] in online
    assert "tile.openstreetmap.org" in online


def test_page_has_title_legend_scale_layer_control_popups_and_attribution(pages):
    html = pages["two"]
    assert "<title>Baltic Flank Atlas</title>" in html
    assert "atlas-title" in html and "atlas-legend" in html
    assert "L.control.scale(" in html and "L.control.layers(" in html
    assert len(re.findall(r"geo_json_[0-9a-f]+\.bindPopup\(", html)) == 2  # one per layer
    for layer_id in ("suwalki_gap", "astravets_rings"):
        assert json.dumps(CATALOGUE[layer_id].title)[1:-1] in html
    assert "Smolensk Gates" not in html  # only the chosen layers
    assert "OpenStreetMap" in html and "GeoNames" in html


def test_popups_give_distances_in_the_chosen_unit(pages):
    width_mi = build("suwalki_gap").metrics["width_km"] / 1.609344
    assert f"{width_mi:,.1f} mi" in pages["two"]


def test_every_feature_of_the_chosen_layers_is_in_the_page(pages):
    features = re.findall(r'"role": ?"([a-z_]+)"', pages["two"])
    expected = len(build("suwalki_gap").features) + len(build("astravets_rings").features)
    assert len(features) == expected


def test_vector_base_labels_capitals_and_big_cities():
    names, points = cities()
    assert {"Minsk", "Vilnius", "Warsaw", "Riga", "Moscow"} <= set(names)
    assert len(names) == len(points) == len(set(names))
    data = json.loads(vector_base_json())
    assert [f["properties"]["name"] for f in data["cities"]["features"]] == [
        escape_text(n) for n in names
    ]
    assert len(data["land"]["features"]) >= 10 and len(data["rivers"]["features"]) >= 10


@pytest.mark.parametrize(("name", "limit_mb"), [("online", 2), ("offline", 3)])
def test_all_layer_pages_are_small(pages, name, limit_mb):
    assert len(pages[name].encode("utf-8")) < limit_mb * MB


def test_hostile_title_is_escaped():
    hostile = "<img src=x onerror=alert(1)>"
    html = atlas_html(["suwalki_gap"], title=hostile, offline=True)
    assert "<img src=x" not in html
    assert f"<title>{escape_text(hostile)}</title>" in html


def test_unknown_layer_is_refused():
    with pytest.raises(GeoInputError, match="suwalki"):
        atlas_html(["suwalki"])
