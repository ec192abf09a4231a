"""A workspace file: save a session, open it again, and the session is the same.

The session is driven as the app drives it (``ui.uploads.read_uploads`` with files as
the uploader gives them, ``Session`` methods for clicks and scenes); the workspace is
read back with GDAL and sqlite3 as QGIS would, and through ``cli.py export
--workspace``. Broken workspaces are one error and leave the session as it was.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from pyproj import Geod

from cli import main as cli_main
from exports.workspace import FILES_TABLE, SETTINGS_TABLE, workspace_bytes
from geo.errors import FileInputError
from layers.catalogue import build
from layers.user_layers import user_places
from layers.user_marks import USER_MARKS
from ui.link import UserFan, UserRing
from ui.marks import marks_arguments
from ui.session import Session
from ui.uploads import MAX_SESSION_FILES, read_uploads
from ui.workspace import open_workspace, session_workspace

HOSTILE = Path(__file__).parent / "data" / "hostile"
WGS84 = Geod(ellps="WGS84")


@dataclass
class Uploaded:
    """What Streamlit's uploader gives for a file."""

    file_id: str
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def a_session() -> tuple[Session, list[Uploaded]]:
    """A session with two uploads, a scene, radii, units, a ring, a fan and two clicks."""
    session = Session.from_query({})
    files = [
        Uploaded("f1", "patrols.kml", (HOSTILE / "tracks.kml").read_bytes()),
        Uploaded("f2", "towns.zip", (HOSTILE / "cp1251_cpg.zip").read_bytes()),
    ]
    read_uploads(session, files)
    session.show_scene("suwalki_gap")
    session.update(
        units="nmi",
        radii={"vilnius_rings": (25.0, 75.0)},
        rings=(UserRing("Hrodna", (30.0,)),),
        fans=(UserFan("Minsk", 270.0, 60.0, 0.0, 120.0),),
        view=(24.1, 54.2, 8),
        as_of="2017-03-01",
    )
    for lat, lng in ((54.6872, 25.2797), (53.9045, 27.5615)):
        session.take_click({"last_clicked": {"lat": lat, "lng": lng}})
    return session, files


def saved(session: Session, *, hidden: list[str] = ()) -> bytes:
    files = [f for u in session.uploads.values() for f in u.files]
    workspace = session_workspace(
        session.state, session.clicks, route=session.route, files=files, hidden=list(hidden)
    )
    specs = session.uploaded_specs()
    return workspace_bytes(workspace, layer_ids=specs, unit=session.state.units)


def test_a_saved_workspace_opens_as_the_same_session():
    before, _ = a_session()
    data = saved(before, hidden=["towns (your layer)"])
    after = Session.from_query({})
    read_uploads(after, [Uploaded("w", "atlas-workspace.gpkg", data)])
    assert after.state == before.state
    assert after.view == (24.1, 54.2, 8)
    assert [(p.lat, p.lon) for p in after.clicks] == [(p.lat, p.lon) for p in before.clicks]
    upload = after.uploads["w"]
    assert upload.error is None and upload.notes[0].startswith(
        "workspace opened: 2 files, 2 layers, 2 clicks"
    )
    old, new = before.uploaded_specs(), after.uploaded_specs()
    assert [s.title for s in new] == [s.title for s in old]
    for a, b in zip(old, new, strict=True):
        was, now = build(a).features, build(b).features
        assert now.geometry.geom_equals_exact(was.geometry, 0).all()
        assert now.drop(columns=["geometry", "layer"], errors="ignore").equals(
            was.drop(columns=["geometry", "layer"], errors="ignore")
        )
    towns = next(s.id for s in new if s.title == "towns (your layer)")
    assert after.restored == {towns}  # its checkbox is unticked when the controls are set


def test_qgis_sees_the_users_layers_and_two_attribute_tables():
    session, _ = a_session()
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "w.gpkg"
    path.write_bytes(saved(session))
    layers = {str(name): gtype for name, gtype in pyogrio.list_layers(path)}
    assert layers[SETTINGS_TABLE] is None and layers[FILES_TABLE] is None
    towns_id = next(s.id for s in session.uploaded_specs() if s.title == "towns (your layer)")
    towns = gpd.read_file(path, layer=towns_id)
    assert towns["name"].tolist() == ["Vilnius", "Мінск", "Гродна"]
    with sqlite3.connect(path) as con:
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
        stored = con.execute(f"SELECT name, data FROM {FILES_TABLE}").fetchall()
    assert kinds[SETTINGS_TABLE] == kinds[FILES_TABLE] == "attributes"
    assert stored == [(f.name, f.data) for u in session.uploads.values() for f in u.files]


