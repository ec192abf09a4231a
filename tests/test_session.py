"""One browser session, without Streamlit: scenes, clicks and pans as plain Python."""

import pytest

from layers.catalogue import CATALOGUE
from layers.scenes import scene, scenes
from ui.link import MapState, in_catalogue_order
from ui.session import BASE_MAP_VIEW, LINKS_KEPT, MAX_ROUTE_POINTS, PageSync, Session

VILNIUS = {"lat": 54.6872, "lng": 25.2797}
MINSK = {"lat": 53.9006, "lng": 27.559}


def test_a_session_opens_on_the_links_view_else_the_scenes():
    assert Session(MapState()).view == Session.scene_view("overview")
    linked = Session(MapState(view=(25.0, 54.0, 9)))
    assert linked.view == (25.0, 54.0, 9)


def test_a_broken_link_becomes_problems_not_an_error():
    session = Session.from_query({"scene": "nowhere"})
    assert session.state.scene == "overview"
    assert session.url_problems and "nowhere" in session.url_problems[0]


def test_showing_a_scene_takes_its_layers_and_view_and_drops_the_links_view():
    session = Session(MapState(view=(25.0, 54.0, 9)))
    chosen = session.show_scene("suwalki_gap")
    assert session.state.scene == chosen.id == "suwalki_gap"
    assert session.state.layers == in_catalogue_order(scene("suwalki_gap").layers)
    assert set(session.state.layers) <= set(CATALOGUE)
    assert session.state.view is None
    assert session.view == (*chosen.center, chosen.zoom)


@pytest.mark.parametrize("step", [1, -1])
def test_stepping_through_scenes_cycles_round(step):
    session = Session(MapState())
    seen = [session.step_scene(step).id for _ in scenes()]
    assert seen[-1] == "overview" and sorted(seen) == sorted(s.id for s in scenes())


def test_a_click_is_taken_once_though_every_rerun_returns_it():
    session = Session(MapState())
    assert session.take_click({"last_clicked": VILNIUS})
    assert not session.take_click({"last_clicked": VILNIUS})
    assert len(session.clicks) == 1
    assert session.clicks[0].lon == pytest.approx(VILNIUS["lng"])
    assert session.clicks[0].lat == pytest.approx(VILNIUS["lat"])


def test_the_ruler_keeps_the_last_two_clicks():
    session = Session(MapState())
    for point in (VILNIUS, MINSK, {"lat": 55.0, "lng": 26.0}):
        assert session.take_click({"last_object_clicked": point})
    assert [(p.lat, p.lon) for p in session.clicks] == [(53.9006, 27.559), (55.0, 26.0)]


def test_no_click_and_a_click_without_coordinates_change_nothing():
    session = Session(MapState())
    assert not session.take_click(None)
    assert not session.take_click({"last_clicked": None, "last_object_clicked": {}})
    assert session.clicks == []


def test_a_pan_goes_into_the_link_but_start_up_reports_do_not():
    session = Session(MapState())
    lon, lat, zoom = session.view
    session.note_view({"center": {"lng": BASE_MAP_VIEW[0], "lat": BASE_MAP_VIEW[1]}, "zoom": 6})
    session.note_view({"center": {"lng": lon, "lat": lat}, "zoom": zoom})
    assert session.state.view is None
    session.note_view({"center": {"lng": 24.123456, "lat": 55.5}, "zoom": 8})
    assert session.state.view == (24.12346, 55.5, 8)


def test_the_told_view_reported_a_pixel_off_is_not_a_pan():
    """Seen in Chromium: told (25.75, 54.72) at zoom 9, the map reported (25.74921, 54.71986)."""
    session = Session(MapState(scene="astravets_vilnius"))
    lon, lat, zoom = session.view
    assert (lon, lat, zoom) == (25.75, 54.72, 9)
    session.note_view({"center": {"lng": 25.74921, "lat": 54.71986}, "zoom": 9})
    assert session.state.view is None
    pixel = 360 / (256 * 2**9)  # 0.0027 degrees
    session.note_view({"center": {"lng": lon + 2 * pixel, "lat": lat}, "zoom": 9})
    assert session.state.view == (round(lon + 2 * pixel, 5), lat, 9)


def test_a_view_repeated_by_a_rerun_does_not_undo_a_scene_change():
    session = Session(MapState())
    panned = {"center": {"lng": 24.0, "lat": 55.5}, "zoom": 8}
    session.note_view(panned)
    session.show_scene("suwalki_gap")
    session.note_view(panned)  # the map has not moved yet: the same report again
    assert session.state.view is None


def test_a_route_keeps_every_click_up_to_its_limit_and_the_ruler_only_two():
    session = Session(MapState())
    session.route = True
    for i in range(MAX_ROUTE_POINTS + 5):
        assert session.take_click({"last_clicked": {"lat": 54.0 + i / 100, "lng": 25.0}})
    assert len(session.clicks) == MAX_ROUTE_POINTS
    assert session.clicks[-1].lat == pytest.approx(54.0 + (MAX_ROUTE_POINTS + 4) / 100)


