"""The browser room: how a layer is drawn in a web page.

folium/Leaflet rendering (:mod:`webmap.render`), the map controls
(:mod:`webmap.controls`), the compact layer format the page decodes
(:mod:`webmap.compact`), the vendored front-end files (:mod:`webmap.assets`) and our
vector base map (:mod:`webmap.vector_base`).

Our own JavaScript lives in ``.js`` files, never in Python strings: ``webmap/js`` holds
the ``atlasGeo`` runtime and the pointer-position formatters (the app serves them from
``static/atlas``, copied there by ``make``; exports inline them), and
``webmap/templates/*.js.j2`` the scripts of our folium elements.
"""
