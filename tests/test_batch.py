"""Distances from many points to countries and places (geo.batch, cli.py distances)."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from cli import main as cli_main
from geo.batch import add_distances, targets
from geo.errors import GeoInputError, InputError, UnknownNameError
from geo.territories import distance_to_territory
from tests.conftest import ROOT

WGS84 = Geod(ellps="WGS84")
HOSTILE = ROOT / "tests" / "data" / "hostile"


def random_points(n: int, seed: int) -> gpd.GeoDataFrame:
    """``n`` points over and around Belarus, with an id and a text column."""
    rng = np.random.default_rng(seed)
    lons, lats = rng.uniform(18, 36, n), rng.uniform(49, 59, n)
    return gpd.GeoDataFrame(
        {"id": np.arange(n), "note": [f"p{i}" for i in range(n)]},
        geometry=gpd.points_from_xy(lons, lats),
        crs=4326,
    )


@pytest.fixture(scope="module")
def to_by_and_vilnius():
    return targets(["Belarus"], ["Vilnius"])


def test_targets_resolve_names_codes_and_coordinates():
    found = targets(["BY", "Lietuva"], ["Astravets NPP", "54.5, 25.0"])
    assert [t.label for t in found] == ["BY", "LT", "astravets_npp", "54.50000_25.00000"]
    assert found[0].columns == ("to_BY_km", "to_BY_lon", "to_BY_lat")


@pytest.mark.parametrize(
    ("countries", "places", "error", "message"),
    [
        ([], [], InputError, "no target"),
        (["Belarsu"], [], UnknownNameError, "Belarus"),  # the closest name is offered
        (["BY", "Belarus"], [], InputError, "given twice"),
        ([], ["Atlantis"], GeoInputError, "unknown place 'Atlantis'"),
    ],
)
def test_bad_targets_are_refused_clearly(countries, places, error, message):
    with pytest.raises(InputError, match=message) as caught:
        targets(countries, places)
    assert caught.type is error


def test_each_point_gets_the_exact_distance_and_nearest_point(to_by_and_vilnius):
    points = random_points(500, seed=1)
    out = add_distances(points, to_by_and_vilnius)
    lons, lats = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    border = distance_to_territory(lons, lats, "BY")
    np.testing.assert_array_equal(out["to_BY_km"], border.distance_m / 1000)
    np.testing.assert_array_equal(out["to_BY_lon"], border.lon)
    vilnius = out[["to_vilnius_lon", "to_vilnius_lat"]].iloc[0].to_numpy()
    _, _, metres = WGS84.inv(lons, lats, np.full(500, vilnius[0]), np.full(500, vilnius[1]))
    np.testing.assert_allclose(out["to_vilnius_km"], metres / 1000, rtol=0, atol=1e-9)
    # The nearest point of Belarus is that far away (the distance is to a real point).
    _, _, to_near = WGS84.inv(lons, lats, out["to_BY_lon"], out["to_BY_lat"])
    np.testing.assert_allclose(out["to_BY_km"], to_near / 1000, rtol=0, atol=1e-6)


def test_the_input_is_kept_as_it_was(to_by_and_vilnius):
    points = random_points(50, seed=2)
    before = points.copy()
    out = add_distances(points, to_by_and_vilnius)
    pd.testing.assert_frame_equal(points, before)  # the caller's frame is not changed
    assert list(out.columns[:3]) == ["id", "note", "geometry"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(out[["id", "note"]]), pd.DataFrame(points[["id", "note"]])
    )


def test_chunks_give_the_same_answer_and_report_progress(to_by_and_vilnius):
    points = random_points(1_000, seed=3)
    done = []
    chunked = add_distances(points, to_by_and_vilnius, chunk=300, progress=done.append)
    assert done == [300, 300, 300, 100]
    pd.testing.assert_frame_equal(chunked, add_distances(points, to_by_and_vilnius))


def test_only_points_are_measured(to_by_and_vilnius):
    lines = gpd.GeoDataFrame(
        geometry=[shapely.Point(25, 54), shapely.LineString([(25, 54), (26, 55)])], crs=4326
    )
    with pytest.raises(GeoInputError, match="feature 2 is a Linestring, not a point"):
        add_distances(lines, to_by_and_vilnius)


def test_an_output_column_already_in_the_input_is_refused(to_by_and_vilnius):
    points = random_points(3, seed=4).assign(TO_BY_KM=1.0)
    with pytest.raises(InputError, match="already has column 'to_BY_km'"):
        add_distances(points, to_by_and_vilnius)


def test_the_dask_engine_returns_the_same_distances_on_10000_points(tmp_path):
    """``--engine dask`` (a local cluster, in its own process as users run it) writes the
    very same table as the in-process engine."""
    points = random_points(10_000, seed=5)
    source = tmp_path / "points.gpkg"
    points.to_file(source)
    args = ["distances", str(source), "--to-country", "BY", "--to-site", "Vilnius", "--quiet"]
    assert cli_main([*args, "--out", str(tmp_path / "local.csv")]) == 0
    run = subprocess.run(
        [sys.executable, "cli.py", *args, "--engine", "dask", "--out", str(tmp_path / "dask.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    local = pd.read_csv(tmp_path / "local.csv")
    assert len(local) == 10_000 and local["to_BY_km"].gt(0).any()
    assert (tmp_path / "dask.csv").read_text() == (tmp_path / "local.csv").read_text()


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_cli_writes_each_row_with_its_columns_and_distances(tmp_path, capsys):
    source = write_csv(
        tmp_path / "sightings.csv",
        [
            ["ref", "Latitude", "Longitude", "what"],
            ["a", 54.6872, 25.2797, "=1+1"],
            ["b", 53.9, 27.56, "x"],
        ],
    )
    out = tmp_path / "out.csv"
    args = [
        "distances",
        str(source),
        "--to-country",
        "BY",
        "--to-site",
        "Vilnius",
        "--out",
        str(out),
    ]
    assert cli_main([*args, "--quiet"]) == 0
    assert "wrote" in capsys.readouterr().out
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:4] == ["ref", "Latitude", "Longitude", "what"]
    assert "name" not in rows[0]  # the reader's own column is not written back
    assert rows[0]["what"] == "'=1+1"  # a formula is defused
    assert float(rows[1]["to_BY_km"]) == 0.0  # Minsk is inside Belarus
    expected = WGS84.inv(25.2797, 54.6872, 27.56, 53.9)[2] / 1000
    vilnius = WGS84.inv(
        float(rows[0]["to_vilnius_lon"]), float(rows[0]["to_vilnius_lat"]), 27.56, 53.9
    )[2]
    assert float(rows[1]["to_vilnius_km"]) == pytest.approx(vilnius / 1000, abs=1e-9)
    assert 28 < float(rows[0]["to_BY_km"]) < 30 and expected > 150


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_cli_reads_mgrs_and_writes_geodata(tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    args = ["distances", str(HOSTILE / "mgrs.csv"), "--to-country", "LT", "--out", str(out)]
    assert cli_main([*args, "--quiet"]) == 0
    read = gpd.read_file(out)
    assert len(read) == 3 and read.crs.to_epsg() == 4326
    inside_lt = read.loc[read["Name"] == "Vilnius", "to_LT_km"].iloc[0]
    assert inside_lt == 0.0


@pytest.mark.parametrize(
    "name",
    [
        "malformed.geojson",
        "nan_coordinates.geojson",
        "crs_link.geojson",
        "truncated.gpkg",
        "swapped.csv",
        "xxe.gpx",
        "traversal.zip",
        "prj_grid_file.zip",
        "truncated_dbf.zip",
        "not_flatgeobuf.fgb",
    ],
)
def test_cli_on_a_hostile_file_says_why_in_one_line(tmp_path, capsys, name):
    out = tmp_path / "out.csv"
    args = ["distances", str(HOSTILE / name), "--to-country", "BY", "--out", str(out), "--quiet"]
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_cli_refuses_lines_and_a_bad_output_before_working(tmp_path, capsys):
    lines = tmp_path / "lines.geojson"
    lines.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "LineString", "coordinates": [[25, 54], [26, 55]]},
                    }
                ],
            }
        )
    )
    assert (
        cli_main(["distances", str(lines), "--to-country", "BY", "--out", str(tmp_path / "o.csv")])
        == 2
    )
    assert "not a point" in capsys.readouterr().err
    assert (
        cli_main(["distances", str(lines), "--to-country", "BY", "--out", str(tmp_path / "o.xlsx")])
        == 2
    )
    assert "must end in .csv, .gpkg or .geojson" in capsys.readouterr().err


GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="54.6872" lon="25.2797"><name>Vilnius</name></wpt>
<wpt lat="53.6884" lon="23.8258"><name>Hrodna</name></wpt>
<trk><name>Patrol</name><trkseg><trkpt lat="54.6872" lon="25.2797"/>
<trkpt lat="53.9045" lon="27.5615"/></trkseg></trk>
</gpx>"""


