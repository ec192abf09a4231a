"""Baltic Flank Atlas — the Streamlit app. UI only: computation lives in geo/ and layers/.

State: one :class:`ui.state.MapState` per session, read from and written to
the URL's query parameters. The base map is built once; the catalogue layers are
passed as ``feature_group_to_add`` with ``center`` and ``zoom``, so switching scenes
swaps layers and moves the view without rebuilding the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

st.set_page_config(page_title="Baltic Flank Atlas", layout="wide")

from exports.formats import MEDIA_TYPES, export_bytes  # noqa: E402
from exports.ledger import ledger_records  # noqa: E402
from exports.point_tables import point_table_bytes  # noqa: E402
from geo.batch import Target, add_distances, targets  # noqa: E402
from geo.errors import GeoInputError  # noqa: E402
from geo.gazetteer import Place  # noqa: E402
from geo.locate import locate  # noqa: E402
from geo.measure import measure  # noqa: E402
from geo.rings import rings as geodesic_rings  # noqa: E402
from geo.territories import territory_choices  # noqa: E402
from layers import claim_layers  # noqa: E402
from layers.attribution import ATTRIBUTION  # noqa: E402
from layers.catalogue import CATALOGUE, build  # noqa: E402
from layers.escape import escape_markdown  # noqa: E402
from layers.scenes import caption, scene, scenes, view_for_bounds  # noqa: E402
from layers.spec import LayerSpec  # noqa: E402
from layers.units import UNITS  # noqa: E402
from layers.user_layers import UPLOAD_EXTENSIONS, read_user_specs, user_places  # noqa: E402
from ui import reports  # noqa: E402
from ui.state import (  # noqa: E402
    COORD_FORMATS,
    MapState,
    UserRing,
    format_radii,
    from_query,
    in_catalogue_order,
    parse_radii,
    to_query,
)
from webmap.assets import missing_assets  # noqa: E402
from webmap.render import (  # noqa: E402
    REGION_CENTER,
    REGION_ZOOM,
    base_map,
    data_group,
    layer_data,
    user_group,
)

# Where the base map starts before st_folium moves it: (lon, lat, zoom).
BASE_MAP_VIEW = (REGION_CENTER[1], REGION_CENTER[0], REGION_ZOOM)


def state() -> MapState:
    """The session's state, first read from the URL."""
    if "state" not in st.session_state:
        st.session_state.state, problems = from_query(st.query_params.to_dict())
        st.session_state.url_problems = problems
    return st.session_state.state


def set_state(**changes) -> None:
    st.session_state.state = replace(state(), **changes)


def go_to_scene(scene_id: str) -> None:
    """Callback: show a scene's layers and view."""
    chosen = scene(scene_id)
    set_state(scene=chosen.id, layers=in_catalogue_order(chosen.layers), view=None)
    st.session_state.map_view = (*chosen.center, chosen.zoom)
    for layer_id in CATALOGUE:
        st.session_state[f"layer_{layer_id}"] = layer_id in chosen.layers
    st.session_state.scene_select = chosen.id


def step_scene(step: int) -> None:
    ids = [s.id for s in scenes()]
    go_to_scene(ids[(ids.index(state().scene) + step) % len(ids)])


def sidebar() -> None:
    s = state()
    st.sidebar.header("Briefing")
    ids = [sc.id for sc in scenes()]
    st.sidebar.selectbox(
        "Scene",
        ids,
        index=ids.index(s.scene),
        key="scene_select",
        format_func=lambda i: scene(i).title,
        on_change=lambda: go_to_scene(st.session_state.scene_select),
    )
    prev_col, next_col = st.sidebar.columns(2)
    prev_col.button("◀ Previous", key="scene_prev", on_click=step_scene, args=(-1,))
    next_col.button("Next ▶", key="scene_next", on_click=step_scene, args=(1,))
    st.sidebar.toggle("Presentation mode (hide this panel)", key="presentation")
    st.sidebar.header("Layers")
    for spec in CATALOGUE.values():
        st.sidebar.checkbox(
            spec.title, value=spec.id in s.layers, key=f"layer_{spec.id}", help=spec.description
        )
    set_state(layers=tuple(i for i in CATALOGUE if st.session_state[f"layer_{i}"]))
    st.sidebar.header("Your layers")
    user_layers_panel()
    with st.sidebar.expander("Layer settings"):
        layer_settings()
    st.sidebar.toggle(
        "Measure by clicking the map",
        key="click_measure",
        help="On: clicks on the map set the ruler's points (popups close on each "
        "click). Off: clicks only open popups.",
    )
    st.sidebar.header("Display")
    units = list(UNITS)
    st.sidebar.radio("Units", units, index=units.index(s.units), key="units", horizontal=True)
    st.sidebar.radio(
        "Coordinates",
        COORD_FORMATS,
        index=COORD_FORMATS.index(s.coord),
        key="coord",
        horizontal=True,
        format_func=str.upper,
    )
    set_state(units=st.session_state.units, coord=st.session_state.coord)
    with st.sidebar.expander("Export the map"):
        export_panel()


