"""The analyst's tabs under the map: measure, distances, rings, what is inside, your
points, the claims check and each layer's figures.

Places are typed (a name, ``lat, lon``, DMS or MGRS, or a point of your layers) or
clicked; what cannot be read is shown beside its box. Figures come from :mod:`geo`
through the tables of :mod:`ui.reports`.
"""

from __future__ import annotations

import math
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st

from exports.ledger import ledger_records
from exports.point_tables import point_table_bytes
from geo.batch import Target, add_distances, targets
from geo.bearings import SPEED_UNITS, bearing, travel_time_h
from geo.errors import InputError
from geo.fans import fan
from geo.gazetteer import Place
from geo.horizon import K_FACTORS, horizon
from geo.measure import legs, measure
from geo.rings import radii_from_km
from geo.rings import rings as geodesic_rings
from geo.territories import territory_choices
from layers.catalogue import CATALOGUE, build
from layers.escape import escape_markdown
from layers.spec import LayerSpec, cite, reference
from layers.units import UNITS, convert_km, format_duration
from layers.user_layers import FIGURE_COLUMNS
from ui import reports
from ui.link import BEARINGS, UserFan, UserHorizon, UserRadials, UserRing, parse_radii
from ui.map_panel import (
    RULER_KEYS,
    clicked_ends,
    fly_to_claim,
    frame_ruler,
    placed,
    user_rings,
)
from ui.session import MAX_ROUTE_POINTS, Keys, current, stale_values
from ui.uploads import find_place, shown_user_layers, upload_of

__all__ = ["VERDICT_MARKS", "tools_panel"]

MAX_MARKS = 20  # fans, sets of radials and horizon rings, each
VERDICT_MARKS = {"consistent": "Consistent", "inconsistent": "Inconsistent", "unclear": "Unclear"}


def typed_or_clicked(label: str, key: str, clicked: Place | None, on_change=None) -> Place | None:
    """The place typed in a box (an error beside it if unknown), else the clicked one."""
    text = st.text_input(
        label, key=key, placeholder="a name, 'lat, lon', DMS or MGRS", on_change=on_change
    )
    if text.strip():
        try:
            return find_place(text)
        except InputError as exc:
            st.error(escape_markdown(exc))
            return None
    return clicked


def bearing_text(a: Place, b: Place, shown: tuple[str, ...]) -> str:
    """The bearings the display setting asks for, from ``a`` to ``b``: ``119.60° true ·
    2126 mils · 110.86° magnetic (WMM2025, 2026-12-03)``."""
    bear = bearing(a.lon, a.lat, b.lon, b.lat)
    parts = {
        "true": f"{bear.azimuth_deg:.2f}° true (back {bear.back_azimuth_deg:.2f}°)",
        "mils": f"{bear.azimuth_mils:.0f} mils (back {bear.back_azimuth_mils:.0f})",
        "magnetic": f"no magnetic bearing ({bear.magnetic_model} has expired)"
        if math.isnan(bear.declination_deg)
        else f"{bear.magnetic_azimuth_deg:.2f}° magnetic ({bear.magnetic_model}, "
        f"{bear.magnetic_date})",
        "grid": "no UTM grid here"
        if bear.utm_zone is None
        else f"{bear.grid_azimuth_deg:.2f}° grid (UTM {bear.utm_zone})",
    }
    return " · ".join(parts[k] for k in BEARINGS if k in shown)


