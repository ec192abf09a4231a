"""Forces: units and facilities the seeds name, with symbols, dates, sources and uncertainty.

Each row of ``data/forces.csv`` is one unit: where it is (``lat``, ``lon``, and how sure,
``uncertainty_km``: the radius of the disc it lies in), when it was there (``from`` and
``to``, ISO dates, either left empty when not known), what it is (a 20-digit SIDC of
MIL-STD-2525D / APP-6 D, which ``milsymbol`` draws), and who says so (``citation``).

A laydown "as of" a date holds the units whose ``from`` is on or before it and whose
``to`` is on or after it. A distance from an uncertain unit is a range: from the nearest
to the farthest point of its disc, geodesic (:func:`distance_range_km`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.data import DATA_DIR, _read_csv
from geo.errors import DataFileError, GeoInputError
from geo.rings import ring_vertices
from geo.territories import distance_to_territory

__all__ = [
    "EARLIEST",
    "FORCE_COLUMNS",
    "LATEST",
    "SIDES",
    "SYMBOL_SETS",
    "as_of",
    "check_sidc",
    "distance_range_km",
    "forces",
    "laydown_date",
    "validate_forces",
]

FORCE_COLUMNS = (
    "id",
    "name",
    "side",
    "echelon",
    "sidc",
    "lat",
    "lon",
    "uncertainty_km",
    "from",
    "to",
    "citation",
    "note",
)
SIDES = ("RU", "BY", "NATO", "UA", "other")
# MIL-STD-2525D / APP-6 D symbol sets (positions 5-6 of a SIDC).
SYMBOL_SETS = {
    "01": "air",
    "02": "air missile",
    "05": "space",
    "06": "space missile",
    "10": "land unit",
    "11": "land civilian unit/organization",
    "15": "land equipment",
    "20": "land installation",
    "25": "control measure",
    "27": "dismounted individual",
    "30": "sea surface",
    "35": "sea subsurface",
    "36": "mine warfare",
    "40": "activity/event",
    "45": "atmospheric",
    "46": "oceanographic",
    "47": "meteorological space",
    "50": "signals intelligence space",
    "51": "signals intelligence air",
    "52": "signals intelligence land",
    "53": "signals intelligence surface",
    "54": "signals intelligence subsurface",
    "60": "cyberspace",
}
_SIDC = re.compile(r"\d{20}")
RANGE_VERTICES = 64  # points on an uncertainty disc's edge, for the farthest distance


def check_sidc(sidc: str) -> str:
    """A 20-digit SIDC (MIL-STD-2525D / APP-6 D), checked field by field.

    Parameters
    ----------
    sidc : str
        Version (2 digits), context, standard identity, symbol set (2), status,
        headquarters/task force/dummy, echelon or amplifier (2), entity (6), modifiers
        (2 + 2).

    Returns
    -------
    str
        The SIDC, stripped.

    Raises
    ------
    GeoInputError
        Naming the field that is wrong.

    Examples
    --------
    A hostile mechanized infantry regiment; a friendly battalion task force:

    >>> check_sidc("10061000171211020000"), check_sidc(" 10031004161211023900 ")
    ('10061000171211020000', '10031004161211023900')
    >>> check_sidc("SFGPUCI----D")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: SIDC 'SFGPUCI----D' is not 20 digits (MIL-STD-2525D / APP-6 D)
    """
    text = str(sidc).strip()
    if not _SIDC.fullmatch(text):
        raise GeoInputError(f"SIDC {text!r} is not 20 digits (MIL-STD-2525D / APP-6 D)")
    problems = []
    if text[0:2] not in ("10", "11", "13", "14", "15"):
        problems.append(f"version {text[0:2]} is not 10 (D) or 11-15 (later editions)")
    if text[2] not in "012":
        problems.append(f"context {text[2]} is not 0 (reality), 1 (exercise) or 2 (simulation)")
    if text[3] not in "0123456":
        problems.append(f"standard identity {text[3]} is not 0-6")
    if text[4:6] not in SYMBOL_SETS:
        problems.append(f"symbol set {text[4:6]} is not one of the standard's")
    if text[6] not in "012345":
        problems.append(f"status {text[6]} is not 0-5")
    if problems:
        raise GeoInputError(f"SIDC {text!r}: {'; '.join(problems)}")
    return text


def _date(value: str, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise GeoInputError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def validate_forces(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check every row of a forces table; a bad value is an error naming its row.

    Parameters
    ----------
    table : DataFrame
        Text columns :data:`FORCE_COLUMNS` (``note`` may be empty).
    source : str
        The file's name, for messages.

    Returns
    -------
    DataFrame
        ``lat``, ``lon``, ``uncertainty_km`` as floats (0 when certain), ``from`` and
        ``to`` as dates (None when not known).

    Raises
    ------
    GeoInputError
        For the first bad row: its number and id, and what is wrong.

    Examples
    --------
    >>> row = dict(zip(FORCE_COLUMNS, ["u1", "Unit", "RU", "regiment",
    ...     "10061000171211020000", "54.5", "33.2", "", "2016-01-12", "", "a source", ""]))
    >>> validate_forces(pd.DataFrame([row]), "x.csv")[["lat", "uncertainty_km"]].values.tolist()
    [[54.5, 0.0]]
    >>> validate_forces(pd.DataFrame([{**row, "lat": "95"}]), "x.csv")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: x.csv row 2 (u1): latitude '95' is not a number in -90…90
    """
    rows = []
    seen: set[str] = set()
    for number, record in enumerate(table.to_dict("records"), start=2):  # 1 is the header
        ident = str(record.get("id", "")).strip()
        try:
            rows.append(_checked(record, ident, seen))
        except GeoInputError as exc:
            raise GeoInputError(f"{source} row {number} ({ident or 'no id'}): {exc}") from None
        seen.add(ident)
    return pd.DataFrame(rows, columns=list(FORCE_COLUMNS))


