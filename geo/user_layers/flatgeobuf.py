"""FlatGeobuf: its magic bytes checked, then read by GDAL with the feature limit.

The header's feature count is checked against the limit before anything is read. A
damaged or truncated file is read as far as it can be: GDAL stops at a broken feature
with an error (measured: a file cut short by 10 bytes), so the longest run of features
from the start that reads is kept (found by bisection, only when the whole does not
read), with a note giving the count declared and the count read. A header that declares
more features than the file holds makes GDAL misplace everything after its spatial
index: nothing reads, and the file is refused.
"""

from __future__ import annotations

import numpy as np
import pyogrio

from geo.errors import FileInputError
from geo.user_layers.files import _stem
from geo.user_layers.finish import _READS_FILES, _reads_files
from geo.user_layers.gdal_read import _gdal, _gdal_layers
from geo.user_layers.limits import Limits, _Raw
from geo.user_layers.text import _count

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_MAGIC = b"fgb"  # then the major version, "fgb" and the patch version


def _read_flatgeobuf(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    if not (data[:3] == _MAGIC and data[4:7] == _MAGIC):
        raise FileInputError(f"'{name}' is not a FlatGeobuf file (it does not start with 'fgb')")
    if data[3] != 3:
        raise FileInputError(
            f"'{name}' is FlatGeobuf version {data[3]}, and only version 3 (since 2020) is read"
        )
    if len(data) < 12:
        raise FileInputError(f"'{name}' is too short to be a FlatGeobuf file")
    header_end = 12 + int.from_bytes(data[8:12], "little")
    if _reads_files(data[:header_end].decode("latin-1")):  # its CRS, before GDAL
        raise FileInputError(f"'{name}' {_READS_FILES}")
    declared = _gdal(pyogrio.read_info, data, name, "FlatGeobuf")["features"]
    if declared > limits.max_features:  # before reading; and no partial read past the limit
        raise FileInputError(
            f"'{name}' has {declared:,} features, over the limit of {limits.max_features:,}"
        )
    try:
        raws = _gdal_layers(data, name, "FlatGeobuf", {"FlatGeobuf"}, limits, single=True)
    except FileInputError:
        readable = _readable_prefix(data, name, declared)
        if not readable:
            raise
        frame = _gdal(
            pyogrio.read_dataframe,
            data,
            name,
            "FlatGeobuf",
            max_features=readable,
            on_invalid="fix",
        )
        raws = [_Raw(_stem(name), frame, "feature", np.arange(1, readable + 1))]
    for raw in raws:
        if len(raw.frame) < declared <= limits.max_features:
            raw.notes.append(
                f"the file declares {_count(declared, 'feature')} but only the first "
                f"{len(raw.frame):,} could be read: it is damaged or truncated"
            )
    return raws


def _readable_prefix(data: bytes, name: str, most: int) -> int:
    """How many features from the start GDAL reads without an error (0 to ``most``)."""
    good, bad = 0, most + 1
    while bad - good > 1:
        mid = (good + bad) // 2
        try:
            _gdal(pyogrio.read_dataframe, data, name, "FlatGeobuf", max_features=mid)
        except FileInputError:
            bad = mid
        else:
            good = mid
    return good
