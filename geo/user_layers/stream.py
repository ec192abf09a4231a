"""Read a file of points chunk by chunk, so memory stays bounded whatever its size.

:func:`read_point_chunks` is the reader of ``cli.py distances``: a file on this machine,
from one point to tens of millions. CSV, GeoPackage and GeoJSON are read a chunk of rows
at a time (pandas' C parser; GDAL's Arrow stream through pyogrio), so a file of 4 million
points takes no more memory than one of 1 million. The other formats
(:data:`~geo.user_layers.SUPPORTED_EXTENSIONS`) are small by nature (KML, GPX, a zipped
shapefile, FlatGeobuf): they are read whole by :func:`~geo.user_layers.read_user_layer`
and handed on in chunks.

The defences of :func:`~geo.user_layers.read_user_layer` apply chunk by chunk: the
limits (features over the whole file), text cleaned of control and invisible characters,
reserved column names renamed, coordinates finite and in range or reprojected from a
declared coordinate system, and one :class:`~geo.errors.FileInputError` with a one-line
message whatever goes wrong, also in the middle of the file. Before any row is read:

* **CSV**: the encoding (a byte order mark; else UTF-8 if the first megabyte reads as
  UTF-8, else the region's Windows code page that fits it best, with a note), the
  delimiter and the header (cleaned and made unique) and its coordinate columns;
* **GeoPackage**: ``PRAGMA quick_check``, no views, few enough feature tables, no
  coordinate system that reads a file (:func:`~geo.user_layers.check_geopackage`'s
  checks, on the file itself);
* **GeoJSON**: GDAL's GeoJSON driver is forced, and every ``crs`` member in the file
  must be a plain name (GDAL *fetches* a ``"link"`` CRS); the file is not parsed whole
  in Python, so the finer structural checks of the upload reader (nesting, the types of
  members GDAL ignores) are GDAL's own here.

Row numbers in messages are the CSV's records (the header is row 1 when it comes first)
or the features' order, as in the upload reader.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from geo.errors import FileInputError, GeoInputError, InputError
from geo.user_layers.csv_points import (
    _BOMS,
    _LAT_NAMES,
    _LON_NAMES,
    _check_csv_ranges,
    _csv_header,
    _csv_mgrs,
    _csv_number,
    _find_column,
    _guess_legacy,
    _no_coordinate_columns,
)
from geo.user_layers.files import _display_name, _extension, _megabytes, _shown, _unsupported
from geo.user_layers.finish import _check_self_contained, _to_wgs84
from geo.user_layers.gdal_read import _check_layer_count, _first_line, _gdal_detail
from geo.user_layers.geojson import _GeoJSONCheck
from geo.user_layers.gpkg import _SQLITE_MAGIC, _sqlite_checks
from geo.user_layers.limits import Limits
from geo.user_layers.text import (
    _clean_properties,
    _clean_text,
    _count,
    _is_missing,
    _TextLog,
)

__all__ = ["CHUNK_ROWS", "STREAMED_EXTENSIONS", "PointStream", "read_point_chunks"]

CHUNK_ROWS = 50_000  # rows per chunk: memory per chunk ~1 KB a row, all steps included
STREAMED_EXTENSIONS = (".csv", ".gpkg", ".geojson", ".json")
_HEAD_BYTES = 1 << 20  # what the encoding, the delimiter and the header are read from
_SCAN_BYTES = 1 << 24  # a GeoJSON is scanned for "crs" members this much at a time
_CRS_WINDOW = 4096  # bytes after a "crs" key that must hold its whole value
# a string "crs", or a short one with a \u escape (which could spell it)
_CRS_KEY_RE = re.compile(rb'"(?:crs|[^"\\]{0,8}\\u[^"]{0,40})"')
_SPACES_RE = re.compile(rb"\s*")
_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_T = TypeVar("_T")
_NAMED = 20  # rows without a geometry named in the note; the rest are counted


@dataclass
class PointStream:
    """A file's points, chunk by chunk: iterate over it for GeoDataFrames in EPSG:4326.

    Attributes
    ----------
    title : str
        The layer read (a GeoPackage's table, else the file's name without extension).
    total : int or None
        The rows the file holds, when known before reading (a GeoPackage's count, a CSV's
        lines: an estimate), for a progress bar; None otherwise.
    notes : list of str
        What was assumed, dropped, renamed or cleaned; complete once every chunk is read.
    chunks : iterator of GeoDataFrame
        The points, with the file's columns; rows without a place are left out (and
        counted in the notes).

    Examples
    --------
    >>> stream = PointStream("p", 1, chunks=iter([gpd.GeoDataFrame(geometry=[])]))
    >>> [len(chunk) for chunk in stream]
    [0]
    """

    title: str
    total: int | None
    notes: list[str] = field(default_factory=list)
    chunks: Iterator[gpd.GeoDataFrame] = field(default_factory=lambda: iter(()))

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        """The chunks, once."""
        return self.chunks


def read_point_chunks(
    path: str | Path, *, chunk: int = CHUNK_ROWS, limits: Limits | None = None
) -> PointStream:
    """Open a file of points for reading in chunks of at most ``chunk`` rows.

    Parameters
    ----------
    path : str or Path
        A CSV, GeoPackage or GeoJSON (read in chunks), or any other format
        :func:`~geo.user_layers.read_user_layer` reads (read whole).
    chunk : int, optional
        Rows per chunk.
    limits : Limits, optional
        The file's size and feature limits (default: :class:`Limits`'s).

    Returns
    -------
    PointStream
        Its header, coordinate system and first chunk are read and checked already.

    Raises
    ------
    FileInputError
        For a file that cannot be read or breaks a limit, when opened or while its chunks
        are read, with a one-line message.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "p.csv").write_text("name,lat,lon\\nVilnius,54.68916,25.2798\\n"
    ...                                  "\\nMinsk,53.90019,27.56653\\nNowhere,,\\n")
    >>> stream = read_point_chunks(folder / "p.csv", chunk=1)
    >>> [c["name"].tolist() for c in stream]
    [['Vilnius'], ['Minsk']]
    >>> stream.notes
    ["1 row without a geometry dropped: row 5 ('Nowhere')"]
    >>> read_point_chunks(folder / "q.csv")
    Traceback (most recent call last):
    ...
    geo.errors.FileInputError: no file 'q.csv'
    """
    path = Path(path)
    limits = limits or Limits()
    name = _display_name(path.name)
    _check_file(path, name, limits)
    ext = _extension(name)
    opener = _OPENERS.get(ext, _whole_file if ext in _whole_extensions() else None)
    if opener is None:
        _unsupported(name)
    if chunk < 1:
        raise InputError(f"chunks must hold at least one row, not {chunk}")
    stream = _guarded(name, lambda: opener(path, name, limits, chunk))
    first = _guarded(name, lambda: next(stream.chunks, None))
    rest = _guarded_iter(name, stream.chunks)
    stream.chunks = chain([first] if first is not None else [], rest)
    return stream


def _check_file(path: Path, name: str, limits: Limits) -> None:
    if not path.is_file():
        kind = "a folder" if path.is_dir() else "not a regular file" if path.exists() else ""
        raise FileInputError(f"no file '{name}'" + (f": it is {kind}" if kind else ""))
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileInputError(
            f"'{name}' is {_megabytes(size)}, over the {_megabytes(limits.max_bytes)} limit"
        )
    if size == 0:
        raise FileInputError(f"'{name}' is empty")


def _whole_extensions() -> tuple[str, ...]:
    from geo.user_layers import SUPPORTED_EXTENSIONS

    return SUPPORTED_EXTENSIONS


# --- errors: one FileInputError with one line, whatever raised it ------------------------


def _as_file_error(exc: Exception, name: str) -> FileInputError:
    if isinstance(exc, InputError):
        message = " ".join(str(exc).split())  # text from the file can break a line
        return FileInputError(message)
    if isinstance(exc, RecursionError | MemoryError):
        return FileInputError(f"'{name}' is too large or too deeply nested to read")
    if isinstance(exc, UnicodeDecodeError):
        return FileInputError(
            f"'{name}' cannot be read as {exc.encoding.upper()} (byte {exc.start + 1} of a "
            "block): save it as 'CSV UTF-8'"
        )
    if isinstance(exc, RuntimeError | ValueError | OSError | TypeError | KeyError):
        return FileInputError(f"'{name}' could not be read ({_gdal_detail(exc, name)})")
    return FileInputError(f"could not read '{name}': unexpected {type(exc).__name__} in it")


def _guarded(name: str, step: Callable[[], _T]) -> _T:
    try:
        return step()
    except Exception as exc:  # the promise: one error type, whatever a library raised
        raise _as_file_error(exc, name) from None


def _guarded_iter(name: str, items: Iterator[_T]) -> Iterator[_T]:
    while True:
        item = _guarded(name, lambda: next(items, None))
        if item is None:
            return
        yield item


# --- the checks every chunk passes --------------------------------------------------------


@dataclass
class _Rows:
    """What the chunks of one file have in common: limits, numbering, notes."""

    name: str
    limits: Limits
    unit: str  # "row" or "feature"
    notes: list[str]
    seen: int = 0  # rows (features) counted against the limit
    kept: int = 0  # points handed on
    dropped: int = 0  # rows (features) without a geometry
    named: list[str] = field(default_factory=list)  # the first of them: "row 5 ('A')"
    log: _TextLog = field(default_factory=_TextLog)

    def count(self, n: int) -> None:
        self.seen += n
        if self.seen > self.limits.max_features:
            raise FileInputError(
                f"'{self.name}' has more than {self.limits.max_features:,} {self.unit}s (the limit)"
            )

    def finish(self, props: pd.DataFrame, geoms: np.ndarray, numbers: np.ndarray, crs: object):
        """The chunk's points: those with a place, checked, in WGS84, text cleaned."""
        missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        if missing.any():
            self.drop(props[missing], numbers[missing])
        keep = np.flatnonzero(~missing)
        geoms, numbers = geoms[keep], numbers[keep]
        _check_points(geoms, _Where(self.unit, numbers), self.name)
        geoms, note = _to_wgs84(geoms, crs, _Where(self.unit, numbers), self.name)
        if note and note not in self.notes:
            self.notes.append(note)
        clean, log = _clean_properties(props.iloc[keep])
        self.log.invisible += log.invisible
        self.log.renamed.update(log.renamed)
        self.kept += len(keep)
        return gpd.GeoDataFrame(clean.reset_index(drop=True), geometry=geoms, crs=4326)

    def drop(self, props: pd.DataFrame, numbers: np.ndarray) -> None:
        self.dropped += len(numbers)
        label = _label_column(props)
        for k, n in enumerate(numbers[: max(_NAMED - len(self.named), 0)]):
            value = props.iloc[k][label] if label is not None else None
            text = "" if _is_missing(value) else _clean_text(str(value)).strip()
            self.named.append(f"{self.unit} {n}" + (f" ({_shown(text)})" if text else ""))

    def close(self) -> None:
        """Complete the notes; refuse a file without a single point."""
        if not self.kept:
            extra = f" ({_count(self.dropped, self.unit)} without one dropped)"
            raise FileInputError(
                f"'{self.name}' holds no {self.unit}s with a geometry"
                + (extra if self.dropped else "")
            )
        if self.dropped:
            more = self.dropped - len(self.named)
            listed = ", ".join(self.named) + (f" and {more:,} more" if more else "")
            self.notes.append(
                f"{_count(self.dropped, self.unit)} without a geometry dropped: {listed}"
            )
        self.notes.extend(self.log.notes())


