"""Escaping for every string that reaches HTML or JavaScript through folium."""

from __future__ import annotations

import html

# Beyond HTML entities: a backtick ends folium's template literals, `$` starts `${...}`
# interpolation in them, and a trailing backslash escapes the closing quote.
_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_text(text: object) -> str:
    """Escape a data- or user-supplied value for folium popups, tooltips and names.

    Parameters
    ----------
    text : object
        Any value; it is converted with ``str`` first.

    Returns
    -------
    str
        Text safe to place in HTML and in folium's JavaScript template literals.
    """
    return html.escape(str(text), quote=True).translate(_EXTRA)
