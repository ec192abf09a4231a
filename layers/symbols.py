"""Unit symbols: the APP-6 D / MIL-STD-2525 D symbol of a SIDC, drawn by milsymbol.

One drawing serves every output: the vendored ``milsymbol`` (npm, pinned in
``assets/package.json``; ``make`` copies it to ``static/vendor/milsymbol``) runs here, in
V8 (``mini-racer``, PyPI), and gives each SIDC's symbol as SVG with its size and anchor.
The web map and the HTML export place that SVG at the unit's point (a few KB a distinct
SIDC, where shipping milsymbol itself would add 862 KB to every exported page, more than
the page's whole 0.6 MB budget); the PNG and the KML's icons rasterise the same SVG.

Measured on the development machine (2 cores), 2026-12-03: loading milsymbol into a new
V8 context takes about 0.16 s, once per process; a symbol then takes about 1 ms (the
first about 35 ms), and each is cached.
"""

from __future__ import annotations

import atexit
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.errors import DataFileError, GeoInputError
from geo.forces import check_sidc

__all__ = ["DRAW_JS", "MILSYMBOL_JS", "Symbol", "symbol"]

MILSYMBOL_JS = Path(__file__).resolve().parents[1] / "static/vendor/milsymbol/milsymbol.js"
DRAW_JS = Path(__file__).resolve().parent / "symbol.js"  # atlasSymbol(sidc, size)
_LOCK = threading.Lock()  # one V8 context, used by one thread at a time
_CONTEXT: list = []


@dataclass(frozen=True)
class Symbol:
    """A unit's symbol as milsymbol draws it.

    ``svg`` is the drawing (``width`` by ``height`` px); the unit's position is at
    ``anchor`` (x, y in px from the drawing's top left): the centre of the frame.
    """

    sidc: str
    svg: str
    width: float
    height: float
    anchor: tuple[float, float]


def _context() -> Any:  # a py_mini_racer.MiniRacer, imported when first needed
    if not _CONTEXT:
        if not MILSYMBOL_JS.is_file():
            raise DataFileError(
                f"{MILSYMBOL_JS} is missing: run `make run` or `make test` once to install "
                "milsymbol from npm"
            )
        from py_mini_racer import MiniRacer

        context = MiniRacer()
        # Closed before Python finalises: left to the garbage collector, V8's teardown can
        # hang the process at exit (seen under load with mini-racer 0.14.1).
        atexit.register(context.close)
        context.eval("var window = this, self = this;")  # milsymbol's UMD wrapper
        context.eval(MILSYMBOL_JS.read_text(encoding="utf-8"))
        context.eval(DRAW_JS.read_text(encoding="utf-8"))
        _CONTEXT.append(context)
    return _CONTEXT[0]


@lru_cache(maxsize=512)
def symbol(sidc: str, size: float = 26.0) -> Symbol:
    """The symbol of a SIDC, ``size`` px high (milsymbol's size: the frame's height).

    Parameters
    ----------
    sidc : str
        20 digits (:func:`geo.forces.check_sidc`).
    size : float, optional
        milsymbol's ``size`` option.

    Returns
    -------
    Symbol

    Raises
    ------
    GeoInputError
        If the SIDC is not 20 digits of the standard's fields, or milsymbol cannot draw
        it (an entity it does not know).
    DataFileError
        If milsymbol is not installed (``make`` installs it).

    Examples
    --------
    >>> hostile = symbol("10061000171211020000")
    >>> hostile.svg.startswith("<svg"), hostile.width < hostile.height, hostile.anchor
    (True, True, (19.76, 30.16))
    >>> symbol("10061000179999990000")
    Traceback (most recent call last):
    ...
    geo.errors.GeoInputError: SIDC '10061000179999990000': milsymbol cannot draw it ...
    """
    code = check_sidc(sidc)
    with _LOCK:
        drawn = json.loads(_context().call("atlasSymbol", code, float(size)))
    if not drawn["valid"]:
        raise GeoInputError(f"SIDC {code!r}: milsymbol cannot draw it (unknown entity or modifier)")
    return Symbol(
        code, drawn["svg"], float(drawn["width"]), float(drawn["height"]), (drawn["x"], drawn["y"])
    )
