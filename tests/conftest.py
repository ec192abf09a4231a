"""Shared fixtures: independent readings of the committed data files."""

import csv
import sys
from pathlib import Path

import pytest
from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def wgs84() -> Geod:
    """A geodesic solver of our own, so tests do not trust geo.measure to check itself."""
    return Geod(ellps="WGS84")


@pytest.fixture(scope="session")
def site_coords() -> dict[str, tuple[float, float]]:
    """Site id → (lon, lat), read straight from data/sites.csv with the csv module."""
    with open(ROOT / "data" / "sites.csv", newline="", encoding="utf-8") as f:
        return {row["id"]: (float(row["lon"]), float(row["lat"])) for row in csv.DictReader(f)}
