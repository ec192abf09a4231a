"""What the app shows, as plain data, and its round trip through URL query parameters.

Each session (:class:`ui.session.Session`) keeps one :class:`MapState` and writes it
to the URL, so a copied link reopens the same map. Reading a URL never fails: a bad
value is replaced by its default and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from geo.errors import GeoInputError, InputError
from geo.fans import fan, radials
from geo.forces import laydown_date
from geo.horizon import K_FACTORS, horizon
from layers.catalogue import CATALOGUE, radii_km_tuple
from layers.scenes import scene, scenes
from layers.units import UNITS
from webmap.controls import BASES, DEFAULT_BASE

COORD_FORMATS = ("dd", "dms", "mgrs")
BEARINGS = ("true", "mils", "magnetic", "grid")  # the bearings a measurement can show
_EVERY = re.compile(
    r"^\s*every\s+([0-9.]+)\s*(?:km)?\s+(?:up\s+)?to\s+([0-9.]+)\s*(?:km)?\s*$", re.I
)
MAX_RINGS_PER_CENTRE = 50


def in_catalogue_order(ids) -> tuple[str, ...]:
    """Known layer ids, once each, in catalogue order (so equal selections compare equal)."""
    wanted = set(ids)
    return tuple(i for i in CATALOGUE if i in wanted)


@dataclass(frozen=True)
class UserRing:
    """Rings a user added: a place (name, alias, coordinates or MGRS) and radii in km."""

    place: str
    radii_km: tuple[float, ...]


@dataclass(frozen=True)
class UserFan:
    """A range fan a user added: a place, its central bearing and width, its ranges in km."""

    place: str
    azimuth_deg: float
    width_deg: float
    min_km: float
    max_km: float

    def __post_init__(self) -> None:
        fan(0.0, 0.0, self.azimuth_deg, self.width_deg, self.min_km * 1e3, self.max_km * 1e3)

    def to_text(self) -> str:
        """The fan as the link writes it: ``Vilnius@90,60,0,50``."""
        figures = (self.azimuth_deg, self.width_deg, self.min_km, self.max_km)
        return f"{self.place}@{','.join(f'{v:g}' for v in figures)}"


@dataclass(frozen=True)
class UserRadials:
    """Radials a user added (one is a line of bearing): a place, how many, their length
    in km and the first one's bearing."""

    place: str
    count: int
    length_km: float
    first_deg: float = 0.0

    def __post_init__(self) -> None:
        radials(0.0, 0.0, self.count, self.length_km * 1e3, first_deg=self.first_deg)

    def to_text(self) -> str:
        """The radials as the link writes them: ``Minsk@8,50,0``."""
        return f"{self.place}@{self.count},{self.length_km:g},{self.first_deg:g}"


@dataclass(frozen=True)
class UserHorizon:
    """A horizon ring a user added: a place, the antenna's or eye's height and the
    target's in metres, and the refraction (a key of :data:`geo.horizon.K_FACTORS`)."""

    place: str
    height_m: float
    target_m: float = 0.0
    refraction: str = "radar"

    def __post_init__(self) -> None:
        if self.refraction not in K_FACTORS:
            raise GeoInputError(
                f"unknown refraction '{self.refraction}': choose one of {', '.join(K_FACTORS)}"
            )
        horizon(self.height_m, self.target_m, k=K_FACTORS[self.refraction])

    def to_text(self) -> str:
        """The horizon as the link writes it: ``Vilnius@30,0,radar``."""
        return f"{self.place}@{self.height_m:g},{self.target_m:g},{self.refraction}"


@dataclass(frozen=True)
class MapState:
    """Everything a shared link restores."""

    scene: str = "overview"
    layers: tuple[str, ...] = field(default_factory=lambda: in_catalogue_order(scenes()[0].layers))
    radii: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    site: str = "Vitebsk"
    units: str = "km"
    coord: str = "dd"
    base: str = DEFAULT_BASE  # the base map (webmap.controls.BASES)
    bearings: tuple[str, ...] = ("true",)  # which of BEARINGS the Measure tab shows
    rings: tuple[UserRing, ...] = ()
    fans: tuple[UserFan, ...] = ()
    radials: tuple[UserRadials, ...] = ()
    horizons: tuple[UserHorizon, ...] = ()
    view: tuple[float, float, int] | None = None  # (lon, lat, zoom); None: the scene's view
    as_of: str = ""  # the forces' laydown date (ISO); "": today, whenever the map is drawn

    def layer_params(self, layer_id: str) -> dict[str, object]:
        """Build parameters for a layer: the user's radii, launch site and laydown date,
        else defaults."""
        params: dict[str, object] = {}
        names = {p.name for p in CATALOGUE[layer_id].params}
        if "radii_km" in names and layer_id in self.radii:
            params["radii_km"] = self.radii[layer_id]
        if "site" in names:
            params["site"] = self.site
        for p in CATALOGUE[layer_id].params:
            if p.kind == "date":  # the day itself: a cached layer is that day's
                params[p.name] = laydown_date(self.as_of).isoformat()
        return params