def _checked(record: dict, ident: str, seen: set[str]) -> dict:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
        raise GeoInputError(f"id {ident!r} is not lower-case letters, digits and _")
    if ident in seen:
        raise GeoInputError(f"id {ident!r} is used twice")
    if str(record.get("side", "")) not in SIDES:
        raise GeoInputError(f"side {record.get('side')!r} is not one of {', '.join(SIDES)}")
    if not str(record.get("citation", "")).strip():
        raise GeoInputError("no citation: every position needs its source")
    lat = _number(record.get("lat"), "latitude", -90.0, 90.0)
    lon = _number(record.get("lon"), "longitude", -180.0, 180.0)
    radius = _number(record.get("uncertainty_km") or "0", "uncertainty_km", 0.0, 1000.0)
    start = _date(str(record.get("from", "")).strip(), "from")
    end = _date(str(record.get("to", "")).strip(), "to")
    if start and end and end < start:
        raise GeoInputError(f"'to' {end} is before 'from' {start}")
    return {
        **{k: str(record.get(k, "")).strip() for k in FORCE_COLUMNS},
        "sidc": check_sidc(record.get("sidc", "")),
        "lat": lat,
        "lon": lon,
        "uncertainty_km": radius,
        "from": start,
        "to": end,
    }


def _number(value: object, what: str, low: float, high: float) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and low <= number <= high):
        raise GeoInputError(f"{what} {str(value)!r} is not a number in {low:g}…{high:g}")
    return number


