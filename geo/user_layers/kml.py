"""KML and KMZ: checked with expat, and a KMZ's archive before anything is extracted."""

from __future__ import annotations

import io
import xml.parsers.expat
import zipfile
import zlib

import pandas as pd

from geo.errors import FileInputError
from geo.user_layers.files import _megabytes, _shown
from geo.user_layers.gdal_read import _first_line, _gdal_layers
from geo.user_layers.limits import KMZ_MAX_MEMBERS, Limits, _Raw

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API


class _RefusedError(Exception):
    """Raised from an expat handler to stop parsing."""


# Fields GDAL's LIBKML driver gives every placemark, with the values that mean "not set".
LIBKML_FIELDS = {
    "id": (None,),
    "timestamp": (None,),
    "begin": (None,),
    "end": (None,),
    "altitudeMode": (None,),
    "tessellate": (None, -1),
    "extrude": (None, 0),
    "visibility": (None, -1),
    "drawOrder": (None,),
    "icon": (None,),
}


def _read_kml(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    _check_kml_xml(data, name)
    raws = _gdal_layers(data, name, "KML", {"KML", "LIBKML"}, limits)
    for raw in raws:
        raw.frame = raw.frame.drop(columns=_unset_fields(raw.frame))
    return raws


def _unset_fields(frame: pd.DataFrame) -> list[str]:
    """The driver's own fields that no placemark sets (the file never had them)."""
    unset = []
    for field, defaults in LIBKML_FIELDS.items():
        if field in frame.columns:
            values = frame[field]
            if (values.isna() | values.isin([d for d in defaults if d is not None])).all():
                unset.append(field)
    return unset


def _check_kml_xml(data: bytes, name: str) -> None:
    """Well-formed XML with a <kml> root and no DOCTYPE (no entities, no external DTD)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    roots: list[str] = []

    def doctype(*_: object) -> None:
        raise _RefusedError("declares a DOCTYPE, which KML does not use; refused for safety")

    def start(tag: str, _attrs: object) -> None:
        roots.append(tag.rsplit(" ", 1)[-1])
        parser.StartElementHandler = None  # only the root matters

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _RefusedError as exc:
        raise FileInputError(f"'{name}' {exc}") from None
    except xml.parsers.expat.ExpatError as exc:
        problem = xml.parsers.expat.errors.messages.get(exc.code, "malformed XML")
        raise FileInputError(
            f"'{name}' is not well-formed KML: {problem} at line {exc.lineno}, "
            f"column {exc.offset + 1}"
        ) from None
    if roots[:1] != ["kml"]:
        raise FileInputError(
            f"'{name}' is XML but not KML: its root element is <{_shown(roots[0])[1:-1]}>"
        )


def _read_kmz(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    return _read_kml(_unzip_kml(data, name, limits), name, limits)


def _unzip_kml(data: bytes, name: str, limits: Limits) -> bytes:
    """The KMZ's main KML, after checking the archive's size and member count."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > KMZ_MAX_MEMBERS:
                raise FileInputError(
                    f"'{name}' holds {len(members):,} files, over the limit of "
                    f"{KMZ_MAX_MEMBERS:,} for a KMZ"
                )
            unpacked = sum(m.file_size for m in members)
            if unpacked > limits.max_bytes:
                raise FileInputError(
                    f"'{name}' unpacks to {_megabytes(unpacked)}, over the "
                    f"{_megabytes(limits.max_bytes)} limit for uploaded files"
                )
            kml = [m for m in members if m.filename.lower().endswith(".kml") and not m.is_dir()]
            if not kml:
                raise FileInputError(f"'{name}' is a zip archive without a .kml file inside")
            with archive.open(kml[0]) as member:  # the first .kml is the main one
                content = member.read(kml[0].file_size + 1)
    except FileInputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, ValueError) as exc:  # fmt: skip
        raise FileInputError(
            f"'{name}' is not a readable KMZ (zip) file: {_first_line(exc)}"
        ) from None
    if len(content) > kml[0].file_size:
        raise FileInputError(f"'{name}' is a damaged KMZ: a file inside is larger than it says")
    return content
