"""Exports of catalogue layers as files: HTML, GeoJSON, GeoPackage, KML, CSV and PNG.

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

import csv
import html
import json
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from exports.ledger import ledger_records
from geo.data import sites
from geo.errors import GeoInputError
from geo.measure import distance_m
from layers.attribution import ATTRIBUTION
from layers.catalogue import CATALOGUE, LayerRef, build, layer
from layers.escape import csv_cell
from layers.spec import LayerSpec
from layers.units import convert_km, render_distances

FORMATS = ("html", "geojson", "gpkg", "kml", "csv", "png")
MEDIA_TYPES = {
    "html": "text/html",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv",
    "png": "image/png",
}
# Point sites between which the CSV gives every distance: the places the seeds measure from.
MAIN_SITES = (
    "vilnius",
    "minsk",
    "astravets_npp",
    "astravets",
    "grodno",
    "vitebsk",
    "smolensk",
    "gomel",
    "mogilev",
    "brest",
    "baranavichy_airbase",
    "yelnia_regiment",
    "klintsy_regiment",
    "kaliningrad",
    "warsaw",
    "riga",
    "moscow",
)


def export_format(path: Path, fmt: str | None) -> str:
    """The format to write: ``fmt`` if given, else the file's extension."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "json":
        chosen = "geojson"
    if chosen not in FORMATS:
        raise GeoInputError(
            f"cannot export '{path.name}' as '{chosen or '?'}': choose one of {', '.join(FORMATS)}"
        )
    return chosen


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


def write_geojson(path: Path, frames: Mapping[LayerSpec, gpd.GeoDataFrame], *, title: str) -> None:
    """One RFC 7946 FeatureCollection (WGS84, lon/lat) with every layer's features."""
    features = []
    for gdf in frames.values():
        features += json.loads(gdf.to_json(drop_id=True, na="drop", default=_json_value))[
            "features"
        ]
    collection = {
        "type": "FeatureCollection",
        "title": title,
        "attribution": ATTRIBUTION,
        "features": features,
    }
    path.write_text(html_safe_json(collection), encoding="utf-8")


def _json_value(value: Any) -> Any:
    """JSON for what a user's file may hold beyond JSON types: dates and times as ISO 8601."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def html_safe_json(value: Any) -> str:
    """JSON with ``<``, ``>`` and ``&`` escaped as ``\\u003c``, ``\\u003e``, ``\\u0026``.

    Those characters can only occur inside JSON strings, where the escapes mean the same
    characters: a JSON reader gets the exact text, an HTML page embedding it no markup.
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write_gpkg(path: Path, frames: Mapping[LayerSpec, gpd.GeoDataFrame], *, title: str) -> None:
    """A GeoPackage with one table per layer.

    A layer of one kind of geometry gets that (multi-)type; a layer that mixes points,
    lines and polygons gets a generic ``GEOMETRY`` table, which QGIS shows per type.
    """
    path.unlink(missing_ok=True)
    for spec, gdf in frames.items():
        gdf = gdf.rename(columns=sqlite_safe_names(gdf.columns))
        meta = {"DESCRIPTION": f"{title}: {spec.title}. {ATTRIBUTION}"}
        kinds = {_KIND[t] for t in shapely.get_type_id(gdf.geometry.values)}
        options = {"promote_to_multi": True} if len(kinds) == 1 else {"geometry_type": "Unknown"}
        pyogrio.write_dataframe(
            gdf,
            path,
            layer=spec.id,
            driver="GPKG",
            layer_metadata=meta,
            append=path.exists(),
            **options,
        )


OUR_COLUMNS = ("layer", "role", "name", "description", "geometry")


def sqlite_safe_names(columns: Iterable[str]) -> dict[str, str]:
    """Renames for columns whose names differ only in case (``Name`` beside ``name``).

    SQLite, and so a GeoPackage, compares column names without case; a user's KML has
    ``Name`` beside the ``name`` we add. Our columns (:data:`OUR_COLUMNS`) keep their
    names; another that clashes gets a ``_2`` (``_3``, ...) suffix.
    """
    columns = list(columns)
    seen = {c.lower() for c in columns if c in OUR_COLUMNS}
    renames = {}
    for column in (c for c in columns if c not in OUR_COLUMNS):
        new, n = column, 1
        while new.lower() in seen:
            n += 1
            new = f"{column}_{n}"
        seen.add(new.lower())
        if new != column:
            renames[column] = new
    return renames


# shapely type id → kind: points, lines, polygons (collections are not produced here).
_KIND = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}