def test_the_command_line_renders_a_saved_workspace(tmp_path, capsys):
    session, _ = a_session()
    workspace = tmp_path / "brief.gpkg"
    workspace.write_bytes(saved(session))
    out = tmp_path / "brief.geojson"
    assert cli_main(["export", "--out", str(out), "--workspace", str(workspace)]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    names = {f["properties"].get("name") for f in features}
    assert {"Patrol", "Fix", "Vilnius", "Мінск", "Гродна"} <= names  # the user's layers
    marks = [f for f in features if f["properties"].get("layer") == USER_MARKS.id]
    rings = [f for f in marks if f["properties"].get("role") == "ring"]
    assert rings, "the workspace's ring at Hrodna"
    ruler = [f for f in marks if f["properties"].get("role") == "measure_line"]
    assert len(ruler) == 1  # the two clicks' ruler: its length is the geodesic's
    expected = WGS84.inv(25.2797, 54.6872, 27.5615, 53.9045)[2] / 1000
    coords = ruler[0]["geometry"]["coordinates"]
    assert coords[0] == pytest.approx([25.2797, 54.6872]) and coords[-1] == pytest.approx(
        [27.5615, 53.9045]
    )
    assert expected == pytest.approx(WGS84.inv(*coords[0], *coords[-1])[2] / 1000)


@pytest.mark.parametrize(
    ("mangle", "words"),
    [
        (lambda d: d[: len(d) // 2], "not a readable geopackage"),
        (lambda d: d.replace(b"Baltic Flank Atlas workspace", b"Baltic Flank Atlas worksp4ce"),
         "not a baltic flank atlas workspace"),
    ],
)  # fmt: skip
def test_a_broken_workspace_is_one_line_and_the_session_is_untouched(mangle, words):
    session, files = a_session()
    data = mangle(saved(session))
    state, clicks = session.state, list(session.clicks)
    read_uploads(session, [*files, Uploaded("w", "broken.gpkg", data)])
    error = session.uploads["w"].error
    assert error is not None and words in error.lower() and "\n" not in error
    assert session.state == state and session.clicks == clicks
    assert len(session.uploaded_specs()) == 2


def test_a_workspace_holding_a_hostile_file_is_refused_whole():
    session, _ = a_session()
    files = [f for u in session.uploads.values() for f in u.files]
    from exports.workspace import WorkspaceFile

    bad = session_workspace(
        session.state,
        session.clicks,
        route=False,
        files=[*files, WorkspaceFile("xxe.kml", (HOSTILE / "xxe.kml").read_bytes())],
        hidden=[],
    )
    with pytest.raises(FileInputError, match=r"the file inside it 'xxe\.kml' declares a DOCTYPE"):
        open_workspace(workspace_bytes(bad), "w.gpkg", taken=[])
    fresh = Session.from_query({})
    read_uploads(fresh, [Uploaded("w", "w.gpkg", workspace_bytes(bad))])
    assert "doctype" in fresh.uploads["w"].error.lower()
    assert fresh.state == Session.from_query({}).state and fresh.uploaded_specs() == []


def test_a_session_holds_at_most_its_caps_of_files_and_says_so():
    session = Session.from_query({})
    data = (HOSTILE / "mgrs.csv").read_bytes()
    files = [Uploaded(f"f{i}", f"p{i}.csv", data) for i in range(MAX_SESSION_FILES + 1)]
    read_uploads(session, files)
    errors = [u.error for u in session.uploads.values() if u.error]
    assert len(errors) == 1 and f"at most {MAX_SESSION_FILES} files" in errors[0]
    assert len(session.uploaded_specs()) == MAX_SESSION_FILES


def test_marks_arguments_place_what_the_state_names():
    state = replace(Session.from_query({}).state, rings=(UserRing("Nowhere-at-all", (5.0,)),))
    arguments, problems = marks_arguments(state, [], route=False, find=_no_place)
    assert arguments["rings"] == () and problems[0].startswith("ring at 'Nowhere-at-all'")


def _no_place(text: str):
    from geo.locate import locate

    return user_places([]).get(text) or locate(text)


def test_a_session_with_nothing_of_its_own_saves_and_opens_as_its_settings():
    """No uploads, no marks: the file holds the two tables alone, and opens."""
    session = Session.from_query({})
    session.update(units="mi", scene="smolensk_gates")
    data = workspace_bytes(session_workspace(session.state, [], route=False, files=[], hidden=[]))
    opened = open_workspace(data, "w.gpkg", taken=[])
    assert opened.state == session.state and opened.specs == [] and opened.clicks == []
