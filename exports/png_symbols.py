"""Unit symbols for the PNG: milsymbol's own drawing, rasterised, kept at its pixel size.

The web map places each unit's symbol as the SVG milsymbol draws for its SIDC
(:func:`layers.symbols.symbol`: the vendored ``milsymbol.js`` run in V8 by ``mini-racer``,
one context per process, no browser). The PNG draws the same SVG:

1. ``resvg-py`` (resvg, a self-contained Rust wheel: no system library, no compiler)
   rasterises it to an RGBA array of the symbol's size in pixels (:func:`symbol_image`);
   the few icons with letters (civil affairs' "CA", ...) are set in matplotlib's DejaVu
   Sans rather than the system's fonts (milsymbol asks for Arial, which resvg would
   replace by a serif), so a raster is the same on every machine;
2. :func:`draw_symbols` puts each array on the map with milsymbol's anchor on the unit's
   point, at a fixed size in pixels whatever the map's scale.

Costs, measured 2026-12-03 on the development machine (2 cores, Python 3.11,
mini-racer 0.14.1, resvg-py 0.5.0, symbols 40 to 70 px in the raster; medians):

==============================================  ==================================
the first symbol in a process (V8 started)      0.14 s, and 60 MiB more memory
a symbol not drawn before                       2.5 ms: SVG 1.2 ms, raster 1.3 ms
  ... an icon with letters (fonts loaded)       raster 1.4-1.9 ms
a symbol drawn before (cached)                  0.15 µs
200 distinct symbols drawn                      66 MiB more memory in all
==============================================  ==================================

Alternatives measured the same day: quickjs 1.19.4 instead of V8 starts in 0.05-0.08 s
with 9 MiB and draws an SVG in 0.3 ms (the same SVG, byte for byte, as V8 and node), but
its wheels stop at CPython 3.12 and its runtime must stay on the thread that made it,
while Streamlit calls from a thread per session. cairosvg 2.9.1 rasterises in 1.2 ms
against resvg's 0.7 ms (same symbols, 46 px), the same pixels within antialiasing
(letters aside: it takes the system's fonts), but needs the system's libcairo.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
import resvg_py
from matplotlib.axes import Axes
from matplotlib.offsetbox import AnnotationBbox, OffsetImage
from PIL import Image

from layers.style import SYMBOL_SIZE_PX
from layers.symbols import symbol

__all__ = ["SymbolImage", "draw_symbols", "symbol_image"]

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONTS = {
    "skip_system_fonts": True,
    "font_files": [str(_FONT_DIR / "DejaVuSans.ttf"), str(_FONT_DIR / "DejaVuSans-Bold.ttf")],
    "style_sheet": 'text { font-family: "DejaVu Sans"; }',  # over milsymbol's Arial
}
_SVG_SIZE = re.compile(r'\s(?:width|height|preserveAspectRatio)="[^"]*"')


@dataclass(frozen=True)
class SymbolImage:
    """A symbol rasterised for the PNG.

    Attributes
    ----------
    rgba : ndarray
        ``uint8``, height × width × 4, straight (not premultiplied) alpha, read-only.
    anchor : tuple of float
        Where the unit's position is, ``(x, y)`` in pixels of ``rgba`` from its top left
        corner: milsymbol's anchor scaled to the raster.
    """

    rgba: np.ndarray
    anchor: tuple[float, float]


@lru_cache(maxsize=1024)
def symbol_image(sidc: str, size_px: float = SYMBOL_SIZE_PX) -> SymbolImage:
    """A SIDC's milsymbol symbol as an RGBA array, and where on it the unit is.

    Parameters
    ----------
    sidc : str
        A 20-digit SIDC (MIL-STD-2525D / APP-6 D).
    size_px : float, optional
        milsymbol's ``size`` (its frame's height) in pixels of the raster; the web map's
        is :data:`layers.style.SYMBOL_SIZE_PX` CSS pixels (:func:`draw_symbols` converts).

    Returns
    -------
    SymbolImage
        The raster is milsymbol's ``getSize()`` rounded to whole pixels (at least one),
        the SVG stretched onto it (by less than half a pixel). Cached per argument pair.

    Raises
    ------
    GeoInputError
        For a SIDC that is not 20 digits of the standard's fields, or that milsymbol
        cannot draw (:func:`layers.symbols.symbol`).
    DataFileError
        If the vendored ``milsymbol.js`` is missing (``make`` installs it).

    Examples
    --------
    A hostile mechanized infantry regiment, anchored at its diamond's centre, under the
    regiment's three bars:

    >>> hostile = symbol_image("10061000171211020000", 26)
    >>> hostile.rgba.shape, tuple(round(v, 2) for v in hostile.anchor)
    ((50, 40, 4), (20.0, 30.21))
    """
    drawn = symbol(sidc, size_px)
    w_px, h_px = max(1, round(drawn.width)), max(1, round(drawn.height))
    root, rest = drawn.svg.split(">", 1)
    root = _SVG_SIZE.sub("", root) + f' width="{w_px}" height="{h_px}" preserveAspectRatio="none"'
    options = _FONTS if "<text" in rest else {"skip_system_fonts": True}
    png = resvg_py.svg_to_bytes(svg_string=f"{root}>{rest}", **options)
    with Image.open(io.BytesIO(bytes(png))) as image:
        rgba = np.array(image.convert("RGBA"))
    rgba.flags.writeable = False
    x, y = drawn.anchor
    return SymbolImage(rgba, (x * w_px / drawn.width, y * h_px / drawn.height))


def draw_symbols(
    ax: Axes,
    x: Iterable[float],
    y: Iterable[float],
    sidcs: Iterable[str],
    *,
    size_pt: float,
    zorder: float,
) -> list[AnnotationBbox]:
    """Draw units as their milsymbol symbols, the anchor of each on its point.

    A symbol keeps its size in pixels whatever the axes' scale: it is an image in the
    figure's pixels (1:1 when the figure is saved at its own ``dpi``), not in data units.

    Parameters
    ----------
    ax : Axes
        The map, in any data coordinates.
    x, y : iterable of float
        The units' positions, in ``ax``'s data coordinates.
    sidcs : iterable of str
        One 20-digit SIDC a position.
    size_pt : float
        milsymbol's ``size`` (the frame's height) in points: for the PNG, the web map's
        :data:`layers.style.SYMBOL_SIZE_PX` times its points per CSS pixel.
    zorder : float
        The symbols' drawing order.

    Returns
    -------
    list of AnnotationBbox
        The artists added, one a unit (none for no units), clipped to the axes.

    Raises
    ------
    GeoInputError
        For a SIDC milsymbol cannot draw; nothing is drawn then.
    """
    size_px = round(size_pt * ax.figure.dpi / 72.0, 2)  # rounded: a steady cache key
    images = [symbol_image(sidc, size_px) for sidc in sidcs]
    artists = []
    for xi, yi, image in zip(np.asarray(x, float), np.asarray(y, float), images, strict=True):
        h_px, w_px = image.rgba.shape[:2]
        picture = OffsetImage(image.rgba, dpi_cor=False, interpolation="nearest")
        picture.image.set_clip_path(ax.patch)
        box = AnnotationBbox(
            picture,
            (xi, yi),
            xycoords="data",
            box_alignment=(image.anchor[0] / w_px, 1.0 - image.anchor[1] / h_px),
            frameon=False,
            pad=0.0,
            zorder=zorder,
        )
        artists.append(ax.add_artist(box))
    return artists
