"""Reading the layers of a file through GDAL (pyogrio), from memory."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio

from geo.errors import FileInputError
from geo.user_layers.files import _stem
from geo.user_layers.limits import Limits, _Raw
from geo.user_layers.text import _CONTROL_RE, _unique

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_VSIMEM_RE = re.compile(r"(/vsimem/)?pyogrio_[0-9a-f]{32}")
# What pyogrio and GDAL raise for a file they cannot read (their own errors derive from
# RuntimeError; decoding, WKB and CRS problems surface as the others).
_LIBRARY_ERRORS = (RuntimeError, ValueError, TypeError, OSError, KeyError, IndexError)
_CAP_BEFORE_READING = 1_000_000  # features: a larger budget is checked after reading


def _check_layer_count(count: int, name: str, limits: Limits) -> None:
    if count > limits.max_layers:
        raise FileInputError(f"'{name}' has {count} layers, over the limit of {limits.max_layers}")


def _gdal_layers(
    data: bytes,
    name: str,
    kind: str,
    drivers: set[str] | None,
    limits: Limits,
    *,
    single: bool = False,
    geometry_field: bool | None = None,
    encoding: str | None = None,
) -> list[_Raw]:
    """Every layer with a geometry column (or the one layer), read by pyogrio from memory.

    ``geometry_field`` says whether a layer may have a field called "geometry" (None: look,
    if the bytes hold the word at all); such a field is read again and kept. ``encoding``
    is the text's, where GDAL cannot know it.
    """
    extra = {"encoding": encoding} if encoding else {}
    listing = [("", "")] if single else _gdal(pyogrio.list_layers, data, name, kind)
    spatial = [(i, str(title)) for i, (title, gtype) in enumerate(listing) if gtype is not None]
    _check_layer_count(len(spatial), name, limits)
    if spatial and drivers is not None:
        driver = _gdal(pyogrio.read_info, data, name, kind, layer=spatial[0][0])["driver"]
        if driver not in drivers:
            raise FileInputError(f"'{name}' is not a {kind} file (it reads as {driver})")
    budget = limits.max_features
    raws = []
    for index, title in spatial:
        frame = _read_layer(data, name, kind, index, budget, limits, on_invalid="fix", **extra)
        budget -= len(frame)
        if geometry_field or (geometry_field is None and b"geometry" in data):
            frame = _with_geometry_field(frame, data, name, kind, index, extra)
        title = _stem(name) if not title or _VSIMEM_RE.fullmatch(title) else title
        raws.append(_Raw(title, frame, "feature", np.arange(1, len(frame) + 1)))
    return raws


def _read_layer(
    data: bytes, name: str, kind: str, layer: int | str, budget: int, limits: Limits, **kwargs: Any
) -> gpd.GeoDataFrame:
    """One layer, read by pyogrio up to one feature past what is left of the file's limit.

    pyogrio makes room for ``max_features`` before it reads (measured: 12 s for a
    two-point GPX with the batch command's 10 million), so a budget of a million or more
    is checked after reading instead (the file's size bounds the work).
    """
    frame = _gdal(
        pyogrio.read_dataframe, data, name, kind, layer=layer, max_features=_cap(budget), **kwargs
    )
    if len(frame) > budget:
        raise FileInputError(f"'{name}' has more than {limits.max_features:,} features (the limit)")
    return frame


def _cap(limit: int) -> int | None:
    """``max_features`` for pyogrio: one past ``limit``, or None (read all, then check)
    for a limit too large to make room for (:func:`_read_layer`)."""
    return limit + 1 if limit < _CAP_BEFORE_READING else None


def _with_geometry_field(
    frame: gpd.GeoDataFrame,
    data: bytes,
    name: str,
    kind: str,
    layer: int,
    extra: dict[str, Any],
) -> gpd.GeoDataFrame:
    """``frame`` with the layer's own "geometry" field, which pyogrio overwrites.

    pyogrio names the geometry column "geometry", so a field of that name is lost without
    a word: it is read again on its own, and the geometry moved to a name no field has
    (the field is renamed with the others when the text is cleaned).
    """
    fields = [str(f) for f in _gdal(pyogrio.read_info, data, name, kind, layer=layer)["fields"]]
    if "geometry" not in fields or frame.empty:
        return frame
    lost = _gdal(
        pyogrio.read_dataframe,
        data,
        name,
        kind,
        layer=layer,
        columns=["geometry"],
        read_geometry=False,
        max_features=len(frame),
        **extra,
    )
    frame = frame.rename_geometry(_unique("geometry", fields))
    frame.insert(fields.index("geometry"), "geometry", lost["geometry"].to_numpy())
    return frame


def _gdal(func: Callable[..., Any], data: bytes, name: str, kind: str, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's remarks on in-memory names and extensions
        try:
            return func(io.BytesIO(data), **kwargs)
        except _LIBRARY_ERRORS as exc:
            raise FileInputError(
                f"'{name}' is not a readable {kind} file ({_gdal_detail(exc, name)})"
            ) from None


def _gdal_detail(exc: BaseException, name: str) -> str:
    text = _VSIMEM_RE.sub(name, _first_line(exc)).split("; It might help", 1)[0]
    return text if len(text) <= 160 else text[:159] + "…"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return _CONTROL_RE.sub("", lines[0]) if lines else type(exc).__name__
