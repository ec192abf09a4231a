"""Write the binary entries of the hostile corpus: zipped shapefiles, FlatGeobuf, GPX.

Run from the repository's root with the venv's Python (``.venv/bin/python
tests/data/hostile/make_archives.py``); the files are written beside this script and are
the same bytes each time (fixed zip dates, pyogrio's writers). The README says what each
is and what reading it must yield.
"""

from __future__ import annotations

import io
import stat
import struct
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

HERE = Path(__file__).parent
VILNIUS, MINSK, HRODNA = (25.2797, 54.6872), (27.5615, 53.9045), (23.8258, 53.6884)
DATE = (2026, 12, 3, 0, 0, 0)
# A WKT2 definition whose datum shift reads a grid file outside the archive.
GRID_PRJ = (
    'BOUNDCRS[SOURCECRS[GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",'
    'ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2],'
    'AXIS["longitude",east,ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["latitude",north,ANGLEUNIT["degree",0.0174532925199433]]]],'
    'TARGETCRS[GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",'
    'ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2],'
    'AXIS["longitude",east,ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["latitude",north,ANGLEUNIT["degree",0.0174532925199433]]]],'
    'ABRIDGEDTRANSFORMATION["shift",METHOD["NTv2"],'
    'PARAMETERFILE["Latitude and longitude difference file","../../../../etc/passwd"]]]'
)


def towns(encoding: str = "UTF-8") -> dict[str, bytes]:
    """Vilnius, Minsk and Hrodna as a shapefile's parts (Belarusian names for Minsk and
    Hrodna), written by pyogrio in ``encoding``."""
    frame = gpd.GeoDataFrame(
        {"name": ["Vilnius", "Мінск", "Гродна"], "rank": [1, 2, 3]},
        geometry=[shapely.Point(p) for p in (VILNIUS, MINSK, HRODNA)],
        crs=4326,
    )
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(frame, Path(tmp) / "towns.shp", encoding=encoding)
        return {p.name: p.read_bytes() for p in sorted(Path(tmp).iterdir())}


def archive(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:  # a symbolic link, as `zip --symlinks` stores one
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            out.writestr(info, content)
    return buf.getvalue()


def without(parts: dict[str, bytes], *exts: str) -> dict[str, bytes]:
    return {k: v for k, v in parts.items() if not k.endswith(exts)}


def main() -> None:
    utf8 = towns()
    cp1251 = towns("CP1251")
    files = {
        "traversal.zip": archive(
            {f"../../../tmp/{k}": v for k, v in without(utf8, ".cpg").items()}
        ),
        "prj_symlink.zip": archive(
            {**without(utf8, ".prj"), "towns.prj": b"/etc/passwd"}, links=("towns.prj",)
        ),
        "prj_grid_file.zip": archive({**without(utf8, ".prj"), "towns.prj": GRID_PRJ.encode()}),
        "prj_proj_string.zip": archive(
            {**without(utf8, ".prj"), "towns.prj": b"+proj=longlat +nadgrids=@/etc/passwd"}
        ),
        "truncated_dbf.zip": archive(
            {**utf8, "towns.dbf": utf8["towns.dbf"][: len(utf8["towns.dbf"]) - 40]}
        ),
        "dbf_of_another.zip": archive({**utf8, "towns.dbf": _one_record_dbf(utf8["towns.dbf"])}),
        "no_dbf.zip": archive(without(utf8, ".dbf")),
        "cp1251_no_cpg.zip": archive(without(cp1251, ".cpg")),
        "cp1251_cpg.zip": archive(cp1251),
        "no_shapefile.zip": archive({"readme.txt": b"no shapefile here"}),
        "truncated.fgb": _fgb()[:-10],
        "not_flatgeobuf.fgb": b'{"type": "FeatureCollection", "features": []}',
    }
    for name, content in files.items():
        (HERE / name).write_bytes(content)
        print(f"{name}: {len(content):,} bytes")


def _one_record_dbf(dbf: bytes) -> bytes:
    """The DBF cut to its first record, its header saying so: it indexes fewer shapes."""
    header, width = struct.unpack("<HH", dbf[8:12])
    return dbf[:4] + struct.pack("<I", 1) + dbf[8 : header + width] + b"\x1a"


def _fgb() -> bytes:
    frame = gpd.GeoDataFrame(
        {"name": ["Vilnius", "Minsk", "Hrodna"]},
        geometry=[shapely.Point(p) for p in (VILNIUS, MINSK, HRODNA)],
        crs=4326,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "towns.fgb"
        pyogrio.write_dataframe(frame, path, layer_options={"SPATIAL_INDEX": "NO"})
        return path.read_bytes()


if __name__ == "__main__":
    main()
