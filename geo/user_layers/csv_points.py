"""CSV: points from latitude and longitude (or MGRS) columns."""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections.abc import Iterable
from typing import Any, NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.coords import parse_coordinates
from geo.errors import FileInputError, GeoInputError
from geo.user_layers.files import _shown, _stem
from geo.user_layers.finish import _METRES_THRESHOLD
from geo.user_layers.limits import MAX_COLUMNS, Limits, _Raw
from geo.user_layers.text import _clean_text, _unique

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_LAT_NAMES = ("latitude", "lat", "y")
_LON_NAMES = ("longitude", "lon", "lng", "long", "x")
# Byte order marks, UTF-32 before the UTF-16 mark it starts with.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The ANSI code pages Excel saves "CSV" in around the Baltic flank, in order of preference.
_LEGACY = (
    ("cp1250", "Windows-1250 (Central European: Polish, Czech)"),
    ("cp1257", "Windows-1257 (Baltic: Lithuanian, Latvian, Estonian)"),
    ("cp1251", "Windows-1251 (Cyrillic: Belarusian, Russian, Ukrainian)"),
)
# Latin letters beyond ASCII of Polish, Lithuanian, Latvian, Estonian, German and
# Belarusian Łacinka (Cyrillic letters are counted as a block).
_REGION_LOWER = "ąćęłńóśźż" + "čėįšųūž" + "āēģīķļņ" + "õäöü" + "ŭ"
_REGION_LETTERS = frozenset(_REGION_LOWER + _REGION_LOWER.upper() + "ß")


