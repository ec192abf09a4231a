"""The map: the base map once, the shown layers swapped in place, clicks and pans taken back.

The base map (controls, legend, base layers) is the same on every rerun; the layers go
through streamlit-folium's ``feature_group_to_add`` with ``center`` and ``zoom``, so turning
a layer on or choosing a scene swaps layers and moves the view without rebuilding it. The
component's arguments are made from parts kept per content (:mod:`ui.map_component`).
A layer is drawn once per parameters and unit (:func:`shared_cache`), and an uploaded
layer once per upload (:func:`ui.uploads.user_layer_data`). The catalogue's layers, the
claims and the base map's own data are served as files (:mod:`webmap.served`): a rerun
sends their names, and the browser fetches each once. A small layer comes with the rerun
that first shows it (:func:`to_page`: no request to wait for), and by name afterwards.
Your layers and marks stay inline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, partial, wraps
from typing import Any

import streamlit as st

from geo.errors import DataFileError, InputError
from geo.gazetteer import Place
from layers import claim_layers
from layers.catalogue import CATALOGUE, build
from layers.escape import escape_markdown, escape_text
from layers.scenes import view_for_bounds
from layers.spec import LayerSpec
from layers.user_marks import USER_MARKS, user_marks
from ui import marks
from ui.map_component import Layer, base_args, component_key, for_legend, map_component
from ui.session import Keys, current
from ui.uploads import find_place, shown_user_layers, user_layer_data
from webmap.render import layer_data
from webmap.served import pushed, served

__all__ = [
    "RULER_KEYS",
    "clicked_ends",
    "draw_map",
    "fly_to_claim",
    "frame_ruler",
    "heading",
    "marks_spec",
    "placed",
    "ruler_ends",
    "user_rings",
]

# How long a rerun that changed the map waits after sending it (draw_map). Measured in
# Chromium, alternating servers with and without it: Next scene 148 → 128 ms (medians of
# 24), a ring radius 185 → 177 ms; the server's rerun is that much longer.
HEAD_START_S = 0.04
MAP_HEIGHT_PX = 640  # what the component is told; the page's style sets what is shown
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# The map as tall as the window below the scene's title and caption (not under 480 px).
PAGE_STYLE = f"{MAP_IFRAME}{{height:max(480px,calc(100vh - 15rem))!important}}"
# Presenting: the map fills the window; the title, the caption and the scene buttons lie
# over it (the sidebar and Streamlit's header hidden), large enough for the back of a room.
PRESENT_STYLE = (
    "section[data-testid='stSidebar'],header[data-testid='stHeader']{display:none}"
    f"{MAP_IFRAME}{{position:fixed!important;inset:0;width:100vw!important;"
    "height:100vh!important;z-index:999990}"
    ".atlas-present{position:fixed;top:12px;left:64px;right:64px;z-index:999991;"
    "pointer-events:none;text-align:center}"
    ".atlas-present div{display:inline-block;max-width:min(1100px,75vw);padding:8px 18px;"
    "background:rgba(255,255,255,.92);border-radius:6px;box-shadow:0 1px 6px rgba(0,0,0,.35);"
    "color:#1a1a1a;font-size:20px;line-height:1.35}"
    ".atlas-present b{display:block;font-size:28px}"
    ".st-key-present_bar{position:fixed;bottom:28px;left:50%;transform:translateX(-50%);"
    "z-index:999992;width:auto!important;background:rgba(255,255,255,.92);padding:6px 10px;"
    "border-radius:6px;box-shadow:0 1px 6px rgba(0,0,0,.35)}"
)
# A served layer up to this size travels with the rerun that first shows it in a session:
# a ring of a new radius is drawn without a request (20-80 ms here, while the server still
# runs the rest of the page). The rings, corridors and sites are 5-20 KB; the borders,
# rivers and claims, which the page fetches once, 35-220 KB.
PUSH_MAX_CHARS = 32_000


def shared_cache(maxsize: int) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """A process-wide LRU cache of strings that makes each value once: the sessions that
    ask for it while it is being made wait for it (as ``st.cache_data`` makes them), not
    each make it again (a room opening the link on a fresh server).

    Not ``st.cache_data`` itself: it inspected the function's signature, hashed the
    arguments and copied the value out on every call, about 1 ms a layer a rerun
    (``bench.load``); the layers' data are immutable strings, shared as they are.
    """

    def wrap(make: Callable[..., str]) -> Callable[..., str]:
        cached = lru_cache(maxsize=maxsize)(make)
        making: dict[tuple, threading.Lock] = {}  # a lock per key being asked for
        guard = threading.Lock()

        @wraps(make)
        def call(*args: Any) -> str:
            with guard:
                lock = making.setdefault(args, threading.Lock())
            try:
                with lock:
                    return cached(*args)
            finally:
                with guard:
                    if making.get(args) is lock and not lock.locked():
                        del making[args]

        return call

    return wrap


@shared_cache(maxsize=256)
def cached_layer_data(layer_id: str, params: tuple, unit: str) -> str:
    """A layer as the map draws it; recomputed only when its own parameters or the unit
    change."""
    return layer_data(CATALOGUE[layer_id], build(layer_id, **dict(params)), unit=unit)


@shared_cache(maxsize=64)
def cached_claim(claim_id: str, unit: str) -> str:
    """One claim as the map draws it."""
    return layer_data(CATALOGUE["claims"], claim_layers.claim(claim_id), unit=unit)


def to_page(data: str) -> str:
    """A catalogue layer's data as this session's map gets it: a served file's reference,
    with the data itself the first time if it is small (:data:`PUSH_MAX_CHARS`)."""
    ref = served(data)
    if not data or len(data) > PUSH_MAX_CHARS or ref in current().pushed:
        return ref
    current().pushed.add(ref)
    return pushed(data)


def shown_layers() -> list[Layer]:
    """The shown catalogue layers (context layers first, underneath), then yours."""
    s = current().state
    layers = []
    for layer_id in sorted(s.layers, key=lambda i: CATALOGUE[i].group != "context"):
        params = tuple(sorted(s.layer_params(layer_id).items()))
        try:
            data = cached_layer_data(layer_id, params, s.units)
            layers.append(Layer.of(CATALOGUE[layer_id], to_page(data)))
        except (InputError, DataFileError) as exc:  # a missing asset: `make` installs it
            st.error(escape_markdown(f"{CATALOGUE[layer_id].title}: {exc}"))
    # Your layers on top, in the order they were uploaded.
    for spec in shown_user_layers():
        try:
            layers.append(Layer.of(spec, user_layer_data(spec, s.units)))
        except DataFileError as exc:
            st.error(escape_markdown(f"{spec.title}: {exc}"))
    return layers


def claim_layer() -> list[Layer]:
    """The claim picked in the "Claims check" tab, drawn in its verdict's colour."""
    claim_id = st.session_state.get(Keys.CLAIM)
    if not claim_id:
        return []
    spec = replace(CATALOGUE["claims"], title=f"Selected claim: {claim_id}")
    return [Layer.of(spec, to_page(cached_claim(claim_id, current().state.units)))]


