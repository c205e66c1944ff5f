"""Where the app's templates and static files are: inside the package when installed from a wheel
(``setup.py`` copies them in), beside it in a source checkout (the top-level ``templates/`` and ``static/``)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


TEMPLATES = _find("templates")
STATIC = _find("static")
