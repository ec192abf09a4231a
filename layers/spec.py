"""The shapes every layer is declared with: its spec, parameters, style and build result.

:class:`LayerSpec`, :class:`Style` and :class:`Param` check themselves when they are
built, so a layer declared wrong stops the import with a
:class:`~geo.errors.CatalogueError` that names the entry and what is wrong, instead
of drawing or exporting something broken later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from geo.errors import CatalogueError, GeoInputError
from geo.forces import laydown_date
from geo.rings import radii_from_km

SEED_2019 = "000_6671a901a6bdcfaf.txt"  # Jamestown Foundation, 2019
SEED_2020 = (
    "001_28ba83964fef6d31.txt"  # "Should the U.S. Consider a Belarusian Defense Relationship?"
)
# How the map and the tables name each seed (data/ and the code name them by file): a short
# citation, then the full reference (the papers are in ../shared/seeds, see its README).
SEEDS: dict[str, tuple[str, str]] = {
    SEED_2019: (
        "Jamestown 2019",
        "Jamestown Foundation, “The Growing Importance of Belarus on NATO’s Baltic Flank” (2019)",
    ),
    SEED_2020: (
        "Myers 2020",
        "Jacob Myers, “Should the U.S. Consider a Belarusian Defense Relationship?” (2020)",
    ),
}


def cite(seed: str) -> str:
    """A seed's short citation for a popup or a table cell (an unknown name as it is).

    Examples
    --------
    >>> cite(SEED_2019), cite(SEED_2020), cite("notes.txt")
    ('Jamestown 2019', 'Myers 2020', 'notes.txt')
    """
    return SEEDS.get(seed, (seed, seed))[0]


def reference(seed: str) -> str:
    """A seed's full reference: author or publisher, title and year (an unknown name as it is).

    Examples
    --------
    >>> reference(SEED_2020)
    'Jacob Myers, “Should the U.S. Consider a Belarusian Defense Relationship?” (2020)'
    """
    return SEEDS.get(seed, (seed, seed))[1]


# The groups a layer belongs to (the layer control's sections, the PNG's drawing order).
GROUPS = ("strategic", "context", "claims", "user")
# The kinds of parameter a user may change (see Param).
PARAM_KINDS = ("radii_km", "place", "date")
_SLUG_RE = re.compile(r"[a-z][a-z0-9_]*")
HEX_COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")  # the colours we draw with: #rrggbb


def _check(ok: bool, entry: str, problem: str) -> None:
    if not ok:
        raise CatalogueError(f"{entry}: {problem}")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _dash_lengths(dash_array: str) -> list[float]:
    try:
        return [float(d) for d in dash_array.replace(",", " ").split()]
    except ValueError:
        return []


@dataclass(frozen=True)
class Style:
    """How a layer is drawn (Leaflet path options).

    Colours are ``#rrggbb``: the KML and GeoPackage styles append an alpha byte to
    them, and the legend writes them into HTML. ``dash_array`` is lengths in pixels
    separated by spaces or commas (SVG's ``stroke-dasharray``), e.g. ``"6 4"``.

    Raises
    ------
    CatalogueError
        If a colour is not ``#rrggbb``, the weight not above 0, the opacity not in
        0–1 or the dash array not lengths.
    """

    color: str
    weight: float = 2.0
    fill_color: str | None = None
    fill_opacity: float = 0.0
    dash_array: str | None = None

    def __post_init__(self) -> None:
        entry = repr(self)
        for name in ("color", "fill_color"):
            value = getattr(self, name)
            _check(
                (value is None and name == "fill_color")
                or (isinstance(value, str) and HEX_COLOR_RE.fullmatch(value) is not None),
                entry,
                f"{name} {value!r} is not a #rrggbb colour",
            )
        _check(
            _number(self.weight) and self.weight > 0,
            entry,
            f"weight {self.weight!r} is not a number above 0",
        )
        _check(
            _number(self.fill_opacity) and 0 <= self.fill_opacity <= 1,
            entry,
            f"fill_opacity {self.fill_opacity!r} is not a number from 0 to 1",
        )
        if self.dash_array is not None:
            lengths = _dash_lengths(self.dash_array) if isinstance(self.dash_array, str) else []
            _check(
                bool(lengths) and all(_number(d) and d >= 0 for d in lengths) and any(lengths),
                entry,
                f"dash_array {self.dash_array!r} is not lengths such as '6 4'",
            )


@dataclass(frozen=True)
class Param:
    """A build parameter a user may change, with its default.

    ``kind`` is ``"radii_km"`` (a tuple of radii in km), ``"place"`` (a name,
    alias or coordinates, resolved with :func:`geo.locate.locate`) or ``"date"`` (an
    ISO date as text, ``""`` for today: :func:`geo.forces.laydown_date`).
    """

    name: str
    label: str
    kind: str
    default: Any

    def __post_init__(self) -> None:
        entry = f"parameter {self.name!r}"
        _check(
            isinstance(self.name, str) and self.name.isidentifier(),
            entry,
            "the name is not a Python identifier (it is passed to the layer's build)",
        )
        _check(isinstance(self.label, str) and bool(self.label.strip()), entry, "no label")
        _check(
            self.kind in PARAM_KINDS,
            entry,
            f"unknown kind {self.kind!r}: expected one of {', '.join(PARAM_KINDS)}",
        )
        if self.kind == "date":
            _check(
                isinstance(self.default, str) and _is_date(self.default),
                entry,
                f"the default {self.default!r} is not an ISO date or '' (today)",
            )
        elif self.kind == "place":
            _check(
                isinstance(self.default, str) and bool(self.default.strip()),
                entry,
                f"the default {self.default!r} is not a place name",
            )
        else:
            _check_radii_km(self.default, entry)


def _is_date(text: str) -> bool:
    try:
        laydown_date(text)
    except GeoInputError:
        return False
    return True


def _check_radii_km(default: Any, entry: str) -> None:
    _check(
        isinstance(default, tuple) and all(_number(r) for r in default),
        entry,
        f"the default {default!r} is not a tuple of radii in km",
    )
    try:
        radii_from_km(default)
    except GeoInputError as exc:
        raise CatalogueError(f"{entry}: the default {default!r}: {exc}") from None


# Where a label sits on its feature (layers/labels.py finds the spot; the map and the PNG
# place the text there): beside a point, on a line's middle, on a ring's northern edge,
# inside an area, or beside a unit's symbol (clear of the symbol, which is larger than a dot).
LABEL_PLACES = ("point", "line", "ring", "area", "symbol")


@dataclass(frozen=True)
class LabelRule:
    """Which features of a layer are named on the map, with what text and how urgently.

    ``text`` makes the label from a feature's properties (a mapping): plain text, with
    distances as :func:`layers.units.distance_token` so the chosen unit shows. Labels are
    placed most urgent first (``priority`` 1) and a label that would overlap one placed
    before it is left out, so the lower a priority the sooner it gives way.

    Raises
    ------
    CatalogueError
        If the role is not a word, the text not callable, the priority not 1–9, the place
        not one of :data:`LABEL_PLACES`, or ``kinds`` not a tuple of words.
    """

    role: str
    text: Callable[[Any], str]
    priority: int
    place: str = "point"
    kinds: tuple[str, ...] | None = None  # only features of these kinds (sites)

    def __post_init__(self) -> None:
        entry = f"label rule for {self.role!r}"
        _check(isinstance(self.role, str) and self.role.isidentifier(), entry, "no role")
        _check(callable(self.text), entry, f"text {self.text!r} is not callable")
        _check(
            isinstance(self.priority, int) and 1 <= self.priority <= 9,
            entry,
            f"priority {self.priority!r} is not a whole number from 1 to 9",
        )
        _check(
            self.place in LABEL_PLACES,
            entry,
            f"unknown place {self.place!r}: expected one of {', '.join(LABEL_PLACES)}",
        )
        _check(
            self.kinds is None
            or (isinstance(self.kinds, tuple) and all(isinstance(k, str) for k in self.kinds)),
            entry,
            f"kinds {self.kinds!r} is not a tuple of words",
        )


@dataclass(frozen=True)
class Built:
    """A built layer: features in EPSG:4326 and its measured figures.

    ``features`` has a ``role`` column (``ring``, ``corridor``, ``shortest_line``,
    ``site``, ``border``, ``nearest_point``, ...), a ``name`` and a ``label`` (the
    popup text, plain: it is escaped when rendered), plus typed figures.
    """

    features: gpd.GeoDataFrame
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class LayerSpec:
    """One layer, declared once: everything the map, the CLI and exports need."""

    id: str
    title: str
    description: str
    seeds: tuple[str, ...]
    style: Style
    build: Callable[..., Built]
    params: tuple[Param, ...] = ()
    group: str = "strategic"
    labels: tuple[LabelRule, ...] = ()  # what the map names (layers/labels.py)
    key: tuple[tuple[str, str], ...] = ()  # the legend's colours within it: (#rrggbb, meaning)

    def __post_init__(self) -> None:
        entry = f"layer {self.id!r}"
        _check(
            isinstance(self.id, str) and _SLUG_RE.fullmatch(self.id) is not None,
            entry,
            "the id is not a slug (lower-case letters, digits and '_', starting with a letter)",
        )
        for name in ("title", "description"):
            value = getattr(self, name)
            _check(isinstance(value, str) and bool(value.strip()), entry, f"no {name}")
        _check(
            isinstance(self.seeds, tuple) and all(isinstance(s, str) for s in self.seeds),
            entry,
            f"seeds {self.seeds!r} is not a tuple of file names",
        )
        _check(isinstance(self.style, Style), entry, f"style {self.style!r} is not a Style")
        _check(callable(self.build), entry, f"build {self.build!r} is not callable")
        _check(
            isinstance(self.params, tuple) and all(isinstance(p, Param) for p in self.params),
            entry,
            f"params {self.params!r} is not a tuple of Param",
        )
        _check(
            isinstance(self.labels, tuple) and all(isinstance(r, LabelRule) for r in self.labels),
            entry,
            f"labels {self.labels!r} is not a tuple of LabelRule",
        )
        _check(
            isinstance(self.key, tuple)
            and all(
                isinstance(k, tuple)
                and len(k) == 2
                and isinstance(k[0], str)
                and HEX_COLOR_RE.fullmatch(k[0]) is not None
                and isinstance(k[1], str)
                for k in self.key
            ),
            entry,
            f"key {self.key!r} is not a tuple of (#rrggbb colour, meaning)",
        )
        names = [p.name for p in self.params]
        _check(len(set(names)) == len(names), entry, f"a parameter name is repeated: {names}")
        _check(
            self.group in GROUPS,
            entry,
            f"unknown group {self.group!r}: expected one of {', '.join(GROUPS)}",
        )

    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter, by name."""
        return {p.name: p.default for p in self.params}
