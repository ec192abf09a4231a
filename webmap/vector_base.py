"""Our own base map, drawn from our data in the browser: it stands in for tiles offline.

Land (the display territories, simplified further), the named rivers and the larger
cities, on a sea-coloured background. It is a base layer ("Vector base (offline)") in
the layer control of the app and of exported HTML, and the only one with ``--offline``.
It is a backdrop: the figures come from the unsimplified data behind the layers drawn
over it. Its script is ``webmap/templates/vector_base.js.j2``.
"""

from __future__ import annotations

from functools import lru_cache

import folium
import numpy as np
import shapely

from geo.data import rivers, sites, territories_display, towns
from layers.escape import escape_text
from webmap.assets import element_template
from webmap.compact import add_runtime, compact_layer, geometry_arrays, safe_json
from webmap.served import Source, inline

VECTOR_BASE_NAME = "Vector base (offline)"
LAND_TOLERANCE_DEG = 0.03  # topology-preserving simplification (≈ 2–3.3 km here)
RIVER_TOLERANCE_DEG = 0.02
GRID_DEG = 0.005  # coordinate precision of the backdrop (≈ 0.3–0.6 km)
CITY_MIN_POPULATION = 250_000  # and every capital
SEA_COLOR = "#cfe0ec"
LAND_STYLE = {"color": "#9a9a9a", "weight": 0.8, "fillColor": "#f4f1ea", "fillOpacity": 1}
RIVER_STYLE = {"color": "#6f9fc8", "weight": 1.5}
CITY_STYLE = {
    "radius": 2.5,
    "color": "#444444",
    "weight": 1,
    "fillColor": "#ffffff",
    "fillOpacity": 1,
}


def _compact(geoms: np.ndarray, names: list[str] | None = None) -> dict:
    """Geometries (and escaped names) in the page's compact form (:mod:`webmap.assets`)."""
    features = [geometry_arrays(g) for g in geoms]
    labels = [[] for _ in features]
    escaped = [escape_text(n) for n in names] if names is not None else ["" for _ in features]
    return compact_layer(features, [{} for _ in features], escaped, labels)


def cities() -> tuple[list[str], np.ndarray]:
    """The cities the backdrop labels: capitals and towns of :data:`CITY_MIN_POPULATION`.

    Returns
    -------
    names : list of str
        City names (plain text).
    points : numpy.ndarray
        Shapely points in lon/lat, in the same order.
    """
    capitals = sites()[sites()["kind"] == "capital"]
    big = towns()[towns()["population"] >= CITY_MIN_POPULATION]
    big = big[~big["name"].isin(capitals["name"])]
    names = [*capitals["name"], *big["name"]]
    lon = np.concatenate([capitals["lon"].to_numpy(), big["lon"].to_numpy()])
    lat = np.concatenate([capitals["lat"].to_numpy(), big["lat"].to_numpy()])
    return names, shapely.points(lon, lat)


def simplified_land(tolerance_deg: float = LAND_TOLERANCE_DEG) -> np.ndarray:
    """The display territories simplified (topology preserved) for backdrops.

    Coarser tolerances start from the backdrop's land rather than the 71k-vertex
    display borders: the minimap's costs 7 ms instead of 40.

    Parameters
    ----------
    tolerance_deg : float, optional
        Simplification tolerance in degrees.

    Returns
    -------
    numpy.ndarray
        Shapely polygons, one per territory, in ``territories_display()`` order.
    """
    return _simplified_land(float(tolerance_deg))


@lru_cache(maxsize=4)
def _simplified_land(tolerance_deg: float) -> np.ndarray:
    if tolerance_deg > LAND_TOLERANCE_DEG:
        source = _simplified_land(LAND_TOLERANCE_DEG)
    else:
        source = territories_display().geometry.to_numpy()
    return shapely.simplify(source, tolerance_deg, preserve_topology=True)


@lru_cache(maxsize=1)
def vector_base_json() -> str:
    """The backdrop's data as one JSON object ``{"land", "rivers", "cities"}``.

    Returns
    -------
    str
        Three layers in the page's compact form (``atlasGeo.collection`` turns each into
        a GeoJSON FeatureCollection); city names are escaped (they become HTML labels).
    """
    land = simplified_land()
    river_lines = shapely.simplify(rivers().geometry.to_numpy(), RIVER_TOLERANCE_DEG)
    names, points = cities()
    data = {
        "land": _compact(shapely.set_precision(land, GRID_DEG)),
        "rivers": _compact(shapely.set_precision(river_lines, GRID_DEG)),
        "cities": _compact(shapely.set_precision(points, GRID_DEG / 5), names),
    }
    return safe_json(data)


class VectorBase(folium.FeatureGroup):
    """The backdrop as a folium base layer (a radio button in the layer control).

    While it is the base layer the map's background turns sea-coloured (the CSS class
    ``atlas-vector-base`` on the map container).

    Parameters
    ----------
    show : bool, optional
        Whether it is the base layer at first.
    attribution : str, optional
        HTML for Leaflet's attribution control while the layer is shown.
    source : callable, optional
        How its data reaches the page (:mod:`webmap.served`): inline (the default) or
        served as a file.
    control : bool, optional
        Whether the layer control lists it (not when it is the only base).
    """

    _template = element_template("vector_base.js.j2")

    def __init__(
        self,
        *,
        show: bool = False,
        attribution: str | None = None,
        source: Source = inline,
        control: bool = True,
    ) -> None:
        options = {"attribution": attribution} if attribution else {}
        super().__init__(
            name=VECTOR_BASE_NAME, overlay=False, show=show, control=control, **options
        )
        self._name = "VectorBase"
        self.data = source(vector_base_json())
        self.sea = SEA_COLOR
        self.land = LAND_STYLE
        self.river = RIVER_STYLE
        self.city = CITY_STYLE

    def render(self, **kwargs) -> None:
        """Render, putting our script (:func:`webmap.compact.add_runtime`) in the head first."""
        add_runtime(self)
        super().render(**kwargs)
