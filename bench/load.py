"""A room full of users on one server (issue #20): rooms of 1, 5, 10 and 20 visitors, a
rush of 20 with no pauses, then 200 visits one after another.

The server is started as ``make run`` starts it (``cli.py serve``, :mod:`bench.serve`).
Each visitor is a client of Streamlit's own websocket protocol (its protobuf ``BackMsg``
and ``ForwardMsg`` classes, over the ``websockets`` package Streamlit's server already
uses), doing what a browser does: it asks for a run, reads the elements sent back, sets
widgets by their keys and reruns, uploads a file through the upload endpoint, and
fetches once the files the map loads from ``/app/static``. A client is light (parsing a
rerun's 20-120 KB of protobuf), so 20 of them in this one thread leave the server, not
the driver, to be measured; the table prints the driver's CPU time beside the server's.
What it does not do is the browser's part (drawing the map, loading Streamlit's and the
component's own bundles): :mod:`bench.browser` times a click to the map drawn.

One visit (:func:`visit`), each step checked against what the page must show:

1. open the app: the first run (the map alone) and the rerun the map's first report
   brings (the controls);
2. toggle two layers (the Polonez ranges on, the rivers off);
3. open "Layer settings" and change the (shown) Astravets rings' radii;
4. measure between two typed places, then by two clicks on the map (the distance shown
   must be :class:`pyproj.Geod`'s to the metre);
5. upload a small GeoJSON of its own (its layer must appear under "Your layers").

In a room, visitors act at a person's brisk pace (:data:`THINK_S` between actions) and
open the link within :data:`ARRIVAL_S` of each other. The rush is the largest room with
no pauses at all: not a room of people but the server's throughput, from which the table
derives how many such visitors one server could hold at full load.

Each rerun is timed from the request to the run's end (``script_finished``) as the
client sees it: the server's work plus its queue, which is what grows with the room.
Resident memory is the server's process tree (:mod:`psutil`), read while a room's
sessions are all still connected.

Run with ``python -m bench.load`` (its rows are in ``make bench``), or
``python -m bench.load --url URL`` for the rooms on a server already running (several
behind a proxy, say), without its memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.cookiejar
import json
import math
import random
import re
import statistics
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil
import websockets
from pyproj import Geod
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.common import ROW_KEYS, Row, print_table, row
from bench.serve import streamlit_server

ROOM_SIZES = (1, 5, 10, 20)
SEQUENTIAL = 200
LEAK_AFTER = 20  # the level the 200th session is compared with
STEP_TIMEOUT_S = 300  # generous: 20 sessions queue behind each other on 2 cores
# A brisk user: 1-3 s between actions (reading one line of the page, then clicking), and
# a room whose members open the shared link within 10 s of each other.
THINK_S = (1.0, 3.0)
ARRIVAL_S = 10.0
SEED = 20
# One visitor's median (L0, the floor of L2) is taken over this many visits alone, one
# after another: a single visit's 13 reruns swing with whatever else the machine does.
FLOOR_VISITS = 3
# A visit's reruns: open 2, toggles 2, settings and radii 2, typed ends 2, measuring mode
# (and the new map's report) 2, clicks 2, upload 1.
VISIT_RERUNS = 13
BUDGET_P95_RATIO = 4.0
BUDGET_MB_PER_SESSION = 60.0
BUDGET_LEAK_RATIO = 1.10
LOGS = Path(__file__).resolve().parents[1] / "build" / "bench-load"
_FINISHED = ForwardMsg.ScriptFinishedStatus
_DONE = {_FINISHED.FINISHED_SUCCESSFULLY}
_RERUNNING = {_FINISHED.FINISHED_EARLY_FOR_RERUN}  # st.rerun(): the next run follows
_GEOD = Geod(ellps="WGS84")
_STATIC_REF = re.compile(r"/app/static/[^\"'\s\\)]+")
# Two clicks near Astravets and Vilnius, and the distance the page must print between them.
CLICKS = ((54.7612, 26.0946), (54.6872, 25.2797))


class VisitError(RuntimeError):
    """A step of a visit did not show what it must (the error names the step)."""


@dataclass
class Page:
    """What one run sent: its elements' kinds, widget ids by key, labels and texts."""

    ids: dict[str, str] = field(default_factory=dict)  # widget key -> widget id
    defaults: dict[str, object] = field(default_factory=dict)  # widget key -> its value
    labels: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    map_id: str = ""
    map_args: str = ""  # the map component's arguments (JSON)
    static: set[str] = field(default_factory=set)  # /app/static files the map loads
    problems: list[str] = field(default_factory=list)  # exceptions shown on the page

    def add(self, element) -> None:
        """Note one ``new_element`` delta's element."""
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "exception":
            self.problems.append(f"{body.type}: {body.message}")
        elif kind in ("markdown", "alert"):
            self.texts.append(body.body)
        elif kind == "component_instance":
            self.map_id, self.map_args = body.id, body.json_args
            self.static.update(_STATIC_REF.findall(body.json_args))
        widget_id = getattr(body, "id", "") if kind != "component_instance" else ""
        if widget_id.startswith("$$ID-"):
            key = widget_id.split("-", 2)[2]
            self.ids[key] = widget_id
            self.labels.append(getattr(body, "label", ""))
            if kind == "checkbox":
                self.defaults[key] = body.default

    def add_block(self, block) -> None:
        """Note an expander's or the tabs' widget id (they are blocks, not elements)."""
        kind = block.WhichOneof("type")
        widget_id = getattr(getattr(block, kind), "id", "") if kind else ""
        if widget_id.startswith("$$ID-"):
            self.ids[widget_id.split("-", 2)[2]] = widget_id


