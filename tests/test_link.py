"""The app's state and its round trip through the URL: a copied link reopens the same map."""

import pytest

from geo.errors import GeoInputError
from layers.scenes import caption, scene, scenes
from ui.link import (
    MapState,
    UserFan,
    UserHorizon,
    UserRadials,
    UserRing,
    from_query,
    parse_radii,
    to_query,
)


@pytest.mark.parametrize(
    ("text", "radii"),
    [
        ("10, 20, 50", (10.0, 20.0, 50.0)),
        ("30 50", (30.0, 50.0)),
        ("every 50 to 200", (50.0, 100.0, 150.0, 200.0)),
        ("Every 100 km up to 300 km", (100.0, 200.0, 300.0)),
        ("2.5", (2.5,)),
    ],
)
def test_radii_are_a_list_or_every_n_up_to_a_maximum(text, radii):
    assert parse_radii(text) == radii


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no radii"),
        ("ten", "numbers"),
        ("-5", "radius -5"),
        ("0", "radius 0"),
        ("every 1 to 500", "at most 50"),
        ("every 0 to 10", "step"),
        ("30000", "radius 30000"),
    ],
)
def test_bad_radii_are_refused_with_a_clear_message(text, message):
    with pytest.raises(GeoInputError, match=message):
        parse_radii(text)


def test_a_state_survives_the_round_trip_through_the_url():
    state = MapState(
        scene="suwalki_gap",
        layers=("suwalki_gap", "vilnius_rings", "borders"),
        radii={"vilnius_rings": (25.0, 75.0)},
        site="Grodno",
        units="nmi",
        coord="mgrs",
        rings=(UserRing("Minsk", (100.0, 200.0)), UserRing("54.700000, 25.300000", (30.0,))),
        fans=(UserFan("Vilnius", 45.0, 60.0, 10.0, 80.0), UserFan("54.1, 26.2", 300, 360, 5, 9)),
        radials=(UserRadials("Minsk", 8, 60.0, 0.0), UserRadials("Orsha", 1, 120.5, 271.5)),
        bearings=("true", "mils", "grid"),
        horizons=(UserHorizon("Vilnius", 30.0), UserHorizon("Minsk", 12.5, 100.0, "optical")),
        view=(25.27972, 54.68722, 9),
    )
    restored, problems = from_query(to_query(state))
    assert problems == []
    assert restored == state


def test_an_empty_url_is_the_overview_scene():
    state, problems = from_query({})
    assert problems == [] and state.scene == "overview"
    assert set(state.layers) == set(scene("overview").layers)


def test_a_bad_link_still_opens_and_says_what_it_could_not_use():
    state, problems = from_query(
        {
            "scene": "mars",
            "layers": "borders,nope",
            "r_vilnius_rings": "x",
            "units": "furlongs",
            "rings": "Minsk@-3|Vilnius@30",
        }
    )
    assert state.scene == "overview" and state.layers == ("borders",)
    assert state.units == "km" and state.radii == {}
    assert state.rings == (UserRing("Vilnius", (30.0,)),)
    assert len(problems) == 5 and any("furlongs" in p for p in problems)


@pytest.mark.parametrize("view", ["54.7,25.3", "north,east,9", "95,25,9", "54.7,25.3,30"])
def test_a_bad_view_in_a_link_falls_back_to_the_scene_view(view):
    state, problems = from_query({"view": view})
    assert state.view is None and len(problems) == 1 and view in problems[0]


def test_layer_params_carry_the_users_radii_and_launch_site():
    state = MapState(radii={"astravets_rings": (5.0,)}, site="Orsha")
    assert state.layer_params("astravets_rings") == {"radii_km": (5.0,)}
    assert state.layer_params("polonez_range") == {"site": "Orsha"}
    assert state.layer_params("suwalki_gap") == {}


def test_every_scene_names_real_layers_and_fills_its_figures():
    assert [s.id for s in scenes()] == [
        "overview",
        "suwalki_gap",
        "smolensk_gates",
        "astravets_vilnius",
        "yelnia_klintsy",
        "forces_today",
        "forces_2017",
    ]
    for s in scenes():
        text = caption(s, "mi")
        assert "{" not in text and "⟦" not in text, s.id
        assert ("mi (" in text) == ("_km}" in s.caption), s.id


def test_bad_fans_and_radials_in_a_link_are_reported_and_the_good_ones_kept():
    state, problems = from_query(
        {
            "fans": "Vilnius@45,0,0,50|Vilnius@1,2|@1,2,3,4|Minsk@90,30,50,10|Minsk@90,30,0,10",
            "radials": "Minsk@2.5,3,0|Minsk@0,5,0|Orsha@4,5,1",
            "bearings": "true,sideways",
        }
    )
    assert state.fans == (UserFan("Minsk", 90.0, 30.0, 0.0, 10.0),)
    assert state.radials == (UserRadials("Orsha", 4, 5.0, 1.0),)
    assert state.bearings == ("true",)
    assert len(problems) == 7
    assert any("width" in p for p in problems) and any("sideways" in p for p in problems)
    assert any("below its maximum" in p for p in problems)


def test_bad_horizons_in_a_link_are_reported_and_the_good_ones_kept():
    state, problems = from_query(
        {"horizons": "Vilnius@30|Vilnius@-5|Vilnius@30,0,sonar|Vilnius@x|Minsk@10,20,geometric"}
    )
    assert state.horizons == (
        UserHorizon("Vilnius", 30.0),
        UserHorizon("Minsk", 10.0, 20.0, "geometric"),
    )
    assert len(problems) == 3 and any("sonar" in p for p in problems)
