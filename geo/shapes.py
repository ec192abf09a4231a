"""Geodesic figures of any geometries: length of lines, area and perimeter of polygons.

On the WGS84 ellipsoid (``pyproj.Geod``), whatever the geometry's extent; coordinates are
``(lon, lat)`` degrees.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import ArrayLike

from geo.measure import GEOD, M_PER_KM

__all__ = ["geodesic_areas_km2", "geodesic_lengths_km"]

_LINEAL = ("LineString", "MultiLineString", "LinearRing")
_POLYGONAL = ("Polygon", "MultiPolygon")


def _parts(geom: shapely.Geometry, kinds: tuple[str, ...]) -> list[shapely.Geometry]:
    """The parts of ``geom`` of the given kinds (a collection's members included)."""
    return [p for p in shapely.get_parts(geom) if p.geom_type in kinds]


def geodesic_lengths_km(geoms: ArrayLike) -> np.ndarray:
    """Geodesic length of the lines in each geometry, in km (0 for points and polygons).

    Parameters
    ----------
    geoms : array_like of shapely geometries
        In EPSG:4326. Lines inside a GeometryCollection count; polygons' outlines do not
        (see :func:`geodesic_areas_km2` for perimeters).

    Returns
    -------
    numpy.ndarray
        One length per geometry.

    Examples
    --------
    A degree of the equator is a × π/180 = 111.319 km; across the antimeridian the
    line is measured the short way; points, empty geometries and None count 0:

    >>> line = shapely.LineString([(0.0, 0.0), (1.0, 0.0)])
    >>> geodesic_lengths_km([line, shapely.Point(0.0, 0.0), shapely.Polygon(), None]).round(6)
    array([111.319491,   0.      ,   0.      ,   0.      ])
    >>> geodesic_lengths_km([shapely.LineString([(179.5, 0.0), (-179.5, 0.0)])]).round(6)
    array([111.319491])
    >>> geodesic_lengths_km([])
    array([], dtype=float64)
    """
    return np.array(
        [
            sum(GEOD.geometry_length(p) for p in _parts(g, _LINEAL)) / M_PER_KM
            for g in np.asarray(geoms, dtype=object).ravel()
        ],
        dtype=float,
    )


def geodesic_areas_km2(geoms: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic area and perimeter of the polygons in each geometry.

    Parameters
    ----------
    geoms : array_like of shapely geometries
        In EPSG:4326; points and lines count 0. The area is positive whatever the
        rings' winding.

    Returns
    -------
    area_km2, perimeter_km : numpy.ndarray
        One value per geometry; the perimeter counts every ring, holes included.

    Examples
    --------
    A 1° cell on the equator (about 111.32 km × 110.57 km); None counts 0:

    >>> area, perimeter = geodesic_areas_km2([shapely.box(0.0, 0.0, 1.0, 1.0), None])
    >>> area.round(3), perimeter.round(3)
    (array([12308.778,     0.   ]), array([443.771,   0.   ]))
    >>> geodesic_areas_km2([])
    (array([], dtype=float64), array([], dtype=float64))
    """
    areas, perimeters = [], []
    for g in np.asarray(geoms, dtype=object).ravel():
        parts = _parts(g, _POLYGONAL)
        # normalize(): exterior clockwise, holes anticlockwise, so holes subtract.
        areas.append(
            sum(abs(GEOD.geometry_area_perimeter(shapely.normalize(p))[0]) for p in parts)
            / M_PER_KM**2
        )
        # Every ring: pyproj's own perimeter leaves the holes out.
        perimeters.append(sum(GEOD.geometry_length(p.boundary) for p in parts) / M_PER_KM)
    return np.array(areas, dtype=float), np.array(perimeters, dtype=float)
