"""The practice map (/carte) and "Trouver des pairs" (/pairs). Being built (issue 4)."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("geo", __name__)


@bp.route("/carte")
def map_page():
    """Carte des actions (en construction)."""
    abort(404)


@bp.route("/pairs")
def peers():
    """Trouver des pairs (en construction)."""
    abort(404)
