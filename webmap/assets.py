"""Front-end files: vendored Leaflet and plugins, and our own scripts and element templates.

Vendored: ``make`` installs ``assets/package.json`` (npm, with its lockfile) and copies
the files into ``static/vendor``; Streamlit serves that folder at ``/app/static``. Only
what our maps use is loaded: Bootstrap, Font Awesome and awesome-markers are dropped.
jQuery stays in the app (folium lists it for every map), but exported pages leave it out:
folium's ``Popup`` builds popups with it, our layers' popups are built by our own script
(``webmap/js/atlas-geo.js``), and nothing else on the page uses it.

folium elements list their files as ``(name, url)`` pairs in ``default_js`` and
``default_css`` (streamlit-folium reads those too); :func:`use_vendor_assets` swaps
every URL in a map for our copy of the file with the same name.

Ours: the JavaScript we write lives in ``webmap/js`` (read by :func:`own_js`; exports
inline it from there) and the scripts of our folium elements in ``webmap/templates``
(Jinja, read by :func:`element_template`). ``make`` copies ``webmap/js`` to
``static/atlas``, from where the app loads the runtime (:data:`OWN_JS`);
:func:`missing_assets` reports a copy that is missing or out of date.
"""

from __future__ import annotations

import base64
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.errors import DataFileError

