"""The errors the atlas raises on purpose: one base, narrow subclasses.

Every error subclasses :class:`AtlasError` and the builtin it refines, so
``except ValueError`` still catches bad input. A message says what was received,
what was expected and, where there is one, the nearest valid option.

- :class:`InputError` and its subclasses: the user gave something that cannot be
  used. ``cli.py`` prints the message as one line and exits with status 2; the app
  shows it next to the control that received the input.
- :class:`DataFileError`: a file the atlas ships or builds (``data/``, the vendored
  map assets) is missing or malformed; rebuilding it (``make``) is the fix.
- :class:`CatalogueError`: a layer was declared wrong in code; raised when the
  catalogue is imported, so it never reaches a user.

Examples
--------
>>> issubclass(GeoInputError, InputError) and issubclass(GeoInputError, ValueError)
True
>>> issubclass(DataFileError, InputError)
False
"""

__all__ = [
    "AtlasError",
    "CatalogueError",
    "DataFileError",
    "ExportError",
    "FileInputError",
    "GeoInputError",
    "InputError",
    "UnknownNameError",
]


class AtlasError(Exception):
    """Base class of every error the atlas raises on purpose."""


class InputError(AtlasError, ValueError):
    """Input from a user that cannot be used (the class a user interface catches)."""


class GeoInputError(InputError):
    """A coordinate, place, radius, distance or geometry that cannot be used."""


class UnknownNameError(InputError):
    """A name outside its fixed list: layer, unit, format, scene, territory, site, ..."""


class FileInputError(InputError):
    """An uploaded or input file that cannot be read, or breaks a limit."""


class ExportError(InputError):
    """An export that cannot be written as asked: no layers, a missing folder, a bad size."""


class DataFileError(AtlasError, RuntimeError):
    """A file the atlas ships or builds (``data/``, vendored assets) is missing or malformed."""


class CatalogueError(AtlasError, ValueError):
    """A catalogue entry declared wrong in code; raised when it is built, at import."""
