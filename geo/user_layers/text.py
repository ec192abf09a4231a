"""Text from a file: control and invisible characters removed, length capped, names unique."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.user_layers.limits import MAX_TEXT_CHARS

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

# C0 and C1 control characters except tab and newline (carriage returns become newlines).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible characters that can disguise a name ("Trojan Source", CVE-2021-42574): removed
# from every name, column name and text value, and counted in the layer's notes.
# * Bidirectional embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069
#   reorder what is shown ("\u202eavsc.exe" shows as "exe.csva"). The marks U+200E,
#   U+200F and U+061C are kept: they place punctuation in right-to-left text and cannot
#   reverse a run of letters.
# * Zero-width characters with no use in a name: U+200B (zero-width space), U+2060 (word
#   joiner), U+2061–U+2064 (invisible mathematical operators), U+FEFF (a byte order mark
#   inside the text) and U+00AD (soft hyphen, shown only where a line breaks).
_INVISIBLE_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u00ad]")
# The zero-width non-joiner and joiner U+200C, U+200D are spelling in Persian, Arabic and
# Indic scripts and glue emoji sequences (👩‍💻), but no script below U+0590 (Latin, Greek,
# Cyrillic, Armenian) uses them. So one is kept between two characters from U+0590 up and
# removed next to a Latin, Greek or Cyrillic character or at either end of the text.
_STRAY_JOINER_RE = re.compile(
    "(?<![\u0590-\U0010ffff])[\u200c\u200d]|[\u200c\u200d](?![\u0590-\U0010ffff])"
)
# Tag characters U+E0000–U+E007F are invisible copies of ASCII ("ASCII smuggling"); their
# one use is an emoji tag sequence (a subdivision flag: 🏴, tags, cancel tag), kept whole.
_TAGS_RE = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e007f]")
_NAME_KEYS = ("name", "title", "label")
# Property names the frame or an export uses itself, compared ignoring case as a
# GeoPackage (SQLite) compares column names: "geometry" is the frame's geometry column
# (GDAL drops a property of that name without a word), "geom" and "fid" are the geometry
# column and the feature id of a GeoPackage export (a "geom" or a text "fid" property
# makes GDAL refuse to write it). Such a property becomes "<name>_in_file".
_RESERVED_KEYS = frozenset({"geometry", "geom", "fid"})


def _count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 feature``, ``3 features``: plain words for a note or a message."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


_LISTED = 20  # items named in a note, then "and N more"


def _listed(items: list[str], limit: int = _LISTED, sep: str = ", ") -> str:
    """``a, b, c and 7 more``: the first ``limit`` items of a note's list, then a count."""
    more = len(items) - limit
    return sep.join(items[:limit]) + (f" and {more:,} more" if more > 0 else "")


