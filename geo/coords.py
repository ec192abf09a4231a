"""Reading and writing coordinates: decimal degrees, DMS and MGRS.

People type latitude first (``54.6872, 25.2797``); inside the code a point is
``(lon, lat)``. The parsers here are the one place where that order flips.
"""

from __future__ import annotations

import re
import warnings

import mgrs

from geo.errors import GeoInputError

__all__ = ["format_dd", "format_dms", "format_mgrs", "looks_like_coordinates", "parse_coordinates"]

_MGRS = mgrs.MGRS()
_JUST_SOUTH = -1e-6  # degrees: 11 cm south of the equator, inside the first 1 m square south
# UTM zones 1-60 with bands C-X, or the polar UPS zones A, B, Y, Z; then the 100 km square
# and up to 11 digits per axis (GeographicLib writes that many, down to a micrometre).
_MGRS_RE = re.compile(r"(\d{1,2}[C-HJ-NP-X]|[ABYZ])([A-HJ-NP-Z]{2})(\d{0,22})")
# Easting and northing in decimal metres, apart (chrisveness/geodesy: 12S TC 52000.1 86000.1).
_MGRS_DECIMAL_RE = re.compile(
    r"(\d{1,2}\s*[C-HJ-NP-X]|[ABYZ])\s*([A-HJ-NP-Z]{2})\s*(\d{5})\.\d*\s+(\d{5})\.\d*"
)
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"  # 54, 54.5, 60. and .5
_COLON_DMS_RE = re.compile(rf"[+-]?{_NUMBER}(?::{_NUMBER}){{1,2}}")  # 54:41:14.5, 04:.15
# One component of an angle: a number and its mark, if any (54°, 41', 14.5").
_COMPONENT_RE = re.compile(rf"\s*([+-]?)({_NUMBER})\s*([°'\"]?)")
_HEMI_PREFIX_RE = re.compile(r"([NSEW])([^NSEW]+)")
_HEMI_SUFFIX_RE = re.compile(r"([^NSEW]+?)([NSEW])")
# Degree, minute and second marks spelled out. Single letters are not units (S is south),
# except a D right after a number: the degree sign of keyboards without one (54d41'N).
_UNIT_WORDS = {"DEG": "°", "MIN": "'", "SEC": '"'}
_UNIT_WORDS_RE = re.compile("|".join(_UNIT_WORDS))
_DIGIT_D_RE = re.compile(r"(?<=\d)D")
# A hemisphere letter in brackets, as NGS datasheets print it: 39 13 26.71220(N).
_BRACKETED_HEMI_RE = re.compile(r"\(\s*([NSEW])\s*\)")
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
    0.5; a bracketed hemisphere as NGS datasheets print it (``39 13 26.7(N)``). A number
    counts in the unit of its mark (``4d9"`` is 4° 0′ 9″), an unmarked one in the unit
    after the one before; minutes and seconds are under 60, or 60.0 where a formatter
    rounded 59.96 up. An MGRS reference names a grid square and is read as the square's
    centre; digits finer than a metre are dropped (``38SMB4414060084706300``,
    ``12S TC 52000.1 86000.1``). What stays ambiguous is refused: three numbers with no
    separator or mark, a dash between two numbers, colons anywhere but between D, M and S,
    marks out of order (``4d5"4'``), decimals before the last of D, M and S.

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
    >>> [round(v, 6) for v in parse_coordinates("35ULA8910661342")]  # its 1 m square's centre
    [25.279708, 54.687196]
    >>> [round(v, 6) for v in parse_coordinates("54:41:14N 25d16'47''E")]
    [25.279722, 54.687222]
    >>> parse_coordinates("−33.857, 151.215")  # a spreadsheet's minus sign
    (151.215, -33.857)
    >>> parse_coordinates('4d9", 4.0025')  # 4° 0′ 9″: the mark, not the place, sets the unit
    (4.0025, 4.0025)
    >>> [round(v, 6) for v in parse_coordinates("38SMB4414060084706300")]  # read to 1 m
    [44.4, 33.300001]

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
    reference = _mgrs_reference(norm)
    if reference:
        return _parse_mgrs(reference, raw)
    norm = _BRACKETED_HEMI_RE.sub(r"\1", norm)
    norm = _UNIT_WORDS_RE.sub(lambda m: _UNIT_WORDS[m.group()], norm)
    if re.search(r"[NSEW]", norm):
        lon, lat = _parse_hemispheres(norm, raw)
    else:
        lon, lat = _parse_signed(norm, raw)
    return _checked(lon, lat, raw)


def _mgrs_reference(norm: str) -> str | None:
    """The reference in the form the mgrs package reads, or None if ``norm`` is not one.

    Digits finer than a metre are dropped, as a reference names the square that holds the
    point: 38SMB4414060084706300 and 12S TC 52000.123 86000.123 are read to the metre.
    """
    match = _MGRS_RE.fullmatch(re.sub(r"\s+", "", norm))
    if match:
        zone, square, digits = match.groups()
        if len(digits) % 2:
            return None
        half = len(digits) // 2
        return zone + square + digits[:half][:5] + digits[half:][:5]
    match = _MGRS_DECIMAL_RE.fullmatch(norm.strip())
    if match:
        zone, square, easting, northing = match.groups()
        return re.sub(r"\s+", "", zone) + square + easting + northing
    return None


def _parse_mgrs(reference: str, raw: str) -> tuple[float, float]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lat, lon = _MGRS.toLatLon(reference)
        except Exception as exc:  # the C library raises a bare MGRSError
            raise GeoInputError(f"'{raw}' is not a valid MGRS reference ({exc})") from None
    if any("Latitude Warning" in str(w.message) for w in caught):
        # GEOTRANS places the square where it is and only warns: a value that contradicts
        # the reference's own band letter (or an old-lettering reference) is not returned.
        raise GeoInputError(
            f"'{raw}' is not a consistent MGRS reference: its 100 km square does not lie in "
            "its latitude band; check the band letter (or whether it uses the old lettering)"
        )
    return float(lon), float(lat)


def _dms_value(chunk: str, raw: str) -> float:
    """Turn '54°41′14.5″', '54 41 14.5' or '54:41:14.5' into degrees.

    A number counts in the unit of its mark, an unmarked one in the unit after the one
    before it (degrees first), as GeographicLib's DMS::Decode reads ``4d9"`` (4° 0′ 9″) and
    ``33d10`` (33° 10′). Units only go down, only the last may have decimals, and minutes
    and seconds stay under 60, or at 60.0: a 59.96 rounded to one decimal.
    """
    text = _DIGIT_D_RE.sub("°", chunk.replace(",", " ").replace(";", " ")).strip()
    if ":" in text:  # 54:41:14, as GPS units and spreadsheets write it: colons only between
        text = re.sub(r"\s*:\s*", ":", text)  # and nothing else: no marks, no spaces
        if not _COLON_DMS_RE.fullmatch(text):
            raise GeoInputError(f"cannot read '{chunk.strip()}' in '{raw}' as D:M:S")
        text = text.replace(":", " ")
    parts: list[tuple[str, int]] = []  # (number, unit: 0 degrees, 1 minutes, 2 seconds)
    for sign, number, mark in _components(text, chunk, raw):
        unit = "°'\"".index(mark) if mark else (parts[-1][1] + 1 if parts else 0)
        if unit > 2 or (parts and (sign or unit <= parts[-1][1])):
            raise GeoInputError(
                f"cannot read '{chunk.strip()}' in '{raw}' as degrees, minutes and seconds"
            )
        parts.append((sign + number, unit))
    if any("." in number for number, _ in parts[:-1]):
        raise GeoInputError(
            f"cannot read '{chunk.strip()}' in '{raw}': only the last of degrees, minutes "
            "and seconds may have decimals"
        )
    if any(float(n) > 60 or (float(n) == 60 and "." not in n) for n, u in parts if u > 0):
        raise GeoInputError(f"minutes and seconds must be under 60 in '{raw}'")
    sign = -1.0 if parts[0][0].startswith("-") else 1.0
    return sign * sum(abs(float(number)) / 60**unit for number, unit in parts)


def _components(text: str, chunk: str, raw: str) -> list[tuple[str, str, str]]:
    """Split '54°41'14.5"' into (sign, number, mark) triples; refuse anything else."""
    found, pos = [], 0
    while pos < len(text):
        match = _COMPONENT_RE.match(text, pos)
        if not match:
            break
        found.append(match.groups())
        pos = match.end()
    if not found or pos < len(text):
        raise GeoInputError(
            f"cannot read '{chunk.strip()}' in '{raw}' as degrees, minutes and seconds"
        )
    return found


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
    lat, lon = (_dms_value(c, raw) for c in chunks)
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
    >>> format_mgrs(0.0, -2.2e-08)  # 2 mm south of the equator: the square south of it
    '31MAV6602199999'
    """
    if _JUST_SOUTH < lat < 0.0:
        # The library rounds a northing within ~5 mm of the equator up to 10,000,000 m and
        # writes the first square of band M (31MAA6602100000), a reference that names no
        # square and that it then refuses to read. 11 cm south is in the same square.
        lat = _JUST_SOUTH
    try:
        return _MGRS.toMGRS(lat, lon, MGRSPrecision=precision)
    except Exception as exc:  # polar points have no UTM zone
        raise GeoInputError(f"no MGRS reference for {format_dd(lon, lat)}: {exc}") from None
