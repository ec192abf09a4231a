"""Ring layers (Astravets, Vilnius, deployments, Polonez): figures checked independently.

Expected values come from pyproj.Geod on the coordinates in data/sites.csv (read with
the csv module) and from brute force over the densified border (conftest).
"""

import csv

import numpy as np
import pytest
import shapely

from layers.catalogue import build
from tests.conftest import ROOT

CITY_KINDS = {"capital", "admin_centre", "city"}


@pytest.fixture(scope="module")
def site_rows():
    with open(ROOT / "data" / "sites.csv", newline="", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def lonlat(row):
    return float(row["lon"]), float(row["lat"])


def test_astravets_plant_to_vilnius(site_rows, wgs84):
    az, _, dist = wgs84.inv(*lonlat(site_rows["astravets_npp"]), *lonlat(site_rows["vilnius"]))
    metrics = build("astravets_rings").metrics
    assert metrics["to_vilnius_km"] == pytest.approx(dist / 1000, abs=0.001)
    assert metrics["to_vilnius_bearing_deg"] == pytest.approx(az % 360, abs=1e-6)


def test_astravets_plant_to_the_lithuanian_border(site_rows, brute_border_m):
    plant = lonlat(site_rows["astravets_npp"])
    metrics = build("astravets_rings").metrics
    assert metrics["to_lithuania_km"] * 1000 == pytest.approx(brute_border_m(*plant, "LT"), abs=2.0)
    assert 15 < metrics["to_lithuania_km"] < 30  # "less than 25 km" / "a mere 23 km", say the seeds


def test_the_nearest_border_point_is_drawn_on_the_border(territories_raw):
    features = build("astravets_rings").features
    point = features.loc[features["role"] == "nearest_point", "geometry"].iloc[0]
    assert territories_raw.geometry["LT"].boundary.distance(point) < 1e-6


def test_vilnius_to_belarus(site_rows, brute_border_m):
    metrics = build("vilnius_rings").metrics
    expected = brute_border_m(*lonlat(site_rows["vilnius"]), "BY")
    assert metrics["to_belarus_km"] * 1000 == pytest.approx(expected, abs=2.0)


@pytest.mark.parametrize("unit", ["yelnia", "klintsy"])
def test_each_regiment_to_belarus(unit, site_rows, brute_border_m):
    metrics = build("deployments").metrics
    expected = brute_border_m(*lonlat(site_rows[f"{unit}_regiment"]), "BY", half_box_deg=4.0)
    assert metrics[f"{unit}_to_belarus_km"] * 1000 == pytest.approx(expected, abs=2.0)


@pytest.mark.parametrize("unit", ["yelnia", "klintsy"])
def test_each_regiment_to_its_nearest_belarusian_city(unit, site_rows, wgs84):
    lon, lat = lonlat(site_rows[f"{unit}_regiment"])
    by_cities = [r for r in site_rows.values() if r["country"] == "BY" and r["kind"] in CITY_KINDS]
    nearest = min(wgs84.inv(lon, lat, *lonlat(r))[2] for r in by_cities)
    assert build("deployments").metrics[f"{unit}_nearest_belarusian_city_km"] == pytest.approx(
        nearest / 1000, abs=0.001
    )


def test_polonez_ranges_from_vitebsk(site_rows, wgs84):
    vitebsk = lonlat(site_rows["vitebsk"])
    built = build("polonez_range")
    for target in ("moscow", "vilnius", "warsaw"):
        dist = wgs84.inv(*vitebsk, *lonlat(site_rows[target]))[2]
        assert built.metrics[f"to_{target}_km"] == pytest.approx(dist / 1000, abs=0.001)


@pytest.mark.parametrize(
    ("layer_id", "centre_id", "params"),
    [
        ("astravets_rings", "astravets_npp", {}),
        ("vilnius_rings", "vilnius", {"radii_km": (30, 120)}),
        ("polonez_range", "vitebsk", {}),
    ],
)
def test_each_ring_reaches_exactly_the_cities_within_its_radius(
    layer_id, centre_id, params, site_rows, wgs84
):
    centre = lonlat(site_rows[centre_id])
    rings = build(layer_id, **params).features.query("role == 'ring'")
    assert len(rings) > 0
    for ring in rings.itertuples():
        expected = sorted(
            r["name"]
            for r in site_rows.values()
            if r["kind"] in CITY_KINDS
            and r["id"] != centre_id
            and wgs84.inv(*centre, *lonlat(r))[2] <= ring.radius_km * 1000
        )
        got = sorted(n for n in ring.reaches.split(", ") if n != "no capital or city")
        assert got == expected, ring.name


def test_the_500_km_polonez_ring_reaches_moscow_as_the_2019_seed_claims(site_rows, wgs84):
    rings = build("polonez_range").features.query("role == 'ring'").set_index("radius_km")
    reaches_moscow = "Moscow" in rings.loc[500.0, "reaches"].split(", ")
    within = wgs84.inv(*lonlat(site_rows["vitebsk"]), *lonlat(site_rows["moscow"]))[2] <= 500_000
    assert reaches_moscow == within


def test_ring_vertices_lie_at_their_radius(site_rows, wgs84):
    centre = lonlat(site_rows["astravets_npp"])
    for ring in build("astravets_rings").features.query("role == 'ring'").itertuples():
        c = shapely.get_coordinates(ring.geometry.exterior)
        d = wgs84.inv(np.full(len(c), centre[0]), np.full(len(c), centre[1]), c[:, 0], c[:, 1])[2]
        assert np.abs(d / (ring.radius_km * 1000) - 1).max() < 0.0005


def test_radii_and_launch_site_can_be_changed(site_rows, wgs84):
    built = build("polonez_range", site="Grodno", radii_km=[150])
    rings = built.features.query("role == 'ring'")
    assert rings["radius_km"].tolist() == [150.0]
    grodno_to_vilnius = wgs84.inv(*lonlat(site_rows["grodno"]), *lonlat(site_rows["vilnius"]))[2]
    assert built.metrics["to_vilnius_km"] == pytest.approx(grodno_to_vilnius / 1000, abs=0.001)