_HERE = Path(__file__).resolve().parent
VENDOR_DIR = _HERE.parent / "static" / "vendor"
APP_VENDOR_URL = "/app/static/vendor"
JS_DIR = _HERE / "js"  # our scripts (sources)
TEMPLATE_DIR = _HERE / "templates"  # our elements' Jinja templates
SERVED_JS_DIR = _HERE.parent / "static" / "atlas"  # the copy of JS_DIR the app serves
APP_JS_URL = "/app/static/atlas"
# Our scripts that an element may list in its default_js: folium name -> file in JS_DIR.
OWN_JS = {"atlas_geo_js": "atlas-geo.js", "atlas_app_js": "atlas-app.js"}
# folium's name for each file -> its path under static/vendor (see the Makefile's $(ASSETS)).
VENDOR_JS = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "Control.Fullscreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control_MiniMap_js": "leaflet-minimap/Control.MiniMap.min.js",
    "Control_MousePosition_js": "leaflet-mouse-position/L.Control.MousePosition.js",
    "mgrs_js": "mgrs/mgrs.min.js",
}
VENDOR_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "Control_MiniMap_css": "leaflet-minimap/Control.MiniMap.min.css",
    "Control_MousePosition_css": "leaflet-mouse-position/L.Control.MousePosition.css",
}
# folium.Map defaults our maps do not use: no Bootstrap widgets, no awesome-markers icons.
DROPPED = frozenset(
    {
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)
_CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def missing_assets(*, served: bool = True) -> list[str]:
    """Front-end files the app needs that are not installed (empty when ``make`` has run).

    Parameters
    ----------
    served : bool, optional
        Also check the app's copies of our own scripts in ``static/atlas`` (the default).
        Exports inline those from ``webmap/js`` and pass False.

    Returns
    -------
    list of str
        Paths under ``static/vendor``: the files of :data:`VENDOR_JS` and
        :data:`VENDOR_CSS`, and the images those stylesheets refer to; then
        ``static/atlas/<file>`` for each script of ``webmap/js`` whose copy is missing,
        with `` (out of date)`` when the copy differs from its source.
    """
    wanted = [*VENDOR_JS.values(), *VENDOR_CSS.values()]
    missing = [p for p in wanted if _stamp(VENDOR_DIR / p) is None]
    for css in VENDOR_CSS.values():
        if (stamp := _stamp(VENDOR_DIR / css)) is not None:
            refs = _settled(_css_references, css, stamps=(stamp,))
            missing += [p for p in refs if _stamp(VENDOR_DIR / p) is None]
    return missing + (_stale_copies() if served else [])


# The app checks its assets on every rerun: a file is read again only when its stamp
# changed (a stat each is about a third of reading them all), or when it changed so lately
# that a second change could leave the same stamp (file times advance by the kernel's clock
# tick, not by the nanosecond; git calls such entries "racily clean"). The stamp holds the
# inode and the change time as git's index does: a copy that kept its source's
# modification time (cp -p, rsync -t) still changes them.
_SETTLED_NS = 2 * 10**9

_Stamp = tuple[int, int, int, int]  # st_ino, st_size, st_mtime_ns, st_ctime_ns


def _settled(cached: Callable, *args: Any, stamps: tuple[_Stamp, ...]) -> Any:
    """``cached(*args, stamps)``: from its cache only if no stamped file changed lately."""
    now = time.time_ns()
    fresh = any(now - stamp[3] < _SETTLED_NS for stamp in stamps)
    return (cached.__wrapped__ if fresh else cached)(*args, stamps)


def _stamp(path: Path) -> _Stamp | None:
    """A regular file's stamp; None if it is not one."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@lru_cache(maxsize=32)
def _css_references(css: str, stamps: tuple) -> tuple[str, ...]:
    return tuple(css_references(css))


@lru_cache(maxsize=64)
def _same_bytes(a: Path, b: Path, stamps: tuple) -> bool:
    return a.read_bytes() == b.read_bytes()


def _stale_copies() -> list[str]:
    """Our scripts whose copy in ``static/atlas`` is missing or differs from ``webmap/js``."""
    out = []
    for source in sorted(JS_DIR.glob("*.js")):
        copy = SERVED_JS_DIR / source.name
        name = f"static/atlas/{source.name}"
        stamps = (_stamp(source), _stamp(copy))
        if stamps[1] is None:
            out.append(name)
        elif stamps[0] is None or not _settled(_same_bytes, source, copy, stamps=stamps):
            out.append(f"{name} (out of date)")
    return out


def css_references(css: str) -> list[str]:
    """Files a vendored stylesheet loads with ``url(...)``, as paths under ``static/vendor``.

    Parameters
    ----------
    css : str
        The stylesheet's path under ``static/vendor`` (it must exist).

    Returns
    -------
    list of str
        Relative references resolved against the stylesheet's folder; ``data:`` URIs
        and absolute URLs are left out.
    """
    folder = Path(css).parent
    text = (VENDOR_DIR / css).read_text(encoding="utf-8")
    refs = [m.split("#")[0].split("?")[0] for m in _CSS_URL_RE.findall(text)]
    return [
        (folder / ref).as_posix()
        for ref in dict.fromkeys(refs)
        if ref and not ref.startswith(("data:", "/", "http:", "https:"))
    ]


def vendor_links(
    links: list[tuple[str, str]], table: dict[str, str], base_url: str = APP_VENDOR_URL
) -> list[tuple[str, str]]:
    """folium ``(name, url)`` links with each URL replaced by our copy of that file.

    Parameters
    ----------
    links : list of (str, str)
        An element's ``default_js`` or ``default_css``.
    table : dict of str to str
        :data:`VENDOR_JS` or :data:`VENDOR_CSS`.
    base_url : str, optional
        Where ``static/vendor`` is served.

    Returns
    -------
    list of (str, str)
        The links, without the :data:`DROPPED` ones; links to our own scripts
        (:data:`OWN_JS`, served from ``static/atlas``) are kept as they are.

    Raises
    ------
    DataFileError
        For a file we do not vendor: offline it would fail silently and can blank the map.
    """
    out = []
    for name, url in links:
        if name in DROPPED:
            continue
        if name in OWN_JS:
            out.append((name, url))
            continue
        if name not in table:
            raise DataFileError(
                f"map asset '{name}' ({url}) is not vendored: add its npm package to "
                "assets/package.json, its files to the Makefile's $(ASSETS) recipe and "
                f"its name to webmap.assets; vendored: {', '.join(table)}"
            )
        out.append((name, f"{base_url}/{table[name]}"))
    return out


def elements(element: Element) -> Iterator[Element]:
    """An element and everything in it, depth first: the order in which streamlit-folium
    collects a map's scripts and stylesheets."""
    yield element
    for child in element._children.values():
        yield from elements(child)


def use_vendor_assets(fmap: folium.Map, base_url: str = APP_VENDOR_URL) -> folium.Map:
    """Point the JavaScript and CSS of a map and of every element in it at our copies.

    Call it again after adding plugins; it is idempotent. Each element gets its own
    lists (folium's class-level defaults are left alone).

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

    Raises
    ------
    DataFileError
        If an element needs a file we do not vendor (see :func:`vendor_links`).
    """
    for element in elements(fmap):
        if isinstance(element, JSCSSMixin):
            element.default_js = vendor_links(element.default_js, VENDOR_JS, base_url)
            element.default_css = vendor_links(element.default_css, VENDOR_CSS, base_url)
    return fmap


BUNDLE_NAME = "atlas_bundle"  # the one script the app's map loads (bundle_scripts)


def _local_file(url: str) -> Path | None:
    """The file behind one of our script URLs (vendored or ours), or None."""
    for prefix, folder in ((APP_VENDOR_URL, VENDOR_DIR), (APP_JS_URL, SERVED_JS_DIR)):
        if url.startswith(prefix + "/"):
            return folder / url[len(prefix) + 1 :]
    return None


@lru_cache(maxsize=8)
def _bundle_text(files: tuple[tuple[str, int, int], ...]) -> str:
    """The scripts ``files`` (path, mtime, size) joined in order, without source-map links."""
    texts = [_SOURCE_MAP_RE.sub("", Path(f).read_text(encoding="utf-8")) for f, _, _ in files]
    return "\n;\n".join(texts)


def bundle_scripts(fmap: folium.Map, publish: Callable[[str, str], str]) -> folium.Map:
    """Have a map load all its scripts as one file, in the order they would load.

    streamlit-folium loads a map's scripts (every element's ``default_js``, the map's
    first, then its children's) one after another, each waiting for the one before: eight
    round trips before the map can be drawn. This joins the same files in the same order
    into one (made once per set of files), which ``publish`` serves; the map then lists
    only that one. If a file is missing, the map is left as it is (the app reports it:
    :func:`missing_assets`).

    Parameters
    ----------
    fmap : folium.Map
        The app's map, after :func:`use_vendor_assets` (changed in place, returned).
    publish : callable
        ``publish(text, suffix) -> url``: serves the joined scripts
        (:func:`webmap.served.served_url`).

    Returns
    -------
    folium.Map
        The same map.
    """
    scripted = [e for e in elements(fmap) if isinstance(e, JSCSSMixin)]
    urls = list(dict.fromkeys(url for e in scripted for _, url in e.default_js))
    files = [_local_file(url) for url in urls]
    if not files or any(f is None or not f.is_file() for f in files):
        return fmap
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    url = publish(_bundle_text(key), ".js")
    for element in scripted:
        element.default_js = []
    fmap.default_js = [(BUNDLE_NAME, url)]
    return fmap


_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}
_SOURCE_MAP_RE = re.compile(r"^\s*//# sourceMappingURL=\S+\s*$", re.MULTILINE)


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise DataFileError(f"cannot inline '{path.name}': no MIME type for '{path.suffix}'")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(css: str) -> str:
    """A vendored stylesheet's text with every ``url(...)`` it loads as a ``data:`` URI.

    Parameters
    ----------
    css : str
        The stylesheet's path under ``static/vendor``.

    Returns
    -------
    str
        The stylesheet, self-contained.
    """
    folder = (VENDOR_DIR / css).parent

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        if ref.startswith(("/", "http:", "https:")):
            raise DataFileError(f"'{css}' loads '{ref}' from outside static/vendor")
        return f'url("{_data_uri(folder / ref.split("#")[0].split("?")[0])}")'

    text = _CSS_COMMENT_RE.sub("", (VENDOR_DIR / css).read_text(encoding="utf-8"))
    return _CSS_URL_RE.sub(replace, _squeezed(text))


