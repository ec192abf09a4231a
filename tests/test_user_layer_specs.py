"""A user's uploaded layers on the map and in every export (layers.user_layers).

Files are read by geo.user_layers (tested in test_user_layers.py); here they become
layer specs: styled, measured, listed, exported, and read back after a round trip.
"""

import json
import os

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Geod

from bench.reference import feature_collection
from cli import main as cli_main
from exports.formats import export, layer_frames
from geo.errors import FileInputError
from geo.territories import territory_index
from geo.user_layers import Limits
from layers.catalogue import CATALOGUE, layer
from layers.user_layers import USER_COLORS, read_user_file, read_user_specs, user_places

WGS84 = Geod(ellps="WGS84")
VILNIUS, MINSK = (25.2797, 54.6872), (27.5615, 53.9045)
SQUARE = [(24.0, 55.0), (24.5, 55.0), (24.5, 55.3), (24.0, 55.3), (24.0, 55.0)]


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


@pytest.fixture
def observations() -> bytes:
    """A point in Vilnius, a line Vilnius–Minsk and a square in Lithuania, with properties."""
    return geojson(
        feature({"type": "Point", "coordinates": VILNIUS}, name="Obs 1", seen="2026-11-01"),
        feature(
            {"type": "LineString", "coordinates": [VILNIUS, MINSK]},
            name="Track",
            label="their label",
            layer="their layer",
            role="patrol",
        ),
        feature({"type": "Polygon", "coordinates": [SQUARE]}, name="Area A"),
    )


@pytest.fixture
def obs_spec(observations):
    specs, notes = read_user_specs(observations, "obs.geojson")
    assert len(specs) == 1 and notes == []
    return specs[0]


def by_name(spec, name):
    features = spec.build().features
    return features[features["name"] == name].iloc[0]


def test_an_uploaded_file_becomes_a_user_layer_with_its_own_colour(obs_spec):
    assert obs_spec.id == "user_obs"
    assert obs_spec.group == "user"
    assert obs_spec.title == "obs (your layer)"
    assert obs_spec.style.color == USER_COLORS[0]
    assert obs_spec.style.color not in {s.style.color for s in CATALOGUE.values()}
    assert layer(obs_spec) is obs_spec  # the one lookup takes specs as well as ids


def test_points_are_measured_to_belarus_lines_by_length_areas_by_area(obs_spec):
    point = by_name(obs_spec, "Obs 1")
    border = territory_index("BY").query(*VILNIUS)
    assert point["to_belarus_km"] == pytest.approx(border.distance_m[0] / 1000, abs=1e-9)
    assert 28 < point["to_belarus_km"] < 30  # Vilnius is 29 km from Belarus
    track = by_name(obs_spec, "Track")
    lons, lats = zip(VILNIUS, MINSK, strict=True)
    assert track["length_km"] == pytest.approx(WGS84.line_length(lons, lats) / 1000, rel=1e-12)
    area = by_name(obs_spec, "Area A")
    lons, lats = zip(*SQUARE, strict=True)
    expected_area, expected_perimeter = WGS84.polygon_area_perimeter(lons, lats)
    assert area["area_km2"] == pytest.approx(abs(expected_area) / 1e6, rel=1e-9)
    assert area["perimeter_km"] == pytest.approx(expected_perimeter / 1000, rel=1e-9)


def test_metrics_sum_the_layer(obs_spec):
    metrics = obs_spec.build().metrics
    features = obs_spec.build().features
    assert metrics["features"] == 3
    assert metrics["length_km"] == pytest.approx(features["length_km"].sum())
    assert metrics["area_km2"] == pytest.approx(features["area_km2"].sum())
    assert metrics["nearest_to_belarus_km"] == pytest.approx(
        by_name(obs_spec, "Obs 1")["to_belarus_km"]
    )


def test_popups_state_the_properties_the_measure_and_the_source(obs_spec):
    label = feature_collection(obs_spec.build(), unit="km")["features"][0]["properties"]["label"]
    assert label.startswith("Obs 1<br>seen: 2026-11-01<br>54.68720°N 25.27970°E<br>")
    assert "km (" in label and "from Belarus" in label
    assert "source: your file &#x27;obs.geojson&#x27;" in label


def test_the_maps_own_columns_are_kept_from_the_file_under_other_names(obs_spec):
    track = by_name(obs_spec, "Track")
    assert track["label_in_file"] == "their label"
    assert track["layer_in_file"] == "their layer"
    assert track["role_in_file"] == "patrol"  # not one of ours: kept aside
    assert track["role"] == "user_line"


def test_hostile_text_stays_data_and_is_escaped_when_drawn():
    data = geojson(
        feature(
            {"type": "Point", "coordinates": VILNIUS},
            name="<img src=x onerror=alert(1)>",
            note="⟦km:1⟧ `${x}`",
        )
    )
    (spec,), _ = read_user_specs(data, "x.geojson")
    drawn = json.dumps(feature_collection(spec.build()))
    assert "<img" not in drawn and "&lt;img src=x onerror=alert(1)&gt;" in drawn
    assert "${" not in drawn and "`" not in drawn
    # Our distance tokens cannot be forged from a file: the brackets are made plain.
    assert "note: [km:1]" in spec.build().features["label"].iloc[0]


