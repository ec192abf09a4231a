"""What a layer is: the catalogue, its builders, styles, features and scenes.

No folium and no matplotlib: a built layer is a GeoDataFrame with figures
(:class:`layers.spec.Built`). The browser room (:mod:`webmap`) draws it; the
:mod:`exports` room writes it to files. Geometry comes from :mod:`geo`.
"""
