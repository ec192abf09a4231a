"""Measuring, scenes and shared links in the running app, in Chromium with no internet.

Expected figures are computed here with pyproj.Geod from what the browser shows.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pyproj import Geod

from layers.scenes import scenes
from tests.e2e.conftest import MAP_IFRAME, open_app, wait_for_app_idle
from ui.link import MapState, UserRing, to_query

pytestmark = pytest.mark.e2e
WGS84 = Geod(ellps="WGS84")
# The ruler's summary: "A → B: 123.456 km · …"
RULER = re.compile(r"(?P<a>[^\n]+?) → (?P<b>[^\n]+?): (?P<km>[\d,]+\.\d+) km")
RULER_IN_PAGE = re.compile(r" → .+: [\d,]+\.\d+ km")  # the same, as a JavaScript regex
DD = re.compile(r"(\d+\.\d+)°([NS]) (\d+\.\d+)°([EW])")

# Coordinates of every vertex of the named feature's outer ring, read from the live map.
VERTICES_JS = """
name => {
  const out = [];
  map_div.eachLayer(l => {
    if (l.feature && l.feature.properties.name === name && l.getLatLngs) {
      l.getLatLngs()[0].forEach(p => out.push([p.lat, p.lng]));
    }
  });
  return out;
}
"""


FEATURE_NAMES_JS = """
() => {
  const names = [];
  map_div.eachLayer(l => l.feature && names.push(l.feature.properties.name));
  return names;
}
"""


def map_window(page: Page):
    """The st_folium iframe as a Frame (to run JavaScript in the map's own window)."""
    return page.locator(MAP_IFRAME).first.element_handle().content_frame()


def query(state: MapState) -> str:
    return "&".join(f"{k}={v}" for k, v in to_query(state).items())


def ruler_text(page: Page) -> re.Match[str]:
    summary = page.get_by_text(RULER_IN_PAGE).first
    expect(summary).to_be_visible(timeout=30_000)
    match = RULER.search(summary.inner_text())
    assert match, summary.inner_text()
    return match


def lonlat(text: str) -> tuple[float, float]:
    lat, ns, lon, ew = DD.search(text).groups()
    return (float(lon) * (1 if ew == "E" else -1), float(lat) * (1 if ns == "N" else -1))


def test_two_clicks_measure_the_geodesic_within_0_1_percent(page: Page, app_url: str) -> None:
    frame = open_app(page, app_url, "scene=suwalki_gap&layers=rivers")
    page.get_by_text("Measure by clicking the map", exact=True).click()
    wait_for_app_idle(page)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    for fx, fy in ((0.25, 0.35), (0.7, 0.7)):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        wait_for_app_idle(page)
    match = ruler_text(page)
    (lon1, lat1), (lon2, lat2) = lonlat(match["a"]), lonlat(match["b"])
    expected_km = WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000
    assert float(match["km"].replace(",", "")) == pytest.approx(expected_km, rel=1e-3)
    expect(frame.locator(".leaflet-container").first).to_be_visible()


@pytest.mark.parametrize("radius_km", [30, 50, 100])
def test_the_ruler_reads_back_the_radius_of_each_astravets_ring(
    page: Page, app_url: str, radius_km: int
) -> None:
    open_app(page, app_url, "layers=astravets_rings&r_astravets_rings=30, 50, 100")
    vertices = map_window(page).evaluate(VERTICES_JS, f"Astravets NPP {radius_km} km")
    assert len(vertices) > 100
    lat, lon = vertices[len(vertices) // 3]
    page.get_by_role("textbox", name="From", exact=True).fill("Astravets NPP")
    page.get_by_role("textbox", name="From", exact=True).press("Enter")
    wait_for_app_idle(page)
    page.get_by_role("textbox", name="To", exact=True).fill(f"{lat:.7f}, {lon:.7f}")
    page.get_by_role("textbox", name="To", exact=True).press("Enter")
    wait_for_app_idle(page)
    assert float(ruler_text(page)["km"].replace(",", "")) == pytest.approx(radius_km, rel=5e-4)


def test_ten_scene_switches_keep_the_same_leaflet_map(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    map_window(page).evaluate("() => { window.__e2eSameMap = map_div; }")
    titles = []
    for _ in range(10):
        page.get_by_role("button", name="Next ▶").first.click()
        wait_for_app_idle(page)
        titles.append(page.locator("h3").first.inner_text())
        assert map_window(page).evaluate("() => window.__e2eSameMap === map_div")
    assert len(set(titles)) == min(len(scenes()), 10)  # went round every scene


def test_a_shared_link_restores_layers_and_rings(page: Page, app_url: str) -> None:
    state = MapState(
        scene="astravets_vilnius",
        layers=("astravets_rings", "borders"),
        radii={"astravets_rings": (15.0, 45.0)},
        rings=(UserRing("Minsk", (120.0,)),),
    )
    open_app(page, app_url, query(state))
    names = map_window(page).evaluate(FEATURE_NAMES_JS)
    assert {"Astravets NPP 15 km", "Astravets NPP 45 km", "Minsk 120 km"} <= set(names)
    assert not any(n.startswith("Vilnius ") for n in names)
    expect(page.get_by_role("checkbox", name="Vilnius", exact=True)).not_to_be_checked()


def test_a_zoomed_view_goes_into_the_link_and_the_link_restores_it(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url, "scene=astravets_vilnius")
    assert "view=" not in page.url  # the scene's own view needs no parameter
    page.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-zoom-in").first.click()
    wait_for_app_idle(page)
    expect(page).to_have_url(re.compile(r"view=54\.\d+%2C25\.\d+%2C10"), timeout=30_000)
    link_query = page.url.split("?", 1)[1]
    open_app(page, app_url, link_query)
    view = map_window(page).evaluate(
        "() => [map_div.getCenter().lat, map_div.getCenter().lng, map_div.getZoom()]"
    )
    lat, lon, zoom = (
        float(v) for v in re.search(r"view=([\d.]+)%2C([\d.]+)%2C(\d+)", page.url).groups()
    )
    assert view[2] == zoom == 10
    assert view[:2] == pytest.approx([lat, lon], abs=1e-4)


LEG_ENDS_JS = """
() => {
  const legs = {};
  map_div.eachLayer(l => {
    const name = l.feature && l.feature.properties.name;
    if (name && name.startsWith("Leg ") && l.getLatLngs) {
      const pts = l.getLatLngs().flat(Infinity);
      legs[name] = [[pts[0].lng, pts[0].lat], [pts[pts.length - 1].lng, pts[pts.length - 1].lat]];
    }
  });
  return legs;
}
"""
ROUTE = re.compile(r"Route of (\d+) points: ([\d,]+\.\d+) km")


def test_a_route_of_clicks_adds_up_its_geodesic_legs(page: Page, app_url: str) -> None:
    open_app(page, app_url, "scene=suwalki_gap&layers=rivers")
    page.get_by_text("Measure by clicking the map", exact=True).click()
    wait_for_app_idle(page)
    page.get_by_text("Route: every click adds a leg", exact=False).click()
    wait_for_app_idle(page)
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()  # the toggle is below it
    box = page.locator(MAP_IFRAME).first.bounding_box()
    for fx, fy in ((0.2, 0.3), (0.5, 0.6), (0.8, 0.35)):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        wait_for_app_idle(page)
    summary = page.get_by_text(ROUTE).first
    expect(summary).to_be_visible(timeout=30_000)
    count, km = ROUTE.search(summary.inner_text()).groups()
    legs = map_window(page).evaluate(LEG_ENDS_JS)
    assert int(count) == 3 and sorted(legs) == ["Leg 1", "Leg 2"]
    assert legs["Leg 1"][1] == pytest.approx(legs["Leg 2"][0])  # one route, end to end
    expected = sum(WGS84.inv(*a, *b)[2] for a, b in legs.values()) / 1000
    assert float(km.replace(",", "")) == pytest.approx(expected, rel=1e-4)
