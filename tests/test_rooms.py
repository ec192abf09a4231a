"""One room per concern: what each package may import, no cycles, a thin page.

Rooms, bottom to top: ``geo`` (pure computation) → ``layers`` (what a layer is) →
``webmap`` (the browser) → ``exports`` (files) → ``ui`` (Streamlit) → ``app.py`` and
``cli.py``. A room imports only rooms below it, and only the libraries its concern needs.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

ROOMS = ("geo", "layers", "webmap", "exports", "ui")
# What each room may import of the project (itself included).
MAY_IMPORT = {
    "geo": {"geo"},
    "layers": {"geo", "layers"},
    "webmap": {"geo", "layers", "webmap"},
    "exports": {"geo", "layers", "webmap", "exports"},
    "ui": {"geo", "layers", "webmap", "exports", "ui"},
}
# Libraries a room must never load, even through another module.
FORBIDDEN = {
    "geo": ("streamlit", "streamlit_folium", "folium", "branca", "matplotlib"),
    "layers": ("streamlit", "streamlit_folium", "folium", "branca", "matplotlib"),
    "webmap": ("streamlit", "streamlit_folium", "matplotlib"),
    "exports": ("streamlit", "streamlit_folium"),
}
JS_FUNCTION = re.compile(r"\bfunction\s*[\w$]*\s*\([\w$,\s]*\)\s*\{|\)\s*=>\s*\{")


def modules(room: str) -> dict[str, Path]:
    """Module name → file, for every module of a room."""
    return {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in sorted((ROOT / room).rglob("*.py"))
    }


def project_imports(path: Path) -> set[str]:
    """Project modules a file imports, anywhere in it (functions and TYPE_CHECKING too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {n for n in names if n.split(".")[0] in ROOMS}
    return found


def all_modules() -> dict[str, Path]:
    return {name: path for room in ROOMS for name, path in modules(room).items()}


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_imports_only_the_rooms_below_it(room):
    wrong = {
        f"{name} imports {target}"
        for name, path in modules(room).items()
        for target in project_imports(path)
        if target.split(".")[0] not in MAY_IMPORT[room]
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_a_room_loads_none_of_the_libraries_outside_its_concern(room):
    names = sorted(modules(room))
    code = (
        f"import sys; import {', '.join(names)}; "
        f"bad = [m for m in {FORBIDDEN[room]!r} if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_no_module_imports_itself_through_others():
    known = all_modules()
    graph = {
        name: {t for t in project_imports(path) if t in known and t != name}
        for name, path in known.items()
    }
    # Importing a package runs its __init__: a submodule depends on its parents too.
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def test_the_page_is_thin():
    assert len((ROOT / "app.py").read_text(encoding="utf-8").splitlines()) < 150


def test_no_python_file_carries_a_javascript_function_in_a_string():
    files = [ROOT / "app.py", ROOT / "cli.py", *all_modules().values()]
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and JS_FUNCTION.search(node.value)
    ]
    assert not found, found
