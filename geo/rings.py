"""Geodesic range rings and buffers as polygons.

A ring is one vectorized ``Geod.fwd`` over an azimuth array, for every radius at
once, so each vertex lies exactly at the radius on the WGS84 ellipsoid. Rings are
wound counter-clockwise (decreasing azimuth), as RFC 7946 wants and as the
``antimeridian`` package needs to close a ring around a pole over the right pole.
"""

from __future__ import annotations

import antimeridian
import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError
from geo.measure import GEOD
from geo.projections import aeqd, project

# Half the WGS84 meridian circumference is 20,003.93 km: past that a "ring" folds back.
MAX_RADIUS_M = 19_900_000.0
MIN_VERTICES = 16


def validate_radii(radii_m: ArrayLike) -> np.ndarray:
    """Check ring radii and return them as a float array.

    Parameters
    ----------
    radii_m : float or array_like
        Radii in metres.

    Returns
    -------
    ndarray
        One-dimensional array of radii.

    Raises
    ------
    GeoInputError
        If a radius is not a finite number in (0, 19,900 km].
    """
    try:
        radii = np.atleast_1d(np.asarray(radii_m, dtype=float))
    except (TypeError, ValueError):
        raise GeoInputError(f"radii must be numbers, got {radii_m!r}") from None
    if radii.ndim != 1 or radii.size == 0:
        raise GeoInputError(f"expected a list of radii, got {radii_m!r}")
    bad = radii[~np.isfinite(radii) | (radii <= 0) | (radii > MAX_RADIUS_M)]
    if bad.size:
        raise GeoInputError(
            f"radius {bad[0] / 1000:g} km is not usable: radii must be above 0 and at most "
            f"{MAX_RADIUS_M / 1000:,.0f} km"
        )
    return radii


def ring_vertices(lon: float, lat: float, radii_m: ArrayLike, *, n: int = 256) -> np.ndarray:
    """Vertices of geodesic circles around one centre, counter-clockwise.

    Parameters
    ----------
    lon, lat : float
        Centre in degrees.
    radii_m : float or array_like
        Radii in metres.
    n : int, optional
        Vertices per ring.

    Returns
    -------
    ndarray
        ``(len(radii), n, 2)`` array of ``(lon, lat)``; ring ``i`` is not closed.
    """
    radii = validate_radii(radii_m)
    if n < MIN_VERTICES:
        raise GeoInputError(f"a ring needs at least {MIN_VERTICES} vertices, got {n}")
    azimuths = np.linspace(360.0, 0.0, n, endpoint=False)
    az, dist = np.meshgrid(azimuths, radii)
    lons, lats, _ = GEOD.fwd(np.full(az.shape, float(lon)), np.full(az.shape, float(lat)), az, dist)
    return np.stack([lons, lats], axis=-1)


def _as_polygon(vertices: np.ndarray) -> BaseGeometry:
    return _on_the_globe(shapely.Polygon(np.vstack([vertices, vertices[:1]])))


def _on_the_globe(polygon: shapely.Polygon) -> BaseGeometry:
    """A polygon whose rings run counter-clockwise around its area on the globe, in lon/lat.

    One that wraps (an edge jumps more than 180° of longitude: across the antimeridian,
    or around a pole) or that runs clockwise in lon/lat (its area is the outside of the
    loop, as when it holds both poles) is split at the antimeridian and closed over the
    right pole by the ``antimeridian`` package; the winding is kept as it is.
    """
    xy = [shapely.get_coordinates(r)[:, 0] for r in (polygon.exterior, *polygon.interiors)]
    if max(np.abs(np.diff(x)).max() for x in xy) <= 180.0 and polygon.exterior.is_ccw:
        return polygon
    fixed = antimeridian.fix_polygon(polygon, fix_winding=False)
    return shapely.make_valid(fixed) if not fixed.is_valid else fixed


def rings(lon: float, lat: float, radii_m: ArrayLike, *, n: int = 256) -> np.ndarray:
    """Geodesic range rings (filled discs) around a centre, one per radius.

    Parameters
    ----------
    lon, lat : float
        Centre in degrees.
    radii_m : float or array_like
        Radii in metres, each in (0, 19,900 km].
    n : int, optional
        Vertices per ring; with 256 the chord between vertices sags below the
        radius by under 0.008%.

    Returns
    -------
    ndarray of shapely geometries
        A Polygon per radius, or a MultiPolygon split at the antimeridian.
    """
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise GeoInputError(f"centre ({lat:g}, {lon:g}) is not a valid lat, lon")
    verts = ring_vertices(lon, lat, radii_m, n=n)
    return np.array([_as_polygon(v) for v in verts], dtype=object)


