"""Batch distances at scale (issue #22): files read, measured and written chunk by chunk.

Every figure is checked against an independent computation: the in-memory engine on the
whole table, the former one-point-at-a-time method (exact to the millimetre), or
``pyproj.Geod``.
"""

import csv
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bench.reference import ReferenceNearest
from cli import main as cli_main
from exports.point_tables import write_point_chunks
from geo.batch import add_distances, measure_chunk, measure_chunks, targets
from geo.errors import FileInputError
from geo.territories import territory_index
from geo.user_layers import Limits, read_user_layer
from geo.user_layers.stream import read_point_chunks
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "data" / "hostile"
FORMATS = [".csv", ".gpkg", ".geojson"]


def points_in(n: int, seed: int, west: float, south: float, east: float, north: float):
    """``n`` points uniform over a box, with an id and a text column."""
    rng = np.random.default_rng(seed)
    lons, lats = rng.uniform(west, east, n), rng.uniform(south, north, n)
    return gpd.GeoDataFrame(
        {"ref": [f"p{i}" for i in range(n)], "note": ["=cmd" if i == 7 else "x" for i in range(n)]},
        geometry=gpd.points_from_xy(lons, lats),
        crs=4326,
    )


NEAR = (23.0, 51.0, 33.0, 56.5)  # in and around Belarus
FAR = (5.0, 45.0, 45.0, 62.0)  # the spread: most points hundreds of km away


@pytest.fixture(scope="module")
def to_by_and_vilnius():
    return targets(["BY"], ["Vilnius"])


def write_points(points: gpd.GeoDataFrame, path: Path) -> Path:
    """The points as a user's file: a CSV with lat/lon columns, or GDAL's GeoPackage/GeoJSON."""
    if path.suffix == ".csv":
        table = pd.DataFrame(points.drop(columns="geometry"))
        table.insert(1, "lat", points.geometry.y)
        table.insert(2, "lon", points.geometry.x)
        table.to_csv(path, index=False)
    else:
        points.to_file(path)
    return path


class Bar:
    """A progress bar that records its steps (tqdm's interface as cli.py uses it)."""

    def __init__(self, total=None, **_):
        self.total, self.n, self.steps = total, 0, []

    def update(self, n):
        self.n += n
        self.steps.append(n)

    def refresh(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def read_table(path: Path) -> pd.DataFrame:
    """A written table's columns, without the geometry (CSV has lat/lon columns)."""
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype={"ref": str, "note": str}, keep_default_na=False)
    return pd.DataFrame(gpd.read_file(path).drop(columns="geometry"))


# --- the engine: chunks change nothing --------------------------------------------------


def test_chunked_and_unchunked_results_are_identical(to_by_and_vilnius):
    points = points_in(1_000, 1, *FAR)
    whole = measure_chunk(points, to_by_and_vilnius)
    parts = measure_chunks(
        (points.iloc[i : i + 137] for i in range(0, 1_000, 137)), to_by_and_vilnius
    )
    pd.testing.assert_frame_equal(pd.concat(list(parts)), whole)
    pd.testing.assert_frame_equal(add_distances(points, to_by_and_vilnius, chunk=64), whole)


@pytest.mark.parametrize("box", [NEAR, FAR], ids=["near", "far"])
def test_near_and_far_points_agree_with_the_point_by_point_reference_to_a_millimetre(box):
    points = points_in(300, 2, *box)
    out = add_distances(points, targets(["BY"]), chunk=100)
    lons, lats = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    ref = ReferenceNearest(territory_index("BY")).query(lons, lats)
    assert np.abs(out["to_BY_km"].to_numpy() * 1000 - ref.distance_m).max() <= 1e-3
    if box is FAR:
        assert np.median(ref.distance_m) > 300_000  # far indeed


# --- the command line: every format in and out, more than one chunk -----------------------


