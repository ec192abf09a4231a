"""Limits on an uploaded file, and one layer as read, shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np

__all__ = ["KMZ_MAX_MEMBERS", "MAX_COLUMNS", "MAX_TEXT_CHARS", "Limits"]

MAX_TEXT_CHARS = 1_000  # any string value, name or column name is cut to this length
MAX_COLUMNS = 1_000  # distinct property names (columns) in one file
KMZ_MAX_MEMBERS = 1_000  # files inside a zip archive (a KMZ or a zipped shapefile)


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold.

    Attributes
    ----------
    max_bytes : int
        Size of the file, and of a zip's (a KMZ's) uncompressed contents.
    max_features : int
        Features (or CSV rows) in all layers together, with or without a geometry.
    max_vertices : int
        Coordinates in all geometries together.
    max_layers : int
        Layers: tables in a GeoPackage, folders in a KML, shapefiles in a zip.

    Examples
    --------
    >>> Limits().max_bytes, Limits(max_features=100).max_features
    (20971520, 100)
    """

    max_bytes: int = 20 * 1024 * 1024
    max_features: int = 50_000
    max_vertices: int = 1_000_000
    max_layers: int = 20


@dataclass
class _Raw:
    """One layer as read, before the checks every format shares."""

    title: str
    frame: gpd.GeoDataFrame
    unit: str = "feature"  # how messages name a record: "feature 3" or "row 4"
    numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    notes: list[str] = field(default_factory=list)  # what the reader assumed or changed