def parse_radii(text: str) -> tuple[float, ...]:
    """Radii in km from ``"10, 20, 50"`` or ``"every 50 to 300"``.

    Raises
    ------
    GeoInputError
        If the text is neither form, a radius is unusable, or there are over 50.
    """
    every = _EVERY.match(text)
    if every:
        step, top = float(every.group(1)), float(every.group(2))
        if step <= 0 or top < step:
            raise GeoInputError(f"'{text}': the step must be above 0 and at most the maximum")
        count = int(top // step)
        if count > MAX_RINGS_PER_CENTRE:
            raise GeoInputError(f"'{text}' makes {count} rings; at most {MAX_RINGS_PER_CENTRE}")
        return radii_km_tuple([step * i for i in range(1, count + 1)])
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not parts:
        raise GeoInputError("no radii given: type e.g. '10, 20, 50' or 'every 50 to 300'")
    if len(parts) > MAX_RINGS_PER_CENTRE:
        raise GeoInputError(f"{len(parts)} radii given; at most {MAX_RINGS_PER_CENTRE}")
    return radii_km_tuple(parts)


def format_radii(radii: tuple[float, ...]) -> str:
    """``(10.0, 20.0)`` → ``"10, 20"``."""
    return ", ".join(f"{r:g}" for r in radii)


def to_query(state: MapState) -> dict[str, str]:
    """The state as query parameters (only what differs from a fresh map's defaults)."""
    query = {"scene": state.scene, "layers": ",".join(state.layers)}
    query |= {f"r_{k}": format_radii(v) for k, v in sorted(state.radii.items())}
    if state.site != MapState.site:
        query["site"] = state.site
    if state.units != "km":
        query["units"] = state.units
    if state.coord != "dd":
        query["coord"] = state.coord
    if state.base != DEFAULT_BASE:
        query["base"] = state.base
    if state.bearings != MapState.bearings:
        query["bearings"] = ",".join(state.bearings)
    if state.rings:
        query["rings"] = "|".join(f"{r.place}@{format_radii(r.radii_km)}" for r in state.rings)
    if state.fans:
        query["fans"] = "|".join(f.to_text() for f in state.fans)
    if state.radials:
        query["radials"] = "|".join(r.to_text() for r in state.radials)
    if state.horizons:
        query["horizons"] = "|".join(h.to_text() for h in state.horizons)
    if state.as_of or scene(state.scene).as_of:  # today, where the scene would set a date
        query["as_of"] = state.as_of or "today"
    if state.view is not None:
        lon, lat, zoom = state.view
        query["view"] = f"{lat:.5f},{lon:.5f},{zoom}"
    return query


def from_query(query: Mapping[str, str]) -> tuple[MapState, list[str]]:
    """Read a state from query parameters; bad values fall back to defaults.

    Returns
    -------
    state : MapState
        The state the link describes.
    problems : list of str
        One message per value that could not be used.
    """
    problems: list[str] = []
    state = MapState(scene=scene(query.get("scene", "overview")).id)
    if query.get("scene", "overview") != state.scene:
        problems.append(f"unknown scene '{query['scene']}'")
    state = replace(state, layers=in_catalogue_order(scene(state.scene).layers))
    if "layers" in query:
        ids = [i for i in query["layers"].split(",") if i]
        problems += [f"unknown layer '{i}'" for i in ids if i not in CATALOGUE]
        state = replace(state, layers=in_catalogue_order(ids))
    radii = {}
    for key, value in query.items():
        if key.startswith("r_") and key[2:] in CATALOGUE:
            try:
                radii[key[2:]] = parse_radii(value)
            except InputError as exc:
                problems.append(str(exc))
    state = replace(state, radii=radii, site=query.get("site", MapState.site))
    state = _checked_choice(state, query, "units", tuple(UNITS), problems)
    state = _checked_choice(state, query, "coord", COORD_FORMATS, problems)
    state = _checked_choice(state, query, "base", tuple(BASES), problems)
    state = replace(state, view=_read_view(query.get("view"), problems))
    as_of = query.get("as_of", scene(state.scene).as_of or "")  # the scene's, unless given
    state = replace(state, as_of=_read_as_of(as_of, problems))
    if "bearings" in query:
        shown = [b for b in query["bearings"].split(",") if b]
        problems += [
            f"unknown bearing '{b}': choose from {', '.join(BEARINGS)}"
            for b in shown
            if b not in BEARINGS
        ]
        state = replace(state, bearings=tuple(b for b in BEARINGS if b in shown))
    return replace(
        state,
        rings=_read_rings(query.get("rings", ""), problems),
        fans=_read_marks(query.get("fans", ""), "fan", _fan, problems),
        radials=_read_marks(query.get("radials", ""), "radials", _radials, problems),
        horizons=_read_marks(query.get("horizons", ""), "horizon", _horizon, problems),
    ), problems


def _read_as_of(text: str, problems: list[str]) -> str:
    """``"2017-03-01"`` → the same ISO date; ``"today"``, empty or bad → ``""`` (today)."""
    if text.strip().lower() in ("", "today"):
        return ""
    try:
        return laydown_date(text).isoformat()
    except InputError as exc:
        problems.append(str(exc))
        return ""


def _read_view(text: str | None, problems: list[str]) -> tuple[float, float, int] | None:
    """``"54.68720,25.27970,9"`` (lat, lon, zoom) → ``(lon, lat, zoom)``."""
    if not text:
        return None
    try:
        lat_text, lon_text, zoom_text = text.split(",")
        lat, lon, zoom = float(lat_text), float(lon_text), int(zoom_text)
    except ValueError:
        problems.append(f"view '{text}' is not 'lat,lon,zoom'")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 18):
        problems.append(f"view '{text}' is off the map (lat, lon, zoom 1-18)")
        return None
    return (lon, lat, zoom)


