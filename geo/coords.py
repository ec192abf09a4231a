"""Reading and writing coordinates: decimal degrees, DMS and MGRS.

People type latitude first (``54.6872, 25.2797``); inside the code a point is
``(lon, lat)``. The parsers here are the one place where that order flips.
"""

from __future__ import annotations

import re

import mgrs

from geo.errors import GeoInputError

__all__ = ["format_dd", "format_dms", "format_mgrs", "looks_like_coordinates", "parse_coordinates"]

_MGRS = mgrs.MGRS()
# UTM zones 1-60 with bands C-X, or the polar UPS zones A, B, Y, Z; then the 100 km square.
_MGRS_RE = re.compile(
    r"^(\d{1,2}[C-HJ-NP-X]|[ABYZ])[A-HJ-NP-Z]{2}(\d{2}|\d{4}|\d{6}|\d{8}|\d{10})?$"
)
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")  # 54, -54.5, .5
_COLON_DMS_RE = re.compile(r"[+-]?\d+(?:\.\d+)?(?::\d+(?:\.\d+)?){1,2}")  # 54:41:14.5
_HEMI_PREFIX_RE = re.compile(r"([NSEW])([^NSEW]+)")
_HEMI_SUFFIX_RE = re.compile(r"([^NSEW]+?)([NSEW])")
# Degree, minute and second marks. Single letters are not units (S is south), except a D
# right after a number: the degree sign of keyboards without one (54d41'N).
_UNITS_RE = re.compile(r"[°º'\"]|DEG|MIN|SEC|(?<=\d)D")
# Typographic marks people paste from Wikipedia, PDFs and word processors, mapped to ASCII:
# primes and quotes, look-alike degree signs (ring above, superscript zero, ordinal), and
# the minus sign and dashes a spreadsheet or a typesetter puts before a negative number.
_MARKS = str.maketrans(
    {
        "′": "'",
        "’": "'",
        "‘": "'",
        "´": "'",
        "″": '"',
        "”": '"',
        "“": '"',
        "º": "°",
        "˚": "°",
        "⁰": "°",
        "−": "-",
        "–": "-",
        "—": "-",
        "‒": "-",
        "‐": "-",
        "\u00a0": " ",
    }
)


def looks_like_coordinates(text: str) -> bool:
    """Return True if ``text`` should be read as coordinates rather than a place name.

    Parameters
    ----------
    text : str
        What the user typed.

    Returns
    -------
    bool
        True when the text contains a digit (no place name in our gazetteer does).

    Examples
    --------
    >>> looks_like_coordinates("54.6872, 25.2797"), looks_like_coordinates("35ULA8910661342")
    (True, True)
    >>> looks_like_coordinates("Vilnius"), looks_like_coordinates("")
    (False, False)
    """
    return any(ch.isdigit() for ch in text)


def parse_coordinates(text: str) -> tuple[float, float]:
    """Parse a point written in decimal degrees, DMS or MGRS.

    Accepted forms include ``54.6872, 25.2797`` (latitude first),
    ``54.6872N 25.2797E``, ``54°41′14″N 25°16′47″E``, ``54 41 14 N 25 16 47 E``,
    ``N54°41.23' E25°16.78'``, ``54:41:14N 25:16:47E`` and MGRS such as
    ``35ULA8910661342``. What people paste is read as what it means: ``d`` after a number
    as the degree sign (``54d41'N``); ``˚``, ``⁰`` and ``º`` as ``°``; ``’``, ``´`` and
    ``′`` as the minute mark, ``”``, ``″`` and a doubled ``''`` as the second mark; the
    minus sign ``−`` and the dashes ``–``, ``—`` as a minus before a number; ``.5`` as
    0.5. What stays ambiguous is refused: three numbers with no separator or mark, a dash
    between two numbers, colons anywhere but between D, M and S.

    Parameters
    ----------
    text : str
        The coordinates as typed.

    Returns
    -------
    tuple of float
        ``(lon, lat)`` in decimal degrees, WGS84.

    Raises
    ------
    GeoInputError
        If the text is not a point, or a value is out of range.

    Examples
    --------
    Latitude first in, ``(lon, lat)`` out; 14″ is 14/3600°:

    >>> parse_coordinates("54.6872, 25.2797")
    (25.2797, 54.6872)
    >>> [round(v, 6) for v in parse_coordinates("54°41′14″N 25°16′47″E")]
    [25.279722, 54.687222]
    >>> [round(v, 6) for v in parse_coordinates("35ULA8910661342")]  # the 1 m square's corner
    [25.279708, 54.687196]
    >>> [round(v, 6) for v in parse_coordinates("54:41:14N 25d16'47''E")]
    [25.279722, 54.687222]
    >>> parse_coordinates("−33.857, 151.215")  # a spreadsheet's minus sign
    (151.215, -33.857)

    The antimeridian and the poles are on the globe; MGRS covers the poles with its UPS
    zones (A, B, Y, Z):

    >>> parse_coordinates("0, -180"), parse_coordinates("-90, 0")
    ((-180.0, 0.0), (0.0, -90.0))
    >>> round(parse_coordinates("ZAH0000000000")[1], 4)  # within a metre of the pole
    90.0
    >>> parse_coordinates("")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: empty coordinates: expected e.g. '54.6872, 25.2797' (lat, lon)
    >>> parse_coordinates("95, 25.2797")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: latitude 95 in '95, 25.2797' is outside -90…90 (did you give
    'lon, lat'? Type latitude first)
    """
    raw = text.strip()
    if not raw:
        raise GeoInputError("empty coordinates: expected e.g. '54.6872, 25.2797' (lat, lon)")
    norm = raw.translate(_MARKS).replace("''", '"').upper()
    compact = re.sub(r"\s+", "", norm)
    if _MGRS_RE.match(compact):
        return _parse_mgrs(compact, raw)
    if re.search(r"[NSEW]", _UNITS_RE.sub(" ", norm)):
        lon, lat = _parse_hemispheres(_UNITS_RE.sub(" ", norm), raw)
    else:
        lon, lat = _parse_signed(norm, raw)
    return _checked(lon, lat, raw)


