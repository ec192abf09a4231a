"""geo/ is pure computation: importing any of it never loads a UI library."""

import subprocess
import sys

from tests.conftest import ROOT

GEO_MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "geo").rglob("*.py")
    if p.parts[-2:] != ("geo", "__init__.py")
)
UI_LIBRARIES = ("streamlit", "folium", "streamlit_folium", "branca")


def test_importing_every_geo_module_loads_no_ui_library():
    assert len(GEO_MODULES) >= 10  # the glob found the package
    code = (
        f"import sys; import {', '.join(GEO_MODULES)}; "
        f"bad = [m for m in {UI_LIBRARIES!r} if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