def _checked_choice(
    state: MapState,
    query: Mapping[str, str],
    key: str,
    allowed: tuple[str, ...],
    problems: list[str],
) -> MapState:
    value = query.get(key, getattr(state, key))
    if value not in allowed:
        problems.append(f"unknown {key} '{value}': choose one of {', '.join(allowed)}")
        return state
    return replace(state, **{key: value})


def _read_rings(text: str, problems: list[str]) -> tuple[UserRing, ...]:
    rings = []
    for item in (i for i in text.split("|") if i.strip()):
        place, _, radii = item.rpartition("@")
        try:
            rings.append(UserRing(place.strip(), parse_radii(radii)))
        except InputError as exc:
            problems.append(f"ring '{item}': {exc}")
    return tuple(rings)


def _numbers(text: str, count: int, what: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != count:
        raise GeoInputError(f"expected {count} numbers for {what}, got '{text}'")
    return values


def _fan(place: str, figures: str) -> UserFan:
    return UserFan(place, *_numbers(figures, 4, "azimuth, width, min km, max km"))


def _radials(place: str, figures: str) -> UserRadials:
    count, length, first = _numbers(figures, 3, "count, length km, first bearing")
    if not count.is_integer():
        raise GeoInputError(f"the number of radials must be whole, got {count:g}")
    return UserRadials(place, int(count), length, first)


def _horizon(place: str, figures: str) -> UserHorizon:
    height, target, refraction = [*figures.split(","), "", ""][:3]
    (height_m,) = _numbers(height, 1, "the height in metres")
    (target_m,) = _numbers(target or "0", 1, "the target's height in metres")
    return UserHorizon(place, height_m, target_m, refraction or "radar")


def _read_marks(text: str, what: str, read, problems: list[str]) -> tuple:
    """``place@figures|place@figures`` → marks; each unreadable one reported and dropped."""
    marks = []
    for item in (i for i in text.split("|") if i.strip()):
        place, _, figures = item.rpartition("@")
        try:
            if not place.strip():
                raise GeoInputError("no place before '@'")
            marks.append(read(place.strip(), figures))
        except InputError as exc:
            problems.append(f"{what} '{item}': {exc}")
    return tuple(marks)
