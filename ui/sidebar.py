"""The sidebar: scenes, layers, your layers, layer settings, display and export; and the
presentation bar that stands in for it in presentation mode.

The controls' values are taken into the session's :class:`~ui.link.MapState` by
:func:`read_controls`, before anything is drawn; :func:`sidebar` only draws them. The app
draws the map first, so the browser gets it ahead of the sidebar's many elements (it
handles them one by one on the page's only thread). Bad input is shown beside its control
and the previous value is kept.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from exports.formats import MEDIA_TYPES, export_bytes
from exports.workspace import workspace_bytes
from geo.errors import InputError
from geo.forces import EARLIEST, LATEST, laydown_date
from geo.locate import locate
from layers.catalogue import CATALOGUE
from layers.escape import escape_markdown
from layers.scenes import scene, scenes
from layers.spec import LayerSpec, Param
from layers.units import UNITS
from ui.link import BEARINGS, COORD_FORMATS, format_radii, parse_radii
from ui.map_panel import marks_spec
from ui.session import Keys, current, set_control, stale_values, take_back_stale
from ui.uploads import (
    UPLOADS_KEY,
    read_uploads,
    shown_user_layers,
    uploads_panel,
    user_layer_params,
)
from ui.workspace import session_workspace
from webmap.controls import BASES

__all__ = [
    "EXPORT_LABELS",
    "as_of_control",
    "controls_follow",
    "go_to_scene",
    "presentation_bar",
    "read_controls",
    "scene_buttons",
    "sidebar",
    "step_scene",
]

SITE_KEY = "polonez_site"

EXPORT_LABELS = {
    "html": "HTML page",
    "png": "PNG image (slides)",
    "geojson": "GeoJSON",
    "kml": "KML (Google Earth)",
    "kmz": "KMZ (Google Earth, units as symbols)",
    "gpkg": "GeoPackage (QGIS)",
    "csv": "CSV (figures and distances)",
}


def _show_scene_widgets(scene_id: str) -> None:
    """Tick the scene's layers, select it in the scene box and show its laydown date."""
    chosen = scene(scene_id)
    for layer_id in CATALOGUE:
        set_control(Keys.layer(layer_id), layer_id in chosen.layers)
    set_control(Keys.SCENE, chosen.id)
    set_control(Keys.AS_OF, laydown_date(current().state.as_of))


def _show_state_widgets(hidden: set[str]) -> None:
    """Set every control from the session's state (a workspace just opened), before any
    control is drawn in this rerun; ``hidden`` are uploaded layers to untick."""
    state = current().state
    for layer_id in CATALOGUE:
        set_control(Keys.layer(layer_id), layer_id in state.layers)
    for layer_id in hidden:
        set_control(Keys.layer(layer_id), False)
    set_control(Keys.SCENE, state.scene)
    set_control(Keys.AS_OF, laydown_date(state.as_of))
    set_control(Keys.UNITS, state.units)
    set_control(Keys.COORD, state.coord)
    set_control(Keys.BASE, state.base)
    set_control(Keys.BEARINGS, list(state.bearings))
    set_control(Keys.ROUTE, current().route)
    for spec, param in radius_boxes():
        default = tuple(float(r) for r in param.default)
        set_control(Keys.radii(spec.id), format_radii(state.radii.get(spec.id, default)))
    set_control(SITE_KEY, state.site)


def workspace_panel() -> None:
    """Save your layers, marks and map settings as one GeoPackage; open it by uploading it."""
    session = current()
    shown = {spec.id for spec in shown_user_layers()}
    uploaded = session.uploaded_specs()
    workspace = session_workspace(
        session.state,
        session.clicks,
        route=session.route,
        files=[f for upload in session.uploads.values() if not upload.error for f in upload.files],
        hidden=[spec.title for spec in uploaded if spec.id not in shown],
    )
    marks = marks_spec(report=False)
    st.sidebar.download_button(
        "Save workspace",
        # Made only when clicked, from plain values (the callable runs outside the script).
        data=partial(
            workspace_bytes,
            workspace,
            layer_ids=[*uploaded, *([marks] if marks else [])],
            unit=session.state.units,
            params={spec.id: user_layer_params(spec) for spec in uploaded},
        ),
        file_name="atlas-workspace.gpkg",
        mime=MEDIA_TYPES["gpkg"],
        on_click="ignore",
        key="workspace_download",
        help="One GeoPackage with your layers, clicks, rings, fans and radials (QGIS opens "
        "them as layers) and the map's settings. Upload it here to open it again.",
        width="stretch",
    )


def as_of_control() -> None:
    """The date the forces are shown as of (today unless a scene or the user sets one)."""
    st.sidebar.date_input(
        "Forces as of",
        key=Keys.AS_OF,
        value=laydown_date(current().state.as_of),
        min_value=EARLIEST,
        max_value=LATEST,
        format="YYYY-MM-DD",
        help="The Forces layers show the units there on this date (data/forces.csv: "
        "each unit's dates); the others are hidden, not deleted.",
    )


