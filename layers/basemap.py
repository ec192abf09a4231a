"""The region map: our own vector base (territories, rivers, sites), drawn with folium."""

from __future__ import annotations

import folium

from geo import data
from layers.assets import use_vendor_assets
from layers.escape import escape_text

REGION_CENTER = (54.5, 26.0)  # (lat, lon): folium's order, used only here
REGION_ZOOM = 6
SITE_KINDS_SHOWN = ("capital", "admin_centre", "nuclear_plant", "military_unit", "airbase")


def region_map() -> folium.Map:
    """A folium map of the region with territories, rivers and the main sites.

    Returns
    -------
    folium.Map
        Works without tiles or CDNs: the territories and rivers are drawn from
        ``data/`` and Leaflet is loaded from ``static/vendor``.
    """
    fmap = use_vendor_assets(folium.Map(location=REGION_CENTER, zoom_start=REGION_ZOOM, tiles=None))
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
    territories = data.territories_display()[["code", "name", "group", "geometry"]].copy()
    territories["name"] = territories["name"].map(escape_text)
    folium.GeoJson(
        territories,
        name="Territories",
        style_function=lambda f: {
            "color": "#444",
            "weight": 1,
            "fillColor": "#c9a227" if f["properties"]["code"] == "BY" else "#d9d9d9",
            "fillOpacity": 0.35,
        },
        tooltip=folium.GeoJsonTooltip(["name"], labels=False),
    ).add_to(fmap)
    rivers = data.rivers()[["name", "geometry"]].copy()
    rivers["name"] = rivers["name"].map(escape_text)
    folium.GeoJson(
        rivers,
        name="Rivers",
        style_function=lambda f: {"color": "#2b7bb9", "weight": 2},
        tooltip=folium.GeoJsonTooltip(["name"], labels=False),
    ).add_to(fmap)
    sites = data.sites()
    sites = sites[sites["kind"].isin(SITE_KINDS_SHOWN)][["name", "kind", "geometry"]].copy()
    for col in ("name", "kind"):
        sites[col] = sites[col].map(escape_text)
    folium.GeoJson(
        sites,
        name="Sites",
        marker=folium.CircleMarker(radius=4, color="#b2182b", fill=True, fill_opacity=0.9),
        tooltip=folium.GeoJsonTooltip(["name", "kind"], labels=False),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap
