"""Zip archives (KMZ, zipped shapefiles): checked whole before one byte is unpacked.

Nothing is ever extracted to disk: the members a reader needs are read into memory, each
with a cap at its declared size, after these checks on the archive's directory:

* at most :data:`~geo.user_layers.limits.KMZ_MAX_MEMBERS` members, and their declared
  sizes summed within the upload limit (a zip bomb is refused before it is unpacked; a
  member that unpacks to more than it declares is cut at its size and fails its CRC);
* no member whose name climbs out of the archive (``../``, an absolute path or a drive
  letter) and no symbolic link: such a file is refused whole, since it was built to
  attack whoever unpacks it;
* no encrypted member.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Callable

from geo.errors import FileInputError
from geo.user_layers.files import _megabytes, _shown
from geo.user_layers.gdal_read import _first_line
from geo.user_layers.limits import KMZ_MAX_MEMBERS, Limits

__all__: list[str] = []  # private: geo.user_layers (its __init__) is the API

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)
_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def _is_link(member: zipfile.ZipInfo) -> bool:
    return member.create_system == 3 and stat.S_ISLNK(member.external_attr >> 16)


def _climbs_out(filename: str) -> bool:
    parts = filename.replace("\\", "/").split("/")
    return filename.startswith(("/", "\\")) or bool(_DRIVE_RE.match(filename)) or ".." in parts


def _zip_members(
    data: bytes,
    name: str,
    limits: Limits,
    kind: str,
    wanted: Callable[[list[zipfile.ZipInfo]], list[zipfile.ZipInfo]],
) -> dict[str, bytes]:
    """The contents of the members ``wanted`` picks from the archive's (checked) listing.

    Raises
    ------
    FileInputError
        If the archive cannot be read, breaks a limit, holds a member that climbs out of
        it, a link or an encrypted member; or a member holds more than it declares.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_listing(members, name, limits, kind)
            out = {}
            for member in wanted([m for m in members if not m.is_dir()]):
                with archive.open(member) as stream:
                    content = stream.read(member.file_size + 1)
                if len(content) > member.file_size:
                    raise FileInputError(
                        f"'{name}' is a damaged {kind}: a file inside is larger than it says"
                    )
                out[member.filename] = content
    except FileInputError:
        raise
    except _ZIP_ERRORS as exc:
        raise FileInputError(
            f"'{name}' is not a readable {kind} (zip) file: {_first_line(exc)}"
        ) from None
    return out


def _check_listing(members: list[zipfile.ZipInfo], name: str, limits: Limits, kind: str) -> None:
    if len(members) > KMZ_MAX_MEMBERS:
        raise FileInputError(
            f"'{name}' holds {len(members):,} files, over the limit of {KMZ_MAX_MEMBERS:,} "
            f"for a {kind}"
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_bytes:
        raise FileInputError(
            f"'{name}' unpacks to {_megabytes(unpacked)}, over the "
            f"{_megabytes(limits.max_bytes)} limit for uploaded files"
        )
    for member in members:
        if _climbs_out(member.filename):
            raise FileInputError(
                f"'{name}' holds a file named {_shown(member.filename)}, a path that leads "
                "out of the archive: refused for safety"
            )
        if _is_link(member):
            raise FileInputError(
                f"'{name}' holds a symbolic link ({_shown(member.filename)}): refused for safety"
            )
        if member.flag_bits & 0x1:
            raise FileInputError(
                f"'{name}' holds an encrypted file ({_shown(member.filename)}): unzip it "
                "and upload it without a password"
            )
