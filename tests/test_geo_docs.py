"""geo/'s public surface: every module says what it exports, and shows it in doctests.

The doctests themselves run with the suite (``--doctest-modules`` on ``geo`` in
pyproject.toml); this checks that none is missing.
"""

import ast
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1] / "geo"
MODULES = sorted(p for p in GEO.rglob("*.py") if p != GEO / "__init__.py")


def _exports(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == "__all__":
            return [ast.literal_eval(e) for e in node.value.elts]
    return None


def _is_exception(node: ast.ClassDef) -> bool:
    names = [b.id for b in node.bases if isinstance(b, ast.Name)]
    return any(n.endswith("Error") or n == "Exception" for n in names)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GEO.parent)))
def test_every_public_function_and_class_is_exported_with_examples(path):
    """Exception classes are one-liners; their module docstring holds the examples."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exports = _exports(tree)
    assert exports is not None, "no __all__"
    public = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    ]
    for node in public:
        assert node.name in exports, f"{node.name} is public but not in __all__"
        if isinstance(node, ast.ClassDef) and _is_exception(node):
            assert ">>>" in (ast.get_docstring(tree) or ""), "no examples of the errors"
            continue
        assert ">>>" in (ast.get_docstring(node) or ""), f"{node.name} has no Examples"
