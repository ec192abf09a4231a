"""The app's sidebar logic, driven with streamlit.testing.v1.AppTest (no browser).

The map itself is a custom component: AppTest shows it as an UnknownElement whose
``proto.json_args`` holds what was sent to the browser (the feature groups' script). The
catalogue's layer data is not in it but in served files it names (:mod:`webmap.served`):
:func:`sent_to_map` reads them in.
"""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.claims import ledger
from layers.catalogue import CATALOGUE, build
from layers.claim_layers import VERDICT_COLORS
from layers.scenes import scene
from tests.conftest import ROOT
from ui.link import MapState, UserRing, to_query
from ui.map_panel import PUSH_MAX_CHARS
from ui.session import Keys
from webmap.render import layer_data
from webmap.served import SERVED_DIR, SERVED_URL, pushed, served

SERVED_REF = re.compile(r'\{"href": ?"' + re.escape(SERVED_URL) + r'/([0-9a-f]+\.json)"\}')


def first_run(query: dict[str, str] | None = None) -> AppTest:
    """A new session's first run: the map, without the controls."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def run_app(query: dict[str, str] | None = None) -> AppTest:
    """The app as a user gets it: the first run, then the rerun of the map's first report
    (sent once its layers are drawn; AppTest has no browser, so it is rerun by hand)."""
    return first_run(query).run()


def shown(element) -> str:
    """A message or text as the reader sees it: Markdown escapes (``\\:``) removed."""
    return re.sub(r"\\(.)", r"\1", element.value)


def open_tool(at: AppTest, title: str) -> AppTest:
    """Open a tool's tab below the map (only the open tab's tool runs) and rerun."""
    assert title in [t.label for t in at.tabs], f"no tool tab {title!r}"
    at.session_state[Keys.TOOL] = title
    return at.run()


def open_panel(at: AppTest, key: str) -> AppTest:
    """Open a sidebar expander that runs only while open (Keys.SETTINGS, Keys.EXPORT)."""
    at.session_state[key] = True
    return at.run()


def map_args(at: AppTest) -> dict:
    """What the app gave the map component: its script, layer control, feature groups."""
    (fmap,) = [el for el in at.main.children.values() if el.type == "component_instance"]
    return json.loads(fmap.proto.json_args)


def with_served_files(script: str) -> str:
    """``script`` with each reference to a served file replaced by the file's data."""
    return SERVED_REF.sub(lambda m: (SERVED_DIR / m.group(1)).read_text(encoding="utf-8"), script)


def sent_to_map(at: AppTest) -> str:
    """The layers the app sent to the Leaflet component (``feature_group_to_add``'s script),
    with the data of the files it names.

    The base map's own script (controls, and a legend of the whole catalogue) is left out.
    """
    maps = [el for el in at.main.children.values() if el.type == "component_instance"]
    assert maps, "the map component is missing"
    return with_served_files("".join(json.loads(m.proto.json_args)["feature_group"] for m in maps))


def test_the_app_opens_on_the_overview_without_errors():
    at = run_app()
    assert not at.exception and not at.error
    assert at.session_state.atlas.state.scene == "overview"
    assert "Suwalki gap" in sent_to_map(at)
    assert at.query_params["scene"] == "overview"


def test_a_new_sessions_first_run_sends_the_map_before_any_control():
    at = first_run({"scene": "suwalki_gap"})
    assert not at.exception and not at.error
    assert "Suwalki gap" in sent_to_map(at)
    assert not at.checkbox and not at.selectbox and not at.text_input and not at.tabs
    assert [h.value for h in at.sidebar.header] == ["Briefing"]
    assert "controls follow" in at.sidebar.caption[0].value
    assert at.query_params["scene"] == "suwalki_gap"


def test_the_rerun_after_the_first_brings_the_controls_and_keeps_the_map():
    at = first_run({"scene": "suwalki_gap"})
    first_layers = map_args(at)["layer_control"]  # the layers' titles, in order
    at.run()  # the map's first report
    assert not at.exception and not at.error
    assert map_args(at)["layer_control"] == first_layers
    assert at.selectbox(key=Keys.SCENE).value == "suwalki_gap"
    assert {c.key for c in at.checkbox} >= {Keys.layer(i) for i in CATALOGUE}
    assert at.tabs


