"""Text from a file: control characters removed, length capped, names made unique."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from geo.user_layers.limits import MAX_TEXT_CHARS

# C0 and C1 control characters except tab and newline (carriage returns become newlines).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAME_KEYS = ("name", "title", "label")


def _clean_text(text: str) -> str:
    """Text without control characters (tab and newline stay), at most 1,000 characters."""
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{memoryview(value).nbytes:,} bytes of binary data>"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return _clean_text(json.dumps(value, ensure_ascii=False, default=str))
    return value


def _clean_properties(props: pd.DataFrame) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {}
    for col in props.columns:
        key = _unique(_clean_text(str(col)).strip()[:100] or "column", [*columns, "geometry"])
        series = props[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            series = pd.Series([_clean_value(v) for v in series], index=props.index)
        columns[key] = series
    return pd.DataFrame(columns, index=props.index)


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