def go_to_scene(scene_id: str) -> None:
    """Callback: show a scene's layers and view, unless the scene box's value is one its
    page showed before the app set another (:class:`ui.session.PageSync`)."""
    if Keys.SCENE in stale_values():
        return  # read_controls puts the scene the app set back
    _show_scene_widgets(current().show_scene(scene_id).id)


def step_scene(step: int) -> None:
    """Callback: show the previous (-1) or next (1) scene."""
    _show_scene_widgets(current().step_scene(step).id)


def scene_buttons(prev_col, next_col, prefix: str) -> None:
    """◀ Previous and Next ▶ buttons in two columns (the sidebar's), or in a row (the
    presentation bar's: the same container twice)."""
    prev_col.button("◀ Previous", key=f"{prefix}_prev", on_click=step_scene, args=(-1,))
    next_col.button("Next ▶", key=f"{prefix}_next", on_click=step_scene, args=(1,))


def presentation_bar() -> None:
    """In presentation mode: scene buttons and a way out, over the map (``ui.map_panel``
    lays the page out)."""
    bar = st.container(key="present_bar", horizontal=True)
    scene_buttons(bar, bar, "present")
    bar.button(
        "Exit presentation",
        key="present_exit",
        on_click=lambda: st.session_state.update({Keys.PRESENTATION: False}),
    )


def controls_follow() -> None:
    """The sidebar of a session's first run: its heading, and word that the controls follow.

    Text only: a widget's code is loaded by the browser the first time one is shown, and
    the map would wait for it (see ``app.main``).
    """
    st.sidebar.header("Briefing")
    st.sidebar.caption("The controls follow once the map is drawn.")


def sidebar() -> None:
    """Every sidebar control, top to bottom.

    Each control's default is the value it holds: the session's state, which
    :func:`read_controls` took from the controls at the start of the run. A browser draws
    a control it has not drawn yet from its default, and under load it can skip the run
    that first sent the control; a default other than the value then shows what the
    server does not hold, and the next click sends it back (the base-map radio showed
    the offline base while the link said OpenStreetMap). Where the app sets a value itself
    (a scene, an opened workspace) the value travels with the control; Streamlit's
    warning about a default beside it is off (``.streamlit/config.toml``).
    """
    session = current()
    st.sidebar.header("Briefing")
    ids = [sc.id for sc in scenes()]
    st.sidebar.selectbox(
        "Scene",
        ids,
        key=Keys.SCENE,
        index=ids.index(session.state.scene),
        format_func=lambda i: scene(i).title,
        on_change=lambda: go_to_scene(st.session_state[Keys.SCENE]),
    )
    scene_buttons(*st.sidebar.columns(2), "scene")
    st.sidebar.toggle("Presentation mode (hide this panel)", key=Keys.PRESENTATION)
    st.sidebar.header("Layers", help="What each layer shows: the *Layer figures* tab.")
    # No help icon a layer: ten tooltips cost the browser ~50 ms on every click (measured
    # with bench/browser.py); each layer's description is in the "Layer figures" tab.
    for spec in CATALOGUE.values():
        key = Keys.layer(spec.id)
        st.sidebar.checkbox(spec.title, key=key, value=spec.id in session.state.layers)
    as_of_control()
    st.sidebar.header("Your layers")
    uploads_panel()
    workspace_panel()
    # The two panels run only while open (``on_change="rerun"``): closed, their boxes are
    # neither computed nor sent, and a click elsewhere redraws fewer elements.
    with st.sidebar.expander("Layer settings", key=Keys.SETTINGS, on_change="rerun") as box:
        if box.open:
            layer_settings()
    st.sidebar.toggle(
        "Measure by clicking the map",
        key=Keys.CLICK_MEASURE,
        help="On: clicks on the map set the ruler's points (popups close on each "
        "click). Off: clicks only open popups.",
    )
    display_settings()
    with st.sidebar.expander("Export the map", key=Keys.EXPORT, on_change="rerun") as box:
        if box.open:
            export_panel()


def display_settings() -> None:
    """Units of distances and the pointer's coordinate format."""
    session = current()
    st.sidebar.header("Display")
    units = list(UNITS)
    st.sidebar.radio(
        "Units",
        units,
        key=Keys.UNITS,
        horizontal=True,
        index=units.index(session.state.units),
    )
    st.sidebar.radio(
        "Coordinates",
        COORD_FORMATS,
        key=Keys.COORD,
        index=COORD_FORMATS.index(session.state.coord),
        horizontal=True,
        format_func=str.upper,
    )
    st.sidebar.radio(
        "Base map",
        list(BASES),
        key=Keys.BASE,
        index=list(BASES).index(session.state.base),
        format_func=BASES.get,
        help="The vector base is drawn from the atlas's own data and needs no network; "
        "the other two are map tiles from the internet.",
    )


