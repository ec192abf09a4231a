"""Zipped shapefiles: each ``.shp`` with its ``.shx``, ``.dbf`` and optional ``.prj``, ``.cpg``.

A shapefile is several files, so it is uploaded as one ``.zip``; the archive is checked
whole first (:mod:`.zipped`). Then, for each ``.shp`` (a layer), its companions are
found by name (any case, in the same folder of the archive; one name in two cases is
refused, as the files could be paired wrongly) and checked before GDAL reads them:

* the ``.shp`` and ``.shx`` headers (file code 9994, version 1000) and the ``.dbf``
  header: the records it declares must fit in the file, and there must be as many as
  the ``.shx`` indexes shapes (a truncated or mismatched table is refused, not read
  half-way); the records of all the shapefiles together count against the feature limit
  before any is read;
* the ``.prj`` is parsed here with pyproj and must be a WKT definition of at most
  64 KB, naming no file, grid or URL (those are refused), and GDAL never reads it; an
  empty one is noted and ignored;
* the text encoding is the ``.cpg``'s, if it names a text encoding a DBF can hold; else
  the DBF header's code-page byte (as GDAL reads it) unless that says only "ANSI" (the
  Windows of whoever wrote it); else ASCII, or UTF-8 if the text reads as UTF-8; else
  Windows-1252 for "ANSI" and otherwise the Windows code page of the region whose
  letters fit best (as for CSV), each with a note. GDAL alone would read a DBF without
  either as ISO-8859-1, turning Cyrillic into other letters without a word (measured).

GDAL then reads a fresh archive holding only those three checked files under names of
our own.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile

from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.errors import FileInputError
from geo.user_layers.csv_points import _guess_legacy
from geo.user_layers.files import _shown
from geo.user_layers.finish import _NULL_GRID_RE
from geo.user_layers.gdal_read import _check_layer_count, _first_line, _gdal_layers
from geo.user_layers.limits import Limits, _Raw
from geo.user_layers.text import _count
from geo.user_layers.zipped import _zip_members

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_PRJ_MAX_BYTES = 64 * 1024
# What in a definition can point at a file, a grid or a URL: WKT2's PARAMETERFILE (a grid
# for a datum shift), GDAL's WKT1 EXTENSION["PROJ4_GRIDS", ...] or a PROJ string in an
# EXTENSION with grid or init options, URLs. An ESRI .prj never holds any of them; PROJ's
# built-in null grid (@null, in Web Mercator's definition) reads no file.
_POINTS_OUTSIDE_RE = re.compile(
    r"PARAMETERFILE|GRIDFILE|PROJ4_GRIDS|nadgrids|geoidgrids|hgridshift|vgridshift|init=|://|"
    r"file:",
    re.I,
)
_WKT_RE = re.compile(
    r"^\s*(PROJCS|GEOGCS|GEOCCS|COMPD_CS|VERT_CS|LOCAL_CS|PROJCRS|GEOGCRS|GEODCRS|"
    r"PROJECTEDCRS|GEOGRAPHICCRS|COMPOUNDCRS|BOUNDCRS)\s*\[",
    re.IGNORECASE,
)
# DBF language-driver ids GDAL maps to a code page (ogr/ogrsf_frmts/shape, DBFGetCodePage)
_LDID = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x57: "cp1252", 0x58: "cp1252",
    0x59: "cp1252", 0x64: "cp852", 0x65: "cp866", 0x66: "cp865", 0x67: "cp861",
    0x6A: "cp737", 0x6B: "cp857", 0x78: "cp950", 0x79: "cp949", 0x7A: "cp936",
    0x7B: "cp932", 0x7C: "cp874", 0x7D: "cp1255", 0x7E: "cp1256", 0xC8: "cp1250",
    0xC9: "cp1251", 0xCA: "cp1254", 0xCB: "cp1253", 0xCC: "cp1257",
}  # fmt: skip
_ANSI = {0x03, 0x57}  # "Windows ANSI": the code page of the machine that wrote the file
_ASCII_SAMPLE = "Name_1 ,.09"


def _read_shapefile_zip(data: bytes, name: str, limits: Limits) -> list[_Raw]:
    members = _zip_members(data, name, limits, "zip", _shapefile_parts)
    sets: dict[str, dict[str, bytes]] = {}
    seen: dict[str, str] = {}
    for member, content in members.items():
        stem, ext = member.rsplit(".", 1)
        key = f"{stem}.{ext}".lower()
        if key in seen:  # Towns.dbf and towns.dbf: which belongs to Towns.shp?
            raise FileInputError(
                f"'{name}' holds both {_shown(seen[key])} and {_shown(member)}, one name in two "
                "cases: keep one of them"
            )
        seen[key] = member
        sets.setdefault(stem.lower(), {})["." + ext.lower()] = content
    shapes = {stem: parts for stem, parts in sets.items() if ".shp" in parts}
    if not shapes:
        raise FileInputError(
            f"'{name}' holds no shapefile (.shp): a zip is read as a zipped shapefile"
        )
    _check_layer_count(len(shapes), name, limits)
    titles = {stem: seen[f"{stem}.shp"].rsplit("/", 1)[-1][:-4] for stem in shapes}
    records = sum(_checked_parts(parts, name, titles[stem]) for stem, parts in shapes.items())
    if records > limits.max_features:  # all its shapefiles together, before GDAL reads one
        raise FileInputError(
            f"'{name}' has {records:,} features, over the limit of {limits.max_features:,}"
        )
    raws: list[_Raw] = []
    for stem, parts in sorted(shapes.items()):
        raws += _read_one(parts, name, titles[stem], limits)
    return raws


def _shapefile_parts(members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The members that make up shapefiles (not macOS's ``__MACOSX/._x`` shadows)."""
    return [
        m
        for m in members
        if m.filename.lower().endswith(_PARTS)
        and not m.filename.startswith("__MACOSX/")
        and not m.filename.rsplit("/", 1)[-1].startswith("._")
    ]


