"""What GDAL's KML reader gets wrong or leaves out, put right in the text before it reads.

GDAL's LIBKML driver (3.12) reads ``gx:Track`` and ``gx:MultiTrack`` as lines with their
first and last ``<when>`` as ``begin`` and ``end``, but, measured:

* a track with one position becomes an invalid one-point line, which the reader drops
  (and a one-point track inside a ``gx:MultiTrack`` is lost from the track);
* ``<coordinates>`` it cannot read become a wrong value without a word: ``25`` or an
  empty element is the point (0, 0), ``25,,54`` is (25, 0, 54); a line written with a
  space after each comma (``25, 54 26, 55``) is dropped;
* a 3D ``Model`` has no geometry; network links, screen and photo overlays are skipped.

:func:`_repaired_kml` walks the document with expat (already checked: well-formed, no
DOCTYPE) and edits its bytes: every ``<coordinates>`` and ``gx:coord`` is rewritten in
the plain form GDAL reads (or, if it holds anything but numbers, the placemark's
geometry is removed, so the feature is listed as dropped); a one-point track becomes a
point with its time as a ``TimeSpan``; a multi-track with a one-point track becomes a
``MultiGeometry``; a model becomes a point at its location. Everything else is left
byte for byte. Each change that a user should know of is a note, naming the placemark,
its line and its folder.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from geo.user_layers.files import _shown
from geo.user_layers.text import _clean_text, _count, _listed

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_GX = "http://www.google.com/kml/ext/2.2"
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GEOMETRIES = {"Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Model"}
_GX_GEOMETRIES = {"Track", "MultiTrack"}
_FEATURES = {"Placemark", "GroundOverlay", "ScreenOverlay", "PhotoOverlay", "NetworkLink"}
_NOT_READ = {"NetworkLink", "ScreenOverlay", "PhotoOverlay"}  # features with nothing to draw


# Each kind of note: how to count what it concerns (singular, plural).
_WHAT = {
    "bad": ("placemark not read", "placemarks not read"),
    "one point": (
        "placemark whose track has one position, read as a point",
        "placemarks whose tracks have one position, read as points",
    ),
    "model": ("3D model drawn as a point at its location", "3D models drawn as points"),
    "ground": (
        "ground overlay: its outline is read, not its picture",
        "ground overlays: their outlines are read, not their pictures",
    ),
    "NetworkLink": (
        "network link not read (linked files are never fetched)",
        "network links not read (linked files are never fetched)",
    ),
    "ScreenOverlay": (
        "screen overlay not read (a picture fixed to the screen)",
        "screen overlays not read (pictures fixed to the screen)",
    ),
    "PhotoOverlay": ("photo overlay not read (a photograph)", "photo overlays not read"),
}


@dataclass
class _Element:
    """An open element: its name, its namespace, where its bytes start."""

    local: str
    uri: str
    start: int
    text: list[str] = field(default_factory=list)


@dataclass
class _Track:
    start: int
    coords: list[str] = field(default_factory=list)  # canonical "x,y[,z]" tuples
    whens: list[str] = field(default_factory=list)


@dataclass
class _Feature:
    kind: str
    line: int
    folder: str
    name: str = ""
    bad: str = ""  # why its geometry cannot be read
    geometry: tuple[int, int] | None = None  # the byte span of its geometry element
    tracks: list[_Track] = field(default_factory=list)
    location: dict[str, str] = field(default_factory=dict)  # a Model's longitude, latitude
    timed: bool = False  # has a TimeStamp or TimeSpan of its own

    def label(self) -> str:
        where = f"line {self.line}" + (f", folder {_shown(self.folder)}" if self.folder else "")
        return f"{_shown(self.name) if self.name else 'a placemark'} ({where})"


@dataclass
class _Repair:
    """The edits to make (byte spans and their new text) and the notes to give."""

    edits: list[tuple[int, int, bytes]] = field(default_factory=list)
    # (folder, what) -> the placemarks it concerns, each "'name' (line 3): detail"
    found: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, folder: str, what: str, item: str) -> None:
        self.found.setdefault((folder, what), []).append(item)

    def notes(self) -> list[tuple[str, str]]:
        """One note per folder and kind of change, naming at most 20 placemarks."""
        return [
            (folder, f"{_count(len(items), *_WHAT[what])}: {_listed(items, sep='; ')}")
            for (folder, what), items in self.found.items()
        ]

    def apply(self, data: bytes) -> bytes:
        out, at = [], 0
        # outer spans first and, on one span, a removal before a replacement: a geometry
        # removed as unreadable is not also rewritten
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], -e[1], e[2] != b"")):
            if start < at:  # inside a span already replaced by an outer edit
                continue
            out += [data[at:start], text]
            at = end
        return b"".join([*out, data[at:]])


# A start tag, to its closing ">" (which an attribute's quoted value may also contain).
_START_TAG_RE = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def _tag_end(data: bytes, start: int) -> int:
    """Where the start tag at ``start`` ends (just past its ``>``)."""
    match = _START_TAG_RE.match(data, start)
    return match.end() if match else data.index(b">", start) + 1


def _element_end(data: bytes, start: int, index: int) -> int:
    """Where the element whose start tag is at ``start`` ends, given expat's byte index in
    its end handler: at the ``</`` of its end tag, or just past an empty-element tag's
    ``/>`` (which is no help: the next byte may be its parent's ``</``)."""
    tag_end = _tag_end(data, start)
    return tag_end if data[tag_end - 2 : tag_end] == b"/>" else data.index(b">", index) + 1


def _canonical_tuple(parts: list[str]) -> str | None:
    """``x,y[,z]`` from 2 or 3 numbers, or None if they are not that."""
    if len(parts) not in (2, 3) or not all(_NUMBER_RE.fullmatch(p) for p in parts):
        return None
    return ",".join(parts)


def _coordinates(text: str) -> list[str] | None:
    """The tuples of a ``<coordinates>`` element (commas may have spaces around them)."""
    tuples = re.sub(r"\s*,\s*", ",", text.strip()).split()
    canonical = [_canonical_tuple(t.split(",")) for t in tuples]
    return None if not canonical or None in canonical else canonical  # type: ignore[return-value]


def _repaired_kml(data: bytes) -> tuple[bytes, list[tuple[str, str]]]:
    """The KML with the edits above made, and (folder, note) pairs for the user.

    ``data`` has passed :func:`geo.user_layers.kml._check_kml_xml`.
    """
    repair = _Repair()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    stack: list[_Element] = []
    features: list[_Feature] = []  # the open feature, if any (features do not nest)
    folders: list[str] = []
    kml_uri = ""

    def end_of(element: _Element) -> int:
        return _element_end(data, element.start, parser.CurrentByteIndex)

    def start(tag: str, _attrs: object) -> None:
        nonlocal kml_uri
        uri, _, local = tag.rpartition(" ")
        kml_uri = kml_uri or uri
        element = _Element(local, uri, parser.CurrentByteIndex)
        parent = stack[-1] if stack else None
        stack.append(element)
        if local in _FEATURES and uri != _GX:
            features[:] = [
                _Feature(local, parser.CurrentLineNumber, folders[-1] if folders else "")
            ]
        elif local == "Folder":
            folders.append("")
        elif local == "Track" and uri == _GX and features:
            features[-1].tracks.append(_Track(element.start))
        elif local in ("TimeStamp", "TimeSpan") and parent is not None and features:
            features[-1].timed = features[-1].timed or parent.local in _FEATURES
        if (
            features
            and parent is not None
            and parent.local in _FEATURES
            and (local in _GEOMETRIES or (uri == _GX and local in _GX_GEOMETRIES))
        ):
            features[-1].geometry = (element.start, -1)

    def text(content: str) -> None:
        if stack:
            stack[-1].text.append(content)

    def end(tag: str) -> None:
        element = stack.pop()
        local, index = element.local, parser.CurrentByteIndex
        content = "".join(element.text)
        tag_end = _tag_end(data, element.start)
        inner = (tag_end, tag_end if data[tag_end - 2 : tag_end] == b"/>" else index)
        feature = features[-1] if features else None
        parent = stack[-1].local if stack else ""
        if local == "name" and parent == "Folder" and folders and not folders[-1]:
            folders[-1] = _clean_text(content).strip()
        if feature is None:
            return
        if local == "name" and parent in _FEATURES and not feature.name:
            feature.name = _clean_text(content).strip()
        elif local == "coordinates" and element.uri != _GX:
            tuples = _coordinates(content)
            if tuples is None:
                feature.bad = feature.bad or _not_numbers(content)
            elif parent == "Point" and len(tuples) > 1:
                feature.bad = feature.bad or f"its point has {len(tuples)} positions"
            else:
                repair.edits.append((*inner, " ".join(tuples).encode()))
        elif local == "coord" and element.uri == _GX and feature.tracks:
            canonical = _canonical_tuple(content.split())
            if canonical is None:
                feature.bad = (
                    feature.bad
                    or f"its track position {_shown(content.strip())} is not 'longitude latitude'"
                )
            else:
                feature.tracks[-1].coords.append(canonical)
                repair.edits.append((*inner, canonical.replace(",", " ").encode()))
        elif local == "when" and parent == "Track" and feature.tracks:
            feature.tracks[-1].whens.append(content.strip())
        elif local in ("longitude", "latitude", "altitude") and parent == "Location":
            feature.location[local] = content.strip()
        elif local == "Track" and element.uri == _GX and feature.tracks:
            track = feature.tracks[-1]
            if len(track.coords) == 1 and stack and stack[-1].local != "MultiTrack":
                timed = _is_geometry(feature, element) and not feature.timed
                repair.edits.append(
                    (element.start, end_of(element), _point(track, kml_uri, timed=timed))
                )
        elif local == "MultiTrack" and element.uri == _GX:
            tracks = [t for t in feature.tracks if t.start > element.start]
            if any(len(t.coords) == 1 for t in tracks):
                timed = _is_geometry(feature, element) and not feature.timed
                repair.edits.append(
                    (element.start, end_of(element), _multi(tracks, kml_uri, timed=timed))
                )
        elif local == "Model" and parent in _FEATURES:
            tuple_ = _canonical_tuple(
                [feature.location.get(k, "") for k in ("longitude", "latitude", "altitude")]
            ) or _canonical_tuple([feature.location.get(k, "") for k in ("longitude", "latitude")])
            if tuple_ is None:
                feature.bad = feature.bad or "its 3D model has no readable location"
            else:
                point = _element(kml_uri, "Point", f"<coordinates>{tuple_}</coordinates>")
                repair.edits.append((element.start, end_of(element), point))
                repair.add(feature.folder, "model", feature.label())
        if feature.geometry is not None and feature.geometry[0] == element.start:
            feature.geometry = (element.start, end_of(element))
        if local in _FEATURES and element.uri != _GX:
            _finish_feature(feature, repair)
            features.clear()
        if local == "Folder" and folders:
            folders.pop()

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return repair.apply(data), repair.notes()


def _is_geometry(feature: _Feature, element: _Element) -> bool:
    """Whether ``element`` is the feature's geometry itself (not a part of a collection)."""
    return feature.geometry is not None and feature.geometry[0] == element.start


def _finish_feature(feature: _Feature, repair: _Repair) -> None:
    if feature.kind == "GroundOverlay":
        repair.add(feature.folder, "ground", feature.label())
    if feature.kind in _NOT_READ:
        repair.add("", feature.kind, feature.label())
    elif feature.bad:
        if feature.geometry is not None:
            repair.edits.append((*feature.geometry, b""))
        repair.add(feature.folder, "bad", f"{feature.label()}: {feature.bad}")
    elif any(len(t.coords) == 1 for t in feature.tracks):
        repair.add(feature.folder, "one point", feature.label())


def _not_numbers(content: str) -> str:
    if not content.strip():
        return "its coordinates are empty"
    return f"its coordinates {_shown(content.strip())} are not 'longitude,latitude' numbers"


def _element(uri: str, tag: str, inner: str) -> bytes:
    """``<tag xmlns=uri>inner</tag>``: in KML's namespace whatever prefix the file uses."""
    return f'<{tag} xmlns="{escape(uri)}">{inner}</{tag}>'.encode()


def _span(whens: list[str], uri: str) -> bytes:
    if not whens:
        return b""
    begin, end = escape(whens[0]), escape(whens[-1])
    return _element(uri, "TimeSpan", f"<begin>{begin}</begin><end>{end}</end>")


def _point(track: _Track, uri: str, *, timed: bool) -> bytes:
    point = _element(uri, "Point", f"<coordinates>{track.coords[0]}</coordinates>")
    return (_span(track.whens, uri) if timed else b"") + point


def _multi(tracks: list[_Track], uri: str, *, timed: bool) -> bytes:
    parts = "".join(
        f"<Point><coordinates>{t.coords[0]}</coordinates></Point>"
        if len(t.coords) == 1
        else f"<LineString><coordinates>{' '.join(t.coords)}</coordinates></LineString>"
        for t in tracks
        if t.coords
    )
    whens = [w for t in tracks for w in t.whens]
    return (_span(whens, uri) if timed else b"") + _element(uri, "MultiGeometry", parts)
