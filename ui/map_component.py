"""The map component: what ``st_folium`` sends, made from parts kept per content.

streamlit-folium's ``st_folium`` renders the whole folium map to JavaScript on every rerun
(the base map, then each layer sent with ``feature_group_to_add``, then the layer
control): 25-35 ms of each rerun here, before the map's message can leave. Yet the base
map changes only with the pointer's coordinate format and the uploaded layers, and a
layer's script only with its data and its place in the list. :func:`map_component`
sends the same arguments to the same component (tests compare the two) from:

- the base map's arguments, made once per (coordinate format, uploaded layers)
  (:func:`base_args`);
- each layer's script, once per (place in the list, data)
  (:func:`group_script`);
- the layer control's script, from the base layers' names and the layers' titles
  (:func:`control_script`), the one part made on every rerun (folium's own template).

It calls streamlit-folium's component and helpers (pinned in ``requirements.txt``); the
tests in ``tests/test_map_component.py`` fail if an upgrade changes what they produce.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from textwrap import dedent
from typing import Any

import folium
import streamlit as st
import streamlit_folium as stf

from geo.errors import CatalogueError
from layers.escape import escape_text
from layers.spec import LayerSpec
from webmap.assets import elements
from webmap.controls import DEFAULT_BASE
from webmap.render import CompactGeoJson, base_map

__all__ = [
    "BaseArgs",
    "Layer",
    "base_args",
    "control_script",
    "for_legend",
    "group_script",
    "map_component",
]

CONTROL_ID = "layer_control"  # streamlit-folium's name for the control it replaces each rerun
_js_hash = lru_cache(maxsize=64)(stf.generate_js_hash)  # the component's key: a regex a rerun


@dataclass(frozen=True)
class Layer:
    """One layer as the map component gets it.

    Attributes
    ----------
    title : str
        Its name in the layer control (escaped, as :func:`webmap.render.data_group` has it).
    data : str
        What the page draws (:func:`webmap.render.layer_data`, or a served reference).
    """

    title: str
    data: str

    @classmethod
    def of(cls, spec: LayerSpec, data: str) -> Layer:
        """A layer of the catalogue or the user's, titled as the layer control shows it."""
        return cls(escape_text(spec.title), data)


@dataclass(frozen=True)
class BaseArgs:
    """The base map's part of the component's arguments, and what the control needs."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    zoom: int
    center: dict  # the base map's own view, {"lat", "lng"}
    bounds: dict
    base_layers: tuple[tuple[str, str], ...]  # (name, JavaScript variable)
    control_options: dict
    control_draggable: bool


def _links(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """Every element's stylesheets and scripts, in the order streamlit-folium collects them."""
    scripted = [e for e in elements(fmap) if isinstance(e, folium.elements.JSCSSMixin)]
    css = [href for e in scripted for _, href in getattr(e, "default_css", [])]
    js = [src for e in scripted for _, src in getattr(e, "default_js", [])]
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def _drawn_elsewhere(**_params: Any) -> Any:
    raise CatalogueError("a legend entry has no data: the layer is drawn from its own spec")


def for_legend(specs: Iterable[LayerSpec]) -> tuple[LayerSpec, ...]:
    """Uploaded layers as the base map needs them (title, style, id), without their data.

    :func:`base_args` is cached for the whole process; keyed by these, it keeps no
    user's features alive after their session ends, and a rerun still finds its entry
    (the copies are equal from one rerun to the next).
    """
    return tuple(replace(spec, build=_drawn_elsewhere) for spec in specs)