@dataclass
class Pace:
    """A person's pace: a pause of :data:`THINK_S` (uniform) before each action."""

    rng: random.Random

    def think(self) -> float:
        return self.rng.uniform(*THINK_S)

    def arrival(self) -> float:
        return self.rng.uniform(0, ARRIVAL_S)


class Client:
    """One user: a websocket session on the server, with the widget values a page holds."""

    def __init__(self, url: str, pace: Pace | None = None) -> None:
        self.url = url
        self.pace = pace
        self.states: dict[str, WidgetState] = {}  # what the page sends with every rerun
        self.page = Page()
        self.session_id = ""
        self.reruns: list[float] = []
        self.started: list[float] = []  # when each rerun was asked for (perf_counter)
        self.bytes_received = 0
        self.fetched: set[str] = set()
        self._xsrf = ""
        self._cookies = ""  # every cookie the server (or a proxy) set, as a browser sends them
        self._ws = None

    async def connect(self) -> None:
        """Take the cookies as a browser does (the health check sets the XSRF cookie), then
        open the session's websocket with them."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def health() -> None:
            with opener.open(f"{self.url}/_stcore/health", timeout=STEP_TIMEOUT_S) as resp:
                resp.read()

        await asyncio.to_thread(health)
        cookies = {c.name: c.value for c in jar}
        if "_streamlit_xsrf" not in cookies:
            raise VisitError("open: the server set no XSRF cookie")
        self._xsrf = cookies["_streamlit_xsrf"]
        self._cookies = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self._ws = await websockets.connect(
            self.url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", self._xsrf],
            additional_headers={"Cookie": self._cookies},
            origin=self.url,
            max_size=None,
            open_timeout=STEP_TIMEOUT_S,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def _receive(self) -> ForwardMsg:
        data = await asyncio.wait_for(self._ws.recv(), STEP_TIMEOUT_S)
        self.bytes_received += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        return msg

    async def rerun(self, *, think: bool = True, **values: object) -> Page:
        """Set widgets by key (``map`` sets the map's report), rerun, and read the page.

        A bool sets a checkbox, toggle or expander; a str a text box or the tabs; a dict
        the map component's report (JSON); a :class:`WidgetState` is sent as it is.
        Button presses (triggers) go with this rerun only. A paced visitor pauses first,
        unless the rerun is the page's own (``think=False``: the map's report, an upload).
        """
        if think and self.pace is not None and self.reruns:
            await asyncio.sleep(self.pace.think())
        triggers = []
        for key, value in values.items():
            widget_id = self.page.map_id if key == "map" else self.page.ids.get(key)
            if not widget_id:
                raise VisitError(f"no widget {key!r} on the page")
            state = value if isinstance(value, WidgetState) else WidgetState(id=widget_id)
            if isinstance(value, bool):
                state.bool_value = value
            elif isinstance(value, str):
                state.string_value = value
            elif isinstance(value, dict):
                state.json_value = json.dumps(value)
            if state.WhichOneof("value") == "trigger_value":
                triggers.append(state)
            else:
                self.states[widget_id] = state
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.widget_states.widgets.extend([*self.states.values(), *triggers])
        start = time.perf_counter()
        self.started.append(start)
        await self._ws.send(msg.SerializeToString())
        page = Page()
        while True:
            fwd = await self._receive()
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
                page = Page()  # a run after st.rerun() starts the page again
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                page.add(fwd.delta.new_element)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
                page.add_block(fwd.delta.add_block)
            elif kind == "script_finished" and fwd.script_finished not in _RERUNNING:
                self.reruns.append(time.perf_counter() - start)
                if fwd.script_finished not in _DONE:
                    raise VisitError(f"run ended with status {fwd.script_finished}")
                break
        if page.problems:
            raise VisitError(f"the page shows an exception: {page.problems[0]}")
        self.page = page
        await self._fetch_static(page.static - self.fetched)
        return page

    async def _fetch_static(self, paths: set[str]) -> None:
        """Fetch the files the map loads (served layers, vendored styles), once a page as
        a browser does; untimed, but the server's work."""
        for path in sorted(paths):
            data = await asyncio.to_thread(self._get, path)
            self.bytes_received += len(data)
            self.fetched.add(path)

    def _get(self, path: str) -> bytes:
        req = urllib.request.Request(self.url + path, headers={"Cookie": self._cookies})
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT_S) as resp:
            return resp.read()

    async def upload(self, key: str, name: str, data: bytes) -> Page:
        """Upload a file into the uploader ``key`` as the browser does, and rerun."""
        if self.pace is not None:
            await asyncio.sleep(self.pace.think())  # choosing the file
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.append(name)
        await self._ws.send(request.SerializeToString())
        while (reply := await self._receive()).WhichOneof("type") != "file_urls_response":
            pass
        if reply.file_urls_response.error_msg or not reply.file_urls_response.file_urls:
            raise VisitError(f"upload refused: {reply.file_urls_response.error_msg}")
        urls = reply.file_urls_response.file_urls[0]
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        if key not in self.page.ids:
            raise VisitError(f"upload: no widget {key!r} on the page")
        state = WidgetState(id=self.page.ids[key])
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        return await self.rerun(think=False, **{key: state})

    def _put(self, upload_url: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            f"\r\nContent-Type: application/geo+json\r\n\r\n".encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        target = upload_url if upload_url.startswith("http") else self.url + upload_url
        req = urllib.request.Request(
            target,
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": self._xsrf,
                "Cookie": self._cookies,
            },
        )
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT_S) as resp:
            if resp.status >= 300:
                raise VisitError(f"upload answered {resp.status}")


