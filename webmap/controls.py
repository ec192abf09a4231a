"""Map controls that work offline: scale, full screen, minimap, pointer position, legend, bases.

Every script and stylesheet is ours or vendored from npm, never from a CDN: plugins
from ``static/vendor``, our runtime from ``static/atlas`` (:mod:`webmap.assets`). The
minimap draws our own territories instead of tiles, and the "Vector base (offline)"
base layer turns tiles off. Only the OpenStreetMap and CartoDB Positron bases need
the network.

The controls' scripts are Jinja templates in ``webmap/templates`` and the pointer
formatters are ``webmap/js/pointer-*.js`` (:mod:`webmap.assets` reads both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import Fullscreen, MousePosition
from folium.utilities import JsCode, remove_empty

from geo.errors import UnknownNameError
from geo.names import closest
from layers.attribution import ATTRIBUTION_HTML
from layers.catalogue import CATALOGUE, LayerRef, layer
from layers.escape import escape_text
from layers.spec import LayerSpec
from webmap.assets import (
    APP_VENDOR_URL,
    VENDOR_CSS,
    VENDOR_JS,
    element_template,
    own_js,
    use_vendor_assets,
)
from webmap.compact import add_runtime, compact_layer, geometry_arrays, safe_json
from webmap.served import Source, inline
from webmap.vector_base import VECTOR_BASE_NAME, VectorBase, simplified_land

OSM_NAME = "OpenStreetMap (online)"
POSITRON_NAME = "Light: CartoDB Positron (online)"
POSITRON_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
POSITRON_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    'contributors &copy; <a href="https://carto.com/attributions">CARTO</a>'
)
# The base maps by id (the app's choice and its link), as the layer control names them:
# our vector base, drawn from our own data, is the default; the others need the network.
BASES = {"vector": VECTOR_BASE_NAME, "osm": OSM_NAME, "positron": POSITRON_NAME}
DEFAULT_BASE = "vector"
MINIMAP_TOLERANCE_DEG = 0.1  # simplification of the territories drawn in the minimap
MINIMAP_GRID_DEG = 0.01  # and the precision of their coordinates (~1 km)
MINIMAP_MIN_AREA_DEG2 = 0.01  # islets smaller than this (~70 km²) are invisible there


def _vendored(table: dict[str, str], name: str) -> str:
    """The app's URL of a vendored file (``add_controls`` re-points it at its ``base_url``)."""
    return f"{APP_VENDOR_URL}/{table[name]}"


@dataclass(frozen=True)
class CoordFormat:
    """How the pointer position is written: a label and a JavaScript formatter.

    The formatters (``webmap/js/pointer-*.js``, each a function of ``lng, lat``)
    reproduce :func:`geo.coords.format_dd`, :func:`geo.coords.format_dms` and
    :func:`geo.coords.format_mgrs` (the last with the vendored npm ``mgrs``, its
    one-digit UTM zones padded to two as Python's ``mgrs`` writes them).
    """

    label: str
    formatter_js: str
    needs_mgrs: bool = False


COORD_FORMATS: dict[str, CoordFormat] = {
    "dd": CoordFormat("Decimal degrees", own_js("pointer-dd.js")),
    "dms": CoordFormat("Degrees, minutes, seconds", own_js("pointer-dms.js")),
    "mgrs": CoordFormat("MGRS", own_js("pointer-mgrs.js"), needs_mgrs=True),
}


class ScaleBar(MacroElement):
    """Leaflet's own scale bar (``L.control.scale``), metric and imperial."""

    _template = element_template("scale_bar.js.j2")

    def __init__(self, position: str = "bottomleft", max_width_px: int = 150) -> None:
        super().__init__()
        self._name = "ScaleBar"
        self.options = remove_empty(
            position=position, metric=True, imperial=True, max_width=max_width_px
        )


class VectorMiniMap(JSCSSMixin, MacroElement):
    """A leaflet-minimap whose layer is GeoJSON drawn in the browser, so it needs no tiles.

    Parameters
    ----------
    geojson : str
        Land in the page's compact form (:func:`webmap.compact.compact_layer`), serialized.
    style : dict
        Leaflet path options for it.
    **options
        leaflet-minimap options in snake case (``position``, ``zoom_level_offset``, ...).
    """

    _template = element_template("vector_minimap.js.j2")

    def __init__(self, geojson: str, style: dict[str, Any], **options: Any) -> None:
        super().__init__()
        self._name = "VectorMiniMap"
        self.default_js = [("Control_MiniMap_js", _vendored(VENDOR_JS, "Control_MiniMap_js"))]
        self.default_css = [("Control_MiniMap_css", _vendored(VENDOR_CSS, "Control_MiniMap_css"))]
        self.geojson = geojson
        self.style = style
        self.options = remove_empty(**options)

    def render(self, **kwargs: Any) -> None:
        """Render, putting our script (:func:`webmap.compact.add_runtime`) in the head first."""
        add_runtime(self)
        super().render(**kwargs)