def _where(name: str, title: str) -> str:
    return f"'{name}', shapefile {_shown(title + '.shp')}"  # messages start with the file


def _checked_parts(parts: dict[str, bytes], name: str, title: str) -> int:
    """The records of one shapefile, after checking its parts belong together."""
    where = _where(name, title)
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise FileInputError(
            f"{where} comes without its {' and '.join(missing)}: a shapefile needs its "
            ".shp, .shx and .dbf (and .prj for its coordinate system) zipped together, "
            "in one folder"
        )
    shapes = _check_shp(parts[".shp"], parts[".shx"], where)
    _check_dbf(parts[".dbf"], shapes, where)
    return shapes


def _read_one(parts: dict[str, bytes], name: str, title: str, limits: Limits) -> list[_Raw]:
    where = _where(name, title)
    notes: list[str] = []
    crs = None
    if parts.get(".prj", b"").strip():
        crs = _prj_crs(parts[".prj"], where)
    elif ".prj" in parts:
        notes.append("its .prj is empty: the coordinates are taken as they come")
    encoding, encoding_notes = _encoding(parts.get(".cpg"), parts[".dbf"], where)
    notes += encoding_notes
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for ext in (".shp", ".shx", ".dbf"):
            archive.writestr(f"layer{ext}", parts[ext])
    raws = _gdal_layers(
        buf.getvalue(),
        name,
        "shapefile",
        {"ESRI Shapefile"},
        limits,
        single=True,
        encoding=encoding,
    )
    for raw in raws:
        raw.title = title
        raw.frame = raw.frame.set_crs(crs, allow_override=True) if crs else raw.frame
        raw.notes += notes
    return raws


def _check_shp(shp: bytes, shx: bytes, where: str) -> int:
    """The number of shapes the ``.shx`` indexes, after checking both headers."""
    for part, content in ((".shp", shp), (".shx", shx)):
        if len(content) < 100 or struct.unpack(">i", content[:4])[0] != 9994:
            raise FileInputError(f"{where}: its {part} is not a shapefile part (bad header)")
        declared = struct.unpack(">i", content[24:28])[0] * 2
        if declared > len(content):
            raise FileInputError(
                f"{where}: its {part} is truncated ({len(content):,} of the {declared:,} "
                "bytes its header declares)"
            )
    if (len(shx) - 100) % 8:
        raise FileInputError(f"{where}: its .shx is damaged (not a whole number of entries)")
    return (len(shx) - 100) // 8


