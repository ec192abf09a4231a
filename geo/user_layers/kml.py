"""KML and KMZ: checked with expat, and a KMZ's archive before anything is extracted."""

from __future__ import annotations

import xml.parsers.expat
import zipfile

import pandas as pd

from geo.errors import FileInputError
from geo.user_layers.files import _shown
from geo.user_layers.gdal_read import _gdal_layers
from geo.user_layers.kml_repair import _repaired_kml
from geo.user_layers.limits import Limits, _Raw
from geo.user_layers.zipped import _zip_members

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
    data, notes = _repaired_kml(data)
    raws = _gdal_layers(data, name, "KML", {"KML", "LIBKML"}, limits)
    for raw in raws:
        raw.frame = raw.frame.drop(columns=_unset_fields(raw.frame))
    if not raws and notes:
        raise FileInputError(
            f"'{name}' holds no features with a geometry: " + "; ".join(n for _, n in notes[:3])
        )
    for folder, note in notes:  # in its folder's layer, else the first
        raw = next((r for r in raws if folder and r.title == folder), raws[0] if raws else None)
        if raw is not None:
            raw.notes.append(note)
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
    _check_xml(data, name, "kml", "KML")


def _check_xml(data: bytes, name: str, root: str, kind: str) -> None:
    """Well-formed XML with a ``<root>`` root and no DOCTYPE (KML and GPX use none)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    roots: list[str] = []

    def doctype(*_: object) -> None:
        raise _RefusedError(f"declares a DOCTYPE, which {kind} does not use; refused for safety")

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
            f"'{name}' is not well-formed {kind}: {problem} at line {exc.lineno}, "
            f"column {exc.offset + 1}"
        ) from None
    if roots[:1] != [root]:
        raise FileInputError(
            f"'{name}' is XML but not {kind}: its root element is <{_shown(roots[0])[1:-1]}>"
        )


def _read_kmz(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    return _read_kml(_unzip_kml(data, name, limits), name, limits)


def _unzip_kml(data: bytes, name: str, limits: Limits) -> bytes:
    """The KMZ's main KML (its first), after checking the archive (:mod:`.zipped`)."""

    def main_kml(members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
        kml = [m for m in members if m.filename.lower().endswith(".kml")]
        if not kml:
            raise FileInputError(f"'{name}' is a zip archive without a .kml file inside")
        return kml[:1]

    return next(iter(_zip_members(data, name, limits, "KMZ", main_kml).values()))
