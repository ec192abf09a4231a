"""The PNG export for slides: exact size, real content, metadata, a geodesic scale bar,
true north, literal text and clear errors."""

import datetime as dt
import math
import shutil
import socket

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pyproj import Proj

from exports import png_frame
from exports import png_image as png_export
from exports.formats import layer_frames
from exports.png_layout import legend, page
from geo.errors import ExportError, UnknownNameError
from layers.attribution import ATTRIBUTION
from layers.catalogue import CATALOGUE
from tests.conftest import ROOT

M_PER_UNIT = {"km": 1000.0, "mi": 1609.344, "nmi": 1852.0}  # international definitions
# Lines of these layers are drawn opaque in their catalogue colour.
COLOURED = [
    "suwalki_gap",
    "smolensk_gates",
    "astravets_rings",
    "vilnius_rings",
    "deployments",
    "polonez_range",
    "rivers",
]


def rgb(path):
    """The image's pixels as an (h, w, 3) uint8 array."""
    return np.asarray(Image.open(path).convert("RGB"))


def pixels_near(image, colour, *, tol=6):
    """How many pixels are within ``tol`` (per channel, of 255) of a hex colour."""
    target = np.round(np.array(to_rgb(colour)) * 255).astype(np.int16)
    return int((np.abs(image.astype(np.int16) - target).max(axis=2) <= tol).sum())


@pytest.fixture(scope="module")
def gap_frames():
    """Only the Suwalki gap: small and quick to draw."""
    return layer_frames(["suwalki_gap"])


@pytest.fixture(scope="module")
def gap_png(gap_frames, tmp_path_factory):
    """The Suwalki gap written once at the default size."""
    path = tmp_path_factory.mktemp("png") / "gap.png"
    png_export.write_png(path, gap_frames, title="Suwalki gap")
    return path


@pytest.fixture(scope="module")
def atlas_png(tmp_path_factory):
    """Every catalogue layer written once, in miles."""
    path = tmp_path_factory.mktemp("png") / "atlas.png"
    png_export.write_png(path, layer_frames(list(CATALOGUE)), title="Every layer", unit="mi")
    return path


@pytest.mark.parametrize(
    "size", [None, (1600, 1000), (2345, 1601), (1600, 2400)], ids=["default", "min", "odd", "tall"]
)
def test_png_is_exactly_the_size_asked_for(gap_frames, tmp_path, size):
    path = tmp_path / "map.png"
    kwargs = {} if size is None else {"width_px": size[0], "height_px": size[1]}
    png_export.write_png(path, gap_frames, title="Size", **kwargs)
    with Image.open(path) as img:
        assert img.format == "PNG"
        assert img.size == (size or (2000, 1250))
        assert img.size[0] >= 1600 and img.size[1] >= 1000


def test_all_layer_png_is_full_of_detail_in_every_layer_colour(atlas_png, gap_png):
    image, gap_only = rgb(atlas_png), rgb(gap_png)
    packed = image.astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.uint32)
    assert len(np.unique(packed)) > 2000  # not blank, not flat
    for layer_id in COLOURED:
        assert pixels_near(image, CATALOGUE[layer_id].style.color) > 300, layer_id
    assert pixels_near(gap_only, CATALOGUE["suwalki_gap"].style.color) > 300
    assert pixels_near(gap_only, CATALOGUE["smolensk_gates"].style.color) == 0  # not drawn


def test_png_metadata_holds_title_attribution_date_and_data_version(atlas_png):
    with Image.open(atlas_png) as img:
        text = img.text
    assert text["Title"] == "Every layer"
    assert text["Source"] == ATTRIBUTION
    assert png_export.data_version() in text["Description"]
    assert "unit: mi" in text["Description"]
    created = dt.date.fromisoformat(text["Creation Time"])
    assert abs((dt.date.today() - created).days) <= 1
    assert "Baltic Flank Atlas" in text["Software"]


@pytest.mark.parametrize("unit", ["km", "mi", "nmi"])
@pytest.mark.parametrize("layer_ids", [["suwalki_gap"], list(CATALOGUE), ["borders"]])
def test_scale_bar_is_its_labelled_length_along_the_geodesic(layer_ids, unit, wgs84):
    extent = png_frame.map_extent(layer_frames(layer_ids))
    transformer, (xmin, ymin, xmax, ymax) = png_frame.map_view(extent, 1.45)
    bar = png_frame.scale_bar((xmin, ymin, xmax, ymax), transformer, unit=unit)
    _, _, dist_m = wgs84.inv(bar.lons[0], bar.lats[0], bar.lons[1], bar.lats[1])
    assert dist_m == pytest.approx(bar.length * M_PER_UNIT[unit], rel=1e-3)
    assert bar.label == f"{bar.length:g} {unit}"
    mantissa = bar.length / 10 ** math.floor(math.log10(bar.length))
    assert mantissa in {1, 1.5, 2, 2.5, 3, 4, 5, 7.5}  # a round length
    assert 0.15 <= (bar.xs[1] - bar.xs[0]) / (xmax - xmin) <= 0.25
    # The drawn ends are those lon/lat in the map's projection (an independent PROJ).
    lon_0, lat_0 = png_frame.projection_centre(extent)
    laea = Proj(proj="laea", lon_0=lon_0, lat_0=lat_0, ellps="WGS84")
    xs, ys = laea(list(bar.lons), list(bar.lats))
    assert xs == pytest.approx(bar.xs, abs=0.01) and ys == pytest.approx([bar.y] * 2, abs=0.01)
    assert xmin < bar.xs[0] < xmin + 0.1 * (xmax - xmin)  # bottom-left
    assert ymin < bar.y < ymin + 0.1 * (ymax - ymin)


