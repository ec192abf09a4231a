"""Briefing scenes: a view, the layers to show and a caption with computed figures.

Scenes are data (``data/scenes.json``); a caption names figures as ``{layer.metric}``
and they are filled from the layers' metrics, distances in the chosen unit.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.data import DATA_DIR
from geo.errors import DataFileError
from layers.catalogue import CATALOGUE, build
from layers.units import format_distance

_FIGURE = re.compile(r"\{([a-z_]+)\.([a-z_]+)\}")


@dataclass(frozen=True)
class Scene:
    """One briefing scene. ``center`` is ``(lon, lat)``."""

    id: str
    title: str
    center: tuple[float, float]
    zoom: int
    layers: tuple[str, ...]
    caption: str


@lru_cache(maxsize=1)
def scenes() -> tuple[Scene, ...]:
    """The scenes in order, validated against the catalogue."""
    path = DATA_DIR / "scenes.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        out = tuple(
            Scene(
                s["id"],
                s["title"],
                (float(s["center"][0]), float(s["center"][1])),
                int(s["zoom"]),
                tuple(s["layers"]),
                s["caption"],
            )
            for s in raw
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise DataFileError(f"{path}: {exc}") from None
    for scene in out:
        unknown = [i for i in scene.layers if i not in CATALOGUE]
        unknown += [
            m.group(1) for m in _FIGURE.finditer(scene.caption) if m.group(1) not in CATALOGUE
        ]
        if unknown:
            raise DataFileError(f"{path}: scene '{scene.id}' names unknown layers {unknown}")
    return out


def scene(scene_id: str) -> Scene:
    """The scene with this id (the overview if the id is unknown)."""
    return next((s for s in scenes() if s.id == scene_id), scenes()[0])


def caption(scene_: Scene, unit: str = "km") -> str:
    """The scene's caption with its figures computed and written in ``unit``."""

    def figure(match: re.Match[str]) -> str:
        value = build(match.group(1)).metrics[match.group(2)]
        return format_distance(value, unit) if match.group(2).endswith("_km") else f"{value:,.1f}"

    return _FIGURE.sub(figure, scene_.caption)


def view_for_bounds(bounds: tuple[float, float, float, float]) -> tuple[float, float, int]:
    """A (lon, lat, zoom) view that shows lon/lat ``bounds`` on a map about 700 px across.

    Web Mercator zoom z spans 360° of longitude in 256·2^z px; latitude is stretched by
    1/cos(lat), so the taller of the two extents decides. Zoom is kept within 3–11.
    """
    west, south, east, north = bounds
    lat = (south + north) / 2
    width_deg = max(east - west, (north - south) / max(math.cos(math.radians(lat)), 0.1), 1e-3)
    zoom = math.floor(math.log2(360.0 * 700.0 / (256.0 * width_deg * 1.2)))
    return (west + east) / 2, lat, int(min(max(zoom, 3), 11))