@dataclass
class _TextLog:
    """What cleaning changed in one layer's text, for its notes."""

    invisible: int = 0
    renamed: dict[str, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        notes = []
        if self.renamed:
            pairs = ", ".join(f"'{old}' to '{new}'" for old, new in self.renamed.items())
            notes.append(
                f"{_count(len(self.renamed), 'property', 'properties')} renamed ({pairs}): "
                "geometry, geom and fid name the geometry and the feature id"
            )
        if self.invisible:
            notes.append(
                f"{_count(self.invisible, 'invisible character')} removed from the text "
                "(right-to-left overrides, zero-width spaces and the like can disguise a name)"
            )
        return notes


def _without_invisible(text: str) -> tuple[str, int]:
    """``text`` without the invisible characters above, and how many were removed."""
    text, removed = _INVISIBLE_RE.subn("", text)
    text, joiners = _STRAY_JOINER_RE.subn("", text)
    tags = sum(m.group(1) is None for m in _TAGS_RE.finditer(text))
    if tags:
        text = _TAGS_RE.sub(lambda m: m.group(1) or "", text)
    return text, removed + joiners + tags


def _clean_text(text: str, log: _TextLog | None = None) -> str:
    """Text without control or invisible characters (tab and newline stay), at most 1,000
    characters; the invisible ones removed are counted in ``log``."""
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text, removed = _without_invisible(text)
    if log is not None:
        log.invisible += removed
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def _clean_value(value: Any, log: _TextLog | None = None) -> Any:
    if isinstance(value, str):
        return _clean_text(value, log)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{memoryview(value).nbytes:,} bytes of binary data>"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return _clean_text(json.dumps(value, ensure_ascii=False, default=str), log)
    return value


def _clean_properties(props: pd.DataFrame) -> tuple[pd.DataFrame, _TextLog]:
    """Clean text under clean, unique column names, and a log of what changed.

    A column with a reserved name (``geometry``, ``geom`` or ``fid``, in any case) is
    renamed ``<name>_in_file``, unlike any other column of the file.
    """
    log = _TextLog()
    keys = [_clean_text(str(col), log).strip()[:100] or "column" for col in props.columns]
    columns: dict[str, pd.Series] = {}
    for i, key in enumerate(keys):
        if key.lower() in _RESERVED_KEYS:
            new = _unique(f"{key}_in_file", [*columns, *keys[i + 1 :]])
            log.renamed[key] = new
            key = new
        key = _unique(key, [*columns, "geometry"])
        series = props.iloc[:, i]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            series = _clean_series(series, log)
        elif _nested(series.dtype):  # lists, structs, binary (from GDAL's Arrow stream)
            series = pd.Series([_clean_value(v, log) for v in series], index=props.index)
        columns[key] = series
    return pd.DataFrame(columns, index=props.index), log


# Any character _clean_text removes or changes: one vectorized search finds the few values
# that need cleaning, so text that is already clean (nearly all of it) is left as it is.
_NEEDS_CLEANING_RE = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)


def _nested(dtype: object) -> bool:
    """An Arrow type that is neither text, a number, a truth value nor a time."""
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    kind = dtype.pyarrow_dtype
    simple = (
        pa.types.is_integer,
        pa.types.is_floating,
        pa.types.is_boolean,
        pa.types.is_temporal,
        pa.types.is_decimal,
        pa.types.is_null,
    )
    return not any(test(kind) for test in simple)


def _clean_series(series: pd.Series, log: _TextLog) -> pd.Series:
    """A text column cleaned as :func:`_clean_value` cleans each value.

    Only the values that need it are cleaned one by one: those that are not text (lists,
    binary), hold a character :func:`_clean_text` removes or changes, or are too long.
    The column's type is kept when nothing changes.
    """
    if series.empty:
        return series
    text = series.astype("str") if series.dtype == object else series
    is_text = series.map(type).eq(str) if series.dtype == object else series.notna()
    flagged = ~is_text & series.notna()
    checked = text.where(is_text, "")
    flagged |= checked.str.contains(_NEEDS_CLEANING_RE, regex=True).fillna(False).astype(bool)
    flagged |= checked.str.len().fillna(0).gt(MAX_TEXT_CHARS)
    if not flagged.any():
        return series
    out = series.astype(object)
    out[flagged] = [_clean_value(v, log) for v in series[flagged]]
    return out


def _names(props: pd.DataFrame, ordinals: np.ndarray) -> list[str]:
    lowered = {str(c).lower(): c for c in reversed(props.columns)}  # the first one wins
    col = next((lowered[k] for k in _NAME_KEYS if k in lowered), None)
    values = props[col].tolist() if col is not None else [None] * len(props)
    names = []
    for value, ordinal in zip(values, ordinals, strict=True):
        text = "" if _is_missing(value) else _clean_text(str(value)).strip()
        names.append(text or f"feature {ordinal}")
    return names


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list-like value is not missing
        return False


def _unique(key: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    if key not in taken:
        return key
    n = 2
    while f"{key} ({n})" in taken:
        n += 1
    return f"{key} ({n})"