def _read_csv(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    text, encoding_note = _decode_text(data, name)
    header, rows, numbers = _csv_records(text, name, limits)
    table = pd.DataFrame(rows, columns=header, dtype=object)
    lat_i, lon_i = _find_column(header, _LAT_NAMES), _find_column(header, _LON_NAMES)
    mgrs_i = _find_column(header, ("mgrs",))
    if lat_i is not None and lon_i is not None:
        lons, lats = _csv_degrees(table, header[lon_i], header[lat_i], numbers, name)
        _check_csv_ranges(lons, lats, header[lon_i], header[lat_i], numbers, name)
        table[header[lat_i]], table[header[lon_i]] = lats, lons
    elif mgrs_i is not None:
        lons, lats = _csv_mgrs(table[header[mgrs_i]], header[mgrs_i], numbers, name)
    else:
        _no_coordinate_columns(header, lat_i, lon_i, name)
    present = ~np.isnan(lons)
    geoms = np.full(len(rows), None, dtype=object)
    geoms[present] = shapely.points(lons[present], lats[present])
    column = _unique("geometry", header)  # a "geometry" column of the file is kept
    frame = gpd.GeoDataFrame(table.assign(**{column: geoms}), geometry=column, crs=4326)
    notes = [encoding_note] if encoding_note else []
    return [_Raw(_stem(name), frame, "row", numbers, notes)]


def _decode_text(data: bytes, name: str) -> tuple[str, str | None]:
    """The file's text, and a note if its encoding had to be assumed.

    A byte order mark (UTF-8, UTF-16, UTF-32) is obeyed and then text that reads as UTF-8
    is UTF-8: text in another encoding almost never does. Otherwise the file is taken to
    be in one of the Windows code pages Excel writes in the region (:data:`_LEGACY`).
    Those decode almost any bytes, so no rule can *detect* which one was used: the one
    whose non-ASCII characters are most often letters of the region's alphabets is
    assumed (ties go to the first listed), and a note names it so the user can check.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise FileInputError(
                    f"'{name}' starts with a {encoding.upper()} byte order mark but byte "
                    f"{exc.start + 1} cannot be read as {encoding.upper()}: save it as "
                    "'CSV UTF-8'"
                ) from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if b"\x00" in data:  # binary, or UTF-16 without its byte order mark
            raise FileInputError(
                f"'{name}' is not UTF-8 text (byte {exc.start + 1} cannot be read, and it "
                "holds NUL bytes): save it as 'CSV UTF-8'"
            ) from None
    guess = _guess_legacy(data)
    if guess is None:
        raise FileInputError(
            f"'{name}' is not UTF-8 text, nor in a Windows code page of the region: save it "
            "as 'CSV UTF-8'"
        )
    encoding, label = guess
    return data.decode(encoding), (
        f"the file is not UTF-8: read as {label}; check that names with accents or "
        "Cyrillic letters read correctly, or save it as 'CSV UTF-8'"
    )


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """The region's Windows code page (codec, label) that fits ``data`` best, if any.

    Those code pages decode almost any bytes, so this is a guess: the one whose non-ASCII
    characters are most often letters of the region's alphabets (ties to the first).
    """
    scored = []
    for rank, (encoding, label) in enumerate(_LEGACY):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue  # a byte this code page leaves undefined
        scored.append((_regional_share(text), -rank, encoding, label))
    if not scored:
        return None
    _, _, encoding, label = max(scored)
    return encoding, label


def _regional_share(text: str) -> float:
    """Share of the non-ASCII characters that are letters of the region's alphabets."""
    foreign = [ch for ch in text if ord(ch) > 127]
    return sum(ch in _REGION_LETTERS or "\u0400" <= ch <= "\u04ff" for ch in foreign) / len(foreign)


def _csv_records(text: str, name: str, limits: Limits) -> tuple[list[str], list[list[str]], Any]:
    """Header, rows padded to its width, and each row's number as a spreadsheet shows it."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, numbers, header = [], [], None
    try:
        for number, row in enumerate(reader, start=1):
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = _csv_header(row, name)
            elif len(row) > len(header):
                raise FileInputError(
                    f"'{name}': row {number} has {len(row)} values but the header has "
                    f"{len(header)} columns"
                )
            elif len(rows) >= limits.max_features:
                raise FileInputError(
                    f"'{name}' has more than {limits.max_features:,} rows (the limit)"
                )
            else:
                rows.append(row + [""] * (len(header) - len(row)))
                numbers.append(number)
    except csv.Error as exc:
        raise FileInputError(
            f"'{name}' is not a readable CSV file (near row {reader.line_num}: {exc})"
        ) from None
    if header is None:
        raise FileInputError(f"'{name}' is empty")
    return header, rows, np.asarray(numbers, dtype=int)


def _csv_header(row: list[str], name: str) -> list[str]:
    if len(row) > MAX_COLUMNS:
        raise FileInputError(
            f"'{name}' has {len(row):,} columns, over the limit of {MAX_COLUMNS:,}"
        )
    header: list[str] = []
    for i, cell in enumerate(row, start=1):
        key = _clean_text(cell).strip()[:100] or f"column {i}"
        header.append(_unique(key, header))
    return header


def _find_column(header: list[str], names: Iterable[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _no_coordinate_columns(
    header: list[str], lat_i: int | None, lon_i: int | None, name: str
) -> NoReturn:
    if (lat_i is None) != (lon_i is None):
        found, missing = ("latitude", "longitude") if lon_i is None else ("longitude", "latitude")
        names = "lon, lng, long, longitude or x" if lon_i is None else "lat, latitude or y"
        raise FileInputError(f"'{name}' has a {found} column but no {missing} column ({names})")
    shown = ", ".join(" ".join(h.split()) for h in header[:10]) + (
        ", …" if len(header) > 10 else ""
    )
    raise FileInputError(
        f"'{name}' has no coordinate columns: expected latitude and longitude columns "
        f"(lat/latitude/y and lon/lng/long/longitude/x) or an 'mgrs' column; found {shown}"
    )


def _csv_degrees(
    table: pd.DataFrame, lon_col: str, lat_col: str, numbers: np.ndarray, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes as floats; NaN where a row has neither."""
    lons, lats = np.full(len(table), np.nan), np.full(len(table), np.nan)
    for k, (lon_text, lat_text) in enumerate(zip(table[lon_col], table[lat_col], strict=True)):
        if not lon_text.strip() and not lat_text.strip():
            continue  # a row without a place: dropped and counted later
        row = numbers[k]
        lons[k] = _csv_number(lon_text, f"column '{lon_col}'", row, name)
        lats[k] = _csv_number(lat_text, f"column '{lat_col}'", row, name)
    return lons, lats


def _csv_number(text: str, what: str, row: int, name: str) -> float:
    value = text.strip()
    if not value:
        raise FileInputError(f"'{name}': row {row} has no value in {what}")
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")  # a decimal comma
    try:
        number = float(value)
    except ValueError:
        raise FileInputError(
            f"'{name}': row {row}: {_shown(text)} in {what} is not a number in decimal degrees"
        ) from None
    if not math.isfinite(number):
        raise FileInputError(
            f"'{name}': row {row}: {what} holds {_shown(text)}, not a finite number"
        )
    return number


def _check_csv_ranges(
    lons: np.ndarray,
    lats: np.ndarray,
    lon_col: str,
    lat_col: str,
    numbers: np.ndarray,
    name: str,
) -> None:
    with np.errstate(invalid="ignore"):
        bad_lat, bad_lon = np.abs(lats) > 90, np.abs(lons) > 180
    if not (bad_lat.any() or bad_lon.any()):
        return
    k = int(np.argmax(bad_lat | bad_lon))
    if max(np.nanmax(np.abs(lons)), np.nanmax(np.abs(lats))) > _METRES_THRESHOLD:
        raise FileInputError(
            f"'{name}' seems to hold projected coordinates, not degrees: row {numbers[k]} has "
            f"{lat_col} {lats[k]:,.0f} and {lon_col} {lons[k]:,.0f}, which look like metres; "
            "a CSV must give WGS84 latitude and longitude in decimal degrees"
        )
    lon_fit = np.nanmax(np.abs(lons)) <= 90 and np.nanmax(np.abs(lats)) <= 180
    if bad_lat.any() and lon_fit:
        raise FileInputError(
            f"'{name}': the columns '{lat_col}' and '{lon_col}' look swapped: '{lat_col}' holds "
            f"{lats[k]:g} in row {numbers[k]}, beyond the ±90 a latitude can be, while every "
            f"'{lon_col}' value fits as a latitude"
        )
    axis, value, bound = (lat_col, lats[k], 90) if bad_lat[k] else (lon_col, lons[k], 180)
    raise FileInputError(
        f"'{name}': row {numbers[k]}: {axis} {value:g} is outside -{bound}…{bound} degrees"
    )


def _csv_mgrs(
    column: pd.Series, col: str, numbers: np.ndarray, name: str
) -> tuple[np.ndarray, np.ndarray]:
    lons, lats = np.full(len(column), np.nan), np.full(len(column), np.nan)
    for k, text in enumerate(column):
        if not text.strip():
            continue
        try:
            lons[k], lats[k] = parse_coordinates(text)
        except GeoInputError:
            raise FileInputError(
                f"'{name}': row {numbers[k]}: cannot read {_shown(text)} in column '{col}' as "
                "an MGRS reference such as 35ULA8910661342"
            ) from None
    return lons, lats
