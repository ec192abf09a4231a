"""The Suwałki gap and the Smolensk Gates, checked against figures computed here.

Widths are brute force: the committed geometries, read with pyogrio, densified with
shapely.segmentize, and the least pyproj.Geod.inv distance over every pair of
points (pruned without loss, see ``least_distance``). Published figures are checked
as the specification they are: the Suwałki gap is "65 km" wide (Wikipedia,
"Suwałki Gap": "the 65 km (40 mi)-long strip of land between Russia's Kaliningrad
Oblast and Belarus"); the CIA World Factbook gives the Lithuania–Poland border as
104 km; the seed document calls the Smolensk Gates a 45-mile-wide neck.
"""

import csv

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from geo.corridors import smolensk_gates, suwalki_gap
from geo.errors import GeoInputError
from tests.conftest import ROOT

M_PER_MI = 1609.344
CIA_PL_LT_BORDER_KM = 104.0
SEED_NECK_MI = 45.0
SUWALKI_BOX = (22.5, 53.8, 23.8, 54.5)  # both tripoints and the territories' edges near them
SUWALKI_STEP_DEG = 0.0005  # ≤ 56 m: the sag error over 65 km is under 0.01 m
RIVER_STEP_DEG = 0.002  # ≤ 222 m: the sag error over 70 km is under 0.1 m
# The upper reaches, as smolensk_gates's docstring says the least separation lies in.
UPPER_DVINA_WEST_LON = 29.0
UPPER_DNIEPER_SOUTH_LAT = 54.0
TOWN_KINDS = {"capital", "admin_centre", "city", "town"}
SUWALKI_TOWN = (22.93087, 54.11175)  # GeoNames 757718
MEASURED_WITHOUT = {  # towns outside the usual drawing of the gap (GeoNames 776597, 597231)
    "Augustów": (22.97979, 53.84321),
    "Marijampolė": (23.35004, 54.55787),
}
# An equal-area frame for an independent area check (Lambert azimuthal, per region).
LAEA = "+proj=laea +lat_0={lat} +lon_0={lon} +ellps=WGS84"


def _rows(a: np.ndarray, b: np.ndarray, wgs84) -> np.ndarray:
    """Geodesic distance from every point of ``a`` to every point of ``b``, shape (len a, len b)."""
    lon1, lon2 = np.meshgrid(a[:, 0], b[:, 0], indexing="ij")
    lat1, lat2 = np.meshgrid(a[:, 1], b[:, 1], indexing="ij")
    return wgs84.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())[2].reshape(lon1.shape)


def least_distance(a: np.ndarray, b: np.ndarray, wgs84, *, stride: int = 40) -> float:
    """The least geodesic distance between two point sets, by brute force.

    Every point of ``b`` lies within ``reach_b`` of the sample ``b[::stride]`` (measured,
    not assumed), so a point of ``a`` farther than ``upper + reach_b`` from the sample
    cannot be in the nearest pair; likewise for ``b``. The rest is compared pairwise.
    """
    sa, sb = a[::stride], b[::stride]
    upper = _rows(sa, sb, wgs84).min()
    reach_a, reach_b = _rows(a, sa, wgs84).min(axis=1).max(), _rows(b, sb, wgs84).min(axis=1).max()
    keep_a = _rows(a, sb, wgs84).min(axis=1) <= upper + reach_b
    keep_b = _rows(b, sa, wgs84).min(axis=1) <= upper + reach_a
    return float(_rows(a[keep_a], b[keep_b], wgs84).min())


def dense(geom, step_deg: float) -> np.ndarray:
    return shapely.get_coordinates(shapely.segmentize(geom, step_deg))


def geodesic_line(lon1, lat1, lon2, lat2, wgs84) -> shapely.LineString:
    inner = wgs84.npts(lon1, lat1, lon2, lat2, 200)
    return shapely.LineString([(lon1, lat1), *inner, (lon2, lat2)])