def test_cli_measures_a_gpx_by_its_waypoints(tmp_path, capsys):
    source = tmp_path / "patrol.gpx"
    source.write_text(GPX, encoding="utf-8")
    out = tmp_path / "out.csv"
    args = ["distances", str(source), "--to-site", "53.9045, 27.5615", "--out", str(out)]
    assert cli_main([*args, "--quiet"]) == 0
    assert "note: measuring one of 2 layers: waypoints" in capsys.readouterr().err
    rows = {r["name"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert list(rows) == ["Vilnius", "Hrodna"]
    for name, (lon, lat) in {"Vilnius": (25.2797, 54.6872), "Hrodna": (23.8258, 53.6884)}.items():
        expected = WGS84.inv(lon, lat, 27.5615, 53.9045)[2] / 1000
        got = [float(v) for k, v in rows[name].items() if k.endswith("_km")]
        assert got == [pytest.approx(expected, abs=1e-6)]


def test_cli_measures_a_zipped_shapefile_and_prints_its_notes(tmp_path, capsys):
    out = tmp_path / "out.geojson"
    args = ["distances", str(HOSTILE / "cp1251_no_cpg.zip"), "--to-country", "BY"]
    assert cli_main([*args, "--out", str(out), "--quiet"]) == 0
    assert "read as Windows-1251" in capsys.readouterr().err
    read = gpd.read_file(out)
    assert read["name"].tolist() == ["Vilnius", "Мінск", "Гродна"]
    assert read["to_BY_km"].tolist()[1:] == [0.0, 0.0]  # Minsk and Hrodna are in Belarus


def test_cli_measures_what_a_truncated_flatgeobuf_holds_and_says_it_is_damaged(tmp_path, capsys):
    out = tmp_path / "out.csv"
    args = ["distances", str(HOSTILE / "truncated.fgb"), "--to-country", "BY"]
    assert cli_main([*args, "--out", str(out), "--quiet"]) == 0
    assert "declares 3 features but only the first 2 could be read" in capsys.readouterr().err
    assert [r["name"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["Vilnius", "Minsk"]


def test_export_with_a_user_layer_prints_what_was_dropped(tmp_path, capsys):
    out = tmp_path / "map.geojson"
    args = ["export", "--out", str(out), "--layers", "sites"]
    assert cli_main([*args, "--user-layer", str(HOSTILE / "tracks.kml")]) == 0
    err = capsys.readouterr().err
    assert "1 feature without a geometry dropped: feature 4 ('Bad fix')" in err
    names = {f["properties"].get("name") for f in json.loads(out.read_text())["features"]}
    assert {"Patrol", "Fix", "Two legs"} <= names