def _check_dbf(dbf: bytes, shapes: int, where: str) -> None:
    """A DBF header whose records fit in the file, one per shape."""
    if len(dbf) < 32:
        raise FileInputError(f"{where}: its .dbf is damaged (shorter than its header)")
    records, header, width = struct.unpack("<IHH", dbf[4:12])
    if header < 33 or width < 1:
        raise FileInputError(f"{where}: its .dbf is damaged (an impossible header)")
    if header + records * width > len(dbf):
        raise FileInputError(
            f"{where}: its .dbf is damaged or truncated: it declares {records:,} records of "
            f"{width:,} bytes, more than its {len(dbf):,} bytes hold"
        )
    if records != shapes:
        raise FileInputError(
            f"{where}: its .dbf has {_count(records, 'record')} but its .shx "
            f"{_count(shapes, 'shape')}: "
            "the files do not belong together"
        )


def _prj_crs(prj: bytes, where: str) -> CRS:
    """The coordinate system a ``.prj`` defines in WKT; nothing else is accepted."""
    if len(prj) > _PRJ_MAX_BYTES:
        raise FileInputError(f"{where}: its .prj is {len(prj):,} bytes, too large for a WKT")
    text = prj.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not _WKT_RE.match(text):
        raise FileInputError(
            f"{where}: its .prj is not a WKT coordinate system (it starts "
            f"{_shown(text.strip()[:30])}); refused, since other forms can name files or URLs"
        )
    outside = _POINTS_OUTSIDE_RE.search(_NULL_GRID_RE.sub("", text))
    if outside:
        raise FileInputError(
            f"{where}: its .prj refers to a file, a grid or a URL ({outside.group()}); "
            "refused for safety: use a .prj that defines the coordinate system alone"
        )
    try:
        return CRS.from_wkt(text)
    except CRSError as exc:
        raise FileInputError(
            f"{where}: its .prj cannot be read as a coordinate system ({_first_line(exc)})"
        ) from None


def _encoding(cpg: bytes | None, dbf: bytes, where: str) -> tuple[str, list[str]]:
    """The DBF's text encoding (a Python codec name) and a note if it was not declared."""
    declared = (cpg or b"").decode("ascii", errors="replace").strip().lstrip("\ufeff")
    note = ""
    if declared:
        codec = _codec(declared)
        if codec:
            return codec, []
        note = f"its .cpg names an encoding not known here ({_shown(declared[:30])}); "
    header = struct.unpack("<H", dbf[8:10])[0]
    text = dbf[header:].replace(b"\x00", b"")
    ldid = dbf[29] if len(dbf) > 29 else 0
    if not note and ldid in _LDID and ldid not in _ANSI:
        return _LDID[ldid], []
    if text.isascii():
        return "utf-8", []
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", [f"{note or 'no .cpg names its encoding; '}its text was read as UTF-8"]
    if not note and ldid in _ANSI:
        # "ANSI": the code page of the Windows that wrote it, which the file does not say
        return "cp1252", [
            "its DBF says only 'ANSI' (the code page of the Windows that wrote it): its text "
            "was read as Windows-1252 (Western European); if names read wrong, add a .cpg: "
            "1257 for Lithuanian or Latvian, 1250 for Polish, 1251 for Cyrillic"
        ]
    guess = _guess_legacy(text)
    if guess is None:
        raise FileInputError(
            f"{where}: {note}its .dbf is not UTF-8 nor in a Windows code page of the "
            "region: add a .cpg naming its encoding"
        )
    codec, label = guess
    return codec, [
        f"{note or 'no .cpg names its encoding; '}its text was read as {label}: check that "
        "names read correctly, or add a .cpg"
    ]


def _codec(declared: str) -> str | None:
    """Python's codec for a ``.cpg``'s words: ``UTF-8``, ``1251``, ``ANSI 1252``, ``88591``."""
    word = declared.upper().replace("ANSI", "").replace("CP", "").strip(" _-")
    candidates = [declared, word]
    if word.isdigit():
        candidates += ["utf-8"] if word == "65001" else [f"cp{word}"]
        if word.startswith("8859") and len(word) > 4:
            candidates.append(f"iso8859-{word[4:].lstrip('_-')}")
    for candidate in candidates:
        try:
            codec = codecs.lookup(candidate)
            if _ASCII_SAMPLE.encode(codec.name) == _ASCII_SAMPLE.encode():
                return codec.name  # a text encoding a DBF can hold (not UTF-16, not rot13)
        except (LookupError, UnicodeError, TypeError):
            continue
    return None