def area_km2(geom, wgs84) -> float:
    return abs(wgs84.geometry_area_perimeter(geom)[0]) / 1e6


def laea_area_km2(geom) -> float:
    """Area in an equal-area projection centred on the geometry: an independent figure."""
    c = geom.centroid
    frame = Transformer.from_crs("EPSG:4326", LAEA.format(lat=c.y, lon=c.x), always_xy=True)
    projected = shapely.transform(geom, lambda xy: np.column_stack(frame.transform(*xy.T)))
    return projected.area / 1e6


def outside_m(line, polygon, wgs84) -> float:
    rest = shapely.difference(line, polygon)
    return 0.0 if rest.is_empty else wgs84.geometry_length(rest)


def gap_m(a, b, wgs84) -> float:
    """Geodesic length of the planar shortest line between two geometries (0 if they meet)."""
    return wgs84.geometry_length(shapely.shortest_line(a, b))


@pytest.fixture(scope="module")
def territories():
    return pyogrio.read_dataframe(ROOT / "data" / "territories.fgb").set_index("code").geometry


@pytest.fixture(scope="module")
def river_lines():
    return pyogrio.read_dataframe(ROOT / "data" / "rivers.fgb").set_index("id").geometry


@pytest.fixture(scope="module")
def upper_reaches(river_lines):
    """Densified Dvina east of 29°E and Dnieper north of 54°N (where the minimum lies)."""
    dvina, dnieper = (
        dense(river_lines["western_dvina"], RIVER_STEP_DEG),
        dense(river_lines["dnieper"], RIVER_STEP_DEG),
    )
    return (
        dvina[dvina[:, 0] >= UPPER_DVINA_WEST_LON],
        dnieper[dnieper[:, 1] >= UPPER_DNIEPER_SOUTH_LAT],
    )


@pytest.fixture(scope="module")
def gap():
    return suwalki_gap()


@pytest.fixture(scope="module")
def gates():
    return smolensk_gates()


# --- Suwałki gap -------------------------------------------------------------------------


def test_suwalki_width_is_the_brute_force_minimum_and_the_published_figure(gap, territories, wgs84):
    box = shapely.box(*SUWALKI_BOX)
    kgd = dense(shapely.intersection(territories["RU-KGD"].boundary, box), SUWALKI_STEP_DEG)
    by = dense(shapely.intersection(territories["BY"].boundary, box), SUWALKI_STEP_DEG)
    expected = least_distance(kgd, by, wgs84)
    assert gap.shortest.distance_m == pytest.approx(expected, abs=1.0)
    assert gap.width_km == pytest.approx(gap.shortest.distance_m / 1000)
    assert 60.0 <= gap.width_km <= 70.0  # published: ~65 km


def test_suwalki_shortest_line_runs_from_kaliningrad_to_belarus(gap, territories, wgs84):
    s = gap.shortest
    assert gap_m(shapely.Point(s.lon1, s.lat1), territories["RU-KGD"].boundary, wgs84) < 0.01
    assert gap_m(shapely.Point(s.lon2, s.lat2), territories["BY"].boundary, wgs84) < 0.01
    assert wgs84.inv(s.lon1, s.lat1, s.lon2, s.lat2)[2] == pytest.approx(s.distance_m, abs=1e-3)


def test_pl_lt_border_runs_tripoint_to_tripoint_and_matches_the_cia_length(gap, wgs84):
    border = gap.pl_lt_border
    (x0, y0), (x1, y1) = shapely.get_coordinates(border)[[0, -1]]
    s = gap.shortest
    # The gap is measured tripoint to tripoint: PL-LT-RU to BY-PL-LT.
    assert wgs84.inv(x0, y0, s.lon1, s.lat1)[2] < 1.0
    assert wgs84.inv(x1, y1, s.lon2, s.lat2)[2] < 1.0
    assert gap.pl_lt_border_km == pytest.approx(wgs84.geometry_length(border) / 1000)
    assert gap.pl_lt_border_km == pytest.approx(CIA_PL_LT_BORDER_KM, rel=0.05)
    # The border lakes, where the data has no border line, make up most of the rest.
    assert 0 < gap.border_lakes_km < 5
    total_km = gap.pl_lt_border_km + gap.border_lakes_km
    assert total_km == pytest.approx(CIA_PL_LT_BORDER_KM, rel=0.02)


