"""Field actions: list with filters, detail, create, edit, delete."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import indexing, policy
from kb.db import get_session
from kb.forms.actions import action_form_values, parse_action_form
from kb.forms.filters import parse_action_filters
from kb.services import actions as services
from kb.services import catalog
from kb.services import search as search_services
from kb.views._forms import current_viewer, delete_cycle, form_cycle
from search_index import SearchIndexError

bp = Blueprint("actions", __name__, url_prefix="/actions")


def _editable(action_id: int):
    action = services.get_action(get_session(), action_id)
    if action is None or not policy.can_edit(current_viewer()):
        abort(404)
    return action


@bp.route("/")
def index():
    """Liste des actions de terrain, filtrable et paginée."""
    session, viewer = get_session(), current_viewer()
    filters, errors = parse_action_filters(request.args)
    page = services.list_actions(session, filters, viewer)
    return render_template("actions/list.html", page=page, filters=filters, errors=errors,
                           options=services.filter_options(session, viewer))


@bp.route("/<int:action_id>")
def detail(action_id: int):
    """Fiche d'une action : récit, effets, freins, leviers, outils, personnes, partenaires."""
    action = services.get_action(get_session(), action_id)
    if action is None or not policy.can_view_action(current_viewer(), action):
        abort(404)
    return render_template("actions/detail.html", action=action, viewer=current_viewer(),
                           similar=similar_to(action))


def similar_to(action) -> list:
    """Actions similaires (more-like-this); none when the index cannot answer."""
    app = current_app._get_current_object()
    try:
        return search_services.similar_actions(get_session(), indexing.get_index(app), action.id, current_viewer())
    except (SearchIndexError, OSError):
        return []


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    """Formulaire de création d'une action."""
    session, viewer = get_session(), current_viewer()
    return form_cycle(
        parse=parse_action_form, save=lambda data: services.create_action(session, data, viewer),
        template="actions/form.html", initial=MultiDict({"publication_status": "publiee"}),
        success=lambda a: url_for(".detail", action_id=a.id), message="L'action a été enregistrée.",
        action=None, options=catalog.form_choices(session),
    )


@bp.route("/<int:action_id>/modifier", methods=["GET", "POST"])
def edit(action_id: int):
    """Formulaire de modification d'une action."""
    session, viewer, action = get_session(), current_viewer(), _editable(action_id)
    return form_cycle(
        parse=parse_action_form, save=lambda data: services.update_action(session, action, data, viewer),
        template="actions/form.html", initial=action_form_values(action),
        success=lambda a: url_for(".detail", action_id=a.id), message="Les modifications ont été enregistrées.",
        action=action, options=catalog.form_choices(session),
    )


@bp.route("/<int:action_id>/supprimer", methods=["GET", "POST"])
def delete(action_id: int):
    """Confirmation puis suppression d'une action."""
    session, viewer, action = get_session(), current_viewer(), _editable(action_id)
    return delete_cycle(obj=action, delete=lambda a: services.delete_action(session, a, viewer),
                        template="confirm_delete.html", success=url_for(".index"),
                        message=f"L'action « {action.title} » a été supprimée.", what="l'action", name=action.title,
                        cancel=url_for(".detail", action_id=action.id))
