"""The map where the user sits: timed in Debian's Chromium, against floors from the same run.

Run with ``python -m bench.browser`` (its rows are also in ``make bench``), or
``python -m bench.browser --profile`` for the JavaScript CPU profile of one layer toggle.

A server is started as ``make run`` starts it (:mod:`bench.serve`); Chromium runs headless
under Playwright with every request outside 127.0.0.1 aborted (no internet, no tiles). Rows
(medians over repeated runs):

- **B0** a bare Streamlit page (``st.write`` only): page open → text shown. The floor for
  Streamlit itself.
- **B1** the app: page open → every default layer drawn. Budget ≤ 1.25 × (B0 + B6).
- **B2** a layer's checkbox → map updated; **B3** a ring radius typed → map updated;
  **B4** Next scene → map updated. Budget ≤ 0.35 × B6 each.
- **B5** bytes received over the websocket per B2/B3/B4 action. Budget ≤ 50 KB.
- **B6** our exported offline HTML with every layer: page open → drawn. The floor for
  drawing the map.
- **B8** the app: page open → the sidebar's controls shown. No budget: a new session's
  first run sends the map alone, and its controls follow once it is drawn (``app.main``).
- **B7** the smallest Streamlit page with a streamlit-folium map: a checkbox → its map
  changed. Not a budget of the issue: it shows what one click costs in Streamlit and
  streamlit-folium alone, before any of our work (B2–B4 include it).

"Map updated" is the first animation frame in which the map shows the action's final
state: the number of drawn paths and the total length of their SVG outlines equal what the
same action left once the app was idle in a warm-up run. Times are the page's own clock
(``performance.now()``), from the navigation or the click/keypress event to that frame.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import ROW_KEYS, Row, print_table, row
from bench.serve import ROOT, streamlit_server

CHROMIUM = Path("/usr/bin/chromium")  # Debian's (make installs it); Playwright's cannot download
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BARE_PAGE = Path(__file__).with_name("bare_page.py")
BARE_TEXT = "ready"  # what the bare page writes
FOLIUM_PAGE = Path(__file__).with_name("folium_page.py")
FOLIUM_FLIP = "flip"  # its checkbox (bench/folium_page.py)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 60_000
REPEATS = 10  # page opens per floor and B1 (B7: twice as many clicks)
SESSIONS = 2  # fresh sessions per action row: 12 timed steps each
KB = 1000
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

# Our probes of the page (bench/probes.js): added to every page and frame as they open.
PROBES = Path(__file__).with_name("probes.js")


def launch(playwright):
    """Debian's Chromium, headless, under Playwright (never Playwright's own browsers)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def is_local(url: str) -> bool:
    """A request that stays on this machine (the server, ``file:`` pages, ``data:`` URIs)."""
    return urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(
        ("data:", "blob:", "about:", "file:")
    )


