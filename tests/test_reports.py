"""The tables beside the map: a measurement, a point's distances, what a ring holds."""

import csv
import itertools
import math
import re
from pathlib import Path

import pytest

from geo.bearings import declination_deg, grid_convergence_deg
from geo.gazetteer import site_place
from geo.rings import ring
from ui import reports

ROOT = Path(__file__).resolve().parents[1]


def test_measurement_table_states_the_geodesic_in_every_unit(site_coords, wgs84):
    a, b = site_place("astravets_npp"), site_place("vilnius")
    az12, az21, dist = wgs84.inv(*site_coords["astravets_npp"], *site_coords["vilnius"])
    table = reports.measurement_table(a, b).set_index("figure")["value"]

    def number(key, i=0):
        return float(re.findall(r"[-+]?[0-9][0-9,]*\.?[0-9]*", table[key])[i].replace(",", ""))

    assert number("distance (km)") == pytest.approx(dist / 1000, abs=0.001)
    assert number("distance (mi)") == pytest.approx(dist / 1609.344, abs=0.001)
    assert number("distance (nmi)") == pytest.approx(dist / 1852, abs=0.001)
    assert number("azimuth at A (true)") == pytest.approx(az12 % 360, abs=0.01)
    assert number("azimuth at A (true)", 1) == pytest.approx((az12 % 360) * 6400 / 360, abs=0.5)
    assert number("back azimuth at B (true)") == pytest.approx(az21 % 360, abs=0.01)
    assert "WMM2025" in table["magnetic azimuth at A"]
    assert "UTM zone 35" in table["grid azimuth at A"]
    assert {f"A: Astravets NPP ({f})" for f in ("DD", "DMS", "MGRS")} <= set(table.index)


def test_site_table_gives_the_bearings_picked(site_coords, wgs84):
    minsk = site_place("minsk")
    table = reports.site_distance_table(
        minsk, "km", limit=5, bearings=("true", "mils", "magnetic", "grid")
    )
    first = table.iloc[0]
    az = wgs84.inv(*site_coords["minsk"], *site_coords[_site_id(first["site"])])[0] % 360
    assert first["bearing (°)"] == pytest.approx(az, abs=0.05)
    assert first["bearing (mils)"] == pytest.approx(az * 6400 / 360, abs=0.5)
    declination = declination_deg(minsk.lon, minsk.lat)
    assert first["magnetic (°)"] == pytest.approx((az - declination) % 360, abs=0.05)
    convergence = grid_convergence_deg(minsk.lon, minsk.lat)
    assert first["grid (°)"] == pytest.approx((az - convergence) % 360, abs=0.05)
    only_mils = reports.site_distance_table(minsk, "km", limit=5, bearings=("mils",))
    assert list(only_mils.columns) == ["site", "kind", "distance (km)", "bearing (mils)"]
    nothing = reports.site_distance_table(minsk, "km", limit=5, bearings=())
    assert "bearing (°)" in nothing.columns


def _site_id(name: str) -> str:
    from geo.data import sites

    return sites().set_index("name").loc[name, "id"]


def test_border_table_gives_every_territory_nearest_first(site_coords, brute_border_m):
    table = reports.border_distance_table(site_place("vilnius"), "km")
    assert table["territory"].iloc[0] == "Lithuania" and table["nearest point"].iloc[0] == "inside"
    belarus = table.set_index("territory").loc["Belarus", "distance (km)"]
    assert belarus * 1000 == pytest.approx(brute_border_m(*site_coords["vilnius"], "BY"), abs=10)
    assert table["distance (km)"].is_monotonic_increasing and len(table) == 15


def test_site_table_in_miles_excludes_the_point_itself(site_coords, wgs84):
    table = reports.site_distance_table(site_place("minsk"), "mi", limit=5)
    assert "Minsk" not in set(table["site"])
    nearest = min(
        wgs84.inv(*site_coords["minsk"], *xy)[2]
        for sid, xy in site_coords.items()
        if sid != "minsk"
    )
    assert table["distance (mi)"].iloc[0] <= nearest / 1609.344 + 0.01
    assert table["distance (mi)"].is_monotonic_increasing and len(table) == 5


def test_what_a_ring_holds_matches_an_independent_distance_check(site_coords, wgs84):
    vilnius = site_coords["vilnius"]
    row = reports.inside_tables(["Vilnius 100 km"], [ring(*vilnius, 100_000)]).iloc[0]
    assert "Vilnius" in row["capitals"]
    assert "Belarus" in row["countries"] and "Lithuania" in row["countries"]
    # Geodesic disc area: 2πR²(1 − cos(r/R)) on the sphere is within 0.5% of the ellipsoid.
    r_mean = 6_371_008.8
    sphere_km2 = 2 * math.pi * r_mean**2 * (1 - math.cos(100_000 / r_mean)) / 1e6
    assert row["area (km²)"] == pytest.approx(sphere_km2, rel=0.005)
    kaunas_m = wgs84.inv(*vilnius, *site_coords["kaunas"])[2]
    assert ("Kaunas" in row["cities"]) == (kaunas_m <= 100_000)


def test_many_rings_at_once_each_hold_the_sites_within_their_radius(wgs84):
    """The app asks for a whole layer's rings in one call: each row is its own ring's."""
    with open(ROOT / "data" / "sites.csv", newline="", encoding="utf-8") as f:
        cities = [r for r in csv.DictReader(f) if r["kind"] in ("capital", "admin_centre", "city")]
    centres = {r["id"]: (float(r["lon"]), float(r["lat"])) for r in cities}
    asked = [("vilnius", 50), ("minsk", 300), ("vilnius", 200), ("riga", 120)]
    names = [f"{site} {km} km" for site, km in asked]
    table = reports.inside_tables(names, [ring(*centres[s], km * 1000) for s, km in asked])
    assert list(table["area"]) == names
    for row, (site, km) in zip(table.itertuples(), asked, strict=True):
        listed = set(row.capitals.split(", ")) | set(row.cities.split(", "))
        for city in cities:
            d_km = wgs84.inv(*centres[site], float(city["lon"]), float(city["lat"]))[2] / 1000
            if abs(d_km - km) > 1:  # rings are 256-gons: their edges sag inward by metres
                assert (city["name"] in listed) == (d_km < km), (row.area, city["name"], d_km)


def test_no_areas_give_an_empty_table_with_the_columns():
    table = reports.inside_tables([], [])
    assert table.empty
    assert list(table.columns) == [
        "area",
        "capitals",
        "cities",
        "countries",
        "area (km²)",
        "people in towns of ≥ 5,000",
    ]


def test_a_route_table_gives_each_leg_and_the_distance_along(wgs84):
    points = [site_place(s) for s in ("vilnius", "minsk", "vitebsk")]
    table = reports.route_table(points, "nmi")
    lengths = [
        wgs84.inv(p.lon, p.lat, q.lon, q.lat)[2] / 1852 for p, q in itertools.pairwise(points)
    ]
    assert list(table["length (nmi)"]) == pytest.approx(lengths, abs=1e-3)
    assert list(table["along the route (nmi)"]) == pytest.approx(
        [lengths[0], sum(lengths)], abs=1e-3
    )
    assert list(table["from"]) == ["Vilnius", "Minsk"] and list(table["to"]) == ["Minsk", "Vitebsk"]
