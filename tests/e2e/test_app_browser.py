"""The running app in Chromium with no internet: the map, the layer control, ring popups.

Relies only on the page title, the st_folium iframe, Leaflet's layer control labelled with
catalogue titles, and the catalogue's styles and seeds (read from ``layers.catalogue``).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from layers.catalogue import CATALOGUE
from layers.spec import SEED_2019, cite
from tests.e2e.conftest import (
    MAP_IFRAME,
    ROOT,
    SIDEBAR_CONTROL,
    NetLog,
    is_tile_url,
    layer_control,
    map_frame,
    open_app,
    wait_for_app_idle,
)
from webmap.render import REGION_VIEW

pytestmark = pytest.mark.e2e

ASTRAVETS = CATALOGUE["astravets_rings"]  # title "Astravets nuclear plant", stroke #e08214
VILNIUS = CATALOGUE["vilnius_rings"]
PATHS = "path.leaflet-interactive"
KM_MI = re.compile(r"\d[\d,]*(\.\d+)? km \(\d[\d,]*(\.\d+)? mi\)")
SHOTS = ROOT / "build"
POPUP_TIMEOUT_MS = 15_000  # a rerun takes 3-4 s on a busy 2-core machine

# Records, in the app's window, the text of every Leaflet popup the map frame shows: the
# evidence survives a rerun that closes the popup or remounts the iframe.
RECORD_POPUPS_JS = """
body => {
  const top = window.parent;
  top.__e2ePopups = top.__e2ePopups || [];
  const record = () => {
    for (const el of document.querySelectorAll('.leaflet-popup-content')) {
      const text = el.innerText.trim();
      if (text && !top.__e2ePopups.includes(text)) top.__e2ePopups.push(text);
    }
  };
  new MutationObserver(record).observe(body, {childList: true, subtree: true, characterData: true});
}
"""


# A point on the outline of the path `el` (relative to its box) where it is the topmost
# element inside the map, well inside the map's edges; null if none. A ring takes clicks on
# its outline only (webmap/js/atlas-geo.js), so that is where a person clicks it.
EDGE_POINT_JS = """
el => {
  const box = el.getBoundingClientRect();
  const map = el.closest('.leaflet-container').getBoundingClientRect();
  const m = 12, n = 400, length = el.getTotalLength(), ctm = el.getScreenCTM();
  for (let i = 0; i < n; i++) {
    const p = el.getPointAtLength((length * i) / n).matrixTransform(ctm);
    const inside = p.x - m > map.left && p.x + m < map.right
      && p.y - m > map.top && p.y + m < map.bottom;
    if (inside && document.elementFromPoint(p.x, p.y) === el) {
      return {x: p.x - box.left, y: p.y - box.top};
    }
  }
  return null;
}
"""

# Closes any popup and centres the map on the site marker named `name` (found among the
# map's own layers by its name; clear of the map's controls there) at the zoom it has;
# returns the marker's pixel in the map, or null if the map has no such marker.
CENTRE_ON_SITE_JS = """
(el, name) => {
  for (const id in window.map._layers) {
    const layer = window.map._layers[id];
    if (layer instanceof L.CircleMarker && layer.feature && layer.options.interactive
        && layer.feature.properties.name === name) {  // a site, not the base map's city
      window.map.closePopup();  // the last site's popup would cover this one
      window.map.setView(layer.getLatLng(), window.map.getZoom(), {animate: false});
      const p = window.map.latLngToContainerPoint(layer.getLatLng());
      return {x: p.x, y: p.y};
    }
  }
  return null;
}
"""
KEY_SITES = ("Astravets NPP", "Vilnius", "Gomel", "Smolensk", "Klintsy")


def _screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"e2e_{name}.png"))


def _stroked(frame: FrameLocator, color: str) -> Locator:
    """The interactive paths drawn with a stroke colour (a layer's style colour)."""
    return frame.locator(f'{PATHS}[stroke="{color.lower()}"]')


def _overlay_checkbox(frame: FrameLocator, title: str) -> Locator:
    """The layer control's overlay checkbox labelled with a layer title (the control open)."""
    overlays = layer_control(frame).locator(".leaflet-control-layers-overlays")
    return overlays.get_by_role("checkbox", name=title, exact=True)


def _show_only(frame: FrameLocator, title: str) -> None:
    """Check one overlay in the layer control and uncheck all the others."""
    labels = frame.locator(".leaflet-control-layers-overlays label").all_text_contents()
    titles = [label.strip() for label in labels]
    assert title in titles, f"{title!r} is not in the layer control: {titles}"
    for other in titles:
        _overlay_checkbox(frame, other).set_checked(other == title)


def test_map_renders_offline_with_no_cdn_requests(page: Page, net: NetLog, app_url: str) -> None:
    frame = open_app(page, app_url)
    expect(page).to_have_title("Baltic Flank Atlas")
    expect(frame.locator(".leaflet-container").first).to_be_visible()  # a minimap adds a second
    assert frame.locator(PATHS).count() > 10
    expect(frame.locator(".leaflet-control-layers")).to_be_visible()
    _screenshot(page, "offline_map")

    assert net.blocked_except_tiles() == [], "outside requests other than map tiles"
    not_blocked = [(url, err) for url, err in net.failed if url not in net.blocked]
    assert not_blocked == [], "local requests failed"
    assert net.http_errors == [], "local requests answered with an error status"
    assert net.page_errors == [], "JavaScript errors in the page or the map"


# Records, in the app's window, the animation frame in which the map frame first holds a
# drawn path and the one in which the sidebar first holds a control.
FIRST_SEEN_JS = """
([frameSelector, controlSelector]) => {
  if (window !== window.top) return;
  const seen = (window.__e2eFirstSeen = {});
  const look = () => {
    const now = performance.now();
    const frame = document.querySelector(frameSelector);
    const map = frame && frame.contentDocument;
    if (!("path" in seen) && map && map.querySelector("path.leaflet-interactive")) seen.path = now;
    if (!("control" in seen) && document.querySelector(controlSelector)) seen.control = now;
    if (!("path" in seen && "control" in seen)) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}
"""


def test_the_map_is_drawn_before_the_controls_which_follow_without_a_move(
    page: Page, app_url: str
) -> None:
    # The base map's own view: the map is told no new view and reports none, so only its
    # report that its layers are drawn (webmap/js/atlas-app.js) can bring the controls.
    page.add_init_script(f"({FIRST_SEEN_JS})({json.dumps([MAP_IFRAME, SIDEBAR_CONTROL])})")
    lon, lat, zoom = REGION_VIEW
    open_app(page, app_url, f"view={lat:.5f},{lon:.5f},{zoom}")  # waits for the controls
    seen = page.evaluate("window.__e2eFirstSeen")
    assert seen["path"] < seen["control"], "the first run sends the map alone"
    assert page.get_by_test_id("stSidebar").get_by_text("Next", exact=False).is_visible()


def test_layer_control_turns_a_layer_off_and_on(page: Page, app_url: str) -> None:
    frame = open_app(page, app_url)
    checkbox = _overlay_checkbox(frame, ASTRAVETS.title)
    checkbox.check()  # shown by default today; make sure
    astravets = _stroked(frame, ASTRAVETS.style.color)
    vilnius = _stroked(frame, VILNIUS.style.color)
    expect(astravets.first).to_be_attached()
    n_astravets, n_vilnius = astravets.count(), vilnius.count()
    n_all = frame.locator(PATHS).count()
    assert n_vilnius > 0

    checkbox.uncheck()
    expect(astravets).to_have_count(0)
    expect(frame.locator(PATHS)).to_have_count(n_all - n_astravets)
    expect(vilnius).to_have_count(n_vilnius)  # other layers stay

    _overlay_checkbox(frame, ASTRAVETS.title).check()
    expect(astravets).to_have_count(n_astravets)
    expect(frame.locator(PATHS)).to_have_count(n_all)


def test_the_offline_base_is_the_default_and_a_chosen_base_survives_reruns_and_the_link(
    page: Page, net: NetLog, app_url: str
) -> None:
    frame = open_app(page, app_url)
    base = frame.locator(".leaflet-atlasBase-pane path")
    expect(base.first).to_be_attached(timeout=30_000)  # ours, with no network
    assert net.blocked == [], "no tile asked for"
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("OpenStreetMap (online)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]base=osm"), timeout=30_000)
    wait_for_app_idle(page)
    frame = map_frame(page)
    # Its tiles are asked for; blocked here, the map falls back to our base, not grey.
    expect(frame.locator(".leaflet-atlasBase-pane path").first).to_be_attached(timeout=30_000)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text(
        "online tiles unreachable", timeout=30_000
    )
    assert net.blocked and all(is_tile_url(url) for url in net.blocked)

    chosen = sidebar.get_by_role("radio", name="OpenStreetMap (online)")
    sidebar.get_by_text(ASTRAVETS.title, exact=True).click()  # a rerun
    wait_for_app_idle(page)
    expect(chosen).to_be_checked(timeout=30_000)
    link = page.evaluate("location.href").split("?", 1)[1]  # page.url may lag it
    assert "base=osm" in link
    open_app(page, app_url, link)  # the link, opened anew
    expect(chosen).to_be_checked(timeout=30_000)
    assert net.http_errors == [] and net.page_errors == []


