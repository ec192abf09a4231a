"""The server's log in normal use: no warning, no error, no stack trace (issue #21).

An operator tells a real problem from noise by the log. This drives the app as a briefer
and a trainer would (every scene forward and back, every export format, an upload, the
workspace) and reads what the server wrote meanwhile. The shared server's whole log is
checked again after the last browser test (``app_server`` in ``conftest.py``).
"""

from __future__ import annotations

import json

import pytest

from layers.scenes import scene, scenes
from tests.e2e.conftest import (
    AppServer,
    downloaded,
    log_problems,
    open_app,
    wait_for_app_idle,
)
from ui.sidebar import EXPORT_LABELS

pytestmark = pytest.mark.e2e


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar's select box ``label``."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app_idle(page)


def test_scenes_exports_and_uploads_leave_the_server_log_quiet(
    page, app_server: AppServer, tmp_path
) -> None:
    mark = app_server.log_mark()
    open_app(page, app_server.url)
    sidebar = page.get_by_test_id("stSidebar")
    for step in ("Next ▶", "◀ Previous"):  # every scene, forward then back
        for _ in scenes()[1:]:
            sidebar.get_by_role("button", name=step).click()
            wait_for_app_idle(page)
    choose(page, "Scene", scene("forces_2017").title)  # units: symbols in KMZ and PNG

    points = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Observation post"},
                "geometry": {"type": "Point", "coordinates": [25.3, 54.7]},
            }
        ],
    }
    upload = tmp_path / "posts.geojson"
    upload.write_text(json.dumps(points), encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(upload)
    page.get_by_text("posts (your layer)").wait_for()
    wait_for_app_idle(page)

    page.get_by_text("Export the map").click()
    wait_for_app_idle(page)
    for fmt, label in EXPORT_LABELS.items():
        choose(page, "Format", label)
        button = page.get_by_role("button", name=f"Download {label}")
        saved = downloaded(page, button, tmp_path / fmt)
        assert saved.stat().st_size > 0, fmt
    saved = downloaded(page, page.get_by_role("button", name="Save workspace"), tmp_path / "ws")
    assert saved.read_bytes().startswith(b"SQLite format 3\x00")

    written = app_server.log_lines(since=mark)
    assert log_problems(written) == [], "\n".join(written)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("warmed up in 0.7 s (data 0.1 s, layers 0.5 s, backdrops 0.1 s)", False),
        ("191,038 objects left out of garbage collection", False),
        ("2026-12-03 14:18:39.030 Uvicorn server started on 127.0.0.1:49649", False),
        ("  URL: http://127.0.0.1:49649", False),
        ("  You can now view your Streamlit app in your browser.", False),
        ("  Stopping...", False),
        ("", False),
        ("2026-12-03 14:18:39.030 Uvicorn server started on 127.0.0.1:49649 (reloaded)", True),
        (
            '2026-12-03 14:20:40.857 The widget with key "scene_select" was created with a '
            "default value but also had its value set via the Session State API.",
            True,
        ),
        ("Stack (most recent call last):", True),
        ("Traceback (most recent call last):", True),
        ("UserWarning: Layer name 'Astravets nuclear plant' adjusted", True),
        ("2026-12-03 14:20:40.857 Error deserializing back message", True),
    ],
)
def test_the_log_check_knows_a_problem_when_it_sees_one(line: str, problem: bool) -> None:
    assert bool(log_problems([line])) is problem
