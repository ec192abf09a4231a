"""The user's own marks as a built layer: clicked points, the ruler and their rings.

Built like any catalogue layer (:class:`~layers.spec.Built`), so the web map draws it
with the same renderer and an export could write it with the same writers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from geo.bearings import Bearing, bearing
from geo.gazetteer import Place
from geo.horizon import K_FACTORS, horizon
from geo.measure import legs
from layers.features import (
    fan_record,
    frame,
    horizon_records,
    km_mi,
    line_record,
    point_record,
    radial_records,
    ring_records,
)
from layers.labels import (
    FIGURE,
    MEASURE,
    RING,
    SITE,
    bearing_only,
    fan_ranges,
    length_and_bearing,
    radius,
)
from layers.spec import Built, LabelRule, LayerSpec, Style

__all__ = ["USER_MARKS", "user_marks"]


def user_marks(
    clicks: Sequence[Place],
    rings: Sequence[tuple[Place, tuple[float, ...]]] = (),
    ruler: tuple[Place, Place] | None = None,
    fans: Sequence[tuple[Place, tuple[float, float, float, float]]] = (),
    radials: Sequence[tuple[Place, tuple[int, float, float]]] = (),
    bearings: Sequence[str] = ("true",),
    route: Sequence[Place] = (),
    horizons: Sequence[tuple[Place, tuple[float, float, str]]] = (),
) -> Built:
    """The clicked points, the ruler's geodesic, and the user's rings, fans and radials.

    Parameters
    ----------
    clicks : sequence of Place
        Points clicked on the map, oldest first (the app keeps the last two).
    rings : sequence of (Place, tuple of float)
        Each ring centre with its radii in km.
    ruler : (Place, Place) or None, optional
        The ruler's ends, typed or clicked; by default the last two clicks, if two.
    fans : sequence of (Place, (azimuth, width, min km, max km))
        Range fans (:func:`layers.features.fan_record`).
    radials : sequence of (Place, (count, length km, first bearing))
        Radials; one is a line of bearing (:func:`layers.features.radial_records`).
    bearings : sequence of str
        The ruler's bearings its label and popup give: any of ``true``, ``mils``,
        ``magnetic`` and ``grid`` (none: true). Its exported row has them all.
    horizons : sequence of (Place, (height m, target height m, refraction))
        Horizon rings (:func:`layers.features.horizon_records`); refraction is a key of
        :data:`geo.horizon.K_FACTORS`.
    route : sequence of Place
        Points of a route, in order: a geodesic leg between each two (role
        ``measure_line``, named ``Leg 1``, ``Leg 2``…, with the distance along the route).

    Returns
    -------
    Built
        Features with roles ``site`` (points: the clicks, a typed end, the centres),
        ``measure_line`` (the ruler), ``ring``, ``fan`` and ``radial``; no figures.
    """
    records = [point_record(p, role="site", label=f"clicked point\n{p.name}") for p in clicks]
    if ruler is None and len(clicks) == 2:
        ruler = (clicks[0], clicks[1])
    if ruler is not None:
        a, b = ruler
        records += [point_record(p, role="site") for p in ruler if p not in clicks]
        bear = bearing(a.lon, a.lat, b.lon, b.lat)  # every north, for the exports' tables
        said = bearing_words(bear, bearings)
        record = line_record(
            a.lon,
            a.lat,
            b.lon,
            b.lat,
            name="Ruler",
            azimuth_mils=bear.azimuth_mils,
            back_azimuth_deg=bear.back_azimuth_deg,
            magnetic_azimuth_deg=bear.magnetic_azimuth_deg,
            declination_deg=bear.declination_deg,
            magnetic_model=f"{bear.magnetic_model} {bear.magnetic_date}",
            grid_azimuth_deg=bear.grid_azimuth_deg,
            utm_zone=bear.utm_zone,
            bearings=said,
        )
        record["label"] = f"Ruler: {km_mi(record['distance_km'])}, bearing {said}"
        records.append(record)
    if len(route) >= 2:
        _, _, along = legs([p.lon for p in route], [p.lat for p in route])
        for i, (a, b) in enumerate(itertools.pairwise(route)):
            leg = line_record(a.lon, a.lat, b.lon, b.lat, name=f"Leg {i + 1}")
            leg["along_km"] = float(along[i]) / 1000.0
            leg["label"] += f"\nalong the route: {km_mi(leg['along_km'])}"
            records.append(leg)
    for place, (height_m, target_m, kind) in horizons:
        seen = horizon(height_m, target_m, k=K_FACTORS[kind])
        records.append(point_record(place))
        records += horizon_records(place, seen, height_m, target_m, kind)
    for place, radii_km in rings:
        records.append(point_record(place))
        records += ring_records(place, radii_km, seed="your rings")
    for place, (azimuth, width, low, high) in fans:
        records.append(point_record(place))
        records.append(fan_record(place, azimuth, width, low, high))
    for place, (count, length_km, first) in radials:
        records.append(point_record(place))
        records += radial_records(place, count, length_km, first_deg=first)
    return Built(frame(records))


BEARING_WORDS = {
    "true": lambda b: f"{b.azimuth_deg:03.0f}°",
    "mils": lambda b: f"{b.azimuth_mils:04.0f} mils",
    "magnetic": lambda b: f"{b.magnetic_azimuth_deg:03.0f}° magnetic",
    "grid": lambda b: f"{b.grid_azimuth_deg:03.0f}° grid",
}


def bearing_words(bear: Bearing, shown: Sequence[str]) -> str:
    """A bearing as the setting asks: ``120° · 2126 mils · 111° magnetic`` (none: true).

    A figure that is not known (grid beyond 84°N, magnetic once the model has expired)
    is left out.
    """
    parts = [
        BEARING_WORDS[k](bear)
        for k in BEARING_WORDS
        if k in shown and "nan" not in BEARING_WORDS[k](bear)
    ]
    return " · ".join(parts) or BEARING_WORDS["true"](bear)


USER_MARKS = LayerSpec(
    id="user",
    title="Your measurements",
    description="Clicked points, the ruler and your rings, fans and radials.",
    seeds=(),
    style=Style(color="#111111", weight=2, fill_color="#444444", fill_opacity=0.05),
    build=lambda: user_marks(()),  # no marks yet
    group="user",
    labels=(
        LabelRule("measure_line", length_and_bearing, FIGURE, "line"),
        LabelRule("ring", radius, RING, "ring"),
        LabelRule("fan", fan_ranges, MEASURE, "area"),
        LabelRule("radial", bearing_only, SITE, "line"),
    ),
)
