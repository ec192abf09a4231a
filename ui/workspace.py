"""A session as a workspace file (:mod:`exports.workspace`), and a workspace opened again.

No Streamlit here, so the command line opens workspaces with the same code: the map's
state travels as its link (:func:`ui.link.to_query`), the clicks as JSON, the uploaded
files as their bytes, which :func:`open_workspace` reads again through the hardened
reader. A workspace is applied only once everything in it has been read: a broken one
is one error, and the session is left as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from exports.workspace import Workspace, WorkspaceFile, read_workspace
from geo.errors import DataFileError, FileInputError, InputError
from geo.gazetteer import Place
from geo.locate import locate
from layers.spec import LayerSpec
from layers.user_layers import read_user_specs
from ui.link import MapState, from_query, to_query

__all__ = ["OpenedWorkspace", "open_workspace", "session_workspace"]


def session_workspace(
    state: MapState,
    clicks: list[Place],
    *,
    route: bool,
    files: list[WorkspaceFile],
    hidden: list[str],
) -> Workspace:
    """What a session keeps, as a :class:`~exports.workspace.Workspace`.

    Parameters
    ----------
    state : MapState
        The map's settings (its link).
    clicks : list of Place
        The clicks, oldest first.
    route : bool
        Whether the clicks make a route.
    files : list of WorkspaceFile
        The uploaded files, in upload order.
    hidden : list of str
        Titles of the uploaded layers whose checkbox is off.
    """
    settings = {
        "link": urlencode(to_query(state)),
        "clicks": json.dumps([[round(p.lat, 7), round(p.lon, 7)] for p in clicks]),
        "route": "1" if route else "0",
        "hidden": json.dumps(hidden, ensure_ascii=False),
    }
    return Workspace(settings, tuple(files))


@dataclass
class OpenedWorkspace:
    """A workspace read whole: the state, clicks and layers to restore."""

    state: MapState
    clicks: list[Place]
    route: bool
    specs: list[LayerSpec]
    hidden: set[str]
    files: list[WorkspaceFile]
    notes: list[str] = field(default_factory=list)


def open_workspace(data: bytes, name: str, *, taken: list[str]) -> OpenedWorkspace:
    """Read a workspace file and every file in it; nothing is applied here.

    Parameters
    ----------
    data : bytes
        The workspace file.
    name : str
        Its name, for messages.
    taken : list of str
        Layer ids in use (the restored layers get others).

    Raises
    ------
    FileInputError
        If the workspace, or any file in it, cannot be read: one line.
    """
    workspace = read_workspace(data, name)
    settings = workspace.settings
    state, problems = from_query(dict(parse_qsl(settings.get("link", ""))))
    notes = [f"the map's settings: {p}" for p in problems]
    try:
        clicks = [
            locate(f"{float(lat):.7f}, {float(lon):.7f}")
            for lat, lon in json.loads(settings.get("clicks") or "[]")
        ]
        hidden = {str(t) for t in json.loads(settings.get("hidden") or "[]")}
    except (ValueError, TypeError, InputError) as exc:
        raise FileInputError(
            f"'{name}': its clicks or hidden layers cannot be read ({exc})"
        ) from None
    specs: list[LayerSpec] = []
    for file in workspace.files:
        try:
            file_specs, file_notes = read_user_specs(
                file.data, file.name, taken=[*taken, *(s.id for s in specs)]
            )
        except (InputError, DataFileError) as exc:
            raise FileInputError(f"'{name}': the file inside it {exc}") from None
        specs += file_specs
        notes += [f"{file.name}: {note}" for note in file_notes]
    return OpenedWorkspace(
        state,
        clicks,
        settings.get("route") == "1",
        specs,
        hidden,
        list(workspace.files),
        notes,
    )