@dataclass
class Wire:
    """Bytes the page received over Streamlit's websocket (``reset`` starts a new count)."""

    received: int = 0

    def on_socket(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.received += len(payload)

    def reset(self) -> None:
        self.received = 0


@contextmanager
def offline_page(browser, wire: Wire | None = None) -> Iterator:
    """A page in a fresh context (empty cache) that can reach only this machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    context.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    context.add_init_script(path=PROBES)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    if wire is not None:
        page.on("websocket", wire.on_socket)
    try:
        yield page
    finally:
        context.close()


def wait_idle(page, quiet_ms: int = 1500) -> None:
    """Wait until Streamlit has run no script for ``quiet_ms`` (the app has settled)."""
    page.evaluate("atlasBench.idleSince = undefined")
    page.wait_for_function(f"atlasBench.idleFor({int(quiet_ms)})", timeout=TIMEOUT_MS, polling=50)


def signature(page) -> list[int]:
    """The map's drawn state now (``atlasBench.signature`` in bench/probes.js)."""
    return page.evaluate("atlasBench.signature()")


def until(page, want: list[int]) -> float:
    """``performance.now()`` (ms) at the first frame where the map shows ``want``."""
    page.evaluate(f"atlasBench.want = {json.dumps(want)}")
    handle = page.wait_for_function("atlasBench.until()", polling="raf", timeout=TIMEOUT_MS)
    return float(handle.json_value())


def open_app(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.frame_locator(MAP_IFRAME).first.locator("path.leaflet-interactive").first.wait_for(
        state="attached"
    )
    wait_idle(page)


# -- the floors ---------------------------------------------------------------------------


def bare_page_ms(browser, url: str) -> list[float]:
    """B0: open a page that only writes a line of text; ms until the text is shown."""
    times = []
    for _ in range(REPEATS):
        with offline_page(browser) as page:
            page.goto(url, wait_until="commit")
            handle = page.wait_for_function(
                f"atlasBench.textShown({json.dumps(BARE_TEXT)})", polling="raf", timeout=TIMEOUT_MS
            )
            times.append(float(handle.json_value()))
    return times


def offline_html_ms(browser, path: Path) -> list[float]:
    """B6: open our offline HTML with every layer; ms until the map is drawn."""
    with offline_page(browser) as page:
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("atlasBench.twoFrames()")
        want = signature(page)
    times = []
    for _ in range(REPEATS):
        with offline_page(browser) as page:
            page.goto(path.as_uri(), wait_until="commit")
            times.append(until(page, want))
    return times


def folium_page_ms(browser, url: str) -> list[float]:
    """B7: on the smallest streamlit-folium page, ms from a click to its map changed."""
    times = []
    with offline_page(browser) as page:
        page.goto(url, wait_until="domcontentloaded")
        page.frame_locator(MAP_IFRAME).first.locator("path").first.wait_for(state="attached")
        wait_idle(page)
        while len(times) < 2 * REPEATS:
            want = [3, 2][len(times) % 2]  # markers after this click: the box ticks, then not
            page.evaluate("atlasBench.stamp()")
            page.get_by_text(FOLIUM_FLIP, exact=True).click()
            handle = page.wait_for_function(
                f"atlasBench.signature()[0] === {want} && performance.now()",
                polling="raf",
                timeout=TIMEOUT_MS,
            )
            times.append(float(handle.json_value()) - page.evaluate("atlasBench.t0"))
            wait_idle(page)
    return times


@contextmanager
def beside_static(page_file: Path) -> Iterator[Path]:
    """``page_file`` copied into a folder whose ``static`` is the project's (served)."""
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        (here / "static").symlink_to(ROOT / "static", target_is_directory=True)
        copy = here / page_file.name
        copy.write_text(page_file.read_text(encoding="utf-8"), encoding="utf-8")
        yield copy


# -- the app ------------------------------------------------------------------------------


def first_map_ms(browser, url: str) -> tuple[list[float], list[float]]:
    """B1 and B8: open the app; ms until every default layer is drawn, and until the
    sidebar shows its controls (they follow the map: see app.main)."""
    with offline_page(browser) as page:
        open_app(page, url)
        want = signature(page)
    drawn, controls = [], []
    for _ in range(REPEATS):
        with offline_page(browser) as page:
            page.goto(url, wait_until="commit")
            drawn.append(until(page, want))
            handle = page.wait_for_function(
                "atlasBench.controlsShown()", polling="raf", timeout=TIMEOUT_MS
            )
            controls.append(float(handle.json_value()))
    return drawn, controls


@dataclass
class Action:
    """Something a person does that changes the map, as a sequence of steps.

    Every step leaves the map in a state this session has not shown before, so each is
    measured as a first time: Streamlit re-sends a message the browser still holds (seen
    in the last two reruns) as a short reference, which flatters a toggle back and forth.
    """

    name: str
    steps: list[Callable]  # each (page) -> None: one user action
    prepare: Callable = lambda page: None  # e.g. open the expander that holds the control


def timed_actions(browser, url: str, action: Action, sessions: int = 1) -> tuple[list, list]:
    """Time ``action``'s steps, each from its event to the frame showing its final map.

    A warm-up session runs the steps and records the map each leaves once the app is idle;
    then each of ``sessions`` fresh sessions runs them, timed. Returns the times (ms) and
    the bytes received over the websocket per step, until the app was idle again.
    """
    with offline_page(browser) as page:
        open_app(page, url)
        action.prepare(page)
        wait_idle(page)
        finals = []
        for step in action.steps:
            step(page)
            wait_idle(page)
            finals.append(signature(page))
    times, sizes = [], []
    for _ in range(sessions):
        wire = Wire()
        with offline_page(browser, wire) as page:
            open_app(page, url)
            action.prepare(page)
            wait_idle(page)
            for step, want in zip(action.steps, finals, strict=True):
                page.evaluate("atlasBench.stamp()")
                wire.reset()
                step(page)
                done = until(page, want)
                t0 = page.evaluate("atlasBench.t0")
                wait_idle(page)
                times.append(done - t0)
                sizes.append(wire.received)
    return times, sizes


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def toggle_layer(title: str) -> Callable:
    def step(page) -> None:
        sidebar(page).get_by_text(title, exact=True).click()

    return step


def type_radii(label: str, text: str) -> Callable:
    def step(page) -> None:
        box = sidebar(page).get_by_label(label, exact=True)
        box.fill(text)
        box.press("Enter")

    return step


def open_expander(title: str) -> Callable:
    def prepare(page) -> None:
        sidebar(page).get_by_text(title, exact=True).click()

    return prepare


def click_next(page) -> None:
    sidebar(page).get_by_role("button", name="Next ▶").click()


def actions() -> dict[str, Action]:
    """B2, B3 and B4: six layer toggles, six radii, the five scenes and back to the first."""
    from layers.catalogue import CATALOGUE
    from layers.scenes import scenes

    shown = scenes()[0].layers  # the opening scene's layers: each turned off in turn
    label = f"{CATALOGUE['vilnius_rings'].title}: Ring radii (km)"
    return {
        "B2": Action("layer toggle", [toggle_layer(CATALOGUE[i].title) for i in shown[-6:]]),
        "B3": Action(
            "ring radius",
            [type_radii(label, f"30, 50, 100, {r}") for r in range(210, 270, 10)],
            prepare=open_expander("Layer settings"),
        ),
        "B4": Action("next scene", [click_next] * (len(scenes()) + 1)),
    }


@dataclass
class Measured:
    """Every series of the run, in ms (times) or bytes (``*_bytes``)."""

    series: dict[str, list[float]]

    def median(self, key: str) -> float:
        return statistics.median(self.series[key])

    def spread(self, key: str) -> str:
        xs = self.series[key]
        return f"{min(xs):.0f}–{max(xs):.0f}"


def measure() -> Measured:
    """Run B0-B6 in one browser: the floors first, then the app as ``make run`` starts it."""
    from playwright.sync_api import sync_playwright

    from exports.formats import export

    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        tmp_path = Path(tmp)
        html = tmp_path / "all-layers-offline.html"
        export(html, offline=True)
        browser = launch(pw)
        try:
            out["B6"] = offline_html_ms(browser, html)
            with streamlit_server(tmp_path / "bare", script=BARE_PAGE) as (url, _):
                out["B0"] = bare_page_ms(browser, url)
            with (
                beside_static(FOLIUM_PAGE) as page_file,
                streamlit_server(tmp_path / "folium", script=page_file) as (url, _),
            ):
                out["B7"] = folium_page_ms(browser, url)
            with streamlit_server(tmp_path / "app") as (url, _):
                out["B1"], out["B8"] = first_map_ms(browser, url)
                for key, action in actions().items():
                    out[key], out[f"{key}_bytes"] = timed_actions(browser, url, action, SESSIONS)
        finally:
            browser.close()
    return Measured(out)


B1_BUDGET = 1.25  # × (B0 + B6)
ACTION_BUDGET = 0.35  # × B6
B5_BUDGET_KB = 50.0


def rows(measured: Measured | None = None) -> list[Row]:
    """B0-B6 for the budget table (``make bench``), each against its floor."""
    m = measured or measure()
    b0, b6 = m.median("B0"), m.median("B6")
    table = [
        row(
            "B0",
            "floor: a bare Streamlit page (st.write only), open → text shown",
            f"{b0:.0f} ms ({m.spread('B0')})",
            "—",
            1.0,
            None,
            "floor",
        ),
        row(
            "B6",
            "floor: our offline HTML, every layer, open → drawn",
            f"{b6:.0f} ms ({m.spread('B6')})",
            "—",
            1.0,
            None,
            "floor",
        ),
    ]
    table.append(
        row(
            "B7",
            "floor: the smallest streamlit-folium page, a checkbox → its map changed",
            f"{m.median('B7'):.0f} ms ({m.spread('B7')})",
            "—",
            1.0,
            None,
            "floor",
        )
    )
    b1 = m.median("B1")
    table.append(
        row(
            "B1",
            "the app in Chromium: open → every default layer drawn",
            f"{b1:.0f} ms ({m.spread('B1')})",
            f"B0 + B6 = {b0 + b6:.0f} ms",
            b1 / (b0 + b6),
            b1 <= B1_BUDGET * (b0 + b6),
            f"≤ {B1_BUDGET:g} × (B0 + B6)",
        )
    )
    b8 = m.median("B8")
    table.append(
        row(
            "B8",
            "the app in Chromium: open → the sidebar's controls shown (they follow the map)",
            f"{b8:.0f} ms ({m.spread('B8')})",
            f"B1 = {b1:.0f} ms",
            b8 / b1,
            "shown",
            "no budget",
            ratio_label=f"{b8 / b1:.2f}× B1",
        )
    )
    goals = {"B2": "a layer's checkbox", "B3": "a ring radius typed", "B4": "Next scene"}
    for key, what in goals.items():
        t = m.median(key)
        table.append(
            row(
                key,
                f"{what} → map updated (first time in the session)",
                f"{t:.0f} ms ({m.spread(key)})",
                f"B6 = {b6:.0f} ms",
                t / b6,
                t <= ACTION_BUDGET * b6,
                f"≤ {ACTION_BUDGET:g} × B6",
            )
        )
    sent = {key: m.median(f"{key}_bytes") / KB for key in goals}
    worst = max(sent.values())
    table.append(
        row(
            "B5",
            "received over the websocket per B2 / B3 / B4 action (median)",
            " / ".join(f"{kb:.0f}" for kb in sent.values()) + " KB",
            f"budget {B5_BUDGET_KB:.0f} KB",
            worst / B5_BUDGET_KB,
            worst <= B5_BUDGET_KB,
            f"≤ {B5_BUDGET_KB:.0f} KB",
        )
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the JavaScript CPU profile of one B2 action (top self times)",
    )
    args = parser.parse_args()
    if args.profile:
        print_table(
            "JavaScript self time during one layer toggle (B2), the page and the map's iframe",
            ["ms", "function (file:line)"],
            [[f"{ms:.1f}", f"`{name}`"] for ms, name in profile()],
        )
        return
    measured = measure()
    print_table(
        f"The map in Chromium ({time.strftime('%Y-%m-%d')})",
        ["Series", "median", "all (ms or bytes)"],
        [
            [k, f"{m:.0f}", ", ".join(f"{x:.0f}" for x in v)]
            for k, v in measured.series.items()
            for m in [statistics.median(v)]
        ],
    )
    print_table(
        "Budgets of issue #15",
        [k.capitalize() for k in ROW_KEYS],
        [[r[k] for k in ROW_KEYS] for r in rows(measured)],
    )


def profile(top: int = 25) -> list[tuple[float, str]]:
    """The JavaScript CPU profile of one B2 action: the top self times (ms, function)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        try:
            with streamlit_server(Path(tmp) / "app") as (url, _), offline_page(browser) as page:
                action = actions()["B2"]
                open_app(page, url)
                cdp = page.context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
                action.steps[0](page)
                wait_idle(page)
                prof = cdp.send("Profiler.stop")["profile"]
        finally:
            browser.close()
    return self_times(prof, top)


def self_times(prof: dict, top: int) -> list[tuple[float, str]]:
    """Self time per function (ms) in a CDP CPU profile, largest first."""
    nodes = {n["id"]: n for n in prof["nodes"]}
    deltas = prof["timeDeltas"]
    per: dict[str, float] = {}
    for sample, dt in zip(prof["samples"], [*deltas[1:], 0], strict=True):
        frame = nodes[sample]["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1] or "(inline)"
        key = f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber'] + 1}"
        per[key] = per.get(key, 0.0) + dt / 1000
    return sorted(((ms, name) for name, ms in per.items()), reverse=True)[:top]


if __name__ == "__main__":
    main()
