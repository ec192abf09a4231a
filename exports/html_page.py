"""Exported HTML: one self-contained page with the chosen layers and every map control.

Leaflet and the plugins are inlined from ``static/vendor`` (the same pinned npm files the
app serves; jQuery, which nothing here uses, is left out), with their images as ``data:``
URIs, so the page never loads a script from anywhere. Online, the base maps are
OpenStreetMap and CartoDB Positron tiles with our vector base as a third choice;
``offline=True`` drops the tiles and shows the vector base, and the page makes no network
request at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from geo.errors import DataFileError
from layers.catalogue import CATALOGUE, LayerRef, layer
from layers.escape import escape_text
from webmap.assets import inline_assets, missing_assets
from webmap.controls import add_controls
from webmap.render import atlas_map

# A prefix no page contains, given to the links that are then replaced by the files.
_INLINE_BASE = "atlas-vendor:"
# Nothing on an exported page uses jQuery (folium's Popup would; our layers' popups are
# built by our runtime, webmap/js/atlas-geo.js): 87 KB saved.
UNUSED_SCRIPTS = ("jquery",)


def atlas_html(
    layer_ids: Iterable[LayerRef] | None = None,
    *,
    title: str = "Baltic Flank Atlas",
    unit: str = "km",
    offline: bool = False,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    view: tuple[float, float, int] | None = None,
) -> str:
    """The exported page: the layers, a title, layer control, legend, scale bar and popups.

    Parameters
    ----------
    layer_ids : iterable of str or LayerSpec, optional
        Catalogue ids, or specs such as a user's layers (default: every catalogue layer).
    title : str, optional
        Shown on the map and as the page title (plain text: it is escaped).
    unit : str, optional
        Unit of the distances in popups: ``km``, ``mi`` or ``nmi``.
    offline : bool, optional
        No tiles: our vector base only, and no network request at all.
    params : mapping, optional
        Layer id → build parameters, as the app's layer settings give them.
    view : tuple of (float, float, int), optional
        The opening view as (lon, lat, zoom); default: the whole region.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    UnknownNameError
        For an unknown layer or parameter.
    GeoInputError
        For a bad parameter value (radii).
    DataFileError
        If the vendored assets are not installed (``make`` installs them).
    """
    specs = [layer(i) for i in (layer_ids if layer_ids is not None else CATALOGUE)]
    missing = missing_assets(served=False)  # our own scripts are inlined from webmap/js
    if missing:
        raise DataFileError(
            f"map assets are not installed ({', '.join(missing[:3])} ...): run `make run` "
            "or `make test` once to install them from npm"
        )
    # The claims ledger starts hidden beside other layers (a tick in the layer control).
    shown = [s.id for s in specs if s.group != "claims"] or [s.id for s in specs]
    fmap = atlas_map(specs, shown=shown, unit=unit, params=params, view=view)
    add_controls(fmap, base_url=_INLINE_BASE, layer_ids=specs, tiles=not offline, title=title)
    fmap.get_root().title = escape_text(title)  # branca writes it into <title> as is
    return inline_assets(squeeze(fmap.get_root().render()), _INLINE_BASE, drop=UNUSED_SCRIPTS)


_INDENT_RE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)
_BLANK_LINES_RE = re.compile(r"\n{2,}")


def squeeze(page: str) -> str:
    """folium's page without its template indentation and blank lines (before inlining).

    Only whitespace at the start and end of lines goes: our data sits on single lines in
    JSON strings, and no script on the page continues a string across lines.
    """
    return _BLANK_LINES_RE.sub("\n", _INDENT_RE.sub("", page))


def write_html(path: Path, layer_ids: Iterable[LayerRef] | None = None, **options: Any) -> None:
    """Write :func:`atlas_html` to ``path`` (UTF-8); ``options`` are its keyword arguments."""
    path.write_text(atlas_html(layer_ids, **options), encoding="utf-8")
