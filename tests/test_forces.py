"""Forces: every unit cited and valid, the laydown on a date, distances as ranges.

The distance ranges are checked against a brute-force computation independent of
geo.nearest: the uncertainty disc's edge sampled with pyproj.Geod.fwd, each sample's
distance to the densified border (``brute_border_m``).
"""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geo.errors import GeoInputError
from geo.forces import FORCE_COLUMNS, as_of, check_sidc, distance_range_km, forces, validate_forces
from tests.test_cli import run_cli

GEOD = Geod(ellps="WGS84")
SEED_UNITS = {  # what the issue asks the data to hold
    "yelnia_regiment",
    "klintsy_regiment",
    "efp_estonia",
    "efp_latvia",
    "efp_lithuania",
    "efp_poland",
    "polonez_brigade",
}


def unit_row(**changes: str) -> dict[str, str]:
    """A valid row of forces.csv, with some fields changed."""
    values = ["u1", "Unit", "RU", "regiment", "10061000171211020000", "54.5", "33.2", "5",
              "2016-01-12", "", "a source", ""]  # fmt: skip
    return {**dict(zip(FORCE_COLUMNS, values, strict=True)), **changes}


def test_every_unit_is_valid_cited_and_the_seeds_units_are_there():
    table = forces()
    assert set(table["id"]) >= SEED_UNITS
    assert table["citation"].str.len().min() > 20
    assert (table["uncertainty_km"] >= 0).all()
    for sidc in table["sidc"]:
        assert check_sidc(sidc) == sidc
    hostile = table.set_index("id").loc[["yelnia_regiment", "klintsy_regiment"], "sidc"]
    assert {s[3] for s in hostile} == {"6"}  # standard identity: hostile
    friends = table[table["side"] == "NATO"]["sidc"]
    assert {s[3] for s in friends} == {"3"}  # friend


@pytest.mark.parametrize(
    ("day", "present"),
    [
        (dt.date(2017, 2, 6), False),  # the day before Lithuania's battlegroup was welcomed
        (dt.date(2017, 2, 7), True),
    ],
)
def test_a_laydown_holds_a_unit_from_its_first_day(day, present):
    assert ("efp_lithuania" in set(as_of(forces(), day)["id"])) is present


def test_a_unit_is_there_on_its_last_day_and_not_after():
    row = unit_row(id="zapad", uncertainty_km="50", **{"from": "2017-09-14", "to": "2017-09-20"})
    table = validate_forces(pd.DataFrame([row]), "x.csv")
    assert len(as_of(table, dt.date(2017, 9, 20))) == 1
    assert len(as_of(table, dt.date(2017, 9, 21))) == 0
    assert len(as_of(table, dt.date(2017, 9, 13))) == 0


@pytest.mark.parametrize("unit", ["klintsy_regiment", "yelnia_regiment", "efp_lithuania"])
def test_the_distance_range_is_that_of_the_sampled_uncertainty_disc(unit, brute_border_m):
    row = forces().set_index("id").loc[unit]
    low, high = distance_range_km(row["lon"], row["lat"], row["uncertainty_km"], "BY")
    n = 90
    lons, lats, _ = GEOD.fwd(
        np.full(n, row["lon"]),
        np.full(n, row["lat"]),
        np.linspace(0, 360, n, endpoint=False),
        np.full(n, row["uncertainty_km"] * 1000),
    )
    sampled = [
        brute_border_m(x, y, "BY", half_box_deg=4.0) / 1000 for x, y in zip(lons, lats, strict=True)
    ]
    # 90 samples: the true extremes lie within ~0.02 km of the sampled ones (4° apart)
    assert low == pytest.approx(min(sampled), abs=0.05)
    assert high == pytest.approx(max(sampled), abs=0.05)
    assert low < high


def test_a_unit_inside_belarus_is_at_no_distance():
    row = forces().set_index("id").loc["polonez_brigade"]
    assert distance_range_km(row["lon"], row["lat"], row["uncertainty_km"], "BY") == (0.0, 0.0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sidc", "SFGPUCI----", "not 20 digits"),
        ("sidc", "10091000171211020000", "standard identity 9"),
        ("sidc", "10061000991211020000", None),  # echelon is free for other sets: allowed
        ("sidc", "10069900171211020000", "symbol set 99"),
        ("lat", "north", "latitude"),
        ("lon", "200", "longitude"),
        ("from", "2017-02-30", "from"),
        ("to", "2016-01-01", "before"),
        ("citation", "", "citation"),
        ("side", "Narnia", "side"),
        ("uncertainty_km", "-3", "uncertainty_km"),
    ],
)
def test_a_bad_row_is_one_error_naming_the_row(field, value, message):
    rows = pd.DataFrame([unit_row(id="u0"), unit_row(**{field: value})])
    if message is None:
        assert len(validate_forces(rows, "mine.csv")) == 2
        return
    with pytest.raises(GeoInputError, match=message) as info:
        validate_forces(rows, "mine.csv")
    assert str(info.value).startswith("mine.csv row 3 (u1): ")
    assert "\n" not in str(info.value)


def test_the_forces_command_lists_the_laydown_with_ranges():
    out = run_cli("forces", "--as-of", "2017-04-15", "--json")
    assert out.returncode == 0, out.stderr
    units = {u["id"]: u for u in json.loads(out.stdout)}
    assert set(units) == SEED_UNITS - {"efp_estonia", "efp_latvia"}
    klintsy = units["klintsy_regiment"]
    assert set(klintsy) == {
        "id", "name", "side", "sidc", "lat", "lon", "uncertainty_km", "from", "to", "citation",
        "to_BY_km",
    }  # fmt: skip
    low, high = klintsy["to_BY_km"]
    assert low == pytest.approx(high - 2 * klintsy["uncertainty_km"], abs=0.1)
    bad = run_cli("forces", "--as-of", "15/04/2017")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
