"""Browser fixtures: the real app in a subprocess, driven by Debian's Chromium, offline.

``make test`` installs ``/usr/bin/chromium`` (apt) and ``playwright`` (requirements-dev.txt);
``playwright install`` cannot download browsers here, so Chromium is always launched from
``/usr/bin/chromium``. Each test's browser context may reach only the local app: every
other request is aborted, as on a machine with no internet, and recorded in :class:`NetLog`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.browser import CHROMIUM, launch
from bench.serve import ServerError, streamlit_server

ROOT = Path(__file__).resolve().parents[2]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Every wait's limit (the pages' default too): generous, since a limit is only reached when
# something is wrong. Three workers on two cores, each with a server and Chromium, once
# took over 30 s for the network to settle after the first map of a worker (CI, 03:40).
MAP_TIMEOUT_MS = 90_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests, and only them, when Debian's Chromium is not installed."""
    if CHROMIUM.is_file():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (`make test` installs it)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@dataclass
class NetLog:
    """What a page tried to fetch from outside localhost, and what went wrong in it.

    Attributes
    ----------
    blocked : list of str
        URLs aborted by the route handler (any host but 127.0.0.1/localhost).
    failed : list of tuple of (str, str)
        Every ``requestfailed`` event (URL, error text), blocked ones included.
    http_errors : list of tuple of (int, str)
        Responses with status 400 or more (status, URL), e.g. a missing vendored asset.
    page_errors : list of str
        Uncaught JavaScript errors in the page or its frames (the map's iframe included).
    """

    blocked: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    http_errors: list[tuple[int, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def blocked_except_tiles(self) -> list[str]:
        """Blocked URLs that are not map tiles (should be empty)."""
        return [url for url in self.blocked if not is_tile_url(url)]


TILE_PATH = re.compile(r"/\d+/\d+/\d+(@\dx)?\.(png|jpe?g|webp|pbf|mvt)$")


def is_tile_url(url: str) -> bool:
    """A map tile: ``tile`` in the host or path, or a ``/{z}/{x}/{y}.png``-style path."""
    parts = urlsplit(url)
    return "tile" in parts.netloc or "tile" in parts.path or bool(TILE_PATH.search(parts.path))


@dataclass(frozen=True)
class AppServer:
    """The app's server for the browser tests: its URL and the folder of its log."""

    url: str
    logs: Path

    LOG_FILES = ("stderr.txt", "stdout.txt")

    def log_mark(self) -> dict[str, int]:
        """Where each of the server's log files ends now (bytes)."""
        return {name: (self.logs / name).stat().st_size for name in self.LOG_FILES}

    def log_lines(self, since: dict[str, int] | None = None) -> list[str]:
        """The lines the server wrote (since a :meth:`log_mark`): stderr's, then stdout's."""
        lines = []
        for name in self.LOG_FILES:
            with open(self.logs / name, "rb") as log:
                log.seek((since or {}).get(name, 0))
                lines += log.read().decode(errors="replace").splitlines()
        return lines


# All the server writes in normal use (issue #21): its start-up and its stop. Any other
# line (a warning, an error, a stack trace, a library's remark) is one an operator would
# have to look into.
LOG_EXPECTED = re.compile(
    r"^\s*$"
    r"|^warmed up in [\d.]+ s \(data [\d.]+ s, layers [\d.]+ s, backdrops [\d.]+ s\)$"
    r"|^[\d,]+ objects left out of garbage collection$"
    r"|^[\d-]+ [\d:.]+ Uvicorn server started on [\w.-]+:\d+$"
    r"|^\s*You can now view your Streamlit app in your browser\.$"
    r"|^\s*URL: http://[\w.-]+:\d+$"
    r"|^\s*Stopping\.\.\.$"
)


def log_problems(lines: list[str]) -> list[str]:
    """The lines of a server log that are not its start-up or stop."""
    return [line for line in lines if not LOG_EXPECTED.match(line)]


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The real app, started as ``make run`` starts it (``cli.py serve``), shared by the
    browser tests. After the last of them its log must hold no warning, error or stack
    trace: every test here is normal use or input the app refuses with a message."""
    logs = tmp_path_factory.mktemp("streamlit")
    try:
        with streamlit_server(logs) as (url, proc):
            server = AppServer(url, logs)
            yield server
            if proc.poll() is not None:  # died during the session: say so next to the failures
                stderr = (logs / "stderr.txt").read_text(errors="replace")
                pytest.fail(f"streamlit exited with {proc.returncode} during the tests:\n{stderr}")
    except ServerError as exc:
        pytest.fail(str(exc))
    problems = log_problems(server.log_lines())
    assert problems == [], f"the server logged problems during the browser tests ({logs})"


@pytest.fixture(scope="session")
def app_url(app_server: AppServer) -> str:
    """The URL of the real app (:func:`app_server`)."""
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium under Playwright (never Playwright's downloaded browsers)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def net() -> NetLog:
    """The outside requests of this test's page (filled in by the ``page`` fixture)."""
    return NetLog()


@contextmanager
def logged_page(
    browser, net: NetLog, allowed: Callable[[str], bool], *, width: int = 1400, height: int = 1000
) -> Iterator:
    """A page in a fresh context that may fetch only URLs ``allowed`` says; the rest is
    aborted (as with no internet) and logged in ``net`` with failures and JS errors."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, service_workers="block"
    )

    def route(r) -> None:
        if allowed(r.request.url):
            r.continue_()
        else:
            net.blocked.append(r.request.url)
            r.abort("internetdisconnected")

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("requestfailed", lambda req: net.failed.append((req.url, req.failure or "")))
    pg.on("response", lambda r: r.status >= 400 and net.http_errors.append((r.status, r.url)))
    pg.on("pageerror", lambda exc: net.page_errors.append(str(exc)))
    pg.set_default_timeout(MAP_TIMEOUT_MS)
    try:
        yield pg
    finally:
        context.close()


def is_local(url: str) -> bool:
    """localhost, or a URL that never leaves the page (data:, blob:, about:)."""
    return urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture
def page(browser, net: NetLog):
    """A page in a fresh context whose network reaches only localhost."""
    with logged_page(browser, net, is_local) as pg:
        yield pg


def map_frame(page):
    """The FrameLocator of the st_folium iframe that holds the Leaflet map."""
    return page.frame_locator(MAP_IFRAME).first


SIDEBAR_CONTROL = '[data-testid="stSidebar"] [data-testid="stCheckbox"]'  # a layer's box


def open_app(page, app_url: str, query: str = ""):
    """Open the app (``query`` like ``"layer=x"``, with or without ``?``) and wait for the map.

    Returns the map's FrameLocator once ``.leaflet-container`` is visible, at least one
    ``path.leaflet-interactive`` is in it, the sidebar's controls have followed (the
    map's first report brings them) and the app is idle (:func:`wait_for_app_idle`).
    """
    query = query.lstrip("?")
    page.goto(f"{app_url}/{'?' + query if query else ''}", wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator(".leaflet-container").first.wait_for(state="visible", timeout=MAP_TIMEOUT_MS)
    frame.locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=MAP_TIMEOUT_MS
    )
    page.locator(SIDEBAR_CONTROL).first.wait_for(state="visible", timeout=MAP_TIMEOUT_MS)
    wait_for_app_idle(page)  # the rest of the layers and any rerun settle
    return frame


# True once Streamlit's script has been idle ("notRunning") for `quiet` ms without a break.
_IDLE_JS = """
quiet => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.getAttribute('data-test-script-state') === 'notRunning';
  const now = performance.now();
  if (!idle || window.__e2eIdleSince === undefined) window.__e2eIdleSince = now;
  return now - window.__e2eIdleSince >= quiet;
}
"""


def wait_for_app_idle(page, quiet_ms: int = 1200, timeout_ms: int = MAP_TIMEOUT_MS) -> None:
    """Wait until no Streamlit rerun has run for ``quiet_ms`` (and the network is idle).

    A map click or widget change reaches the server a few hundred ms later and its rerun
    may then re-send the map's layers; the quiet period covers that delay.
    """
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { delete window.__e2eIdleSince; }")
    page.wait_for_function(_IDLE_JS, arg=quiet_ms, timeout=timeout_ms, polling=50)


def downloaded(page, button, folder: Path, name: str | None = None) -> Path:
    """Click a download button once the app is idle, and save what it sends in ``folder``
    (as ``name``, or the file name the app gives). A click straight after the button
    appeared (its script not loaded, or a rerun running) brought no download in about
    1 run of 12."""
    button.wait_for(state="visible")
    wait_for_app_idle(page)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    saved = folder / (name or info.value.suggested_filename)
    info.value.save_as(saved)
    return saved


def layer_control(frame):
    """The map's layer control, opened: it is a button until the pointer is over it (the
    app's reruns make it anew, closed, so open it before each use)."""
    control = frame.locator(".leaflet-control-layers").first
    control.hover()
    control.locator(".leaflet-control-layers-list").wait_for(state="visible")
    return control
