"""One browser session of the app, typed: its map state, view, clicks and uploads.

Everything the app remembers between reruns, apart from the widgets' own values, lives
in one :class:`Session` (``st.session_state["atlas"]``, see :func:`current`). Its
methods are plain Python — what a scene change, a click or a pan does to the session —
so they are tested without Streamlit. Widgets keep their values under the keys of
:class:`Keys`, which AppTest and the browser tests drive them by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from exports.workspace import WorkspaceFile
from geo.gazetteer import Place
from geo.locate import locate
from layers.catalogue import CATALOGUE
from layers.scenes import Scene, scene, scenes
from layers.spec import LayerSpec
from ui.link import MapState, from_query, in_catalogue_order, to_query
from webmap.render import REGION_VIEW

__all__ = [
    "BASE_MAP_VIEW",
    "LINKS_KEPT",
    "SESSION_KEY",
    "Keys",
    "PageSync",
    "Session",
    "Upload",
    "current",
    "set_control",
    "stale_values",
    "take_back_stale",
    "write_link",
]

# Where the base map starts before st_folium moves it: (lon, lat, zoom).
BASE_MAP_VIEW = REGION_VIEW
MAX_ROUTE_POINTS = 50  # clicks a route keeps
SESSION_KEY = "atlas"  # the one st.session_state entry that is not a widget's
View = tuple[float, float, int]  # (lon, lat, zoom)
TILE_PX = 256  # a web map's tile: the world is TILE_PX * 2**zoom pixels wide
LINKS_KEPT = 32  # the links a session remembers writing (PageSync)


@dataclass
class PageSync:
    """Which values the app set on its controls a page had not been sent yet.

    A rerun request carries every control's value as its page shows it. When the app
    sets controls itself (a scene ticks its layers; an opened workspace sets them all),
    a request the page sent before it drew that run (the map reporting where it was
    moved, say) still holds the old values, and Streamlit would take them as the user's
    changes: the scene jumped back and its layers with it. The page's URL tells how far
    it has got: the app writes the link once the sidebar's controls are sent (and again
    at the end of the run if the tools changed it), and the request carries the URL the
    page shows. A value set with a link the page has not shown yet, or in a run that was
    cut short before it wrote one, is put back (:func:`take_back_stale`).

    A request sent in the moment between the page taking the new URL and drawing the
    controls sent before it has the new URL and some old values: when two or more controls
    the app set come back changed, or one with a report of the map (a map's report and a
    user's change of a control are requests of their own), they are taken for stale too.
    What this cannot tell: a set that leaves the link as it was (the route toggle, which
    is not in the link), and such a request when only one control the app set differs
    and the map did not report.

    Attributes
    ----------
    links : list of tuple of (int, dict)
        The links last written (at most :data:`LINKS_KEPT`), each with its number, oldest
        first; a number counts the changes of the link.
    pending : dict
        Control keys set in this run, and their values, until the run writes its link.
    carried : dict
        Values set in a run that ended before writing its link (cut short by the next
        request or by ``st.rerun``): no page has been sent them yet.
    unseen : dict
        Control keys set by the app with a link some page may not have shown yet: the
        link's number and the value set.
    map_key : str or None
        The key of the map's reported value (set as the map is drawn).
    map_seen : tuple
        That key and its value when a run last read the controls: a request whose value
        differs brought a report of the map.

    Examples
    --------
    >>> sync = PageSync()
    >>> sync.wrote({"scene": "overview"})
    >>> sync.set("scene_select", "suwalki_gap")
    >>> sync.set("layer_x", False)
    >>> sync.wrote({"scene": "suwalki_gap"})
    >>> sync.stale({"scene": "overview"})  # a page still on the overview
    {'scene_select': 'suwalki_gap', 'layer_x': False}
    >>> # the new URL, but both controls as they were: not drawn yet
    >>> sync.stale({"scene": "suwalki_gap"}, {"scene_select": "overview", "layer_x": True})
    {'scene_select': 'suwalki_gap', 'layer_x': False}
    >>> # drawn, and one of them changed since by the user: nothing to put back
    >>> sync.stale({"scene": "suwalki_gap"}, {"scene_select": "suwalki_gap", "layer_x": True})
    {}
    """

    links: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    pending: dict[str, Any] = field(default_factory=dict)
    carried: dict[str, Any] = field(default_factory=dict)
    unseen: dict[str, tuple[int, Any]] = field(default_factory=dict)
    map_key: str | None = None
    map_seen: tuple[str | None, Any] = (None, None)

    @property
    def number(self) -> int:
        """The number of the last link written (0 before any)."""
        return self.links[-1][0] if self.links else 0

    def set(self, key: str, value: Any) -> None:
        """Note that the app set control ``key`` to ``value`` in this run."""
        self.pending[key] = value

    def wrote(self, query: Mapping[str, str]) -> None:
        """Note a link this run wrote; the values set so far go with it if it changed (a
        page's URL cannot tell whether it has drawn a set that left the link as it was)."""
        query = dict(query)
        sets = {**self.carried, **self.pending}
        self.carried, self.pending = {}, {}
        if self.links and self.links[-1][1] == query:
            return
        self.links = [*self.links, (self.number + 1, query)][-LINKS_KEPT:]
        self.unseen.update({key: (self.number, value) for key, value in sets.items()})

    def run_ended(self) -> None:
        """Note that a run ended, written or cut short: what it set and did not write yet
        is carried to the next run's link."""
        self.carried.update(self.pending)
        self.pending.clear()

    def stale(
        self,
        query: Mapping[str, str],
        values: Mapping[str, Any] | None = None,
        *,
        map_reported: bool = False,
    ) -> dict[str, Any]:
        """The values set with a link that the page whose URL is ``query`` had not shown.

        A URL that is no link written lately (a session's first, or a link typed in) is
        taken as current. Values carried from a run cut short no page has shown; a value
        set again in this run (:attr:`pending`) is newer than any.

        ``values`` are the request's own values of the controls. A page takes a new URL
        as soon as it gets it but draws the controls sent before it a moment later: a
        request sent in between has the new URL and the old values. One user action
        changes one control, so when two or more of the values set with the links the
        page has shown come back different, the page had not drawn them: they are stale
        too. So is one that comes back different with a report of the map
        (``map_reported``): a user's change of a control is a request of its own. Values a
        request brings back as set (or with one change and no map report: the user's) are
        forgotten.
        """
        query = dict(query)
        shown = next((n for n, link in reversed(self.links) if link == query), self.number)
        claimed = {key: seen for key, seen in self.unseen.items() if seen[0] <= shown}
        values = values or {}
        differ = [k for k, (_, v) in claimed.items() if k in values and values[k] != v]
        if len(differ) < (1 if map_reported else 2):  # drawn: forgotten
            self.unseen = {key: seen for key, seen in self.unseen.items() if seen[0] > shown}
        stale = {key: value for key, (_, value) in self.unseen.items()} | self.carried
        return {key: value for key, value in stale.items() if key not in self.pending}


class Keys:
    """Keys of the widgets read in more than one place."""

    SCENE = "scene_select"
    PRESENTATION = "presentation"
    CLICK_MEASURE = "click_measure"
    CLAIM = "claim_pick"
    TOOL = "tool_tab"
    SETTINGS = "settings_open"  # the "Layer settings" expander
    EXPORT = "export_open"  # the "Export the map" expander
    UNITS = "units"
    COORD = "coord"
    BASE = "base_map"
    BEARINGS = "bearings_shown"
    ROUTE = "route_mode"
    AS_OF = "forces_as_of"  # the forces' laydown date

    @staticmethod
    def layer(layer_id: str) -> str:
        """A layer's checkbox (catalogue and uploaded layers alike)."""
        return f"layer_{layer_id}"

    @staticmethod
    def radii(layer_id: str) -> str:
        """A ring layer's radii box."""
        return f"radii_{layer_id}"


@dataclass
class Upload:
    """One uploaded file: its layers (or why it could not be read) and what they draw."""

    name: str
    specs: list[LayerSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    cache: dict[tuple, Any] = field(default_factory=dict)  # drawn layers, distance tables
    places: dict[str, Place] = field(default_factory=dict)
    files: list[WorkspaceFile] = field(default_factory=list)  # as uploaded (a workspace's)

    @property
    def size(self) -> int:
        """Bytes of the files it holds."""
        return sum(len(f.data) for f in self.files)


@dataclass
class Session:
    """What one user's app remembers between reruns.

    Attributes
    ----------
    state : MapState
        Everything a shared link restores (written to the URL after every rerun).
    url_problems : list of str
        What could not be read from the link the session was opened with.
    view : tuple of (float, float, int)
        The view the map is told to show, ``(lon, lat, zoom)``: the link's or the
        scene's. It changes only when a scene or a claim is chosen; a pan goes into
        ``state.view`` (the link), never back into the map, so the two cannot chase
        each other.
    reported_view : tuple or None
        The last view the map reported, rounded (a rerun repeats it).
    clicks : list of Place
        The last two points clicked on the map (the ruler's ends).
    seen_clicks : set of tuple
        Clicks already taken (a rerun returns the last click again).
    uploads : dict of str to Upload
        Uploaded files by the uploader's file id; they live in this session only.
    pushed : set of str
        References of the served layers this session's map was sent with their data
        (:func:`webmap.served.pushed`); later reruns send the reference only.
    drawn_marks : tuple
        The clicks, rings and unit last drawn as the user's marks, and their data.
    route : bool
        Whether clicks make a route (up to :data:`MAX_ROUTE_POINTS`, each kept) rather
        than the ruler's two ends (the last two).
    drawn_map : int or None
        A hash of the map component's arguments in the last run (did the map change?).
    restored : set of str or None
        Set when a workspace was opened in this rerun (the ids of its layers to hide):
        the controls are then set from the state (:func:`ui.sidebar.read_controls`).
    sync : PageSync
        The values the app set on controls, and the links that showed them.
    controls : bool
        Whether the page has its controls. The session's first run sends the map without
        them (the browser draws it before any widget); the map reports once its layers
        are drawn (``webmap/js/atlas-app.js``), and that rerun brings them.
    """

    state: MapState
    url_problems: list[str] = field(default_factory=list)
    view: View = field(init=False)
    reported_view: View | None = None
    clicks: list[Place] = field(default_factory=list)
    seen_clicks: set[tuple[str, float, float]] = field(default_factory=set)
    uploads: dict[str, Upload] = field(default_factory=dict)
    pushed: set[str] = field(default_factory=set)
    drawn_marks: tuple[Any, str] = (None, "")
    drawn_map: int | None = None
    route: bool = False
    controls: bool = False
    restored: set[str] | None = None  # a workspace just opened: its hidden layers' ids
    sync: PageSync = field(default_factory=PageSync)

    def __post_init__(self) -> None:
        self.view = self.state.view or self.scene_view(self.state.scene)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Session:
        """A session opened from the URL's query parameters (bad values become problems)."""
        state, problems = from_query(query)
        return cls(state, problems)

    @staticmethod
    def scene_view(scene_id: str) -> View:
        """A scene's opening view."""
        chosen = scene(scene_id)
        return (*chosen.center, chosen.zoom)

    def update(self, **changes: Any) -> None:
        """Change fields of :attr:`state` (``layers=...``, ``units=...``)."""
        self.state = replace(self.state, **changes)

    def show_scene(self, scene_id: str) -> Scene:
        """Show a scene: its layers, its view (the link's own view is dropped) and, if it
        sets one, its laydown date."""
        chosen = scene(scene_id)
        self.update(scene=chosen.id, layers=in_catalogue_order(chosen.layers), view=None)
        if chosen.as_of is not None:
            self.update(as_of=chosen.as_of)
        self.view = self.scene_view(chosen.id)
        return chosen

    def step_scene(self, step: int) -> Scene:
        """Show the scene ``step`` places after the current one (cycling)."""
        ids = [s.id for s in scenes()]
        return self.show_scene(ids[(ids.index(self.state.scene) + step) % len(ids)])

    def take_click(self, returned: Mapping[str, Any] | None) -> bool:
        """Keep a new click on the map (bare map or a feature); True if there was one.

        ``returned`` is what ``st_folium`` returned. The same click comes back on every
        rerun until the next one: it is taken once.
        """
        for key in ("last_clicked", "last_object_clicked"):
            clicked = (returned or {}).get(key)
            if not clicked or "lat" not in clicked:
                continue
            seen = (key, round(clicked["lng"], 7), round(clicked["lat"], 7))
            if seen in self.seen_clicks:
                continue
            self.seen_clicks.add(seen)
            place = locate(f"{clicked['lat']:.7f}, {clicked['lng']:.7f}")
            self.clicks = [*self.clicks, place][-(MAX_ROUTE_POINTS if self.route else 2) :]
            return True
        return False

    def note_view(self, returned: Mapping[str, Any] | None) -> None:
        """Keep where the user panned or zoomed, for the link.

        The map's own start-up reports (the base map's default view, then the view it
        was told to show, to within a screen pixel: the map may report it from its pixel
        grid after its frame is sized) are not the user's, and a report repeated by a
        rerun is not new.
        """
        center, zoom = (returned or {}).get("center"), (returned or {}).get("zoom")
        if not center or zoom is None:
            return
        reported = (round(center["lng"], 5), round(center["lat"], 5), int(zoom))
        if reported != self.reported_view and not any(
            _same_view(reported, start_up) for start_up in (self.view, BASE_MAP_VIEW)
        ):
            self.update(view=reported)
        self.reported_view = reported

    def uploaded_specs(self) -> list[LayerSpec]:
        """Every uploaded layer, shown or not, in upload order."""
        return [spec for upload in self.uploads.values() for spec in upload.specs]

    def taken_ids(self) -> list[str]:
        """Layer ids in use: the catalogue's and the uploaded layers'."""
        return [*CATALOGUE, *(spec.id for spec in self.uploaded_specs())]


def _same_view(a: View, b: View) -> bool:
    """Two views at one zoom whose centres are less than a screen pixel apart there."""
    pixel_deg = 360.0 / (TILE_PX * 2 ** int(b[2]))  # a pixel's width in longitude
    return a[2] == b[2] and abs(a[0] - b[0]) < pixel_deg and abs(a[1] - b[1]) < pixel_deg


def current() -> Session:
    """This browser session's :class:`Session`, first read from the URL."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = Session.from_query(st.query_params.to_dict())
    return st.session_state[SESSION_KEY]


def set_control(key: str, value: Any) -> None:
    """Set a control's value from the app (not the user), before it is drawn in this run."""
    st.session_state[key] = value
    current().sync.set(key, value)


def stale_values() -> dict[str, Any]:
    """The values the app set that this rerun's page had not shown yet (its request, and
    so ``st.query_params`` until the link is written, is the page's; see :class:`PageSync`)."""
    sync = current().sync
    values = {key: st.session_state[key] for key in sync.unseen if key in st.session_state}
    return sync.stale(st.query_params.to_dict(), values, map_reported=map_reported())


def map_reported() -> bool:
    """Whether this rerun's request brought a new report of the map (its view, a click)
    since the last run that read its controls."""
    sync = current().sync
    key, value = sync.map_seen
    return key is not None and key == sync.map_key and st.session_state.get(key) != value


def take_back_stale() -> list[str]:
    """Put back the values the app set that this rerun's page had not shown yet (its
    request carried the older ones); returns their keys."""
    stale = stale_values()
    for key, value in stale.items():
        st.session_state[key] = value
    sync = current().sync
    if sync.map_key is not None:
        sync.map_seen = (sync.map_key, st.session_state.get(sync.map_key))
    return list(stale)


def write_link() -> None:
    """Write the session's map state into the URL, so a copied link reopens this map (sent
    to the page only if it changed), and note it for :class:`PageSync`."""
    query = to_query(current().state)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    current().sync.wrote(st.query_params.to_dict())
