"""The dependency direction of STYLE.md: leaf libraries stay leaves, services never read the request."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports (at any depth in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["maps", "search_index"])
def test_leaf_libraries_import_neither_kb_nor_flask(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.split(".")[0] in ("kb", "flask"))
        for path in python_files(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_services_do_not_read_the_request():
    # request, g and flask.session can only be reached through these imports.
    def forbidden(module: str) -> bool:
        return module.split(".")[0] in ("flask", "werkzeug") or module.startswith("kb.views")

    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if forbidden(m))
        for path in python_files("kb/services")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_services_never_commit():
    offenders = [str(p.relative_to(ROOT)) for p in python_files("kb/services") if ".commit(" in p.read_text()]
    assert offenders == []


def test_views_hold_no_sql():
    offenders = [str(p.relative_to(ROOT)) for p in python_files("kb/views")
                 if "select(" in p.read_text() or "sqlalchemy" in imported_modules(p)]
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("def f():\n    from flask import request\n    import kb.db\n")
    assert {"flask", "kb.db"} <= imported_modules(sample)
