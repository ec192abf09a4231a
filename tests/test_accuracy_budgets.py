"""Issue #8's accuracy budgets A1–A4 hold on fixed seeds (bench/accuracy.py measures them).

Each check compares our figures with independent ones: ``pyproj.Geod`` called directly,
a brute force over densified boundaries, and Leaflet's own circle for comparison.
"""

import numpy as np
import pytest
import shapely

from bench import accuracy


@pytest.mark.parametrize(
    "check",
    [accuracy.a1_distances, accuracy.a2_rings, accuracy.a3_rings_anywhere, accuracy.a4_corridors],
    ids=["A1", "A2", "A3", "A4"],
)
def test_accuracy_budget_holds(check):
    result = check()
    assert result["holds"] == "yes", result


def test_the_leaflet_circle_baseline_is_leaflets_construction():
    """Its top is the radius in degrees of a 6,371 km sphere north of the centre, and it
    is symmetric about the centre's meridian, as L.Circle draws it."""
    lon, lat, r = 26.09, 54.76, 100_000.0
    outline = accuracy.leaflet_circle(lon, lat, r, n=4)  # east, north, west, south
    top = lat + np.degrees(r / accuracy.LEAFLET_EARTH_R)
    assert outline[1] == pytest.approx([lon, top], abs=1e-9)
    assert outline[0, 0] - lon == pytest.approx(lon - outline[2, 0], abs=1e-9)
    assert outline[0, 1] == pytest.approx(outline[2, 1], abs=1e-12)


def test_radial_error_measures_edges_as_well_as_vertices():
    """A square's vertices at the radius still sag at their edge midpoints."""
    lon, lat, r = 25.0, 55.0, 50_000.0
    vertices = np.array([accuracy.WGS84.fwd(lon, lat, az, r)[:2] for az in (0, 90, 180, 270)])
    assert accuracy.radial_error(lon, lat, r, vertices) > 0.25  # the midpoints lie ~30% in
    ring = shapely.get_coordinates(accuracy.ring(lon, lat, r).exterior)[:-1]
    assert accuracy.radial_error(lon, lat, r, ring) < 1e-4
