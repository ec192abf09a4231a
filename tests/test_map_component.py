"""The map component's arguments are st_folium's, made from parts kept per content.

Each case calls streamlit-folium's ``st_folium`` and our :func:`ui.map_component.map_component`
with the same base map and layers, and compares every argument the component receives. One
difference is ours on purpose: the default value also holds the base map's centre.
"""

from __future__ import annotations

import json

import pytest
import streamlit_folium as stf
from streamlit_folium import st_folium

from geo.errors import CatalogueError
from layers.catalogue import CATALOGUE, build
from layers.user_layers import read_user_specs
from ui.map_component import (
    Layer,
    base_args,
    control_script,
    for_legend,
    group_script,
    map_component,
)
from webmap.render import base_map, data_group, layer_data
from webmap.served import served

BASE_CENTER = {"lat": 54.5, "lng": 27.0}  # webmap.render.REGION_CENTER
POINTS = (
    b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
    b'{"name": "obs <b>1</b>"}, "geometry": {"type": "Point", "coordinates": [25.3, 54.7]}}]}'
)


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What each call gave streamlit-folium's component."""
    calls: list[dict] = []
    monkeypatch.setattr(stf, "_component_func", lambda **kwargs: calls.append(kwargs))
    return calls


def catalogue_layer(layer_id: str, *, as_served: bool = False) -> tuple:
    spec = CATALOGUE[layer_id]
    data = layer_data(spec, build(layer_id))
    return spec, served(data) if as_served else data


def user_specs() -> tuple:
    specs, _notes = read_user_specs(POINTS, "obs.geojson", taken=list(CATALOGUE))
    return tuple(specs)


CASES = {
    "three layers, one served": ("dd", (), ["borders", "sites", "vilnius_rings"], "map"),
    "no layers": ("dms", (), [], "map"),
    "measuring, MGRS": ("mgrs", (), ["suwalki_gap", "claims"], "map_measure"),
}


@pytest.mark.parametrize(("coord", "users", "layer_ids", "key"), CASES.values(), ids=CASES)
def test_the_component_gets_what_st_folium_would_send(sent, coord, users, layer_ids, key):
    pairs = [catalogue_layer(i, as_served=n == 0) for n, i in enumerate(layer_ids)]
    returned = ["center", "zoom"] + (["last_clicked"] if key == "map_measure" else [])
    view = {"center": (54.7, 25.3), "zoom": 7}

    fmap, control = base_map(coord, user_layers=users)
    st_folium(
        fmap,
        feature_group_to_add=[data_group(spec, data) for spec, data in pairs],
        layer_control=control,
        returned_objects=returned,
        use_container_width=True,
        height=640,
        render=False,
        key=key,
        **view,
    )
    layers = [Layer.of(spec, data) for spec, data in pairs]
    base = base_args(coord, users)
    map_component(base, layers, returned_objects=returned, height=640, key=key, **view)

    theirs, ours = ({k: v for k, v in call.items() if k != "on_change"} for call in sent)
    assert ours.pop("default") == {**theirs.pop("default"), "center": BASE_CENTER}
    assert ours == theirs


def test_the_map_s_first_report_of_its_own_view_is_no_change(sent):
    """streamlit-folium's page reports the view before moving the map to ``center``; it
    sends a value (and reruns the app) only if the report differs from the default."""
    base = base_args("dd", ())
    fmap, _ = base_map("dd")
    returned = ["center", "zoom"]
    map_component(base, [], returned_objects=returned, height=640, key="map", center=(1, 2), zoom=9)
    (call,) = sent
    lat, lng = fmap.location
    reported = {"zoom": fmap.options["zoom"], "center": {"lat": lat, "lng": lng}}
    assert json.dumps(call["default"]) == json.dumps(reported), "same keys, same order"


def test_a_user_layer_s_base_map_and_group_match_too(sent):
    users = user_specs()
    (spec,) = users
    data = layer_data(spec, spec.build())
    fmap, control = base_map("dd", user_layers=users)
    st_folium(
        fmap,
        feature_group_to_add=[data_group(spec, data)],
        layer_control=control,
        returned_objects=["center", "zoom"],
        use_container_width=True,
        height=640,
        render=False,
        key="map",
        center=(54.0, 27.0),
        zoom=6,
    )
    layer = Layer.of(spec, data)
    map_component(
        base_args("dd", users),
        [layer],
        returned_objects=["center", "zoom"],
        height=640,
        key="map",
        center=(54.0, 27.0),
        zoom=6,
    )
    theirs, ours = ({k: v for k, v in call.items() if k != "on_change"} for call in sent)
    assert ours.pop("default") == {**theirs.pop("default"), "center": BASE_CENTER}
    assert ours == theirs
    assert "obs" in ours["feature_group"] and "obs" in ours["layer_control"]
    assert "<b>1</b>" not in ours["feature_group"] + ours["script"], "the user's text escaped"


def test_the_cached_base_map_keeps_no_user_s_data_and_is_found_again():
    users = user_specs()
    light = for_legend(users)
    assert light == for_legend(users), "equal from one rerun to the next: a cache hit"
    assert [s.build for s in light] != [s.build for s in users]
    with pytest.raises(CatalogueError):
        light[0].build()
    assert [(s.id, s.title, s.style) for s in light] == [(s.id, s.title, s.style) for s in users]
    legend = base_args("dd", light).script
    assert base_args("dd", light) is base_args("dd", for_legend(users))
    assert "obs" in legend


def test_the_base_map_and_each_layer_are_made_once():
    base_args.cache_clear()
    group_script.cache_clear()
    data = layer_data(CATALOGUE["sites"], build("sites"))
    for _ in range(3):
        base_args("dd", ())
        group_script(0, data)
    assert base_args.cache_info().misses == 1 and base_args.cache_info().hits == 2
    assert group_script.cache_info().misses == 1
    assert group_script(1, data) != group_script(0, data), "its place is in it"


def test_the_control_lists_the_layers_by_title_and_no_base_the_sidebar_chooses_it():
    base = base_args("dd", ())
    script = control_script(base, ["Rivers", 'A "quoted" title'])
    assert base.base_layers == ()
    assert '"Vector base (offline)"' not in script
    assert script.index('"Rivers" : feature_group_feature_group_0') < script.index(
        '"A \\"quoted\\" title" : feature_group_feature_group_1'
    )
