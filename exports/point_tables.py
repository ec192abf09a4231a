"""Write a table of points (a user's rows with measured columns) as CSV, GeoPackage or GeoJSON.

The rows keep every column they came with. CSV gets ``lat`` and ``lon`` columns when the
input had none, and cells a spreadsheet would run as formulas start with ``'``
(:func:`layers.escape.csv_cell`); GeoPackage and GeoJSON hold the exact values.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from exports.geodata import sqlite_safe_names
from geo.errors import ExportError, UnknownNameError
from layers.escape import csv_cell

POINT_FORMATS = {".csv": "csv", ".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson"}


def point_table_format(path: Path) -> str:
    """``csv``, ``gpkg`` or ``geojson`` from the file's extension, or a clear error."""
    fmt = POINT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnknownNameError(
            f"cannot write '{path.name}': the output must end in .csv, .gpkg or .geojson"
        )
    return fmt


def write_point_table(frame: gpd.GeoDataFrame, path: Path) -> str:
    """Write ``frame`` (EPSG:4326 points) to ``path``; returns the format written.

    Raises
    ------
    UnknownNameError
        For an unknown extension.
    ExportError
        For a folder that does not exist.
    """
    fmt = point_table_format(path)
    if not path.parent.is_dir():
        raise ExportError(f"folder '{path.parent}' does not exist")
    if fmt == "csv":
        _write_csv(frame, path)
    elif fmt == "gpkg":
        path.unlink(missing_ok=True)
        safe = frame.rename(columns=sqlite_safe_names(frame.columns))
        pyogrio.write_dataframe(safe, path, layer=path.stem, driver="GPKG")
    else:
        path.unlink(missing_ok=True)
        pyogrio.write_dataframe(frame, path, driver="GeoJSON", layer_options={"RFC7946": "YES"})
    return fmt


def _write_csv(frame: gpd.GeoDataFrame, path: Path) -> None:
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    lower = {str(c).lower() for c in table.columns}
    if not ({"lat", "latitude"} & lower and {"lon", "lng", "long", "longitude"} & lower):
        geoms = frame.geometry.to_numpy()
        table.insert(0, "lon", shapely.get_x(geoms))
        table.insert(0, "lat", shapely.get_y(geoms))
    text = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    table[text] = table[text].map(lambda v: v if _missing(v) else csv_cell(v))
    table.columns = [csv_cell(str(c)) for c in table.columns]
    table.to_csv(path, index=False, encoding="utf-8")


def _missing(value: object) -> bool:
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def point_table_bytes(frame: gpd.GeoDataFrame, fmt: str = "csv") -> bytes:
    """The bytes of :func:`write_point_table` in ``fmt`` (for download buttons)."""
    with tempfile.TemporaryDirectory(prefix="atlas-points-") as folder:
        path = Path(folder) / f"points.{fmt}"
        write_point_table(frame, path)
        return path.read_bytes()
