"""A Streamlit server started as ``make run`` starts it, for the browser benches and tests.

``make run`` runs ``cli.py serve`` (data read and layers built first, then Streamlit in the
same process). :func:`streamlit_server` does the same on a free local port, headless, with
no file watcher, and stops the whole process group afterwards; ``script`` runs another
page instead (the bare page that is the floor of :mod:`bench.browser`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_S = 90
SERVER_START_TRIES = 3  # ports tried when the port is ours to choose
STREAMLIT_OPTIONS = (
    "--server.headless",
    "true",
    "--server.address",
    "127.0.0.1",
    "--browser.gatherUsageStats",
    "false",
    # The app as started, even while its files are being edited.
    "--server.fileWatcherType",
    "none",
)


class ServerError(RuntimeError):
    """The server exited or did not become healthy in time (its stderr is in the message)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether Streamlit at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except OSError:
        return False


def stop(proc: subprocess.Popen) -> None:
    """Terminate the server's process group (the server and any children)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


class _PortTakenError(ServerError):
    """Another process had the port: the server could not listen there."""


@contextmanager
def streamlit_server(
    logs: Path, script: Path | None = None, *, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """A server on a free port: ``cli.py serve`` (as ``make run``), or ``streamlit run script``.

    A free port may be taken by another process before the server listens on it (another
    test's server, or a browser's connection): the server is then started again on
    another, up to :data:`SERVER_START_TRIES` times. Only this server counts as started:
    the health check answers, and this server has said it listens at that URL.

    Parameters
    ----------
    logs : pathlib.Path
        A folder for the server's ``stdout.txt`` and ``stderr.txt``.
    script : pathlib.Path, optional
        A page to run with plain ``streamlit run`` instead of the app.
    port : int, optional
        The port to listen on (a server started again where its pages expect it; tried
        once); default: a free one.

    Yields
    ------
    tuple of (str, subprocess.Popen)
        The server's URL once it is healthy, and its process.

    Raises
    ------
    ServerError
        If the server exits or is not healthy within :data:`SERVER_START_S`, or no port
        it was given was free.
    """
    tries = 1 if port else SERVER_START_TRIES
    for attempt in range(1, tries + 1):
        try:
            url, proc = _start(logs, script, port or free_port())
            break
        except _PortTakenError:
            if attempt == tries:
                raise
    try:
        yield url, proc
    finally:
        stop(proc)


def _start(logs: Path, script: Path | None, port: int) -> tuple[str, subprocess.Popen]:
    """Start a server on ``port`` and wait until it is healthy and says it listens there."""
    url = f"http://127.0.0.1:{port}"
    start = (
        [sys.executable, "-m", "streamlit", "run", str(script)]
        if script is not None
        else [sys.executable, "cli.py", "serve"]
    )
    cmd = [*start, *STREAMLIT_OPTIONS, "--server.port", str(port)]
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / "stdout.txt", "wb") as out, open(logs / "stderr.txt", "wb") as err:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},  # a page elsewhere imports ours too
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + SERVER_START_S
    # Streamlit prints "URL: <url>" once it listens (a health check alone may be answered
    # by another server that had the port).
    announced = f"URL: {url}".encode()
    try:
        while not (healthy(url) and announced in (logs / "stdout.txt").read_bytes()):
            if proc.poll() is not None or time.monotonic() > deadline:
                state = f"exited with {proc.returncode}" if proc.poll() is not None else "timed out"
                stderr = (logs / "stderr.txt").read_text(errors="replace")
                taken = f"Port {port} is not available" in stderr
                error = _PortTakenError if taken and proc.poll() is not None else ServerError
                raise error(f"streamlit {state} before {url} was healthy; stderr:\n{stderr}")
            time.sleep(0.25)
    except BaseException:
        stop(proc)
        raise
    return url, proc
