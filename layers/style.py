"""How each feature of a layer looks, for every drawing of it: the web map and the PNG.

A layer declares one :class:`~layers.spec.Style`; each feature departs from it by its
role (:data:`ROLE_STYLE`), its territory (:data:`TERRITORY_FILL`: Belarus and
Kaliningrad stand out) and, for a few layers, a colour of its own (a claim's verdict).
:func:`path_style` resolves all three into Leaflet path options; the browser room sends
them to the page as they are, and the PNG reads the same dictionary.
"""

from __future__ import annotations

import re
from typing import Any

from layers.spec import HEX_COLOR_RE, Style

__all__ = [
    "EDGE_CLICK_CLASS",
    "ROLE_STYLE",
    "SYMBOL_SIZE_PX",
    "TERRITORY_FILL",
    "feature_color",
    "full_path_style",
    "path_style",
]

# A path that takes clicks on its outline only (webmap/js/atlas-geo.js styles the class):
# a ring's disc covers sites and smaller rings, which a click must still reach.
EDGE_CLICK_CLASS = "atlas-edge"
_SIDC = re.compile(r"\d{20}")
# How each role departs from its layer's style (Leaflet path options).
ROLE_STYLE: dict[str, dict[str, Any]] = {
    "ring": {"className": EDGE_CLICK_CLASS},
    "corridor": {},
    "territory": {},
    "shortest_line": {"weight": 4, "fillOpacity": 0},
    "measure_line": {"weight": 3, "dashArray": "8 6", "fillOpacity": 0},
    "border_line": {"weight": 3, "dashArray": "2 6", "fillOpacity": 0},
    "border": {"weight": 5, "opacity": 0.8, "fillOpacity": 0},
    "river": {"fillOpacity": 0},
    "site": {"fillOpacity": 0.9, "weight": 1},
    "unit": {"fillOpacity": 0.9, "weight": 2},
    "nearest_point": {"fillOpacity": 0.9, "weight": 1},
    "route": {"weight": 7, "opacity": 0.45, "fillOpacity": 0},
}
# A unit's symbol (a point with a SIDC): milsymbol's ``size``, its frame's height in px.
SYMBOL_SIZE_PX = 26
# Territories filled apart from the borders layer's style: code -> (fill colour, opacity).
TERRITORY_FILL: dict[str, tuple[str, float]] = {
    "BY": ("#c9a227", 0.35),
    "RU-KGD": ("#f4a582", 0.35),
}


def feature_color(value: object) -> str | None:
    """A feature's own ``#rrggbb`` colour from its layer's data, or None.

    Anything else (a name, a short or malformed code, user text) is dropped, so a
    colour from data can never carry markup into a page.

    Examples
    --------
    >>> feature_color("#1a9850"), feature_color("red"), feature_color("#fff")
    ('#1a9850', None, None)
    """
    if isinstance(value, str) and HEX_COLOR_RE.fullmatch(value):
        return value
    return None


def path_style(
    style: Style,
    role: str,
    code: str | None = None,
    color: str | None = None,
    sidc: str | None = None,
) -> dict[str, Any]:
    """A feature's Leaflet path options: its layer's style, changed by role and territory.

    Parameters
    ----------
    style : Style
        The layer's style from the catalogue.
    role : str
        The feature's role (``ring``, ``border``, ``site``, ...).
    code : str or None, optional
        A territory's code (``BY``, ``RU-KGD``, ...).
    color : str or None, optional
        The feature's own colour from its layer's data; used only if it is a ``#rrggbb``
        code (:func:`feature_color`).
    sidc : str or None, optional
        A unit's symbol code (20 digits, APP-6 D): a point with one is drawn as its
        symbol (:data:`SYMBOL_SIZE_PX` high) instead of a dot. Anything else is dropped.

    Returns
    -------
    dict
        ``color``, ``weight``, ``fillColor``, ``fillOpacity`` and, where set,
        ``dashArray`` and ``opacity`` (Leaflet's defaults otherwise), ``className``
        (a ring's :data:`EDGE_CLICK_CLASS`; only the web map reads it) and ``sidc``.

    Examples
    --------
    >>> path_style(Style("#333333", fill_color="#cccccc"), "territory", "BY")["fillColor"]
    '#c9a227'
    >>> path_style(Style("#333333"), "border")["weight"]
    5
    >>> path_style(Style("#333333"), "unit", sidc="10061000171211020000")["sidc"]
    '10061000171211020000'
    >>> "sidc" in path_style(Style("#333333"), "unit", sidc="<b>")
    False
    """
    base: dict[str, Any] = {
        "color": style.color,
        "weight": style.weight,
        "fillColor": style.fill_color or style.color,
        "fillOpacity": style.fill_opacity,
    }
    if style.dash_array:
        base["dashArray"] = style.dash_array
    if role == "territory" and code in TERRITORY_FILL:
        base["fillColor"], base["fillOpacity"] = TERRITORY_FILL[code]
    own = feature_color(color)
    if own:
        base.update(color=own, fillColor=own)
    if isinstance(sidc, str) and _SIDC.fullmatch(sidc):
        base["sidc"] = sidc
    return {**base, **ROLE_STYLE.get(role, {})}


def full_path_style(
    style: Style,
    role: str,
    code: str | None = None,
    color: str | None = None,
    sidc: str | None = None,
) -> dict[str, Any]:
    """:func:`path_style` with Leaflet's defaults filled in (``opacity``, ``dashArray``).

    What a renderer other than Leaflet needs (the PNG): every key present.

    Examples
    --------
    >>> look = full_path_style(Style("#333333"), "ring")
    >>> look["opacity"], look["dashArray"]
    (1.0, None)
    """
    return {"opacity": 1.0, "dashArray": None, **path_style(style, role, code, color, sidc)}
