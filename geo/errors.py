"""The one error type raised for bad user input."""


class GeoInputError(ValueError):
    """Input that cannot be used: bad coordinates, radii, names or files.

    The message says what was received, what was expected and, where there is
    one, the nearest valid option. ``cli.py`` prints it as one line; ``app.py``
    shows it next to the control that received the input.
    """


class DataFileError(RuntimeError):
    """A file in ``data/`` is missing or does not match its documented schema.

    Raised on load, naming the file and what is wrong, so a broken rebuild is
    caught before any figure is computed from it.
    """
