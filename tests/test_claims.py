"""The claims ledger: every claim quoted from a seed, computed independently, judged by rule.

Independent figures: pyproj.Geod of our own on coordinates read with the csv module,
brute-force border distances (``brute_border_m``), brute-force corridor widths (as in
``test_corridors``), and areas in an equal-area projection.
"""

import json
import re
import subprocess
import sys

import numpy as np
import pyogrio
import pytest
import shapely

from geo.claims import (
    RULES,
    Claim,
    angle_off,
    evaluate,
    judge,
    ledger,
    load_claims,
)
from geo.corridors import smolensk_gates, suwalki_gap
from geo.errors import DataFileError, UnknownNameError
from tests.conftest import ROOT
from tests.test_corridors import (
    RIVER_STEP_DEG,
    SUWALKI_BOX,
    SUWALKI_STEP_DEG,
    UPPER_DNIEPER_SOUTH_LAT,
    UPPER_DVINA_WEST_LON,
    dense,
    laea_area_km2,
    least_distance,
)

SEEDS = ROOT.parent / "shared" / "seeds"
M_PER = {"km": 1000.0, "mi": 1609.344}
JSON_KEYS = {"id", "quote", "seed", "claimed", "computed", "units", "verdict", "note"}


@pytest.fixture(scope="module")
def checked():
    return {v.claim.id: v for v in ledger()}


def _normalized(text: str) -> str:
    """Seed text with page-number lines dropped and whitespace collapsed."""
    lines = [ln for ln in text.splitlines() if not re.fullmatch(r"\s*\d+\s*", ln)]
    return re.sub(r"\s+", " ", " ".join(lines))


# --- the claims file -----------------------------------------------------------------------


