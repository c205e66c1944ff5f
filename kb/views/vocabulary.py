"""Managed vocabularies (/vocabulaire): publics and themes, their terms, proposals, edits and merges."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import require
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.vocabulary import parse_merge_form, parse_term_form
from kb.models import Tag
from kb.services import tags as services
from kb.views._forms import current_viewer, delete_cycle, form_cycle

bp = Blueprint("vocabulary", __name__)
KINDS = {"publics": "public", "themes": "theme"}  # URL segment -> tag kind
SEGMENTS = {kind: segment for segment, kind in KINDS.items()}


def _kind(segment: str) -> str:
    if segment not in KINDS:
        abort(404)
    return KINDS[segment]


def _trainer() -> None:
    require(policy.is_moderator(current_viewer()))


def _term(segment: str, slug: str) -> Tag:
    """The term, or a 301 to its new URL when it was renamed or merged (abort carries the redirect)."""
    term, moved = services.find_term(get_session(), _kind(segment), slug)
    if term is None:
        abort(404)
    if moved:
        abort(redirect(url_for(request.endpoint, segment=segment, slug=term.slug), 301))
    return term


def term_url(term: Tag) -> str:
    """The page of a term."""
    return url_for("vocabulary.term", segment=SEGMENTS[term.kind], slug=term.slug)


@bp.route("/vocabulaire/")
def index():
    """Les vocabulaires partagés : publics et thèmes, avec leurs définitions et synonymes."""
    session = get_session()
    lists = {kind: services.terms(session, kind) for kind in services.VOCABULARY_KINDS}
    return render_template("vocabulary/index.html", lists=lists, segments=SEGMENTS,
                           trainer=policy.is_moderator(current_viewer()))


@bp.route("/vocabulaire/<segment>/<slug>")
def term(segment: str, slug: str):
    """Un terme : sa définition, ses synonymes et les actions publiées qui le portent."""
    found = _term(segment, slug)
    if not found.validated and not policy.is_moderator(current_viewer()):
        abort(404)  # a proposal (perhaps from a draft) is the trainers' business until they accept it
    count = services.action_count(get_session(), found)
    return render_template("vocabulary/term.html", term=found, count=count, segment=segment,
                           trainer=policy.is_moderator(current_viewer()))


def _term_form(segment: str, found: Tag | None):
    _trainer()
    kind, session, viewer = _kind(segment), get_session(), current_viewer()
    initial = MultiDict({"name": found.name, "definition": found.definition,
                         "synonyms": "\n".join(found.synonym_list)} if found else {})
    return form_cycle(
        parse=parse_term_form, template="vocabulary/form.html", initial=initial,
        save=lambda data: services.save_term(session, kind, data.name, data.definition, data.synonyms, viewer, found),
        success=term_url, message="Le terme est enregistré.", term=found, segment=segment,
        kind_label=services.VOCABULARY_KINDS[kind])


@bp.route("/vocabulaire/<segment>/nouveau", methods=["GET", "POST"])
def create(segment: str):
    """Ajouter un terme à une liste (formateur·rices et administrateur·rices)."""
    return _term_form(segment, None)


@bp.route("/vocabulaire/<segment>/<slug>/modifier", methods=["GET", "POST"])
def edit(segment: str, slug: str):
    """Modifier un terme : nom, définition, synonymes (un nouveau nom garde l'ancien comme alias)."""
    _trainer()
    return _term_form(segment, _term(segment, slug))


@bp.route("/vocabulaire/<segment>/<slug>/valider", methods=["POST"])
def validate(segment: str, slug: str):
    """Accepter un terme proposé par un·e auteur·rice."""
    _trainer()
    found = _term(segment, slug)
    services.validate_term(get_session(), found, current_viewer())
    commit()
    flash(f"« {found.name} » rejoint la liste.", "success")
    return redirect(url_for(".index"))


@bp.route("/vocabulaire/<segment>/<slug>/fusionner", methods=["GET", "POST"])
def merge(segment: str, slug: str):
    """Fusionner un terme dans un autre : ses actions, ses liens et la recherche suivent."""
    _trainer()
    session, found = get_session(), _term(segment, slug)
    others = [t for t, _ in services.terms(session, found.kind) if t.id != found.id and t.validated]
    errors, status = {}, 200
    if request.method == "POST":
        result = parse_merge_form(request.form)
        target = next((t for t in others if t.slug == result.data), None) if result.ok else None
        errors = result.errors or ({} if target else {"target": "Choisissez un terme de la liste."})
        if target is not None:
            try:
                moved = services.merge_terms(session, found, target, current_viewer())
                commit()
            except DomainError as exc:
                session.rollback()
                errors = {exc.field or "target": exc.message}
            else:
                flash(f"« {found.name} » est fusionné dans « {target.name} » ({moved} action"
                      f"{'s' if moved != 1 else ''}).", "success")
                return redirect(term_url(target))
        status = 422
    return render_template("vocabulary/merge.html", term=found, others=others, segment=segment, errors=errors,
                           values=request.form if request.method == "POST" else {}), status


@bp.route("/vocabulaire/<segment>/<slug>/supprimer", methods=["GET", "POST"])
def delete(segment: str, slug: str):
    """Supprimer un terme (les actions qui le portent le perdent)."""
    _trainer()
    found = _term(segment, slug)
    return delete_cycle(obj=found, delete=lambda t: services.delete_term(get_session(), t, current_viewer()),
                        template="confirm_delete.html", success=url_for(".index"),
                        message=f"« {found.name} » est supprimé.", what="le terme", name=found.name,
                        cancel=term_url(found))


@bp.route("/api/vocabulaire/<segment>")
def suggest(segment: str):
    """Termes validés d'une liste qui contiennent les mots tapés (autocomplétion des formulaires)."""
    if segment not in KINDS:
        return jsonify({"error": {"code": 404, "message": "Liste inconnue : « publics » ou « themes »."}}), 404
    text = (request.args.get("q") or "")[:100]
    return jsonify({"liste": segment, "q": text,
                    "termes": services.suggestions(get_session(), KINDS[segment], text)})
