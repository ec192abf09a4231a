"""Layer data the app serves as files, so that a rerun sends a reference, not the data.

The app's map is re-sent to the browser on every rerun that changes it, every argument
of it at once. Our layers' data (:func:`webmap.render.layer_data`, the vector base, the
minimap) is the bulk of that, and it rarely changes: :func:`served` writes each piece
once to ``static/data/<content hash>.json`` (Streamlit serves ``static/`` at
``/app/static``) and puts ``{"href": url}`` in its place; the page's runtime
(``atlasGeo.source``) fetches each file once and keeps it for the page's life, so a
rerun carries only references, and the browser decodes a layer once per page.

Only public data is served this way: the catalogue's layers and the claims, which are the
same for everybody. A user's uploads, clicks and rings stay inline in their own session's
messages (a file under ``/app/static`` can be fetched by anyone who has its name).

A file's name is its content's hash, so a file never changes once written, and two
servers or sessions that write the same layer write the same bytes. The folder is
bounded: past :data:`MAX_FILES` files, the least recently referenced go (a file still
in use is written again when next referenced).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = [
    "MAX_FILES",
    "SERVED_DIR",
    "SERVED_URL",
    "Source",
    "inline",
    "pushed",
    "served",
    "served_url",
]

SERVED_DIR = Path(__file__).resolve().parent.parent / "static" / "data"
SERVED_URL = "/app/static/data"
MAX_FILES = 2000  # ~ 2,000 layer states; a layer's file is 1-200 KB
_PRUNE_TO = MAX_FILES // 2

# How an element's data reaches the page: inline (exports) or served (the app).
Source = Callable[[str], str]


def inline(data: str) -> str:
    """The data itself, in the page (exported pages: they must work from a file)."""
    return data


@lru_cache(maxsize=1024)
def _name(data: str, suffix: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24] + suffix


def served(data: str, folder: Path = SERVED_DIR, url: str = SERVED_URL) -> str:
    """A reference to ``data`` written as a served file (written once per content).

    Parameters
    ----------
    data : str
        A layer's JSON (from :func:`webmap.render.layer_data` or the like); an empty
        string (a layer with nothing to draw) stays empty.
    folder : pathlib.Path, optional
        Where the files go (Streamlit's ``static`` folder's ``data``).
    url : str, optional
        Where the browser finds ``folder``.

    Returns
    -------
    str
        ``{"href": "<url>/<hash>.json"}`` as JSON, which ``atlasGeo.source`` reads.
    """
    if not data:
        return data
    return json.dumps({"href": served_url(data, ".json", folder, url)})


def pushed(data: str, folder: Path = SERVED_DIR, url: str = SERVED_URL) -> str:
    """A reference to ``data`` as :func:`served` gives it, with the data alongside.

    For the rerun that first shows a layer in a page: the page keeps the data under the
    file's URL, as if it had fetched it, and later reruns send only the reference. The
    file is written all the same (a new page, or a reloaded one, fetches it).

    Returns
    -------
    str
        ``{"href": "<url>/<hash>.json", "data": <data>}`` as JSON.
    """
    if not data:
        return data
    return f'{{"href":{json.dumps(served_url(data, ".json", folder, url))},"data":{data}}}'


def served_url(data: str, suffix: str, folder: Path = SERVED_DIR, url: str = SERVED_URL) -> str:
    """Write ``data`` as a served file named by its content (once) and return its URL.

    Parameters
    ----------
    data : str
        The file's text.
    suffix : str
        Its extension, which gives its media type (``.json``, ``.js``).
    folder, url : optional
        As for :func:`served`.

    Returns
    -------
    str
        ``<url>/<hash><suffix>``.
    """
    name = _name(data, suffix)
    path = folder / name
    try:
        os.utime(path)  # referenced now: the last to be pruned
    except FileNotFoundError:
        _write(path, data)
    return f"{url}/{name}"


def _write(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _prune(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _referenced(path: Path) -> float:
    """When ``path`` was last referenced (0 if another process just deleted it)."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _prune(folder: Path) -> None:
    """Past :data:`MAX_FILES` files, delete the least recently referenced down to half."""
    files = [f for f in folder.iterdir() if f.suffix in (".json", ".js")]
    if len(files) < MAX_FILES:
        return
    files.sort(key=_referenced)
    for old in files[: len(files) - _PRUNE_TO]:
        old.unlink(missing_ok=True)