EXPORT_LABELS = {
    "html": "HTML page",
    "png": "PNG image (slides)",
    "geojson": "GeoJSON",
    "kml": "KML (Google Earth)",
    "gpkg": "GeoPackage (QGIS)",
    "csv": "CSV (figures and distances)",
}


def export_panel() -> None:
    """Download the map as configured: its layers, their settings, the units and the view."""
    s = state()
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
    if not s.layers and not shown_user_layers():
        st.caption("Turn on at least one layer to export.")
        return
    options = {
        "layer_ids": (*s.layers, *shown_user_layers()),
        "unit": s.units,
        "title": title,
        "offline": offline and fmt == "html",
        "params": {i: s.layer_params(i) for i in s.layers},
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


@dataclass
class Upload:
    """One uploaded file: its layers (or why it could not be read) and what they draw."""

    name: str
    specs: list[LayerSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    cache: dict[tuple, object] = field(default_factory=dict)  # drawn layers, distance tables
    places: dict[str, Place] = field(default_factory=dict)


def uploads() -> dict[str, Upload]:
    """The session's uploaded files by the uploader's file id (files stay in the session)."""
    return st.session_state.setdefault("uploads", {})


def read_uploads(files: list) -> None:
    """Read each newly uploaded file once; forget the files removed from the uploader."""
    known = uploads()
    present = {f.file_id: f for f in files}
    for file_id in [i for i in known if i not in present]:
        del known[file_id]
    for file_id, uploaded in present.items():
        if file_id in known:
            continue
        taken = [*CATALOGUE, *(spec.id for u in known.values() for spec in u.specs)]
        try:
            specs, notes = read_user_specs(uploaded.getvalue(), uploaded.name, taken=taken)
        except GeoInputError as exc:  # shown next to the uploader; nothing else changes
            known[file_id] = Upload(uploaded.name, error=str(exc))
        else:
            known[file_id] = Upload(uploaded.name, specs, notes, places=user_places(specs))


def user_layers_panel() -> None:
    """Upload files as layers; each file's layers get a checkbox, its problems a message."""
    files = st.sidebar.file_uploader(
        "Add a GeoJSON, KML/KMZ, GeoPackage or CSV file",
        type=list(UPLOAD_EXTENSIONS),
        accept_multiple_files=True,
        key="uploads_widget",
        help="CSV: latitude/longitude or MGRS columns. Up to 20 MB, 50,000 features and "
        "1,000,000 vertices per file. Files stay in this browser session only.",
    )
    read_uploads(files or [])
    for upload in uploads().values():
        if upload.error:
            st.sidebar.error(escape_markdown(upload.error))
        for spec in upload.specs:
            st.sidebar.checkbox(
                escape_markdown(spec.title),
                value=True,
                key=f"layer_{spec.id}",
                help=escape_markdown(spec.description),
            )
        for note in upload.notes:
            st.sidebar.caption(escape_markdown(f"{upload.name}: {note}"))


def shown_user_layers() -> list[LayerSpec]:
    """The uploaded layers whose checkbox is on."""
    return [
        spec
        for upload in uploads().values()
        for spec in upload.specs
        if st.session_state.get(f"layer_{spec.id}", True)
    ]


def user_layer_data(spec: LayerSpec, unit: str) -> str:
    """A user layer as the map draws it, kept with its upload (per session, not shared)."""
    upload = next(u for u in uploads().values() if spec in u.specs)
    key = (spec.id, unit)
    if key not in upload.cache:
        upload.cache[key] = layer_data(spec, spec.build(), unit=unit)
    return upload.cache[key]


def find_place(text: str) -> Place:
    """A point of a shown user layer by its name, else :func:`geo.locate.locate`."""
    shown = {spec.id for spec in shown_user_layers()}
    for upload in uploads().values():
        place = upload.places.get(text.strip().lower())
        if place is not None and place.ref in shown:
            return place
    return locate(text)


def layer_settings() -> None:
    """Radii of every ring layer and the Polonez launch site; bad input keeps the old value."""
    s = state()
    radii = dict(s.radii)
    for spec in CATALOGUE.values():
        for param in spec.params:
            if param.kind == "radii_km":
                current = radii.get(spec.id, param.default)
                text = st.text_input(
                    f"{spec.title}: {param.label}", format_radii(current), key=f"radii_{spec.id}"
                )
                try:
                    value = parse_radii(text)
                    if value != tuple(float(r) for r in param.default):
                        radii[spec.id] = value
                    else:
                        radii.pop(spec.id, None)
                except GeoInputError as exc:
                    st.error(escape_markdown(exc))
    site = st.text_input("Polonez launch site", s.site, key="polonez_site")
    try:
        locate(site)
        set_state(site=site)
    except GeoInputError as exc:
        st.error(escape_markdown(exc))
    set_state(radii=radii)


@st.cache_data(show_spinner=False, max_entries=256)
def cached_layer_data(layer_id: str, params: tuple, unit: str) -> str:
    """A layer as the map draws it (a string: cheap to copy out of the cache on a rerun);
    recomputed only when its own parameters or the unit change."""
    return layer_data(CATALOGUE[layer_id], build(layer_id, **dict(params)), unit=unit)


def layer_groups() -> list[folium.FeatureGroup]:
    s = state()
    groups = []
    # Context layers (territories, rivers, sites) first, so they draw underneath.
    for layer_id in sorted(s.layers, key=lambda i: CATALOGUE[i].group != "context"):
        params = tuple(sorted(s.layer_params(layer_id).items()))
        try:
            data = cached_layer_data(layer_id, params, s.units)
            groups.append(data_group(CATALOGUE[layer_id], data))
        except GeoInputError as exc:
            st.error(escape_markdown(f"{CATALOGUE[layer_id].title}: {exc}"))
    # Your layers on top, in the order they were uploaded.
    groups += [data_group(spec, user_layer_data(spec, s.units)) for spec in shown_user_layers()]
    return groups


def claim_group() -> list[folium.FeatureGroup]:
    """The claim picked in the "Claims check" tab, drawn in its verdict's colour."""
    claim_id = st.session_state.get("claim_pick")
    if not claim_id:
        return []
    spec = replace(CATALOGUE["claims"], title=f"Selected claim: {claim_id}")
    return [data_group(spec, cached_claim(claim_id, state().units))]


@st.cache_data(show_spinner=False, max_entries=64)
def cached_claim(claim_id: str, unit: str) -> str:
    """One claim as the map draws it."""
    return layer_data(CATALOGUE["claims"], claim_layers.claim(claim_id), unit=unit)


def fly_to_claim() -> None:
    """Move the map to the picked claim's geometry."""
    claim_id = st.session_state.get("claim_pick")
    if claim_id:
        bounds = tuple(claim_layers.claim(claim_id).features.total_bounds)
        st.session_state.map_view = view_for_bounds(bounds)


def clicked_places() -> list[Place]:
    """The last two points clicked on the map (for the ruler)."""
    return st.session_state.setdefault("clicks", [])


def record_click(result: dict | None) -> None:
    """Keep the last two clicked points: on bare map or on a feature (popups still open)."""
    for key in ("last_clicked", "last_object_clicked"):
        clicked = (result or {}).get(key)
        if not clicked or "lat" not in clicked:
            continue
        seen = (key, round(clicked["lng"], 7), round(clicked["lat"], 7))
        if seen in st.session_state.setdefault("seen_clicks", set()):
            continue  # the same click, returned again by a rerun
        st.session_state.seen_clicks.add(seen)
        place = locate(f"{clicked['lat']:.7f}, {clicked['lng']:.7f}")
        st.session_state.clicks = [*clicked_places(), place][-2:]
        st.rerun()


def user_rings() -> list[tuple[Place, tuple[float, ...]]]:
    rings = []
    for ring in state().rings:
        try:
            rings.append((find_place(ring.place), ring.radii_km))
        except GeoInputError as exc:
            st.error(escape_markdown(f"ring at '{ring.place}': {exc}"))
    return rings


def map_view() -> tuple[float, float, int]:
    """What the map is told to show: the link's view or the scene's.

    It changes only when a scene is chosen: the view the map reports back after a pan
    goes into the state (and the link), never back into the map, so the two cannot chase
    each other.
    """
    if "map_view" not in st.session_state:
        s = state()
        st.session_state.map_view = s.view or (*scene(s.scene).center, scene(s.scene).zoom)
    return st.session_state.map_view


def record_view(result: dict | None) -> None:
    """Keep where the user panned or zoomed, for the link.

    The map's own start-up reports (the base map's default view, then the view it was
    told to show) are not the user's, and a report repeated by a rerun is not new.
    """
    center, zoom = (result or {}).get("center"), (result or {}).get("zoom")
    if not center or zoom is None:
        return
    reported = (round(center["lng"], 5), round(center["lat"], 5), int(zoom))
    lon, lat, zoom_told = map_view()
    start_up = {(round(lon, 5), round(lat, 5), int(zoom_told)), BASE_MAP_VIEW}
    if reported != st.session_state.get("last_reported_view") and reported not in start_up:
        set_state(view=reported)
    st.session_state.last_reported_view = reported


def draw_map() -> None:
    s = state()
    lon, lat, zoom = map_view()
    groups = layer_groups() + claim_group()
    extra = user_group(clicked_places(), user_rings(), unit=s.units)
    uploaded = [spec for upload in uploads().values() for spec in upload.specs]
    fmap, control = base_map(s.coord, user_layers=uploaded)
    measuring = bool(st.session_state.get("click_measure"))
    result = st_folium(
        fmap,
        feature_group_to_add=[*groups, extra],
        center=(lat, lon),
        zoom=zoom,
        layer_control=control,
        # Clicks come back (and rerun the app) only in measuring mode: otherwise the rerun
        # would close the popup the click opened. The component reads this list when it
        # mounts, hence one key per mode. The view comes back for the link.
        returned_objects=["center", "zoom"]
        + (["last_clicked", "last_object_clicked"] if measuring else []),
        use_container_width=True,
        height=640,
        key="map_measure" if measuring else "map",
    )
    record_view(result)
    record_click(result)


def measure_panel() -> None:
    s = state()
    tab_ruler, tab_point, tab_rings, tab_inside, tab_batch, tab_claims, tab_figures = st.tabs(
        [
            "Measure",
            "Distances from a point",
            "Rings",
            "What is inside",
            "Distances from your points",
            "Claims check",
            "Layer figures",
        ]
    )
    with tab_ruler:
        ruler()
    with tab_point:
        point_report(s.units)
    with tab_rings:
        ring_tool()
    with tab_inside:
        inside_report()
    with tab_batch:
        batch_distances()
    with tab_claims:
        claims_check()
    with tab_figures:
        for layer_id in s.layers:
            metrics = build(layer_id, **s.layer_params(layer_id)).metrics
            st.write(
                f"**{CATALOGUE[layer_id].title}** — seed: "
                f"{', '.join(CATALOGUE[layer_id].seeds) or 'data only'}"
            )
            st.dataframe({k: [round(v, 3)] for k, v in metrics.items()}, hide_index=True)
        for spec in shown_user_layers():
            st.write(f"**{escape_markdown(spec.title)}** — {escape_markdown(spec.description)}")
            metrics = spec.build().metrics
            st.dataframe({k: [round(v, 3)] for k, v in metrics.items()}, hide_index=True)


VERDICT_MARKS = {"consistent": "Consistent", "inconsistent": "Inconsistent", "unclear": "Unclear"}


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
        key="claim_pick",
        on_change=fly_to_claim,
    )
    picked = by_id.get(st.session_state.get("claim_pick"))
    if picked:
        st.markdown(f"> {picked['quote']}")
        st.write(
            f"**{VERDICT_MARKS[picked['verdict']]}**. {picked['measured']}. "
            f"Seed: `{picked['seed']}`. {picked['note']}"
        )
    table = pd.DataFrame(records)[
        ["id", "verdict", "claimed", "computed", "units", "qualifier", "seed", "quote"]
    ]
    table["verdict"] = table["verdict"].map(VERDICT_MARKS)
    table["claimed"] = table["claimed"].map(lambda v: "—" if v is None else str(v))
    table["computed"] = table["computed"].map(str)
    st.dataframe(table, hide_index=True, width="stretch")


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
    except GeoInputError as exc:
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
    upload = next(u for u in uploads().values() if spec in u.specs)
    key = ("distances", spec.id, tuple(t.label for t in to))
    if key not in upload.cache:
        features = spec.build().features
        points = features[features.geom_type == "Point"].drop(columns=["role", "label"])
        upload.cache[key] = add_distances(points, to)
    return upload.cache[key]


def typed_or_clicked(label: str, key: str, clicked: Place | None) -> Place | None:
    text = st.text_input(label, key=key, placeholder="a name, 'lat, lon', DMS or MGRS")
    if text.strip():
        try:
            return find_place(text)
        except GeoInputError as exc:
            st.error(escape_markdown(exc))
            return None
    return clicked


def ruler() -> None:
    clicks = clicked_places()
    st.caption("Turn on 'Measure by clicking the map' and click two points, or type them.")
    a = typed_or_clicked("From", "measure_a", clicks[0] if len(clicks) == 2 else None)
    b = typed_or_clicked("To", "measure_b", clicks[-1] if len(clicks) == 2 else None)
    if st.button("Clear clicks", key="clear_clicks"):
        st.session_state.clicks = []
        st.rerun()
    if a and b:
        m = measure(a.lon, a.lat, b.lon, b.lat)
        st.markdown(
            f"**{escape_markdown(a.name)} → {escape_markdown(b.name)}**: "
            f"{m.distance_km:,.3f} km · {m.distance_mi:,.3f} mi · "
            f"{m.distance_nmi:,.3f} nmi · azimuth {m.azimuth_deg:.2f}° "
            f"(back {m.back_azimuth_deg:.2f}°)",
            help="Geodesic on the WGS84 ellipsoid",
        )
        st.dataframe(reports.measurement_table(a, b), hide_index=True, width="stretch")


def point_report(unit: str) -> None:
    clicks = clicked_places()
    place = typed_or_clicked("Point", "point_query", clicks[-1] if clicks else None)
    if place is None:
        st.caption("Click a point on the map, or type one.")
        return
    formats = " · ".join(reports.point_formats(place).values())
    st.write(f"**{escape_markdown(place.name)}** — {escape_markdown(formats)}")
    left, right = st.columns(2)
    left.dataframe(reports.border_distance_table(place, unit), hide_index=True)
    right.dataframe(reports.site_distance_table(place, unit), hide_index=True)


def ring_tool() -> None:
    clicks = clicked_places()
    centre = typed_or_clicked("Centre", "ring_centre", clicks[-1] if clicks else None)
    text = st.text_input(
        "Radii (km)",
        "50, 100",
        key="ring_radii",
        help="A list such as '10, 20, 50', or 'every 50 to 300'.",
    )
    add, clear = st.columns(2)
    if add.button("Add rings", key="ring_add") and centre is not None:
        try:
            ring = UserRing(
                # Coordinates for a clicked point or a point of your layer: the link keeps it.
                f"{centre.lat:.6f}, {centre.lon:.6f}"
                if centre.kind in ("point", "user")
                else centre.name,
                parse_radii(text),
            )
        except GeoInputError as exc:
            st.error(escape_markdown(exc))
        else:
            set_state(rings=(*state().rings, ring))
            st.rerun()  # the map above was drawn before this click was handled
    if clear.button("Remove my rings", key="ring_clear"):
        set_state(rings=())
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=256)
def layer_inside(layer_id: str, params: tuple) -> pd.DataFrame:
    """What each ring and corridor of a layer holds (cached per layer and parameters)."""
    features = build(layer_id, **dict(params)).features
    areas = features[features["role"].isin(["ring", "corridor"])]
    return reports.inside_tables(areas["name"].tolist(), areas.geometry.to_numpy())


