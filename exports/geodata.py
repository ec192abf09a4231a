"""GeoJSON, GeoPackage, KML and KMZ: every layer's features as GIS files, through GDAL.

Each writer takes the frames of :func:`exports.formats.layer_frames` (one GeoDataFrame
per layer, plain-text labels) and carries the data attribution. GeoJSON is HTML-safe
JSON; KML names and descriptions are HTML-escaped (Google Earth renders them); a
GeoPackage holds the exact text as SQL values.
"""

from __future__ import annotations

import html
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from PIL import Image

from layers.attribution import ATTRIBUTION
from layers.spec import LayerSpec

__all__ = [
    "OUR_COLUMNS",
    "html_safe_json",
    "sqlite_safe_names",
    "write_geojson",
    "write_gpkg",
    "write_kml",
    "write_kmz",
]


def write_geojson(path: Path, frames: Mapping[LayerSpec, gpd.GeoDataFrame], *, title: str) -> None:
    """One RFC 7946 FeatureCollection (WGS84, lon/lat) with every layer's features."""
    features = []
    for gdf in frames.values():
        features += json.loads(gdf.to_json(drop_id=True, na="drop", default=_json_value))[
            "features"
        ]
    collection = {
        "type": "FeatureCollection",
        "title": title,
        "attribution": ATTRIBUTION,
        "features": features,
    }
    path.write_text(html_safe_json(collection), encoding="utf-8")


def _json_value(value: Any) -> Any:
    """JSON for what a user's file may hold beyond JSON types: dates and times as ISO 8601."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def html_safe_json(value: Any) -> str:
    """JSON with ``<``, ``>`` and ``&`` escaped as ``\\u003c``, ``\\u003e``, ``\\u0026``.

    Those characters can only occur inside JSON strings, where the escapes mean the same
    characters: a JSON reader gets the exact text, an HTML page embedding it no markup.
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def write_gpkg(path: Path, frames: Mapping[LayerSpec, gpd.GeoDataFrame], *, title: str) -> None:
    """A GeoPackage with one table per layer.

    A layer of one kind of geometry gets that (multi-)type; a layer that mixes points,
    lines and polygons gets a generic ``GEOMETRY`` table, which QGIS shows per type.
    """
    path.unlink(missing_ok=True)
    for spec, gdf in frames.items():
        gdf = gdf.rename(columns=sqlite_safe_names(gdf.columns))
        meta = {"DESCRIPTION": f"{title}: {spec.title}. {ATTRIBUTION}"}
        kinds = {_KIND.get(t, "mixed") for t in shapely.get_type_id(gdf.geometry.values)}
        single = len(kinds) == 1 and "mixed" not in kinds
        options = {"promote_to_multi": True} if single else {"geometry_type": "Unknown"}
        pyogrio.write_dataframe(
            gdf,
            path,
            layer=spec.id,
            driver="GPKG",
            layer_metadata=meta,
            append=path.exists(),
            **options,
        )


OUR_COLUMNS = ("layer", "role", "name", "description", "geometry")


def sqlite_safe_names(columns: Iterable[str]) -> dict[str, str]:
    """Renames for columns whose names differ only in case (``Name`` beside ``name``).

    SQLite, and so a GeoPackage, compares column names without case; a user's KML has
    ``Name`` beside the ``name`` we add. Our columns (:data:`OUR_COLUMNS`) keep their
    names; another that clashes gets a ``_2`` (``_3``, ...) suffix.
    """
    columns = list(columns)
    seen = {c.lower() for c in columns if c in OUR_COLUMNS}
    renames = {}
    for column in (c for c in columns if c not in OUR_COLUMNS):
        new, n = column, 1
        while new.lower() in seen:
            n += 1
            new = f"{column}_{n}"
        seen.add(new.lower())
        if new != column:
            renames[column] = new
    return renames


# shapely type id → kind: points, lines, polygons (collections are not produced here).
# Geometry type ids by kind; anything else (a collection: a GPX track of a line and a
# point) makes the table generic.
_KIND = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}


def write_kml(
    path: Path,
    frames: Mapping[LayerSpec, gpd.GeoDataFrame],
    *,
    title: str,
    icons: Mapping[str, str] | None = None,
) -> None:
    """KML with a folder per layer and the layer's colours as styles (via GDAL's KML).

    Names and descriptions are HTML-escaped: Google Earth renders descriptions as HTML.

    Parameters
    ----------
    icons : mapping, optional
        SIDC → an icon's href: a unit (a feature with that ``sidc``) is drawn with it
        (:func:`write_kmz` gives each unit's symbol as a file in the archive).
    """
    path.unlink(missing_ok=True)
    for spec, gdf in frames.items():
        style = spec.style
        fill = (style.fill_color or style.color) + f"{int(style.fill_opacity * 255):02x}"
        look = f"PEN(c:{style.color},w:{style.weight:g}px);BRUSH(fc:{fill})"
        points = gdf.geom_type == "Point"
        sidcs = gdf["sidc"].where(points, None) if "sidc" in gdf.columns else [None] * len(gdf)
        out = gpd.GeoDataFrame(
            {
                "Name": [html.escape(str(n)) for n in gdf["name"]],
                "Description": [
                    html.escape(str(d)).replace("\n", "<br>")
                    + f"<br><br>{html.escape(ATTRIBUTION)}"
                    for d in gdf["description"].fillna("")
                ],
                "OGR_STYLE": [
                    f'SYMBOL(id:"{(icons or {})[sidc]}")' if sidc in (icons or {}) else look
                    for sidc in sidcs
                ],
            },
            geometry=gdf.geometry,
            crs=4326,
        )
        first = not path.exists()
        pyogrio.write_dataframe(
            out,
            path,
            # A layer's name is also an XML id (and GDAL refuses a ":" in it): GDAL would
            # make a title one and say so on stderr (not as a Python warning). Each folder
            # gets its title below.
            layer=_xml_id(spec.id),
            driver="KML",
            append=not first,
            dataset_options={"DOCUMENT_ID": "atlas"} if first else None,
        )
    _name_folders(path, [spec.title for spec in frames])
    if icons:
        _icon_styles(path)