def ruler() -> None:
    """The geodesic between two typed or clicked points, or a route of clicks, with its
    figures and the time at a speed."""
    session = current()
    st.caption(
        "Turn on 'Measure by clicking the map' and click two points, or type them; or make "
        "a route of clicks."
    )
    st.toggle(
        f"Route: every click adds a leg (up to {MAX_ROUTE_POINTS} points)",
        key=Keys.ROUTE,
        value=session.route,
        on_change=route_changed,
    )
    # The map drew the same ends (ui.map_panel.ruler_ends); a typed line is framed.
    first, last = clicked_ends()
    a = typed_or_clicked("From", RULER_KEYS[0], first, on_change=frame_ruler)
    b = typed_or_clicked("To", RULER_KEYS[1], last, on_change=frame_ruler)
    if st.button("Clear clicks", key="clear_clicks"):
        current().clicks = []
        st.rerun()
    st.pills(
        "Bearings shown",
        BEARINGS,
        default=list(current().state.bearings),
        selection_mode="multi",
        key=Keys.BEARINGS,
        help="True (geodesic), NATO mils (6400 to the circle), magnetic (World Magnetic "
        "Model 2025, today's date) and UTM grid. The table below has them all.",
    )
    speed_box, unit_box = st.columns(2)
    speed = speed_box.number_input(
        "Speed (for the time)", min_value=0.0, value=0.0, step=10.0, key="ruler_speed"
    )
    speed_unit = unit_box.selectbox("Speed unit", list(SPEED_UNITS), key="ruler_speed_unit")
    if a and b:
        m = measure(a.lon, a.lat, b.lon, b.lat)
        shown = current().state.bearings
        timed = ""
        if speed > 0:
            hours = float(travel_time_h(m.distance_km, speed, speed_unit))
            timed = f" · {format_duration(hours)} at {speed:g} {speed_unit}"
        st.markdown(
            f"**{escape_markdown(a.name)} → {escape_markdown(b.name)}**: "
            f"{m.distance_km:,.3f} km · {m.distance_mi:,.3f} mi · "
            f"{m.distance_nmi:,.3f} nmi · {escape_markdown(bearing_text(a, b, shown))}{timed}",
            help="Geodesic on the WGS84 ellipsoid. Bearings: true, NATO mils (6400), "
            "magnetic (World Magnetic Model 2025, today) and UTM grid; pick them above.",
        )
        st.dataframe(reports.measurement_table(a, b), hide_index=True, width="stretch")
    if session.route and len(session.clicks) >= 2:
        table = reports.route_table(session.clicks, session.state.units)
        total_km = float(legs_total_km(session.clicks))
        timed = ""
        if speed > 0:
            hours = float(travel_time_h(total_km, speed, speed_unit))
            timed = f", {format_duration(hours)} at {speed:g} {speed_unit}"
        st.markdown(
            f"**Route of {len(session.clicks)} points**: "
            + " · ".join(f"{convert_km(total_km, u):,.3f} {u}" for u in UNITS)
            + timed
        )
        st.dataframe(table, hide_index=True, width="stretch")


def route_changed() -> None:
    """Callback of the route toggle: on, clicks add legs; off, only the last two stay."""
    session = current()
    if Keys.ROUTE in stale_values():
        return  # a page behind the app (ui.session.PageSync): read_controls puts it back
    session.route = bool(st.session_state.get(Keys.ROUTE))
    if not session.route:
        session.clicks = session.clicks[-2:]


def legs_total_km(points) -> float:
    """A route's length along its geodesic legs, in km."""
    return legs([p.lon for p in points], [p.lat for p in points])[2][-1] / 1000.0


def point_report() -> None:
    """A point's coordinates, its distances to every border and the nearest sites."""
    clicks = current().clicks
    unit = current().state.units
    place = typed_or_clicked("Point", "point_query", clicks[-1] if clicks else None)
    if place is None:
        st.caption("Click a point on the map, or type one.")
        return
    formats = " · ".join(reports.point_formats(place).values())
    st.write(f"**{escape_markdown(place.name)}** — {escape_markdown(formats)}")
    left, right = st.columns(2)
    left.dataframe(reports.border_distance_table(place, unit), hide_index=True)
    shown = current().state.bearings  # as picked in the Measure tab
    right.dataframe(reports.site_distance_table(place, unit, bearings=shown), hide_index=True)


def ring_tool() -> None:
    """Add geodesic rings at a typed or clicked centre (kept in the link), or remove them."""
    session = current()
    centre = typed_or_clicked(
        "Centre", "ring_centre", session.clicks[-1] if session.clicks else None
    )
    text = st.text_input(
        "Radii (km)",
        "50, 100",
        key="ring_radii",
        help="A list such as '10, 20, 50', or 'every 50 to 300'.",
    )
    add, clear = st.columns(2)
    if add.button("Add rings", key="ring_add") and centre is not None:
        try:
            radii = parse_radii(text)
        except InputError as exc:
            st.error(escape_markdown(exc))
        else:
            add_ring(centre, radii)
    if clear.button("Remove my rings", key="ring_clear"):
        session.update(rings=(), horizons=())
        st.rerun()
    height, target, kind = horizon_tool()
    if st.button("Add a horizon ring at the centre", key="hz_add") and centre is not None:
        add_mark("horizons", lambda: UserHorizon(link_name(centre), height, target, kind))


def fan_tool() -> None:
    """Add range fans and radials (or a line of bearing) at a typed or clicked centre."""
    session = current()
    centre = typed_or_clicked(
        "Centre", "fan_centre", session.clicks[-1] if session.clicks else None
    )
    place = None if centre is None else link_name(centre)
    left, right = st.columns(2)
    with left:
        st.markdown("**Range fan**")
        azimuth = st.number_input("Bearing (° true)", 0.0, 360.0, 90.0, key="fan_azimuth")
        width = st.number_input("Width (°)", 0.1, 360.0, 60.0, key="fan_width")
        low = st.number_input("Minimum range (km)", 0.0, 19_900.0, 0.0, key="fan_min")
        high = st.number_input("Maximum range (km)", 0.1, 19_900.0, 50.0, key="fan_max")
        if st.button("Add fan", key="fan_add") and place is not None:
            add_mark("fans", lambda: UserFan(place, azimuth, width, low, high))
    with right:
        st.markdown("**Radials or a line of bearing**")
        count = st.number_input("How many (1: a line of bearing)", 1, 360, 8, key="radial_count")
        length = st.number_input("Length (km)", 0.1, 19_900.0, 50.0, key="radial_length")
        first = st.number_input("First bearing (° true)", 0.0, 360.0, 0.0, key="radial_first")
        if st.button("Add radials", key="radial_add") and place is not None:
            add_mark("radials", lambda: UserRadials(place, int(count), length, first))
    if st.button("Remove my fans and radials", key="fan_clear"):
        session.update(fans=(), radials=())
        st.rerun()


