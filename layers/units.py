"""Distance units for everything shown: km, statute miles, nautical miles.

Layer labels are built once (and cached) before anyone picks a unit, so a distance
goes into a label as a token carrying its value in km (:func:`distance_token`);
:func:`render_distances` writes every token in the chosen unit when the label is shown.
"""

from __future__ import annotations

import re

from geo.errors import UnknownNameError
from geo.measure import M_PER_KM, M_PER_MI, M_PER_NMI

UNITS = {"km": M_PER_KM, "mi": M_PER_MI, "nmi": M_PER_NMI}
_TOKEN = re.compile(r"⟦km(1?):(-?[0-9.]+(?:e-?[0-9]+)?)⟧")


def check_unit(unit: str) -> str:
    """Return ``unit`` if it is km, mi or nmi; otherwise raise a clear error."""
    if unit not in UNITS:
        raise UnknownNameError(f"unknown unit '{unit}': choose one of {', '.join(UNITS)}")
    return unit


def convert_km(km: float, unit: str) -> float:
    """A distance in km expressed in ``unit``."""
    return km * M_PER_KM / UNITS[check_unit(unit)]


def format_distance(km: float, unit: str = "km", *, both: bool = True) -> str:
    """``65.4 km (40.7 mi)``: the distance in ``unit``, with a second unit in brackets.

    The second unit is miles beside kilometres, and kilometres beside miles or nautical
    miles (the figure a reader of either can check against a metric map).

    Parameters
    ----------
    km : float
        Distance in kilometres.
    unit : str, optional
        ``km``, ``mi`` or ``nmi``.
    both : bool, optional
        Whether to add the second unit.

    Returns
    -------
    str
        The formatted distance.

    Examples
    --------
    >>> format_distance(65.4), format_distance(65.4, "nmi"), format_distance(65.4, "mi")
    ('65.4 km (40.6 mi)', '35.3 nmi (65.4 km)', '40.6 mi (65.4 km)')
    >>> format_distance(1852.0, "nmi", both=False)
    '1,000.0 nmi'
    """
    main = f"{convert_km(km, unit):,.1f} {unit}"
    second = "mi" if unit == "km" else "km"
    return f"{main} ({convert_km(km, second):,.1f} {second})" if both else main


# A metric's name ends in its unit (layers' ``metrics``): a suffix, and the unit it means.
METRIC_UNITS = (("_km2", "km²"), ("_km", "km"), ("_deg", "°"), ("_m", "m"))


def split_metric(key: str) -> tuple[str, str | None]:
    """A metric's name without its unit suffix, and the unit (None: a count).

    Examples
    --------
    >>> split_metric("width_km"), split_metric("corridor_area_km2"), split_metric("territories")
    (('width', 'km'), ('corridor_area', 'km²'), ('territories', None))
    """
    for suffix, unit in METRIC_UNITS:
        if key.endswith(suffix):
            return key.removesuffix(suffix), unit
    return key, None


def distance_token(km: float, *, both: bool = True) -> str:
    """A placeholder for a distance, written in the chosen unit when rendered (with the
    second unit unless ``both`` is False)."""
    return f"⟦km{'' if both else '1'}:{km!r}⟧"


def render_distances(text: str, unit: str = "km", *, label: bool = False) -> str:
    """Replace every distance token in ``text`` with the distance in ``unit`` (and km or mi).

    A map label (``label=True``) is shorter: ``65.4 km · 40.6 mi``, and a distance of one
    unit alone without a decimal that says nothing (``50 km``, ``31.1 mi``).

    Examples
    --------
    >>> render_distances(f"gap {distance_token(65.4)}")
    'gap 65.4 km (40.6 mi)'
    >>> render_distances(f"gap {distance_token(65.4)}", label=True)
    'gap 65.4 km · 40.6 mi'
    >>> render_distances(distance_token(50.0, both=False), label=True)
    '50 km'
    >>> render_distances(distance_token(50.0, both=False), "mi", label=True)
    '31.1 mi'
    """

    def written(m: re.Match) -> str:
        km, both = float(m.group(2)), not m.group(1)
        if not label:
            return format_distance(km, unit, both=both)
        if both:
            return format_distance(km, unit).replace(" (", " · ").removesuffix(")")
        value = convert_km(km, unit)
        return (
            f"{value:,.0f} {unit}" if abs(value - round(value)) < 0.05 else f"{value:,.1f} {unit}"
        )

    return _TOKEN.sub(written, text)


def format_duration(hours: float) -> str:
    """A time at a speed as people say it: ``2 h 53 min``, ``45 min``, ``3 d 4 h``.

    Examples
    --------
    >>> format_duration(2.8808), format_duration(0.75), format_duration(76.2)
    ('2 h 53 min', '45 min', '3 d 4 h')
    """
    minutes = round(hours * 60.0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    whole_hours = round(hours)
    return f"{whole_hours // 24} d {whole_hours % 24} h"
