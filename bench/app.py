"""Server-side time of the app's script: first run, then reruns after a toggle or a radius change.

Driven with streamlit.testing.v1.AppTest (the script runs as under `streamlit run`, without
the browser); each figure is the median of several fresh sessions in this process.
"""

from __future__ import annotations

import logging
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.common import Row, print_table, row
from layers.catalogue import CATALOGUE
from layers.scenes import scene
from ui.session import Keys

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SESSIONS = 5
# AppTest sets query parameters and widgets from this (main) thread, where Streamlit warns
# once a session that it has no script context; the warning says it can be ignored.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage()
)


def _timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def first_page(at: AppTest) -> None:
    """A new session's whole page: its first run (the map) and the rerun the map's first
    report brings (the controls; see app.main). Both are the server's work for one open."""
    at.run()
    at.run()


def open_settings(at: AppTest) -> None:
    """Open "Layer settings" (it runs only while open), untimed: the radius boxes are in it."""
    at.session_state[Keys.SETTINGS] = True
    at.run()


def one_session() -> tuple[float, float, float]:
    """(first run, rerun after a layer toggle, rerun after a radius change) in seconds."""
    at = AppTest.from_file(APP, default_timeout=120)
    first = _timed(lambda: first_page(at))
    open_settings(at)
    toggle = _timed(lambda: at.checkbox(key="layer_astravets_rings").uncheck().run())
    radius = _timed(lambda: at.text_input(key="radii_vilnius_rings").input("25, 75").run())
    assert not at.exception, at.exception
    return first, toggle, radius


def startup_seconds() -> float:
    """Seconds from launching the app as ``make run`` does (``cli.py serve``: a warm-up,
    then ``streamlit run app.py``) until /_stcore/health answers "ok"."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "serve",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - start < 60:
            try:
                url = f"http://127.0.0.1:{port}/_stcore/health"
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.read() == b"ok":
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the app did not answer its health check within 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


ALL_LAYERS = {"layers": ",".join(CATALOGUE)}


def all_layers_session() -> tuple[float, float]:
    """(first run, slower of the reruns after a toggle and a radius change), all layers on."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in ALL_LAYERS.items():
        at.query_params[key] = value
    first = _timed(lambda: first_page(at))
    open_settings(at)
    toggle = _timed(lambda: at.checkbox(key="layer_astravets_rings").uncheck().run())
    radius = _timed(lambda: at.text_input(key="radii_vilnius_rings").input("25, 75").run())
    assert not at.exception, at.exception
    return first, max(toggle, radius)


# A first session in a process of its own, with nothing imported but Streamlit's test
# runner (a server has imported Streamlit before its first session); argv: the app, the
# layer ids, and "warm" to warm up first as `cli.py serve` (make run) does.
COLD_SCRIPT = """
import json, sys, time
from streamlit.testing.v1 import AppTest
if sys.argv[3] == "warm":
    from ui.warmup import warm_up
    warm_up()
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.query_params["layers"] = sys.argv[2]
start = time.perf_counter()
at.run()
at.run()  # the controls' rerun (bench.app.first_page)
print(json.dumps(time.perf_counter() - start))
"""


def first_session_seconds(*, warm: bool, runs: int = 3) -> float:
    """Median first script run, every layer on, in a fresh process: after the warm-up of
    ``cli.py serve`` (``warm``), or with the imports, data and layers still to do."""
    args = [APP, ",".join(CATALOGUE), "warm" if warm else "cold"]
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT, *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def rows() -> list[Row]:
    """U1 and U2: the app's script with every layer on, first run and warm reruns."""
    served = first_session_seconds(warm=True)
    cold = first_session_seconds(warm=False)
    one_session()  # this process: data read and every layer built once
    default_first = statistics.median(one_session()[0] for _ in range(SESSIONS))
    runs = [all_layers_session() for _ in range(SESSIONS)]
    first, rerun = (statistics.median(r[i] for r in runs) for i in range(2))
    return [
        row(
            "U1",
            "first full script run of the app, all layers (a new session)",
            f"{first:.2f} s",
            f"default scene ({len(scene('overview').layers)} layers): {default_first:.2f} s",
            first / default_first,
            first <= 1.5,
            "≤ 1.5 s",
            ratio_label=f"{first / default_first:.2f}× default",
        ),
        row(
            "U1",
            "the same, first session after `make run` starts the server (a new process)",
            f"{served:.2f} s",
            f"no warm-up (imports, data and every layer in the session): {cold:.2f} s",
            served / cold,
            served <= 1.5,
            "≤ 1.5 s",
            ratio_label=f"{served / cold:.2f}× no warm-up",
        ),
        row(
            "U2",
            "warm rerun after a radius change or a layer toggle (the slower)",
            f"{rerun:.2f} s",
            f"first run: {first:.2f} s",
            rerun / first,
            rerun <= 0.3,
            "≤ 0.3 s",
            ratio_label=f"{rerun / first:.2f}× first",
        ),
    ]


def main() -> None:
    cold = one_session()  # first session in the process: loads data, builds every layer
    runs = [one_session() for _ in range(SESSIONS)]
    first, toggle, radius = (statistics.median(r[i] for r in runs) for i in range(3))
    startup = statistics.median(startup_seconds() for _ in range(3))
    rows = [
        ["server start → health check answers", f"{startup * 1000:,.0f} ms", "goal < 10 s"],
        [
            "first run in this process (libraries imported, nothing built)",
            f"{cold[0] * 1000:,.0f} ms",
            "—",
        ],
        ["first run of a new session (baseline)", f"{first * 1000:,.0f} ms", "1.00×"],
        ["rerun after a layer toggle", f"{toggle * 1000:,.0f} ms", f"{toggle / first:.2f}×"],
        ["rerun after a radius change", f"{radius * 1000:,.0f} ms", f"{radius / first:.2f}×"],
    ]
    print_table(
        f"App script, server side (median of {SESSIONS} sessions)",
        ["step", "time", "vs first run"],
        rows,
    )


if __name__ == "__main__":
    main()