def test_suwalki_corridor_is_polish_and_lithuanian_land_joining_the_two(gap, territories, wgs84):
    corridor = gap.corridor
    assert corridor.geom_type == "Polygon" and corridor.is_valid
    west, south, east, north = shapely.bounds(corridor)
    box = shapely.box(west - 0.1, south - 0.1, east + 0.1, north + 0.1)  # a clip box only
    pl_lt = shapely.union_all(
        [territories["PL"].intersection(box), territories["LT"].intersection(box)]
    )
    beyond = shapely.difference(corridor, pl_lt)
    assert beyond.is_empty or area_km2(beyond, wgs84) < 0.01
    s = gap.shortest
    assert outside_m(geodesic_line(s.lon1, s.lat1, s.lon2, s.lat2, wgs84), corridor, wgs84) < 1.0
    assert gap_m(corridor, territories["RU-KGD"], wgs84) < 5.0
    assert gap_m(corridor, territories["BY"], wgs84) < 5.0


def test_suwalki_corridor_holds_its_town_and_the_border_but_not_its_neighbours(gap, site_coords):
    assert shapely.contains_xy(gap.corridor, *SUWALKI_TOWN)
    assert shapely.contains_xy(gap.corridor, *site_coords["suwalki_gap"])
    for lon, lat in MEASURED_WITHOUT.values():
        assert not shapely.contains_xy(gap.corridor, lon, lat)


def test_suwalki_corridor_reaches_no_farther_than_its_half_width(gap, wgs84):
    s = gap.shortest
    spine = shapely.union_all(
        [geodesic_line(s.lon1, s.lat1, s.lon2, s.lat2, wgs84), gap.pl_lt_border]
    )
    edge = shapely.get_coordinates(gap.corridor.exterior)[::10]
    reach = _rows(edge, dense(spine, 0.002), wgs84).min(axis=1).max()
    assert reach <= gap.half_width_km * 1000 * 1.005  # the buffer's frame is within 0.5%
    assert reach >= gap.half_width_km * 1000 * 0.99  # and it does reach that far somewhere


def test_suwalki_corridor_area_is_geodesic(gap, wgs84):
    assert gap.corridor_area_km2 == pytest.approx(area_km2(gap.corridor, wgs84))
    assert gap.corridor_area_km2 == pytest.approx(laea_area_km2(gap.corridor), rel=1e-3)


# --- Smolensk Gates ----------------------------------------------------------------------


def test_smolensk_width_is_the_brute_force_minimum_and_the_seed_figure(gates, upper_reaches, wgs84):
    expected = least_distance(*upper_reaches, wgs84)
    assert gates.shortest.distance_m == pytest.approx(expected, abs=1.0)
    assert gates.width_km == pytest.approx(gates.shortest.distance_m / 1000)
    assert gates.shortest.distance_m / M_PER_MI == pytest.approx(SEED_NECK_MI, rel=0.1)
    # The ends lie in the restricted upper reaches: between Vitebsk and the Dnieper below Orsha.
    assert gates.shortest.lon1 >= UPPER_DVINA_WEST_LON
    assert gates.shortest.lat2 >= UPPER_DNIEPER_SOUTH_LAT


def test_smolensk_shortest_line_ends_on_the_rivers(gates, river_lines, wgs84):
    s = gates.shortest
    assert gap_m(shapely.Point(s.lon1, s.lat1), river_lines["western_dvina"], wgs84) < 0.01
    assert gap_m(shapely.Point(s.lon2, s.lat2), river_lines["dnieper"], wgs84) < 0.01


