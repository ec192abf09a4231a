"""A floor of the browser bench (B7): the smallest Streamlit page with a streamlit-folium map.

One checkbox and one map with our vendored Leaflet; the checkbox changes the map's one
feature group (two circle markers, or three) through ``feature_group_to_add``, as the app
changes its layers. What a click costs here is what Streamlit and streamlit-folium cost
before any of our work. :mod:`bench.browser` runs it from a folder whose ``static`` is the
project's (Streamlit serves ``static/`` beside the page).
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from webmap.assets import use_vendor_assets

FLIP = "flip"  # the checkbox's label

three = st.checkbox(FLIP)
fmap = use_vendor_assets(folium.Map(location=(54.5, 27.0), zoom_start=6, tiles=None))
group = folium.FeatureGroup(name="points")
for i in range(3 if three else 2):
    folium.CircleMarker((54.0 + i / 2, 27.0), radius=5).add_to(group)
st_folium(
    fmap,
    feature_group_to_add=[group],
    center=(54.5, 27.0),
    zoom=6,
    returned_objects=[],
    height=500,
    use_container_width=True,
    key="map",
)