@lru_cache(maxsize=1)
def forces() -> pd.DataFrame:
    """The units of ``data/forces.csv``, validated (see :func:`validate_forces`).

    Raises
    ------
    DataFileError
        If the file is missing or a row is bad (naming the row).

    Examples
    --------
    >>> table = forces().set_index("id")
    >>> table.loc["klintsy_regiment", ["side", "sidc"]].tolist()
    ['RU', '10061000171211020000']
    """
    try:
        return validate_forces(_read_csv("forces.csv", FORCE_COLUMNS), "data/forces.csv")
    except GeoInputError as exc:
        raise DataFileError(f"{DATA_DIR / 'forces.csv'}: {exc}") from None


def as_of(table: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """The units there on a date: ``from`` on or before it, ``to`` on or after it.

    A unit with no ``from`` (or no ``to``) is taken to have been there since (or until)
    any date.

    Examples
    --------
    >>> f = forces()
    >>> sorted(as_of(f, dt.date(2017, 3, 1))["id"])
    ['efp_lithuania', 'klintsy_regiment', 'polonez_brigade', 'yelnia_regiment']
    >>> len(as_of(f, dt.date(2017, 6, 19)))  # the day the last battlegroup was inaugurated
    7
    """
    starts = table["from"].map(lambda d: d is None or d <= on)
    ends = table["to"].map(lambda d: d is None or d >= on)
    return table[starts & ends]


EARLIEST = dt.date(1900, 1, 1)  # a laydown date before this or after LATEST is a typo
LATEST = dt.date(2100, 12, 31)


def laydown_date(value: str | dt.date | None) -> dt.date:
    """The date a laydown is shown as of: an ISO date, or today (UTC) when empty.

    Parameters
    ----------
    value : str, datetime.date or None
        ``YYYY-MM-DD``; ``""``, ``"today"`` or None for today.

    Returns
    -------
    datetime.date

    Raises
    ------
    GeoInputError
        If it is not a date, or not within 1900–2100.

    Examples
    --------
    >>> laydown_date("2017-09-14")
    datetime.date(2017, 9, 14)
    >>> laydown_date("") == dt.datetime.now(dt.UTC).date()
    True
    >>> laydown_date("14/09/2017")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: as-of date '14/09/2017' is not a date (YYYY-MM-DD)
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "today")):
        return dt.datetime.now(dt.UTC).date()
    day = value if isinstance(value, dt.date) else _date(str(value).strip(), "as-of date")
    if not EARLIEST <= day <= LATEST:
        raise GeoInputError(f"as-of date {day} is not within {EARLIEST.year}–{LATEST.year}")
    return day


def distance_range_km(
    lon: float, lat: float, uncertainty_km: float, code: str
) -> tuple[float, float]:
    """The nearest and farthest distance from a disc of uncertainty to a territory, in km.

    The nearest is the centre's distance less the radius (0 if the disc touches the
    territory): the geodesic from the centre to the territory's nearest point passes a
    point of the disc's edge that much nearer, and none is nearer still. The farthest is
    the largest distance from the disc's edge (:data:`RANGE_VERTICES` points), or from
    the centre if that is farther (a disc around the territory's far side).

    Parameters
    ----------
    lon, lat : float
        The disc's centre in degrees.
    uncertainty_km : float
        Its radius (0: a point; the range is then one distance twice).
    code : str
        Territory code (see :func:`geo.territories.resolve_territory`).

    Returns
    -------
    tuple of float
        ``(nearest, farthest)`` in km.

    Examples
    --------
    The Yelnya regiment, 5 km either way, to Belarus:

    >>> [round(v, 1) for v in distance_range_km(33.18373, 54.57864, 5.0, "BY")]
    [95.1, 105.1]
    """
    centre = float(distance_to_territory([lon], [lat], code).distance_m[0]) / 1000.0
    if uncertainty_km <= 0:
        return centre, centre
    edge = ring_vertices(lon, lat, uncertainty_km * 1000.0, n=RANGE_VERTICES)[0]
    far = distance_to_territory(edge[:, 0], edge[:, 1], code).distance_m.max() / 1000.0
    return max(centre - uncertainty_km, 0.0), float(np.maximum(far, centre))
