"""bench.serve: the server the browser tests and benches start is theirs, on a port it got.

A free port can be taken between choosing it and listening on it (another test's server,
a browser's connection). Each test starts a bare Streamlit page on a port another
listener already holds, then on a free one.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import bench.serve as serve
from bench.serve import ServerError, healthy, streamlit_server

PAGE = 'import streamlit as st\nst.write("a bare page")\n'


class _Healthy(http.server.BaseHTTPRequestHandler):
    """Answers Streamlit's health check as a server would, and nothing else."""

    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def another_server() -> Iterator[int]:
    """A port where another HTTP server answers the health check."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def a_bare_listener() -> Iterator[int]:
    """A port held by a socket that listens and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def page(tmp_path: Path) -> Path:
    script = tmp_path / "page.py"
    script.write_text(PAGE, encoding="utf-8")
    return script


def _ports_given(monkeypatch: pytest.MonkeyPatch, taken: int) -> list[int]:
    """Have free_port give ``taken`` first, then free ports; return what it gave."""
    given: list[int] = []
    free = serve.free_port

    def first_taken() -> int:
        given.append(taken if not given else free())
        return given[-1]

    monkeypatch.setattr(serve, "free_port", first_taken)
    return given


@pytest.mark.parametrize("holder", [another_server, a_bare_listener])
def test_a_taken_port_is_given_up_for_another(holder, page, tmp_path, monkeypatch):
    with holder() as taken:
        given = _ports_given(monkeypatch, taken)
        with streamlit_server(tmp_path / "logs", page) as (url, proc):
            assert given[0] == taken and len(given) == 2
            assert url == f"http://127.0.0.1:{given[1]}"
            assert proc.poll() is None and healthy(url)
            assert f"URL: {url}" in (tmp_path / "logs" / "stdout.txt").read_text()
        assert proc.poll() is not None, "the server is stopped afterwards"


def test_a_port_asked_for_is_tried_once_and_the_error_says_why(page, tmp_path):
    with (
        another_server() as taken,
        pytest.raises(ServerError, match="is not available"),
        streamlit_server(tmp_path / "logs", page, port=taken),
    ):
        pytest.fail("another server's health check was taken for this one's")
