"""The uploaded file's name, extension and bytes, and small helpers for messages."""

from __future__ import annotations

import re
from typing import NoReturn

from geo.errors import FileInputError
from geo.user_layers.limits import Limits
from geo.user_layers.text import _CONTROL_RE, _without_invisible

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_SUPPORTED_TEXT = (
    "GeoJSON (.geojson, .json), KML (.kml, .kmz), GeoPackage (.gpkg), CSV (.csv), GPX (.gpx), "
    "a zipped shapefile (.zip) or FlatGeobuf (.fgb)"
)


def _display_name(filename: object) -> str:
    base = re.split(r"[\\/]", str(filename))[-1]
    base = _without_invisible(_CONTROL_RE.sub("", base))[0].strip() or "the file"
    if len(base) > 80:
        _, dot, ext = base.rpartition(".")
        base = base[:60] + "…" + (f".{ext}" if dot and len(ext) <= 10 else "")
    return base


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


def _unsupported(name: str) -> NoReturn:
    ext = _extension(name)
    what = f"a {ext} file" if ext else "a file without an extension"
    hint = ""
    if ext in (".shp", ".shx", ".dbf", ".prj"):
        hint = (
            " (a shapefile is several files: zip its .shp, .shx, .dbf, .prj and .cpg together "
            "and upload the .zip)"
        )
    raise FileInputError(
        f"'{name}' is {what}, which is not supported: upload {_SUPPORTED_TEXT}{hint}"
    )


def _checked_bytes(data: object, name: str, limits: Limits) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FileInputError(f"'{name}': expected the file's bytes, got {type(data).__name__}")
    size = memoryview(data).nbytes
    if size > limits.max_bytes:
        raise FileInputError(
            f"'{name}' is {_megabytes(size)}, over the {_megabytes(limits.max_bytes)} limit "
            "for uploaded files"
        )
    data = bytes(data)
    if not data.strip():
        raise FileInputError(f"'{name}' is empty")
    return data


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.3g} MB" if size >= 2**20 else f"{size:,} bytes"


def _shown(value: object) -> str:
    """A value from the file, quoted and short, for a message."""
    text = _CONTROL_RE.sub("", repr(value))
    return text if len(text) <= 40 else text[:39] + "…"
