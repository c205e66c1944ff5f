"""The dependency direction of STYLE.md: leaf libraries stay leaves, services never read the request,
views hold no SQL, and no relative or dynamic import slips past these checks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kb", "maps", "search_index")
# What only a request has: its state (request, g, flask.session, current_user) and the request's session.
REQUEST_STATE = ("flask", "werkzeug", "flask_login", "flask_wtf", "kb.views", "kb.auth", "kb.db.get_session",
                 "kb.db.commit")
SQL_CALLS = {"select", "text"}  # select(...), text(...), also as sqlalchemy.select(...)
SQL_METHODS = {"query"}  # session.query(...)
SQL_MODULES = ("sqlalchemy", "sqlmodel")


def _dotted(node: ast.AST) -> str | None:
    """'a.b.c' for a Name or a chain of Attributes, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def imported_names(path: Path) -> set[str]:
    """Every dotted name a file reaches through its imports, at any depth in the file.

    ``from kb.db import get_session`` gives "kb.db" and "kb.db.get_session"; ``from kb import db`` then
    ``db.get_session()`` gives "kb.db.get_session" too. A relative import is kept as ".name" (or "."),
    and ``importlib`` / ``__import__`` appear as such, so no import can hide.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.name)
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                    alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names.add(module)
            for alias in node.names:
                full = f"{module}.{alias.name}" if node.module else f"{module}{alias.name}"
                names.add(full)
                aliases[alias.asname or alias.name] = full
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            names.add("__import__")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (dotted := _dotted(node)):
            head, _, rest = dotted.partition(".")
            if head in aliases:
                names.add(f"{aliases[head]}.{rest}")
    return names


def imported_modules(path: Path) -> set[str]:
    """Names of the modules a file imports (absolute imports only; see `dodged_imports` for the rest)."""
    return {name for name in imported_names(path) if not name.startswith(".") and name != "__import__"}


def reaches(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    """The names that are, or live under, one of `forbidden`."""
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


def dodged_imports(path: Path) -> list[str]:
    """Relative imports and dynamic ones (importlib, __import__), which the other checks cannot follow."""
    return sorted(n for n in imported_names(path)
                  if n.startswith(".") or n == "__import__" or n.split(".")[0] == "importlib")


def sql_in(path: Path) -> list[str]:
    """SQL a file builds or runs itself: select(...), text(...), .query(...), or SQLAlchemy/SQLModel imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"import {n}" for n in sorted(imported_modules(path)) if n.split(".")[0] in SQL_MODULES]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in SQL_CALLS:
            found.append(f"{func.id}( line {node.lineno}")
        elif isinstance(func, ast.Attribute) and (func.attr in SQL_METHODS or func.attr in SQL_CALLS):
            found.append(f".{func.attr}( line {node.lineno}")
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _offenders(package: str, check) -> dict[str, list[str]]:
    found = {str(path.relative_to(ROOT)): check(path) for path in python_files(package)}
    return {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("package", ["maps", "search_index"])
def test_leaf_libraries_import_neither_kb_nor_flask(package):
    assert _offenders(package, lambda p: reaches(imported_modules(p), ("kb", "flask"))) == {}


def test_services_do_not_read_the_request():
    assert _offenders("kb/services", lambda p: reaches(imported_modules(p), REQUEST_STATE)) == {}


def test_services_never_commit():
    offenders = [str(p.relative_to(ROOT)) for p in python_files("kb/services") if ".commit(" in p.read_text()]
    assert offenders == []


def test_views_hold_no_sql():
    assert _offenders("kb/views", sql_in) == {}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_relative_or_dynamic_import_dodges_the_checks(package):
    assert _offenders(package, dodged_imports) == {}


def _sample(tmp_path, source: str) -> Path:
    sample = tmp_path / "bad.py"
    sample.write_text(source)
    return sample


def test_the_checker_sees_a_forbidden_import(tmp_path):
    sample = _sample(tmp_path, "def f():\n    from flask import request\n    import kb.db\n")
    assert {"flask", "kb.db"} <= imported_modules(sample)


@pytest.mark.parametrize("source, seen", [
    ("from kb.auth import current_viewer\n", "kb.auth"),
    ("from kb import auth\n", "kb.auth"),
    ("import kb.auth as who\n", "kb.auth"),
    ("from kb.db import get_session\n", "kb.db.get_session"),
    ("from kb.db import get_session as s\n", "kb.db.get_session"),
    ("import kb.db\nkb.db.get_session()\n", "kb.db.get_session"),
    ("from kb import db\ndb.get_session()\n", "kb.db.get_session"),
    ("import kb.db as database\ndatabase.get_session()\n", "kb.db.get_session"),
    ("from kb.db import commit\n", "kb.db.commit"),
    ("from flask import request\n", "flask.request"),
    ("from flask import g\n", "flask.g"),
    ("import flask\nflask.session.get('x')\n", "flask.session"),
    ("from flask_login import current_user\n", "flask_login.current_user"),
    ("def f():\n    from werkzeug.local import LocalProxy\n", "werkzeug.local"),
])
def test_the_checker_sees_a_service_reaching_for_the_request(tmp_path, source, seen):
    found = reaches(imported_modules(_sample(tmp_path, source)), REQUEST_STATE)
    assert seen in found


@pytest.mark.parametrize("source", [
    "from sqlmodel import select\n",
    "from sqlalchemy import text\n",
    "def f(session, Model):\n    return session.exec(select(Model)).all()\n",
    "def f(session):\n    return session.execute(text('SELECT 1'))\n",
    "def f(session, Model):\n    return session.query(Model).all()\n",
    "import sqlalchemy as sa\n",
    "def f(sa, Model):\n    return sa.select(Model)\n",
])
def test_the_checker_sees_sql_in_a_view(tmp_path, source):
    assert sql_in(_sample(tmp_path, source))


def test_the_checker_leaves_ordinary_view_code_alone(tmp_path):
    source = ("from kb.services import actions\n\ndef f(session, form_context, texts):\n"
              "    context = form_context()\n    return actions.list_actions(session, context), texts.get('q')\n")
    assert sql_in(_sample(tmp_path, source)) == []


@pytest.mark.parametrize("source", [
    "from . import auth\n",
    "from .db import get_session\n",
    "from ..services import actions\n",
    "import importlib\nauth = importlib.import_module('kb.auth')\n",
    "from importlib import import_module\n",
    "auth = __import__('kb.auth')\n",
])
def test_the_checker_sees_an_import_that_dodges_it(tmp_path, source):
    assert dodged_imports(_sample(tmp_path, source))