def test_turning_a_layer_off_removes_it_from_the_map_and_the_url():
    at = run_app()
    at.checkbox(key="layer_astravets_rings").uncheck().run()
    assert "astravets_rings" not in at.session_state.atlas.state.layers
    assert "astravets_rings" not in at.query_params["layers"].split(",")
    assert "Astravets nuclear plant" not in sent_to_map(at)


def test_next_scene_shows_its_layers_and_caption():
    at = run_app()
    at.button(key="scene_next").click().run()
    nxt = scene("suwalki_gap")
    assert at.session_state.atlas.state.scene == nxt.id
    assert set(at.session_state.atlas.state.layers) == set(nxt.layers)
    assert at.checkbox(key="layer_smolensk_gates").value is False
    assert any("narrows to 65.4 km" in md.value for md in at.markdown)


def test_a_bad_radius_shows_an_error_and_keeps_the_previous_rings():
    at = open_panel(run_app(), Keys.SETTINGS)
    at.text_input(key="radii_vilnius_rings").input("10, 25").run()
    assert at.session_state.atlas.state.radii["vilnius_rings"] == (10.0, 25.0)
    at.text_input(key="radii_vilnius_rings").input("ten").run()
    assert any("radii must be numbers" in shown(e) for e in at.error)
    assert at.session_state.atlas.state.radii["vilnius_rings"] == (10.0, 25.0)
    assert not at.exception


def test_layer_settings_run_only_while_open_and_keep_what_was_typed():
    at = run_app()
    assert "radii_vilnius_rings" not in [box.key for box in at.text_input], "closed: not sent"
    at = open_panel(at, Keys.SETTINGS)
    at.text_input(key="radii_vilnius_rings").input("10, 25").run()
    at.session_state[Keys.SETTINGS] = False
    at.run()
    assert "radii_vilnius_rings" not in [box.key for box in at.text_input]
    assert at.session_state.atlas.state.radii["vilnius_rings"] == (10.0, 25.0)
    assert "Vilnius 25 km" in sent_to_map(at)
    assert open_panel(at, Keys.SETTINGS).text_input(key="radii_vilnius_rings").value == "10, 25"


def test_an_unknown_launch_site_is_refused_and_vitebsk_kept():
    at = open_panel(run_app(), Keys.SETTINGS)
    at.text_input(key="polonez_site").input("Atlantis").run()
    assert any("unknown place 'Atlantis'" in shown(e) for e in at.error)
    assert at.session_state.atlas.state.site == "Vitebsk"


def test_units_change_the_figures_shown():
    at = run_app()
    at.radio(key="units").set_value("nmi").run()
    assert at.session_state.atlas.state.units == "nmi"
    assert any("15.7 nmi (29.1 km)" in md.value for md in at.markdown)  # Vilnius to Belarus
    assert "nmi" in sent_to_map(at)


def test_a_shared_link_restores_layers_rings_and_scene():
    state = MapState(
        scene="astravets_vilnius",
        layers=("astravets_rings", "borders"),
        radii={"astravets_rings": (15.0, 45.0)},
        units="mi",
        rings=(UserRing("Minsk", (120.0,)),),
    )
    at = run_app({k: v for k, v in to_query(state).items()})
    assert at.session_state.atlas.state == state
    assert at.checkbox(key="layer_vilnius_rings").value is False
    assert open_panel(at, Keys.SETTINGS).text_input(key="radii_astravets_rings").value == "15, 45"
    assert at.session_state.atlas.state == state
    assert "Minsk 120 km" in sent_to_map(at)


def drawn_afresh_differs(at: AppTest) -> dict[str, tuple[object, object]]:
    """The keyed controls a browser drawing them for the first time would show otherwise
    than the server holds them: ``{key: (default sent, value held)}``.

    A browser draws a control it has not drawn before from the default in its message;
    under load it can skip the rerun that first sent the control.
    """
    pairs = [(c.key, c.proto.default, c.value) for c in [*at.checkbox, *at.toggle]]
    pairs += [(c.key, c.proto.default, c.index) for c in [*at.radio, *at.selectbox]]
    pairs += [(c.key, c.proto.default, c.value) for c in at.text_input]
    pairs += [(c.key, list(c.proto.default), [str(c.value)]) for c in at.date_input]
    pairs += [
        (c.key, list(c.proto.default), [c.options.index(v) for v in c.value])
        for c in at.get("button_group")
    ]
    return {key: (sent, held) for key, sent, held in pairs if key and sent != held}