@dataclass(frozen=True)
class _Where:
    """``where[k]`` is ``"row 12"``: the name of a chunk's k-th point in a message, made
    only when a message needs it (not a million strings for each file)."""

    unit: str
    numbers: np.ndarray

    def __getitem__(self, k: int) -> str:
        return f"{self.unit} {self.numbers[k]}"

    def __len__(self) -> int:
        return len(self.numbers)


def _check_points(geoms: np.ndarray, where: _Where, name: str) -> None:
    """Refuse the first geometry that is not a single point, naming it."""
    kinds = shapely.get_type_id(geoms)
    if (kinds != 0).any():
        k = int(np.argmax(kinds != 0))
        kind = shapely.GeometryType(int(kinds[k])).name.title()
        raise GeoInputError(
            f"'{name}': {where[k]} is a {kind}, not a point: distances are measured from "
            "points (one per row)"
        )


def _label_column(props: pd.DataFrame) -> object | None:
    lowered = {str(c).lower(): c for c in reversed(props.columns)}
    return next((lowered[k] for k in ("name", "title", "label") if k in lowered), None)


# --- CSV --------------------------------------------------------------------------------


def _open_csv(path: Path, name: str, limits: Limits, chunk: int) -> PointStream:
    encoding, note, lines = _csv_encoding(path, name)
    with path.open("rb") as f:
        head = f.read(_HEAD_BYTES)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    records = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    header_row, row = next(((n, r) for n, r in records if any(c.strip() for c in r)), (0, []))
    if not header_row:
        raise FileInputError(f"'{name}' is empty")
    header = _csv_header(row, name)
    lat_i, lon_i = _find_column(header, _LAT_NAMES), _find_column(header, _LON_NAMES)
    mgrs_i = _find_column(header, ("mgrs",))
    if (lat_i is None or lon_i is None) and mgrs_i is None:
        _no_coordinate_columns(header, lat_i, lon_i, name)
    notes = [note] if note else []
    rows = _Rows(name, limits, "row", notes)
    reader = pd.read_csv(
        path,
        sep=delimiter,
        header=None,
        # one column more than the header: a row with a value too many fills it (pandas
        # would take a first row's extra value for an index, or drop it)
        names=list(range(len(header) + 1)),
        dtype="str",
        na_filter=False,
        skip_blank_lines=False,
        skiprows=header_row,
        encoding=encoding,
        chunksize=chunk,
        engine="c",
        index_col=False,
    )
    coords = (lat_i, lon_i) if lat_i is not None and lon_i is not None else None

    def chunks() -> Iterator[gpd.GeoDataFrame]:
        start = header_row + 1  # the record number of the chunk's first row
        with reader:
            for raw in _csv_records(reader, name, len(header)):
                numbers = np.arange(start, start + len(raw))
                start += len(raw)
                extra = raw.pop(len(header)).ne("").to_numpy()
                if extra.any():
                    row = int(numbers[np.argmax(extra)])
                    raise FileInputError(
                        f"'{name}': row {row} has more values than the header has columns "
                        f"({len(header)})"
                    )
                table = raw.set_axis(header, axis=1)
                out = _csv_chunk(table, header, coords, mgrs_i, numbers, rows)
                if out is not None and len(out):
                    yield out
        rows.close()

    return PointStream(_stem_of(name), max(lines - header_row, 0), notes, chunks())