@pytest.mark.parametrize("source", FORMATS)
@pytest.mark.parametrize("target", FORMATS)
def test_a_file_of_several_chunks_goes_through_every_format(
    tmp_path, monkeypatch, to_by_and_vilnius, source, target
):
    points = points_in(250, 3, *NEAR)
    path = write_points(points, tmp_path / f"points{source}")
    out = tmp_path / f"out{target}"
    bars = []
    monkeypatch.setattr("tqdm.tqdm", lambda **kw: bars.append(Bar(**kw)) or bars[-1])
    args = ["distances", str(path), "--to-country", "BY", "--to-site", "Vilnius"]
    assert cli_main([*args, "--out", str(out), "--chunk", "40"]) == 0
    assert bars[0].steps == [40] * 6 + [10]  # the progress bar counts rows, chunk by chunk
    written = read_table(out)
    expected = add_distances(points, to_by_and_vilnius)
    assert written["ref"].tolist() == expected["ref"].tolist()
    assert written.loc[7, "note"] == ("'=cmd" if target == ".csv" else "=cmd")  # defused in CSV
    # GDAL writes a GeoJSON's numbers in 17 digits but drops a last-digit tail such as
    # 23.913020000000003 (to 23.91302): 2e-14°, 2 nanometres
    atol = 1e-12 if target == ".geojson" else 0
    for col in [c for t in to_by_and_vilnius for c in t.columns]:
        np.testing.assert_allclose(written[col], expected[col], rtol=0, atol=atol, err_msg=col)
    if target == ".csv":
        assert written["lat"].tolist() == points.geometry.y.tolist()


def test_the_dask_engine_measures_the_chunks_as_this_process_does(tmp_path, to_by_and_vilnius):
    """The chunks go to a local cluster's workers (two processes) and come back in order."""
    from geo.batch import dask_client

    points = points_in(3_000, 4, *FAR)
    chunks = [points.iloc[i : i + 400] for i in range(0, 3_000, 400)]
    with dask_client() as client:
        remote = pd.concat(list(measure_chunks(chunks, to_by_and_vilnius, client=client)))
    pd.testing.assert_frame_equal(remote, add_distances(points, to_by_and_vilnius))


@pytest.mark.parametrize("target", FORMATS)
def test_a_failed_run_leaves_the_previous_output_as_it_was(tmp_path, capsys, target):
    """A bad row in a later chunk: one line naming it, whatever writes the output (GDAL
    pulls the chunks when it writes a GeoPackage or a GeoJSON)."""
    rows = [["lat", "lon"]] + [[54.0, 25.0 + i / 100] for i in range(100)] + [["x", 25.0]]
    source = tmp_path / "late_error.csv"
    with source.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / f"out{target}"
    out.write_text("yesterday's table\n")
    args = ["distances", str(source), "--to-country", "BY", "--out", str(out), "--quiet"]
    assert cli_main([*args, "--chunk", "10"]) == 2
    err = capsys.readouterr().err
    assert "row 102: 'x' in column 'lat' is not a number" in err and err.count("\n") == 1
    assert out.read_text() == "yesterday's table\n"
    assert {p.name for p in tmp_path.iterdir()} == {"late_error.csv", out.name}  # no part left


# --- the reader: what the upload reader does, chunk by chunk ------------------------------


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them_across_chunks(tmp_path):
    text = (
        "\n\nname;lat;lon\n"  # two blank lines first, a semicolon file
        "A;54,1;25,2\n"  # decimal commas
        ";;\n"  # no cell filled: no row at all
        "B;54.2;25.3\n"
        "C;;\n"  # no place: dropped and named
        '"D\nE";54.3;25.4\n'  # a line break in a quoted cell
        "F;54.4;25.5\n"
    )
    (tmp_path / "p.csv").write_text(text, encoding="utf-8")
    stream = read_point_chunks(tmp_path / "p.csv", chunk=2)
    chunks = list(stream)
    names = [n for c in chunks for n in c["name"]]
    assert names == ["A", "B", "D\nE", "F"]
    assert chunks[0].geometry[0].equals(shapely.Point(25.2, 54.1))
    assert stream.notes == ["1 row without a geometry dropped: row 7 ('C')"]
    (tmp_path / "q.csv").write_text(text.replace("F;54.4", "F;north"), encoding="utf-8")
    with pytest.raises(FileInputError, match=r"row 9: 'north' in column 'lat' is not a number"):
        list(read_point_chunks(tmp_path / "q.csv", chunk=2))


def test_a_legacy_encoding_is_assumed_and_said_also_when_it_shows_late(tmp_path):
    ascii_rows = "".join(f"p{i},54.0,25.0\n" for i in range(60_000))  # 0.8 MB
    text = "name,lat,lon\n" + ascii_rows * 2 + "Мінск,53.9,27.56\n"  # past the first MB
    (tmp_path / "p.csv").write_bytes(text.encode("cp1251"))
    stream = read_point_chunks(tmp_path / "p.csv", limits=Limits(max_features=200_000))
    assert [n for c in stream for n in c["name"]][-1] == "Мінск"
    assert any("Windows-1251" in note for note in stream.notes)


def test_a_first_row_with_a_value_too_many_is_refused_not_shifted(tmp_path):
    (tmp_path / "p.csv").write_text("name,lat,lon\nA,54,25,9\nB,54,25\n")
    with pytest.raises(FileInputError, match="row 2 has more values than the header has columns"):
        read_point_chunks(tmp_path / "p.csv")


