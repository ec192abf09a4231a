"""GeoJSON: parsed with json and walked, before GDAL reads the checked text."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

import numpy as np

from geo.errors import FileInputError
from geo.user_layers.files import _shown
from geo.user_layers.finish import _too_many_vertices
from geo.user_layers.gdal_read import _first_line, _gdal_layers
from geo.user_layers.limits import MAX_COLUMNS, Limits, _Raw

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_GEOMETRY_NESTING = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
_MAX_COLLECTION_DEPTH = 4
# The legacy GeoJSON `crs` forms accepted: a name, never a link.
_CRS_NAME_RE = re.compile(
    r"^(EPSG:\d{1,6}|urn:ogc:def:crs:EPSG:[\d.]*:\d{1,6}|urn:ogc:def:crs:OGC:1\.3:CRS84"
    r"|https?://www\.opengis\.net/def/crs/(EPSG/0/\d{1,6}|OGC/1\.3/CRS84))$",
    re.IGNORECASE,
)


def _read_geojson(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    try:
        doc = json.loads(data)
    except UnicodeDecodeError:
        raise FileInputError(f"'{name}' is not UTF-8 text, so it is not GeoJSON") from None
    except json.JSONDecodeError as exc:
        raise FileInputError(
            f"'{name}' is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise FileInputError(f"'{name}' is not valid JSON: {_first_line(exc)}") from None
    check = _GeoJSONCheck(name, limits)
    check.document(doc)
    clean = json.dumps(doc, separators=(",", ":")).encode()  # what GDAL reads was checked
    # GDAL picks its GeoJSON driver for a JSON object with a GeoJSON "type", and such a
    # file has one layer: neither is asked of GDAL (each would parse the file once more).
    # The walk knows whether a property is called "geometry" (GDAL would drop it).
    return _gdal_layers(
        clean,
        name,
        "GeoJSON",
        None,
        limits,
        single=True,
        geometry_field="geometry" in check.columns,
    )


@dataclass
class _GeoJSONCheck:
    """Walk a parsed GeoJSON document; raise at the first problem."""

    name: str
    limits: Limits
    vertices: int = 0
    columns: set[str] = field(default_factory=set)

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FileInputError(f"'{self.name}': {where} {problem}")

    def document(self, doc: Any) -> None:
        kind = _type_of(doc)
        if "crs" in (doc if isinstance(doc, dict) else {}):
            self.crs(doc["crs"])
        if kind == "FeatureCollection":
            features = doc.get("features")
            if not isinstance(features, list):
                self.fail("is a FeatureCollection", "without a list of 'features'")
            if len(features) > self.limits.max_features:
                raise FileInputError(
                    f"'{self.name}' has {len(features):,} features, over the limit of "
                    f"{self.limits.max_features:,}"
                )
            for i, feature in enumerate(features, start=1):
                self.feature(feature, f"feature {i}")
        elif kind == "Feature":
            self.feature(doc, "feature 1")
        elif kind in _GEOMETRY_NESTING or kind == "GeometryCollection":
            self.geometry(doc, "the geometry", whole_file=True)
        else:
            if not isinstance(doc, dict):
                found = f"it holds {_json_kind(doc)}"
            elif "type" in doc:
                found = f"its 'type' is {_shown(doc['type'])}"
            else:
                found = "it has no 'type'"
            raise FileInputError(
                f"'{self.name}' is JSON but not GeoJSON: {found}; expected a "
                "FeatureCollection, a Feature or a geometry"
            )

    def crs(self, crs: Any) -> None:
        props = crs.get("properties") if isinstance(crs, dict) else None
        if crs is None or (
            crs.get("type") == "name"
            and isinstance(props, dict)
            and isinstance(props.get("name"), str)
            and _CRS_NAME_RE.match(props["name"])
        ):
            return
        raise FileInputError(
            f"'{self.name}' gives its coordinate system ('crs') as a link or in an unknown "
            'form; only a name such as "EPSG:32635" is accepted (or none: WGS84)'
        )

    def feature(self, feature: Any, where: str) -> None:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            self.fail(where, 'is not a GeoJSON Feature (an object with "type": "Feature")')
        props = feature.get("properties")
        if props is not None and not isinstance(props, dict):
            self.fail(where, f"has 'properties' as {_json_kind(props)}, not an object")
        if props:
            self.columns.update(props)
            if len(self.columns) > MAX_COLUMNS:
                self.fail("the file", f"has more than {MAX_COLUMNS:,} property names (the limit)")
        if "crs" in feature:
            self.fail(where, "declares its own coordinate system; give one for the whole file")
        if feature.get("geometry") is not None:
            self.geometry(feature["geometry"], where)

    def geometry(self, geom: Any, where: str, depth: int = 0, *, whole_file: bool = False) -> None:
        kind = _type_of(geom)
        if not isinstance(geom, dict):
            self.fail(where, f"has a geometry that is {_json_kind(geom)}, not an object")
        if "crs" in geom and not whole_file:  # a bare geometry's crs is the file's (checked)
            self.fail(where, "declares its own coordinate system; give one for the whole file")
        if kind == "GeometryCollection":
            parts = geom.get("geometries")
            if not isinstance(parts, list) or depth >= _MAX_COLLECTION_DEPTH:
                self.fail(where, "has a GeometryCollection that is malformed or nested too deep")
            for part in parts:
                self.geometry(part, where, depth + 1)
        elif kind in _GEOMETRY_NESTING:
            if geom.get("coordinates") is None:
                self.fail(where, f"has a {kind} without 'coordinates'")
            self.positions(geom["coordinates"], _GEOMETRY_NESTING[kind], where)
        else:
            self.fail(
                where,
                f"has geometry type {_shown(geom.get('type'))}; expected Point, LineString, "
                "Polygon, MultiPoint, MultiLineString, MultiPolygon or GeometryCollection",
            )

    def positions(self, coords: Any, nesting: int, where: str) -> None:
        if nesting == 0:
            self.count(1)
            self.position(coords, where)
            return
        if not isinstance(coords, list):
            self.fail(where, f"has coordinates nested wrongly: found {_json_kind(coords)}")
        if nesting > 1:
            for part in coords:
                self.positions(part, nesting - 1, where)
            return
        self.count(len(coords))  # before the loop: a huge ring fails at once
        if not _plain_positions(coords):
            for position in coords:  # the slow way, to say what is wrong
                self.position(position, where)

    def count(self, n: int) -> None:
        self.vertices += n
        if self.vertices > self.limits.max_vertices:
            _too_many_vertices(self.name, self.limits)

    def position(self, position: Any, where: str) -> None:
        if not isinstance(position, list) or not 2 <= len(position) <= 4:
            self.fail(
                where,
                f"has a position {_shown(position)}; expected [longitude, latitude] numbers",
            )
        for value in position:
            if isinstance(value, str):
                self.fail(
                    where, f"has a coordinate written as text ({_shown(value)}), not a number"
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(where, f"has a coordinate that is {_json_kind(value)}, not a number")
            if isinstance(value, float) and not math.isfinite(value):
                self.fail(where, "has a coordinate that is not a finite number (NaN or infinity)")


def _plain_positions(coords: list) -> bool:
    """True if ``coords`` is a list of 2 to 4 finite numbers each, checked by numpy.

    A list that fails is walked in Python to name the problem; numpy reads text, null
    or ragged lists as another dtype or shape. (A true/false among numbers passes as 1/0.)
    """
    try:
        array = np.asarray(coords)
    except (ValueError, TypeError, OverflowError):
        return False
    return (
        array.dtype.kind in "fi"
        and array.ndim == 2
        and 2 <= array.shape[1] <= 4
        and bool(np.isfinite(array).all())
    )


def _type_of(obj: Any) -> str | None:
    """The "type" member of a JSON object, if it is text."""
    kind = obj.get("type") if isinstance(obj, dict) else None
    return kind if isinstance(kind, str) else None


def _json_kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    if value is None:
        return "null"
    return kinds.get(type(value), "a number" if isinstance(value, int | float) else "a value")
