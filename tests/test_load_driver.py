"""The load driver's own arithmetic and files (``make bench``'s room of users, bench/load.py)."""

from __future__ import annotations

import math

import pytest

from bench.load import pct, small_layer
from geo.user_layers import read_user_layer


def test_the_percentile_is_a_rerun_that_happened_by_nearest_rank() -> None:
    reruns = [0.05, 0.06, 0.07, 0.08, 1.5]  # by hand: rank ceil(0.95 * 5) = 5, ceil(2.5) = 3
    assert pct(reruns, 95) == 1.5 and pct(reruns, 50) == 0.07
    assert math.isnan(pct([], 95))


def test_every_visit_uploads_a_file_of_its_own_that_the_app_reads() -> None:
    (name_a, data_a), (name_b, data_b) = small_layer(7), small_layer(8)
    assert name_a != name_b and data_a != data_b  # no cache entry is shared between visits
    layers = read_user_layer(data_a, name_a)
    (frame,) = layers.values()
    assert list(frame["name"]) == [f"Point {i} of visit 7" for i in range(3)]
    assert frame.geometry.x.tolist() == pytest.approx([25.28, 25.29, 25.30])
