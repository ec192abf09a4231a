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


@pytest.fixture(scope="session")
def territories_raw():
    """Analysis territories read straight from data/territories.fgb, indexed by code."""
    import pyogrio

    return pyogrio.read_dataframe(ROOT / "data" / "territories.fgb").set_index("code")


@pytest.fixture(scope="session")
def analysis(territories_raw):
    """The analysis-level territories (full resolution), indexed by code."""
    return territories_raw


@pytest.fixture(scope="session")
def display():
    """Display-level territories read straight from data/territories_display.fgb."""
    import pyogrio

    return pyogrio.read_dataframe(ROOT / "data" / "territories_display.fgb").set_index("code")


@pytest.fixture(scope="session")
def brute_border_m(territories_raw, wgs84):
    """Brute-force geodesic distance from a point to a territory's border near it.

    The border within a box around the point is densified to 0.0005° steps (≤ ~55 m,
    so a step's chord is within ~2 m of the segment) and the smallest pyproj.Geod.inv
    distance to those points is taken. Independent of geo.nearest.
    """
    import numpy as np
    import shapely

    def distance(lon: float, lat: float, code: str, *, half_box_deg: float = 2.5) -> float:
        geom = territories_raw.geometry[code]
        box = shapely.box(
            lon - half_box_deg,
            lat - half_box_deg / 1.6,
            lon + half_box_deg,
            lat + half_box_deg / 1.6,
        )
        border = shapely.intersection(geom.boundary, box)
        coords = shapely.get_coordinates(shapely.segmentize(border, 0.0005))
        assert len(coords), f"no {code} border within the box around ({lat}, {lon})"
        lons, lats = np.full(len(coords), lon), np.full(len(coords), lat)
        return float(wgs84.inv(lons, lats, coords[:, 0], coords[:, 1])[2].min())

    return distance


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests first, the others after them, each in collection order.

    Run in parallel (``make test``: pytest-xdist), each worker takes a whole file at a
    time in this order. A browser test mostly waits for the page, so the browser tests
    start on every worker at once, and the other tests, which keep a core busy, fill the
    workers as they come free.
    """
    items.sort(key=lambda item: "e2e" not in item.path.parts)
