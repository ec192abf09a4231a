"""Finding places by name: curated sites first, exact before fuzzy, every spelling."""

import pytest

from geo.errors import GeoInputError
from geo.gazetteer import gazetteer
from geo.locate import locate
from geo.names import normalize


@pytest.mark.parametrize(
    ("typed", "site_id"),
    [
        ("Gomel", "gomel"),
        ("Homyel'", "gomel"),
        ("Гомель", "gomel"),
        ("Mahiliou", "mogilev"),
        ("Mogilev", "mogilev"),
        ("Wilno", "vilnius"),
        ("VILNIUS", "vilnius"),
        ("Astravets", "astravets"),
        ("Ostrovets", "astravets"),
        ("Yelnya", "yelnia"),
        ("Grodno", "grodno"),
        ("Hrodna", "grodno"),
        ("Smolensk", "smolensk"),
        ("Klintsy", "klintsy"),
        ("Brest-Litovsk", "brest"),
    ],
)
def test_every_spelling_the_seeds_and_locals_use_finds_the_curated_site(typed, site_id):
    assert gazetteer().resolve(typed).ref == site_id


def test_gomel_finds_gomel_not_montgomery():
    hits = gazetteer().exact("Gomel")
    assert hits and hits[0].ref == "gomel"
    assert all("montgomery" not in normalize(h.name) for h in hits)


def test_the_town_comes_before_the_nuclear_plant_that_shares_its_name():
    hits = [h.ref for h in gazetteer().exact("Ostrovets")]
    assert hits.index("astravets") < hits.index("astravets_npp")


def test_the_plant_and_the_town_are_different_sites():
    plant, town = gazetteer().resolve("Astravets NPP"), gazetteer().resolve("Astravets")
    assert plant.kind == "nuclear_plant" and town.kind == "town"
    assert (plant.lon, plant.lat) != (town.lon, town.lat)


def test_a_town_outside_the_curated_list_comes_from_geonames():
    lida = gazetteer().resolve("Lida")
    assert lida.ref.startswith("geonames:") and lida.country == "BY"


def test_an_unknown_place_is_refused_with_the_closest_names():
    with pytest.raises(GeoInputError, match=r"unknown place 'Vilnus'; closest: Vilnius"):
        gazetteer().resolve("Vilnus")


def test_nothing_is_taken_silently_from_a_fuzzy_match():
    with pytest.raises(GeoInputError, match="unknown place 'Atlantis'"):
        gazetteer().resolve("Atlantis")


def test_locate_reads_coordinates_and_names_alike(site_coords):
    assert (locate("54.6872, 25.2797").lon, locate("54.6872, 25.2797").lat) == (25.2797, 54.6872)
    vilnius = locate("Vilnius")
    assert (vilnius.lon, vilnius.lat) == site_coords["vilnius"]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Homyel'", "homyel"),
        ("Biełaruś", "bielarus"),
        ("Brest-Litovsk", "brest litovsk"),
        ("Šiauliai", "siauliai"),
        ("Минск", "минск"),
    ],
)
def test_names_fold_case_accents_and_punctuation(raw, folded):
    assert normalize(raw) == folded
