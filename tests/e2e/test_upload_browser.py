"""Uploading a layer in the running app, in Chromium with no internet.

A user drops files on the sidebar's uploader: a good one becomes a layer on the map and in
Leaflet's layer control; a bad one is refused beside the uploader while the map keeps
everything it had. Names from the file are shown, never run or rendered as markup.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from layers.user_layers import USER_COLORS
from tests.e2e.conftest import ROOT, NetLog, downloaded, open_app, wait_for_app_idle

pytestmark = pytest.mark.e2e

SIDEBAR = 'section[data-testid="stSidebar"]'
SHOTS = ROOT / "build"
# The file's stem becomes the layer's title, shown in Streamlit Markdown and in Leaflet:
# rendered, it would load an image from example.test.
STEM = "![x](http:example.test)"
TITLE = f"{STEM} (your layer)"
NAME = '<img src=x onerror="window.top.__xss = 1">'


def observations() -> bytes:
    """A hostile-named point near Vilnius and a square beside it."""
    square = [[24.0, 55.0], [24.6, 55.0], [24.6, 55.3], [24.0, 55.3], [24.0, 55.0]]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": NAME},
                    "geometry": {"type": "Point", "coordinates": [25.2797, 54.6872]},
                },
                {
                    "type": "Feature",
                    "properties": {"name": "Area A"},
                    "geometry": {"type": "Polygon", "coordinates": [square]},
                },
            ],
        }
    ).encode()


def drop_files(page: Page, *files: tuple[str, bytes]) -> None:
    """Choose files in the sidebar's uploader, as a user would, and let the app rerun."""
    chooser = page.locator(f'{SIDEBAR} input[type="file"]')
    chooser.set_input_files(
        [{"name": n, "mimeType": "application/octet-stream", "buffer": b} for n, b in files]
    )
    wait_for_app_idle(page)


def test_an_uploaded_layer_is_drawn_and_listed_and_its_names_stay_text(
    page: Page, net: NetLog, app_url: str
) -> None:
    frame = open_app(page, app_url)
    drop_files(page, (f"{STEM}.geojson", observations()))
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text(TITLE, exact=True)).to_be_visible()
    overlays = frame.locator(".leaflet-control-layers-overlays")
    expect(overlays.get_by_text(TITLE, exact=True)).to_be_attached()
    drawn = frame.locator(f'path.leaflet-interactive[stroke="{USER_COLORS[0]}"]')
    expect(drawn).to_have_count(2)  # the square and the point's circle marker
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "e2e_user_layer.png"))

    assert page.evaluate("() => window.__xss") is None
    assert not [url for url in net.blocked if "example.test" in url], "Markdown was rendered"
    assert net.blocked_except_tiles() == []
    assert net.page_errors == []


def test_a_bad_upload_is_refused_beside_the_uploader_and_the_map_keeps_its_layers(
    page: Page, app_url: str
) -> None:
    frame = open_app(page, app_url)
    drop_files(page, ("obs.geojson", observations()))
    overlays = frame.locator(".leaflet-control-layers-overlays")
    expect(overlays.get_by_text("obs (your layer)", exact=True)).to_be_attached()
    paths_before = frame.locator("path.leaflet-interactive").count()

    drop_files(page, ("broken.geojson", b'{"type": "FeatureCollection", "features": [}'))
    alert = page.locator(f'{SIDEBAR} [data-testid="stAlert"]')
    expect(alert).to_contain_text("'broken.geojson' is not valid JSON")
    expect(overlays.get_by_text("obs (your layer)", exact=True)).to_be_attached()
    expect(frame.locator("path.leaflet-interactive")).to_have_count(paths_before)


def test_the_downloaded_map_holds_the_uploaded_layer(page: Page, app_url: str, tmp_path) -> None:
    open_app(page, app_url)
    drop_files(page, ("obs.geojson", observations()))
    page.get_by_text("Export the map").click()
    button = page.get_by_role("button", name="Download HTML page")
    saved = downloaded(page, button, tmp_path, "map.html")  # once the upload's rerun is done
    html = saved.read_text(encoding="utf-8")
    assert "obs (your layer)" in html  # in the layer control and the legend
    assert '"Area A"' in html and '"area: ' in html  # its name and popup lines
    assert "\\u0026lt;img src=x onerror=" in html  # the hostile name, HTML-escaped in JSON
    assert "<img src=x" not in html and "\\u003cimg src=x" not in html


def test_a_gpx_a_zipped_shapefile_and_a_kml_with_a_bad_placemark_are_drawn_and_explained(
    page: Page, app_url: str
) -> None:
    """The new formats go through the same uploader; what was dropped is named beside it."""
    hostile = ROOT / "tests" / "data" / "hostile"
    frame = open_app(page, app_url)
    drop_files(
        page,
        *[(n, (hostile / n).read_bytes()) for n in ("one_point_segments.gpx", "cp1251_no_cpg.zip")],
        ("patrols.kml", (hostile / "tracks.kml").read_bytes()),
    )
    overlays = frame.locator(".leaflet-control-layers-overlays")
    for title in ("waypoints", "routes", "tracks", "towns", "Tracks"):
        expect(overlays.get_by_text(f"{title} (your layer)", exact=True)).to_be_attached()
    sidebar = page.locator(SIDEBAR)
    expect(
        sidebar.get_by_text("1 feature without a geometry dropped: feature 4 ('Bad fix')")
    ).to_be_visible()
    expect(sidebar.get_by_text("its track position '23.8258 north 0'")).to_be_visible()
    expect(sidebar.get_by_text("read as Windows-1251")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "e2e_new_formats.png"), full_page=True)
