"""Exports of layers as files: the formats, their writers, and :func:`export`.

Each format is declared once in :data:`FILE_FORMATS` (its media type and its writer);
:func:`export` looks the format up there. HTML is written by :mod:`exports.html_page`,
PNG by :mod:`exports.png_image`, GeoJSON, GeoPackage and KML by :mod:`exports.geodata`,
the CSV of figures by :mod:`exports.figures_csv`.

Every export carries the data attribution. Text is escaped for the place it ends up:

* **HTML** and **KML**: HTML-escaped (browsers and Google Earth render them as HTML), and
  KML is then XML-escaped by GDAL;
* **GeoJSON**: HTML-safe JSON: ``<``, ``>`` and ``&`` are written ``\\u003c``,
  ``\\u003e`` and ``\\u0026``, so the file holds no markup while every JSON reader gets
  the exact text back;
* **CSV**: quoted by the csv module, and a cell that a spreadsheet would run as a
  formula (``=``, ``+``, ``-``, ``@``) starts with an apostrophe;
* **GeoPackage**: SQL values bound by GDAL: the exact text, as data;
* **PNG**: drawn as literal text (no mathtext).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd

from exports.figures_csv import write_csv
from exports.geodata import write_geojson, write_gpkg, write_kml, write_kmz
from geo.errors import ExportError, UnknownNameError
from layers.catalogue import CATALOGUE, LayerRef, build, layer
from layers.spec import LayerSpec
from layers.units import render_distances

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "MEDIA_TYPES",
    "ExportJob",
    "FileFormat",
    "export",
    "export_bytes",
    "export_format",
    "layer_frames",
]


def layer_frames(
    layers: Iterable[LayerRef],
    *,
    unit: str = "km",
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[LayerSpec, gpd.GeoDataFrame]:
    """Each layer's features with plain-text labels in ``unit``, ready to write.

    Parameters
    ----------
    layers : iterable of str or LayerSpec
        Catalogue ids, or specs such as a user's layers (:mod:`layers.user_layers`).
    unit : str, optional
        ``km``, ``mi`` or ``nmi`` for the distances in descriptions.
    params : mapping, optional
        Layer id → build parameters (default: each layer's defaults).

    Returns
    -------
    dict
        Layer spec → GeoDataFrame (EPSG:4326) with ``layer``, ``role``, ``name``,
        ``description`` (the popup text, unless a user's layer has descriptions of its own)
        and the layer's typed figures or the file's columns.
    """
    frames = {}
    for ref in layers:
        spec = layer(ref)
        gdf = build(spec, **dict((params or {}).get(spec.id, {}))).features.copy()
        labels = [render_distances(t, unit) for t in gdf.pop("label")]
        if "description" not in gdf.columns or gdf["description"].isna().all():
            gdf["description"] = labels
        gdf.insert(0, "layer", spec.id)
        frames[spec] = gdf
    return frames


@dataclass
class ExportJob:
    """What to export: the layers and the options every writer reads."""

    specs: list[LayerSpec]
    unit: str = "km"
    title: str = "Baltic Flank Atlas"
    offline: bool = False
    params: Mapping[str, Mapping[str, Any]] | None = None
    view: tuple[float, float, int] | None = None

    @cached_property
    def frames(self) -> dict[LayerSpec, gpd.GeoDataFrame]:
        """The layers' features, built once (:func:`layer_frames`)."""
        return layer_frames(self.specs, unit=self.unit, params=self.params)


def _write_html(path: Path, job: ExportJob) -> None:
    from exports.html_page import write_html  # folium and the vendored files: only here

    write_html(
        path,
        job.specs,
        title=job.title,
        unit=job.unit,
        offline=job.offline,
        params=job.params,
        view=job.view,
    )


def _write_png(path: Path, job: ExportJob) -> None:
    from exports.png_image import write_png  # matplotlib: only here

    write_png(path, job.frames, title=job.title, unit=job.unit)


def _write_csv(path: Path, job: ExportJob) -> None:
    write_csv(path, job.frames, unit=job.unit, title=job.title, params=job.params)


def _gis(
    writer: Callable[..., None],
) -> Callable[[Path, ExportJob], None]:
    def write(path: Path, job: ExportJob) -> None:
        writer(path, job.frames, title=job.title)

    return write


@dataclass(frozen=True)
class FileFormat:
    """A format the atlas writes: its media type and its writer."""

    media_type: str
    write: Callable[[Path, ExportJob], None]


FILE_FORMATS: dict[str, FileFormat] = {
    "html": FileFormat("text/html", _write_html),
    "geojson": FileFormat("application/geo+json", _gis(write_geojson)),
    "gpkg": FileFormat("application/geopackage+sqlite3", _gis(write_gpkg)),
    "kml": FileFormat("application/vnd.google-earth.kml+xml", _gis(write_kml)),
    "kmz": FileFormat("application/vnd.google-earth.kmz", _gis(write_kmz)),
    "csv": FileFormat("text/csv", _write_csv),
    "png": FileFormat("image/png", _write_png),
}
FORMATS = tuple(FILE_FORMATS)
MEDIA_TYPES = {name: f.media_type for name, f in FILE_FORMATS.items()}


def export_format(path: Path, fmt: str | None) -> str:
    """The format to write: ``fmt`` if given, else the file's extension."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "json":
        chosen = "geojson"
    if chosen not in FORMATS:
        raise UnknownNameError(
            f"cannot export '{path.name}' as '{chosen or '?'}': choose one of {', '.join(FORMATS)}"
        )
    return chosen


def export(
    path: Path,
    *,
    fmt: str | None = None,
    layer_ids: Iterable[LayerRef] | None = None,
    unit: str = "km",
    title: str = "Baltic Flank Atlas",
    offline: bool = False,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    view: tuple[float, float, int] | None = None,
) -> str:
    """Write the chosen layers to ``path`` in a format (default: from the extension).

    Parameters
    ----------
    path : pathlib.Path
        The file to write (replaced if it exists).
    fmt : str, optional
        One of :data:`FORMATS`; default: the file's extension.
    layer_ids : iterable of str or LayerSpec, optional
        Catalogue ids, or specs such as a user's layers (default: every catalogue layer).
    unit : str, optional
        ``km``, ``mi`` or ``nmi`` for the distances in labels and tables.
    title : str, optional
        The map's or file's title (plain text).
    offline : bool, optional
        HTML only: no tiles, and no network request at all.
    params : mapping, optional
        Layer id → build parameters (default: each layer's defaults).
    view : tuple of (float, float, int), optional
        HTML only: the opening view as (lon, lat, zoom); default: the whole region.

    Returns
    -------
    str
        The format written.

    Raises
    ------
    UnknownNameError
        For an unknown format, layer or parameter.
    ExportError
        For a folder that does not exist, or no layers.
    GeoInputError
        For a bad parameter value (radii).
    """
    chosen = export_format(path, fmt)
    if not path.parent.is_dir():
        raise ExportError(f"folder '{path.parent}' does not exist")
    specs = [layer(i) for i in (layer_ids if layer_ids is not None else CATALOGUE)]
    if not specs:
        raise ExportError("no layers to export: choose at least one")
    job = ExportJob(specs, unit=unit, title=title, offline=offline, params=params, view=view)
    FILE_FORMATS[chosen].write(path, job)
    return chosen


def export_bytes(fmt: str, **options: Any) -> bytes:
    """The bytes of :func:`export` in format ``fmt`` (for the app's download buttons).

    ``options`` are :func:`export`'s keyword arguments; GDAL writes through a
    temporary folder, which is removed.
    """
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as folder:
        path = Path(folder) / f"atlas.{export_format(Path('x'), fmt)}"
        export(path, fmt=fmt, **options)
        return path.read_bytes()