class Legend(MacroElement):
    """A Leaflet control showing prepared (already escaped) HTML, styled in the page head."""

    _template = element_template("legend.js.j2")

    def __init__(self, html: str, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position


class MapTitle(MacroElement):
    """A title across the top of the map (plain text, escaped here)."""

    _template = element_template("map_title.js.j2")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "MapTitle"
        self.text = escape_text(text)


class Attribution(MacroElement):
    """Our data attribution in Leaflet's attribution control (constant HTML, not data)."""

    _template = element_template("attribution.js.j2")

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.html = html


def pointer_format(name: str) -> CoordFormat:
    """The pointer-position format called ``name`` (``dd``, ``dms`` or ``mgrs``).

    Raises
    ------
    UnknownNameError
        For any other name; the message lists the choices and the closest one.
    """
    try:
        return COORD_FORMATS[name]
    except KeyError:
        names = list(COORD_FORMATS)
        near = closest(str(name), names, names, limit=1, cutoff=50)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise UnknownNameError(
            f"unknown coordinate format '{name}': expected one of {', '.join(names)}{hint}"
        ) from None


def full_screen() -> Fullscreen:
    """folium's Fullscreen (npm ``leaflet.fullscreen`` 3.0.0) as a button of its own."""
    return Fullscreen(
        title="Full screen", title_cancel="Exit full screen", force_separate_button=True
    )


def mouse_position(name: str = "dd") -> MousePosition:
    """folium's MousePosition (npm ``leaflet-mouse-position``) writing ``name``'s format."""
    fmt = pointer_format(name)
    control = MousePosition(
        position="bottomleft", empty_string=fmt.label, formatter=JsCode(fmt.formatter_js)
    )
    if fmt.needs_mgrs:
        control.default_js = [
            *control.default_js,
            ("mgrs_js", _vendored(VENDOR_JS, "mgrs_js")),
        ]
    return control


@lru_cache(maxsize=4)
def minimap_geojson(tolerance_deg: float = MINIMAP_TOLERANCE_DEG) -> str:
    """The display territories, simplified further, as GeoJSON geometry only (no properties).

    Parameters
    ----------
    tolerance_deg : float, optional
        Simplification tolerance in degrees (topology preserved).

    Returns
    -------
    str
        One MultiPolygon in the page's compact form (:func:`webmap.compact.compact_layer`),
        coordinates on a :data:`MINIMAP_GRID_DEG` grid, without islets under
        :data:`MINIMAP_MIN_AREA_DEG2`.
    """
    parts = shapely.get_parts(
        shapely.set_precision(simplified_land(tolerance_deg), MINIMAP_GRID_DEG)
    )
    land = shapely.multipolygons(parts[shapely.area(parts) >= MINIMAP_MIN_AREA_DEG2])
    return safe_json(compact_layer([geometry_arrays(land)], [{}], [""], [[]]))


def vector_minimap(source: Source = inline) -> VectorMiniMap:
    """A collapsible minimap of our territories (styled like the ``borders`` layer); its data
    reaches the page as ``source`` says (:mod:`webmap.served`)."""
    style = CATALOGUE["borders"].style
    return VectorMiniMap(
        source(minimap_geojson()),
        {
            "color": style.color,
            "weight": 0.5,
            "fillColor": style.fill_color or style.color,
            "fillOpacity": 0.8,
        },
        position="bottomright",
        width=150,
        height=150,
        zoom_level_offset=-4,
        toggle_display=True,
    )


def _legend_row(spec: LayerSpec) -> str:
    """A layer's row: its swatch and title, then its key's colours (a claim's verdicts).

    The row names its layer (``data-layer``) so the page shows only the rows of the
    layers shown (``legend.js.j2``)."""
    # Safe in the style attribute as they are: layers.spec checked they are #rrggbb.
    stroke = spec.style.color
    fill = spec.style.fill_color or spec.style.color
    line = "dashed" if spec.style.dash_array else "solid"
    title = escape_text(spec.title)
    key = "".join(
        f'<div class="atlas-legend-key"><span class="atlas-legend-swatch" '
        f'style="background:{color};border:2px solid {color}"></span>{escape_text(meaning)}</div>'
        for color, meaning in spec.key
    )
    return (
        f'<div data-layer="{title}"><span class="atlas-legend-swatch" style="background:{fill};'
        f'border:2px {line} {stroke}"></span>{title}{key}</div>'
    )


def legend_html(layer_ids: Iterable[LayerRef]) -> str:
    """The legend's HTML: each layer's title (escaped) beside a swatch of its style colours."""
    rows = "".join(_legend_row(layer(layer_id)) for layer_id in layer_ids)
    return f'<div class="atlas-legend-title">Layers</div>{rows}'


def layers_on_map(fmap: folium.Map) -> list[str]:
    """Ids of the catalogue layers drawn on ``fmap`` (its FeatureGroups named by title)."""
    by_name = {escape_text(spec.title): spec.id for spec in CATALOGUE.values()}
    return [
        by_name[child.layer_name]
        for child in fmap._children.values()
        if isinstance(child, folium.FeatureGroup) and child.layer_name in by_name
    ]


def pop_layer_control(fmap: folium.Map) -> folium.LayerControl:
    """Take the map's layer control out (it must render after the layers it lists)."""
    keys = [k for k, c in fmap._children.items() if isinstance(c, folium.LayerControl)]
    controls = [fmap._children.pop(k) for k in keys]
    return controls[0] if controls else folium.LayerControl(collapsed=True)


def _add_base_layers(
    fmap: folium.Map,
    *,
    tiles: bool,
    source: Source = inline,
    base: str = DEFAULT_BASE,
    offer: bool = True,
) -> None:
    """The base layers: our vector base first, then OpenStreetMap and CartoDB Positron.

    ``base`` is shown. With ``offer`` every base is in the layer control to choose from;
    without it (the app, whose sidebar chooses) only ``base`` is added, and the vector
    base unlisted behind it: an online base whose tiles cannot load gives way to it
    (``vector_base.js.j2``). Without ``tiles`` the vector base is the only one. Tile
    layers already on the map are replaced.
    """
    for key in [k for k, c in fmap._children.items() if isinstance(c, folium.TileLayer)]:
        del fmap._children[key]
    shown = base if tiles else DEFAULT_BASE
    listed = tiles and offer  # a choice in the layer control, or the one base, unlisted
    # The vector base is always there: tiles that cannot load give way to it.
    for name in BASES if listed else dict.fromkeys((DEFAULT_BASE, shown)):
        show = name == shown
        if name == "vector":
            VectorBase(show=show, source=source, control=listed).add_to(fmap)
        elif name == "osm":
            folium.TileLayer("OpenStreetMap", name=OSM_NAME, show=show, control=listed).add_to(fmap)
        else:
            folium.TileLayer(
                POSITRON_URL,
                attr=POSITRON_ATTRIBUTION,
                name=POSITRON_NAME,
                subdomains="abcd",
                max_zoom=20,
                show=show,
                control=listed,
            ).add_to(fmap)


def add_controls(
    fmap: folium.Map,
    *,
    coord_format: str = "dd",
    base_url: str = APP_VENDOR_URL,
    layer_ids: Iterable[LayerRef] | None = None,
    tiles: bool = True,
    title: str | None = None,
    source: Source = inline,
    base: str = DEFAULT_BASE,
    offer_bases: bool = True,
) -> folium.Map:
    """Add the atlas's controls to a map from :func:`webmap.render.atlas_map`, all offline.

    A metric and imperial scale bar, full screen, a minimap of our territories, the
    pointer position, a legend of the layers shown, and base maps "Vector base
    (offline)" (the default), OpenStreetMap and CartoDB Positron; then every script and
    stylesheet is pointed at ``base_url`` (:func:`webmap.assets.use_vendor_assets`).

    Parameters
    ----------
    fmap : folium.Map
        The map to change (in place; it is also returned).
    coord_format : {"dd", "dms", "mgrs"}, optional
        How the pointer position is written: decimal degrees, degrees-minutes-seconds
        or MGRS (1 m).
    base_url : str, optional
        Where ``static/vendor`` is served.
    layer_ids : iterable of str or LayerSpec, optional
        Layers the legend lists (default: those drawn on ``fmap``; pass them
        for layers sent later through streamlit-folium's ``feature_group_to_add``).
    tiles : bool, optional
        Offer the online tile bases (the default). Without them the map makes no
        request beyond its own page: our vector base is the only base layer.
    title : str, optional
        A title shown at the top of the map (plain text; it is escaped).
    base : str, optional
        The base map shown at first, one of :data:`BASES` (with ``tiles``).
    offer_bases : bool, optional
        List every base in the layer control (the default); otherwise only ``base`` is
        added (the app chooses it in its sidebar, which a rebuilt map keeps).
    source : callable, optional
        How the minimap's and the vector base's data reach the page (:mod:`webmap.served`):
        inline (the default: a page that works from a file) or served by the app.

    Returns
    -------
    folium.Map
        The same map.

    Raises
    ------
    UnknownNameError
        For an unknown ``coord_format`` or layer id (raised before the map is changed).
    """
    if base not in BASES:
        raise UnknownNameError(f"unknown base map '{base}': choose one of {', '.join(BASES)}")
    widgets = [ScaleBar(), full_screen(), vector_minimap(source), mouse_position(coord_format)]
    listed = layers_on_map(fmap) if layer_ids is None else [layer(i) for i in layer_ids]
    if listed:
        widgets.append(Legend(legend_html(listed)))
    if title:
        widgets.append(MapTitle(title))
    widgets.append(Attribution(ATTRIBUTION_HTML))
    control = pop_layer_control(fmap)
    for widget in widgets:
        widget.add_to(fmap)
    _add_base_layers(fmap, tiles=tiles, source=source, base=base, offer=offer_bases)
    fmap.add_child(control)
    return use_vendor_assets(fmap, base_url)