def _csv_records(reader: Iterator[pd.DataFrame], name: str, width: int) -> Iterator[pd.DataFrame]:
    try:
        yield from reader
    except pd.errors.ParserError as exc:
        found = _FIELDS_RE.search(str(exc))
        if found:
            raise FileInputError(
                f"'{name}': row {found[2]} has {found[3]} values but the header has {width} columns"
            ) from None
        raise FileInputError(f"'{name}' is not a readable CSV file ({_first_line(exc)})") from None


def _csv_chunk(
    table: pd.DataFrame,
    header: list[str],
    coords: tuple[int, int] | None,
    mgrs_i: int | None,
    numbers: np.ndarray,
    rows: _Rows,
) -> gpd.GeoDataFrame | None:
    """One chunk of CSV records (text) as points; blank records are skipped silently."""
    if coords is not None:
        lat_col, lon_col = header[coords[0]], header[coords[1]]
        lat_text, lon_text = table[lat_col], table[lon_col]
        no_place = _blank(lat_text) & _blank(lon_text)
    else:
        no_place = _blank(table[header[mgrs_i]])
    if no_place.any():  # a record with no cell filled is no row at all
        empty = no_place.copy()
        for col in header:
            empty &= _blank(table[col])
        if empty.any():
            table, numbers, no_place = table[~empty], numbers[~empty], no_place[~empty]
    if table.empty:
        return None
    rows.count(len(table))
    place = ~no_place.to_numpy()
    name = rows.name
    if coords is not None:
        lons = _degrees(table[lon_col], place, f"column '{lon_col}'", numbers, name)
        lats = _degrees(table[lat_col], place, f"column '{lat_col}'", numbers, name)
        _check_csv_ranges(lons, lats, lon_col, lat_col, numbers, name)
        table = table.assign(**{lat_col: lats, lon_col: lons})
    else:
        col = header[mgrs_i]
        lons, lats = _csv_mgrs(table[col].where(place, ""), col, numbers, name)
    geoms = np.full(len(table), None, dtype=object)
    geoms[place] = shapely.points(lons[place], lats[place])
    return rows.finish(table.reset_index(drop=True), geoms, numbers, None)


