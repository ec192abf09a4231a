"""`python cli.py measure`: what an analyst types and what comes back."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_measure_two_places_as_json(site_coords, wgs84):
    out = run_cli("measure", "Vilnius", "Minsk", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    az12, az21, dist = wgs84.inv(*site_coords["vilnius"], *site_coords["minsk"])
    assert record["distance_km"] == pytest.approx(dist / 1000, abs=0.001)
    assert record["distance_mi"] == pytest.approx(dist / 1609.344, abs=0.001)
    assert record["distance_nmi"] == pytest.approx(dist / 1852, abs=0.001)
    assert record["azimuth_deg"] == pytest.approx(az12 % 360, abs=1e-6)
    assert record["back_azimuth_deg"] == pytest.approx(az21 % 360, abs=1e-6)


def test_measure_accepts_aliases_coordinates_dms_and_mgrs(site_coords, wgs84):
    lon, lat = site_coords["minsk"]
    expected = wgs84.inv(25 + 16 / 60 + 47 / 3600, 54 + 41 / 60 + 14 / 3600, lon, lat)[2] / 1000
    for a in (
        "54°41′14″N 25°16′47″E",
        f"{54 + 41 / 60 + 14 / 3600:.8f}, {25 + 16 / 60 + 47 / 3600:.8f}",
    ):
        record = json.loads(run_cli("measure", a, "Минск", "--json").stdout)
        assert record["distance_km"] == pytest.approx(expected, abs=0.001)
    mgrs_out = json.loads(run_cli("measure", "35ULA8910661342", "Minsk", "--json").stdout)
    assert mgrs_out["distance_km"] == pytest.approx(expected, abs=0.01)


def test_measure_prints_a_readable_summary():
    out = run_cli("measure", "Astravets NPP", "Vilnius")
    assert out.returncode == 0, out.stderr
    assert "km" in out.stdout and "mi" in out.stdout and "nmi" in out.stdout
    assert "azimuth" in out.stdout
    assert "35U" in out.stdout


def test_measure_to_a_country_gives_the_nearest_point_of_its_territory(site_coords, wgs84):
    out = run_cli("measure", "Vilnius", "--to-country", "BY", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    lat, lon = record["nearest_point"]
    stated = wgs84.inv(*site_coords["vilnius"], lon, lat)[2] / 1000
    assert record["distance_km"] == pytest.approx(stated, abs=1e-6)
    assert 20 < record["distance_km"] < 40  # Vilnius lies some 30 km from Belarus


@pytest.mark.parametrize("code", ["LT", "LTU", "Lithuania", "Lietuva"])
def test_a_country_can_be_named_by_code_or_name(code):
    record = json.loads(run_cli("measure", "Astravets NPP", "--to-country", code, "--json").stdout)
    assert record["country"] == "LT"


def test_a_place_inside_the_country_is_at_zero():
    record = json.loads(run_cli("measure", "Minsk", "--to-country", "Belarus", "--json").stdout)
    assert record["distance_km"] == 0.0 and record["azimuth_deg"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("measure", "Atlantis", "Vilnius"), "unknown place 'Atlantis'"),
        (("measure", "95,20", "Minsk"), "latitude 95"),
        (("measure", "Minsk", "--to-country", "XX"), "unknown country 'XX'"),
        (("measure", "Vilnus", "Minsk"), "closest: Vilnius"),
        (("measure", "Minsk"), "needs a second place"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line_naming_the_problem(args, message):
    out = run_cli(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in out.stderr


def test_an_unknown_option_is_refused_naming_it():
    """Only ``serve`` passes options on (to Streamlit); elsewhere a typo is an error."""
    out = run_cli("measure", "Vilnius", "Minsk", "--jsn")
    assert out.returncode == 2 and out.stdout == ""
    assert "unrecognized arguments: --jsn" in out.stderr and "Traceback" not in out.stderr
