"""Layers a user brings: an uploaded file's layers as specs the map and the exports take.

:func:`read_user_specs` reads a file with :func:`geo.user_layers.read_user_layer` (all the
defences live there) and gives each of its layers a :class:`~layers.spec.LayerSpec` in the
``user`` group: a colour of its own, a title naming the file, and features that carry
measured figures (geodesic distance to Belarus for points, length for lines, area and
perimeter for polygons) in their popups. A spec goes wherever a catalogue id goes
(:func:`layers.catalogue.layer` resolves both), so user layers are drawn, listed in the
layer control and legend, and exported in every format with the rest.

The file's own columns are kept as they are, except those the map itself uses: a
``label`` column becomes ``label_in_file``, a ``role`` column that is not one of ours
``role_in_file`` and a ``layer`` column ``layer_in_file``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.coords import format_dd
from geo.errors import FileInputError, GeoInputError
from geo.forces import laydown_date
from geo.gazetteer import Place
from geo.shapes import geodesic_areas_km2, geodesic_lengths_km
from geo.territories import distance_to_territory
from geo.user_layers import SUPPORTED_EXTENSIONS, Limits, read_user_layer
from layers.features import km_mi
from layers.force_layers import AS_OF, on_date
from layers.labels import SITE, named
from layers.spec import Built, LabelRule, LayerSpec, Style
from layers.symbols import symbol

# Colours no catalogue layer uses (ColorBrewer Dark2), one per uploaded layer in turn.
USER_COLORS = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
UPLOAD_EXTENSIONS = tuple(e.lstrip(".") for e in SUPPORTED_EXTENSIONS)  # for upload widgets
GROUP = "user"
ROLES = {
    "Point": "user_point",
    "MultiPoint": "user_point",
    "LineString": "user_line",
    "MultiLineString": "user_line",
}  # anything else (polygons, collections) is an area
# Roles of our own exports, kept when a file we exported comes back.
KNOWN_ROLES = frozenset(
    {"ring", "corridor", "territory", "shortest_line", "measure_line", "border_line", "border"}
    | {"river", "site", "unit", "nearest_point", "route", "user_point", "user_line", "user_area"}
)
RESERVED = ("label", "layer")  # columns the map writes; the file's are renamed
MAX_PROPERTIES_SHOWN = 8
DISTANCE_TO = "BY"  # points are measured to Belarus, the product's subject
# The figures a user layer's features get for its popups (user_built), by geometry.
FIGURE_COLUMNS = ("length_km", "area_km2", "perimeter_km", "to_belarus_km")
_SLUG = re.compile(r"[^a-z0-9]+")


def read_user_specs(
    data: bytes, filename: str, *, taken: Iterable[str] = (), limits: Limits | None = None
) -> tuple[list[LayerSpec], list[str]]:
    """Read an uploaded file into layer specs, one per layer in the file.

    Parameters
    ----------
    data : bytes
        The file's contents.
    filename : str
        The name the user gave it (its extension chooses the reader).
    taken : iterable of str, optional
        Layer ids already in use: the new ids differ from them.
    limits : geo.user_layers.Limits, optional
        Size, feature, vertex and layer limits (default: 20 MB, 50,000 features,
        1,000,000 vertices, 20 layers).

    Returns
    -------
    specs : list of LayerSpec
        Ready for the map and the exports.
    notes : list of str
        What the reader dropped, repaired or reprojected, in plain words.

    Raises
    ------
    FileInputError
        For a file that cannot be read or breaks a limit (one line, naming the file).
    """
    frames = read_user_layer(data, filename, **({"limits": limits} if limits else {}))
    used = set(taken)
    specs, notes = [], []
    for title, frame in frames.items():
        spec = user_spec(frame, title=title, filename=filename, taken=used)
        used.add(spec.id)
        specs.append(spec)
        notes += [f"{title}: {note}" for note in frame.attrs.get("notes", [])]
    return specs, notes


def read_user_file(path: str | Path, *, limits: Limits | None = None) -> bytes:
    """The bytes of a user's file on disk, refused before reading if it is too large.

    Raises
    ------
    FileInputError
        If there is no such regular file (a folder, a device, a pipe) or it is larger
        than ``limits.max_bytes``.
    """
    path = Path(path)
    max_bytes = (limits or Limits()).max_bytes
    if not path.is_file():
        kind = "a folder" if path.is_dir() else "not a regular file" if path.exists() else ""
        raise FileInputError(f"no layer file '{path}'" + (f": it is {kind}" if kind else ""))
    if path.stat().st_size > max_bytes:
        raise FileInputError(
            f"'{path.name}' is {path.stat().st_size / 2**20:.1f} MB: layer files are limited "
            f"to {max_bytes / 2**20:g} MB"
        )
    with path.open("rb") as f:
        return f.read(max_bytes + 1)  # a file that grows meanwhile is still refused


def user_spec(
    frame: gpd.GeoDataFrame, *, title: str, filename: str, taken: Iterable[str] = ()
) -> LayerSpec:
    """One layer of a user's file as a spec (its features and figures built now).

    Parameters
    ----------
    frame : GeoDataFrame
        As :func:`geo.user_layers.read_user_layer` returns it: EPSG:4326, with ``name``.
    title : str
        The layer's name in the file.
    filename : str
        The file it came from (shown in popups and the description).
    taken : iterable of str, optional
        Ids in use; the spec's id differs from them.
    """
    used = set(taken)
    base = "user_" + (_SLUG.sub("_", title.lower()).strip("_")[:40] or "layer")
    layer_id = next(
        candidate
        for candidate in (base, *(f"{base}_{n}" for n in range(2, len(used) + 3)))
        if candidate not in used
    )
    color = USER_COLORS[sum(i.startswith("user_") for i in used) % len(USER_COLORS)]
    built = user_built(frame, filename=filename)
    dated = bool({"from", "to"} & set(built.features.columns)) and bool(
        (built.features["role"] == "unit").any()
    )
    return LayerSpec(
        id=layer_id,
        title=f"{title} (your layer)",
        description=f"Uploaded from '{filename}': {len(frame):,} "
        f"feature{'' if len(frame) == 1 else 's'}.",
        seeds=(),
        style=Style(color=color, weight=2.5, fill_color=color, fill_opacity=0.15),
        # A file of dated units follows the laydown date like the Forces layer.
        build=partial(on_date, built) if dated else lambda: built,
        params=(AS_OF,) if dated else (),
        group=GROUP,
        labels=(LabelRule("user_point", named, SITE), LabelRule("unit", named, SITE, "symbol")),
    )


def user_built(frame: gpd.GeoDataFrame, *, filename: str) -> Built:
    """The features with roles and popup labels, and the layer's figures.

    Points get their geodesic distance to Belarus (0 inside), lines their geodesic
    length, polygons their geodesic area and perimeter.
    """
    features = _with_units(_renamed(frame), filename)
    geoms = features.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    points = kinds == 0  # single points: measured to the border
    lengths = geodesic_lengths_km(geoms)
    areas, perimeters = geodesic_areas_km2(geoms)
    to_border = np.full(len(features), np.nan)
    if points.any():
        near = distance_to_territory(
            shapely.get_x(geoms[points]), shapely.get_y(geoms[points]), DISTANCE_TO
        )
        to_border[points] = near.distance_m / 1000
    figures = pd.DataFrame(
        {
            "length_km": lengths,
            "area_km2": areas,
            "perimeter_km": perimeters,
            "to_belarus_km": to_border,
        },
        index=features.index,
    )
    features["role"] = _roles(features)
    features["label"] = [
        _label(record, fig, filename)
        for record, fig in zip(features.to_dict("records"), figures.itertuples(), strict=True)
    ]
    for column in figures:
        if figures[column].notna().any() and figures[column].any():
            features[column] = figures[column]
    metrics = {
        "features": float(len(features)),
        "length_km": float(lengths.sum()),
        "area_km2": float(areas.sum()),
    }
    if points.any():
        metrics["nearest_to_belarus_km"] = float(np.nanmin(to_border))
    return Built(features, metrics)


# A user's forces: a point with a SIDC is drawn as its symbol; its dates and its radius of
# uncertainty, when the file has them, are checked as data/forces.csv's are.
UNIT_COLUMNS = ("sidc", "from", "to", "uncertainty_km")


def _with_units(features: gpd.GeoDataFrame, filename: str) -> gpd.GeoDataFrame:
    """Points with a ``sidc`` (any case) become units: SIDC, dates and radius checked.

    Raises
    ------
    FileInputError
        For the first bad value: the feature's number and name, and what is wrong.
    """
    columns = {c.lower(): c for c in features.columns if isinstance(c, str)}
    if "sidc" not in columns:
        return features
    features = features.rename(columns={columns[c]: c for c in UNIT_COLUMNS if c in columns})
    points = shapely.get_type_id(features.geometry.to_numpy()) == 0
    checked = {c: [] for c in UNIT_COLUMNS}
    for number, (record, point) in enumerate(
        zip(features.to_dict("records"), points, strict=True), start=1
    ):
        try:
            unit = _unit_values(record) if point else dict.fromkeys(UNIT_COLUMNS)
        except (GeoInputError, ValueError) as exc:
            raise FileInputError(
                f"'{filename}' feature {number} ({_plain(record.get('name'))}): {exc}"
            ) from None
        for column, value in unit.items():
            checked[column].append(value)
    for column, values in checked.items():  # normalised: ISO dates, km as numbers
        if column in features.columns or column == "sidc":
            features[column] = pd.Series(values, index=features.index, dtype=object)
    if "uncertainty_km" in features.columns:
        features["uncertainty_km"] = pd.to_numeric(features["uncertainty_km"], errors="coerce")
    if "role" not in features.columns:
        features["role"] = None
    features["role"] = [
        "unit" if sidc else role
        for sidc, role in zip(features["sidc"], features["role"], strict=True)
    ]
    return features


def _unit_values(record: dict) -> dict[str, object]:
    """A point's SIDC, dates (ISO) and radius (km), checked; None where not given."""
    raw = record.get("sidc")
    if isinstance(raw, int | float) and not isinstance(raw, bool) and _shown("sidc", raw, None):
        raise GeoInputError(
            f"SIDC {raw!r} is a number: 20 digits do not survive as one; write it as text"
        )
    text = str(raw).strip() if _shown("sidc", raw, None) else ""
    out: dict[str, object] = dict.fromkeys(UNIT_COLUMNS)
    if text:
        out["sidc"] = symbol(_digits(text)).sidc  # checked, and milsymbol can draw it
    for key in ("from", "to"):
        value = record.get(key)
        if _shown(key, value, None):
            day = value if hasattr(value, "isoformat") else str(value).strip()
            out[key] = laydown_date(day).isoformat()  # GeoJSON/GPKG dates come as dates
    if _shown("uncertainty_km", record.get("uncertainty_km"), None):
        radius = float(str(record["uncertainty_km"]).strip())
        if not 0 <= radius <= 1000:
            raise GeoInputError(f"uncertainty_km {radius:g} is not within 0…1000")
        out["uncertainty_km"] = radius
    return out


