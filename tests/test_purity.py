"""geo/ is pure computation: importing it (and layers' data side) never loads a UI library."""

import subprocess
import sys

from tests.conftest import ROOT

GEO_MODULES = [
    "geo.coords",
    "geo.data",
    "geo.errors",
    "geo.gazetteer",
    "geo.locate",
    "geo.measure",
    "geo.names",
    "geo.nearest",
    "geo.rings",
    "geo.territories",
]


def test_importing_geo_loads_neither_streamlit_nor_folium():
    code = (
        f"import sys; import {', '.join(GEO_MODULES)}; "
        "ui = ('streamlit', 'folium', 'streamlit_folium', 'branca'); "
        "bad = [m for m in ui if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_geo_module_is_listed_here():
    listed = {m.split(".")[1] for m in GEO_MODULES}
    present = {p.stem for p in (ROOT / "geo").glob("*.py")} - {"__init__"}
    assert present == listed
