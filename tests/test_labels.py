"""Labels on the map: each layer names its figures and places, and none covers another.

The rules are declared in the catalogue (layers/catalogue.py); layers/labels.py finds
each label's spot and places them. The page runs the same placement (test_js_runtime.py
holds it to Python's), the PNG draws with it (here), the app's browser tests look at it.
"""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from exports import png_image
from exports.formats import layer_frames
from geo.errors import CatalogueError
from layers.catalogue import CATALOGUE, build
from layers.labels import (
    CANDIDATES,
    DOT_PX,
    GAP_PX,
    NEAR_PX,
    SAME_PX,
    label_table,
    place_labels,
)
from layers.scenes import scenes
from layers.spec import LabelRule
from layers.units import render_distances
from layers.user_layers import user_spec
from webmap.render import layer_data

WGS84 = Geod(ellps="WGS84")


def texts(layer_id: str, unit: str = "km") -> list[str]:
    table = label_table(CATALOGUE[layer_id], build(layer_id).features)
    return [render_distances(t, unit, label=True) for t in table["text"]]


# -- what the map says ----------------------------------------------------------------------


def test_the_suwalki_gap_is_labelled_with_its_width_measured_on_the_ellipsoid():
    features = build("suwalki_gap").features
    line = features[features["role"] == "shortest_line"].geometry.iloc[0]
    (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
    km = WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000
    assert texts("suwalki_gap") == [f"Suwałki gap {km:.1f} km · {km / 1.609344:.1f} mi"]


def test_the_smolensk_gates_are_labelled_with_their_width():
    features = build("smolensk_gates").features
    line = features[features["role"] == "shortest_line"].geometry.iloc[0]
    (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
    km = WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000
    assert texts("smolensk_gates")[0].startswith(f"Smolensk Gates {km:.1f} km · ")


def test_each_ring_is_labelled_with_its_radius_on_its_northern_edge(site_coords):
    radii = CATALOGUE["vilnius_rings"].defaults()["radii_km"]
    table = label_table(CATALOGUE["vilnius_rings"], build("vilnius_rings").features)
    rings = table[table["place"] == "ring"]
    assert [render_distances(t, label=True) for t in rings["text"]] == [
        f"{r} km" for r in sorted(radii, reverse=True)
    ]
    lon0, lat0 = site_coords["vilnius"]
    for radius_km, lon, lat in zip(
        sorted(radii, reverse=True), rings["lon"], rings["lat"], strict=True
    ):
        assert WGS84.inv(lon0, lat0, lon, lat)[2] / 1000 == pytest.approx(radius_km, rel=1e-3)
        assert abs(lon - lon0) < 0.05  # due north of the centre: the top of the ring


def test_ring_radii_follow_the_chosen_unit():
    assert "124.3 mi" in texts("vilnius_rings", "mi") and "108 nmi" in texts("vilnius_rings", "nmi")


def test_the_key_sites_and_units_are_named():
    assert "Astravets NPP" in texts("astravets_rings")
    assert "Vilnius" in texts("vilnius_rings")
    assert {"Yelnia regiment", "Klintsy regiment"} <= set(texts("deployments"))


def test_a_line_label_sits_halfway_along_its_line():
    features = build("astravets_rings").features
    table = label_table(CATALOGUE["astravets_rings"], features)
    for row in table[table["place"] == "line"].itertuples():
        line = features.geometry.iloc[row.feature]
        spot = shapely.Point(row.lon, row.lat)
        assert line.distance(spot) < 1e-9
        assert line.project(spot, normalized=True) == pytest.approx(0.5)


def test_a_country_is_named_inside_it():
    features = build("borders").features
    table = label_table(CATALOGUE["borders"], features)
    assert "BELARUS" in set(table["text"]) and "RUSSIA" in set(table["text"])
    for row in table.itertuples():
        assert features.geometry.iloc[row.feature].contains(shapely.Point(row.lon, row.lat))


def test_every_label_rule_names_what_its_layer_builds():
    for spec in CATALOGUE.values():
        roles = set(build(spec.id).features["role"])
        for rule in spec.labels:
            assert rule.role in roles, (spec.id, rule.role)
        if spec.labels:
            assert not label_table(spec, build(spec.id).features).empty, spec.id


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"priority": 0}, "priority"),
        ({"priority": 1.5}, "priority"),
        ({"place": "middle"}, "unknown place"),
        ({"text": "name"}, "not callable"),
        ({"kinds": "capital"}, "kinds"),
    ],
)
def test_a_label_rule_declared_wrong_is_refused_with_what_is_wrong(kwargs, problem):
    with pytest.raises(CatalogueError, match=problem):
        LabelRule(**{"role": "site", "text": str, "priority": 1, **kwargs})