def _click_ring(page: Page, frame: FrameLocator) -> None:
    """Show only the Astravets layer and click its largest ring where it is on top."""
    _show_only(frame, ASTRAVETS.title)  # other layers' rings are drawn over it
    # Rings are closed paths ("…z"); circle markers and lines are not.
    drawn = _stroked(frame, ASTRAVETS.style.color).all()
    rings = [p for p in drawn if (p.get_attribute("d") or "").rstrip()[-1:] in ("z", "Z")]
    assert rings, "no ring drawn for the Astravets layer"
    ring = max(rings, key=lambda p: p.bounding_box()["width"])
    point = ring.evaluate(EDGE_POINT_JS)
    assert point is not None, "no point of the ring's outline is on top"
    frame.locator("body").evaluate(RECORD_POPUPS_JS)
    ring.click(position=point)


def test_clicking_a_ring_opens_a_popup_with_km_mi_and_seed(page: Page, app_url: str) -> None:
    frame = open_app(page, app_url)
    _click_ring(page, frame)
    # Read from the recorder: the click's rerun may close the popup (see the next test).
    page.wait_for_function("() => (window.__e2ePopups || []).length > 0")
    texts = page.evaluate("() => window.__e2ePopups")
    assert cite(SEED_2019) == "Jamestown 2019"
    assert any(KM_MI.search(t) and cite(SEED_2019) in t for t in texts), texts
    _screenshot(page, "ring_popup")