def write_kml(path: Path, frames: Mapping[LayerSpec, gpd.GeoDataFrame], *, title: str) -> None:
    """KML with a folder per layer and the layer's colours as styles (via GDAL's KML).

    Names and descriptions are HTML-escaped: Google Earth renders descriptions as HTML.
    """
    path.unlink(missing_ok=True)
    for spec, gdf in frames.items():
        style = spec.style
        fill = (style.fill_color or style.color) + f"{int(style.fill_opacity * 255):02x}"
        out = gpd.GeoDataFrame(
            {
                "Name": [html.escape(str(n)) for n in gdf["name"]],
                "Description": [
                    html.escape(str(d)).replace("\n", "<br>")
                    + f"<br><br>{html.escape(ATTRIBUTION)}"
                    for d in gdf["description"].fillna("")
                ],
                "OGR_STYLE": f"PEN(c:{style.color},w:{style.weight:g}px);BRUSH(fc:{fill})",
            },
            geometry=gdf.geometry,
            crs=4326,
        )
        with warnings.catch_warnings():  # GDAL makes the first folder's id XML-safe, and says so
            warnings.filterwarnings("ignore", message="Layer name .* adjusted")
            pyogrio.write_dataframe(
                out,
                path,
                layer=spec.title,
                driver="KML",
                append=path.exists(),
                dataset_options={"DOCUMENT_ID": "atlas"} if not path.exists() else None,
            )


def write_csv(
    path: Path,
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    *,
    unit: str = "km",
    title: str,
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Each layer's metrics, the claims ledger (with the ``claims`` layer), then the distance
    table between the main sites, in long format."""
    rows: list[list[Any]] = [
        ["# " + title.replace("\n", " ")],
        ["# " + ATTRIBUTION],
        ["table", "from", "to", "value", "unit"],
    ]
    for spec in frames:
        for key, value in build(spec, **dict((params or {}).get(spec.id, {}))).metrics.items():
            shown, unit_name = _metric(key, value, unit)
            rows.append(["metric", spec.id, key, shown, unit_name])
    if CATALOGUE["claims"] in frames:  # the ledger: "from" is the claim, "to" its verdict
        for r in ledger_records():
            computed = r["computed"]
            rows.append(["claim", r["id"], r["verdict"], computed, r["units"]])
    table = sites().set_index("id").loc[list(MAIN_SITES)]
    for a in table.itertuples():
        n = len(table)
        dist = distance_m(
            np.full(n, a.lon), np.full(n, a.lat), table["lon"].to_numpy(), table["lat"].to_numpy()
        )
        for b_name, d_m in zip(table["name"], dist, strict=True):
            if b_name != a.name:
                rows.append(
                    ["distance", a.name, b_name, round(convert_km(d_m / 1000, unit), 3), unit]
                )
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[csv_cell(v) for v in row] for row in rows])


def _metric(key: str, value: float, unit: str) -> tuple[float, str]:
    if key.endswith("_km"):
        return round(convert_km(value, unit), 3), unit
    if key.endswith("_km2"):
        return round(value, 1), "km²"
    if key.endswith("_deg"):
        return round(value, 2), "°"
    return round(value, 3), ""


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
    GeoInputError
        For an unknown format, layer or parameter, or a folder that does not exist.
    """
    chosen = export_format(path, fmt)
    if not path.parent.is_dir():
        raise GeoInputError(f"folder '{path.parent}' does not exist")
    specs = [layer(i) for i in (layer_ids if layer_ids is not None else CATALOGUE)]
    if not specs:
        raise GeoInputError("no layers to export: choose at least one")
    if chosen == "html":
        from exports.html_page import write_html  # folium and the vendored files: only here

        write_html(path, specs, title=title, unit=unit, offline=offline, params=params, view=view)
        return chosen
    frames = layer_frames(specs, unit=unit, params=params)
    if chosen == "png":
        from exports.png_image import write_png  # matplotlib: only here

        write_png(path, frames, title=title, unit=unit)
    elif chosen == "csv":
        write_csv(path, frames, unit=unit, title=title, params=params)
    else:
        WRITERS[chosen](path, frames, title=title)
    return chosen


WRITERS = {"geojson": write_geojson, "gpkg": write_gpkg, "kml": write_kml}


def export_bytes(fmt: str, **options: Any) -> bytes:
    """The bytes of :func:`export` in format ``fmt`` (for the app's download buttons).

    ``options`` are :func:`export`'s keyword arguments; GDAL writes through a
    temporary folder, which is removed.
    """
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as folder:
        path = Path(folder) / f"atlas.{export_format(Path('x'), fmt)}"
        export(path, fmt=fmt, **options)
        return path.read_bytes()
