"""The map says its figures, and its controls keep out of the way: each scene in Chromium.

Network blocked. For every scene: the labels shown do not overlap, the scene's figures
and key places are named on the map without a click, the layer control is a button and
the scale bar is clear of the attribution. The screenshots go to ``build/`` (``docs/``
holds the ones the README shows).
"""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect

from layers.catalogue import build
from layers.scenes import scenes
from tests.conftest import ROOT
from tests.e2e.conftest import open_app, wait_for_app_idle

SHOTS = ROOT / "build"

# The labels shown: text and box in the map's frame.
SHOWN_LABELS_JS = """
() => [...document.querySelectorAll(".atlas-label")]
  .filter(e => e.style.visibility === "visible")
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent, r.left, r.top, r.right, r.bottom]; })
"""


# True once no label shown on the map lies under what the page lays over it while
# presenting (the map's frame fills the window: its pixels are the page's).
UNCOVERED_JS = """
() => {
  const doc = document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentDocument;
  const covers = [...document.querySelectorAll(".atlas-present div, .st-key-present_bar")]
    .map(e => e.getBoundingClientRect());
  const labels = [...doc.querySelectorAll(".atlas-label")]
    .filter(e => e.style.visibility === "visible").map(e => e.getBoundingClientRect());
  return covers.length === 2 && labels.length > 0 && !labels.some(a => covers.some(b =>
    a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top));
}
"""


def width(layer_id: str) -> str:
    km = build(layer_id).metrics["width_km"]
    return f"{km:.1f} km · {km / 1.609344:.1f} mi"


# What each scene names on the map, whatever else fits.
NAMED = {
    "overview": [
        f"Suwałki gap {width('suwalki_gap')}",
        f"Smolensk Gates {width('smolensk_gates')}",
    ],
    "suwalki_gap": [f"Suwałki gap {width('suwalki_gap')}"],
    "smolensk_gates": [f"Smolensk Gates {width('smolensk_gates')}"],
    "astravets_vilnius": ["Astravets NPP", "Vilnius", "30 km", "50 km"],
    "yelnia_klintsy": ["Yelnia regiment", "Klintsy regiment", "100 km", "200 km"],
    "forces_today": ["eFP battlegroup Estonia (UK-led), Tapa", "Motor-rifle regiment, Yelnya"],
    "forces_2017": ["eFP battlegroup Lithuania (Germany-led), Rukla"],
}


def corners(box: dict) -> tuple[float, float, float, float]:
    """A Playwright bounding box as (left, top, right, bottom)."""
    return (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])


def overlap(a, b) -> float:
    """The area two boxes share (0 if they only touch)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def test_every_scene_names_its_figures_with_no_label_over_another(page: Page, app_url: str):
    page.set_viewport_size({"width": 1600, "height": 1000})
    frame = open_app(page, app_url)
    body = frame.locator("body")
    next_scene = page.get_by_test_id("stSidebar").get_by_role("button", name="Next ▶")
    assert [s.id for s in scenes()][: len(NAMED)] == list(NAMED)
    for i, shown in enumerate(scenes()):
        if i:
            next_scene.click()
            wait_for_app_idle(page)
        for text in NAMED[shown.id]:
            label = frame.locator(".atlas-label", has_text=text)
            expect(label.filter(visible=True).first).to_be_visible(timeout=30_000)
        labels = body.evaluate(SHOWN_LABELS_JS)
        said = [text for text, *_ in labels]
        assert all(any(t == text for t in said) for text in NAMED[shown.id]), said
        crossed = [
            (a[0], b[0]) for a, b in itertools.combinations(labels, 2) if overlap(a[1:], b[1:]) > 1
        ]
        assert crossed == [], f"{shown.title}: labels over labels"
        # The controls keep out of the way.
        expect(frame.locator(".leaflet-control-layers-list")).to_be_hidden()
        scale, attribution = (
            frame.locator(selector).first.bounding_box()
            for selector in (".leaflet-control-scale", ".leaflet-control-attribution")
        )
        assert overlap(corners(scale), corners(attribution)) == 0, "scale bar under attribution"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"e2e_scene_{shown.id}.png"))


@pytest.mark.parametrize("width_px", [1280, 1920])
def test_the_map_fills_the_window_below_the_caption(page: Page, app_url: str, width_px: int):
    page.set_viewport_size({"width": width_px, "height": 1000})
    open_app(page, app_url)
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert box["y"] + box["height"] >= 1000 - 40, box  # to the window's foot
    frame_map = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    inner = frame_map.locator(".leaflet-container").first.bounding_box()
    assert inner["height"] >= box["height"] - 2  # the map fills its frame


def test_presenting_the_map_fills_the_window_with_the_caption_over_it(page: Page, app_url: str):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, app_url)
    page.get_by_test_id("stSidebar").get_by_text("Presentation mode", exact=False).click()
    wait_for_app_idle(page)
    frame = page.locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frame).to_have_css("position", "fixed")
    box = frame.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 1920, 1080)
    caption = page.locator(".atlas-present")
    expect(caption).to_contain_text(scenes()[0].title)
    assert float(caption.locator("b").evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 24
    # No label hides under the title card or the scene buttons.
    frame_map = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    expect(frame_map.locator(".atlas-label", has_text="Smolensk Gates").first).to_be_visible()
    page.wait_for_function(UNCOVERED_JS, timeout=30_000)
    figure = frame_map.locator(".atlas-label", has_text="Smolensk Gates").first
    assert float(figure.evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 18  # the room
    page.get_by_role("button", name="Next ▶").click()
    wait_for_app_idle(page)
    expect(caption).to_contain_text(scenes()[1].title)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "e2e_presenting.png"))
    page.get_by_role("button", name="Exit presentation").click()
    wait_for_app_idle(page)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
