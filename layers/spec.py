"""The shapes every layer is declared with: its spec, parameters, style and build result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

SEED_2019 = "000_6671a901a6bdcfaf.txt"  # Jamestown Foundation, 2019
SEED_2020 = (
    "001_28ba83964fef6d31.txt"  # "Should the U.S. Consider a Belarusian Defense Relationship?"
)


@dataclass(frozen=True)
class Style:
    """How a layer is drawn (Leaflet path options)."""

    color: str
    weight: float = 2.0
    fill_color: str | None = None
    fill_opacity: float = 0.0
    dash_array: str | None = None


@dataclass(frozen=True)
class Param:
    """A build parameter a user may change, with its default.

    ``kind`` is ``"radii_km"`` (a tuple of radii in km) or ``"place"`` (a name,
    alias or coordinates, resolved with :func:`geo.locate.locate`).
    """

    name: str
    label: str
    kind: str
    default: Any


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

    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter, by name."""
        return {p.name: p.default for p in self.params}
