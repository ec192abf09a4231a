"""Accuracy budgets A1–A4: every figure checked against an independent one in this run.

* A1: distances shown or exported against ``pyproj.Geod.inv`` called directly;
* A2: ring radial error (vertices and edge midpoints) against Leaflet's ``L.Circle``
  (what ``folium.Circle`` draws), reproduced here from Leaflet 1.9's source;
* A3: rings anywhere and up to 19,900 km: valid, and random points on the right side;
* A4: corridor widths against a brute-force minimum over densified boundaries.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import Geod

from bench.common import Row, row
from geo.measure import distance_m, measure
from geo.rings import ring, ring_vertices
from geo.territories import distance_to_territory

WGS84 = Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parents[1]
LEAFLET_EARTH_R = 6_371_000.0  # L.CRS.Earth.R
MERCATOR_R = 6_378_137.0  # L.Projection.SphericalMercator.R


def a1_distances(seed: int = 1) -> Row:
    """Our distances (pairs, one site against many points, borders) minus Geod.inv's."""
    rng = np.random.default_rng(seed)
    lon1, lon2 = rng.uniform(5.5, 45.0, (2, 100_000))
    lat1, lat2 = rng.uniform(43.5, 70.5, (2, 100_000))
    errors = [np.abs(distance_m(lon1, lat1, lon2, lat2) - WGS84.inv(lon1, lat1, lon2, lat2)[2])]
    site = (26.09, 54.76)
    one_site = distance_m(lon1, lat1, *site)
    errors.append(
        np.abs(one_site - WGS84.inv(lon1, lat1, *np.broadcast_arrays(*site, lon1)[:2])[2])
    )
    m = measure(lon1[0], lat1[0], lon2[0], lat2[0])
    errors.append(
        np.array([abs(m.distance_km * 1000 - WGS84.inv(lon1[0], lat1[0], lon2[0], lat2[0])[2])])
    )
    # A border distance is the geodesic to the nearest point it reports.
    near = distance_to_territory(lon1[:2000], lat1[:2000], "BY")
    errors.append(
        np.abs(near.distance_m - WGS84.inv(lon1[:2000], lat1[:2000], near.lon, near.lat)[2])
    )
    worst = float(max(e.max() for e in errors))
    sphere = _haversine_m(lon1, lat1, lon2, lat2)
    sphere_err = float(np.abs(sphere - WGS84.inv(lon1, lat1, lon2, lat2)[2]).max())
    return row(
        "A1",
        "distances shown or exported = ellipsoidal geodesic",
        f"max {worst * 1000:.3g} mm off `Geod.inv`",
        f"haversine: {sphere_err / 1000:.1f} km off",
        worst / 1e-3,
        worst <= 1e-3,
        "≤ 1 mm",
    )


def _haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def radial_error(lon: float, lat: float, radius_m: float, outline: np.ndarray) -> float:
    """Largest |distance from the centre − radius| / radius over vertices and edge midpoints."""
    closed = np.vstack([outline, outline[:1]])
    points = np.vstack([closed[:-1], (closed[:-1] + closed[1:]) / 2])
    n = len(points)
    dist = WGS84.inv(np.full(n, lon), np.full(n, lat), points[:, 0], points[:, 1])[2]
    return float(np.abs(dist / radius_m - 1).max())


def leaflet_circle(lon: float, lat: float, radius_m: float, n: int = 256) -> np.ndarray:
    """The outline Leaflet 1.9 draws for ``L.Circle`` (folium.Circle) on a Web Mercator map.

    ``L.Circle._project``: the radius becomes degrees of latitude on a 6,371 km sphere;
    the top and bottom are projected, their midpoint is the centre, the x radius comes from
    the spherical law of cosines at the midpoint's latitude; an ellipse in Mercator.
    """
    d = np.pi / 180
    lat_r = radius_m / LEAFLET_EARTH_R / d
    top, bottom = _merc_y(lat + lat_r), _merc_y(lat - lat_r)
    cy = (top + bottom) / 2
    lat2 = _merc_lat(cy)
    lng_r = (
        np.arccos(
            (np.cos(lat_r * d) - np.sin(lat * d) * np.sin(lat2 * d))
            / (np.cos(lat * d) * np.cos(lat2 * d))
        )
        / d
    )
    cx = MERCATOR_R * lon * d
    rx = cx - MERCATOR_R * (lon - lng_r) * d
    ry = top - cy
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = cx + rx * np.cos(t), cy + ry * np.sin(t)
    return np.column_stack([x / MERCATOR_R / d, _merc_lat(y)])


def _merc_y(lat: float | np.ndarray) -> np.ndarray:
    return MERCATOR_R * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _merc_lat(y: float | np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(y / MERCATOR_R)) - np.pi / 2)


def a2_rings() -> Row:
    """Worst radial error of our rings and of Leaflet's circles, r = 10–500 km in the region."""
    centres = [(26.09, 54.76), (25.28, 54.69), (30.2, 55.19), (20.51, 54.71), (32.3, 54.87)]
    ours, theirs = 0.0, 0.0
    for lon, lat in centres:
        for radius_km in (10, 25, 50, 100, 200, 300, 500):
            r = radius_km * 1000.0
            outline = shapely.get_coordinates(ring(lon, lat, r).exterior)[:-1]
            ours = max(ours, radial_error(lon, lat, r, outline))
            theirs = max(theirs, radial_error(lon, lat, r, leaflet_circle(lon, lat, r)))
    ratio = theirs / ours
    return row(
        "A2",
        "ring radial error, vertices and edges, r = 10–500 km (256 vertices)",
        f"{ours * 100:.4f}%",
        f"`folium.Circle`: {theirs * 100:.3f}%",
        ratio,
        ours <= 1e-4 and ratio >= 30,
        "≤ 0.01%; ≥ 30× better than folium.Circle",
        ratio_label=f"{ratio:.0f}× better",
    )


