"""`python cli.py measure`: what an analyst types and what comes back."""

import contextlib
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely.geometry
from pyproj import Proj

import cli
from tests.conftest import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``python cli.py ARGS`` from the project's folder: its exit status and what it wrote.

    Run in this process (``cli.main``), which has the libraries imported already: as a
    process each call paid ~2 s of start-up. The command as a process, from another
    folder, is :func:`test_the_atlas_command_is_the_cli_from_any_folder`.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return subprocess.CompletedProcess(["cli.py", *args], status, out.getvalue(), err.getvalue())


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


# -- range fans, radials, bearings in every north, horizon (issue #17) ---------------------


def test_fan_as_json_gives_its_geodesic_area_perimeter_and_ccw_geometry(site_coords, wgs84):
    out = run_cli(
        "fan", "Vilnius", "--azimuth", "45", "--width", "60", "--range", "10,80", "--json"
    )
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    lon, lat = site_coords["vilnius"]
    # the reference: the fan's outline sampled 20,000 times along each arc
    n = 20_000
    out_az, in_az = np.linspace(15, 75, n), np.linspace(75, 15, n)
    xo, yo, _ = wgs84.fwd(np.full(n, lon), np.full(n, lat), out_az, np.full(n, 80_000))
    xi, yi, _ = wgs84.fwd(np.full(n, lon), np.full(n, lat), in_az, np.full(n, 10_000))
    area, perimeter = wgs84.polygon_area_perimeter([*xo, *xi], [*yo, *yi])
    assert record["area_km2"] == pytest.approx(abs(area) / 1e6, rel=2e-4)
    assert record["perimeter_km"] == pytest.approx(perimeter / 1000, rel=2e-4)
    geometry = shapely.geometry.shape(record["geometry"])
    assert record["geometry"]["type"] == "Polygon" and geometry.exterior.is_ccw
    assert record["countries"] == ["BY", "LT"]
    assert record["people_in_towns"] > 0


def test_a_fan_given_by_its_bounding_bearings_is_the_same_fan():
    by_width = run_cli(
        "fan", "Minsk", "--azimuth", "0", "--width", "40", "--range", "0,30", "--json"
    )
    by_bearings = run_cli("fan", "Minsk", "--bearings", "340,20", "--range", "0,30", "--json")
    a, b = json.loads(by_width.stdout), json.loads(by_bearings.stdout)
    assert (b["azimuth_deg"], b["width_deg"]) == (0.0, 40.0)
    assert b["area_km2"] == pytest.approx(a["area_km2"], rel=1e-12)
    both = run_cli("fan", "Minsk", "--bearings", "1,2", "--width", "3", "--range", "0,30")
    assert both.returncode == 2 and "either" in both.stderr


