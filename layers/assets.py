"""Leaflet and jQuery from our own pinned copies instead of public CDNs.

``make`` installs ``assets/package.json`` (npm, with its lockfile) and copies the
files into ``static/vendor``; Streamlit serves that folder at ``/app/static``. Only
what our maps use is loaded: Bootstrap, Font Awesome and awesome-markers are dropped.
"""

from __future__ import annotations

from pathlib import Path

import folium

VENDOR_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"
APP_VENDOR_URL = "/app/static/vendor"
VENDOR_JS = {"leaflet": "leaflet/leaflet.js", "jquery": "jquery/jquery.min.js"}
VENDOR_CSS = {"leaflet_css": "leaflet/leaflet.css"}


def missing_assets() -> list[str]:
    """Vendor files that are not installed (empty when ``make`` has run)."""
    wanted = [*VENDOR_JS.values(), *VENDOR_CSS.values()]
    return [p for p in wanted if not (VENDOR_DIR / p).is_file()]


def use_vendor_assets(fmap: folium.Map, base_url: str = APP_VENDOR_URL) -> folium.Map:
    """Point a map's JavaScript and CSS at our vendored copies.

    Parameters
    ----------
    fmap : folium.Map
        The map to change (in place; it is also returned).
    base_url : str, optional
        Where ``static/vendor`` is served; the app's default is ``/app/static/vendor``.

    Returns
    -------
    folium.Map
        The same map.
    """
    fmap.default_js = [(name, f"{base_url}/{path}") for name, path in VENDOR_JS.items()]
    fmap.default_css = [(name, f"{base_url}/{path}") for name, path in VENDOR_CSS.items()]
    return fmap