def small_layer(n: int) -> tuple[str, bytes]:
    """A user's own file: three points, different for every visit (no cache can share it)."""
    points = [(25.28 + 0.01 * i, 54.69 + 0.001 * (n % 997)) for i in range(3)]
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"Point {i} of visit {n}"},
            "geometry": {"type": "Point", "coordinates": list(p)},
        }
        for i, p in enumerate(points)
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return f"room-{n}.geojson", data


def _shows(page: Page, pattern: str, step: str) -> None:
    if not any(re.search(pattern, text) for text in page.texts):
        raise VisitError(f"{step}: the page does not show {pattern!r}")


async def open_app(client: Client) -> None:
    """Step 1: the map alone, then the controls once the map reports its view."""
    await client.connect()
    first = await client.rerun()
    if not first.map_id:
        raise VisitError("open: no map in the first run")
    view = {"center": {"lat": 54.5, "lng": 27.0}, "zoom": 6}
    controls = await client.rerun(think=False, map=view)  # the map's report, once drawn
    if "layer_astravets_rings" not in controls.ids:
        raise VisitError("open: no layer controls after the map's report")


async def visit(client: Client, n: int, *, full: bool = True) -> None:
    """One user's visit (steps 1-5 above); ``full=False`` leaves out steps 2-3 and the clicks."""
    await open_app(client)
    if full:
        for key in ("layer_polonez_range", "layer_rivers"):  # on and off in the overview
            if key not in client.page.defaults:
                raise VisitError(f"toggle: no checkbox {key!r}")
            await client.rerun(**{key: not client.page.defaults[key]})
        await client.rerun(settings_open=True)
        await client.rerun(radii_astravets_rings=f"{10 + n % 7}, 50")
    await client.rerun(measure_a="Vilnius")
    measured = await client.rerun(measure_b="Minsk")
    _shows(measured, r"Vilnius.*→.*Minsk.*\d km", "measure")
    if full:
        await client.rerun(click_measure=True, measure_a="", measure_b="")  # typed ends win
        # Measuring mode gives the map a new key: the new map reports its view once drawn.
        await client.rerun(think=False, map={"center": {"lat": 54.6, "lng": 25.7}, "zoom": 9})
        for lat, lng in CLICKS:
            await client.rerun(map={"last_clicked": {"lat": lat, "lng": lng}})
        (lat1, lon1), (lat2, lon2) = CLICKS
        metres = _GEOD.inv(lon1, lat1, lon2, lat2)[2]
        _shows(client.page, re.escape(f"{metres / 1000:,.3f} km"), "click measure")
    name, data = small_layer(n)
    uploaded = await client.upload("uploads_widget", name, data)
    stem = name.removesuffix(".geojson")  # labels are escaped Markdown: room\-5
    if not any(stem in label.replace("\\", "") for label in uploaded.labels):
        raise VisitError(f"upload: no layer of {name} under 'Your layers'")


