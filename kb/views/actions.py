"""Field actions: list with filters, detail, contribution (create, edit, delete), history and reports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import indexing, policy
from kb.auth import client_key, current_account, require
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.actions import action_form_values, form_pairs, parse_action_form
from kb.forms.filters import parse_action_filters
from kb.models import choices
from kb.serializers import action_record
from kb.services import actions as services
from kb.services import cahiers, catalog, duplicates, exports, moderation, privacy, reports
from kb.services import search as search_services
from kb.services import workshops as workshop_services
from kb.views._export import export_response
from kb.views._forms import button_cycle, current_viewer, delete_cycle, form_cycle
from kb.views._kept import incomplete, kept_page
from kb.views._mapdata import filter_options
from kb.views._search import action_ids_for
from search_index import SearchIndexError

bp = Blueprint("actions", __name__, url_prefix="/actions")


def _action(action_id: int):
    action = services.get_action(get_session(), action_id)
    if action is None:
        abort(404)
    return action


@bp.route("/")
def index():
    """Liste des actions de terrain, filtrable et paginée."""
    session, viewer = get_session(), current_viewer()
    filters, errors = parse_action_filters(request.args)
    page = services.list_actions(session, filters, viewer)
    return render_template("actions/list.html", page=page, filters=filters, errors=errors,
                           options=filter_options(session, viewer))


@bp.route("/export.<fmt>")
def export(fmt: str):
    """Les actions de la liste, de la carte ou d'une recherche (mêmes filtres, même texte) en CSV, GeoJSON ou JSON."""
    filters, errors = parse_action_filters(request.args)
    if errors:
        abort(400, next(iter(errors.values())))
    ids, unavailable = action_ids_for(request.args.get("q"))
    if unavailable:
        abort(503, unavailable)
    viewer = current_viewer()
    return export_response(fmt, "actions", lambda session: (action_record(a) for a in
                                                            exports.actions(session, filters, viewer, ids)))


@bp.route("/<int:action_id>")
def detail(action_id: int):
    """Fiche d'une action : récit, effets, freins, leviers, outils, personnes, partenaires."""
    return kept_page(("action", action_id), lambda: _detail(action_id))


def _detail(action_id: int) -> str:
    action, viewer = _action(action_id), current_viewer()
    if not policy.can_view_action(viewer, action):
        abort(404)
    pending = moderation.pending_revision(get_session(), action) if policy.can_edit_action(viewer, action) else None
    return render_template("actions/detail.html", action=action, similar=similar_to(action), pending=pending,
                           presentations=workshop_services.presentations_of(get_session(), action))


def similar_to(action) -> list:
    """Actions similaires (more-like-this); none when the index cannot answer."""
    app = current_app._get_current_object()
    try:
        return search_services.similar_actions(get_session(), indexing.get_index(app), action.id, current_viewer())
    except (SearchIndexError, OSError):
        incomplete()  # not kept without its similar actions
        return []


def input_warnings(data, exclude_id: int | None) -> list[tuple[str, str | None]]:
    """Doubts shown before saving: similar existing actions, passages that may identify someone."""
    found: list[tuple[str, str | None]] = []
    if exclude_id is None:
        for other in duplicates.similar_actions(get_session(), data):
            place = f", {other.commune.name}" if other.commune else ""
            found.append((f"Une action proche existe déjà : « {other.title} »{place}. S'agit-il de la même ?",
                          url_for(".detail", action_id=other.id) if policy.is_public(other) else None))
    texts = [data.title, data.summary, data.writeup,
             *(text for e in data.effects for text in (e.description, e.indicator, e.observer)),
             *(b.description for b in data.barriers), *(lever.description for lever in data.levers)]
    for passage in privacy.identification_warnings(*texts):
        found.append((f"Le texte semble identifier une personne accompagnée : {passage}. "
                      "Anonymisez-le (initiale, âge arrondi, quartier plutôt qu'adresse).", None))
    return found


def _form_context(action) -> dict:
    viewer = current_viewer()
    allowed = policy.publication_choices(viewer)
    return {"action": action, "options": catalog.form_choices(get_session()),
            "publication_options": [(k, v) for k, v in choices.PUBLICATION_STATUSES.items() if k in allowed],
            "review_notice": action is not None and policy.edit_needs_review(viewer, action)}


