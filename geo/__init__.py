"""Pure geodesic computation for Baltic Flank Atlas.

Nothing here imports streamlit or folium: this package is what an analyst imports
in a notebook. Coordinates are ``(lon, lat)`` in WGS84 everywhere inside the code.
"""