def inside_report() -> None:
    s = state()
    frames = [layer_inside(i, tuple(sorted(s.layer_params(i).items()))) for i in s.layers]
    for place, radii in user_rings():
        discs = geodesic_rings(place.lon, place.lat, [r * 1000 for r in radii])
        frames.append(reports.inside_tables([f"{place.name} {r:g} km" for r in radii], discs))
    frames = [f for f in frames if len(f)]
    if frames:
        st.dataframe(pd.concat(frames, ignore_index=True), hide_index=True, width="stretch")
    else:
        st.caption("Turn on a ring or corridor layer, or add rings.")


def main() -> None:
    s = state()
    for problem in st.session_state.get("url_problems", []):
        st.warning(escape_markdown(f"Link: {problem}"))
    if missing_assets():
        st.error(
            f"Map assets are not installed ({', '.join(missing_assets())}): "
            "start the app with `make run`."
        )
    sidebar()
    if st.session_state.get("presentation"):
        st.markdown(
            "<style>section[data-testid='stSidebar']{display:none}</style>", unsafe_allow_html=True
        )
        prev_col, next_col, exit_col = st.columns([1, 1, 4])
        prev_col.button("◀ Previous", key="present_prev", on_click=step_scene, args=(-1,))
        next_col.button("Next ▶", key="present_next", on_click=step_scene, args=(1,))
        exit_col.button(
            "Exit presentation",
            key="present_exit",
            on_click=lambda: st.session_state.update(presentation=False),
        )
    s = state()
    st.subheader(scene(s.scene).title)
    st.write(caption(scene(s.scene), s.units))
    draw_map()
    st.caption(ATTRIBUTION)
    measure_panel()
    st.query_params.from_dict(to_query(state()))


main()