def test_radials_as_json_end_where_geod_fwd_says(site_coords, wgs84):
    out = run_cli("radials", "Minsk", "--count", "6", "--length-km", "75", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["radials"]
    lon, lat = site_coords["minsk"]
    assert [r["azimuth_deg"] for r in rows] == pytest.approx([0, 60, 120, 180, 240, 300])
    for r in rows:
        end = wgs84.fwd(lon, lat, r["azimuth_deg"], 75_000)[:2]
        assert r["end"] == pytest.approx(list(end), abs=1e-9)
        assert r["geometry"]["type"] == "LineString"


def test_measure_gives_bearings_in_mils_magnetic_and_grid_and_a_time(site_coords, wgs84):
    out = run_cli(
        "measure", "Vilnius", "Minsk", "--json", "--date", "2027-07-02", "--speed-kmh", "80"
    )
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    az, back, dist = wgs84.inv(*site_coords["vilnius"], *site_coords["minsk"])
    assert r["azimuth_mils"] == pytest.approx((az % 360) * 6400 / 360, abs=1e-6)
    assert r["back_azimuth_mils"] == pytest.approx((back % 360) * 6400 / 360, abs=1e-6)
    assert r["magnetic_azimuth_deg"] == pytest.approx((az - r["declination_deg"]) % 360)
    lon, lat = site_coords["vilnius"]
    convergence = Proj(proj="utm", zone=35, ellps="WGS84").get_factors(lon, lat)
    assert r["grid_convergence_deg"] == pytest.approx(convergence.meridian_convergence)
    assert r["grid_azimuth_deg"] == pytest.approx((az - r["grid_convergence_deg"]) % 360)
    assert (r["magnetic_model"], r["magnetic_date"]) == ("WMM2025", "2027-07-02")
    assert r["time_h"] == pytest.approx(dist / 1000 / 80)


def test_the_magnetic_declination_is_the_models_published_test_value():
    """WMM2025 test values: 80°N 0°E at sea level, 1.28° on 2025.0 and 2.59° on 2027.5."""
    for day, expected in (("2025-01-01", 1.28), ("2027-07-02", 2.59)):
        out = run_cli("measure", "80, 0", "81, 0", "--json", "--date", day)
        assert json.loads(out.stdout)["declination_deg"] == pytest.approx(expected, abs=0.006)


def test_horizon_as_json_is_the_square_root_of_2_k_r_h():
    out = run_cli("horizon", "--height-m", "30", "--target-height-m", "100", "--k", "1.1666667")
    assert out.returncode == 0 and "terrain not modelled" in out.stdout
    r = json.loads(
        run_cli("horizon", "--height-m", "30", "--target-height-m", "100", "--json").stdout
    )
    radius = 4 / 3 * 6_371_008.8
    assert r["observer_km"] == pytest.approx(math.sqrt(2 * radius * 30) / 1000)
    assert r["target_km"] == pytest.approx(math.sqrt(2 * radius * 100) / 1000)
    assert r["horizon_km"] == pytest.approx(r["observer_km"] + r["target_km"])


@pytest.mark.parametrize(
    "args",
    [
        ("fan", "Vilnius", "--azimuth", "0", "--width", "0", "--range", "0,10"),
        ("fan", "Vilnius", "--azimuth", "0", "--width", "361", "--range", "0,10"),
        ("fan", "Vilnius", "--azimuth", "0", "--width", "30", "--range", "20,10"),
        ("fan", "Vilnius", "--azimuth", "0", "--width", "30", "--range", "ten"),
        ("fan", "Atlantis", "--azimuth", "0", "--width", "30", "--range", "0,10"),
        ("fan", "Vilnius", "--bearings", "30,30", "--range", "0,10"),
        ("fan", "Vilnius", "--range", "0,10"),
        ("radials", "Minsk", "--count", "0", "--length-km", "10"),
        ("horizon", "--height-m", "-5"),
        ("horizon", "--height-m", "10", "--target-height-m", "-1"),
        ("measure", "Vilnius", "Minsk", "--date", "2031-01-01"),
        ("measure", "Vilnius", "Minsk", "--date", "yesterday"),
        ("measure", "Vilnius", "Minsk", "--speed-kmh", "0"),
    ],
)
def test_bad_fan_radial_horizon_or_bearing_input_exits_2_with_one_line(args):
    out = run_cli(*args)
    assert out.returncode == 2, out.stdout
    assert out.stderr.startswith("error: ") and len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("ext", ["geojson", "kml", "gpkg", "csv", "html", "png"])
def test_a_fan_and_radials_are_written_in_every_format(tmp_path, ext):
    fan_out = run_cli(
        "fan", "Vilnius", "--azimuth", "90", "--width", "40", "--range", "0,30",
        "--out", str(tmp_path / f"fan.{ext}"),
    )  # fmt: skip
    radials_out = run_cli(
        "radials", "Minsk", "--count", "4", "--length-km", "20", "--out", str(tmp_path / f"r.{ext}")
    )
    assert fan_out.returncode == 0 and radials_out.returncode == 0, fan_out.stderr
    if ext == "geojson":
        fan_file = json.loads((tmp_path / "fan.geojson").read_text(encoding="utf-8"))
        (feature,) = [f for f in fan_file["features"] if f["properties"]["role"] == "fan"]
        assert feature["properties"]["width_deg"] == 40.0
        roles = [
            f["properties"]["role"]
            for f in json.loads((tmp_path / "r.geojson").read_text())["features"]
        ]
        assert roles.count("radial") == 4
    else:
        assert (tmp_path / f"fan.{ext}").stat().st_size > 0


def test_a_place_typed_with_a_minus_first_is_a_place_not_an_option():
    """Sydney to Melbourne, both typed south-negative (issue #19); the distance is pyproj's."""
    from pyproj import Geod

    out = run_cli("measure", "-33.857,151.215", "−37.8136, 144.9631", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    _, _, metres = Geod(ellps="WGS84").inv(151.215, -33.857, 144.9631, -37.8136)
    assert data["distance_km"] == pytest.approx(metres / 1000, abs=1e-6)


def test_the_atlas_command_is_the_cli_from_any_folder(tmp_path: Path) -> None:
    """``make run`` and ``make test`` install the project into .venv: ``atlas`` is
    ``python cli.py``, run from anywhere (issue #21)."""
    atlas = Path(sys.executable).parent / "atlas"
    assert atlas.is_file(), "the atlas command is installed with the project (make run)"
    args = ("measure", "Vilnius", "Minsk", "--json")
    ran = subprocess.run(
        [str(atlas), *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == json.loads(run_cli(*args).stdout)
