"""The process-wide cache of the layers' data (ui.map_panel.shared_cache): one value made
once per key, however many sessions ask for it at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ui.map_panel import shared_cache


def test_sessions_asking_at_once_wait_for_one_making_of_the_value():
    made, started, go_on = [], threading.Event(), threading.Event()

    @shared_cache(maxsize=8)
    def data(layer_id: str, unit: str) -> str:
        made.append((layer_id, unit))
        started.set()
        go_on.wait(timeout=60)
        return f"{layer_id} in {unit}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        first = pool.submit(data, "rings", "km")
        assert started.wait(timeout=60)
        others = [pool.submit(data, "rings", "km") for _ in range(7)]
        go_on.set()
        results = [f.result(timeout=60) for f in [first, *others]]
    assert results == ["rings in km"] * 8
    assert made == [("rings", "km")]
    assert data("rings", "mi") == "rings in mi" and made[-1] == ("rings", "mi")
    assert data("rings", "km") == "rings in km" and len(made) == 2


def test_a_failure_is_not_kept_and_the_next_request_makes_the_value_again():
    calls = []

    @shared_cache(maxsize=8)
    def data(layer_id: str) -> str:
        calls.append(layer_id)
        if len(calls) == 1:
            raise OSError("a data file went missing")
        return layer_id

    with pytest.raises(OSError, match="went missing"):
        data("rivers")
    assert data("rivers") == "rivers" and data("rivers") == "rivers"
    assert calls == ["rivers", "rivers"]
