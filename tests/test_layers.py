"""The layer catalogue: every layer declared once, built valid, listed by `cli.py layers`."""

import json
import math
import subprocess
import sys

import pytest
import shapely

from geo.errors import GeoInputError, UnknownNameError
from geo.nearest import REGION_BOUNDS
from layers.catalogue import CATALOGUE, build, layer
from layers.spec import cite
from tests.conftest import ROOT

REQUIRED = [
    "suwalki_gap",
    "smolensk_gates",
    "astravets_rings",
    "vilnius_rings",
    "deployments",
    "forces",
    "force_uncertainty",
    "borders",
    "rivers",
    "sites",
    "polonez_range",
    "claims",
]
REQUIRED_METRICS = {
    "suwalki_gap": ["width_km", "pl_lt_border_km"],
    "smolensk_gates": ["width_km"],
    "astravets_rings": ["to_vilnius_km", "to_lithuania_km"],
    "vilnius_rings": ["to_belarus_km"],
    "deployments": ["yelnia_to_belarus_km", "klintsy_to_belarus_km"],
    "claims": ["consistent_claims", "inconsistent_claims", "unclear_claims"],
}
SEEDS = {"000_6671a901a6bdcfaf.txt", "001_28ba83964fef6d31.txt"}


def test_every_required_layer_is_in_the_catalogue_once():
    assert sorted(CATALOGUE) == sorted(REQUIRED)


@pytest.mark.parametrize("layer_id", REQUIRED)
def test_each_layer_is_declared_with_text_seeds_and_style(layer_id):
    spec = CATALOGUE[layer_id]
    assert spec.id == layer_id and spec.title and len(spec.description) > 30
    assert set(spec.seeds) <= SEEDS
    assert spec.group in {"strategic", "context", "claims"}
    assert spec.style.color.startswith("#")
    if spec.group == "strategic":
        assert spec.seeds, "a strategic layer names the seed its claims come from"


@pytest.mark.parametrize("layer_id", REQUIRED)
def test_each_layer_builds_valid_labelled_features_in_the_region(layer_id):
    built = build(layer_id)
    gdf = built.features
    assert len(gdf) > 0 and gdf.crs.to_epsg() == 4326
    assert gdf.is_valid.all() and not gdf.is_empty.any()
    assert gdf["label"].map(lambda s: isinstance(s, str) and len(s) > 3).all()
    assert gdf["role"].notna().all() and gdf["name"].notna().all()
    west, south, east, north = REGION_BOUNDS
    minx, miny, maxx, maxy = gdf.total_bounds
    assert west - 1e-6 <= minx and maxx <= east + 1e-6 and south - 1e-6 <= miny and maxy <= north
    assert all(math.isfinite(v) for v in built.metrics.values())


@pytest.mark.parametrize(("layer_id", "keys"), REQUIRED_METRICS.items())
def test_required_metrics_are_present(layer_id, keys):
    assert set(keys) <= set(build(layer_id).metrics)


@pytest.mark.parametrize("layer_id", REQUIRED)
def test_popups_name_the_seeds_by_citation_not_by_file(layer_id):
    labels = " ".join(build(layer_id).features["label"])
    assert ".txt" not in labels
    named = [cite(seed) for seed in sorted(SEEDS) if cite(seed) in labels]
    if CATALOGUE[layer_id].seeds:
        assert named, "a layer from the seeds says which one"
    assert cite("000_6671a901a6bdcfaf.txt") == "Jamestown 2019"
    assert cite("001_28ba83964fef6d31.txt") == "Myers 2020"


def test_suwalki_width_ends_lie_on_kaliningrad_and_belarus(territories_raw, brute_border_m):
    """Each end of the width line is on one territory, the width away from the other."""
    line = build("suwalki_gap").features.query("role == 'shortest_line'").geometry.iloc[0]
    width_m = build("suwalki_gap").metrics["width_km"] * 1000
    (lon1, lat1), (lon2, lat2) = shapely.get_coordinates(line)[[0, -1]]
    assert territories_raw.geometry["RU-KGD"].boundary.distance(shapely.Point(lon1, lat1)) < 1e-6
    assert territories_raw.geometry["BY"].boundary.distance(shapely.Point(lon2, lat2)) < 1e-6
    assert brute_border_m(lon1, lat1, "BY") == pytest.approx(width_m, abs=2.0)
    assert brute_border_m(lon2, lat2, "RU-KGD") == pytest.approx(width_m, abs=2.0)


def test_the_suwalki_corridor_is_polish_and_lithuanian_land_holding_the_width_line(
    territories_raw,
):
    features = build("suwalki_gap").features.set_index("role")
    corridor, line = features.geometry["corridor"], features.geometry["shortest_line"]
    pl_lt = territories_raw.geometry["PL"].union(territories_raw.geometry["LT"])
    assert corridor.difference(pl_lt).area < 1e-9
    assert line.difference(corridor.buffer(1e-6)).length == 0


def test_parameters_are_validated_with_clear_messages():
    with pytest.raises(UnknownNameError, match=r"unknown layer 'suwalki'.*closest: suwalki_gap"):
        layer("suwalki")
    with pytest.raises(UnknownNameError, match="no parameter"):
        build("suwalki_gap", radii_km=(10,))
    with pytest.raises(GeoInputError, match="radi"):
        build("vilnius_rings", radii_km=("ten",))
    with pytest.raises(GeoInputError, match="radius -5"):
        build("vilnius_rings", radii_km=(-5,))
    with pytest.raises(GeoInputError, match="unknown place 'Atlantis'"):
        build("polonez_range", site="Atlantis")


def test_a_built_layer_is_cached_and_reused():
    assert build("vilnius_rings") is build("vilnius_rings")
    assert build("vilnius_rings", radii_km=[30, 50, 100, 200]) is build("vilnius_rings")


def test_cli_lists_every_layer_with_its_metrics_as_json():
    out = subprocess.run(
        [sys.executable, "cli.py", "layers", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["id"] for r in rows] == list(CATALOGUE)
    by_id = {r["id"]: r for r in rows}
    for layer_id, keys in REQUIRED_METRICS.items():
        assert set(r for r in keys) <= set(by_id[layer_id]["metrics"])
        assert by_id[layer_id]["features"] == len(build(layer_id).features)
        assert set(by_id[layer_id]) >= {"id", "title", "features", "metrics"}


def test_cli_lists_counts_as_whole_numbers_and_measures_to_a_metre():
    out = subprocess.run(
        [sys.executable, "cli.py", "layers"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    pairs = {
        (line.split()[0], line.split()[-1]) for line in out.stdout.splitlines() if line[:2] == "  "
    }
    claims = build("claims").metrics
    assert ("consistent_claims", f"{claims['consistent_claims']:.0f}") in pairs  # not "15.000"
    assert ("territories", str(len(build("borders").features))) in pairs
    assert ("width_km", f"{build('suwalki_gap').metrics['width_km']:.3f}") in pairs
