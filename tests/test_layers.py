"""Imports run one way: partners ← units ← programmes ← cnrs_intl (DESIGN.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("partners", "units", "programmes", "cnrs_intl")


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """Return the project apps a module imports, with the line, deferred imports
    inside functions included (they break the layering as much)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update((name.split(".")[0], node.lineno) for name in names)
    return found


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_an_app_never_imports_an_app_built_on_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    breaking = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for imported, line in imported_apps(path)
        if imported in above
    ]
    assert not breaking, "\n".join(breaking)


def test_the_check_sees_a_deferred_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from cnrs_intl.search import KINDS\n")
    assert ("cnrs_intl", 2) in imported_apps(module)
