"""The former unversioned JSON routes: each answers with a permanent redirect (308) to its /api/v1 counterpart,
query string kept (their French keys are gone; see kb/views/api_v1.py)."""

from __future__ import annotations

from flask import Blueprint

from kb.views.api_v1 import redirect_old

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/actions")
def actions():
    """Ancienne adresse : /api/v1/actions."""
    return redirect_old("api_v1.actions")


@bp.route("/actions/<int:action_id>")
def action(action_id: int):
    """Ancienne adresse : /api/v1/actions/<id>."""
    return redirect_old("api_v1.action", action_id=action_id)


@bp.route("/organisations")
def organisations():
    """Ancienne adresse : /api/v1/organisations."""
    return redirect_old("api_v1.organisations")


@bp.route("/practitioners")
def practitioners():
    """Ancienne adresse : /api/v1/practitioners."""
    return redirect_old("api_v1.practitioners")