def rss_mb(pid: int | None) -> float:
    """Resident memory of a process and its children, in MB (NaN: a server elsewhere)."""
    if pid is None:
        return math.nan
    proc = psutil.Process(pid)
    procs = [proc, *proc.children(recursive=True)]
    return sum(p.memory_info().rss for p in procs) / 2**20


def cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) of a process and its children (NaN: a server elsewhere)."""
    if pid is None:
        return math.nan
    proc = psutil.Process(pid)
    times = [p.cpu_times() for p in (proc, *proc.children(recursive=True))]
    return sum(t.user + t.system for t in times)


@dataclass
class Room:
    """One room's figures: its sessions, errors, rerun times, the server's memory and CPU."""

    sessions: int
    paced: bool
    errors: list[str]
    reruns: list[float]  # every rerun's seconds, failed visits' included
    gaps: list[float]  # each visitor's mean seconds from one rerun's request to the next
    rss_before: float
    rss_open: float  # all the room's sessions still connected, their visits done
    rss_peak: float  # the most sampled while the visits ran
    seconds: float
    server_cpu_s: float

    @property
    def mb_per_session(self) -> float:
        """Resident memory the room's sessions added at most, per session (MB)."""
        return (max(self.rss_peak, self.rss_open) - self.rss_before) / self.sessions

    def cells(self) -> list[str]:
        """Its line in the printed table."""
        timed = bool(self.reruns)
        memory = not math.isnan(self.rss_open)
        return [
            f"{self.sessions}" + ("" if self.paced else ", all at once, no pauses"),
            str(len(self.errors)),
            str(len(self.reruns)),
            f"{statistics.median(self.reruns) * 1000:.0f} ms" if timed else "-",
            f"{pct(self.reruns, 95) * 1000:.0f} ms" if timed else "-",
            f"{len(self.reruns) / self.seconds:.1f}",
            f"{self.server_cpu_s / self.seconds:.2f}" if memory else "-",
            f"{self.rss_open:.0f} / {self.rss_peak:.0f} MB" if memory else "-",
            f"{self.mb_per_session:.1f}" if memory else "-",
            f"{self.seconds:.0f} s",
        ]


