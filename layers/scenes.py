"""Briefing scenes: a view, the layers to show and a caption with computed figures.

Scenes are data (``data/scenes.json``); a caption names figures as ``{layer.metric}``
and they are filled from the layers' metrics, distances in the chosen unit. A scene may
set the date the forces are shown as of (``as_of``: ``YYYY-MM-DD`` or ``today``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.data import DATA_DIR
from geo.errors import DataFileError, GeoInputError
from geo.forces import laydown_date
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
    # The forces' laydown date it shows: ISO, "" for today, None to keep the user's.
    as_of: str | None = None


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
                _as_of(s.get("as_of")),
            )
            for s in raw
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, GeoInputError) as exc:
        raise DataFileError(f"{path}: {exc}") from None
    for scene in out:
        unknown = [i for i in scene.layers if i not in CATALOGUE]
        unknown += [
            m.group(1) for m in _FIGURE.finditer(scene.caption) if m.group(1) not in CATALOGUE
        ]
        if unknown:
            raise DataFileError(f"{path}: scene '{scene.id}' names unknown layers {unknown}")
    return out


def _as_of(value: str | None) -> str | None:
    """A scene's ``as_of``: absent → None (keep), ``"today"`` → ``""``, else the ISO date."""
    if value is None:
        return None
    return "" if value == "today" else laydown_date(value).isoformat()


def scene(scene_id: str) -> Scene:
    """The scene with this id (the overview if the id is unknown)."""
    return next((s for s in scenes() if s.id == scene_id), scenes()[0])


def caption(scene_: Scene, unit: str = "km") -> str:
    """The scene's caption with its figures computed (on the scene's date, if it sets one)
    and written in ``unit``; a whole number without decimals."""

    def figure(match: re.Match[str]) -> str:
        spec = CATALOGUE[match.group(1)]
        on = {p.name: scene_.as_of for p in spec.params if p.kind == "date" and scene_.as_of}
        value = build(spec.id, **on).metrics[match.group(2)]
        if match.group(2).endswith("_km"):
            return format_distance(value, unit)
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

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
