"""Escaping for every string that reaches HTML or JavaScript through folium, or a CSV cell."""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

# Beyond HTML entities: a backtick ends folium's template literals, `$` starts `${...}`
# interpolation in them, and a trailing backslash escapes the closing quote. Braces: branca
# compiles every rendered script again as a Jinja template (``Element(script)``), so
# ``{{ ... }}`` or ``{% ... %}`` in data would run on the server.
_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


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


# Everything Streamlit's Markdown gives a meaning: CommonMark punctuation, `$` (LaTeX),
# `:` (emoji and colour directives) and `&` (entities). Each is written with a backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def escape_markdown(text: object) -> str:
    """Text that Streamlit shows literally in Markdown (labels, messages, ``st.write``).

    A name such as ``![x](https://host/pixel.png)`` would otherwise load an image from
    anywhere; ``**bold**`` and ``$x$`` would change what is shown.

    Parameters
    ----------
    text : object
        Any value; it is converted with ``str`` first.

    Returns
    -------
    str
        The text with every Markdown-significant character backslash-escaped, on one
        line (line breaks become spaces).
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV value a spreadsheet will not run: text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_column(values: pd.Series) -> pd.Series:
    """:func:`csv_cell` on every value of a column, vectorized for a column of text.

    Examples
    --------
    >>> csv_column(pd.Series(["=1+1", "ok", None], dtype="str")).tolist()
    ["'=1+1", 'ok', nan]
    >>> csv_column(pd.Series(["@x", 3, None], dtype=object)).tolist()
    ["'@x", 3, None]
    >>> csv_column(pd.Series(pd.to_datetime(["2026-12-03"]))).tolist()
    [Timestamp('2026-12-03 00:00:00')]
    """
    if values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(object).map(lambda v: csv_cell(v) if isinstance(v, str) else v)
    if not pd.api.types.is_string_dtype(values.dtype):
        return values  # numbers, truth values, times: no formula
    formula = values.str.startswith(_FORMULA_START).fillna(False).astype(bool)
    return values.where(~formula, "'" + values) if formula.any() else values