def test_ids_stay_unique_across_files_and_colours_turn(observations):
    first, _ = read_user_specs(observations, "obs.geojson")
    second, _ = read_user_specs(observations, "obs.geojson", taken=[*CATALOGUE, first[0].id])
    assert [s.id for s in second] == ["user_obs_2"]
    assert second[0].style.color == USER_COLORS[1]


def test_named_points_are_places_for_the_measuring_tools(obs_spec):
    places = user_places([obs_spec])
    assert set(places) == {"obs 1"}  # lines and areas are not places
    place = places["obs 1"]
    assert (place.lon, place.lat, place.kind, place.ref) == (*VILNIUS, "user", "user_obs")


def test_a_name_two_points_share_is_not_a_place():
    point = {"type": "Point", "coordinates": VILNIUS}
    (spec,), _ = read_user_specs(
        geojson(feature(point, name="A"), feature(point, name="a")), "d.geojson"
    )
    assert user_places([spec]) == {}


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "png", "html"])
def test_user_layers_are_exported_with_the_rest(obs_spec, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    export(path, layer_ids=["vilnius_rings", obs_spec], offline=True)
    if fmt in ("geojson", "gpkg"):
        layers = dict(pyogrio.list_layers(path))
        read = (
            gpd.read_file(path)
            if fmt == "geojson"
            else gpd.read_file(path, layer="user_obs").assign(layer="user_obs")
        )
        mine = read[read["layer"] == "user_obs"]
        assert sorted(mine["name"]) == ["Area A", "Obs 1", "Track"]
        assert fmt == "geojson" or "user_obs" in layers
    elif fmt == "kml":
        assert "obs (your layer)" in dict(pyogrio.list_layers(path))
    elif fmt == "csv":
        assert "metric,user_obs,length," in path.read_text(encoding="utf-8")  # in km (its unit)
    elif fmt == "html":
        html = path.read_text(encoding="utf-8")
        assert "obs (your layer)" in html and "Obs 1" in html
    else:
        assert path.stat().st_size > 50_000


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_our_exports_come_back_as_user_layers_and_go_out_again_unchanged(tmp_path, fmt):
    first = tmp_path / f"first.{fmt}"
    export(first, layer_ids=["vilnius_rings", "sites"])
    specs, _ = read_user_specs(first.read_bytes(), first.name)
    second = tmp_path / f"second.{fmt}"
    export(second, layer_ids=specs)
    original = pd_frames(first)
    again = pd_frames(second)
    assert len(again) == len(original)
    for column in ("name", "role", "description"):
        assert again[column].tolist() == original[column].tolist()
    assert shapely.equals_exact(
        again.geometry.normalize().values, original.geometry.normalize().values, tolerance=1e-9
    ).all()


def pd_frames(path):
    """Every layer of a GeoJSON or GeoPackage file as one frame, in file order."""
    names = [name for name, _ in pyogrio.list_layers(path)]
    frames = [gpd.read_file(path, layer=name) for name in names]
    import pandas as pd

    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)


def test_layer_frames_keep_a_users_own_descriptions():
    data = geojson(feature({"type": "Point", "coordinates": VILNIUS}, name="P", description="mine"))
    (spec,), _ = read_user_specs(data, "d.geojson")
    (frame,) = layer_frames([spec]).values()
    assert frame["description"].tolist() == ["mine"]


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.geojson"
    with big.open("wb") as f:
        f.truncate(21 * 2**20)  # sparse: no disk used
    with pytest.raises(
        FileInputError, match=r"'big.geojson' is 21.0 MB: layer files are limited to 20 MB"
    ):
        read_user_file(big)
    with pytest.raises(FileInputError, match=r"limited to 0\.5 MB"):
        read_user_file(big, limits=Limits(max_bytes=2**19))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("missing.geojson", "no layer file '.*missing.geojson'$"),
        (".", "it is a folder"),
        (os.devnull, "it is not a regular file"),
    ],
)
def test_what_is_not_a_regular_file_is_refused(tmp_path, path, message):
    target = path if path == os.devnull else tmp_path / path
    with pytest.raises(FileInputError, match=message):
        read_user_file(target)


def test_cli_export_takes_repeated_user_layers(observations, tmp_path, capsys):
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    a.write_bytes(observations)
    b.write_bytes(observations)
    out = tmp_path / "out.gpkg"
    args = ["export", "--out", str(out), "--layers", "sites", "--user-layer", str(a)]
    assert cli_main([*args, "--user-layer", str(b)]) == 0
    assert [n for n, _ in pyogrio.list_layers(out)] == ["sites", "user_a", "user_b"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (
            b'{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"http://x"}},'
            b'"features":[]}',
            "as a link",
        ),
    ],
)
def test_cli_export_with_a_bad_user_layer_says_why_in_one_line(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(content)
    out = tmp_path / "out.html"
    assert cli_main(["export", "--out", str(out), "--user-layer", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert "Traceback" not in err and not out.exists()


def test_cli_export_points_to_the_missing_file(tmp_path, capsys):
    assert cli_main(["export", "--out", str(tmp_path / "o.csv"), "--user-layer", "nope.csv"]) == 2
    assert "no layer file 'nope.csv'" in capsys.readouterr().err


def test_coordinates_of_a_user_point_survive_to_the_map_at_1_m(obs_spec):
    drawn = feature_collection(obs_spec.build())["features"][0]["geometry"]["coordinates"]
    assert np.allclose(drawn, VILNIUS, atol=1e-5)