# Comments in a stylesheet, except "/*! ... */" ones (licences, kept by convention).
_CSS_COMMENT_RE = re.compile(r"/\*(?!!).*?\*/", re.DOTALL)
_CSS_STRING_RE = re.compile(r"(\"[^\"]*\"|'[^']*')")
_CSS_SPACE_RE = re.compile(r"\s*([{};])\s*")


def _squeezed(css: str) -> str:
    """A stylesheet without the white space around ``{``, ``}`` and ``;`` outside strings,
    which never means anything there: 1.3 KB less of Leaflet's in every exported page.

    Examples
    --------
    >>> _squeezed('a { b: "x ; y" ;  c: d }')
    'a{b: "x ; y";c: d}'
    """
    parts = _CSS_STRING_RE.split(css)
    return "".join(p if i % 2 else _CSS_SPACE_RE.sub(r"\1", p) for i, p in enumerate(parts))


def inline_js(js: str) -> str:
    """A vendored script's text, safe inside ``<script>`` and without source-map links."""
    text = (VENDOR_DIR / js).read_text(encoding="utf-8")
    return _SOURCE_MAP_RE.sub("", text).replace("</script", "<\\/script")


def inline_assets(html: str, base_url: str, *, drop: Iterable[str] = ()) -> str:
    """Replace a page's links to our vendored files with the files' contents.

    Parameters
    ----------
    html : str
        A page rendered by folium after :func:`use_vendor_assets` with ``base_url``.
    base_url : str
        The prefix its script and stylesheet links were given.
    drop : iterable of str, optional
        Names in :data:`VENDOR_JS` of scripts the page does not need: their links are
        removed instead.

    Returns
    -------
    str
        The page with ``<script>`` and ``<style>`` elements instead of links.

    Raises
    ------
    DataFileError
        If a link to ``base_url`` is left over (a file this module does not know).
    """
    dropped = set(drop)
    for name, path in VENDOR_JS.items():
        tag = f'<script src="{base_url}/{path}"></script>'
        if tag in html:
            html = html.replace(
                tag, "" if name in dropped else f"<script>{inline_js(path)}</script>"
            )
    for path in VENDOR_CSS.values():
        tag = f'<link rel="stylesheet" href="{base_url}/{path}"/>'
        if tag in html:
            html = html.replace(tag, f"<style>{inline_css(path)}</style>")
    if base_url in html:
        start = html.index(base_url)
        raise DataFileError(f"a link was not inlined: {html[max(0, start - 40) : start + 80]!r}")
    return html