def _blank(text: pd.Series) -> pd.Series:
    return text.str.strip().eq("")


def _degrees(
    text: pd.Series, place: np.ndarray, what: str, numbers: np.ndarray, name: str
) -> np.ndarray:
    """Decimal degrees from text: vectorized, and each value that does not parse plainly
    (a decimal comma, a blank, not a number) read as the upload reader reads it."""
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    values[~place] = np.nan
    odd = np.flatnonzero(place & ~np.isfinite(values))
    for k in odd:
        values[k] = _csv_number(text.iloc[k], what, int(numbers[k]), name)
    return values


def _csv_encoding(path: Path, name: str) -> tuple[str, str | None, int]:
    """The codec to read the file with, a note if it was assumed, and the file's lines.

    As the upload reader decides (:func:`~geo.user_layers.csv_points._decode_text`), in
    one pass over the file that also counts its lines: a byte order mark is obeyed; else
    the file is UTF-8 if all of it reads as UTF-8; else it is refused if it holds NUL
    bytes, and otherwise read in the region's Windows code page that fits the first
    stretch that is not UTF-8 best (with a note).
    """
    with path.open("rb") as f:
        head = f.read(len(codecs.BOM_UTF32_LE))
        f.seek(0)
        bom = next((encoding for mark, encoding in _BOMS if head.startswith(mark)), None)
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines, nul, sample = 0, False, None
        for block in iter(lambda: f.read(1 << 24), b""):
            lines += block.count(b"\n")
            nul = nul or b"\x00" in block
            if bom is None and sample is None:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    sample = block[max(exc.start - (1 << 20), 0) : exc.start + (1 << 20)]
        if bom is None and sample is None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                sample = head
    if bom is not None:
        return bom, None, lines
    if sample is None:
        return "utf-8", None, lines
    if nul:  # binary, or UTF-16 without its byte order mark
        raise FileInputError(
            f"'{name}' is not UTF-8 text (a byte cannot be read, and it holds NUL bytes): "
            "save it as 'CSV UTF-8'"
        )
    guess = _guess_legacy(sample)
    if guess is None:
        raise FileInputError(
            f"'{name}' is not UTF-8 text, nor in a Windows code page of the region: save it "
            "as 'CSV UTF-8'"
        )
    encoding, label = guess
    return (
        encoding,
        (
            f"the file is not UTF-8: read as {label}; check that names with accents or "
            "Cyrillic letters read correctly, or save it as 'CSV UTF-8'"
        ),
        lines,
    )


