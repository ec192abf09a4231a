"""What travels and what is redrawn when a person changes the map.

The catalogue's layers reach the browser as served files (:mod:`webmap.served`), fetched
once per page; a rerun's message names them, and the page keeps drawn the layers it
still shows (``webmap/js/atlas-app.js``). These tests turn a layer off and on in the
sidebar and count what the browser then receives (over Streamlit's websocket and from
the server's static files) and which drawn paths are new. They count bytes, requests and
elements; they time nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from layers.catalogue import CATALOGUE, build
from layers.scenes import scenes
from tests.e2e.conftest import layer_control, open_app, wait_for_app_idle
from webmap.render import layer_data
from webmap.served import SERVED_URL

pytestmark = pytest.mark.e2e

PATHS = "path.leaflet-interactive"
ACTION_BUDGET_BYTES = 50_000  # issue #15: what one action may send over the websocket
TURNED_OFF = CATALOGUE["vilnius_rings"]
SAMPLE_CHARS = 400  # a stretch of a layer's data that could only come from that layer


def shown_layer_data() -> dict[str, str]:
    """The data of every layer the opening scene shows, as the app serves it (km)."""
    return {i: layer_data(CATALOGUE[i], build(i)) for i in scenes()[0].layers}


def test_turning_a_layer_off_sends_no_layer_data_and_fetches_nothing(page: Page, app_url: str):
    data = shown_layer_data()
    assert sum(map(len, data.values())) > 4 * ACTION_BUDGET_BYTES, "the layers outweigh a budget"
    frames: list[bytes] = []
    fetched: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
    page.on("request", lambda r: fetched.append(r.url))

    frame = open_app(page, app_url)
    assert any(SERVED_URL in url for url in fetched), "the layers come as served files"
    drawn = frame.locator(PATHS).count()
    assert drawn > 10
    frames.clear()
    fetched.clear()

    page.get_by_test_id("stSidebar").get_by_text(TURNED_OFF.title, exact=True).click()
    stroked = frame.locator(f'{PATHS}[stroke="{TURNED_OFF.style.color.lower()}"]')
    expect(stroked).to_have_count(0, timeout=30_000)
    wait_for_app_idle(page)

    received = b"".join(f if isinstance(f, bytes) else f.encode() for f in frames)
    assert 0 < len(received) <= ACTION_BUDGET_BYTES
    for layer_id, text in data.items():
        if len(text) < 4 * SAMPLE_CHARS:
            continue
        middle = len(text) // 2
        sample = text[middle : middle + SAMPLE_CHARS].encode()
        assert sample not in received, f"{layer_id}'s data was sent again"
    assert [url for url in fetched if SERVED_URL in url] == [], "a layer was fetched again"
    assert frame.locator(PATHS).count() < drawn


TOGGLED = CATALOGUE["rivers"]  # a context layer, sent after the territories
BELOW = CATALOGUE["borders"]  # the territories: drawn first
ABOVE = CATALOGUE["vilnius_rings"]  # a strategic layer of the opening scene


def stroked(frame, spec):
    return frame.locator(f'{PATHS}[stroke="{spec.style.color.lower()}"]')


def stacked_in_order(frame, *specs) -> bool:
    """Whether every path of each layer comes after every path of the one before it."""
    return frame.locator(PATHS).evaluate_all(
        """(paths, colors) => {
            const at = (color) =>
                paths.flatMap((p, i) => (p.getAttribute("stroke") === color ? [i] : []));
            const spans = colors.map(at);
            return spans.every((s) => s.length > 0) && spans.slice(1).every(
                (s, i) => Math.max(...spans[i]) < Math.min(...s));
        }""",
        [spec.style.color.lower() for spec in specs],
    )


def test_a_toggle_draws_only_the_layer_it_turns_on_in_its_place_in_the_stack(
    page: Page, app_url: str
):
    frame = open_app(page, app_url)
    wait_for_app_idle(page)
    assert stacked_in_order(frame, BELOW, TOGGLED, ABOVE), "as sent, whatever came first"
    rivers = stroked(frame, TOGGLED).count()
    tagged = frame.locator(PATHS).evaluate_all("ps => ps.map(p => (p.dataset.before = 1)).length")
    others = tagged - rivers
    checkbox = page.get_by_test_id("stSidebar").get_by_text(TOGGLED.title, exact=True)

    checkbox.click()
    expect(stroked(frame, TOGGLED)).to_have_count(0, timeout=30_000)
    wait_for_app_idle(page)
    expect(frame.locator(f"{PATHS}[data-before]")).to_have_count(others)
    assert frame.locator(PATHS).count() == others, "the other layers were not drawn again"

    checkbox.click()
    expect(stroked(frame, TOGGLED)).to_have_count(rivers, timeout=30_000)
    wait_for_app_idle(page)
    expect(frame.locator(f"{PATHS}[data-before]")).to_have_count(others)
    assert stacked_in_order(frame, BELOW, TOGGLED, ABOVE), "turned on again: in its place"


def test_a_layer_turned_on_in_the_layer_control_goes_back_to_its_place(page: Page, app_url: str):
    frame = open_app(page, app_url)
    wait_for_app_idle(page)

    def box():
        overlays = layer_control(frame).locator(".leaflet-control-layers-overlays")
        return overlays.locator("label", has_text=TOGGLED.title).locator("input")

    box().uncheck()
    expect(stroked(frame, TOGGLED)).to_have_count(0, timeout=30_000)
    box().check()
    expect(stroked(frame, TOGGLED).first).to_be_attached(timeout=30_000)
    assert stacked_in_order(frame, BELOW, TOGGLED, ABOVE)


# Counts, per line or shape drawn on the main map (Leaflet's id; not the minimap's), how
# often its outline is projected and rebuilt from then on.
COUNT_REDRAWS_JS = """
() => {
  const counts = (window.__atlasRedraws = {});
  for (const name of ["_project", "_updatePath"]) {
    const original = L.Polyline.prototype["__" + name] || L.Polyline.prototype[name];
    L.Polyline.prototype["__" + name] = original;
    L.Polyline.prototype[name] = function () {
      if (this._map !== window.map) return original.apply(this, arguments);
      const key = name + " " + L.stamp(this);
      counts[key] = (counts[key] || 0) + 1;
      return original.apply(this, arguments);
    };
  }
}
"""


def test_the_next_scene_projects_and_draws_each_outline_once(page: Page, app_url: str):
    frame = open_app(page, app_url)  # the overview: the next scene shows fewer layers
    body = frame.locator("body")
    next_scene = page.get_by_test_id("stSidebar").get_by_role("button", name="Next ▶")
    # The overview to the Suwalki gap keeps three layers and drops five; the Suwalki gap to
    # the Smolensk Gates keeps two, drops one and brings two anew (rivers, the gates).
    for _ in range(2):
        body.evaluate(COUNT_REDRAWS_JS)
        before = frame.locator(PATHS).count()
        next_scene.click()
        expect(frame.locator(PATHS)).not_to_have_count(before, timeout=30_000)
        wait_for_app_idle(page)

        counts = body.evaluate("() => window.__atlasRedraws")
        shown = body.evaluate(
            "() => Object.values(window.map._layers).filter(l => l._path).map(L.stamp)"
        )
        projected = {key: n for key, n in counts.items() if key.startswith("_project ")}
        drawn = [n for key, n in counts.items() if key.startswith("_updatePath ")]
        assert projected and drawn, "the new view redrew the outlines"
        # Leaflet's SVG renderer did it twice and three times, and a layer new to the
        # view was projected at the old one first (webmap/js/atlas-app.js).
        assert max(projected.values()) == 1 and max(drawn) == 1, (projected, drawn)
        # A layer that left is gone before the new view is drawn.
        assert {int(key.split()[1]) for key in projected} <= set(shown)