def _digits(text: str) -> str:
    """A SIDC as a spreadsheet may hold it: ``1.00610001712110e19`` is refused, ``'10…``
    and a trailing ``.0`` are tidied."""
    return text.lstrip("'").removesuffix(".0")


def _renamed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with the map's reserved columns renamed (``label`` → ``label_in_file``)."""
    features = frame.copy()
    renames = {c: f"{c}_in_file" for c in RESERVED if c in features.columns}
    if "role" in features.columns and not features["role"].isin(KNOWN_ROLES).all():
        renames["role"] = "role_in_file"
    return features.rename(columns=renames)


def _roles(features: gpd.GeoDataFrame) -> list[str]:
    """Our roles where the file has them (a round trip), else one by geometry type."""
    kept = features["role"] if "role" in features.columns else pd.Series(None, index=features.index)
    return [
        role if isinstance(role, str) else ROLES.get(kind, "user_area")
        for role, kind in zip(kept, features.geom_type, strict=True)
    ]


def _label(record: dict, fig: tuple, filename: str) -> str:
    """A popup: the name, the file's properties, the measured figures, the source."""
    props = {
        k: v
        for k, v in record.items()
        if k not in {"name", "geometry", "role", "color"} and _shown(k, v, record["name"])
    }
    lines = [_plain(record["name"])]
    lines += [f"{k}: {_plain(v)}" for k, v in list(props.items())[:MAX_PROPERTIES_SHOWN]]
    if len(props) > MAX_PROPERTIES_SHOWN:
        lines.append(f"(+{len(props) - MAX_PROPERTIES_SHOWN} more properties)")
    geom = record["geometry"]
    if geom.geom_type == "Point":
        lines.append(format_dd(geom.x, geom.y))
        where = (
            "inside Belarus"
            if fig.to_belarus_km == 0
            else f"{km_mi(fig.to_belarus_km)} from Belarus"
        )
        lines.append(f"{where} (geodesic, to its border)")
    if fig.length_km > 0:
        lines.append(f"length: {km_mi(fig.length_km)} (geodesic)")
    if fig.area_km2 > 0:
        lines.append(f"area: {fig.area_km2:,.1f} km², perimeter: {km_mi(fig.perimeter_km)}")
    lines.append(f"source: your file '{_plain(filename)}'")
    return "\n".join(lines)