def _parse_mgrs(compact: str, raw: str) -> tuple[float, float]:
    try:
        lat, lon = _MGRS.toLatLon(compact)
    except Exception as exc:  # the C library raises a bare MGRSError
        raise GeoInputError(f"'{raw}' is not a valid MGRS reference ({exc})") from None
    return float(lon), float(lat)


def _dms_value(chunk: str, raw: str) -> float:
    """Turn '54 41 14.5' or '54:41:14.5' (degrees, minutes, seconds; 1 to 3 numbers) into
    degrees."""
    text = chunk.replace(",", " ").replace(";", " ").strip()
    if ":" in text:  # 54:41:14, as GPS units and spreadsheets write it: colons only between
        if not _COLON_DMS_RE.fullmatch(text.replace(" ", "")):
            raise GeoInputError(f"cannot read '{chunk.strip()}' in '{raw}' as D:M:S")
        text = text.replace(":", " ")
    numbers = _NUMBER_RE.findall(text)
    leftover = _NUMBER_RE.sub("", text).strip()
    if not 1 <= len(numbers) <= 3 or leftover:
        raise GeoInputError(
            f"cannot read '{chunk.strip()}' in '{raw}' as degrees, minutes and seconds"
        )
    values = [float(n) for n in numbers]
    if any(v >= 60 for v in values[1:]) or any(v < 0 for v in values[1:]):
        raise GeoInputError(f"minutes and seconds must be 0 to 59.99 in '{raw}'")
    sign = -1.0 if numbers[0].startswith("-") else 1.0
    magnitude = abs(values[0]) + sum(v / 60**i for i, v in enumerate(values[1:], start=1))
    return sign * magnitude


def _parse_hemispheres(norm: str, raw: str) -> tuple[float, float]:
    """Read two values each tagged with N, S, E or W (before or after it)."""
    pattern = _HEMI_PREFIX_RE if norm.lstrip()[:1] in "NSEW" else _HEMI_SUFFIX_RE
    parts = pattern.findall(norm)
    if pattern is _HEMI_SUFFIX_RE:
        parts = [(h, chunk) for chunk, h in parts]
        tail = _HEMI_SUFFIX_RE.sub("", norm)
    else:
        tail = _HEMI_PREFIX_RE.sub("", norm)
    if len(parts) != 2 or tail.strip(" ,;"):
        raise GeoInputError(
            f"cannot read '{raw}': expected one latitude (N/S) and one longitude (E/W)"
        )
    found: dict[str, float] = {}
    for hemi, chunk in parts:
        value = _dms_value(chunk, raw)
        if value < 0:
            raise GeoInputError(f"'{raw}' has both a minus sign and a hemisphere letter")
        axis = "lat" if hemi in "NS" else "lon"
        if axis in found:
            raise GeoInputError(
                f"'{raw}' gives two {'latitudes' if axis == 'lat' else 'longitudes'}"
            )
        found[axis] = -value if hemi in "SW" else value
    return found["lon"], found["lat"]