# A header comment at the very start of one of our scripts: documentation, not page bytes.
_HEADER_COMMENT_RE = re.compile(r"\A\s*/\*.*?\*/", re.DOTALL)
_JINJA_RE = re.compile(r"\{[{%#]")


def own_js(name: str) -> str:
    """One of our scripts from ``webmap/js``, as a page carries it.

    Parameters
    ----------
    name : str
        Its file name, e.g. ``atlas-geo.js``.

    Returns
    -------
    str
        The code without the file's header comment and surrounding blank lines, safe
        inside ``<script>``.

    Raises
    ------
    DataFileError
        If the code holds Jinja syntax (``{{``, ``{%``, ``{#``): branca compiles a page's
        scripts as templates, so it would break or run.

    Examples
    --------
    >>> own_js("atlas-geo.js").startswith("window.atlasGeo = ")
    True
    """
    text = (JS_DIR / name).read_text(encoding="utf-8")
    code = _HEADER_COMMENT_RE.sub("", text, count=1).strip()
    found = _JINJA_RE.search(code)
    if found:
        raise DataFileError(
            f"webmap/js/{name} holds Jinja syntax {found.group(0)!r} at character "
            f"{found.start()}: put a space inside it ('{found.group(0)[0]} {found.group(0)[1]}')"
        )
    return code.replace("</script", "<\\/script")


def element_template(name: str) -> Template:
    """The Jinja template of one of our folium elements, from ``webmap/templates``.

    Parameters
    ----------
    name : str
        Its file name, e.g. ``legend.js.j2``: ``header`` and ``script`` macros, as a
        folium ``MacroElement`` template has.

    Returns
    -------
    folium.template.Template
        With folium's filters (``tojavascript``, ...).
    """
    return Template((TEMPLATE_DIR / name).read_text(encoding="utf-8"))