_PLACEMARK_RE = re.compile(r"<Placemark\b.*?</Placemark>", re.DOTALL)
# Our icon style as GDAL writes it (escaped by the KML driver, in CDATA once LIBKML has
# appended a layer), read only from the style field and only as one of our icon files: a
# name or a description that says the same cannot point an icon elsewhere.
_SYMBOL_RE = re.compile(
    r'<SimpleData name="OGR_STYLE">(?:<!\[CDATA\[)?SYMBOL\(id:(?:&quot;|")'
    r'(files/\d{20}\.png)(?:&quot;|")\)'
)


def _icon_styles(path: Path) -> None:
    """Give each unit's placemark its icon: GDAL's KML driver writes the ``SYMBOL`` style
    only as data, so the ``IconStyle`` is added here, its hot spot the icon's centre."""

    def styled(match: re.Match[str]) -> str:
        placemark = match.group(0)
        icon = _SYMBOL_RE.search(placemark)
        if icon is None or "<ExtendedData>" not in placemark:
            return placemark
        style = (
            f"<Style><IconStyle><scale>1.3</scale><Icon><href>{icon.group(1)}</href></Icon>"
            '<hotSpot x="0.5" y="0.5" xunits="fraction" yunits="fraction"/>'
            "</IconStyle></Style>"
        )
        return placemark.replace("<ExtendedData>", style + "<ExtendedData>", 1)

    text = path.read_text(encoding="utf-8")
    path.write_text(_PLACEMARK_RE.sub(styled, text), encoding="utf-8")


ICON_FOLDER = "files"  # in a KMZ, beside doc.kml: Google Earth's own layout
ICON_SIZE_PX = 52  # milsymbol's size for a KMZ icon (Google Earth shows it about 32 px)


def write_kmz(path: Path, frames: Mapping[LayerSpec, gpd.GeoDataFrame], *, title: str) -> None:
    """KMZ: the KML of :func:`write_kml` zipped with each unit's symbol as its icon.

    A unit's icon is milsymbol's drawing of its SIDC (:mod:`exports.png_symbols`), padded
    so that the unit's position is the icon's centre, where Google Earth puts a point.
    """
    from exports.png_symbols import symbol_image  # the rasteriser: only for KMZ and PNG

    sidcs = sorted(
        {s for gdf in frames.values() if "sidc" in gdf.columns for s in gdf["sidc"].dropna()}
    )
    icons = {sidc: f"{ICON_FOLDER}/{sidc}.png" for sidc in sidcs}
    with tempfile.TemporaryDirectory() as folder:
        doc = Path(folder) / "doc.kml"
        write_kml(doc, frames, title=title, icons=icons)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as kmz:
            kmz.write(doc, "doc.kml")  # first: the document Google Earth opens
            for sidc, href in icons.items():
                kmz.writestr(href, _centred_png(symbol_image(sidc, ICON_SIZE_PX)))


def _centred_png(image: Any) -> bytes:
    """A symbol's raster on a transparent square whose centre is the unit's position."""
    h, w = image.rgba.shape[:2]
    x, y = image.anchor
    half = int(np.ceil(max(x, w - x, y, h - y)))
    canvas = np.zeros((2 * half, 2 * half, 4), dtype=np.uint8)
    left, top = round(half - x), round(half - y)
    canvas[top : top + h, left : left + w] = image.rgba
    out = io.BytesIO()
    Image.fromarray(canvas, "RGBA").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _xml_id(text: str) -> str:
    """``text`` as an XML id GDAL keeps as it is: letters, digits, ``_`` and ``.``, not
    starting with a digit or ``.`` (GDAL "adjusts" a ``-``, and says so on stderr).

    >>> _xml_id("smolensk_gates"), _xml_id("2 rings: Vilnius")
    ('smolensk_gates', '_2_rings__Vilnius')
    """
    name = re.sub(r"[^A-Za-z0-9_.]", "_", text)
    return name if re.match(r"[A-Za-z_]", name) else f"_{name}"


# A layer's folder as GDAL writes it: the first a <Folder>, each appended one a <Document>.
_FOLDER_NAME_RE = re.compile(r'(<(?:Folder|Document id="[^"]*")>\s*<name>)[^<]*(</name>)')


def _name_folders(path: Path, titles: list[str]) -> None:
    """Give each layer's folder in the KML its title (GDAL names it as the XML id it was
    given: ``astravets_rings``)."""
    if not titles or not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    names = iter(html.escape(t) for t in titles)
    renamed = _FOLDER_NAME_RE.sub(
        lambda m: m.group(0) if (n := next(names, None)) is None else m.group(1) + n + m.group(2),
        text,
    )
    path.write_text(renamed, encoding="utf-8")