def _stem_of(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


# --- GeoPackage and GeoJSON, through GDAL's Arrow stream -----------------------------------


def _open_gpkg(path: Path, name: str, limits: Limits, chunk: int) -> PointStream:
    with path.open("rb") as f:
        magic = f.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise FileInputError(f"'{name}' is not a GeoPackage: it is not an SQLite database")
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise FileInputError(
            f"'{name}' has changes not yet written into it (in '{wal.name}'; is it open in "
            "QGIS?): close it where it is open, then measure it"
        )
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    _sqlite_checks(lambda: sqlite3.connect(uri, uri=True), name, limits)
    listing = pyogrio.list_layers(path)
    spatial = [(str(t), g) for t, g in listing if g is not None]
    _check_layer_count(len(spatial), name, limits)
    if not spatial:
        raise FileInputError(f"'{name}' holds no layer with geometries")
    title = next((t for t, g in spatial if g in ("Point", "Point Z")), spatial[0][0])
    info = pyogrio.read_info(path, layer=title)
    if info["driver"] != "GPKG":
        raise FileInputError(f"'{name}' is not a GeoPackage file (it reads as {info['driver']})")
    notes = [f"measuring one of {len(spatial)} layers: {title}"] if len(spatial) > 1 else []
    total = int(info["features"]) if info["features"] >= 0 else None
    return _gdal_stream(str(path), name, title, limits, chunk, notes, total)


def _open_geojson(path: Path, name: str, limits: Limits, chunk: int) -> PointStream:
    _check_geojson_crs(path, name, limits)
    return _gdal_stream(f"GeoJSON:{path}", name, _stem_of(name), limits, chunk, [], None)


def _check_geojson_crs(path: Path, name: str, limits: Limits) -> None:
    """Every ``crs`` member of the file is a plain name (GDAL fetches a link), or refused.

    The file is scanned, not parsed: every key that reads ``crs`` (also spelt with
    ``\\u`` escapes, and a feature's property of that name holding an object) must hold
    the accepted form. A key whose value cannot be seen whole within 4 KB is refused.
    """
    check = _GeoJSONCheck(name, limits)
    text = b""
    with path.open("rb") as f:
        for block in chain(iter(lambda: f.read(_SCAN_BYTES), b""), [None]):
            last = block is None
            text += block or b""
            keep = len(text) if last else max(len(text) - 64, 0)
            for found in _CRS_KEY_RE.finditer(text):
                try:
                    key = json.loads(found[0].decode("utf-8", errors="replace"))
                except json.JSONDecodeError:
                    continue
                if key != "crs":
                    continue
                colon = _SPACES_RE.match(text, found.end()).end()
                if colon == len(text) and not last:  # the colon, if any, is in the next block
                    keep = min(keep, found.start())
                    break
                if text[colon : colon + 1] != b":":
                    continue  # a value "crs", not a key
                start = _SPACES_RE.match(text, colon + 1).end()
                value = text[start : start + _CRS_WINDOW].decode("utf-8", errors="replace")
                try:
                    crs, _ = json.JSONDecoder().raw_decode(value)
                except json.JSONDecodeError:
                    if not last and start + _CRS_WINDOW > len(text):
                        keep = min(keep, found.start())  # read again with the next block
                        break
                    crs = {"type": "unknown"}  # longer than the window, or not JSON
                if isinstance(crs, dict):
                    check.crs(crs)
            text = text[keep:]


def _gdal_stream(
    source: str,
    name: str,
    title: str,
    limits: Limits,
    chunk: int,
    notes: list[str],
    total: int | None,
) -> PointStream:
    rows = _Rows(name, limits, "feature", notes)

    def chunks() -> Iterator[gpd.GeoDataFrame]:
        geojson = source.startswith("GeoJSON:")
        layer = None if geojson else title
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pyogrio.open_arrow(source, layer=layer, batch_size=chunk, use_pyarrow=True) as (
                meta,
                reader,
            ):
                crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
                if crs is not None:
                    _check_self_contained(crs, name)
                geometry = meta["geometry_name"] or "wkb_geometry"
                for batch in reader:
                    yield from _gdal_chunk(batch, geometry, crs, rows, geojson)
        rows.close()

    return PointStream(title, total, notes, chunks())


def _gdal_chunk(
    batch: object, geometry: str, crs: CRS | None, rows: _Rows, refuse_empty: bool
) -> Iterator[gpd.GeoDataFrame]:
    """One Arrow batch as points. GDAL reads a GeoJSON point with a NaN coordinate as an
    empty point (its WKB holds two NaNs): ``refuse_empty`` refuses it rather than drop it."""
    start = rows.seen + 1
    rows.count(batch.num_rows)
    numbers = np.arange(start, start + batch.num_rows)
    wkb = batch.column(batch.schema.get_field_index(geometry)).to_numpy(zero_copy_only=False)
    geoms = shapely.from_wkb(wkb, on_invalid="fix")
    empty = np.flatnonzero(shapely.is_empty(geoms))
    if refuse_empty and len(empty):
        raise FileInputError(
            f"'{rows.name}': {rows.unit} {numbers[empty[0]]} has a coordinate that is not a "
            "finite number (NaN or infinity), or no coordinates"
        )
    props = batch.drop_columns([geometry]).to_pandas(types_mapper=pd.ArrowDtype)
    out = rows.finish(props, np.asarray(geoms, dtype=object), numbers, crs)
    if len(out):
        yield out


# --- the other formats: read whole, handed on in chunks ------------------------------------


def _whole_file(path: Path, name: str, limits: Limits, chunk: int) -> PointStream:
    from geo.user_layers import read_user_layer

    with path.open("rb") as f:
        data = f.read(limits.max_bytes + 1)
    layers = read_user_layer(data, name, limits=limits)
    # the first layer of points (a GPX's waypoints before its routes and tracks), else the first
    title = next(
        (t for t, f in layers.items() if (f.geom_type == "Point").all()), next(iter(layers))
    )
    points = layers[title]
    notes = [f"measuring one of {len(layers)} layers: {title}"] if len(layers) > 1 else []
    notes += points.attrs.get("notes", [])
    points = points.drop(columns=list(points.attrs.get("added_columns", ())))
    _check_points(
        points.geometry.to_numpy(), _Where("feature", np.arange(1, len(points) + 1)), name
    )

    def chunks() -> Iterator[gpd.GeoDataFrame]:
        for start in range(0, len(points), chunk):
            yield points.iloc[start : start + chunk].reset_index(drop=True)

    return PointStream(title, len(points), notes, chunks())


_OPENERS: dict[str, Callable[[Path, str, Limits, int], PointStream]] = {
    ".csv": _open_csv,
    ".gpkg": _open_gpkg,
    ".geojson": _open_geojson,
    ".json": _open_geojson,
}