def _parse_signed(norm: str, raw: str) -> tuple[float, float]:
    """Read 'lat, lon' written with signs and no hemisphere letters."""
    if "," in norm or ";" in norm:
        chunks = re.split(r"[,;]", norm)
    elif "°" in norm:
        chunks = re.findall(r"[+-]?[^°]+°[^°]*?(?=\s[+-]?\d+(?:\.\d+)?\s*°|$)", norm)
    else:
        chunks = norm.split()
    chunks = [c for c in chunks if c.strip()]
    if len(chunks) != 2:
        raise GeoInputError(
            f"cannot read '{raw}' as coordinates: expected 'lat, lon' such as "
            "'54.6872, 25.2797', DMS such as 54°41′14″N 25°16′47″E, or MGRS"
        )
    lat, lon = (_dms_value(_UNITS_RE.sub(" ", c), raw) for c in chunks)
    return lon, lat


def _checked(lon: float, lat: float, raw: str) -> tuple[float, float]:
    if not -90.0 <= lat <= 90.0:
        hint = " (did you give 'lon, lat'? Type latitude first)" if -90 <= lon <= 90 else ""
        raise GeoInputError(f"latitude {lat:g} in '{raw}' is outside -90…90{hint}")
    if not -180.0 <= lon <= 180.0:
        raise GeoInputError(f"longitude {lon:g} in '{raw}' is outside -180…180")
    return lon, lat


def format_dd(lon: float, lat: float, *, decimals: int = 5) -> str:
    """Format a point as decimal degrees with hemisphere letters, latitude first.

    Parameters
    ----------
    lon, lat : float
        The point in degrees.
    decimals : int, optional
        Decimal places (5 is about 1 m).

    Returns
    -------
    str
        For example ``54.68720°N 25.27970°E``.

    Examples
    --------
    >>> format_dd(25.2797, 54.6872)
    '54.68720°N 25.27970°E'
    >>> format_dd(-180.0, -90.0, decimals=1)
    '90.0°S 180.0°W'
    """
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.{decimals}f}°{ns} {abs(lon):.{decimals}f}°{ew}"


def _dms(value: float, positive: str, negative: str, width: int) -> str:
    total = round(abs(value) * 36000)  # tenths of a second, rounded once
    degrees, rest = divmod(total, 36000)
    minutes, tenths = divmod(rest, 600)
    hemi = positive if value >= 0 else negative
    return f"{degrees:0{width}d}°{minutes:02d}′{tenths / 10:04.1f}″{hemi}"


def format_dms(lon: float, lat: float) -> str:
    """Format a point as degrees, minutes and seconds, latitude first.

    Parameters
    ----------
    lon, lat : float
        The point in degrees.

    Returns
    -------
    str
        For example ``54°41′13.9″N 025°16′46.9″E``.

    Examples
    --------
    0.6872° is 41′ 13.92″ and 0.2797° is 16′ 46.92″; seconds are rounded to a tenth
    once, so 59.99″ carries into the minutes and degrees:

    >>> format_dms(25.2797, 54.6872)
    '54°41′13.9″N 025°16′46.9″E'
    >>> format_dms(25.99999, 54.99999)
    '55°00′00.0″N 026°00′00.0″E'
    >>> format_dms(-180.0, -90.0)
    '90°00′00.0″S 180°00′00.0″W'
    """
    return f"{_dms(lat, 'N', 'S', 2)} {_dms(lon, 'E', 'W', 3)}"


def format_mgrs(lon: float, lat: float, *, precision: int = 5) -> str:
    """Format a point as an MGRS reference.

    Parameters
    ----------
    lon, lat : float
        The point in degrees: UTM zones from 80°S to 84°N, the polar UPS zones (A, B,
        Y, Z) beyond.
    precision : int, optional
        Digits per easting and northing: 5 is 1 m.

    Returns
    -------
    str
        For example ``35ULA8910661342``.

    Raises
    ------
    GeoInputError
        If the point is not a usable coordinate (NaN).

    Examples
    --------
    UTM zone 35N easting 389,106 m, northing 6,061,342 m; at the North Pole the UPS
    grid's false origin (2,000 km, 2,000 km):

    >>> format_mgrs(25.2797, 54.6872), format_mgrs(25.2797, 54.6872, precision=2)
    ('35ULA8910661342', '35ULA8961')
    >>> format_mgrs(0.0, 90.0)
    'ZAH0000000000'
    >>> format_mgrs(179.9, 0.0), format_mgrs(-179.9, 0.0)
    ('60NZF2283600000', '01NAA7716300000')
    """
    try:
        return _MGRS.toMGRS(lat, lon, MGRSPrecision=precision)
    except Exception as exc:  # polar points have no UTM zone
        raise GeoInputError(f"no MGRS reference for {format_dd(lon, lat)}: {exc}") from None
