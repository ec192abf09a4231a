"""The server restarted under an open page: the page reconnects, and its link (written
into the URL after every rerun) brings the map back on the new server.

This test starts its own server, as ``make run`` does, on a port it keeps for the restart.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.serve import free_port, streamlit_server
from layers.scenes import scene
from tests.e2e.conftest import (
    AppServer,
    NetLog,
    is_local,
    log_problems,
    logged_page,
    open_app,
    wait_for_app_idle,
)

pytestmark = pytest.mark.e2e

SIDEBAR = 'section[data-testid="stSidebar"]'


def test_after_a_restart_the_page_reconnects_and_its_link_restores_the_map(browser, tmp_path):
    port = free_port()
    first = streamlit_server(tmp_path / "first", port=port)
    url, _ = first.__enter__()
    try:
        with logged_page(browser, NetLog(), is_local) as page:
            open_app(page, url, "scene=suwalki_gap")
            page.locator(SIDEBAR).get_by_text("nmi", exact=True).click()  # into the link
            wait_for_app_idle(page)
            assert "units=nmi" in page.url and "scene=suwalki_gap" in page.url
            first.__exit__(None, None, None)  # the server goes away under the page
            first = None
            with streamlit_server(tmp_path / "second", port=port):
                # The page reconnects by itself; a click then reruns on the new server.
                wait_for_app_idle(page)
                before = page.url
                rivers = page.locator(SIDEBAR).get_by_text("Rivers", exact=True)
                rivers.click(timeout=120_000)  # the sidebar's label, as a person clicks it
                # Only a server writes the link: a new one took the click and the page's state.
                page.wait_for_function("u => window.location.href !== u", arg=before)
                wait_for_app_idle(page)
                expect(page.locator("h3").first).to_have_text(scene("suwalki_gap").title)
                units = page.locator(SIDEBAR).get_by_role("radio", name="nmi", exact=True)
                expect(units).to_be_checked()
                assert "units=nmi" in page.url and "scene=suwalki_gap" in page.url
                rivers_box = page.locator(SIDEBAR).get_by_role("checkbox", name="Rivers")
                expect(rivers_box).to_be_checked()  # the click the page reconnected with
                assert "rivers" in page.evaluate("location.href")
                for server in ("first", "second"):  # start-up and stop, nothing else
                    log = AppServer("", tmp_path / server).log_lines()
                    assert log_problems(log) == [], "\n".join(log)
    finally:
        if first is not None:
            first.__exit__(None, None, None)
