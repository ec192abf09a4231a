"""The browser room: how a layer is drawn in a web page.

folium/Leaflet rendering (:mod:`webmap.render`), the map controls
(:mod:`webmap.controls`), the compact layer format the page decodes
(:mod:`webmap.compact`), the vendored front-end files (:mod:`webmap.assets`) and our
vector base map (:mod:`webmap.vector_base`). Our own JavaScript lives in ``webmap/js``.
"""
