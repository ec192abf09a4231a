"""Read a layer a user uploads (GeoJSON, KML, KMZ, GeoPackage, CSV, GPX, zipped
shapefile, FlatGeobuf), defensively.

:func:`read_user_layer` takes the file's bytes and its name, never a path or a URL, and
returns plain GeoDataFrames in EPSG:4326. Every problem, whatever the library that
finds it, becomes one :class:`~geo.errors.FileInputError` whose one-line message names
the file and, where it applies, the feature or row and the limit.

The defences, in the order they run:

* the extension chooses the reader; the size is checked before anything is parsed;
* **GeoJSON** is parsed with :mod:`json` and walked before GDAL sees it: structure,
  numeric and finite coordinates, the feature, vertex and column limits, and the legacy
  ``crs`` member, which must be a plain name (GDAL *fetches* a ``"link"`` CRS, so a file
  could make the server request any URL). GDAL then reads the re-serialised document,
  so both parsers see the same text (no duplicate-key tricks);
* **KML** is parsed with expat first: it must be well-formed, its root ``<kml>``, and a
  DOCTYPE (the vehicle of XXE and "billion laughs") is refused; then what GDAL would
  misread is put right in its text or named (:mod:`.kml_repair`: one-point tracks,
  coordinates that are not numbers, models, overlays, network links);
* **GPX** likewise (root ``<gpx>``, no DOCTYPE), and points whose ``lat`` or ``lon`` is
  not a number are cut and named; lines are built from their vertices (:mod:`.gpx`);
* **zip archives** (KMZ, zipped shapefiles) are checked whole before anything is
  extracted (:mod:`.zipped`): members counted, their uncompressed sizes summed, no name
  that leaves the archive, no link, no encryption; each member read is read with a cap;
* a **shapefile**'s parts are checked against each other, its ``.prj`` parsed by pyproj
  (WKT only), its encoding taken from its ``.cpg`` or guessed with a note
  (:mod:`.shapefile`); a **FlatGeobuf**'s magic, version and declared count are checked,
  and one cut short keeps what reads (:mod:`.flatgeobuf`);
* **GeoPackage** is opened with :mod:`sqlite3` from memory first: it must pass
  ``PRAGMA quick_check``, have no views (a view can be a query that never ends) and no
  more feature tables than the limit;
* **CSV** is read with :mod:`csv`: latitude/longitude (or MGRS) columns, numbers,
  ranges, and columns that look swapped. Text with a byte order mark, or that reads as
  UTF-8, is Unicode; otherwise it is read in the Windows code page of the region
  (1250, 1257 or 1251) whose letters fit it best, and a note says which was assumed;
* GDAL (through pyogrio, from memory) must report the expected driver, and reads at most
  one feature more than the limit;
* a coordinate system whose conversion would read a file (a datum-shift grid, an init
  file) is refused whatever the format, before GDAL or PROJ could open the path;
* then, for every format: features without a geometry are dropped (and named), the
  vertex limit, finite coordinates, WGS84 ranges (or a reprojection, when the file
  declares its CRS), :func:`shapely.make_valid` for invalid geometries, and text cleaned
  of control characters and of invisible ones that can disguise a name (bidi overrides,
  zero-width spaces; counted), and capped in length. Text is kept as data: escaping is
  the renderer's job (``layers.escape``);
* a property called ``geometry`` (which GDAL would drop), ``geom`` or ``fid`` (which
  would break a GeoPackage export), in any case, is kept as ``<name>_in_file``.

What was dropped, repaired or reprojected is listed, in plain words, in each frame's
``attrs["notes"]``.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd

from geo.errors import FileInputError, InputError
from geo.user_layers.csv_points import _read_csv
from geo.user_layers.files import _checked_bytes, _display_name, _extension, _unsupported
from geo.user_layers.finish import _finish_all
from geo.user_layers.flatgeobuf import _read_flatgeobuf
from geo.user_layers.geojson import _read_geojson
from geo.user_layers.gpkg import _check_sqlite, _read_gpkg
from geo.user_layers.gpx import _read_gpx
from geo.user_layers.kml import _read_kml, _read_kmz
from geo.user_layers.limits import KMZ_MAX_MEMBERS, MAX_COLUMNS, MAX_TEXT_CHARS, Limits, _Raw
from geo.user_layers.shapefile import _read_shapefile_zip

__all__ = [
    "KMZ_MAX_MEMBERS",
    "MAX_COLUMNS",
    "MAX_TEXT_CHARS",
    "SUPPORTED_EXTENSIONS",
    "Limits",
    "check_geopackage",
    "read_user_layer",
]

SUPPORTED_EXTENSIONS = (
    ".geojson",
    ".json",
    ".kml",
    ".kmz",
    ".gpkg",
    ".csv",
    ".gpx",
    ".zip",
    ".fgb",
)
_DEFAULT_LIMITS = Limits()


def read_user_layer(
    data: bytes, filename: str, *, limits: Limits = _DEFAULT_LIMITS
) -> dict[str, gpd.GeoDataFrame]:
    """Read an uploaded GeoJSON, KML, KMZ, GeoPackage, CSV, GPX, zipped shapefile or
    FlatGeobuf file into layers.

    Parameters
    ----------
    data : bytes
        The file's contents.
    filename : str
        The name the user gave the file: its extension chooses the format, and it names
        the file in messages. It is never opened.
    limits : Limits, optional
        Size, feature, vertex and layer limits.

    Returns
    -------
    dict of str to GeoDataFrame
        Layer name (a GeoPackage's tables, a KML's folders, a GPX's ``waypoints``,
        ``routes`` and ``tracks``, a zip's shapefiles, else the file's name without its
        extension) → features in EPSG:4326 with the file's columns (text cleaned of
        control and invisible characters and cut to 1,000 characters; ``geometry``,
        ``geom`` and ``fid`` renamed ``…_in_file``) and a ``name`` column (from a
        ``name``, ``title`` or ``label`` column, else ``"feature N"``). Each frame's
        ``attrs["notes"]`` lists what was dropped, repaired, reprojected, renamed or
        assumed (a CSV's encoding); ``attrs["added_columns"]`` is ``("name",)`` when
        the file had no ``name`` column.

    Raises
    ------
    FileInputError
        For anything that cannot be read or breaks a limit, with a one-line message.

    Examples
    --------
    Points at the North Pole and on the antimeridian are on the globe:

    >>> doc = (b'{"type": "FeatureCollection", "features": ['
    ...        b'{"type": "Feature", "properties": {"name": "Pole"},'
    ...        b' "geometry": {"type": "Point", "coordinates": [0, 90]}},'
    ...        b'{"type": "Feature", "properties": {"name": "Dateline"},'
    ...        b' "geometry": {"type": "Point", "coordinates": [180, 0]}}]}')
    >>> layers = read_user_layer(doc, "marks.geojson")
    >>> marks = layers["marks"]
    >>> marks["name"].tolist(), marks.geometry.to_wkt().tolist(), marks.crs.to_epsg()
    (['Pole', 'Dateline'], ['POINT (0 90)', 'POINT (180 0)'], 4326)
    >>> rows = "lat,lon,name", "54.68916,25.2798,Vilnius"
    >>> read_user_layer("\\n".join(rows).encode(), "p.csv")["p"].geometry[0].wkt
    'POINT (25.2798 54.68916)'
    >>> read_user_layer(b"", "empty.geojson")
    Traceback (most recent call last):
    ...
    geo.errors.FileInputError: 'empty.geojson' is empty
    >>> read_user_layer(doc, "marks.geojson", limits=Limits(max_features=1))
    Traceback (most recent call last):
    ...
    geo.errors.FileInputError: 'marks.geojson' has 2 features, over the limit of 1
    """
    name = _display_name(filename)
    reader = _READERS.get(_extension(name))
    if reader is None:
        _unsupported(name)
    data = _checked_bytes(data, name, limits)
    try:
        return _finish_all(reader(data, name, limits), name, limits)
    except InputError as exc:  # a FileInputError, or a check of geo/ on a value of the file
        message = str(exc)
        if "\n" in message or "\r" in message:  # text from the file can break a line
            raise FileInputError(" ".join(message.split())) from None
        if isinstance(exc, FileInputError):
            raise
        raise FileInputError(message) from None
    except (RecursionError, MemoryError):
        raise FileInputError(f"'{name}' is too large or too deeply nested to read") from None
    except Exception as exc:  # the promise: one error type, whatever a library raised
        raise FileInputError(
            f"could not read '{name}': unexpected {type(exc).__name__} while reading it"
        ) from exc


def check_geopackage(data: bytes, name: str, limits: Limits = _DEFAULT_LIMITS) -> None:
    """Check a GeoPackage as an upload is checked, before anything reads its tables.

    An intact SQLite database (``PRAGMA quick_check``, read from memory with a bound on
    its work), no views, no more feature tables than ``limits.max_layers``, and no
    coordinate system that would read a file. For files that are read by other means
    than :func:`read_user_layer` (a workspace's own tables).

    Raises
    ------
    FileInputError
        With a one-line message naming the file.

    Examples
    --------
    >>> check_geopackage(b"PK\\x03\\x04", "notes.gpkg")
    Traceback (most recent call last):
    ...
    geo.errors.FileInputError: 'notes.gpkg' is not a GeoPackage: it is not an SQLite database
    """
    _check_sqlite(data, _display_name(name), limits)


_READERS: dict[str, Callable[[bytes, str, Limits], list[_Raw]]] = {
    ".geojson": _read_geojson,
    ".json": _read_geojson,
    ".kml": _read_kml,
    ".kmz": _read_kmz,
    ".gpkg": _read_gpkg,
    ".csv": _read_csv,
    ".gpx": _read_gpx,
    ".zip": _read_shapefile_zip,
    ".fgb": _read_flatgeobuf,
}
