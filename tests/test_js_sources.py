"""Our JavaScript lives in files (webmap/js, webmap/templates), read as pages carry it.

The runtime is ``webmap/js/atlas-geo.js``: exported pages inline it, the app loads the
copy ``make`` puts in ``static/atlas``. tests/test_js_runtime.py runs it in node.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit_folium import _get_feature_group_string, _get_header, _get_map_string

from geo.errors import DataFileError
from layers.catalogue import CATALOGUE, build
from layers.spec import Style
from layers.style import EDGE_CLICK_CLASS, path_style
from webmap import assets
from webmap.assets import (
    JS_DIR,
    OWN_JS,
    TEMPLATE_DIR,
    element_template,
    missing_assets,
    own_js,
)
from webmap.compact import ALPHABET, RUNTIME_JS
from webmap.render import base_map, data_group, layer_data
from webmap.served import SERVED_DIR, SERVED_URL

ROOT = Path(__file__).resolve().parents[1]
# A JavaScript function body: `function name(args) {` or `(args) => `.
JS_FUNCTION_RE = re.compile(r"\bfunction\s*[\w$]*\s*\([^)]*\)\s*\{|\)\s*=>")
NOT_OURS = {".venv", "build", "node_modules", "tests", "static"}


def _python_files() -> list[Path]:
    """Every .py file of the project outside tests (which drive browsers and node)."""
    return [p for p in ROOT.rglob("*.py") if not NOT_OURS & set(p.relative_to(ROOT).parts[:-1])]


def test_no_python_file_carries_a_javascript_function_body():
    files = _python_files()
    assert len(files) > 20, "the scan must find the project's modules"
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in files
        for m in JS_FUNCTION_RE.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_python_file_carries_an_element_script():
    found = [p for p in _python_files() if "{% macro" in p.read_text(encoding="utf-8")]
    assert found == [], "element templates belong in webmap/templates"


def test_the_runtime_digits_are_the_python_alphabet():
    text = (JS_DIR / "atlas-geo.js").read_text(encoding="utf-8")
    (digits,) = re.findall(r'^\}\)\("([^"]*)"\);$', text, flags=re.MULTILINE)
    assert digits == ALPHABET


def test_the_runtime_lets_clicks_through_the_fill_of_the_class_rings_have():
    text = (JS_DIR / "atlas-geo.js").read_text(encoding="utf-8")
    rule = f".{EDGE_CLICK_CLASS}{{pointer-events:visibleStroke!important}}"
    assert rule in text
    assert path_style(Style("#333333"), "ring")["className"] == EDGE_CLICK_CLASS


@pytest.mark.parametrize("name", sorted(p.name for p in JS_DIR.glob("*.js")))
def test_pages_carry_our_scripts_without_their_header_comment(name):
    text = (JS_DIR / name).read_text(encoding="utf-8")
    code = own_js(name)
    assert text.startswith("/*"), "each script says what it is, in a header comment"
    assert not code.startswith("/*") and code == code.strip()
    assert text.endswith(code + "\n")


def test_the_runtime_is_the_file():
    assert own_js(OWN_JS["atlas_geo_js"]) == RUNTIME_JS
    assert RUNTIME_JS.startswith("window.atlasGeo = window.atlasGeo || (function (ALPHABET) {")
    assert ".concat(" not in RUNTIME_JS, "joining arcs by concatenation is quadratic"


def test_template_syntax_in_a_script_is_refused(monkeypatch, tmp_path):
    """branca compiles a page's scripts as Jinja templates: ``{{`` in our code would run."""
    (tmp_path / "bad.js").write_text("/* header */\nvar a = {{ 7 * 7 }};\n", encoding="utf-8")
    monkeypatch.setattr(assets, "JS_DIR", tmp_path)
    with pytest.raises(DataFileError, match=r"bad\.js holds Jinja syntax '\{\{'"):
        own_js("bad.js")


def test_every_template_is_used_and_renders_its_macros():
    sources = " ".join(p.read_text(encoding="utf-8") for p in _python_files())
    used = set(re.findall(r'element_template\("([^"]+)"\)', sources))
    assert used == {p.name for p in TEMPLATE_DIR.glob("*.j2")}
    for name in used:
        assert "script" in dir(element_template(name).module), name


def _copy_scripts(tmp_path: Path) -> Path:
    served = tmp_path / "atlas"
    served.mkdir()
    _copy_scripts_into(served)
    return served