def test_every_control_is_sent_with_the_value_it_holds_as_its_default():
    # The base map in the link, a layer ticked off, the next scene, another base, radii
    # typed, a scene picked, bearings picked, an upload ticked off: a browser that draws
    # any control afresh shows what the server holds (a flaky browser test showed the
    # offline base while the link said OpenStreetMap).
    at = run_app({"base": "osm", "units": "mi"})
    assert at.radio(key=Keys.BASE).value == "osm"
    assert drawn_afresh_differs(at) == {}
    steps = [
        lambda: at.checkbox(key=Keys.layer("rivers")).uncheck(),
        lambda: at.button(key="scene_next").click(),
        lambda: at.radio(key=Keys.BASE).set_value("positron"),
        lambda: at.session_state.__setitem__(Keys.SETTINGS, True),
        lambda: at.text_input(key="radii_vilnius_rings").input("10, 25"),
        lambda: at.selectbox(key=Keys.SCENE).set_value("astravets_vilnius"),
        lambda: at.session_state.__setitem__(Keys.TOOL, "Measure"),
        lambda: at.get("button_group")[0].set_value(["mils"]),
        lambda: upload(at, ("obs.geojson", OBSERVATIONS)),
        lambda: at.checkbox(key="layer_user_obs").uncheck(),
    ]
    for number, step in enumerate(steps, 1):
        step()
        at.run()
        assert not at.exception
        assert drawn_afresh_differs(at) == {}, f"after step {number}"
    state = at.session_state.atlas.state
    assert (state.base, state.scene, state.bearings) == ("positron", "astravets_vilnius", ("mils",))
    assert state.radii["vilnius_rings"] == (10.0, 25.0)
    assert at.radio(key=Keys.BASE).value == "positron"
    assert at.checkbox(key="layer_user_obs").value is False


def test_a_request_from_a_page_behind_the_next_scene_does_not_take_it_back():
    # The map's report sent before the page drew the Next click's run carries the old
    # scene box and layer boxes, and the page's old URL: the scene the app set stands.
    at = run_app()
    before = dict(at.query_params)
    at.button(key="scene_next").click().run()
    assert at.session_state.atlas.state.scene == "suwalki_gap"
    at.query_params = before  # the page's URL when it sent the request
    at.selectbox(key=Keys.SCENE).set_value("overview")
    at.checkbox(key=Keys.layer("smolensk_gates")).check()
    at.run()
    state = at.session_state.atlas.state
    assert state.scene == "suwalki_gap"
    assert set(state.layers) == set(scene("suwalki_gap").layers)
    assert at.selectbox(key=Keys.SCENE).value == "suwalki_gap"
    assert at.checkbox(key=Keys.layer("smolensk_gates")).value is False
    assert at.query_params["scene"] == "suwalki_gap"
    # A page that has drawn it chooses freely: the box, a layer, Next twice.
    at.checkbox(key=Keys.layer("smolensk_gates")).check().run()
    assert "smolensk_gates" in at.session_state.atlas.state.layers
    at.selectbox(key=Keys.SCENE).set_value("overview").run()
    assert at.session_state.atlas.state.scene == "overview"


def test_next_clicked_twice_before_the_page_drew_the_first_goes_two_scenes_on():
    at = run_app()
    before = dict(at.query_params)
    at.button(key="scene_next").click().run()
    at.query_params = before  # the second click left a page still on the overview
    at.selectbox(key=Keys.SCENE).set_value("overview")
    at.button(key="scene_next").click().run()
    assert at.session_state.atlas.state.scene == "smolensk_gates"
    assert set(at.session_state.atlas.state.layers) == set(scene("smolensk_gates").layers)


def test_presentation_mode_hides_the_sidebar_and_can_be_left():
    at = run_app()
    at.toggle(key="presentation").set_value(True).run()
    assert at.button(key="present_exit")
    at.button(key="present_next").click().run()
    assert at.session_state.atlas.state.scene == "suwalki_gap"
    at.button(key="present_exit").click().run()
    assert at.session_state.presentation is False


