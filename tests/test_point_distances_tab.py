"""The "Distances from your points" tab's table (issue #19): each target once, and only the
figures that mean something for a point."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import ui.tools
from geo.batch import targets
from geo.territories import distance_to_territory
from layers.user_layers import FIGURE_COLUMNS, read_user_specs


def test_points_get_each_target_once_and_no_length_or_area(monkeypatch):
    data = (
        b'{"type": "FeatureCollection", "features": ['
        b'{"type": "Feature", "properties": {"name": "Obs"},'
        b' "geometry": {"type": "Point", "coordinates": [25.2797, 54.6872]}},'
        b'{"type": "Feature", "properties": {"name": "Road"},'
        b' "geometry": {"type": "LineString", "coordinates": [[25, 54], [26, 55]]}}]}'
    )
    (spec,), _ = read_user_specs(data, "mixed.geojson")
    assert {"length_km", "to_belarus_km"} <= set(spec.build().features.columns)  # popups'
    monkeypatch.setattr(ui.tools, "upload_of", lambda _: SimpleNamespace(cache={}))
    table = ui.tools.measured_points(spec, tuple(targets(countries=["BY"])))
    assert not set(FIGURE_COLUMNS) & set(table.columns)
    assert list(table["name"]) == ["Obs"]
    expected = distance_to_territory([25.2797], [54.6872], "BY").distance_m[0] / 1000
    assert table["to_BY_km"].iloc[0] == pytest.approx(expected, abs=1e-6)