def test_at_least_twelve_claims_from_both_seeds(checked):
    claims = load_claims()
    assert len(claims) >= 12
    assert {c.seed for c in claims} == {"000_6671a901a6bdcfaf.txt", "001_28ba83964fef6d31.txt"}
    assert {c.kind for c in claims} >= {
        "distance",
        "border_distance",
        "corridor_width",
        "range_reaches",
        "direction",
        "route_crosses",
    }
    assert {c.qualifier for c in claims} >= {"approximately", "less_than", "a_mere", "near"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not at {SEEDS}")
def test_every_quote_is_verbatim_from_its_seed():
    texts = {p.name: _normalized(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    for claim in load_claims():
        for fragment in claim.quote.split(" ... "):
            assert fragment in texts[claim.seed], (claim.id, fragment)


def test_what_was_measured_names_places_as_people_write_them(checked):
    details = [v.detail for v in checked.values()]
    assert any("Suwalki gap" in d for d in details) and any("Smolensk Gates" in d for d in details)
    for detail in details:
        assert "_" not in detail and not re.search(r"suwalki|smolensk gates", detail), detail


def test_the_ledger_finds_claims_that_hold_and_claims_that_do_not(checked):
    verdicts = [v.verdict for v in checked.values()]
    assert {"consistent", "inconsistent", "unclear"} <= set(verdicts)


# --- each computed value against an independent computation --------------------------------


def test_distances_are_pyproj_geodesics(checked, site_coords, wgs84):
    for v in checked.values():
        f = v.claim.fields
        if v.claim.kind in {"distance", "range_reaches"}:
            expected = wgs84.inv(*site_coords[f["from"]], *site_coords[f["to"]])[2]
            assert v.computed * M_PER[v.claim.units] == pytest.approx(expected, abs=0.001), (
                v.claim.id
            )


def test_border_distances_are_the_brute_force_minimum(checked, site_coords, brute_border_m):
    for v in checked.values():
        if v.claim.kind == "border_distance":
            f = v.claim.fields
            expected = brute_border_m(*site_coords[f["from"]], f["country"])
            # brute force reaches vertices every ≤ 55 m: it is at most ~2 m longer
            assert v.computed * 1000 == pytest.approx(expected, abs=5.0), v.claim.id
            assert v.computed * 1000 <= expected + 0.001


def test_corridor_widths_are_the_brute_force_minimum(checked, territories_raw, wgs84):
    geoms = territories_raw.geometry
    box = shapely.box(*SUWALKI_BOX)
    suwalki = least_distance(
        dense(shapely.intersection(geoms["RU-KGD"].boundary, box), SUWALKI_STEP_DEG),
        dense(shapely.intersection(geoms["BY"].boundary, box), SUWALKI_STEP_DEG),
        wgs84,
    )
    rivers = pyogrio.read_dataframe(ROOT / "data" / "rivers.fgb").set_index("id").geometry
    dvina = dense(rivers["western_dvina"], RIVER_STEP_DEG)
    dnieper = dense(rivers["dnieper"], RIVER_STEP_DEG)
    smolensk = least_distance(
        dvina[dvina[:, 0] >= UPPER_DVINA_WEST_LON],
        dnieper[dnieper[:, 1] >= UPPER_DNIEPER_SOUTH_LAT],
        wgs84,
    )
    assert checked["suwalki_gap_width"].computed * M_PER["mi"] == pytest.approx(suwalki, abs=1.0)
    assert checked["smolensk_gates_width"].computed * M_PER["mi"] == pytest.approx(
        smolensk, abs=1.0
    )


def test_distance_to_a_corridor_is_the_least_over_its_densified_outline(
    checked, site_coords, wgs84
):
    v = checked["yelnia_proximate_smolensk_gates"]
    outline = dense(smolensk_gates().corridor.boundary, 0.0005)
    lon, lat = site_coords["yelnia_regiment"]
    n = len(outline)
    expected = wgs84.inv(np.full(n, lon), np.full(n, lat), outline[:, 0], outline[:, 1])[2].min()
    assert v.computed * 1000 == pytest.approx(expected, abs=5.0)


def test_route_claims_follow_the_geodesic_across_the_country(
    checked, site_coords, territories_raw, wgs84
):
    for claim_id, a, b in [
        ("berlin_moscow_through_belarus", "berlin", "moscow"),
        ("russia_kaliningrad_through_belarus", "moscow", "kaliningrad"),
    ]:
        (lon1, lat1), (lon2, lat2) = site_coords[a], site_coords[b]
        path = shapely.LineString(
            [(lon1, lat1), *wgs84.npts(lon1, lat1, lon2, lat2, 2000), (lon2, lat2)]
        )
        inside = shapely.intersection(path, territories_raw.geometry["BY"])
        assert checked[claim_id].computed is (not inside.is_empty)
        km = float(
            re.search(r"([\d,]+) km of it", checked[claim_id].detail).group(1).replace(",", "")
        )
        assert km == pytest.approx(wgs84.geometry_length(inside) / 1000, abs=1.0)


def test_directions_are_pyproj_azimuths(checked, site_coords, wgs84):
    az = wgs84.inv(*site_coords["minsk"], *site_coords["vilnius"])[0] % 360
    assert checked["vilnius_north_of_minsk"].computed == pytest.approx(az, abs=1e-6)
    assert 292.5 < az < 315  # west-northwest: 58.5° off north, so inconsistent
    assert checked["vilnius_north_of_minsk"].verdict == "inconsistent"
    gap = suwalki_gap().shortest
    ((mid_lon, mid_lat),) = wgs84.npts(gap.lon1, gap.lat1, gap.lon2, gap.lat2, 1)
    toward_by = wgs84.inv(mid_lon, mid_lat, gap.lon2, gap.lat2)[0] % 360
    assert checked["belarus_east_of_suwalki_gap"].computed == pytest.approx(toward_by, abs=0.5)


def test_share_of_the_gates_in_belarus_is_an_equal_area_ratio(checked, territories_raw):
    area = smolensk_gates().corridor
    inside = shapely.intersection(area, territories_raw.geometry["BY"])
    expected = 100 * laea_area_km2(inside) / laea_area_km2(area)
    assert checked["smolensk_gates_outside_belarus"].computed == pytest.approx(expected, abs=0.2)


def test_vilnius_is_the_only_capital_within_the_assumed_artillery_range(
    checked, site_coords, brute_border_m
):
    v = checked["vilnius_only_capital_in_artillery_range"]
    assert v.computed * 1000 == pytest.approx(
        brute_border_m(*site_coords["vilnius"], "BY"), abs=5.0
    )
    helsinki = brute_border_m(*site_coords["helsinki"], "RU")  # Russia across the gulf
    assert f"Helsinki: {helsinki / 1000:,.1f} km" in v.detail
    assert v.verdict == "consistent"


# --- the rules, at their boundaries --------------------------------------------------------


def _claim(qualifier: str, claimed, units: str = "km") -> Claim:
    return Claim("made_up", "x.txt", "q", "distance", units, qualifier, claimed, "", {})


@pytest.mark.parametrize(
    ("qualifier", "computed", "claimed", "verdict"),
    [
        ("approximately", 110.0, 100, "consistent"),  # exactly 10% over
        ("approximately", 90.0, 100, "consistent"),  # exactly 10% under
        ("approximately", 110.01, 100, "inconsistent"),
        ("approximately", 89.99, 100, "inconsistent"),
        ("less_than", 29.99, 30, "consistent"),
        ("less_than", 30.0, 30, "inconsistent"),  # strictly
        ("a_mere", 5.0, 23, "consistent"),  # smaller is fine
        ("a_mere", 25.3, 23, "consistent"),  # 10% over
        ("a_mere", 25.31, 23, "inconsistent"),
        ("near", 50.0, None, "consistent"),
        ("near", 50.01, None, "unclear"),
        ("near", 100.0, None, "unclear"),
        ("near", 100.01, None, "inconsistent"),
        ("within_range", 500.0, 500, "consistent"),
        ("within_range", 500.01, 500, "inconsistent"),
        ("direction", 22.5, "N", "consistent"),
        ("direction", 337.5, "N", "consistent"),
        ("direction", 45.0, "N", "unclear"),
        ("direction", 45.01, "N", "inconsistent"),
        ("direction", 180.0, "S", "consistent"),
        ("crosses", True, True, "consistent"),
        ("crosses", False, True, "inconsistent"),
        ("crosses", False, False, "consistent"),
        ("outside", 10.0, 0, "consistent"),
        ("outside", 10.01, 0, "unclear"),
        ("outside", 50.0, 0, "unclear"),
        ("outside", 50.01, 0, "inconsistent"),
    ],
)
def test_rules_at_their_boundaries(qualifier, computed, claimed, verdict):
    assert judge(qualifier, computed, claimed) == verdict


def test_near_is_judged_in_km_whatever_the_units():
    assert judge("near", 31.0, None, units="mi") == "consistent"  # 49.9 km
    assert judge("near", 31.1, None, units="mi") == "unclear"  # 50.05 km


def test_only_within_needs_the_place_inside_and_every_other_outside():
    assert judge("only_within", 29.0, 40, next_nearest=112.0) == "consistent"
    assert judge("only_within", 40.0, 40, next_nearest=40.01) == "consistent"
    assert judge("only_within", 29.0, 40, next_nearest=40.0) == "inconsistent"  # another within
    assert judge("only_within", 41.0, 40, next_nearest=112.0) == "inconsistent"


def test_every_qualifier_has_a_rule_and_unknown_ones_are_refused():
    assert {c.qualifier for c in load_claims()} <= set(RULES)
    with pytest.raises(UnknownNameError, match="unknown qualifier 'roughly'"):
        judge("roughly", 1.0, 1.0)
    with pytest.raises(UnknownNameError, match="compass point"):
        angle_off(10.0, "NNE")


def test_angle_off_wraps_around_north():
    assert angle_off(350.0, "N") == pytest.approx(10.0)
    assert angle_off(10.0, "NW") == pytest.approx(55.0)


def test_difference_is_in_the_claims_units(checked):
    v = checked["smolensk_gates_width"]
    assert v.difference == pytest.approx(v.computed - 45.0)
    assert checked["yelnia_near_gomel"].difference is None  # "near" gives no figure


# --- a broken claims file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[claim]]\nid = 'a'\n", "lacks"),
        ("[[claim", "cannot read claims"),
        (
            "[[claim]]\nid='a'\nseed='s'\nquote='q'\nkind='distance'\nunits='km'\n"
            "qualifier='roughly'\n",
            "unknown qualifier",
        ),
        (
            "[[claim]]\nid='a'\nseed='s'\nquote='q'\nkind='area'\nunits='km'\nqualifier='near'\n",
            "unknown kind",
        ),
        (
            "[[claim]]\nid='a'\nseed='s'\nquote='q'\nkind='distance'\nunits='km'\n"
            "qualifier='near'\n" * 2,
            "repeated claim ids",
        ),
    ],
)
def test_broken_claims_files_are_refused_clearly(tmp_path, text, message):
    path = tmp_path / "claims.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_claims(path)


def test_a_claim_naming_an_unknown_place_says_so():
    bad = Claim(
        "x", "s", "q", "distance", "km", "near", None, "", {"from": "atlantis", "to": "minsk"}
    )
    with pytest.raises(UnknownNameError, match="no site with id 'atlantis'"):
        evaluate(bad)


# --- the command line ---------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "cli.py", "claims", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_claims_json_lists_every_claim_with_its_verdict(checked):
    run = _cli("--json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [r["id"] for r in rows] == list(checked)
    for r in rows:
        assert set(r) >= JSON_KEYS
        assert r["verdict"] == checked[r["id"]].verdict
    gap = next(r for r in rows if r["id"] == "suwalki_gap_width")
    assert (gap["claimed"], gap["units"], gap["verdict"]) == (60, "mi", "inconsistent")


def test_cli_claims_csv_and_markdown(checked):
    csv_run, md_run = _cli("--csv"), _cli("--md")
    assert csv_run.returncode == md_run.returncode == 0
    assert csv_run.stdout.splitlines()[0].startswith("id,quote,seed,claimed,computed,units")
    assert len(md_run.stdout.strip().splitlines()) == len(checked) + 2
    assert _cli("--json", "--csv").returncode == 2
