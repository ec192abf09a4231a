"""Draw catalogue layers on a folium map.

Every string from data or users is escaped once here (:func:`layers.escape.escape_text`)
before folium sees it; label line breaks become ``<br>`` after escaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import MacroElement

from layers.catalogue import CATALOGUE, LayerRef, build, layer
from layers.escape import escape_text
from layers.labels import LABEL_COLUMNS, label_table
from layers.spec import LABEL_PLACES, Built, LayerSpec
from layers.style import SYMBOL_SIZE_PX, feature_color, path_style
from layers.symbols import symbol
from layers.units import render_distances
from webmap.assets import bundle_scripts, element_template, use_vendor_assets
from webmap.compact import (
    add_runtime,
    compact_layer,
    geometry_arrays,
    link_runtime,
    safe_json,
)
from webmap.controls import DEFAULT_BASE, add_controls, pop_layer_control
from webmap.served import Source, served, served_url

REGION_CENTER = (54.5, 27.0)  # (lat, lon): folium's order, used only in this module
REGION_ZOOM = 6
REGION_VIEW = (REGION_CENTER[1], REGION_CENTER[0], REGION_ZOOM)  # (lon, lat, zoom): the region
DRAW_GRID_DEG = 1e-5  # ~1 m: coordinates are drawn to this precision
POINT_RADIUS_PX = 5
POPUP_MAX_WIDTH_PX = 360


def drawn_geometries(built: Built) -> np.ndarray:
    """The features' geometries in 2D on the drawing grid (:data:`DRAW_GRID_DEG`).

    Altitudes (KML from Google Earth has one on every vertex) are dropped: the page's
    compact form has two coordinates a vertex.
    """
    geoms = shapely.force_2d(built.features.geometry.to_numpy())
    return shapely.set_precision(geoms, DRAW_GRID_DEG, mode="pointwise")


def drawn_properties(built: Built, unit: str) -> list[dict[str, Any]]:
    """Each feature's ``role``, ``code``, ``color``, ``sidc``, escaped ``name`` and HTML
    ``label``."""
    gdf = built.features

    def column(name: str) -> Any:
        return gdf[name] if name in gdf.columns else [None] * len(gdf)

    return [
        {
            "role": role,
            "name": escape_text(name),
            "code": code,
            "color": feature_color(color),
            "sidc": sidc if isinstance(sidc, str) else None,
            "label": escape_text(render_distances(label, unit)).replace("\n", "<br>"),
        }
        for role, name, label, code, color, sidc in zip(
            gdf["role"],
            gdf["name"],
            gdf["label"],
            column("code"),
            column("color"),
            column("sidc"),
            strict=True,
        )
    ]


def feature_group(
    spec: LayerSpec, built: Built, *, show: bool = True, unit: str = "km"
) -> folium.FeatureGroup:
    """One catalogue layer as a folium FeatureGroup (for a map or ``feature_group_to_add``)."""
    return data_group(spec, layer_data(spec, built, unit=unit), show=show)


def layer_data(spec: LayerSpec, built: Built, *, unit: str = "km") -> str:
    """A built layer as the page draws it: compact, serialized JSON (see :mod:`webmap.compact`).

    A plain string: the app caches it and copies it on every rerun at no cost, and
    :func:`data_group` wraps it in a fresh FeatureGroup (as :func:`feature_group` does for
    exported maps). Empty for a layer with no features.
    """
    if built.features.empty:
        return ""
    geometries = [geometry_arrays(g) for g in drawn_geometries(built)]
    return safe_json(
        compact_features(
            spec, geometries, drawn_properties(built, unit), map_labels(spec, built, unit)
        )
    )


def map_labels(spec: LayerSpec, built: Built, unit: str = "km") -> list[list]:
    """The layer's map labels (:func:`layers.labels.label_table`), their text escaped, in
    the order they are placed: ``[lon, lat, text, priority, place index]`` each, or
    ``[feature, priority]`` for a point's name beside it (most labels: a few bytes)."""
    table = label_table(spec, built.features)
    names = built.features["name"].to_numpy()
    points = shapely.get_type_id(built.features.geometry.to_numpy()) == 0
    marks = []
    for text, p, place, lon, lat, i in table[list(LABEL_COLUMNS)].itertuples(index=False):
        if place == "point" and points[i] and text == names[i]:
            marks.append([int(i), int(p)])
            continue
        shown = escape_text(render_distances(text, unit, label=True))
        marks.append([float(lon), float(lat), shown, int(p), LABEL_PLACES.index(place)])
    return marks


def data_group(spec: LayerSpec, data: str, *, show: bool = True) -> folium.FeatureGroup:
    """A FeatureGroup that draws :func:`layer_data` (nothing for an empty string)."""
    group = folium.FeatureGroup(name=escape_text(spec.title), show=show)
    if data:
        CompactGeoJson(data).add_to(group)
    return group


def compact_features(
    spec: LayerSpec, geometries: list[dict], props: list[dict[str, Any]], marks: list[list] = ()
) -> dict:
    """Features in the page's compact form, each styled by its layer, role and territory.

    ``geometries`` are GeoJSON (paths may be arrays), ``props`` as
    :func:`drawn_properties` gives them; label lines travel without the ``<br>`` that
    joins them.
    """
    return compact_layer(
        geometries,
        [
            drawn_style(path_style(spec.style, p["role"], p["code"], p.get("color"), p.get("sidc")))
            for p in props
        ],
        [p["name"] for p in props],
        [p["label"].split("<br>") for p in props],
        marks,
    )


