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
_TOKEN = re.compile(r"⟦km:(-?[0-9.]+(?:e-?[0-9]+)?)⟧")


def check_unit(unit: str) -> str:
    """Return ``unit`` if it is km, mi or nmi; otherwise raise a clear error."""
    if unit not in UNITS:
        raise UnknownNameError(f"unknown unit '{unit}': choose one of {', '.join(UNITS)}")
    return unit


def convert_km(km: float, unit: str) -> float:
    """A distance in km expressed in ``unit``."""
    return km * M_PER_KM / UNITS[check_unit(unit)]


def format_distance(km: float, unit: str = "km", *, also: str | None = "mi") -> str:
    """``65.4 km (40.7 mi)``: the distance in ``unit``, with a second unit in brackets.

    Parameters
    ----------
    km : float
        Distance in kilometres.
    unit : str, optional
        ``km``, ``mi`` or ``nmi``.
    also : str or None, optional
        A second unit to show in brackets (km when ``unit`` is already mi), or None.

    Returns
    -------
    str
        The formatted distance.
    """
    main = f"{convert_km(km, unit):,.1f} {unit}"
    second = "km" if also == unit else also
    return main if second is None else f"{main} ({convert_km(km, second):,.1f} {second})"


def distance_token(km: float) -> str:
    """A placeholder for a distance, written in the chosen unit when rendered."""
    return f"⟦km:{km!r}⟧"


def render_distances(text: str, unit: str = "km") -> str:
    """Replace every distance token in ``text`` with the distance in ``unit`` (and miles or km)."""
    return _TOKEN.sub(lambda m: format_distance(float(m.group(1)), unit), text)