# Columns GDAL's KML drivers add to every placemark, with their "not set" values.
_KML_DEFAULTS = {"tessellate": -1, "extrude": 0, "visibility": -1}


def _shown(key: str, value: object, name: object) -> bool:
    """Whether a property says something: set, not blank, not the name again."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return False
    if _KML_DEFAULTS.get(key, object()) == value:
        return False
    return str(value).strip() not in ("", str(name))


def _plain(value: object) -> str:
    """Text from a file, with our distance-token brackets made harmless (see layers.units).

    A date GDAL read as a timestamp is written as the date it was.
    """
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        value = value.date().isoformat()
    return str(value).replace("⟦", "[").replace("⟧", "]")


def user_places(specs: Iterable[LayerSpec]) -> dict[str, Place]:
    """The named points of user layers, by lower-case name, for the measuring tools.

    A name that two points share is left out (it would be ambiguous); so are lines and
    polygons.
    """
    places: dict[str, Place] = {}
    seen: set[str] = set()
    for spec in specs:
        features = spec.build().features
        for name, geom in zip(features["name"], features.geometry, strict=True):
            if geom.geom_type != "Point":
                continue
            key = str(name).strip().lower()
            if key in seen:
                places.pop(key, None)
                continue
            seen.add(key)
            places[key] = Place(
                str(name), geom.x, geom.y, "user", "", f"your layer {spec.title}", spec.id
            )
    return places