@pytest.mark.parametrize("query", [{"scene": "nowhere"}, {"r_vilnius_rings": "-1"}])
def test_a_broken_link_opens_the_map_with_a_warning(query):
    at = run_app(query)
    assert not at.exception
    assert at.warning and "Link:" in shown(at.warning[0])


def test_typed_points_are_measured_on_the_ellipsoid(site_coords, wgs84):
    at = run_app()
    at.text_input(key="measure_a").input("Astravets NPP").run()
    at.text_input(key="measure_b").input("Vilnius").run()
    dist_km = wgs84.inv(*site_coords["astravets_npp"], *site_coords["vilnius"])[2] / 1000
    assert any(f"{dist_km:,.3f} km" in md.value for md in at.markdown)


def test_a_typed_measurement_is_drawn_on_the_map_and_framed(site_coords):
    at = run_app()
    assert "Ruler" not in sent_to_map(at)
    before = at.session_state.atlas.view
    at.text_input(key="measure_a").input("Astravets NPP").run()
    at.text_input(key="measure_b").input("Vilnius").run()
    assert "Ruler" in sent_to_map(at), "the typed line is drawn like a clicked one"
    (lon_a, lat_a), (lon_b, lat_b) = site_coords["astravets_npp"], site_coords["vilnius"]
    lon, lat, zoom = at.session_state.atlas.view
    assert (lon, lat, zoom) != before and zoom > before[2], "the map moves in to show it"
    assert min(lon_a, lon_b) < lon < max(lon_a, lon_b) and min(lat_a, lat_b) < lat < max(
        lat_a, lat_b
    )


def test_a_typo_in_a_measured_place_names_the_closest_places():
    at = run_app()
    at.text_input(key="measure_a").input("Vilnus").run()
    assert any("closest: Vilnius" in shown(e) for e in at.error)
    assert not at.exception


def test_rings_added_at_a_typed_place_go_on_the_map_and_into_the_link():
    at = open_tool(run_app(), "Rings")
    at.text_input(key="ring_centre").input("Grodno").run()
    at.text_input(key="ring_radii").input("every 40 to 120").run()
    at.button(key="ring_add").click().run()
    assert at.session_state.atlas.state.rings[0].radii_km == (40.0, 80.0, 120.0)
    assert at.query_params["rings"] == "Grodno@40, 80, 120"
    assert "Grodno 120 km" in sent_to_map(at)


def test_picking_a_claim_draws_it_in_its_verdicts_colour_and_flies_there():
    at = open_tool(run_app(), "Claims check")
    pick = at.selectbox(key="claim_pick")
    assert pick.options[0] == "—" and len(pick.options) == len(ledger()) + 1
    quote = "approximately 32 kilometers from the Lithuanian capital of Vilnius"
    assert quote not in sent_to_map(at)
    assert VERDICT_COLORS["inconsistent"] not in sent_to_map(at)
    at = pick.set_value("astravets_plant_vilnius").run()
    assert not at.exception and not at.error
    sent = sent_to_map(at)
    assert quote in sent and VERDICT_COLORS["inconsistent"] in sent
    lon, lat, zoom = at.session_state.atlas.view
    assert 25.0 < lon < 26.2 and 54.5 < lat < 54.9 and zoom >= 8  # Astravets–Vilnius
    assert any("approximately 32 kilometers" in md.value for md in at.markdown)


def test_the_claims_table_lists_every_verdict():
    at = open_tool(run_app(), "Claims check")
    table = next(df.value for df in at.dataframe if "verdict" in df.value.columns)
    assert list(table["id"]) == [v.claim.id for v in ledger()]
    assert set(table["verdict"]) == {"Consistent", "Inconsistent", "Unclear"}


OBSERVATIONS = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Observation **7**"},
                "geometry": {"type": "Point", "coordinates": [25.0, 54.5]},
            }
        ],
    }
).encode()


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Put files in the sidebar's uploader, as a user dropping them there."""
    widget = at.get("file_uploader")[0]
    widget.set_value([(name, data, "application/octet-stream") for name, data in files])
    return at.run()