def radius_boxes() -> list[tuple[LayerSpec, Param]]:
    """Every ring layer's radii parameter, in catalogue order (one text box each)."""
    return [
        (spec, param)
        for spec in CATALOGUE.values()
        for param in spec.params
        if param.kind == "radii_km"
    ]


def read_controls() -> None:
    """Take this rerun's control values into the session, before anything is drawn.

    A control's value is in ``st.session_state`` from the start of the rerun (the
    browser sends it with the rerun), so the map can be drawn before the controls are.
    New uploads are read here too. A value that cannot be read keeps the previous one;
    :func:`sidebar` shows why beside its control. On the session's first run no control
    exists yet and the session's state (the link's) stands.
    """
    session = current()
    values = st.session_state
    take_back_stale()  # a page behind the app: the values the app set stand
    read_uploads(session, values.get(UPLOADS_KEY) or [])
    if session.restored is not None:  # a workspace was opened: its settings, not the boxes'
        _show_state_widgets(session.restored)
        session.restored = None
        return
    changes: dict = {}
    if all(Keys.layer(i) in values for i in CATALOGUE):
        changes["layers"] = tuple(i for i in CATALOGUE if values[Keys.layer(i)])
    for key, name in ((Keys.UNITS, "units"), (Keys.COORD, "coord"), (Keys.BASE, "base")):
        if key in values:
            changes[name] = values[key]
    if isinstance(values.get(Keys.AS_OF), dt.date):  # today's date follows the calendar
        day = values[Keys.AS_OF]
        changes["as_of"] = "" if day == laydown_date("") else day.isoformat()
    if Keys.BEARINGS in values:  # the Measure tab's choice (None: none picked)
        changes["bearings"] = tuple(b for b in BEARINGS if b in (values[Keys.BEARINGS] or ()))
    radii = dict(session.state.radii)
    for spec, param in radius_boxes():
        try:
            value = parse_radii(values[Keys.radii(spec.id)])
        except (KeyError, InputError):
            continue
        if value != tuple(float(r) for r in param.default):
            radii[spec.id] = value
        else:
            radii.pop(spec.id, None)
    changes["radii"] = radii
    try:
        locate(values[SITE_KEY])
        changes["site"] = values[SITE_KEY]
    except (KeyError, InputError):
        pass
    session.update(**changes)


def layer_settings() -> None:
    """Radii of every ring layer and the Polonez launch site; bad input keeps the old value."""
    session = current()
    radii = dict(session.state.radii)
    for spec, param in radius_boxes():
        key = Keys.radii(spec.id)
        text = st.text_input(
            f"{spec.title}: {param.label}",
            key=key,  # the text as typed, if any: bad text stays to be corrected
            value=st.session_state.get(key, format_radii(radii.get(spec.id, param.default))),
        )
        try:
            parse_radii(text)
        except InputError as exc:
            st.error(escape_markdown(exc))
    typed = st.session_state.get(SITE_KEY, session.state.site)
    site = st.text_input("Polonez launch site", key=SITE_KEY, value=typed)
    try:
        locate(site)
    except InputError as exc:
        st.error(escape_markdown(exc))


def export_panel() -> None:
    """Download the map as configured: its layers, their settings, the units and the view."""
    s = current().state
    fmt = st.selectbox(
        "Format", list(EXPORT_LABELS), format_func=EXPORT_LABELS.get, key="export_format"
    )
    title = st.text_input(
        "Title", f"Baltic Flank Atlas: {scene(s.scene).title}", key="export_title"
    )
    offline = st.toggle(
        "Works with no network (no tiles: our vector base)",
        value=True,
        key="export_offline",
        disabled=fmt != "html",
        help="HTML only. Other formats never need the network.",
    )
    marks = marks_spec()  # your clicks, ruler, rings, fans and radials
    if not s.layers and not shown_user_layers() and marks is None:
        st.caption("Turn on at least one layer to export.")
        return
    options = {
        "layer_ids": (*s.layers, *shown_user_layers(), *([marks] if marks else [])),
        "unit": s.units,
        "title": title,
        "offline": offline and fmt == "html",
        "params": {
            **{i: s.layer_params(i) for i in s.layers},
            **{spec.id: user_layer_params(spec) for spec in shown_user_layers()},
        },
        "view": s.view or (*scene(s.scene).center, scene(s.scene).zoom),
    }
    st.download_button(
        f"Download {EXPORT_LABELS[fmt]}",
        # Made only when clicked, from plain values (the callable runs outside the script).
        data=partial(export_bytes, fmt, **options),
        file_name=f"baltic-flank-atlas.{fmt}",
        mime=MEDIA_TYPES[fmt],
        on_click="ignore",
        key="export_download",
        width="stretch",
    )