@pytest.mark.parametrize("lon, lat", [(20.0, 58.0), (40.0, 58.0), (30.0, 55.0), (23.5, 50.5)])
def test_north_arrow_points_to_true_north(lon, lat):
    """PROJ's meridian convergence is grid north's angle from true north (clockwise), so
    true north on the map is that angle the other way."""
    transformer = png_frame.laea(30.0, 55.0)
    convergence = Proj(proj="laea", lon_0=30, lat_0=55, ellps="WGS84").get_factors(lon, lat)
    expected = -convergence.meridian_convergence
    assert png_frame.north_angle_deg(lon, lat, transformer) == pytest.approx(expected, abs=0.01)


def test_north_leans_toward_the_centre_meridian_away_from_it():
    transformer = png_frame.laea(30.0, 55.0)
    assert png_frame.north_angle_deg(20.0, 58.0, transformer) > 3  # west: north leans right
    assert png_frame.north_angle_deg(40.0, 58.0, transformer) < -3  # east: it leans left


def test_extent_follows_the_strategic_layers_not_the_territories_of_europe():
    with_borders = layer_frames(["borders", "suwalki_gap"])
    assert png_frame.map_extent(with_borders) == pytest.approx(
        tuple(with_borders[CATALOGUE["suwalki_gap"]].total_bounds)
    )
    assert png_frame.map_extent(layer_frames(["borders", "rivers", "sites"])) == (
        19.0,
        50.0,
        33.0,
        58.0,
    )


@pytest.mark.parametrize(
    "title", ["<img src=x onerror=alert(1)> $\\alpha$", "cost $\\frac{ $5 \\ & {unclosed"]
)
def test_markup_and_dollar_signs_are_written_literally(gap_frames, tmp_path, title):
    frames = {
        CATALOGUE["astravets_rings"]: layer_frames(["astravets_rings"])[
            CATALOGUE["astravets_rings"]
        ].assign(
            name=title  # every feature, the labelled site too, has a hostile name
        ),
        **gap_frames,
    }
    path = tmp_path / "hostile.png"
    png_export.write_png(path, frames, title=title)  # mathtext would reject the second
    with Image.open(path) as img:
        assert img.text["Title"] == title


def test_legend_has_one_row_per_layer_with_its_title():
    frames = layer_frames(["suwalki_gap", "rivers", "sites", "borders"])
    _, _, panel = page(2000, 1250)
    legend(panel, frames, "notes")
    first, highlighted = panel.artists[:2]
    assert [t.get_text() for t in first.get_texts()] == [spec.title for spec in frames]
    assert [t.get_text() for t in highlighted.get_texts()] == ["Belarus", "Kaliningrad (Russia)"]


@pytest.mark.parametrize(
    "width, height", [(1599, 1250), (2000, 999), (8001, 2000), (2000, 8001), (0, 0)]
)
def test_sizes_out_of_range_are_refused_with_the_range(gap_frames, tmp_path, width, height):
    path = tmp_path / "bad.png"
    with pytest.raises(ExportError, match=r"1600–8000 px.*1000–8000 px \(default 2000×1250\)"):
        png_export.write_png(path, gap_frames, title="x", width_px=width, height_px=height)
    assert not path.exists()


def test_unknown_unit_and_missing_folder_are_refused(gap_frames, tmp_path):
    with pytest.raises(UnknownNameError, match="unknown unit 'furlong': choose one of km, mi, nmi"):
        png_export.write_png(tmp_path / "u.png", gap_frames, title="x", unit="furlong")
    with pytest.raises(ExportError, match=r"folder .*nowhere' does not exist"):
        png_export.write_png(tmp_path / "nowhere" / "m.png", gap_frames, title="x")


def test_png_is_drawn_without_the_network(gap_frames, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the PNG export tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    png_export.write_png(tmp_path / "offline.png", gap_frames, title="Offline")
    assert (tmp_path / "offline.png").stat().st_size > 50_000


def test_data_version_is_ten_hex_digits_and_stable():
    first = png_export.data_version()
    png_export.data_version.cache_clear()
    assert png_export.data_version() == first
    assert len(first) == 10 and all(c in "0123456789abcdef" for c in first)


def test_data_version_changes_with_any_data_byte_but_not_other_files(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setattr(png_export, "DATA_DIR", data)

    def version():
        png_export.data_version.cache_clear()
        return png_export.data_version()

    try:
        original = version()
        (data / "notes.txt").write_text("not data")
        assert version() == original
        with open(data / "sites.csv", "a", encoding="utf-8") as f:
            f.write("\n")
        changed = version()
        assert changed != original
        (data / "sites.csv").rename(data / "sites2.csv")
        assert version() not in {original, changed}
    finally:
        png_export.data_version.cache_clear()
