"""Two people on one server, in Chromium: what one uploads the other never sees, and a
saved workspace opened in another browser brings the map back.

Each person is a fresh browser context (its own cookies and Streamlit session).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, NetLog, downloaded, is_local, logged_page, open_app
from tests.e2e.test_upload_browser import SIDEBAR, drop_files

pytestmark = pytest.mark.e2e

HOSTILE = ROOT / "tests" / "data" / "hostile"
TRACKS = "Tracks (your layer)"


def test_a_workspace_saved_by_one_user_opens_in_another_browser_and_nothing_leaks(
    browser, app_url: str, tmp_path
) -> None:
    with logged_page(browser, NetLog(), is_local) as first:
        frame = open_app(first, app_url, "scene=suwalki_gap")
        drop_files(first, ("patrols.kml", (HOSTILE / "tracks.kml").read_bytes()))
        overlays = frame.locator(".leaflet-control-layers-overlays")
        expect(overlays.get_by_text(TRACKS, exact=True)).to_be_attached()
        with logged_page(browser, NetLog(), is_local) as second:  # at the same time
            other = open_app(second, app_url)
            expect(other.locator(".leaflet-control-layers-overlays")).to_be_attached()
            expect(second.locator(SIDEBAR).get_by_text(TRACKS)).to_have_count(0)
            assert TRACKS not in other.locator(".leaflet-control-layers").inner_text()
        button = first.get_by_role("button", name="Save workspace")
        saved = downloaded(first, button, tmp_path, "atlas-workspace.gpkg")
        heading = first.locator("h3").first.inner_text()

    with logged_page(browser, NetLog(), is_local) as third:
        frame = open_app(third, app_url)
        drop_files(third, ("atlas-workspace.gpkg", saved.read_bytes()))
        sidebar = third.locator(SIDEBAR)
        expect(sidebar.get_by_text("workspace opened: 1 file, 1 layer, 0 clicks")).to_be_visible()
        expect(
            frame.locator(".leaflet-control-layers-overlays").get_by_text(TRACKS)
        ).to_be_attached()
        expect(third.locator("h3").first).to_have_text(heading)  # the scene it was saved in
