"""The checks every format shares: geometries, limits, coordinates and CRS."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import NoReturn

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError, ProjError

from geo.errors import FileInputError
from geo.user_layers.files import _shown, _stem
from geo.user_layers.gdal_read import _first_line
from geo.user_layers.limits import Limits, _Raw
from geo.user_layers.text import (
    _clean_properties,
    _clean_text,
    _count,
    _listed,
    _names,
    _unique,
)

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_METRES_THRESHOLD = 1_000.0  # coordinates beyond this are metres, not degrees
_WGS84 = CRS.from_epsg(4326)


def _finish_all(raws: list[_Raw], name: str, limits: Limits) -> dict[str, gpd.GeoDataFrame]:
    out: dict[str, gpd.GeoDataFrame] = {}
    vertices = dropped = 0
    orphans: list[str] = []  # the notes of layers left with nothing to draw
    for raw in raws:
        frame, vertices, lost, notes = _finish(raw, name, limits, vertices)
        dropped += lost
        label = _clean_text(raw.title).strip()[:100] or _stem(name)
        if frame is not None:
            out[_unique(label, out)] = frame
        else:
            orphans += [f"layer {label!r}, left empty: {note}" for note in notes]
    if not out:
        extra = f" ({_count(dropped, 'feature')} without one dropped)" if dropped else ""
        shown = f": {'; '.join(orphans[:3])}" if orphans else ""
        raise FileInputError(f"'{name}' holds no features with a geometry{extra}{shown}")
    if orphans:  # told beside the first layer, so nothing dropped goes unsaid
        first = next(iter(out.values()))
        first.attrs["notes"] = [*first.attrs["notes"], *orphans]
    return out


def _finish(
    raw: _Raw, name: str, limits: Limits, vertices: int
) -> tuple[gpd.GeoDataFrame | None, int, int, list[str]]:
    """Drop empty geometries, check limits and coordinates, repair, clean the text.

    Returns the frame (None if nothing in the layer has a geometry), the vertices counted
    so far, the features dropped and the layer's notes.

    ``raw.frame``'s active geometry column may have any name: the reader may have moved
    it aside to keep a property called ``geometry``.
    """
    frame = raw.frame
    geoms = np.asarray(frame.geometry.array, dtype=object)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    dropped = int((~keep).sum())
    notes = [*raw.notes]
    if dropped:
        notes.append(_dropped_note(frame, raw, ~keep))
    if not keep.any():
        return None, vertices, dropped, notes
    geoms, numbers = geoms[keep], raw.numbers[keep]
    vertices += int(shapely.get_num_coordinates(geoms).sum())
    if vertices > limits.max_vertices:
        _too_many_vertices(name, limits)
    where = [f"{raw.unit} {n}" for n in numbers]
    geoms, note = _to_wgs84(geoms, frame.crs, where, name)
    notes += [note] if note else []
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
        notes.append(
            f"{_count(int(invalid.sum()), 'invalid geometry', 'invalid geometries')} repaired"
        )
    props, log = _clean_properties(
        frame.drop(columns=frame.geometry.name).iloc[np.flatnonzero(keep)]
    )
    added = () if "name" in props.columns else ("name",)
    props["name"] = _names(props, np.flatnonzero(keep) + 1)
    out = gpd.GeoDataFrame(props.reset_index(drop=True), geometry=geoms, crs=4326)
    out.attrs["notes"] = notes + log.notes()
    out.attrs["added_columns"] = added  # not in the file: a table written back leaves it out
    return out, vertices, dropped, notes


def _dropped_note(frame: gpd.GeoDataFrame, raw: _Raw, lost: np.ndarray) -> str:
    """Which features were dropped for having no geometry: each by number and name."""
    props = frame.drop(columns=frame.geometry.name).iloc[np.flatnonzero(lost)]
    numbers = raw.numbers[lost]
    names = _names(props, numbers)
    which = [
        f"{raw.unit} {n}" + ("" if name == f"feature {n}" else f" ({_shown(name)})")
        for n, name in zip(numbers, names, strict=True)
    ]
    return f"{_count(len(which), raw.unit)} without a geometry dropped: {_listed(which)}"


def _too_many_vertices(name: str, limits: Limits) -> NoReturn:
    raise FileInputError(
        f"'{name}' has more than {limits.max_vertices:,} vertices (the limit): simplify it first"
    )


def _to_wgs84(
    geoms: np.ndarray, crs: CRS | None, where: Sequence[str], name: str
) -> tuple[np.ndarray, str | None]:
    """Check coordinates are finite and in range; reproject a declared CRS to EPSG:4326."""
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = ~np.isfinite(coords).all(axis=1)
    if bad.any():
        raise FileInputError(
            f"'{name}': {where[index[np.argmax(bad)]]} has a coordinate that is not a finite "
            "number (NaN or infinity)"
        )
    if crs is not None:
        _check_self_contained(crs, name)
    if crs is None or _is_wgs84(crs):
        _check_degrees(coords, index, where, name)
        return geoms, None
    label = _crs_label(crs)
    try:
        moved = gpd.GeoSeries(geoms, crs=crs).to_crs(4326).to_numpy()
        coords = shapely.get_coordinates(moved)
    except (CRSError, ProjError, ValueError, TypeError) as exc:
        raise FileInputError(
            f"'{name}' is in {label}, which cannot be converted to WGS84 ({_first_line(exc)})"
        ) from None
    fits = np.isfinite(coords).all() and (np.abs(coords) <= (180.0, 90.0)).all()
    if not fits:
        raise FileInputError(
            f"'{name}' says it is in {label}, but its coordinates do not convert to valid "
            "longitudes and latitudes: check the coordinate system it declares"
        )
    kind = "a projected coordinate system" if crs.is_projected else "the coordinate system"
    return moved, f"the file is in {kind}, {label}: converted to WGS84 (EPSG:4326)"


# What in a coordinate system's definition makes PROJ open a file: a grid for a datum
# shift (WKT2's PARAMETERFILE, PROJ's nadgrids, geoidgrids, hgridshift, vgridshift; GDAL's
# WKT1 EXTENSION["PROJ4_GRIDS", ...]) or an init file (+init=/path:x). A file can declare
# one with any path (measured: GDAL and PROJ then open it, and the error tells whether it
# exists), so such a definition is refused whatever the format that carries it.
_OPENS_FILES_RE = re.compile(
    r"PARAMETERFILE|GRIDFILE|PROJ4_GRIDS|nadgrids|geoidgrids|hgridshift|vgridshift|init=",
    re.IGNORECASE,
)


_READS_FILES = (
    "declares a coordinate system that reads a grid or another file; refused for safety: "
    "save it in WGS84 (EPSG:4326) or a plain projection"
)


# "@null" is PROJ's built-in null grid (optional, "@"), which Web Mercator's definition
# carries (+nadgrids=@null): no file is read for it.
_NULL_GRID_RE = re.compile(
    r"""(nadgrids\s*=\s*|PROJ4_GRIDS"\s*,\s*")@null(?=[\s"\]+]|$)""", re.IGNORECASE
)  # the null grid alone: "@null,/path" still reads /path


def _reads_files(definition: str) -> bool:
    """Whether a coordinate system's definition names a grid or init file to read."""
    return bool(_OPENS_FILES_RE.search(_NULL_GRID_RE.sub("", definition)))


def _check_self_contained(crs: CRS, name: str) -> None:
    """Refuse a coordinate system whose conversion would read a file on this machine."""
    texts = [crs.to_wkt() or ""]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyproj warns that PROJ strings lose information
        for export in (lambda: crs.to_wkt("WKT1_GDAL"), crs.to_proj4):
            try:
                texts.append(export() or "")
            except (CRSError, ValueError):
                continue
    if any(_reads_files(text) for text in texts):
        raise FileInputError(f"'{name}' {_READS_FILES}")


def _is_wgs84(crs: CRS) -> bool:
    try:
        return crs.equals(_WGS84, ignore_axis_order=True)
    except CRSError:
        return False


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    label = _clean_text(crs.name or "an unnamed coordinate system")[:100]
    return f"{label} (EPSG:{epsg})" if epsg else label


def _check_degrees(coords: np.ndarray, index: np.ndarray, where: Sequence[str], name: str) -> None:
    outside = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    if not outside.any():
        return
    k = int(np.argmax(outside))
    x, y = coords[k, 0], coords[k, 1]
    if np.abs(coords[:, :2]).max() > _METRES_THRESHOLD:
        raise FileInputError(
            f"'{name}' seems to be in a projected coordinate system that it does not declare: "
            f"{where[index[k]]} has x {x:,.0f}, y {y:,.0f}, which look like metres, not degrees; "
            "save it in WGS84 longitude/latitude (EPSG:4326) or as a GeoPackage with its CRS"
        )
    swapped = (np.abs(coords[:, 0]) <= 90).all() and (np.abs(coords[:, 1]) <= 180).all()
    hint = " — are longitude and latitude swapped? Longitude comes first" if swapped else ""
    raise FileInputError(
        f"'{name}': {where[index[k]]} has longitude {x:g}, latitude {y:g}, outside WGS84 "
        f"(longitude -180…180, latitude -90…90){hint}"
    )
