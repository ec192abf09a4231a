"""Exported HTML opened from disk in headless Chromium with every network request blocked."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from exports.formats import export
from layers.catalogue import CATALOGUE, build
from tests.e2e.conftest import (
    NetLog,
    downloaded,
    is_tile_url,
    logged_page,
    open_app,
)

pytestmark = pytest.mark.e2e

LAYERS = ["suwalki_gap", "astravets_rings"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    """The two layers as an offline and an online HTML file, written by the real export."""
    folder = tmp_path_factory.mktemp("html")
    paths = {"offline": folder / "offline.html", "online": folder / "online.html"}
    for mode, path in paths.items():
        export(path, layer_ids=LAYERS, title="Trainer's map", offline=mode == "offline")
    return paths


@pytest.fixture
def file_page(browser, net: NetLog):
    """A page that may load only ``file://`` pages: any other request is aborted and logged.

    Console errors count as page errors too (a failed load shows there first).
    """
    with logged_page(browser, net, lambda url: url.startswith("file://"), height=900) as page:
        page.on("console", lambda m: m.type == "error" and net.page_errors.append(m.text))
        yield page


def _open(page, path: Path) -> None:
    page.goto(path.as_uri(), wait_until="load")
    page.locator(".leaflet-container").first.wait_for(state="visible")
    page.locator("path.leaflet-interactive").first.wait_for(state="attached")
    # Leaflet's first draw is done after two animation frames (a condition, not a sleep).
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _layer_paths(page):
    """The interactive paths of the main map (the minimap's view rectangles left out)."""
    main = page.locator(".leaflet-container").first
    return main.locator(":scope > .leaflet-map-pane path.leaflet-interactive")


def test_offline_html_draws_the_map_with_no_request_at_all(file_page, net, exported, tmp_path):
    _open(file_page, exported["offline"])
    file_page.screenshot(path=tmp_path / "offline.png")
    assert net.blocked == [] and net.failed == [] and net.page_errors == []
    expected = sum(len(build(layer_id).features) for layer_id in LAYERS)
    assert _layer_paths(file_page).count() == expected
    assert file_page.locator(".leaflet-atlasBase-pane path").count() > 10  # our vector base
    assert file_page.locator(".leaflet-tile").count() == 0
    # Named once, though the vector base, the sites and the Vilnius layer all have it.
    expect(file_page.locator(".atlas-label:visible", has_text="Vilnius")).to_have_count(1)
    assert file_page.locator(".atlas-title").inner_text() == "Trainer's map"
    overlays = file_page.locator(".leaflet-control-layers-overlays label").all_text_contents()
    assert [CATALOGUE[i].title for i in LAYERS] == [s.strip() for s in overlays]
    assert file_page.locator(".leaflet-control-layers-list").is_hidden()  # collapsed
    assert file_page.locator(".leaflet-control-scale-line").count() == 2  # km and mi
    assert "Layers" in file_page.locator(".atlas-legend").inner_text()
    assert "OpenStreetMap" in file_page.locator(".leaflet-control-attribution").inner_text()


def test_offline_html_popups_state_the_measured_figure(file_page, net, exported):
    _open(file_page, exported["offline"])
    # The Suwalki gap's shortest line, labelled with its geodesic width.
    width_km = build("suwalki_gap").metrics["width_km"]
    gap_paths = _layer_paths(file_page).and_(file_page.locator("[stroke-width='4']"))
    gap_paths.first.click()
    popup = file_page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert f"{width_km:,.1f} km" in popup.inner_text()
    assert net.blocked == [] and net.page_errors == []


def test_online_html_opens_on_our_base_and_asks_only_for_the_tiles_chosen(file_page, net, exported):
    _open(file_page, exported["online"])
    expected = sum(len(build(layer_id).features) for layer_id in LAYERS)
    assert _layer_paths(file_page).count() == expected
    base = file_page.locator(".leaflet-atlasBase-pane path")
    assert base.count() > 10 and net.blocked == [], "our vector base, no request"

    control = file_page.locator(".leaflet-control-layers").first
    control.hover()
    control.locator(".leaflet-control-layers-base label", has_text="OpenStreetMap").click()
    # The tiles are asked for (and blocked here): the page falls back to our base.
    expect(base.first).to_be_attached(timeout=30_000)
    assert net.blocked and [url for url in net.blocked if not is_tile_url(url)] == []
    attribution = file_page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("online tiles unreachable: offline base shown")


def test_app_downloads_the_map_as_configured(page, app_url, tmp_path):
    """The sidebar's export: an offline HTML page of the scene's layers, then a GeoJSON."""
    open_app(page, app_url, "scene=suwalki_gap")
    page.get_by_text("Export the map").click()
    button = page.get_by_role("button", name=re.compile("Download HTML page"))
    saved = downloaded(page, button, tmp_path)
    assert saved.name == "baltic-flank-atlas.html"
    html = saved.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in html  # offline by default
    ticked = {
        i: page.get_by_role("checkbox", name=CATALOGUE[i].title, exact=True).is_checked()
        for i in CATALOGUE
    }
    assert ticked["suwalki_gap"]
    for layer_id, on in ticked.items():
        assert _in_legend(html, layer_id) == on, layer_id
    assert "<title>Baltic Flank Atlas: " in html


def _in_legend(html: str, layer_id: str) -> bool:
    """Whether the legend (JSON in the page's script) has a row for the layer."""
    title = json.dumps(CATALOGUE[layer_id].title)[1:-1]
    return f"\\u003c/span\\u003e{title}\\u003c/div\\u003e" in html