def a3_rings_anywhere(seed: int = 3, cases: int = 300) -> Row:
    """Rings at random centres (poles, antimeridian, near-antipodal radii): valid, and random
    points inside exactly when their geodesic distance is under the radius (less the sag)."""
    rng = np.random.default_rng(seed)
    lons = np.r_[rng.uniform(-180, 180, cases - 4), 179.9, -179.9, 0.0, 30.0]
    lats = np.r_[rng.uniform(-90, 90, cases - 4), 60.0, -10.0, 90.0, -89.9]
    radii = np.r_[rng.uniform(10e3, 19_900e3, cases - 4), 500e3, 3000e3, 2000e3, 19_900e3]
    invalid = wrong = naive_invalid = 0
    for lon, lat, r in zip(lons, lats, radii, strict=True):
        disc = ring(lon, lat, r)
        invalid += not disc.is_valid
        naive = (
            shapely.Polygon(shapely.get_coordinates(disc.exterior))
            if disc.geom_type == "Polygon"
            else None
        )
        naive_invalid += (
            naive is None or not naive.is_valid or not naive.contains(shapely.Point(lon, lat))
        )
        wrong += _misclassified(disc, lon, lat, r, rng)
    return row(
        "A3",
        "rings valid for any centre and r ≤ 19,900 km",
        f"{invalid} invalid, {wrong} points misclassified of {cases} rings",
        f"unsplit lon/lat polygon: {naive_invalid} wrong",
        0.0,
        invalid == 0 and wrong == 0,
        "valid, no point misclassified beyond chord sag",
        ratio_label="—",
    )


def chord_sag_m(lon: float, lat: float, r: float) -> float:
    """How far the ring's straight lon/lat edges stray from the radius (at their midpoints)."""
    v = ring_vertices(lon, lat, [r])[0]
    closed = np.vstack([v, v[:1]])
    closed[:, 0] = np.unwrap(closed[:, 0], period=360.0)
    mid = (closed[:-1] + closed[1:]) / 2
    n = len(mid)
    dist = WGS84.inv(np.full(n, lon), np.full(n, lat), mid[:, 0], np.clip(mid[:, 1], -90, 90))[2]
    return float(np.abs(dist - r).max())


def _misclassified(disc, lon: float, lat: float, r: float, rng: np.random.Generator) -> int:
    """Random points clearly inside or outside (beyond twice the chord sag) on the wrong side."""
    n = 400
    plon, plat = rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    dist = WGS84.inv(np.full(n, lon), np.full(n, lat), plon, plat)[2]
    clear = np.abs(dist - r) > 2 * chord_sag_m(lon, lat, r) + 1.0
    inside = shapely.contains_xy(disc, plon, plat)
    return int(((inside != (dist < r)) & clear).sum())


def a4_corridors() -> Row:
    """Suwałki gap and Smolensk Gates widths against a brute force over densified data."""
    from geo.corridors import smolensk_gates, suwalki_gap

    terr = pyogrio.read_dataframe(ROOT / "data" / "territories.fgb").set_index("code").geometry
    box = shapely.box(22.5, 53.8, 23.8, 54.5)
    kgd, by = (
        _dense(shapely.intersection(terr[c].boundary, box), 0.0005) for c in ("RU-KGD", "BY")
    )
    rivers = pyogrio.read_dataframe(ROOT / "data" / "rivers.fgb").set_index("id").geometry
    dvina, dnieper = (_dense(rivers[r], 0.002) for r in ("western_dvina", "dnieper"))
    dvina, dnieper = dvina[dvina[:, 0] >= 29.0], dnieper[dnieper[:, 1] >= 54.0]
    errors = [
        abs(suwalki_gap().width_km * 1000 / least_distance(kgd, by) - 1),
        abs(smolensk_gates().width_km * 1000 / least_distance(dvina, dnieper) - 1),
    ]
    worst = max(errors)
    return row(
        "A4",
        "corridor width error (Suwałki gap, Smolensk Gates)",
        f"{worst * 100:.5f}%",
        "brute force over boundaries densified to ≤ 56 m / 222 m",
        worst / 2e-4,
        worst <= 2e-4,
        "≤ 0.02%",
    )


def _dense(geom, step_deg: float) -> np.ndarray:
    return shapely.get_coordinates(shapely.segmentize(geom, step_deg))


def _pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lon1, lon2 = np.meshgrid(a[:, 0], b[:, 0], indexing="ij")
    lat1, lat2 = np.meshgrid(a[:, 1], b[:, 1], indexing="ij")
    return WGS84.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())[2].reshape(lon1.shape)


def least_distance(a: np.ndarray, b: np.ndarray, stride: int = 40) -> float:
    """The least geodesic distance between two point sets, pruned without loss.

    Every point of ``b`` lies within ``reach_b`` of the sample ``b[::stride]`` (measured),
    so a point of ``a`` farther than ``upper + reach_b`` from the sample is not in the
    nearest pair; likewise for ``b``.
    """
    sa, sb = a[::stride], b[::stride]
    upper = _pairs(sa, sb).min()
    reach_a, reach_b = _pairs(a, sa).min(axis=1).max(), _pairs(b, sb).min(axis=1).max()
    keep_a = _pairs(a, sb).min(axis=1) <= upper + reach_b
    keep_b = _pairs(b, sa).min(axis=1) <= upper + reach_a
    return float(_pairs(a[keep_a], b[keep_b]).min())


def rows() -> list[Row]:
    """A1–A4, measured now."""
    return [a1_distances(), a2_rings(), a3_rings_anywhere(), a4_corridors()]
