"""Load the committed files in ``data/``, validated and cached.

Each loader reads its file once per process and checks it against the schema that
``data/SOURCES.md`` documents, raising :class:`~geo.errors.DataFileError` that
names the file and the problem.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import DataFileError

__all__ = [
    "COUNTRY_COLUMNS",
    "DATA_DIR",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "TOWN_COLUMNS",
    "countries",
    "load_all",
    "rivers",
    "sites",
    "territories",
    "territories_display",
    "towns",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

SITE_COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "lat",
    "lon",
    "coord_source",
    "aliases",
    "seeds",
    "note",
)
SITE_KINDS = frozenset(
    {
        "capital",
        "admin_centre",
        "city",
        "town",
        "nuclear_plant",
        "airbase",
        "military_unit",
        "historic_site",
        "region",
    }
)
COUNTRY_COLUMNS = ("code", "country", "iso3", "name", "group", "aliases")
TOWN_COLUMNS = ("geonameid", "name", "country", "lat", "lon", "population")


def _read_vector(name: str, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    path = DATA_DIR / name
    if not path.exists():
        raise DataFileError(f"{path} is missing: run 'make data' to rebuild it")
    gdf = pyogrio.read_dataframe(path)
    missing = [c for c in required if c not in gdf.columns]
    if missing:
        raise DataFileError(f"{path} lacks columns {missing}")
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataFileError(f"{path} must be in EPSG:4326, found {gdf.crs}")
    # Geometry validity is asserted by the build and by tests/test_territories.py, not
    # here: checking 282k vertices would cost 100 ms on every start.
    return gdf


def _read_csv(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    path = DATA_DIR / name
    if not path.exists():
        raise DataFileError(f"{path} is missing")
    with open(path, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f), [])
    if tuple(header) != columns:
        raise DataFileError(f"{path} columns are {header}, expected {list(columns)}")
    try:  # every value as text, empty fields as "" (as csv.DictReader would give them)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(f"{path} is not a well-formed CSV: {exc}") from None


@lru_cache(maxsize=1)
def territories() -> gpd.GeoDataFrame:
    """Territories for analysis: one row per territory, Kaliningrad separate.

    Returns
    -------
    GeoDataFrame
        Columns ``code`` (ISO 3166-1 alpha-2, ``RU-KGD`` for Kaliningrad),
        ``country``, ``iso3``, ``name``, ``group``, ``area_km2`` (geodesic, computed at
        build time) and geometry in EPSG:4326. Do not modify: the frame is shared.

    Examples
    --------
    >>> gdf = territories()
    >>> gdf.crs.to_epsg(), gdf.set_index("code").loc["RU-KGD", "country"]
    (4326, 'RU')
    >>> territories() is gdf  # read once
    True
    """
    return _read_vector("territories.fgb", ("code", "country", "iso3", "name", "group", "area_km2"))


@lru_cache(maxsize=1)
def territories_display() -> gpd.GeoDataFrame:
    """Territories simplified for drawing (same columns as :func:`territories`).

    Examples
    --------
    >>> drawn = territories_display().set_index("code").geometry
    >>> full = territories().set_index("code").geometry
    >>> from shapely import get_num_coordinates
    >>> int(get_num_coordinates(drawn["BY"])) < int(get_num_coordinates(full["BY"]))
    True
    """
    return _read_vector("territories_display.fgb", ("code", "country", "name"))


@lru_cache(maxsize=1)
def rivers() -> gpd.GeoDataFrame:
    """Named river lines (columns ``id``, ``name``, ``aliases``, ``length_km``, ``source``).

    Examples
    --------
    >>> rivers().set_index("id").loc["dnieper", "name"]
    'Dnieper'
    """
    return _read_vector("rivers.fgb", ("id", "name", "aliases", "length_km", "source"))


@lru_cache(maxsize=1)
def countries() -> pd.DataFrame:
    """The territory table ``data/countries.csv`` (codes, names and aliases).

    Examples
    --------
    >>> countries().set_index("code").loc["BY", ["iso3", "name"]].tolist()
    ['BLR', 'Belarus']
    """
    return _read_csv("countries.csv", COUNTRY_COLUMNS)


@lru_cache(maxsize=1)
def towns() -> pd.DataFrame:
    """GeoNames' ``cities5000`` places in the region (``data/towns.csv``).

    Places of at least 5,000 people, and a few smaller ones GeoNames lists there too
    (1.7% of the rows; the smallest has 63 people).

    Returns
    -------
    DataFrame
        ``geonameid`` (int), ``name``, ``country``, ``lat``, ``lon`` (float),
        ``population`` (int).

    Examples
    --------
    >>> velizh = towns().set_index("name").loc["Velizh"]
    >>> int(velizh["geonameid"]), velizh["country"], int(velizh["population"])
    (475955, 'RU', 8146)
    """
    df = _read_csv("towns.csv", TOWN_COLUMNS)
    try:
        return df.astype({"geonameid": int, "lat": float, "lon": float, "population": int})
    except ValueError as exc:
        raise DataFileError(f"data/towns.csv has a malformed number: {exc}") from None


@lru_cache(maxsize=1)
def sites() -> gpd.GeoDataFrame:
    """Curated sites from ``data/sites.csv`` as points.

    Returns
    -------
    GeoDataFrame
        The CSV's columns with ``lat``/``lon`` as floats, ``aliases`` and ``seeds``
        as tuples, and point geometry in EPSG:4326.

    Examples
    --------
    >>> vilnius = sites().set_index("id").loc["vilnius"]
    >>> float(vilnius["lon"]), float(vilnius["lat"]), vilnius.geometry.wkt
    (25.2798, 54.68916, 'POINT (25.2798 54.68916)')
    """
    df = _read_csv("sites.csv", SITE_COLUMNS)
    try:
        df["lat"] = df["lat"].astype(float)
        df["lon"] = df["lon"].astype(float)
    except ValueError as exc:
        raise DataFileError(f"data/sites.csv has a non-numeric coordinate: {exc}") from None
    problems = [f"{r.id}: kind {r.kind!r}" for r in df.itertuples() if r.kind not in SITE_KINDS] + [
        f"{r.id}: ({r.lat}, {r.lon})"
        for r in df.itertuples()
        if not (-90 <= r.lat <= 90 and -180 <= r.lon <= 180)
    ]
    if df["id"].duplicated().any():
        problems.append(f"duplicate ids {sorted(df.loc[df['id'].duplicated(), 'id'])}")
    if problems:
        raise DataFileError(f"data/sites.csv: {'; '.join(problems)}")
    for col in ("aliases", "seeds"):
        df[col] = [tuple(v for v in s.split("|") if v) for s in df[col]]
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)


def load_all() -> None:
    """Load (and cache) every data file; used by the benchmark and warm-up.

    Examples
    --------
    >>> load_all()  # raises DataFileError if a file is missing or malformed
    """
    territories()
    territories_display()
    rivers()
    countries()
    towns()
    sites()
