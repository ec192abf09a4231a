"""Your layers: files uploaded in the sidebar, read once, kept in the session only.

Each file becomes one or more layers (:func:`layers.user_layers.read_user_specs`) with
a checkbox; a file that cannot be read is refused beside the uploader and nothing else
changes. Named points of shown layers become places for the measuring tools.
"""

from __future__ import annotations

import streamlit as st

from exports.workspace import WorkspaceFile, is_workspace
from geo.errors import DataFileError, FileInputError, InputError
from geo.forces import laydown_date
from geo.gazetteer import Place
from geo.locate import locate
from layers.catalogue import build
from layers.escape import escape_markdown
from layers.spec import LayerSpec
from layers.user_layers import UPLOAD_EXTENSIONS, read_user_specs, user_places
from ui.session import Keys, Session, Upload, current
from ui.workspace import open_workspace
from webmap.render import layer_data

__all__ = [
    "MAX_SESSION_BYTES",
    "MAX_SESSION_FILES",
    "UPLOADS_KEY",
    "find_place",
    "read_uploads",
    "shown_user_layers",
    "upload_of",
    "uploads_panel",
    "user_layer_data",
    "user_layer_params",
]


UPLOADS_KEY = "uploads_widget"


MAX_SESSION_FILES = 20  # files one session holds (a workspace's count one by one)
MAX_SESSION_BYTES = 100 * 2**20  # and their bytes together


def read_uploads(session: Session, files: list) -> None:
    """Read each newly uploaded file once; forget the files removed from the uploader.

    A GeoPackage that is a workspace (:mod:`exports.workspace`) restores the session it
    was saved from: its layers, marks and map settings. A file over the session's caps
    (:data:`MAX_SESSION_FILES`, :data:`MAX_SESSION_BYTES`) is refused with the reason.

    Parameters
    ----------
    session : Session
        Where the files' layers are kept.
    files : list of UploadedFile
        What the uploader holds now (``file_id``, ``name``, ``getvalue()``).
    """
    present = {f.file_id: f for f in files}
    for file_id in [i for i in session.uploads if i not in present]:
        del session.uploads[file_id]
    for file_id, uploaded in present.items():
        if file_id in session.uploads:
            continue
        data = uploaded.getvalue()
        try:
            _check_caps(session, uploaded.name, data)
            if uploaded.name.lower().endswith(".gpkg") and is_workspace(data):
                session.uploads[file_id] = _restore(session, uploaded.name, data)
                continue
            specs, notes = read_user_specs(data, uploaded.name, taken=session.taken_ids())
        except (InputError, DataFileError) as exc:  # shown by the uploader; nothing else changes
            session.uploads[file_id] = Upload(uploaded.name, error=str(exc))
        else:
            session.uploads[file_id] = Upload(
                uploaded.name,
                specs,
                notes,
                places=user_places(specs),
                files=[WorkspaceFile(uploaded.name, data)],
            )


def _check_caps(session: Session, name: str, data: bytes) -> None:
    held = [u for u in session.uploads.values() if not u.error]
    count = sum(max(len(u.files), 1) for u in held)
    size = sum(u.size for u in held)
    if count + 1 > MAX_SESSION_FILES or size + len(data) > MAX_SESSION_BYTES:
        raise FileInputError(
            f"'{name}' was not read: this session holds {count} files of "
            f"{size / 2**20:.1f} MB, and one session holds at most {MAX_SESSION_FILES} files "
            f"and {MAX_SESSION_BYTES // 2**20} MB: remove a file first"
        )


def _restore(session: Session, name: str, data: bytes) -> Upload:
    """Open a workspace into the session: read whole first, then applied."""
    opened = open_workspace(data, name, taken=session.taken_ids())
    session.state = opened.state
    session.view = opened.state.view or session.scene_view(opened.state.scene)
    session.clicks = opened.clicks
    session.route = opened.route
    session.restored = {spec.id for spec in opened.specs if spec.title in opened.hidden}
    counts = (
        (len(opened.files), "file"),
        (len(opened.specs), "layer"),
        (len(opened.clicks), "click"),
    )
    summary = (
        "workspace opened: "
        + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
        + " and the map's settings"
    )
    return Upload(
        name,
        opened.specs,
        [summary, *opened.notes],
        places=user_places(opened.specs),
        files=opened.files,
    )


def uploads_panel() -> None:
    """Upload files as layers; each file's layers get a checkbox, its problems a message."""
    session = current()
    files = st.sidebar.file_uploader(
        "Add a GeoJSON, KML/KMZ, GeoPackage, CSV, GPX, zipped shapefile or FlatGeobuf file",
        type=list(UPLOAD_EXTENSIONS),
        accept_multiple_files=True,
        key=UPLOADS_KEY,
        help="CSV: latitude/longitude or MGRS columns. A shapefile: its .shp, .shx, .dbf, "
        ".prj and .cpg in one .zip. Up to 20 MB, 50,000 features and 1,000,000 vertices per "
        "file. Files stay in this browser session only.",
    )
    read_uploads(session, files or [])  # read already (ui.sidebar.read_controls): a no-op
    for upload in session.uploads.values():
        if upload.error:
            st.sidebar.error(escape_markdown(upload.error))
        for spec in upload.specs:
            st.sidebar.checkbox(
                escape_markdown(spec.title),
                key=Keys.layer(spec.id),
                value=st.session_state.get(Keys.layer(spec.id), True),  # see ui.sidebar
                help=escape_markdown(spec.description),
            )
        for note in upload.notes:
            st.sidebar.caption(escape_markdown(f"{upload.name}: {note}"))


def shown_user_layers() -> list[LayerSpec]:
    """The uploaded layers whose checkbox is on."""
    return [
        spec
        for spec in current().uploaded_specs()
        if st.session_state.get(Keys.layer(spec.id), True)
    ]


def upload_of(spec: LayerSpec) -> Upload:
    """The upload a layer came from."""
    return next(u for u in current().uploads.values() if spec in u.specs)


def user_layer_data(spec: LayerSpec, unit: str) -> str:
    """A user layer as the map draws it, kept with its upload (per session, not shared)."""
    cache = upload_of(spec).cache
    params = user_layer_params(spec)
    key = (spec.id, unit, *params.values())
    if key not in cache:
        cache[key] = layer_data(spec, build(spec, **params), unit=unit)
    return cache[key]


def user_layer_params(spec: LayerSpec) -> dict[str, str]:
    """A user layer's build parameters from the session: the laydown date of its units."""
    day = laydown_date(current().state.as_of).isoformat()
    return {p.name: day for p in spec.params if p.kind == "date"}


def find_place(text: str) -> Place:
    """A point of a shown user layer by its name, else :func:`geo.locate.locate`."""
    shown = {spec.id for spec in shown_user_layers()}
    for upload in current().uploads.values():
        place = upload.places.get(text.strip().lower())
        if place is not None and place.ref in shown:
            return place
    return locate(text)
