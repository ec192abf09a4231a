"""Map layers: the catalogue, styles, folium rendering and exports.

The only package that imports folium. Geometry comes from :mod:`geo`.
"""