def test_a_name_from_a_users_file_reaches_the_page_escaped():
    hostile = "<img src=x onerror=alert(1)>"
    frame = gpd.GeoDataFrame({"name": [hostile]}, geometry=[shapely.Point(25.3, 54.7)], crs=4326)
    spec = user_spec(frame, title="hostile", filename="hostile.geojson")
    data = layer_data(spec, spec.build())
    assert hostile not in data
    page = json.loads(data)
    assert page["f"][0][2] == "&lt;img src=x onerror=alert(1)&gt;"
    assert page["m"] == [[0, spec.labels[0].priority]]  # the label is that escaped name


# -- where it goes ----------------------------------------------------------------------------


def overlaps(a, b) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


@pytest.mark.parametrize("seed", range(5))
def test_placed_labels_never_overlap_and_stay_inside_the_map(seed):
    rng = np.random.default_rng(seed)
    n = 300
    anchors = rng.uniform([0, 0], [800, 600], (n, 2))
    sizes = rng.uniform([20, 10], [160, 18], (n, 2))
    places = rng.choice(list(CANDIDATES), n)
    words = rng.choice(["Minsk", "Vilnius", "50 km", "Riga"], n)
    chosen, boxes = place_labels(anchors, sizes, places, words, (0, 0, 800, 600))
    shown = boxes[chosen >= 0]
    assert 0 < len(shown) < n
    assert (shown[:, 0] >= 0).all() and (shown[:, 2] <= 800).all()
    assert (shown[:, 1] >= 0).all() and (shown[:, 3] <= 600).all()
    assert not any(overlaps(a, b) for a, b in itertools.combinations(shown, 2))
    np.testing.assert_allclose(shown[:, 2] - shown[:, 0], sizes[chosen >= 0, 0])


def test_the_label_placed_first_keeps_its_spot_and_the_next_moves_or_gives_way():
    anchors = np.array([[400, 300], [400, 300], [400, 300]])
    sizes = np.array([[100, 16], [100, 16], [100, 16]])
    chosen, boxes = place_labels(anchors, sizes, ["line"] * 3, ["a", "b", "c"], (0, 0, 800, 600))
    assert chosen.tolist() == [0, 1, 2]  # centred, then above, then below
    assert boxes[0].tolist() == [350, 292, 450, 308]
    chosen, _ = place_labels(anchors, sizes, ["area"] * 3, ["a", "b", "c"], (0, 0, 800, 600))
    assert chosen.tolist() == [0, 1, 2]
    chosen, _ = place_labels(anchors, sizes, ["line"] * 3, ["a", "b", "c"], (0, 0, 800, 310))
    assert chosen.tolist() == [0, 1, -1]  # no room below: left out
    assert boxes[1].tolist() == [350, 273, 450, 289]  # clear of the first, above it


