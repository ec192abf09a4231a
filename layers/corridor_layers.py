"""Corridor layers: the Suwalki gap and the Smolensk Gates, from geo.corridors."""

from __future__ import annotations

from functools import lru_cache

import shapely

from geo.corridors import smolensk_gates as measure_smolensk_gates
from geo.corridors import suwalki_gap as measure_suwalki_gap
from geo.reach import countries_touched, sites_within
from layers.features import frame, km_mi, line_record
from layers.spec import SEED_2019, Built, cite


def _places_in(area: shapely.Geometry) -> str:
    names = sites_within(area, kinds=("capital", "admin_centre", "city", "town"))["name"]
    return ", ".join(names) or "no curated city"


@lru_cache(maxsize=1)
def suwalki_gap() -> Built:
    """Width of the gap, the Polish–Lithuanian border across it, and the corridor."""
    gap = measure_suwalki_gap()
    s = gap.shortest
    width = line_record(
        s.lon1,
        s.lat1,
        s.lon2,
        s.lat2,
        role="shortest_line",
        name="Suwalki gap: Kaliningrad ↔ Belarus",
    )
    width["label"] = (
        f"Suwalki gap width (shortest Kaliningrad–Belarus geodesic): "
        f"{km_mi(gap.width_km)}\nthe 2019 seed calls it a '60-mile stretch'\n"
        f"source: {cite(SEED_2019)}"
    )
    border = {
        "role": "border",
        "name": "Poland–Lithuania border",
        "label": f"Poland–Lithuania border between Kaliningrad and Belarus: "
        f"{km_mi(gap.pl_lt_border_km)} of shared border"
        f" (+{gap.border_lakes_km:.1f} km across border lakes)",
        "length_km": gap.pl_lt_border_km,
        "geometry": gap.pl_lt_border,
    }
    corridor = {
        "role": "corridor",
        "name": "Suwalki corridor",
        "label": f"Polish and Lithuanian land within {gap.half_width_km:g} km of the "
        f"gap's narrowest line and of the border\narea: "
        f"{gap.corridor_area_km2:,.0f} km²\ncountries: "
        f"{', '.join(countries_touched(gap.corridor))}\n"
        f"towns inside: {_places_in(gap.corridor)}",
        "area_km2": gap.corridor_area_km2,
        "geometry": gap.corridor,
    }
    return Built(
        frame([corridor, border, width]),
        {
            "width_km": gap.width_km,
            "pl_lt_border_km": gap.pl_lt_border_km,
            "corridor_area_km2": gap.corridor_area_km2,
        },
    )


@lru_cache(maxsize=1)
def smolensk_gates() -> Built:
    """The Dvina–Dnieper land bridge: narrowest line, corridor, bounding towns."""
    gates = measure_smolensk_gates()
    s = gates.shortest
    towns = "\n".join(
        f"  {t.name} ({km_mi(t.distance_km)} from the {t.end.replace('_', ' ')})"
        for t in gates.bounding_towns
    )
    width = line_record(
        s.lon1, s.lat1, s.lon2, s.lat2, role="shortest_line", name="Smolensk Gates: Dvina ↔ Dnieper"
    )
    width["label"] = (
        f"Narrowest Dvina–Dnieper land bridge: {km_mi(gates.width_km)}\n"
        f"the 2019 seed calls it a '45-mile-wide neck of land'\nsource: {cite(SEED_2019)}"
    )
    corridor = {
        "role": "corridor",
        "name": "Smolensk Gates corridor",
        "label": f"Land between the rivers where they are within {gates.factor:g}× the "
        f"narrowest width\nlength {km_mi(gates.corridor_length_km)}, area "
        f"{gates.corridor_area_km2:,.0f} km²\ncountries: "
        f"{', '.join(countries_touched(gates.corridor))}\n"
        f"towns inside: {_places_in(gates.corridor)}\nbounded by:\n{towns}",
        "area_km2": gates.corridor_area_km2,
        "geometry": gates.corridor,
    }
    banks = [
        {
            "role": "river",
            "name": name,
            "label": f"{name} stretch: {km_mi(km)}",
            "length_km": km,
            "geometry": geom,
        }
        for name, km, geom in (
            ("Western Dvina", gates.dvina_stretch_km, gates.dvina_stretch),
            ("Dnieper", gates.dnieper_stretch_km, gates.dnieper_stretch),
        )
    ]
    return Built(
        frame([corridor, *banks, width]),
        {
            "width_km": gates.width_km,
            "corridor_length_km": gates.corridor_length_km,
            "corridor_area_km2": gates.corridor_area_km2,
        },
    )
