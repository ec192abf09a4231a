"""Reference implementations the tests and benchmarks compare the product's code with.

:func:`feature_collection` is a layer as plain GeoJSON, which the page's compact form
(:func:`webmap.render.layer_data`) must reproduce; :func:`compact_collection` turns it
into that form.

:class:`ReferenceNearest` is the nearest-point method :mod:`geo.nearest` used before its
vectorized query: one point at a time, over the index's 32-vertex boundary pieces in a
planar search radius of ``1.1 d + 1 km``, refined in the point's own azimuthal-
equidistant frame. Slow, simple and exact to the millimetre: the tests check the fast
query against it and ``bench/nearest.py`` times the two in the same run.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike

from geo.measure import GEOD
from geo.nearest import BoundaryIndex, Nearest, _in_region
from geo.projections import REGIONAL
from layers.spec import Built, LayerSpec
from webmap.render import compact_features, drawn_geometries, drawn_properties

SEARCH_FACTOR = 1.1
SEARCH_SLACK_M = 1000.0


class ReferenceNearest:
    """The one-point-at-a-time nearest point on a :class:`~geo.nearest.BoundaryIndex`."""

    def __init__(self, index: BoundaryIndex) -> None:
        self.index = index

    def query(self, lons: ArrayLike, lats: ArrayLike) -> Nearest:
        """Distance and nearest point for each point, one at a time."""
        lons = np.atleast_1d(np.asarray(lons, dtype=float))
        lats = np.atleast_1d(np.asarray(lats, dtype=float))
        dist = np.zeros(lons.shape)
        near_lon, near_lat = lons.copy(), lats.copy()
        outside = ~shapely.contains_xy(self.index.geom, lons, lats)
        for i in np.flatnonzero(outside):
            dist[i], near_lon[i], near_lat[i] = self._nearest_one(lons[i], lats[i])
        return Nearest(dist, near_lon, near_lat)

    def _candidates(self, lon: float, lat: float) -> np.ndarray:
        pieces = self.index.pieces
        if not _in_region(np.array([lon]), np.array([lat]))[0]:
            return pieces
        x, y = REGIONAL.transform(lon, lat)
        origin = shapely.Point(x, y)
        nearest = self.index._tree.query_nearest(origin, return_distance=True)
        reach = float(nearest[1][0]) * SEARCH_FACTOR + SEARCH_SLACK_M
        return pieces[self.index._tree.query(origin, predicate="dwithin", distance=reach)]

    def _nearest_one(self, lon: float, lat: float) -> tuple[float, float, float]:
        pieces = self._candidates(lon, lat)
        coords, index = shapely.get_coordinates(pieces, return_index=True)
        az, _, dist = GEOD.inv(
            np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
        )
        az_rad = np.radians(az)
        local = np.column_stack([dist * np.sin(az_rad), dist * np.cos(az_rad)])
        lines = shapely.linestrings(local, indices=index)
        origin = shapely.Point(0.0, 0.0)
        best = lines[int(np.argmin(shapely.distance(origin, lines)))]
        x, y = shapely.get_coordinates(shapely.shortest_line(origin, best))[1]
        distance = float(np.hypot(x, y))
        if distance == 0.0:
            return 0.0, lon, lat
        lon2, lat2, _ = GEOD.fwd(lon, lat, np.degrees(np.arctan2(x, y)), distance)
        return distance, float(lon2), float(lat2)


def reference_query(index: BoundaryIndex, lons: ArrayLike, lats: ArrayLike) -> Nearest:
    """:meth:`ReferenceNearest.query` on a fresh reference over ``index``."""
    return ReferenceNearest(index).query(lons, lats)


def feature_collection(built: Built, *, unit: str = "km") -> dict[str, Any]:
    """A built layer as plain GeoJSON, with the escaped ``name`` and HTML ``label`` the page shows.

    What :func:`webmap.render.layer_data` carries in compact form: the reference it is
    checked against and measured beside.

    Distances in labels are written in ``unit`` (km, mi or nmi) with a second unit.
    """
    features = [
        {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
        for geom, props in zip(drawn_geometries(built), drawn_properties(built, unit), strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def compact_collection(spec: LayerSpec, collection: dict[str, Any]) -> dict[str, Any]:
    """The collection in the page's compact form (:func:`webmap.compact.compact_layer`).

    The same features, styles, tooltips and popups: each feature's style is resolved here
    (the layer's, changed by role, Belarus and Kaliningrad apart), and its label lines
    travel without the ``<br>`` that joins them.
    """
    features = collection["features"]
    return compact_features(
        spec, [f["geometry"] for f in features], [f["properties"] for f in features]
    )
