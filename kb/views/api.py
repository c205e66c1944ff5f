"""Read-only JSON API with the same filters as the pages."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from kb import policy
from kb.auth import require
from kb.db import get_session
from kb.forms.filters import parse_action_filters, parse_people_filters
from kb.models import choices
from kb.serializers import action_detail, action_summary, organisation, page, practitioner
from kb.services import actions as action_services
from kb.services import people as people_services
from kb.views._forms import current_viewer

bp = Blueprint("api", __name__, url_prefix="/api")


def _bad_filters(errors: dict[str, str]):
    return jsonify({"error": {"code": 400, "message": "Paramètres invalides.", "champs": errors}}), 400


@bp.route("/actions")
def actions():
    """Actions visibles, filtrées et paginées."""
    filters, errors = parse_action_filters(request.args)
    if errors:
        return _bad_filters(errors)
    result = action_services.list_actions(get_session(), filters, current_viewer())
    return jsonify(page(result, [action_summary(a) for a in result.items]))


@bp.route("/actions/<int:action_id>")
def action(action_id: int):
    """Une action visible, avec ses effets, freins, leviers et outils."""
    found, viewer = action_services.get_action(get_session(), action_id), current_viewer()
    if found is None or not policy.is_public(found):
        abort(404)
    return jsonify(action_detail(found, viewer))


@bp.route("/organisations")
def organisations():
    """Organisations, filtrées et paginées."""
    filters, errors = parse_people_filters(request.args, choices.ORGANISATION_KINDS)
    if errors:
        return _bad_filters(errors)
    result = people_services.list_organisations(get_session(), filters)
    return jsonify(page(result, [organisation(o) for o in result.items]))


@bp.route("/practitioners")
def practitioners():
    """Intervenant·es listé·es (champs publics seulement)."""
    filters, errors = parse_people_filters(request.args, choices.FUNCTIONS)
    if errors:
        return _bad_filters(errors)
    viewer = current_viewer()
    require(policy.can_see_directory(viewer))
    result = people_services.list_practitioners(get_session(), filters, viewer)
    return jsonify(page(result, [practitioner(p, viewer) for p in result.items]))