def add_mark(kind: str, make) -> None:
    """Add a fan, radials or a horizon ring to the map's state (kept in the link), or say
    what is wrong beside the button."""
    session = current()
    marks = getattr(session.state, kind)
    try:
        if len(marks) >= MAX_MARKS:
            raise InputError(f"at most {MAX_MARKS} {kind}: remove some first")
        mark = make()
    except InputError as exc:
        st.error(escape_markdown(exc))
        return
    session.update(**{kind: (*marks, mark)})
    st.rerun()  # the map above was drawn before this click was handled


def horizon_tool() -> tuple[float, float, str]:
    """The horizon's heights and refraction, and the distance they give: how far a radar
    or an observer sees over a smooth Earth. Returns (height m, target m, refraction)."""
    st.markdown("**Horizon ring** (smooth Earth: terrain is not modelled)")
    cols = st.columns(3)
    height = cols[0].number_input("Antenna or eye height (m)", 0.0, 100_000.0, 30.0, key="hz_h")
    target = cols[1].number_input("Target height (m)", 0.0, 100_000.0, 0.0, key="hz_t")
    kind = cols[2].selectbox("Refraction", list(K_FACTORS), key="hz_k")
    seen = horizon(height, target, k=K_FACTORS[kind])  # the boxes' bounds keep it valid
    st.caption(
        f"{kind} horizon: {seen.horizon_km:,.1f} km (observer {seen.observer_km:,.1f} km + "
        f"target {seen.target_km:,.1f} km; k = {seen.k:.4g}). √(2kRh) over a sphere of the "
        "Earth's mean radius: the most a smooth Earth allows, not what a place sees."
    )
    return height, target, kind


def link_name(place: Place) -> str:
    """How the link names a place: coordinates for a clicked point or a point of your
    layer (the link cannot hold the click or the upload), else its name."""
    return f"{place.lat:.6f}, {place.lon:.6f}" if place.kind in ("point", "user") else place.name


def add_ring(centre: Place, radii_km: tuple[float, ...]) -> None:
    """Add rings around a place to the map's state (kept in the link)."""
    session = current()
    session.update(rings=(*session.state.rings, UserRing(link_name(centre), radii_km)))
    st.rerun()  # the map above was drawn before this click was handled


@st.cache_data(show_spinner=False, max_entries=256)
def layer_inside(layer_id: str, params: tuple) -> pd.DataFrame:
    """What each ring and corridor of a layer holds (cached per layer and parameters)."""
    features = build(layer_id, **dict(params)).features
    areas = features[features["role"].isin(["ring", "corridor"])]
    return reports.inside_tables(areas["name"].tolist(), areas.geometry.to_numpy())


def inside_report() -> None:
    """Sites, countries and people in towns inside each shown ring and corridor, and
    inside your rings and fans."""
    s = current().state
    frames = [layer_inside(i, tuple(sorted(s.layer_params(i).items()))) for i in s.layers]
    for place, radii_km in user_rings():
        discs = geodesic_rings(place.lon, place.lat, radii_from_km(radii_km))
        names = [f"{place.name} {r:g} km" for r in radii_km]
        frames.append(reports.inside_tables(names, discs))
    for place, f in placed(current().state.fans, "fan"):
        geom = fan(place.lon, place.lat, f.azimuth_deg, f.width_deg, f.min_km * 1e3, f.max_km * 1e3)
        name = (
            f"{place.name} fan {f.azimuth_deg:g}° ± {f.width_deg / 2:g}°, "
            f"{f.min_km:g}–{f.max_km:g} km"
        )
        frames.append(reports.inside_tables([name], [geom]))
    frames = [f for f in frames if len(f)]
    if frames:
        st.dataframe(pd.concat(frames, ignore_index=True), hide_index=True, width="stretch")
    else:
        st.caption("Turn on a ring or corridor layer, or add rings or fans.")


