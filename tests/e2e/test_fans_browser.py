"""Range fans, radials and horizon rings in the running app: typed, drawn, kept in the
link, exported.

The fan's outline is read back from the live map and checked with pyproj.Geod: its
straight edges leave the centre at the fan's bounding bearings, its arc is at its range.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import Page, expect
from pyproj import Geod

from geo.gazetteer import site_place
from tests.e2e.conftest import downloaded, open_app, wait_for_app_idle
from tests.e2e.test_measure_browser import FEATURE_NAMES_JS, VERTICES_JS, map_window

pytestmark = pytest.mark.e2e
WGS84 = Geod(ellps="WGS84")
FAN = "Astravets NPP fan 120° ± 20°"  # what the fan below is called on the map


def number_box(page: Page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app_idle(page)


def test_a_typed_fan_and_radials_are_drawn_kept_in_the_link_and_exported(
    page: Page, app_url: str, tmp_path
) -> None:
    open_app(page, app_url, "scene=astravets_vilnius&layers=borders")
    page.get_by_role("tab", name="Fans & radials").click()
    wait_for_app_idle(page)
    number_box(page, "Centre", "Astravets NPP")
    number_box(page, "Bearing (° true)", "120")
    number_box(page, "Width (°)", "40")
    number_box(page, "Minimum range (km)", "5")
    number_box(page, "Maximum range (km)", "60")
    page.get_by_role("button", name="Add fan").click()
    wait_for_app_idle(page)
    number_box(page, "How many (1: a line of bearing)", "6")
    number_box(page, "Length (km)", "40")
    page.get_by_role("button", name="Add radials").click()
    wait_for_app_idle(page)

    expect(page).to_have_url(re.compile(r"fans=Astravets\+NPP%40120%2C40%2C5%2C60"))
    expect(page).to_have_url(re.compile(r"radials=Astravets\+NPP%406%2C40%2C0"))
    names = map_window(page).evaluate(FEATURE_NAMES_JS)
    assert FAN in names
    assert {f"Astravets NPP {a:05.1f}°" for a in range(0, 360, 60)} <= set(names)

    # The drawn fan, vertex by vertex: on an edge at 100° or 140°, or on an arc at 5 or 60
    # km, within the 2 m that the map's coordinates (5 decimals) allow.
    centre = site_place("astravets_npp")
    lat, lon = np.array(map_window(page).evaluate(VERTICES_JS, FAN)).T
    az, _, dist = WGS84.inv(np.full(lat.size, centre.lon), np.full(lat.size, centre.lat), lon, lat)
    off_edge = np.minimum(*(dist * np.abs(np.sin(np.radians(az - e))) for e in (100, 140)))
    off_arc = np.minimum(np.abs(dist - 5_000), np.abs(dist - 60_000))
    assert lat.size > 100 and (np.minimum(off_edge, off_arc) < 2.0).all()
    assert ((np.mod(az, 360) > 100 - 0.05) & (np.mod(az, 360) < 140 + 0.05)).all()

    # A radar horizon ring at the same place, 30 m antenna: √(2·(4/3)·R·30 m) = 22.6 km.
    page.get_by_role("tab", name="Rings").click()
    wait_for_app_idle(page)
    number_box(page, "Centre", "Astravets NPP")
    number_box(page, "Antenna or eye height (m)", "30")
    page.get_by_role("button", name="Add a horizon ring at the centre").click()
    wait_for_app_idle(page)
    expect(page).to_have_url(re.compile(r"horizons=Astravets\+NPP%4030%2C0%2Cradar"))
    assert "Astravets NPP radar horizon" in map_window(page).evaluate(FEATURE_NAMES_JS)

    # The link brings them back in a new page.
    link = page.url.split("?", 1)[1]
    open_app(page, app_url, link)
    names = map_window(page).evaluate(FEATURE_NAMES_JS)
    assert FAN in names and "Astravets NPP 300.0°" in names
    assert "Astravets NPP radar horizon" in names

    # And the export has them.
    page.get_by_text("Export the map").click()
    wait_for_app_idle(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Format").click()
    page.get_by_role("option", name="GeoJSON", exact=True).click()
    wait_for_app_idle(page)
    saved = downloaded(
        page, page.get_by_role("button", name=re.compile("Download GeoJSON")), tmp_path
    )
    features = json.loads(saved.read_text(encoding="utf-8"))["features"]
    roles = [f["properties"].get("role") for f in features if f["properties"]["layer"] == "user"]
    assert roles.count("fan") == 1 and roles.count("radial") == 6
    (fan,) = [f for f in features if f["properties"].get("role") == "fan"]
    assert fan["properties"]["min_range_km"] == 5 and fan["properties"]["max_range_km"] == 60