RULER_KEYS = ("measure_a", "measure_b")  # the ruler's boxes (ui.tools.ruler)


def clicked_ends() -> tuple[Place | None, Place | None]:
    """The ruler's ends as clicked: the last two clicks, once there are two (none while
    the clicks make a route)."""
    session = current()
    return marks.clicked_ends(session.clicks, session.route)


def ruler_ends() -> tuple[Place | None, Place | None]:
    """The ruler's two ends: each typed in its box, else the clicked one
    (:func:`clicked_ends`). A box that cannot be read gives no end; the ruler's tab says
    why."""
    ends = []
    for key, fallback in zip(RULER_KEYS, clicked_ends(), strict=True):
        text = str(st.session_state.get(key) or "")
        try:
            ends.append(find_place(text) if text.strip() else fallback)
        except InputError:
            ends.append(None)
    return ends[0], ends[1]


def frame_ruler() -> None:
    """Callback of the ruler's boxes: move the map to show a typed line whole."""
    a, b = ruler_ends()
    if a is not None and b is not None:
        bounds = (min(a.lon, b.lon), min(a.lat, b.lat), max(a.lon, b.lon), max(a.lat, b.lat))
        current().view = view_for_bounds(bounds)


def marks_inputs(*, report: bool = True) -> dict[str, Any]:
    """What the user's marks are made of, as :func:`layers.user_marks.user_marks`'s
    keyword arguments (:func:`ui.marks.marks_arguments`): clicks, rings, the ruler, fans,
    radials, horizon rings, the route of clicks, and the bearings the ruler states. A
    place that is gone is reported beside the map."""
    session = current()
    arguments, problems = marks.marks_arguments(
        session.state, session.clicks, route=session.route, find=find_place, ruler=ruler_ends()
    )
    for problem in problems if report else ():
        st.error(escape_markdown(problem))
    return arguments