def test_a_click_on_a_key_site_opens_the_site_not_a_ring_around_it(
    page: Page, app_url: str
) -> None:
    frame = open_app(page, app_url)  # the overview: every ring layer is on
    container = frame.locator(".leaflet-container").first
    for name in KEY_SITES:
        assert container.evaluate(CENTRE_ON_SITE_JS, name) is not None, f"no marker {name!r}"
        wait_for_app_idle(page)  # the move is reported: a person clicks on a map at rest
        point = container.evaluate(CENTRE_ON_SITE_JS, name)
        container.click(position=point)
        popup = frame.locator(".leaflet-popup-content").last  # the last one fades for 0.2 s
        expect(popup).to_be_visible(timeout=POPUP_TIMEOUT_MS)
        expect(popup).to_contain_text(name, timeout=POPUP_TIMEOUT_MS)
        assert " km from " not in popup.inner_text(), f"{name}: a ring's popup opened"
        wait_for_app_idle(page)


def test_ring_popup_stays_open_after_the_app_settles(page: Page, app_url: str) -> None:
    frame = open_app(page, app_url)
    _click_ring(page, frame)
    page.wait_for_function("() => (window.__e2ePopups || []).length > 0")
    wait_for_app_idle(page)
    popup = frame.locator(".leaflet-popup-content")
    # Generous limits: a rerun on a busy machine takes seconds; a closed popup still fails.
    expect(popup).to_be_visible(timeout=POPUP_TIMEOUT_MS)
    expect(popup).to_contain_text(cite(SEED_2019), timeout=POPUP_TIMEOUT_MS)
    expect(frame.locator(".leaflet-popup")).to_have_css("opacity", "1", timeout=POPUP_TIMEOUT_MS)
    _screenshot(page, "ring_popup_settled")
