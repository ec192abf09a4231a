"""Every file format the atlas writes.

Format dispatch and the GeoJSON, KML, GeoPackage and CSV writers
(:mod:`exports.formats`), the HTML page (:mod:`exports.html_page`), the PNG with its
layout and drawing (:mod:`exports.png_image`, :mod:`exports.png_layout`,
:mod:`exports.png_draw`), point tables (:mod:`exports.point_tables`) and the claims
ledger (:mod:`exports.ledger`).
"""