def _saved_message(saved) -> str:
    if saved.withdrawn:
        return "Votre proposition de modification est retirée : la version publiée reste en ligne, inchangée."
    if saved.unchanged:
        return ("Aucune modification à enregistrer : votre proposition attend toujours la validation de l'équipe."
                if saved.pending else "Aucune modification à enregistrer : l'action publiée est inchangée.")
    if saved.pending:
        return "Vos modifications attendent la validation de l'équipe ; la version publiée reste en ligne."
    if saved.action.publication_status == "en_attente":
        return "L'action est enregistrée : elle sera publiée après validation par l'équipe."
    return "L'action a été enregistrée."


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    """Formulaire de création d'une action."""
    session, viewer = get_session(), current_viewer()
    require(policy.can_contribute(viewer))
    initial = "publiee" if policy.is_moderator(viewer) else "en_attente"
    queue_url = url_for("moderation.queue", _external=True)
    return form_cycle(
        parse=parse_action_form, save=lambda data: moderation.create(session, data, viewer, queue_url),
        template="actions/form.html", initial=MultiDict({"publication_status": initial}),
        success=lambda saved: url_for(".detail", action_id=saved.action.id), message=_saved_message,
        warn=lambda data: input_warnings(data, None), **_form_context(None),
    )


@bp.route("/<int:action_id>/modifier", methods=["GET", "POST"])
def edit(action_id: int):
    """Formulaire de modification d'une action (en attente de validation si elle est publiée)."""
    session, viewer, action = get_session(), current_viewer(), _action(action_id)
    require(policy.can_edit_action(viewer, action))
    pending = moderation.pending_revision(session, action)
    initial = MultiDict(pending.proposed) if pending is not None and pending.author_id == viewer.user_id \
        else action_form_values(action)
    queue_url = url_for("moderation.queue", _external=True)
    return form_cycle(
        parse=parse_action_form,
        save=lambda data: moderation.edit(session, action, data, form_pairs(request.form), viewer, queue_url),
        template="actions/form.html", initial=initial,
        success=lambda saved: url_for(".detail", action_id=saved.action.id), message=_saved_message,
        warn=lambda data: input_warnings(data, action.id), **_form_context(action),
    )


@bp.route("/<int:action_id>/supprimer", methods=["GET", "POST"])
def delete(action_id: int):
    """Confirmation puis suppression d'une action."""
    session, viewer, action = get_session(), current_viewer(), _action(action_id)
    require(policy.can_delete_action(viewer, action))
    return delete_cycle(obj=action, delete=lambda a: services.delete_action(session, a, viewer),
                        template="confirm_delete.html", success=url_for(".index"),
                        message=f"L'action « {action.title} » a été supprimée.", what="l'action", name=action.title,
                        cancel=url_for(".detail", action_id=action.id))


@bp.route("/<int:action_id>/accord-cahiers", methods=["POST"])
def cahiers_consent(action_id: int):
    """Accord (ou retrait de l'accord) des auteur·rices pour publier l'action dans les cahiers."""
    session, viewer, action = get_session(), current_viewer(), _action(action_id)
    require(policy.can_set_cahiers_consent(viewer, action))
    agreed = request.form.get("agreed") == "1"

    def run() -> str:
        cahiers.set_consent(session, action, agreed, viewer)
        return "L'accord pour les cahiers est enregistré." if agreed else \
            "L'accord est retiré : l'action ne figurera pas dans les prochains cahiers."
    return button_cycle(run, url_for(".detail", action_id=action.id))


@bp.route("/<int:action_id>/historique")
def history(action_id: int):
    """Historique des versions d'une action : qui, quand, quoi."""
    action, viewer = _action(action_id), current_viewer()
    require(policy.can_view_history(viewer, action))
    return render_template("actions/history.html", action=action,
                           versions=moderation.history(get_session(), action))


@bp.route("/<int:action_id>/signaler", methods=["GET", "POST"])
def report(action_id: int):
    """« Signaler un problème » sur une action publiée."""
    session, action = get_session(), _action(action_id)
    if not policy.is_public(action):
        abort(404)
    values, errors = request.form if request.method == "POST" else MultiDict(), {}
    if request.method == "POST":
        account = current_account()
        key = f"u:{account.id}" if account is not None else client_key()
        try:
            reports.report(session, action, values.get("reason", ""), values.get("comment", ""), key,
                           url_for("moderation.queue", _external=True))
            commit()
        except DomainError as exc:
            session.rollback()
            errors = {exc.field or "__all__": exc.message}
        else:
            flash("Merci : votre signalement a été transmis à l'équipe de l'observatoire.", "success")
            if policy.is_public(action):
                return redirect(url_for(".detail", action_id=action.id))
            return redirect(url_for(".index"))
    return render_template("actions/report.html", action=action, values=values, errors=errors), 422 if errors else 200
