"""The user's marks (clicks, ruler, rings, fans, radials, horizon rings) from plain values.

No Streamlit here: the app (:func:`ui.map_panel.marks_inputs`) and the command line
(``cli.py export --workspace``) both turn a :class:`~ui.link.MapState`, the clicks and
the ruler's ends into :func:`layers.user_marks.user_marks`'s arguments with
:func:`marks_arguments`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from geo.errors import InputError
from geo.gazetteer import Place
from ui.link import MapState

__all__ = ["clicked_ends", "marks_arguments", "placed_marks"]

Finder = Callable[[str], Place]


def clicked_ends(clicks: Sequence[Place], route: bool) -> tuple[Place | None, Place | None]:
    """The ruler's ends as clicked: the last two clicks, once there are two (none while the
    clicks make a route)."""
    return (clicks[0], clicks[-1]) if len(clicks) == 2 and not route else (None, None)


def placed_marks(marks: Sequence[Any], what: str, find: Finder) -> tuple[list, list[str]]:
    """Each mark (a ring, fan, radials or horizon) with its place found, and a line for
    each place that cannot be found."""
    found, problems = [], []
    for mark in marks:
        try:
            found.append((find(mark.place), mark))
        except InputError as exc:
            problems.append(f"{what} at '{mark.place}': {exc}")
    return found, problems


def marks_arguments(
    state: MapState,
    clicks: Sequence[Place],
    *,
    route: bool,
    find: Finder,
    ruler: tuple[Place | None, Place | None] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """:func:`layers.user_marks.user_marks`'s keyword arguments, every value a tuple (a
    cache key), and what could not be placed.

    Parameters
    ----------
    state : MapState
        Rings, fans, radials, horizon rings and the bearings the ruler states.
    clicks : sequence of Place
        The clicks, oldest first.
    route : bool
        Whether the clicks make a route rather than the ruler's ends.
    find : callable
        A place from its text (a name, coordinates, a point of a user's layer).
    ruler : pair of Place or None, optional
        The ruler's ends as typed; by default the clicked ends (:func:`clicked_ends`).
    """
    rings, ring_problems = placed_marks(state.rings, "ring", find)
    fans, fan_problems = placed_marks(state.fans, "fan", find)
    radials, radial_problems = placed_marks(state.radials, "radials", find)
    horizons, horizon_problems = placed_marks(state.horizons, "horizon", find)
    a, b = ruler if ruler is not None else clicked_ends(clicks, route)
    arguments = {
        "clicks": tuple(clicks),
        "rings": tuple((place, ring.radii_km) for place, ring in rings),
        "ruler": (a, b) if a is not None and b is not None else None,
        "fans": tuple(
            (place, (f.azimuth_deg, f.width_deg, f.min_km, f.max_km)) for place, f in fans
        ),
        "radials": tuple((place, (r.count, r.length_km, r.first_deg)) for place, r in radials),
        "horizons": tuple((place, (h.height_m, h.target_m, h.refraction)) for place, h in horizons),
        "route": tuple(clicks) if route else (),
        "bearings": state.bearings,
    }
    return arguments, ring_problems + fan_problems + radial_problems + horizon_problems