def pct(values: list[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` by nearest rank (a rerun that happened, not an
    interpolation); NaN if there are none."""
    return float(np.percentile(values, q, method="inverted_cdf")) if values else math.nan


def median(values: list[float]) -> float:
    """The median, NaN if there are no values."""
    return statistics.median(values) if values else math.nan


async def _one(url: str, n: int, full: bool, pace: Pace | None = None) -> tuple[Client, str]:
    """One visit: its client (still connected if it went well) and what went wrong ("")."""
    client = Client(url, pace)
    try:
        if pace is not None:
            await asyncio.sleep(pace.arrival())
        await visit(client, n, full=full)
        return client, ""
    except Exception as exc:  # anything a visit meets is one counted error, not a crash
        with contextlib.suppress(Exception):
            await client.close()
        return client, f"visit {n}: {type(exc).__name__}: {exc}"


async def room(url: str, pid: int | None, sessions: int, first: int, *, paced: bool = True) -> Room:
    """``sessions`` visits at once; memory sampled while they run and read once all are
    done, still connected."""
    rng = random.Random(SEED + sessions)
    before, peak = rss_mb(pid), [math.nan]
    cpu_before = cpu_s(pid)

    async def sample() -> None:
        while True:
            peak[0] = max(peak[0], rss_mb(pid)) if not math.isnan(peak[0]) else rss_mb(pid)
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    start = time.perf_counter()
    done = await asyncio.gather(
        *(
            _one(url, first + i, True, Pace(random.Random(rng.random())) if paced else None)
            for i in range(sessions)
        )
    )
    seconds = time.perf_counter() - start
    sampler.cancel()
    open_mb = rss_mb(pid)
    cpu = cpu_s(pid) - cpu_before
    for client, _ in done:
        await client.close()
    clients = [client for client, _ in done]
    return Room(
        sessions,
        paced,
        [error for _, error in done if error],
        [t for c in clients for t in c.reruns],
        [
            (c.started[-1] - c.started[0]) / (len(c.started) - 1)
            for c in clients
            if len(c.started) > 1
        ],
        before,
        open_mb,
        peak[0],
        seconds,
        cpu,
    )


async def one_after_another(
    url: str, pid: int | None, first: int
) -> tuple[float, float, list[str]]:
    """:data:`SEQUENTIAL` visits one at a time (open, measure, upload, close): resident
    memory after the first :data:`LEAK_AFTER` and after the last, and the errors."""
    errors, after_first = [], 0.0
    for i in range(SEQUENTIAL):
        client, error = await _one(url, first + i, False)
        if error:
            errors.append(error)
        await client.close()
        if i + 1 == LEAK_AFTER:
            after_first = rss_mb(pid)
    return after_first, rss_mb(pid), errors


@dataclass
class Load:
    """Everything :func:`measure` found."""

    rooms: list[Room]  # the paced rooms of ROOM_SIZES
    rush: Room  # the largest room, all at once with no pauses: the server's throughput
    floor: list[float] = field(default_factory=list)  # L0: FLOOR_VISITS lone visits' reruns
    after_first: float = math.nan
    after_all: float = math.nan
    sequence_errors: list[str] = field(default_factory=list)


async def measure(url: str, pid: int | None, *, sequence: bool = True) -> Load:
    """Warm the server with one visit (untimed), then the rooms, the rush and (if
    ``sequence``) the visits one after another."""
    warm, error = await _one(url, 0, True)
    await warm.close()
    if error:  # the server or the app is broken: no room would tell more
        raise VisitError(f"the warm-up visit failed: {error}")
    rooms, first = [], 1
    for sessions in ROOM_SIZES:
        rooms.append(await room(url, pid, sessions, first))
        first += sessions
    floor = list(rooms[0].reruns) if ROOM_SIZES[0] == 1 else []
    for _ in range(FLOOR_VISITS - (1 if floor else 0)):  # more lone visits for L0
        floor += (await room(url, pid, 1, first)).reruns
        first += 1
    rush = await room(url, pid, ROOM_SIZES[-1], first, paced=False)
    first += ROOM_SIZES[-1]
    if not sequence:
        return Load(rooms, rush, floor)
    return Load(rooms, rush, floor, *await one_after_another(url, pid, first))


def capacity(load: Load) -> float:
    """Paced visitors the server could serve at full load: the rush's reruns per second
    times a visitor's median seconds from one rerun to the next in the largest paced room
    (an upper bound: queues grow without limit as it is neared)."""
    return len(load.rush.reruns) / load.rush.seconds * median(load.rooms[-1].gaps)


def print_rooms(load: Load) -> None:
    """The rooms' table, and the first errors if there were any."""
    print_table(
        f"A room of visitors: each visit {VISIT_RERUNS} reruns (open, 2 toggles, radii, "
        f"2 typed ends, measuring mode, 2 clicks, upload), a person's {THINK_S[0]:g}-"
        f"{THINK_S[1]:g} s before each action, arriving within {ARRIVAL_S:g} s",
        [
            *("Sessions", "Errors", "Reruns", "p50 rerun", "p95 rerun", "Reruns/s"),
            *("Server cores", "RSS open / peak", "MB/session", "Wall"),
        ],
        [r.cells() for r in [*load.rooms, load.rush]],
    )
    errors = [e for r in [*load.rooms, load.rush] for e in r.errors] + load.sequence_errors
    for problem in errors[:10]:
        print(f"  error: {problem}")
    big = load.rooms[-1]
    print(
        f"\nA visitor asks for a rerun every {median(big.gaps):.1f} s (median, room of "
        f"{big.sessions}); the rush gets {len(load.rush.reruns) / load.rush.seconds:.1f} "
        f"reruns/s from the server: at full load it would hold about {capacity(load):.0f} "
        "such visitors."
    )


def rows() -> list[Row]:
    """The load table (printed) and its budget rows L0-L5 for ``make bench``."""
    with streamlit_server(LOGS) as (url, proc):
        driver_cpu, server_cpu = time.process_time(), cpu_s(proc.pid)
        load = asyncio.run(measure(url, proc.pid))
        driver_cpu, server_cpu = time.process_time() - driver_cpu, cpu_s(proc.pid) - server_cpu
    print_rooms(load)
    print(
        f"\nDriver CPU {driver_cpu:.0f} s against the server's {server_cpu:.0f} s "
        f"({driver_cpu / max(server_cpu, 1e-9):.0%}). {SEQUENTIAL} visits one after another: "
        f"{load.after_first:.0f} MB after {LEAK_AFTER}, {load.after_all:.0f} MB after "
        f"{SEQUENTIAL}."
    )
    rooms = load.rooms
    single = median(load.floor)
    all_errors = [e for r in [*rooms, load.rush] for e in r.errors] + load.sequence_errors
    big = rooms[-1]
    p95 = pct(big.reruns, 95)
    worst_mb = max(r.mb_per_session for r in rooms[1:])  # one session: within the noise
    leak = load.after_all / load.after_first
    return [
        row(
            "L0",
            "one visitor's rerun (the floor of L2)",
            f"{single * 1000:.0f} ms median ({len(load.floor)} reruns, {FLOOR_VISITS} lone visits)",
            "-",
            1.0,
            None,
            "-",
            ratio_label="-",
        ),
        row(
            "L1",
            f"no errors: {', '.join(map(str, ROOM_SIZES))} visitors, the rush, "
            f"{SEQUENTIAL} in a row",
            f"{len(all_errors)} errors",
            f"{sum(len(r.reruns) for r in [*rooms, load.rush])} reruns",
            len(all_errors),
            not all_errors,
            "0",
            ratio_label=str(len(all_errors)),
        ),
        row(
            "L2",
            f"p95 rerun with {big.sessions} visitors",
            f"{p95 * 1000:.0f} ms",
            f"L0 {single * 1000:.0f} ms",
            p95 / single,
            p95 / single <= BUDGET_P95_RATIO,  # False if either is NaN
            f"≤ {BUDGET_P95_RATIO:g}×",
        ),
        row(
            "L3",
            "server memory per session (worst room of 5+)",
            f"{worst_mb:.1f} MB",
            f"{rooms[0].rss_before:.0f} MB before",
            worst_mb,
            worst_mb <= BUDGET_MB_PER_SESSION,
            f"≤ {BUDGET_MB_PER_SESSION:g} MB",
            ratio_label="-",
        ),
        row(
            "L4",
            f"no leak: resident memory after {SEQUENTIAL} visits in a row",
            f"{load.after_all:.0f} MB",
            f"{load.after_first:.0f} MB after {LEAK_AFTER}",
            leak,
            leak <= BUDGET_LEAK_RATIO,
            f"≤ {BUDGET_LEAK_RATIO:.2f}×",
        ),
        row(
            "L5",
            f"the rush: {load.rush.sessions} visits at once, no pauses (p95; visitors the "
            "server could hold at full load)",
            f"{pct(load.rush.reruns, 95) * 1000:.0f} ms "
            f"({pct(load.rush.reruns, 95) / single:.0f}× L0); ≈ {capacity(load):.0f} visitors",
            f"{len(load.rush.reruns) / load.rush.seconds:.1f} reruns/s",
            1.0,
            "figure",
            "-",
            ratio_label="-",
        ),
    ]


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.load``: the table and budgets, on a server started for them; with
    ``--url``, the rooms and the rush on a server already running (yours, or several
    behind a proxy), without its memory."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=main.__doc__)
    parser.add_argument("--url", help="a running app, e.g. http://127.0.0.1:8080")
    args = parser.parse_args(argv)
    if args.url:
        print_rooms(asyncio.run(measure(args.url.rstrip("/"), None, sequence=False)))
        return
    measured = rows()
    print_table(
        "Budgets of issue #20",
        [k.capitalize() for k in ROW_KEYS],
        [[r[k] for k in ROW_KEYS] for r in measured],
    )


if __name__ == "__main__":
    main()