def drawn_style(style: dict[str, Any]) -> dict[str, Any]:
    """A feature's style as the page reads it: a unit's SIDC becomes its symbol, drawn.

    ``symbol`` is ``[svg, width, height, anchor x, anchor y]`` (:func:`layers.symbols.symbol`,
    :data:`~layers.style.SYMBOL_SIZE_PX` high); the page places the SVG with its anchor on
    the point, so it needs no symbol library of its own.
    """
    if "sidc" not in style:
        return style
    drawn = symbol(style["sidc"], SYMBOL_SIZE_PX)
    return {**style, "symbol": [drawn.svg, drawn.width, drawn.height, *drawn.anchor]}


class CompactGeoJson(MacroElement):
    """One layer drawn by our script from its compact data (:mod:`webmap.assets`).

    Like folium's GeoJson with a style per feature, points as circle markers, the name as
    a sticky tooltip and the label as a popup; the data is a few times smaller.

    Parameters
    ----------
    data : str
        From :func:`layer_data`.
    """

    _template = element_template("compact_geojson.js.j2")

    def __init__(self, data: str) -> None:
        super().__init__()
        self._name = "geo_json"
        self.data = data
        self.options = {"radius": POINT_RADIUS_PX, "maxWidth": POPUP_MAX_WIDTH_PX}

    def render(self, **kwargs: Any) -> None:
        """Render, putting our script in the page's head first."""
        add_runtime(self)
        super().render(**kwargs)


def base_map(
    coord_format: str = "dd",
    *,
    user_layers: Iterable[LayerSpec] = (),
    source: Source = served,
    base: str = DEFAULT_BASE,
) -> tuple[folium.Map, folium.LayerControl]:
    """The map the app adds layers to, and its layer control (for ``st_folium``).

    Vendored Leaflet, base maps and every control (scale, full screen, minimap, pointer
    position, a legend of the whole catalogue and the user's layers), their scripts and
    ours joined into one served file (:func:`webmap.assets.bundle_scripts`), but no layers:
    those are sent with ``feature_group_to_add``, so the map itself never changes when
    layers are turned on or off.

    Parameters
    ----------
    coord_format : str, optional
        How the pointer position is shown: ``dd``, ``dms`` or ``mgrs``.
    user_layers : iterable of LayerSpec, optional
        Uploaded layers, listed in the legend after the catalogue's.
    source : callable, optional
        How the minimap's and the vector base's data reach the page: served as files
        (:func:`webmap.served.served`, the default), so that a rerun does not re-send them.
    base : str, optional
        The base map, one of :data:`webmap.controls.BASES`: the only one on this map (the
        app's sidebar chooses it).
    """
    fmap = folium.Map(location=REGION_CENTER, zoom_start=REGION_ZOOM, tiles=None)
    link_runtime(fmap)  # loaded before the map's script and the layers sent later
    add_controls(
        fmap,
        coord_format=coord_format,
        layer_ids=[*CATALOGUE, *user_layers],
        source=source,
        base=base,
        offer_bases=False,
    )
    bundle_scripts(fmap, served_url)  # one script to load, not eight in a row
    return fmap, pop_layer_control(fmap)


def atlas_map(
    layer_ids: Iterable[LayerRef] | None = None,
    *,
    shown: Iterable[str] | None = None,
    unit: str = "km",
    params: Mapping[str, Mapping[str, Any]] | None = None,
    view: tuple[float, float, int] | None = None,
) -> folium.Map:
    """A folium map with catalogue layers in a layer control.

    Parameters
    ----------
    layer_ids : iterable of str or LayerSpec, optional
        Catalogue ids, or specs such as a user's layers (default: every catalogue layer).
        Context layers are drawn first, underneath.
    shown : iterable of str, optional
        Ids of the layers visible at first (default: all added).
    unit : str, optional
        Unit of the distances in popups: ``km``, ``mi`` or ``nmi``.
    params : mapping, optional
        Layer id → build parameters (default: the layer's defaults).
    view : tuple of (float, float, int), optional
        The opening view as (lon, lat, zoom); default: the whole region.

    Returns
    -------
    folium.Map
        Uses our vendored Leaflet; OpenStreetMap tiles are optional, the territories,
        rivers and sites layers are our own vector base.
    """
    specs = sorted(
        (layer(i) for i in (layer_ids if layer_ids is not None else CATALOGUE)),
        key=lambda s: s.group != "context",
    )
    visible = set(shown) if shown is not None else {s.id for s in specs}
    location, zoom = ((view[1], view[0]), view[2]) if view else (REGION_CENTER, REGION_ZOOM)
    fmap = use_vendor_assets(folium.Map(location=location, zoom_start=zoom, tiles=None))
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(fmap)
    for spec in specs:
        built = build(spec, **dict((params or {}).get(spec.id, {})))
        feature_group(spec, built, show=spec.id in visible, unit=unit).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
