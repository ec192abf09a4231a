"""The load driver's own arithmetic and files (``make bench``'s room of users, bench/load.py)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.load import pct, small_layer
from geo.user_layers import read_user_layer


@pytest.mark.parametrize("q", [50, 90, 95, 99, 100])
@pytest.mark.parametrize("n", [1, 12, 240, 241])
def test_the_percentile_is_the_nearest_rank(q: float, n: int) -> None:
    values = list(np.random.default_rng(n).exponential(0.1, n))
    assert pct(values, q) == np.percentile(values, q, method="inverted_cdf")


def test_every_visit_uploads_a_file_of_its_own_that_the_app_reads() -> None:
    (name_a, data_a), (name_b, data_b) = small_layer(7), small_layer(8)
    assert name_a != name_b and data_a != data_b  # no cache entry is shared between visits
    layers = read_user_layer(data_a, name_a)
    (frame,) = layers.values()
    assert list(frame["name"]) == [f"Point {i} of visit 7" for i in range(3)]
    assert frame.geometry.x.tolist() == pytest.approx([25.28, 25.29, 25.30])
