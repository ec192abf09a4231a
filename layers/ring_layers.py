"""Layers built from rings around places: Astravets, Vilnius, the deployments, Polonez."""

from __future__ import annotations

from functools import lru_cache

from geo.gazetteer import Place, site_place
from geo.locate import locate
from geo.measure import measure
from geo.reach import nearest_sites
from layers.features import border_records, frame, km_mi, line_record, point_record, ring_records
from layers.spec import SEED_2019, SEED_2020, Built, cite


@lru_cache(maxsize=32)
def astravets_rings(radii_km: tuple[float, ...] = (10, 20, 30, 50, 100)) -> Built:
    """Rings around the Astravets plant; its distance and bearing to Vilnius and to Lithuania."""
    plant, vilnius = site_place("astravets_npp"), site_place("vilnius")
    to_vilnius = line_record(
        plant.lon,
        plant.lat,
        vilnius.lon,
        vilnius.lat,
        name="Astravets NPP → Vilnius",
        seeds=f"{SEED_2019}|{SEED_2020}",
    )
    border, to_lt_km, to_lt_az = border_records(plant, "LT")
    label = (
        f"{plant.name} (nuclear power plant)\n"
        f"to Vilnius: {km_mi(to_vilnius['distance_km'])}, bearing "
        f"{to_vilnius['azimuth_deg']:.0f}°\nto the Lithuanian border: {km_mi(to_lt_km)}, "
        f"bearing {to_lt_az:.0f}°\nsource of position: {plant.source}"
    )
    records = [
        point_record(plant, label=label),
        to_vilnius,
        *border,
        *ring_records(plant, radii_km, seed=SEED_2019),
    ]
    return Built(
        frame(records),
        {
            "to_vilnius_km": to_vilnius["distance_km"],
            "to_vilnius_bearing_deg": to_vilnius["azimuth_deg"],
            "to_lithuania_km": to_lt_km,
            "to_lithuania_bearing_deg": to_lt_az,
        },
    )


@lru_cache(maxsize=32)
def vilnius_rings(radii_km: tuple[float, ...] = (30, 50, 100, 200)) -> Built:
    """Rings around Vilnius and its distance to Belarusian territory."""
    vilnius = site_place("vilnius")
    border, to_by_km, to_by_az = border_records(vilnius, "BY")
    label = (
        f"Vilnius (capital of Lithuania)\nto Belarus: {km_mi(to_by_km)}, bearing "
        f"{to_by_az:.0f}°\nsource of position: {vilnius.source}"
    )
    records = [
        point_record(vilnius, label=label),
        *border,
        *ring_records(vilnius, radii_km, seed=SEED_2019),
    ]
    return Built(frame(records), {"to_belarus_km": to_by_km, "to_belarus_bearing_deg": to_by_az})


def _unit_records(unit: Place, radii_km: tuple[float, ...]) -> tuple[list[dict], float]:
    border, to_by_km, to_by_az = border_records(unit, "BY")
    cities = nearest_sites(unit.lon, unit.lat, country="BY", n=3)
    lines = "\n".join(
        f"  {c.name}: {km_mi(c.distance_km)}, bearing {c.azimuth_deg:.0f}°" for c in cities
    )
    label = (
        f"{unit.name} (Russian motorized rifle regiment)\n"
        f"to Belarus: {km_mi(to_by_km)}, bearing {to_by_az:.0f}°\n"
        f"nearest Belarusian cities:\n{lines}\nsource: {cite(SEED_2019)}"
    )
    return [
        point_record(unit, label=label, role="unit"),
        *border,
        *ring_records(unit, radii_km, seed=SEED_2019),
    ], to_by_km


@lru_cache(maxsize=32)
def deployments(radii_km: tuple[float, ...] = (100, 200, 300)) -> Built:
    """The Yelnia and Klintsy regiments: distance to Belarus, nearest cities, reach rings."""
    records, metrics = [], {}
    for key, site_id in (("yelnia", "yelnia_regiment"), ("klintsy", "klintsy_regiment")):
        unit = site_place(site_id)
        unit_records, to_by_km = _unit_records(unit, radii_km)
        records += unit_records
        metrics[f"{key}_to_belarus_km"] = to_by_km
        nearest = nearest_sites(unit.lon, unit.lat, country="BY", n=1)[0]
        metrics[f"{key}_nearest_belarusian_city_km"] = nearest.distance_km
    gomel = site_place("gomel")
    for key, site_id in (("yelnia", "yelnia"), ("klintsy", "klintsy")):
        town = site_place(site_id)
        metrics[f"{key}_to_gomel_km"] = measure(
            town.lon, town.lat, gomel.lon, gomel.lat
        ).distance_km
    return Built(frame(records), metrics)


@lru_cache(maxsize=32)
def polonez_range(site: str = "Vitebsk", radii_km: tuple[float, ...] = (200, 300, 500)) -> Built:
    """Polonez rocket ranges from a launch site: what each ring reaches."""
    launch = locate(site)
    records = [
        point_record(
            launch, label=f"Polonez launch site: {launch.name}\nsource of position: {launch.source}"
        )
    ]
    records += ring_records(launch, radii_km, seed=SEED_2019)
    metrics = {}
    for target in ("moscow", "vilnius", "warsaw"):
        place = site_place(target)
        metrics[f"to_{target}_km"] = measure(
            launch.lon, launch.lat, place.lon, place.lat
        ).distance_km
    return Built(frame(records), metrics)