def test_text_in_lists_is_cleaned_and_dates_and_lists_reach_a_csv(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"tags": ["a\u200bb", "c"], "seen": "2026-12-03T10:00:00"},
                "geometry": {"type": "Point", "coordinates": [25.28, 54.69]},
            }
        ],
    }
    (tmp_path / "p.geojson").write_text(json.dumps(doc))
    out = tmp_path / "out.csv"
    args = ["distances", str(tmp_path / "p.geojson"), "--to-country", "BY", "--quiet"]
    assert cli_main([*args, "--out", str(out)]) == 0
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert json.loads(row["tags"]) == ["ab", "c"]  # the zero-width space is gone
    assert row["seen"].startswith("2026-12-03")


@pytest.mark.parametrize("key", ['"cr\\u0073"', '"\\u0063rs"', '"crs"' + " " * 5000])
def test_a_geojson_crs_link_is_refused_however_its_key_is_written(tmp_path, key):
    link = {"type": "link", "properties": {"href": "http://example.com/crs", "type": "proj4"}}
    point = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [25, 54]},
    }
    body = json.dumps({"type": "FeatureCollection", "features": [point]})
    (tmp_path / "p.geojson").write_text(body.replace("{", "{" + f"{key}: {json.dumps(link)}, ", 1))
    with pytest.raises(FileInputError, match="as a link or in an unknown form"):
        read_point_chunks(tmp_path / "p.geojson")


def test_a_geopackage_with_unwritten_changes_is_refused(tmp_path):
    path = write_points(points_in(5, 8, *NEAR), tmp_path / "p.gpkg")
    (tmp_path / "p.gpkg-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    with pytest.raises(FileInputError, match="changes not yet written into it"):
        read_point_chunks(path)


def test_a_declared_coordinate_system_is_converted_in_every_chunk(tmp_path):
    points = points_in(120, 5, *NEAR)
    path = tmp_path / "lks94.gpkg"
    points.to_crs(3346).to_file(path)  # Lithuania's LKS-94
    stream = read_point_chunks(path, chunk=50)
    back = pd.concat(list(stream))
    assert len(back) == 120 and stream.total == 120
    moved = shapely.distance(back.geometry.to_numpy(), points.geometry.to_numpy())
    assert moved.max() < 1e-9  # degrees
    assert any("converted to WGS84" in note for note in stream.notes)


def test_the_row_limit_holds_over_the_whole_file(tmp_path):
    path = write_points(points_in(30, 6, *NEAR), tmp_path / "p.csv")
    with pytest.raises(FileInputError, match="more than 25 rows"):
        list(read_point_chunks(path, chunk=10, limits=Limits(max_features=25)))


# The upload reader walks a GeoJSON in Python before GDAL reads it; the chunked reader
# leaves the structure to GDAL, which is laxer on three of these files (named here).
LAXER = {
    "properties_as_array.geojson": "GDAL ignores properties that are not an object",
    "null_geometries.geojson": "an empty line is refused, not dropped (a point with NaN "
    "reads as empty from GDAL)",
    "bowtie.geojson": "not points: the command refuses both",
}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in HOSTILE.iterdir() if p.suffix in (".csv", ".geojson", ".json", ".gpkg")),
    ids=lambda p: p.name,
)
def test_the_chunked_reader_refuses_what_the_upload_reader_refuses(path):
    def upload():
        layer = next(iter(read_user_layer(path.read_bytes(), path.name).values()))
        return [g.wkt for g in layer.geometry]

    def chunked():
        return [g.wkt for c in read_point_chunks(path, chunk=1) for g in c.geometry]

    outcomes = []
    for read in (upload, chunked):
        try:
            outcomes.append(read())
        except FileInputError as exc:
            assert "\n" not in str(exc)
            outcomes.append("refused")
    if path.name in LAXER:
        assert outcomes[0] != outcomes[1]  # still so: else take it off the list
    else:
        assert outcomes[0] == outcomes[1]


def test_write_point_chunks_writes_what_comes_and_counts_it(tmp_path):
    points = points_in(10, 7, *NEAR)
    fmt, rows = write_point_chunks(iter([points.iloc[:4], points.iloc[4:]]), tmp_path / "o.gpkg")
    back = gpd.read_file(tmp_path / "o.gpkg")
    assert (fmt, rows) == ("gpkg", 10) and back["ref"].tolist() == points["ref"].tolist()
    assert shapely.equals(back.geometry.to_numpy(), points.geometry.to_numpy()).all()
