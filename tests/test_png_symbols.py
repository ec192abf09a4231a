"""Unit symbols on the PNG: milsymbol's drawing, in its colours, anchored on the unit, at a
fixed pixel size, the same as node's milsymbol, with clear errors and a process that exits.

Expected colours are milsymbol 3.0.4's "Light" fills (its default colour mode), read from
its source, not from our code: hostile rgb(255,128,128), friend rgb(128,224,255),
neutral rgb(170,255,170).
"""

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import layers.symbols
from exports.png_symbols import draw_symbols, symbol_image
from geo.errors import DataFileError, GeoInputError
from layers.symbols import symbol
from tests.conftest import ROOT

HOSTILE_REGIMENT = "10061000171211020000"  # hostile mechanized infantry regiment
FRIENDLY_INFANTRY = "10031000001211000000"  # friendly infantry, no echelon
NEUTRAL = "10041000181303004100"  # neutral, brigade (echelon 18)
CIVIL_AFFAIRS = "10031000001102000000"  # friendly civil affairs: an icon of letters, "CA"
LIGHT_FILL = {
    HOSTILE_REGIMENT: (255, 128, 128),
    FRIENDLY_INFANTRY: (128, 224, 255),
    NEUTRAL: (170, 255, 170),
}
SIZE_PX = 40.0
VENDORED = "static/vendor/milsymbol/milsymbol.js"  # from the repository's root


def dominant_colour(rgba):
    """The most frequent colour among the fully opaque pixels."""
    opaque = rgba[rgba[..., 3] == 255][:, :3]
    colours, counts = np.unique(opaque, axis=0, return_counts=True)
    return tuple(int(c) for c in colours[np.argmax(counts)])


def box_centre(mask):
    """(x, y) of the centre of the pixels' bounding box, pixel centres at +0.5."""
    rows, cols = np.nonzero(mask)
    return (cols.min() + cols.max() + 1) / 2, (rows.min() + rows.max() + 1) / 2


def is_colour(rgb, colour):
    return np.all(rgb[..., :3] == np.array(colour, dtype=np.uint8), axis=-1)


@pytest.mark.parametrize("sidc", sorted(LIGHT_FILL))
def test_a_symbol_is_filled_with_milsymbols_light_colour_for_its_side(sidc):
    assert dominant_colour(symbol_image(sidc, SIZE_PX).rgba) == LIGHT_FILL[sidc]


@pytest.mark.parametrize("sidc", sorted(LIGHT_FILL))
def test_the_anchor_is_inside_the_image_at_the_centre_of_the_frame(sidc):
    image = symbol_image(sidc, SIZE_PX)
    height, width = image.rgba.shape[:2]
    x, y = image.anchor
    assert 0 <= x <= width and 0 <= y <= height
    # The frame's fill is symmetric about the unit's position (rectangle, diamond, square).
    cx, cy = box_centre(is_colour(image.rgba, LIGHT_FILL[sidc]))
    assert abs(x - cx) <= 1.0 and abs(y - cy) <= 1.0


@pytest.mark.parametrize("sidc", [*sorted(LIGHT_FILL), CIVIL_AFFAIRS])
@pytest.mark.parametrize("size_px", [20.0, 26.0, 45.83])
def test_the_raster_has_the_svgs_size_in_whole_pixels(sidc, size_px):
    root = ET.fromstring(symbol(sidc, size_px).svg)
    width, height = float(root.get("width")), float(root.get("height"))
    rgba = symbol_image(sidc, size_px).rgba
    assert rgba.dtype == np.uint8 and rgba.shape == (round(height), round(width), 4)
    # Rounding moves each side by half a pixel at most: the aspect ratio barely changes.
    assert rgba.shape[1] / rgba.shape[0] == pytest.approx(
        width / height, rel=0.5 / height + 0.5 / width
    )


def test_the_frame_grows_with_the_size():
    small, large = (symbol_image(FRIENDLY_INFANTRY, s).rgba for s in (20.0, 60.0))
    assert large.shape[0] == pytest.approx(3 * small.shape[0], abs=1)


def test_an_icon_of_letters_is_drawn_not_dropped():
    """Civil affairs' "CA": without a font for milsymbol's Arial, the frame would be empty."""
    rgba = symbol_image(CIVIL_AFFAIRS, SIZE_PX).rgba
    empty = symbol_image("10031000001100000000", SIZE_PX).rgba  # the same frame, no icon
    dark = [
        int((r[..., 3] > 128).sum() - is_colour(r, LIGHT_FILL[FRIENDLY_INFANTRY]).sum())
        for r in (rgba, empty)
    ]
    assert dark[0] > dark[1] + 50


def test_an_image_is_cached_and_read_only():
    image = symbol_image(HOSTILE_REGIMENT, SIZE_PX)
    assert symbol_image(HOSTILE_REGIMENT, SIZE_PX) is image
    with pytest.raises(ValueError, match="read-only"):
        image.rgba[0, 0, 0] = 1


@pytest.mark.parametrize(
    ("sidc", "why"),
    [
        ("10061000179999990000", "cannot draw"),  # no such entity
        ("10061000171211020099", "cannot draw"),  # no such second modifier
        ("SHGPUCIZ--*****", "not 20 digits"),  # a 2525C letter code
        ("10069900001211020000", "symbol set 99"),
    ],
)
def test_a_sidc_milsymbol_cannot_draw_is_an_error_naming_it(sidc, why):
    with pytest.raises(GeoInputError, match=rf"{sidc.replace('*', '[*]')}.*{why}"):
        symbol_image(sidc, SIZE_PX)


