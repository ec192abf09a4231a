"""Turn anything a user types for a location into a :class:`~geo.gazetteer.Place`."""

from __future__ import annotations

from geo.coords import format_dd, looks_like_coordinates, parse_coordinates
from geo.gazetteer import Place, gazetteer

__all__ = ["locate"]


def locate(text: str) -> Place:
    """Resolve a site name, alias, GeoNames city, coordinates or MGRS.

    Parameters
    ----------
    text : str
        For example ``"Vilnius"``, ``"Ostrovets"``, ``"54.6872, 25.2797"``,
        ``"54°41′14″N 25°16′47″E"`` or ``"35ULA8910661342"``.

    Returns
    -------
    Place
        The resolved place; typed coordinates have kind ``"point"``.

    Raises
    ------
    GeoInputError
        For malformed or out-of-range coordinates, or an unknown name (with the
        closest names in the message).

    Examples
    --------
    >>> locate("Vilnius").kind, locate("Ostrovets").name
    ('capital', 'Astravets')
    >>> place = locate("54.6872, 25.2797")
    >>> place.name, place.kind, (place.lon, place.lat)
    ('54.68720°N 25.27970°E', 'point', (25.2797, 54.6872))
    >>> locate("-90, 180").name  # the South Pole, on the antimeridian
    '90.00000°S 180.00000°E'
    """
    if looks_like_coordinates(text):
        lon, lat = parse_coordinates(text)
        return Place(format_dd(lon, lat), lon, lat, "point", "", "typed coordinates", "coordinates")
    return gazetteer().resolve(text)