@pytest.mark.parametrize(
    ("stretch", "river", "other"),
    [
        ("dvina_stretch", "western_dvina", "dnieper"),
        ("dnieper_stretch", "dnieper", "western_dvina"),
    ],
)
def test_stretches_end_where_the_rivers_part_beyond_the_factor(
    gates, river_lines, stretch, river, other, wgs84
):
    limit_m = gates.factor * gates.shortest.distance_m
    line = getattr(gates, stretch)
    ends = shapely.get_coordinates(line)[[0, -1]]
    coords = shapely.get_coordinates(river_lines[river])
    at = [int(np.flatnonzero((coords == end).all(axis=1))[0]) for end in ends]
    beyond = coords[[at[0] - 1, at[1] + 1]]  # the river's vertices just outside the stretch
    far = dense(river_lines[other], RIVER_STEP_DEG)
    assert (_rows(ends, far, wgs84).min(axis=1) <= limit_m + 0.1).all()
    assert (_rows(beyond, far, wgs84).min(axis=1) > limit_m - 0.1).all()
    assert getattr(gates, f"{stretch}_km") == pytest.approx(wgs84.geometry_length(line) / 1000)


def test_smolensk_corridor_lies_between_the_rivers_and_holds_the_shortest_line(
    gates, river_lines, site_coords, wgs84
):
    corridor = gates.corridor
    assert corridor.geom_type == "Polygon" and corridor.is_valid
    for river in ("western_dvina", "dnieper"):  # rivers may bound it, never cross it
        inside = wgs84.geometry_length(shapely.intersection(river_lines[river], corridor))
        on_edge = wgs84.geometry_length(shapely.intersection(river_lines[river], corridor.boundary))
        assert inside - on_edge < 1.0
        assert on_edge > 100_000  # and both do bound it, along more than 100 km
    s = gates.shortest
    assert outside_m(geodesic_line(s.lon1, s.lat1, s.lon2, s.lat2, wgs84), corridor, wgs84) < 1.0
    assert shapely.contains_xy(corridor, *site_coords["smolensk_gates"])
    assert gates.corridor_area_km2 == pytest.approx(area_km2(corridor, wgs84))
    assert gates.corridor_area_km2 == pytest.approx(laea_area_km2(corridor), rel=1e-3)
    assert gates.width_km < gates.corridor_length_km


def test_bounding_towns_are_the_nearest_and_include_vitebsk_and_smolensk(gates, wgs84):
    with open(ROOT / "data" / "sites.csv", newline="", encoding="utf-8") as f:
        towns = [r for r in csv.DictReader(f) if r["kind"] in TOWN_KINDS]
    lons = np.array([float(r["lon"]) for r in towns])
    lats = np.array([float(r["lat"]) for r in towns])
    for town in gates.bounding_towns:
        measured = wgs84.inv(town.end_lon, town.end_lat, town.lon, town.lat)[2] / 1000
        assert town.distance_km == pytest.approx(measured, abs=1e-6)
        curated = wgs84.inv(
            np.full(len(lons), town.end_lon), np.full(len(lons), town.end_lat), lons, lats
        )
        assert town.distance_km <= curated[2].min() / 1000 + 1e-9
    names = {t.name for t in gates.bounding_towns}
    assert {"Vitebsk", "Smolensk"} <= names
    assert len(gates.bounding_towns) == 6


# --- Options -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -5, 500, float("nan"), "20"])
def test_bad_half_width_is_refused(value):
    with pytest.raises(GeoInputError, match="half_width_km"):
        suwalki_gap(half_width_km=value)


@pytest.mark.parametrize("value", [1.0, 0.5, 4, "1.5"])
def test_bad_factor_is_refused(value):
    with pytest.raises(GeoInputError, match="factor"):
        smolensk_gates(factor=value)


def test_results_are_cached(gap, gates):
    assert suwalki_gap() is gap
    assert smolensk_gates() is gates
