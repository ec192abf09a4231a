"""layers.spec: a layer, its style and its parameters check themselves when built."""

import dataclasses

import pytest

from geo.errors import CatalogueError
from layers.catalogue import CATALOGUE, by_id
from layers.spec import GROUPS, PARAM_KINDS, Built, LayerSpec, Param, Style


def _build() -> Built:
    raise AssertionError("never built here")


def spec(**changes) -> LayerSpec:
    """A valid layer, with ``changes``."""
    fields = {
        "id": "test_layer",
        "title": "Test layer",
        "description": "A layer for tests.",
        "seeds": (),
        "style": Style(color="#123456"),
        "build": _build,
    }
    return LayerSpec(**{**fields, **changes})


def test_every_catalogue_entry_is_valid_and_declared_once():
    """Importing the catalogue built every entry; rebuilding each checks it again."""
    for entry in CATALOGUE.values():
        assert dataclasses.replace(entry) == entry
    assert by_id(tuple(CATALOGUE.values())) == CATALOGUE


def test_a_layer_id_declared_twice_is_refused():
    with pytest.raises(CatalogueError, match="declared more than once: test_layer"):
        by_id((spec(), spec(title="Another")))


@pytest.mark.parametrize(
    "style",
    [
        {"color": "#a1B2c3"},
        {"color": "#000000", "fill_color": "#ffffff", "fill_opacity": 1},
        {"color": "#000000", "weight": 0.5, "fill_opacity": 0.0},
        {"color": "#000000", "dash_array": "6 4"},
        {"color": "#000000", "dash_array": "6,4, 1.5"},
        {"color": "#000000", "dash_array": "0 4"},
    ],
)
def test_good_styles_are_accepted(style):
    assert Style(**style).color == style["color"]


@pytest.mark.parametrize(
    ("style", "message"),
    [
        ({"color": "red"}, "color 'red' is not a #rrggbb colour"),
        ({"color": "#abc"}, "color '#abc' is not a #rrggbb"),  # short hex: KML appends alpha
        ({"color": "#12345g"}, "color '#12345g'"),
        ({"color": "#123456;x"}, "color '#123456;x'"),  # it goes into a style attribute
        ({"color": None}, "color None"),
        ({"color": "#123456", "fill_color": "#1234567"}, "fill_color '#1234567'"),
        ({"color": "#123456", "weight": 0}, "weight 0 is not a number above 0"),
        ({"color": "#123456", "weight": float("nan")}, "weight nan"),
        ({"color": "#123456", "weight": True}, "weight True"),
        ({"color": "#123456", "fill_opacity": 1.5}, "fill_opacity 1.5 is not a number from 0"),
        ({"color": "#123456", "fill_opacity": -0.1}, "fill_opacity -0.1"),
        ({"color": "#123456", "dash_array": "dashed"}, "dash_array 'dashed' is not lengths"),
        ({"color": "#123456", "dash_array": ""}, "dash_array ''"),
        ({"color": "#123456", "dash_array": "0 0"}, "dash_array '0 0'"),
        ({"color": "#123456", "dash_array": "6 -4"}, "dash_array '6 -4'"),
        ({"color": "#123456", "dash_array": "6 inf"}, "dash_array '6 inf'"),
    ],
)
def test_a_bad_style_is_refused_naming_the_field_and_value(style, message):
    with pytest.raises(CatalogueError, match=rf"^Style\(.*\): {message}"):
        Style(**style)


@pytest.mark.parametrize(
    ("param", "message"),
    [
        (("radii km", "Radii", "radii_km", (10,)), "'radii km': the name is not a Python id"),
        (("radii_km", " ", "radii_km", (10,)), "'radii_km': no label"),
        (("radii_km", "Radii", "radius", (10,)), "unknown kind 'radius': expected one of"),
        (("radii_km", "Radii", "radii_km", [10, 20]), r"default \[10, 20\] is not a tuple"),
        (("radii_km", "Radii", "radii_km", ("10",)), r"default \('10',\) is not a tuple of"),
        (("radii_km", "Radii", "radii_km", ()), r"default \(\): expected one or more radii"),
        (("radii_km", "Radii", "radii_km", (10, -5)), "radius -5 km is not usable"),
        (("radii_km", "Radii", "radii_km", (30_000,)), "radius 30000 km is not usable"),
        (("site", "Site", "place", ""), "default '' is not a place name"),
        (("site", "Site", "place", 54.7), "default 54.7 is not a place name"),
    ],
)
def test_a_bad_parameter_is_refused_naming_it(param, message):
    with pytest.raises(CatalogueError, match=rf"^parameter .*{message}"):
        Param(*param)


def test_the_parameter_kinds_are_the_ones_layers_use():
    used = {p.kind for entry in CATALOGUE.values() for p in entry.params}
    assert used == set(PARAM_KINDS)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Test layer"}, "layer 'Test layer': the id is not a slug"),
        ({"id": "1st"}, "layer '1st': the id is not a slug"),
        ({"id": ""}, "layer '': the id is not a slug"),
        ({"title": ""}, "layer 'test_layer': no title"),
        ({"description": None}, "layer 'test_layer': no description"),
        (
            {"seeds": "seed.txt"},
            "layer 'test_layer': seeds 'seed.txt' is not a tuple of file names",
        ),
        ({"style": {"color": "#123456"}}, "layer 'test_layer': style .* is not a Style"),
        ({"build": None}, "layer 'test_layer': build None is not callable"),
        (
            {"params": [Param("site", "Site", "place", "Minsk")]},
            "layer 'test_layer': params .* not a tuple of Param",
        ),
        (
            {"params": (Param("site", "Site", "place", "Minsk"),) * 2},
            r"layer 'test_layer': a parameter name is repeated: \['site', 'site'\]",
        ),
        (
            {"group": "strategy"},
            "layer 'test_layer': unknown group 'strategy': expected one of strategic, ",
        ),
    ],
)
def test_a_bad_layer_is_refused_naming_it(changes, message):
    with pytest.raises(CatalogueError, match=rf"^{message}"):
        spec(**changes)


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_is_accepted(group):
    assert spec(group=group).group == group


def test_a_replaced_field_is_checked_too():
    with pytest.raises(CatalogueError, match="color 'blue'"):
        dataclasses.replace(CATALOGUE["rivers"].style, color="blue")
    with pytest.raises(CatalogueError, match="layer 'Rivers'"):
        dataclasses.replace(CATALOGUE["rivers"], id="Rivers")