def _copy_scripts_into(served: Path) -> None:
    for source in JS_DIR.glob("*.js"):
        (served / source.name).write_bytes(source.read_bytes())


def test_a_missing_or_stale_copy_is_reported(monkeypatch, tmp_path):
    served = _copy_scripts(tmp_path)
    monkeypatch.setattr(assets, "SERVED_JS_DIR", served)
    vendor = missing_assets(served=False)
    assert missing_assets() == vendor
    (served / "atlas-geo.js").write_text("window.atlasGeo = {};\n", encoding="utf-8")
    (served / "pointer-dd.js").unlink()
    assert missing_assets() == [
        *vendor,
        "static/atlas/atlas-geo.js (out of date)",
        "static/atlas/pointer-dd.js",
    ]
    assert missing_assets(served=False) == vendor  # exports inline webmap/js
    # Each rerun checks: a copy put right is seen, and so is one spoilt at the same size.
    _copy_scripts_into(served)
    assert missing_assets() == vendor
    copy = served / "atlas-geo.js"
    copy.write_bytes(_spoilt((JS_DIR / "atlas-geo.js").read_bytes()))
    assert missing_assets() == [*vendor, "static/atlas/atlas-geo.js (out of date)"]


def test_a_settled_copy_is_compared_again_once_its_stamp_changes(monkeypatch, tmp_path):
    """The check a rerun makes reads a file again only when its stamp changed; here every
    file counts as settled at once, so the verdict comes from the cache when it can."""
    served = _copy_scripts(tmp_path)
    monkeypatch.setattr(assets, "SERVED_JS_DIR", served)
    monkeypatch.setattr(assets, "_SETTLED_NS", 0)
    vendor = missing_assets(served=False)
    copy = served / "atlas-geo.js"
    mtime_ns = copy.stat().st_mtime_ns
    assert missing_assets() == vendor
    reads = assets._same_bytes.cache_info().misses
    assert missing_assets() == vendor
    assert assets._same_bytes.cache_info().misses == reads, "the settled copies are not read"
    copy.write_bytes(_spoilt(copy.read_bytes()))
    os.utime(copy, ns=(mtime_ns, mtime_ns + 10**9))  # a later time, whatever the clock's tick
    assert missing_assets() == [*vendor, "static/atlas/atlas-geo.js (out of date)"]


def _spoilt(script: bytes) -> bytes:
    """The script with its last byte changed: the same size, other content."""
    return script[:-1] + (b" " if script[-1:] != b" " else b"x")


def test_the_app_map_loads_one_served_bundle_with_the_runtime_after_leaflet():
    """streamlit-folium loads the map's default_js in order, then runs the map's script:
    the app's map lists one file, every script it needs joined in that order."""
    fmap, _ = base_map()
    ((name, url),) = fmap.default_js
    assert name == assets.BUNDLE_NAME and url.startswith(SERVED_URL + "/")
    others = [e for e in assets.elements(fmap) if e is not fmap and getattr(e, "default_js", [])]
    assert others == [], "no element loads a script of its own"
    bundle = (SERVED_DIR / url.rsplit("/", 1)[1]).read_text(encoding="utf-8")
    leaflet = (assets.VENDOR_DIR / assets.VENDOR_JS["leaflet"]).read_text(encoding="utf-8")
    runtime = (JS_DIR / OWN_JS["atlas_geo_js"]).read_text(encoding="utf-8")
    app_js = (JS_DIR / OWN_JS["atlas_app_js"]).read_text(encoding="utf-8")
    assert bundle.startswith(leaflet[:200])
    assert bundle.index(runtime) < bundle.index(app_js), "the runtime, then the app's part"
    assert "sourceMappingURL" not in bundle
    fmap.get_root().render()
    header, script = _get_header(fmap), _get_map_string(fmap)
    assert "atlasGeo.collection(" in script, "the minimap and vector base use it"
    assert "window.atlasGeo" not in header + script, "the runtime is not sent with the map"
    assert ".foliumpopup" in header, "the popup styles still are"
    group = data_group(CATALOGUE["sites"], layer_data(CATALOGUE["sites"], build("sites")))
    sent = _get_feature_group_string(group, fmap)
    assert "atlasGeo.layer(" in sent and "window.atlasGeo" not in sent