def test_values_the_app_set_are_stale_for_a_page_that_had_not_shown_their_link():
    sync = PageSync()
    sync.wrote({"scene": "overview", "layers": "a,b"})
    sync.set("scene_select", "suwalki_gap")
    sync.set("layer_a", False)
    sync.wrote({"scene": "suwalki_gap", "layers": "b"})
    behind = {"scene": "overview", "layers": "a,b"}
    assert sync.stale(behind) == {"scene_select": "suwalki_gap", "layer_a": False}
    # The page draws the run, shows its link, and every later request is current.
    assert sync.stale({"scene": "suwalki_gap", "layers": "b"}) == {}
    assert sync.stale(behind) == {}, "forgotten once a page has shown them"


def test_a_page_with_the_new_link_but_the_old_controls_is_behind_too():
    """A page takes a new URL as soon as it gets it and draws the controls sent before it
    a moment later: a request in between (a map's report) has both (seen in CI, where
    Next then jumped back to the scene before)."""
    sync = PageSync()
    sync.wrote({"scene": "yelnia_klintsy"})
    sync.set("scene_select", "forces_today")
    sync.set("layer_forces", True)
    sync.set("layer_deployments", False)
    sync.wrote({"scene": "forces_today"})
    new_url = {"scene": "forces_today"}
    old_controls = {
        "scene_select": "yelnia_klintsy",
        "layer_forces": False,
        "layer_deployments": True,
    }
    assert sync.stale(new_url, old_controls) == {
        "scene_select": "forces_today",
        "layer_forces": True,
        "layer_deployments": False,
    }
    # The page draws them; then the user unticks one layer: that is the user's.
    drawn = {"scene_select": "forces_today", "layer_forces": True, "layer_deployments": False}
    assert sync.stale(new_url, {**drawn, "layer_forces": False}) == {}
    assert sync.unseen == {}, "forgotten once a page has brought them back"


def test_one_control_back_as_it_was_with_a_map_report_is_behind_too():
    """Seen in CI: after Next to the Smolensk Gates the map's report came with the new
    scene box but the rivers' box not yet drawn, and the rivers went off again."""
    sync = PageSync()
    sync.wrote({"scene": "suwalki_gap"})
    sync.set("scene_select", "smolensk_gates")
    sync.set("layer_rivers", True)
    sync.wrote({"scene": "smolensk_gates"})
    half_drawn = {"scene_select": "smolensk_gates", "layer_rivers": False}
    new_url = {"scene": "smolensk_gates"}
    behind = sync.stale(new_url, half_drawn, map_reported=True)
    assert behind == {"scene_select": "smolensk_gates", "layer_rivers": True}  # all kept
    # Without a report of the map, one change is the user's unticking the rivers.
    assert sync.stale(new_url, half_drawn) == {}


def test_a_link_never_written_is_current_and_a_value_set_again_is_not_stale():
    sync = PageSync()
    sync.wrote({"scene": "overview"})
    sync.set("scene_select", "suwalki_gap")
    sync.wrote({"scene": "suwalki_gap"})
    assert sync.stale({"scene": "typed", "x": "1"}) == {}  # a first or typed-in URL
    sync.set("scene_select", "smolensk_gates")
    sync.wrote({"scene": "smolensk_gates"})
    sync.set("scene_select", "overview")  # set again in this run: newer than the last
    assert sync.stale({"scene": "suwalki_gap"}) == {}


def test_a_set_that_leaves_the_link_unchanged_is_not_remembered():
    sync = PageSync()
    sync.wrote({"scene": "overview"})
    sync.set("units", "km")
    sync.wrote({"scene": "overview"})
    assert sync.pending == {} and sync.unseen == {}
    assert sync.number == 1


def test_the_links_remembered_are_bounded():
    sync = PageSync()
    for n in range(3 * LINKS_KEPT):
        sync.wrote({"n": str(n)})
    assert len(sync.links) == LINKS_KEPT
    assert sync.number == 3 * LINKS_KEPT
    assert sync.links[0] == (2 * LINKS_KEPT + 1, {"n": str(2 * LINKS_KEPT)})


def test_values_set_in_a_run_cut_short_are_stale_until_a_link_shows_them():
    sync = PageSync()
    sync.wrote({"scene": "overview"})
    sync.set("scene_select", "suwalki_gap")
    sync.run_ended()  # the next request cut the run short before it wrote its link
    assert sync.stale({"scene": "overview"}) == {"scene_select": "suwalki_gap"}
    sync.wrote({"scene": "suwalki_gap"})  # the next run writes the link that shows it
    assert sync.stale({"scene": "overview"}) == {"scene_select": "suwalki_gap"}
    assert sync.stale({"scene": "suwalki_gap"}) == {}
    assert sync.carried == {} and sync.pending == {}