def test_a_place_named_in_two_layers_is_named_once():
    anchors = np.array([[100, 100], [100 + SAME_PX - 1, 100], [100 + SAME_PX + 60, 300]])
    sizes = np.full((3, 2), 20.0)
    chosen, _ = place_labels(anchors, sizes, ["point"] * 3, ["Vilnius"] * 3, (0, 0, 800, 600))
    assert chosen[1] == -1 and chosen[0] >= 0 and chosen[2] >= 0  # the namesake far away too


def test_labels_keep_clear_of_what_is_taken():
    chosen, _ = place_labels(
        np.array([[100, 100]]),
        np.array([[50, 10]]),
        ["point"],
        ["x"],
        (0, 0, 800, 600),
        taken=[(100, 90, 160, 110)],
    )
    assert chosen.tolist() == [1]  # right is taken: left


# -- the PNG ----------------------------------------------------------------------------------


def drawn_boxes(labels) -> list[tuple[float, float, float, float]]:
    fig = labels[0].figure
    renderer = fig.canvas.get_renderer()
    return [tuple(t.get_window_extent(renderer).extents) for t in labels]


@pytest.mark.parametrize(
    "layers",
    [scene.layers for scene in scenes()] + [tuple(CATALOGUE)],
    ids=[scene.title for scene in scenes()] + ["every layer"],
)
def test_png_labels_do_not_overlap_and_name_the_figures(layers):
    frames = layer_frames(list(layers))
    _, labels = png_image.draw_png(frames, title="test")
    boxes = drawn_boxes(labels)
    assert not [
        (a.get_text(), b.get_text())
        for (a, p), (b, q) in itertools.combinations(zip(labels, boxes, strict=True), 2)
        if overlaps(p, q)
    ]
    said = {t.get_text() for t in labels}
    if "suwalki_gap" in layers:
        assert any(s.startswith("Suwałki gap ") for s in said)
    rings = {
        f"{r} km"
        for i in layers
        for p in CATALOGUE[i].params
        if p.kind == "radii_km"
        for r in p.default
    }
    if rings:
        assert said & rings, "no ring radius on the map"


def test_a_place_under_two_names_is_named_once_points_further_apart_both():
    anchors = np.array([[100, 100], [100 + NEAR_PX - 1, 100], [100, 100 + 3 * NEAR_PX]])
    sizes = np.full((3, 2), 10.0)
    chosen, _ = place_labels(
        anchors, sizes, ["point"] * 3, ["Grodno", "Hrodna", "Lida"], (0, 0, 800, 600)
    )
    assert chosen[1] == -1 and chosen[0] >= 0 and chosen[2] >= 0


def test_no_label_covers_the_dot_of_a_point_named_before_it():
    anchors = np.array([[100 + GAP_PX + 20, 100], [100, 100]])  # the first right of the second
    sizes = np.array([[10, 10], [60, 14]])
    chosen, boxes = place_labels(anchors, sizes, ["point"] * 2, ["Vilnius", "x"], (0, 0, 800, 600))
    assert chosen[1] > 0  # not to the right: over Vilnius's dot
    dot = (anchors[0][0] - DOT_PX, 100 - DOT_PX, anchors[0][0] + DOT_PX, 100 + DOT_PX)
    assert not overlaps(boxes[1], dot)
    # Placed first, the other way round, a label may cover a lesser place's dot.
    chosen, _ = place_labels(
        anchors[::-1], sizes[::-1], ["point"] * 2, ["x", "V"], (0, 0, 800, 600)
    )
    assert chosen[0] == 0


def test_labels_name_features_by_position_whatever_the_frames_index():
    features = build("vilnius_rings").features
    repeated = features.set_axis([0] * len(features))  # as a concatenation may leave it
    table = label_table(CATALOGUE["vilnius_rings"], repeated)
    expected = label_table(CATALOGUE["vilnius_rings"], features)
    assert table.equals(expected)
    roles = features["role"].to_numpy()[table["feature"].to_numpy()]
    assert roles.tolist() == ["site", "border_line"] + ["ring"] * 4  # the rules' order