@lru_cache(maxsize=32)
def base_args(
    coord_format: str, user_layers: tuple[LayerSpec, ...] = (), base: str = DEFAULT_BASE
) -> BaseArgs:
    """The base map's arguments (:func:`webmap.render.base_map`), as ``st_folium`` makes them.

    Parameters
    ----------
    coord_format : str
        The pointer's coordinate format (``dd``, ``dms`` or ``mgrs``).
    user_layers : tuple of LayerSpec
        Uploaded layers (the legend lists them), as :func:`for_legend` gives them.
    base : str, optional
        The base map (:data:`webmap.controls.BASES`).

    Returns
    -------
    BaseArgs
        Made once per arguments (a process-wide cache: nothing in it is a user's but the
        titles of their layers, which their own session sends).
    """
    fmap, control = base_map(coord_format, user_layers=user_layers, base=base)
    fmap.render()
    html, header = stf._get_html(fmap), stf._get_header(fmap)
    script = stf._get_map_string(fmap)  # renames the map's elements, base layers included
    bounds = fmap.get_bounds()
    css, js = _links(fmap)
    base_layers = tuple(
        (child.layer_name, child.get_name())
        for child in fmap._children.values()
        if isinstance(child, folium.map.Layer) and child.control and not child.overlay
    )
    return BaseArgs(
        script=script,
        header=header,
        html=html,
        map_id=stf.get_full_id(fmap),
        css_links=tuple(css),
        js_links=tuple(js),
        zoom=fmap.options.get("zoom"),
        center={"lat": fmap.location[0], "lng": fmap.location[1]},
        bounds={
            "_southWest": {"lat": bounds[0][0], "lng": bounds[0][1]},
            "_northEast": {"lat": bounds[1][0], "lng": bounds[1][1]},
        },
        base_layers=base_layers,
        control_options=dict(control.options),
        control_draggable=control.draggable,
    )


@lru_cache(maxsize=1024)
def group_script(index: int, data: str) -> str:
    """One layer's script for ``feature_group_to_add``, at ``index`` in the list.

    The layer's title is not in it (the layer control names it): the same data at the
    same place is the same script.
    """
    group = folium.FeatureGroup()
    if data:
        CompactGeoJson(data).add_to(group)
    return stf._get_feature_group_string(group, folium.Map(tiles=None), idx=index)


class _MapName(folium.MacroElement):
    """Stands in for the map as the control's parent: streamlit-folium names it map_div."""

    def get_name(self) -> str:
        return "map_div"


def control_script(base: BaseArgs, titles: Sequence[str]) -> str:
    """The layer control's script: the base layers, then each layer by its title.

    Parameters
    ----------
    base : BaseArgs
        The base map's part (its base layers and the control's options).
    titles : sequence of str
        The layers' titles, in the order of ``feature_group_to_add``.
    """
    control = folium.LayerControl(draggable=base.control_draggable)
    control.options = dict(base.control_options)
    control._id = CONTROL_ID
    control._parent = _MapName()
    control.base_layers = OrderedDict(base.base_layers)
    control.overlays = OrderedDict(
        (title, f"feature_group_feature_group_{i}") for i, title in enumerate(titles)
    )
    script = dedent(control._template.module.script(control))
    return script + dedent(
        """
        window.layer_control = layer_control_layer_control;
        """
    )


def component_key(base: Any, key: str) -> str:
    """The key under which the map's frame keeps the value it reports (st_folium's own:
    one per script and key)."""
    return _js_hash(base.script, key, False)


def map_component(
    base: BaseArgs,
    layers: Iterable[Layer],
    *,
    center: tuple[float, float],
    zoom: int,
    returned_objects: list[str],
    height: int,
    key: str,
) -> dict[str, Any] | None:
    """Show the map with ``layers`` and return what the browser reported, as ``st_folium``.

    The arguments are those of ``st_folium(fmap, feature_group_to_add=..., center=...,
    zoom=..., layer_control=..., returned_objects=..., use_container_width=True,
    height=..., render=False, key=...)`` for the base map ``base`` was made from, but for
    one: the default value also holds the base map's centre (see below).
    """
    layers = list(layers)
    defaults = {
        k: v
        for k, v in {
            "last_clicked": None,
            "last_object_clicked": None,
            "last_object_clicked_count": None,
            "last_object_clicked_tooltip": None,
            "last_object_clicked_popup": None,
            "all_drawings": None,
            "last_active_drawing": None,
            "bounds": base.bounds,
            "zoom": base.zoom,
            # Not in st_folium's defaults: the map reports its view once made, before it
            # is moved to ``center``; with the base map's own view as the default, that
            # report is no change and does not rerun the app while the map loads.
            "center": base.center,
            "last_circle_radius": None,
            "last_circle_polygon": None,
            "selected_layers": None,
            "selected_tags": None,
            "last_geocoder_result": None,
        }.items()
        if k in returned_objects
    }
    hash_key = component_key(base, key)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return stf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned_objects,
        default=defaults,
        zoom=zoom,
        center=center,
        feature_group="".join(group_script(i, layer.data) for i, layer in enumerate(layers)),
        return_on_hover=False,
        layer_control=control_script(base, [layer.title for layer in layers]),
        pixelated=False,
        css_links=list(base.css_links),
        js_links=list(base.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