def test_an_uploaded_file_is_drawn_listed_measured_and_exported():
    at = upload(run_app(), ("obs.geojson", OBSERVATIONS))
    assert not at.exception and not at.error
    box = at.checkbox(key="layer_user_obs")
    assert box.value is True and re.sub(r"\\(.)", r"\1", box.label) == "obs (your layer)"
    assert "Observation **7**" in sent_to_map(at)
    assert '"obs (your layer)" :' in map_args(at)["layer_control"]
    assert "obs (your layer)" in map_args(at)["script"]  # the legend
    # Its named point is a place for the measuring tools.
    open_tool(at, "Distances from a point").text_input(key="point_query").input(
        "observation **7**"
    ).run()
    assert any(shown(md).startswith("**Observation **7**** — 54.50000°N") for md in at.markdown)
    # Its figures are listed with the catalogue layers' figures.
    open_tool(at, "Layer figures")
    assert any(shown(md).startswith("**obs (your layer)** — Uploaded") for md in at.markdown)
    at.checkbox(key="layer_user_obs").uncheck().run()
    assert "Observation **7**" not in sent_to_map(at)


def test_a_bad_file_is_refused_beside_the_uploader_and_nothing_else_changes():
    at = upload(run_app(), ("obs.geojson", OBSERVATIONS))
    layers_before = at.session_state.atlas.state.layers
    at = upload(at, ("obs.geojson", OBSERVATIONS), ("bad.geojson", b'{"type": "Feature'))
    assert not at.exception
    (error,) = at.sidebar.error
    assert shown(error).startswith("'bad.geojson' is not valid JSON")
    assert at.session_state.atlas.state.layers == layers_before
    assert at.checkbox(key="layer_user_obs").value is True  # the good file stays
    assert "Observation **7**" in sent_to_map(at)


def test_markdown_in_typed_text_is_shown_literally_never_rendered():
    at = run_app()
    at.text_input(key="measure_a").input("![x](http://127.0.0.1:9/pixel.png)").run()
    (error,) = at.error
    assert "\\!\\[x\\]\\(http\\://127\\.0\\.0\\.1\\:9/pixel\\.png\\)" in error.value
    assert "'![x](http://127.0.0.1:9/pixel.png)'" in shown(error)


def test_uploaded_points_are_measured_to_countries_and_places(wgs84):
    at = open_tool(upload(run_app(), ("obs.geojson", OBSERVATIONS)), "Distances from your points")
    at.text_input(key="batch_places").input("Vilnius").run()
    assert not at.exception and not at.error
    table = next(df.value for df in at.dataframe if "to_BY_km" in df.value.columns)
    assert table["name"].tolist() == ["Observation **7**"]
    vilnius_km = wgs84.inv(25.0, 54.5, table["to_vilnius_lon"][0], table["to_vilnius_lat"][0])[2]
    assert table["to_vilnius_km"][0] == pytest.approx(vilnius_km / 1000, abs=1e-9)
    assert 0 < table["to_BY_km"][0] < 60  # 54.5°N 25°E is west of the Belarusian border
    at.text_input(key="batch_places").input("Atlantis").run()
    assert any("unknown place 'Atlantis'" in shown(e) for e in at.error)


def test_layer_figures_say_what_each_shown_layer_shows():
    at = open_tool(run_app(), "Layer figures")
    shown_layers = at.session_state.atlas.state.layers
    assert shown_layers
    for layer_id in shown_layers:
        assert any(CATALOGUE[layer_id].description in shown(md) for md in at.markdown), layer_id


def test_a_small_layer_comes_with_the_rerun_that_first_shows_it_and_by_name_after():
    small = layer_data(CATALOGUE["vilnius_rings"], build("vilnius_rings"))
    large = layer_data(CATALOGUE["borders"], build("borders"))
    assert len(small) <= PUSH_MAX_CHARS < len(large)
    at = first_run()
    first = map_args(at)["feature_group"]
    assert pushed(small) in first, "shown for the first time: its data travels with it"
    assert served(large) in first and pushed(large) not in first, "fetched by the page"
    at.run()  # the map's first report: the controls come, the map is sent again
    assert pushed(small) not in map_args(at)["feature_group"], "the page has it"
    at.checkbox(key="layer_vilnius_rings").uncheck().run()
    assert served(small) not in map_args(at)["feature_group"]
    at.checkbox(key="layer_vilnius_rings").check().run()
    again = map_args(at)["feature_group"]
    assert served(small) in again and pushed(small) not in again, "the page has it: a name"