def batch_distances() -> None:
    """Every point of an uploaded layer measured to countries and places, as a table."""
    layers = {spec.id: spec for spec in shown_user_layers()}
    if not layers:
        st.caption("Upload a file of points (sidebar: Your layers) to measure them all at once.")
        return
    chosen = st.selectbox(
        "Your layer", list(layers), format_func=lambda i: layers[i].title, key="batch_layer"
    )
    codes = territory_choices()
    countries = st.multiselect(
        "To countries", list(codes), default=["BY"], format_func=codes.get, key="batch_countries"
    )
    places = st.text_input(
        "To places",
        "Vilnius; Astravets NPP",
        key="batch_places",
        help="Names or 'lat, lon', separated by ';'",
    )
    try:
        to = targets(countries, [p for p in places.split(";") if p.strip()])
        table = measured_points(layers[chosen], tuple(to))
    except InputError as exc:
        st.error(escape_markdown(exc))
        return
    st.dataframe(table.drop(columns=table.geometry.name), hide_index=True, width="stretch")
    st.download_button(
        "Download the table (CSV)",
        data=partial(point_table_bytes, table),
        file_name=f"{chosen}-distances.csv",
        mime="text/csv",
        on_click="ignore",
        key="batch_download",
    )


def measured_points(spec: LayerSpec, to: tuple[Target, ...]) -> gpd.GeoDataFrame:
    """A user layer's points with their distances to each target (kept per upload)."""
    cache = upload_of(spec).cache
    key = ("distances", spec.id, tuple(t.label for t in to))
    if key not in cache:
        features = spec.build().features
        # The popups' figures go: a point has no length or area, and its distance to
        # Belarus is a target's column if the user asks for it (to_BY_km), not twice.
        ours = ["role", "label", *FIGURE_COLUMNS]
        points = features[features.geom_type == "Point"].drop(columns=ours, errors="ignore")
        cache[key] = add_distances(points, to)
    return cache[key]


def claims_check() -> None:
    """Every claim of the seeds with its verdict; picking one draws it on the map."""
    records = ledger_records()
    st.caption(
        "Each geographic claim in the two seed papers, measured on the WGS84 ellipsoid and "
        "judged by one rule per qualifier (see the README's claims ledger)."
    )
    by_id = {r["id"]: r for r in records}
    st.selectbox(
        "Show a claim on the map",
        [None, *by_id],
        format_func=lambda i: "—" if i is None else f"{VERDICT_MARKS[by_id[i]['verdict']]}: {i}",
        key=Keys.CLAIM,
        on_change=fly_to_claim,
    )
    picked = by_id.get(st.session_state.get(Keys.CLAIM))
    if picked:
        st.markdown(f"> {picked['quote']}")
        st.write(
            f"**{VERDICT_MARKS[picked['verdict']]}**. {picked['measured']}. "
            f"Seed: {reference(picked['seed'])}. {picked['note']}"
        )
    table = pd.DataFrame(records)[
        ["id", "verdict", "claimed", "computed", "units", "qualifier", "seed", "quote"]
    ]
    table["verdict"] = table["verdict"].map(VERDICT_MARKS)
    table["claimed"] = table["claimed"].map(lambda v: "—" if v is None else str(v))
    table["computed"] = table["computed"].map(str)
    table["seed"] = table["seed"].map(cite)
    st.dataframe(table, hide_index=True, width="stretch")


def layer_figures() -> None:
    """Each shown layer: what it shows, its seed and its measured figures."""
    s = current().state
    for layer_id in s.layers:
        spec = CATALOGUE[layer_id]
        metrics = build(layer_id, **s.layer_params(layer_id)).metrics
        st.write(
            f"**{spec.title}** — {spec.description} "
            f"Seed: {'; '.join(map(reference, spec.seeds)) or 'data only'}."
        )
        st.dataframe({k: [round(v, 3)] for k, v in metrics.items()}, hide_index=True)
    for spec in shown_user_layers():
        st.write(f"**{escape_markdown(spec.title)}** — {escape_markdown(spec.description)}")
        metrics = spec.build().metrics
        st.dataframe({k: [round(v, 3)] for k, v in metrics.items()}, hide_index=True)


def tools_panel() -> None:
    """Every tool in its tab; only the open one runs (and its tables travel).

    The tabs rerun the app when another is chosen (``on_change="rerun"``), so a tool's
    tables are computed and sent only while its tab is open: a toggle in the sidebar no
    longer redraws the claims ledger, the layer figures and the other tools' tables.
    """
    tools = {
        "Measure": ruler,
        "Distances from a point": point_report,
        "Rings": ring_tool,
        "Fans & radials": fan_tool,
        "What is inside": inside_report,
        "Distances from your points": batch_distances,
        "Claims check": claims_check,
        "Layer figures": layer_figures,
    }
    tabs = st.tabs(list(tools), key=Keys.TOOL, on_change="rerun")
    for tab, tool in zip(tabs, tools.values(), strict=True):
        if tab.open:
            with tab:
                tool()
