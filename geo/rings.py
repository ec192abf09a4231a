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
from geo.measure import GEOD, M_PER_KM
from geo.projections import aeqd, project

__all__ = [
    "MAX_RADIUS_M",
    "MIN_VERTICES",
    "buffer",
    "radii_from_km",
    "ring",
    "ring_vertices",
    "rings",
    "validate_radii",
]

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
        If a radius is not a finite number in (0, 19,900 km], or none is given.

    See Also
    --------
    radii_from_km : the same check for radii given in kilometres.

    Examples
    --------
    >>> validate_radii([10_000, 25_000.5])
    array([10000. , 25000.5])
    >>> validate_radii(5_000)
    array([5000.])
    >>> validate_radii([])
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: expected one or more radii, got []
    >>> validate_radii([10_000, float("nan")])
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: radius nan km is not usable: radii must be above 0 and at most
    19,900 km
    >>> validate_radii(None)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: radii must be numbers, got None
    """
    radii = _radii_array(radii_m, unit="")
    bad = radii[~np.isfinite(radii) | (radii <= 0) | (radii > MAX_RADIUS_M)]
    if bad.size:
        raise GeoInputError(
            f"radius {bad[0] / M_PER_KM:g} km is not usable: radii must be above 0 and at most "
            f"{MAX_RADIUS_M / M_PER_KM:,.0f} km"
        )
    return radii


def radii_from_km(radii_km: ArrayLike) -> np.ndarray:
    """Radii given in kilometres, validated, in metres: the one km → m conversion of radii.

    Every radius a user or a layer gives in km (ring layers, the app's rings, a
    corridor's half-width) goes through here before it reaches :func:`rings`.

    Parameters
    ----------
    radii_km : float or array_like
        Radii in km: numbers, or strings that read as numbers (``"12.5"``), each a
        finite number above 0 and at most 19,900.

    Returns
    -------
    ndarray
        One-dimensional float array of the radii in metres, in the order given.

    Raises
    ------
    GeoInputError
        If no radius is given, one is not a number or is out of range; the message
        shows what was received and what is expected.

    Examples
    --------
    >>> radii_from_km([10, 20.5, "50"])
    array([10000., 20500., 50000.])
    >>> radii_from_km(30)
    array([30000.])
    >>> radii_from_km([])
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: expected one or more radii in km, got []
    >>> radii_from_km(None)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: radii must be numbers of km, got None
    >>> radii_from_km([100, -5])
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: radius -5 km is not usable: radii must be above 0 and at most
    19,900 km
    >>> radii_from_km(["ten"])
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: radii must be numbers of km, got ['ten']
    """
    return validate_radii(_radii_array(radii_km, unit="km") * M_PER_KM)


def _radii_array(values: ArrayLike, *, unit: str) -> np.ndarray:
    """``values`` as a non-empty 1-D float array, else an error naming what was given.

    ``unit`` (``"km"`` or ``""`` for metres) goes into the message.
    """
    try:  # numpy reads None as NaN: refuse it as not a number
        radii = None if values is None else np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        radii = None
    of, in_ = (f" of {unit}", f" in {unit}") if unit else ("", "")
    if radii is None:
        raise GeoInputError(f"radii must be numbers{of}, got {values!r}")
    if radii.ndim != 1 or radii.size == 0:
        raise GeoInputError(f"expected one or more radii{in_}, got {values!r}")
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

    Raises
    ------
    GeoInputError
        For an unusable radius, or fewer than 16 vertices.

    Examples
    --------
    Each ring starts due north and runs counter-clockwise (west next):

    >>> verts = ring_vertices(25.0, 54.0, [10_000, 50_000], n=16)
    >>> verts.shape
    (2, 16, 2)
    >>> verts[1, 0].round(6), verts[1, 4].round(6)
    (array([25.      , 54.449199]), array([24.237553, 53.997582]))
    >>> ring_vertices(25.0, 54.0, 10_000, n=8)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: a ring needs at least 16 vertices, got 8
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

    Raises
    ------
    GeoInputError
        For a centre off the globe or an unusable radius.

    Examples
    --------
    >>> discs = rings(25.0, 54.0, [10_000, 50_000])
    >>> [d.geom_type for d in discs], [round(d.area, 6) for d in discs]  # square degrees
    (['Polygon', 'Polygon'], [0.043038, 1.075959])
    >>> rings(25.0, 95.0, 10_000)
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: centre (95, 25) is not a valid lat, lon
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

    Examples
    --------
    A 10 km ring's geodesic area is that of its 256-gon, π r² · sin(2π/256) / (2π/256):

    >>> from geo.measure import GEOD
    >>> area_m2, _ = GEOD.geometry_area_perimeter(ring(25.0, 54.0, 10_000))
    >>> round(area_m2 / 1e6, 3)
    314.128

    On the antimeridian the disc is split in two; around a pole it is closed over it:

    >>> split = ring(180.0, 0.0, 100_000)
    >>> split.geom_type, [[round(b, 6) for b in part.bounds] for part in split.geoms]
    ('MultiPolygon', [[179.101685, -0.904369, 180.0, 0.904369],
                      [-180.0, -0.904369, -179.101685, 0.904369]])
    >>> polar = ring(0.0, 90.0, 500_000)
    >>> polar.geom_type, [round(b, 6) for b in polar.bounds]
    ('Polygon', [-180.0, 85.523391, 180.0, 90.0])
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

    Examples
    --------
    A 1° line along 54°N grown by 10 km, one across the antimeridian (split there),
    and an empty geometry:

    >>> grown = buffer(shapely.LineString([(25.0, 54.0), (26.0, 54.0)]), 10_000)
    >>> grown.geom_type, [round(b, 4) for b in grown.bounds]
    ('Polygon', [24.8475, 53.9102, 26.1525, 54.0898])
    >>> across = buffer(shapely.LineString([(179.5, 0.0), (-179.5, 0.0)]), 10_000)
    >>> across.geom_type, [[round(b, 6) for b in part.bounds] for part in across.geoms]
    ('MultiPolygon', [[-180.0, -0.090439, -179.410168, 0.090439],
                      [179.410168, -0.090439, 180.0, 0.090439]])
    >>> buffer(shapely.Polygon(), 10_000).wkt
    'POLYGON EMPTY'
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
