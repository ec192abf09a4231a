"""Forces in the browser (#18): unit symbols in the running app and in the offline export,
with no request leaving the page; the laydown follows the date control and the scenes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exports.formats import export
from geo.forces import as_of, forces
from tests.e2e.conftest import NetLog, logged_page, map_frame, open_app, wait_for_app_idle

pytestmark = pytest.mark.e2e
SYMBOLS = ".atlas-symbol svg"
GENEROUS_MS = 60_000


def _units_on(day: str) -> int:
    """How many units data/forces.csv has there on a day (counted without the layer)."""
    return len(as_of(forces(), dt.date.fromisoformat(day)))


def _symbol_count_is(page: Page, n: int) -> None:
    """Wait (a condition, generously) until the map shows ``n`` unit symbols."""
    page.wait_for_function(
        """([sel, n]) => {
          const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
          return f && f.contentDocument && f.contentDocument.querySelectorAll(sel).length === n;
        }""",
        arg=[SYMBOLS, n],
        timeout=GENEROUS_MS,
        polling=100,
    )


def type_as_of(page: Page, day: str) -> None:
    """Type a date into "Forces as of" as a person does: year, month, day, then click away
    (the control takes its value when it loses focus)."""
    for part, value in zip(("year", "month", "day"), day.split("-"), strict=True):
        page.get_by_role("spinbutton", name=f"{part}, Forces as of").click()
        page.keyboard.type(value)
    page.get_by_text("Briefing", exact=True).click()


def test_a_scene_shows_the_laydown_on_its_date_and_the_date_control_changes_it(
    page: Page, app_url: str, net: NetLog, tmp_path: Path
) -> None:
    open_app(page, app_url, "scene=forces_2017")
    _symbol_count_is(page, _units_on("2017-03-01"))
    frame = map_frame(page)
    # Each symbol is milsymbol's drawing: a frame path inside an SVG, its anchor on the unit.
    assert frame.locator(f"{SYMBOLS} path").count() >= _units_on("2017-03-01")
    expect(frame.locator(".atlas-label:visible", has_text="Rukla")).to_have_count(1)
    page.screenshot(path=tmp_path / "forces_2017.png")

    type_as_of(page, "2017-06-19")
    _symbol_count_is(page, _units_on("2017-06-19"))
    wait_for_app_idle(page)
    assert "as_of=2017-06-19" in page.url

    frame.locator(".atlas-symbol").first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=GENEROUS_MS)
    text = popup.inner_text()
    assert "SIDC 100" in text and "source:" in text and re.search(r"from [\d.,]+ km to", text)
    assert net.blocked_except_tiles() == [] and net.page_errors == []


def test_the_offline_export_draws_every_symbol_with_no_request(browser, tmp_path: Path) -> None:
    path = tmp_path / "forces.html"
    export(
        path,
        layer_ids=["borders", "forces"],
        offline=True,
        params={"forces": {"as_of_date": "2020-01-01"}},
    )
    net = NetLog()
    with logged_page(browser, net, lambda url: url.startswith("file://")) as file_page:
        file_page.goto(path.as_uri(), wait_until="load")
        file_page.locator(SYMBOLS).first.wait_for(state="attached", timeout=GENEROUS_MS)
        expect(file_page.locator(SYMBOLS)).to_have_count(_units_on("2020-01-01"))
        expect(file_page.locator(".atlas-label:visible", has_text="Tapa")).to_have_count(1)
        file_page.locator(".atlas-symbol").nth(0).click()
        file_page.locator(".leaflet-popup-content").wait_for(state="visible")
        assert "SIDC" in file_page.locator(".leaflet-popup-content").inner_text()
        file_page.screenshot(path=tmp_path / "forces_offline.png")
    assert net.blocked == [] and net.failed == [] and net.page_errors == []


def test_an_uploaded_file_of_units_is_drawn_as_symbols_that_follow_the_date(
    page: Page, app_url: str, net: NetLog
) -> None:
    from tests.e2e.test_upload_browser import drop_files

    open_app(page, app_url, "scene=forces_today&layers=borders")
    _symbol_count_is(page, 0)
    units = (
        b"name,lat,lon,sidc,from\n"
        b"Recce squadron,54.9,25.6,10031000141211000000,2024-01-01\n"
        b"Old post,54.2,26.4,10061000141211000000,\n"
    )
    drop_files(page, ("units.csv", units))
    _symbol_count_is(page, 2)
    type_as_of(page, "2023-06-01")
    _symbol_count_is(page, 1)  # the squadron is not there yet; the undated post is
    assert net.blocked_except_tiles() == [] and net.page_errors == []