def ring(lon: float, lat: float, radius_m: float, *, n: int = 256) -> BaseGeometry:
    """One geodesic ring; see :func:`rings`.

    Parameters
    ----------
    lon, lat : float
        Centre in degrees.
    radius_m : float
        Radius in metres.
    n : int, optional
        Vertices.

    Returns
    -------
    shapely Polygon or MultiPolygon
        The disc.
    """
    return rings(lon, lat, [radius_m], n=n)[0]


def buffer(geom: BaseGeometry, radius_m: float, *, quad_segs: int = 32) -> BaseGeometry:
    """Geodesic buffer of a geometry, built in an azimuthal-equidistant projection.

    Points are buffered exactly with :func:`ring`, and so is a geometry whose vertices
    all coincide (a zero-length line, a line of repeated vertices). Other geometries are
    buffered in the azimuthal-equidistant projection centred on them, where distances
    from the centre are exact and other distances are within a fraction of a percent for
    geometries a few hundred km across (the error grows with their extent). The centre
    is the centroid, taken across the antimeridian for a geometry that straddles it and
    at the mean of the vertices on the globe for one that goes around a pole; edges
    are taken the short way, so a line from 179° to -179° crosses the antimeridian. A
    buffer that crosses the antimeridian is split there, one that holds a pole is
    closed over it, as :func:`ring` does.

    Parameters
    ----------
    geom : shapely geometry
        Geometry in EPSG:4326 (longitudes in -180…180, latitudes in -90…90).
    radius_m : float
        Buffer distance in metres.
    quad_segs : int, optional
        Segments per quarter circle at corners.

    Returns
    -------
    shapely geometry
        The buffered area in EPSG:4326 (an empty Polygon for an empty geometry).

    Raises
    ------
    GeoInputError
        For an unusable radius, or a coordinate that is not finite or off the globe.
    """
    radius = float(validate_radii([radius_m])[0])
    coords = shapely.get_coordinates(geom)
    if not len(coords):
        return shapely.Polygon()
    outside = ~np.isfinite(coords).all(axis=1) | (np.abs(coords) > (180.0, 90.0)).any(axis=1)
    if outside.any():
        lon, lat = coords[np.argmax(outside)]
        raise GeoInputError(f"vertex ({lat:g}, {lon:g}) is not a valid lat, lon")
    if (coords == coords[0]).all():  # one place: a point, or a line of one repeated vertex
        return ring(coords[0, 0], coords[0, 1], radius, n=quad_segs * 8)
    lon, lat = _centre(geom, coords)
    frame = aeqd(round(lon, 6), round(lat, 6))
    grown = shapely.buffer(project(geom, frame), radius, quad_segs=quad_segs)
    parts = shapely.get_parts(project(shapely.orient_polygons(grown), frame, inverse=True))
    pieces = shapely.get_parts([_on_the_globe(part) for part in parts])
    return pieces[0] if len(pieces) == 1 else shapely.MultiPolygon(list(pieces))


def _centre(geom: BaseGeometry, coords: np.ndarray) -> tuple[float, float]:
    """Where to centre the projection that buffers ``geom``, as ``(lon, lat)``.

    The centroid, when the geometry spans at most 180° of longitude; else the centroid
    with longitudes taken in 0…360, when that brings them within 180° (the geometry
    straddles the antimeridian); else (around a pole) the mean of the vertices as unit
    vectors, which lies near the pole.
    """
    lons = coords[:, 0]
    if np.ptp(lons) <= 180.0:
        centre = geom.centroid
        return centre.x, centre.y
    if np.ptp(lons % 360.0) <= 180.0:
        centre = shapely.transform(geom, lambda xy: np.c_[xy[:, 0] % 360.0, xy[:, 1]]).centroid
        return (centre.x + 180.0) % 360.0 - 180.0, centre.y
    lon, lat = np.radians(lons), np.radians(coords[:, 1])
    x, y, z = (
        (np.cos(lat) * np.cos(lon)).mean(),
        (np.cos(lat) * np.sin(lon)).mean(),
        np.sin(lat).mean(),
    )
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))
