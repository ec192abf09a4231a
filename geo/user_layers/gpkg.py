"""GeoPackage: checked with sqlite3, from memory, before GDAL reads it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from geo.errors import FileInputError
from geo.user_layers.finish import _READS_FILES, _reads_files
from geo.user_layers.gdal_read import _check_layer_count, _first_line, _gdal_layers
from geo.user_layers.limits import Limits, _Raw

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_MAX_PROGRESS_CALLS = 20_000  # x 10,000 VM steps: a 40 MB file needs ~330, 1 GB ~8,500


def _read_gpkg(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    _check_sqlite(data, name, limits)
    return _gdal_layers(data, name, "GeoPackage", {"GPKG"}, limits)


def _check_sqlite(data: bytes, name: str, limits: Limits) -> None:
    """An intact SQLite database with GeoPackage tables, no views, few enough layers."""
    if not data.startswith(_SQLITE_MAGIC):
        raise FileInputError(f"'{name}' is not a GeoPackage: it is not an SQLite database")
    image = bytearray(data)
    if image[18:20] == b"\x02\x02":  # WAL mode (QGIS leaves it on): in memory, read as rollback
        image[18:20] = b"\x01\x01"

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(":memory:")
        con.deserialize(image)
        return con

    _sqlite_checks(connect, name, limits)


def _sqlite_checks(connect: Callable[[], sqlite3.Connection], name: str, limits: Limits) -> None:
    """:func:`_check_sqlite`'s checks on a database ``connect`` opens (from memory, or a
    file opened read-only)."""
    calls = 0

    def progress() -> int:
        nonlocal calls
        calls += 1
        return calls > _SQLITE_MAX_PROGRESS_CALLS  # non-zero aborts the statement

    con = None
    try:
        con = connect()
        con.set_progress_handler(progress, 10_000)
        con.execute("PRAGMA trusted_schema = OFF")
        if con.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
        views = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'view'").fetchone()
        layers = con.execute(
            "SELECT count(*) FROM gpkg_contents WHERE lower(data_type) = 'features'"
        ).fetchone()
        definitions = [
            str(v) for row in con.execute("SELECT * FROM gpkg_spatial_ref_sys") for v in row
        ]
    except sqlite3.Error as exc:
        raise FileInputError(
            f"'{name}' is not a readable GeoPackage: it is damaged, truncated or not a "
            f"GeoPackage ({_first_line(exc)})"
        ) from None
    finally:
        if con is not None:
            con.close()
    if views[0]:
        raise FileInputError(
            f"'{name}' contains database views, which are not accepted (a view is a query "
            "that could run without end): save its layers as plain tables"
        )
    _check_layer_count(layers[0], name, limits)
    if any(_reads_files(text) for text in definitions):  # before GDAL reads them
        raise FileInputError(f"'{name}' {_READS_FILES}")
