"""A workspace file: one GeoPackage holding what a user made, so nothing is lost.

QGIS opens it as ordinary layers: the user's uploaded layers and their marks (clicks,
ruler, rings, fans, radials, horizon rings), written by the GeoPackage export. Two
attribute tables let the atlas open it again exactly:

* ``atlas_workspace``, ``key`` → ``value`` text: the format and its version, the map's
  link (every setting a shared link keeps: scene, layers, radii, units, view, date,
  rings, fans...), the clicks, and which uploaded layers are hidden;
* ``atlas_files``: each uploaded file's name and its bytes, as uploaded. Opening the
  workspace reads them again through the hardened reader (:mod:`geo.user_layers`), so
  the layers come back as they were, and nothing in the workspace is trusted more than
  an upload.

:func:`read_workspace` treats the whole file as untrusted input: the GeoPackage checks
of an upload (an intact SQLite database, no views, a bounded query time), then limits on
the settings and the files it holds, each a one-line :class:`~geo.errors.FileInputError`.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio

from exports.formats import export
from geo.errors import FileInputError
from geo.user_layers import Limits, check_geopackage
from layers.catalogue import LayerRef

__all__ = [
    "FILES_TABLE",
    "SETTINGS_TABLE",
    "WORKSPACE_FORMAT",
    "Workspace",
    "WorkspaceFile",
    "is_workspace",
    "read_workspace",
    "workspace_bytes",
]

SETTINGS_TABLE = "atlas_workspace"
FILES_TABLE = "atlas_files"
WORKSPACE_FORMAT = "Baltic Flank Atlas workspace"
VERSION = "1"
MAX_SETTINGS = 100  # rows of the settings table
MAX_SETTING_CHARS = 200_000  # one value (the link of a map with many marks is ~10 kB)
MAX_FILES = 20  # uploaded files in one workspace
# A workspace holds its files and their layers again: up to 3x an upload's limit.
WORKSPACE_LIMITS = Limits(max_bytes=60 * 1024 * 1024)


@dataclass(frozen=True)
class WorkspaceFile:
    """One uploaded file, as uploaded."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Workspace:
    """What a workspace file holds for the atlas.

    Attributes
    ----------
    settings : mapping of str to str
        ``link`` (the map's query string), ``clicks`` (JSON), ``hidden`` (JSON), ...
    files : tuple of WorkspaceFile
        The uploaded files, in upload order.
    """

    settings: Mapping[str, str]
    files: tuple[WorkspaceFile, ...] = ()


def workspace_bytes(
    workspace: Workspace,
    *,
    layer_ids: Iterable[LayerRef] = (),
    unit: str = "km",
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> bytes:
    """The workspace as a GeoPackage's bytes.

    Parameters
    ----------
    workspace : Workspace
        The settings and the uploaded files.
    layer_ids : iterable of LayerRef, optional
        The layers QGIS shows: the user's layers and marks (written by
        :func:`exports.formats.export`); none makes a file of the two tables alone.
    unit : str, optional
        The unit of the layers' figures.
    params : mapping, optional
        Layer id → build parameters.
    """
    layers = list(layer_ids)
    with tempfile.TemporaryDirectory(prefix="atlas-workspace-") as folder:
        path = Path(folder) / "workspace.gpkg"
        if layers:
            export(path, fmt="gpkg", layer_ids=layers, unit=unit, params=params)
        settings = {"format": WORKSPACE_FORMAT, "version": VERSION, **workspace.settings}
        table = pd.DataFrame({"key": list(settings), "value": list(settings.values())})
        pyogrio.write_dataframe(
            table, path, layer=SETTINGS_TABLE, driver="GPKG", append=path.exists()
        )
        with sqlite3.connect(path) as con:
            con.execute(
                f"CREATE TABLE {FILES_TABLE} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
                "name TEXT NOT NULL, data BLOB NOT NULL)"
            )
            con.executemany(
                f"INSERT INTO {FILES_TABLE} (name, data) VALUES (?, ?)",
                [(f.name, f.data) for f in workspace.files],
            )
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES (?, 'attributes', ?, 'the uploaded files, as uploaded')",
                (FILES_TABLE, FILES_TABLE),
            )
        con.close()
        return path.read_bytes()


def is_workspace(data: bytes) -> bool:
    """Whether an uploaded ``.gpkg`` is a workspace (it has the settings table)."""
    return data.startswith(b"SQLite format 3\x00") and SETTINGS_TABLE.encode() in data


def read_workspace(data: bytes, name: str, *, limits: Limits = WORKSPACE_LIMITS) -> Workspace:
    """The settings and files of a workspace file, checked as an upload is.

    Raises
    ------
    FileInputError
        If the file is not an intact GeoPackage, not a workspace of a known version, or
        breaks a limit: one line naming the file.
    """
    if len(data) > limits.max_bytes:
        raise FileInputError(
            f"'{name}' is {len(data) / 2**20:.3g} MB, over the "
            f"{limits.max_bytes / 2**20:g} MB limit for a workspace"
        )
    check_geopackage(data, name, limits)
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(bytearray(data))
        con.execute("PRAGMA trusted_schema = OFF")
        rows = con.execute(
            f"SELECT key, value FROM {SETTINGS_TABLE} LIMIT {MAX_SETTINGS + 1}"
        ).fetchall()
        sizes = con.execute(
            f"SELECT count(*), coalesce(sum(length(data)), 0) FROM {FILES_TABLE}"
        ).fetchone()
        if sizes[0] > MAX_FILES or sizes[1] > limits.max_bytes:
            raise FileInputError(
                f"'{name}' holds {sizes[0]:,} files of {sizes[1]:,} bytes, over a workspace's "
                f"limit of {MAX_FILES} files and {limits.max_bytes:,} bytes"
            )
        files = con.execute(f"SELECT name, data FROM {FILES_TABLE} ORDER BY fid").fetchall()
    except sqlite3.Error as exc:
        raise FileInputError(
            f"'{name}' is a GeoPackage but not an atlas workspace ({str(exc)[:100]})"
        ) from None
    finally:
        con.close()
    settings = _settings(rows, name)
    return Workspace(settings, tuple(_file(n, d, name) for n, d in files))


def _settings(rows: list[tuple[Any, Any]], name: str) -> dict[str, str]:
    if len(rows) > MAX_SETTINGS:
        raise FileInputError(f"'{name}' has more than {MAX_SETTINGS} settings: not a workspace")
    settings = {}
    for key, value in rows:
        if not isinstance(key, str) or not isinstance(value, str | None):
            raise FileInputError(f"'{name}' has a setting that is not text: not a workspace")
        if len(value or "") > MAX_SETTING_CHARS:
            raise FileInputError(f"'{name}': its setting '{key[:40]}' is too long")
        settings[key] = value or ""
    if settings.get("format") != WORKSPACE_FORMAT:
        raise FileInputError(f"'{name}' is not a {WORKSPACE_FORMAT} file")
    if settings.get("version") != VERSION:
        raise FileInputError(
            f"'{name}' is a workspace of version {settings.get('version', '?')[:10]!r}; this "
            f"atlas reads version {VERSION}"
        )
    return settings


def _file(file_name: Any, content: Any, name: str) -> WorkspaceFile:
    if not isinstance(file_name, str) or not isinstance(content, bytes):
        raise FileInputError(f"'{name}' holds a file that is not a name and bytes")
    return WorkspaceFile(file_name[:200], content)