def marks_layer() -> Layer:
    """Your marks (:func:`marks_inputs`), drawn again only when they change."""
    session = current()
    inputs = marks_inputs()
    key = (tuple(inputs.items()), session.state.units)
    if session.drawn_marks[0] != key:
        unit = session.state.units
        drawn = has_marks(inputs)  # none: an empty layer, as user_marks would build it
        data = layer_data(USER_MARKS, user_marks(**inputs), unit=unit) if drawn else ""
        session.drawn_marks = (key, data)
    return Layer.of(USER_MARKS, session.drawn_marks[1])


def has_marks(inputs: dict[str, Any]) -> bool:
    """Whether :func:`marks_inputs` hold any mark (the bearings alone draw nothing)."""
    return any(value for name, value in inputs.items() if name != "bearings")


def marks_spec(*, report: bool = True) -> LayerSpec | None:
    """Your marks as a layer to export, or None if there are none (built when exported);
    ``report``: say beside the map which places are gone (the map says it already)."""
    inputs = marks_inputs(report=report)
    if not has_marks(inputs):
        return None
    return replace(USER_MARKS, build=partial(user_marks, **inputs))


def fly_to_claim() -> None:
    """Callback: move the map to the picked claim's geometry."""
    claim_id = st.session_state.get(Keys.CLAIM)
    if claim_id:
        bounds = tuple(claim_layers.claim(claim_id).features.total_bounds)
        current().view = view_for_bounds(bounds)


def heading(title: str, text: str, *, presenting: bool) -> None:
    """The scene's title and caption above the map, or over it while presenting, and the
    page's style (a map as tall as the window; full-window while presenting)."""
    if presenting:
        st.markdown(
            f"<style>{PRESENT_STYLE}</style><div class='atlas-present'><div>"
            f"<b>{escape_text(title)}</b>{escape_text(text)}</div></div>",
            unsafe_allow_html=True,
        )
        return
    st.markdown(f"<style>{PAGE_STYLE}</style>", unsafe_allow_html=True)
    st.subheader(title)
    st.write(text)


def placed(found: tuple, what: str) -> list[tuple[Place, Any]]:
    """Each fan, radials or horizon mark with its place found (a place that is gone is
    reported beside the map)."""
    placed_ones, problems = marks.placed_marks(found, what, find_place)
    for problem in problems:
        st.error(escape_markdown(problem))
    return placed_ones


def user_rings() -> list[tuple[Place, tuple[float, ...]]]:
    """The rings the user added, each centre found (a centre that is gone is reported)."""
    return [(place, ring.radii_km) for place, ring in placed(current().state.rings, "ring")]


def draw_map(*, followed: bool) -> bool:
    """The map with the shown layers, the picked claim and your marks; take clicks and pans.

    Returns True if the page already had this map: a first run (not ``followed``) of a
    page that reconnected to a restarted server, whose controls are then drawn at once.

    Parameters
    ----------
    followed : bool
        Whether the rerun sends more elements after the map (the sidebar and the tools).
        If so, and the map changed, the script waits :data:`HEAD_START_S` before going
        on, so that the map's message reaches the page and is drawn on its own: sent
        together, the page's frontend handles the map's message and the forty-odd
        elements after it in one render, and the map's frame waits for all of them.
    """
    session = current()
    lon, lat, zoom = session.view
    measuring = bool(st.session_state.get(Keys.CLICK_MEASURE))
    base = base_args(session.state.coord, for_legend(session.uploaded_specs()), session.state.base)
    layers = [*shown_layers(), *claim_layer(), marks_layer()]
    key = "map_measure" if measuring else "map"
    signature = hash((base.script, base.header, base.html, tuple(layers), lat, lon, zoom, key))
    changed, session.drawn_map = signature != session.drawn_map, signature
    returned = map_component(
        base,
        layers,
        center=(lat, lon),
        zoom=zoom,
        # Clicks come back (and rerun the app) only in measuring mode: otherwise the rerun
        # would close the popup the click opened. The component reads this list when it
        # mounts, hence one key per mode. The view comes back for the link.
        returned_objects=["center", "zoom"]
        + (["last_clicked", "last_object_clicked"] if measuring else []),
        height=MAP_HEIGHT_PX,
        key=key,
    )
    if followed and changed:
        time.sleep(HEAD_START_S)
    session.sync.map_key = component_key(base, key)  # for PageSync: did the map report?
    session.note_view(returned)
    if session.take_click(returned):
        st.rerun()
    # A session's first run sends the map alone and waits for its first report. A page
    # that outlived its server (restarted) has its map, whose report came long ago and
    # comes now with the page's first rerun on the new server, with its controls' values.
    return not followed and (returned or {}).get("center") not in (None, base.center)
