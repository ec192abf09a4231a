"""Every file format the atlas writes.

The format registry and :func:`exports.formats.export` (:mod:`exports.formats`); the
writers: the HTML page (:mod:`exports.html_page`), the PNG (:mod:`exports.png_image`,
with :mod:`exports.png_frame` for where the map sits on the ellipsoid,
:mod:`exports.png_layout` for the page around it and :mod:`exports.png_draw` for its
features), GeoJSON, GeoPackage and KML (:mod:`exports.geodata`), the CSV of figures
(:mod:`exports.figures_csv`), tables of measured points (:mod:`exports.point_tables`)
and the claims ledger (:mod:`exports.ledger`).
"""
