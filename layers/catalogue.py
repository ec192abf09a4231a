"""The layer catalogue: every layer declared once, as data.

The map, the CLI and the exports read :data:`CATALOGUE`; nothing else lists layers.
Descriptions are ours; ``seeds`` names the seed file(s) each layer's claims come from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geo.errors import CatalogueError, UnknownNameError
from geo.forces import laydown_date
from geo.names import closest
from geo.rings import radii_from_km
from layers import claim_layers, context_layers, corridor_layers, force_layers, ring_layers
from layers.claim_layers import TAGGED_ROLES, VERDICT_COLORS
from layers.force_layers import AS_OF
from layers.labels import (
    CAPITAL,
    CENTRE,
    COUNTRY,
    FIGURE,
    MEASURE,
    PLACE,
    RING,
    RIVER,
    SITE,
    across,
    country,
    distance_to,
    length,
    named,
    radius,
    tagged,
)
from layers.spec import SEED_2019, SEED_2020, Built, LabelRule, LayerSpec, Param, Style

SITE_NAME = LabelRule("site", named, PLACE)
RING_RADIUS = LabelRule("ring", radius, RING, "ring")
TO_BORDER = LabelRule("border_line", distance_to, MEASURE, "line")

_LAYERS = (
    LayerSpec(
        id="suwalki_gap",
        title="Suwalki gap",
        description="The narrowest strip of NATO land between Kaliningrad and Belarus: its "
        "width, the Polish–Lithuanian border across it, and the corridor of Polish and "
        "Lithuanian land that links the Baltic states to Poland.",
        seeds=(SEED_2019,),
        style=Style(color="#b2182b", weight=3, fill_color="#ef8a62", fill_opacity=0.35),
        build=corridor_layers.suwalki_gap,
        labels=(LabelRule("shortest_line", across("Suwałki gap"), FIGURE, "line"),),
    ),
    LayerSpec(
        id="smolensk_gates",
        title="Smolensk Gates",
        description="The land bridge between the Western Dvina and the Dnieper where the "
        "two rivers come closest: the historic invasion route east of Belarus.",
        seeds=(SEED_2019,),
        style=Style(color="#762a83", weight=3, fill_color="#c2a5cf", fill_opacity=0.35),
        build=corridor_layers.smolensk_gates,
        labels=(LabelRule("shortest_line", across("Smolensk Gates"), FIGURE, "line"),),
    ),
    LayerSpec(
        id="astravets_rings",
        title="Astravets nuclear plant",
        description="Geodesic rings around the Belarusian nuclear plant at Astravets, with its "
        "distance and bearing to Vilnius and to the Lithuanian border.",
        seeds=(SEED_2019, SEED_2020),
        style=Style(color="#e08214", weight=2, fill_color="#fdb863", fill_opacity=0.08),
        build=ring_layers.astravets_rings,
        params=(Param("radii_km", "Ring radii (km)", "radii_km", (10, 20, 30, 50, 100)),),
        labels=(
            SITE_NAME,
            LabelRule("measure_line", length, MEASURE, "line"),
            TO_BORDER,
            RING_RADIUS,
        ),
    ),
    LayerSpec(
        id="vilnius_rings",
        title="Vilnius",
        description="Rings around Lithuania's capital and its distance to Belarusian territory.",
        seeds=(SEED_2019, SEED_2020),
        style=Style(color="#2166ac", weight=2, fill_color="#67a9cf", fill_opacity=0.08),
        build=ring_layers.vilnius_rings,
        params=(Param("radii_km", "Ring radii (km)", "radii_km", (30, 50, 100, 200)),),
        labels=(SITE_NAME, TO_BORDER, RING_RADIUS),
    ),
    LayerSpec(
        id="deployments",
        title="Yelnia and Klintsy regiments",
        description="The Russian motorized rifle regiments at Yelnia and Klintsy: distance to "
        "Belarus, the nearest Belarusian cities, and reach rings.",
        seeds=(SEED_2019,),
        style=Style(color="#d6604d", weight=2, fill_color="#f4a582", fill_opacity=0.06),
        build=ring_layers.deployments,
        params=(Param("radii_km", "Reach radii (km)", "radii_km", (100, 200, 300)),),
        labels=(LabelRule("unit", named, PLACE), TO_BORDER, RING_RADIUS),
    ),
    LayerSpec(
        id="forces",
        title="Forces",
        description="Units the seeds name, and the NATO battlegroups needed to read them, as "
        "APP-6 D / MIL-STD-2525 D symbols on the date chosen (data/forces.csv): each with "
        "its dates, how sure its position is, its distances as ranges, and its source.",
        seeds=(SEED_2019,),
        style=Style(color="#333333", weight=1),
        build=force_layers.forces_layer,
        params=(AS_OF,),
        labels=(LabelRule("unit", named, PLACE, "symbol"),),
        # milsymbol's fills (its "Light" colour mode) by standard identity, and the
        # echelon marks over the frame.
        key=(
            ("#ff8080", "hostile: red diamond"),
            ("#80e0ff", "friendly: blue rectangle"),
            ("#aaffaa", "neutral: green square"),
            ("#ffff80", "unknown: yellow quatrefoil"),
            ("#ffffff", "over the frame: II battalion, III regiment, X brigade"),
        ),
    ),
    LayerSpec(
        id="force_uncertainty",
        title="Where the forces may be",
        description="The disc each unit shown may lie in (its uncertainty_km in "
        "data/forces.csv), drawn geodesically.",
        seeds=(SEED_2019,),
        style=Style(
            color="#6a3d9a", weight=1.5, fill_color="#cab2d6", fill_opacity=0.15, dash_array="4 4"
        ),
        build=force_layers.uncertainty_layer,
        params=(AS_OF,),
    ),
    LayerSpec(
        id="polonez_range",
        title="Polonez rocket ranges",
        description="Ranges of the Polonez rocket system (200 km, 300 km, and the 500 km "
        "extended range) from a launch site, with what each reaches.",
        seeds=(SEED_2019,),
        style=Style(
            color="#35978f", weight=2, fill_color="#80cdc1", fill_opacity=0.06, dash_array="6 4"
        ),
        build=ring_layers.polonez_range,
        params=(
            Param("site", "Launch site", "place", "Vitebsk"),
            Param("radii_km", "Ranges (km)", "radii_km", (200, 300, 500)),
        ),
        labels=(SITE_NAME, RING_RADIUS),
    ),
    LayerSpec(
        id="borders",
        title="Territories",
        group="context",
        description="Countries of the region as territories, Kaliningrad distinct.",
        seeds=(),
        style=Style(color="#555555", weight=1, fill_color="#d9d9d9", fill_opacity=0.3),
        build=context_layers.borders,
        labels=(LabelRule("territory", country, COUNTRY, "area"),),
    ),
    LayerSpec(
        id="rivers",
        title="Rivers",
        group="context",
        description="The named rivers of the seeds' geography (WDBII).",
        seeds=(),
        style=Style(color="#2b7bb9", weight=2),
        build=context_layers.rivers,
        labels=(LabelRule("river", named, RIVER, "line"),),
    ),
    LayerSpec(
        id="sites",
        title="Sites",
        group="context",
        description="Curated places in the region: capitals, administrative centres and "
        "every place the seeds name.",
        seeds=(SEED_2019, SEED_2020),
        style=Style(color="#b2182b", weight=1),
        build=context_layers.sites,
        labels=(
            LabelRule("site", named, CAPITAL, kinds=("capital",)),
            LabelRule(
                "site",
                named,
                SITE,
                kinds=("military_unit", "nuclear_plant", "airbase", "historic_site", "city"),
            ),
            LabelRule("site", named, CENTRE, kinds=("admin_centre", "town")),
        ),
    ),
    LayerSpec(
        id="claims",
        title="Claims check",
        group="claims",
        description="Every geographic claim of the two seeds, measured: the line, ring or "
        "corridor behind each, green where the claim holds, red where it does not, amber "
        "where it is unclear (rules in geo/claims.py).",
        seeds=(SEED_2019, SEED_2020),
        # Outlines only: the ledger's rings and corridors repeat other layers' areas.
        style=Style(color="#555555", weight=2, fill_color="#999999", fill_opacity=0.0),
        build=claim_layers.claims,
        labels=tuple(LabelRule(role, tagged, MEASURE, "line") for role in TAGGED_ROLES),
        key=tuple((color, f"claim {verdict}") for verdict, color in VERDICT_COLORS.items()),
    ),
)


def by_id(specs: tuple[LayerSpec, ...]) -> dict[str, LayerSpec]:
    """The specs by id, in order; an id declared twice is a mistake, not an override.

    Raises
    ------
    CatalogueError
        If two specs share an id.
    """
    ids = [spec.id for spec in specs]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise CatalogueError(f"layer ids declared more than once: {', '.join(repeated)}")
    return dict(zip(ids, specs, strict=True))


CATALOGUE: dict[str, LayerSpec] = by_id(_LAYERS)


LayerRef = str | LayerSpec  # a catalogue id, or a spec made elsewhere (a user's layer)


def layer(ref: LayerRef) -> LayerSpec:
    """The spec of a layer: a catalogue id's, or ``ref`` itself if it is a spec.

    This is the one lookup every renderer and export goes through, so a layer that is
    not in the catalogue (an uploaded one, :mod:`layers.user_layers`) is drawn, listed
    and exported like the rest.

    Raises
    ------
    UnknownNameError
        For an unknown id, naming the closest ids.
    """
    if isinstance(ref, LayerSpec):
        return ref
    try:
        return CATALOGUE[ref]
    except KeyError:
        ids = list(CATALOGUE)
        near = closest(ref, ids, ids, limit=3, cutoff=50)
        hint = f"; closest: {', '.join(near)}" if near else ""
        raise UnknownNameError(
            f"unknown layer '{ref}': layers are {', '.join(ids)}{hint}"
        ) from None


def build(ref: LayerRef, **params: Any) -> Built:
    """Build a layer with its defaults, overridden by ``params`` (radii as km).

    Raises
    ------
    UnknownNameError
        For an unknown layer or parameter.
    GeoInputError
        For a bad value (radii).
    """
    spec = layer(ref)
    unknown = set(params) - set(spec.defaults())
    if unknown:
        raise UnknownNameError(
            f"layer '{spec.id}' has no parameter {sorted(unknown)}; "
            f"it takes {sorted(spec.defaults()) or 'none'}"
        )
    values = {**spec.defaults(), **params}
    for p in spec.params:
        if p.kind == "radii_km":
            values[p.name] = radii_km_tuple(values[p.name])
        elif p.kind == "date":  # the day itself, so that a cached layer is that day's
            values[p.name] = laydown_date(values[p.name]).isoformat()
    return spec.build(**values)


def radii_km_tuple(radii: Any) -> tuple[float, ...]:
    """Radii given in km, checked by :func:`geo.rings.radii_from_km`, as a tuple of floats.

    The tuple is hashable, so it keys the layer cache; the values stay the km given.

    Raises
    ------
    GeoInputError
        If a radius is not a number, or not above 0 and at most 19,900 km.
    """
    radii_from_km(radii)
    return tuple(float(r) for r in np.atleast_1d(np.asarray(radii, dtype=float)))