def test_a_missing_milsymbol_is_a_data_error_naming_make(monkeypatch, tmp_path):
    """No V8 context yet and no milsymbol.js (a size no other test draws: nothing cached)."""
    monkeypatch.setattr(layers.symbols, "MILSYMBOL_JS", tmp_path / "milsymbol.js")
    monkeypatch.setattr(layers.symbols, "_CONTEXT", [])
    with pytest.raises(DataFileError, match=r"milsymbol\.js is missing.*make"):
        symbol_image(HOSTILE_REGIMENT, 17.25)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_svg_size_and_anchor_are_node_milsymbols():
    """The vendored file run by node: its SVG is ours, and the raster is its size and anchor."""
    sidcs, size = [*sorted(LIGHT_FILL), CIVIL_AFFAIRS], 45.83
    script = (
        f"var ms = require('./{VENDORED}');"
        f"var out = {json.dumps(sidcs)}.map(s => new ms.Symbol(s, {{size: {size}}}));"
        "console.log(JSON.stringify(out.map(s => [s.isValid(), s.asSVG(), s.getSize(),"
        " s.getAnchor()])));"
    )
    run = subprocess.run(
        ["node", "-e", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for sidc, (valid, svg, size_of, anchor) in zip(sidcs, json.loads(run.stdout), strict=True):
        image = symbol_image(sidc, size)
        assert valid and symbol(sidc, size).svg == svg, sidc
        w_px, h_px = round(size_of["width"]), round(size_of["height"])
        assert image.rgba.shape[:2] == (h_px, w_px), sidc
        assert image.anchor == pytest.approx(
            (anchor["x"] * w_px / size_of["width"], anchor["y"] * h_px / size_of["height"])
        )


def render(x_max, *, at=(0.3, 0.7), sidcs=(HOSTILE_REGIMENT,)):
    """Symbols drawn at ``at`` (fractions of the axes) on white axes spanning 0..x_max ×
    0..100, inside a 4 × 3 in figure at 100 dpi: the figure's pixels, the point's pixel
    (x right, y down), the artists, and the axes' right edge in pixels."""
    fig = Figure(figsize=(4, 3), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, x_max)
    ax.set_ylim(0, 100)
    ax.set_axis_off()
    n, point = len(sidcs), (at[0] * x_max, at[1] * 100)
    artists = draw_symbols(ax, [point[0]] * n, [point[1]] * n, sidcs, size_pt=14.3, zorder=4)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    x, y = ax.transData.transform(point)
    return pixels, (x, fig.bbox.height - y), artists, ax.bbox.x1


@pytest.mark.parametrize("x_max", [100.0, 1000.0])
def test_a_drawn_symbol_sits_with_its_anchor_on_the_point(x_max):
    pixels, (x, y), artists, _ = render(x_max)
    assert len(artists) == 1
    cx, cy = box_centre(is_colour(pixels, LIGHT_FILL[HOSTILE_REGIMENT]))
    assert abs(cx - x) <= 1.0 and abs(cy - y) <= 1.0


def test_a_drawn_symbol_keeps_its_pixel_size_whatever_the_map_scale():
    """Drawn 1:1: the raster's fill pixels, no more and no fewer, at two map scales."""
    raster = symbol_image(HOSTILE_REGIMENT, round(14.3 * 100 / 72, 2)).rgba
    fill = int(is_colour(raster, LIGHT_FILL[HOSTILE_REGIMENT]).sum())
    counts = [
        int(is_colour(render(m)[0], LIGHT_FILL[HOSTILE_REGIMENT]).sum()) for m in (100.0, 1000.0)
    ]
    assert counts == [fill, fill]


def test_a_symbol_past_the_map_edge_is_clipped_to_the_map():
    pixels, _, _, right = render(100.0, at=(1.0, 0.5))  # on the right edge: half of it outside
    fill = is_colour(pixels, LIGHT_FILL[HOSTILE_REGIMENT])
    assert fill.sum() > 0 and np.nonzero(fill)[1].max() <= right
    whole = int(is_colour(render(100.0)[0], LIGHT_FILL[HOSTILE_REGIMENT]).sum())
    assert 0.4 * whole < fill.sum() < 0.65 * whole  # about half, the edge's column in


def test_no_units_draw_nothing_and_a_bad_one_draws_none():
    assert render(100.0, sidcs=())[2] == []
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    with pytest.raises(GeoInputError, match="10061000179999990000"):
        draw_symbols(
            ax, [1, 2], [1, 2], [HOSTILE_REGIMENT, "10061000179999990000"], size_pt=14.3, zorder=4
        )
    assert len(ax.artists) == 0


def test_processes_that_drew_a_symbol_exit():
    """V8 is torn down before Python finalises: left to the garbage collector, mini-racer
    0.14.1 can wait forever on a thread already gone, most often on a busy machine (here
    four processes at once on two cores hung 7 times in 12)."""
    code = f"from exports.png_symbols import symbol_image; symbol_image({HOSTILE_REGIMENT!r}, 26.0)"
    runs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    hung = 0
    for run in runs:
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            run.kill()
            run.wait()
            hung += 1
    assert hung == 0, f"{hung} of {len(runs)} processes hung at exit after drawing a symbol"
    assert [run.returncode for run in runs] == [0] * len(runs), [r.stderr.read() for r in runs]
