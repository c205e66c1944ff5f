"""The versioned JSON API (/api/v1): actions, organisations, the directory and the search, with the pages' filters,
paginated with totals and `Link` headers, English keys, one error shape, and its OpenAPI document and docs page."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from pydantic import ValidationError

from kb import api_models, openapi, policy
from kb.auth import api_token
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.actions import form_pairs, form_values_of, parse_action_form
from kb.forms.base import french_message
from kb.forms.filters import parse_action_filters, parse_people_filters
from kb.forms.search import parse_search_args
from kb.models import FieldAction, Organisation, Practitioner, choices
from kb.serializers import action_detail_record, action_record, organisation_record, practitioner_record
from kb.services import Page, moderation
from kb.services import actions as action_services
from kb.services import people as people_services
from kb.services import search as search_services
from kb.services.tokens import mark_used
from kb.views._forms import current_viewer
from kb.views._search import action_ids_for
from kb.views.actions import input_warnings

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


class ApiError(Exception):
    """An answer in the API's error shape."""

    def __init__(self, code: int, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    body = api_models.ErrorOut(error=api_models.ErrorBody(code=error.code, message=error.message, fields=error.fields))
    return jsonify(body.model_dump(mode="json")), error.code


def _json(model) -> Response:
    return jsonify(model.model_dump(mode="json"))


def _per_page() -> int:
    raw = (request.args.get("per_page") or "20").strip()
    if not raw.isdecimal() or not 1 <= int(raw) <= openapi.PER_PAGE_MAX:
        raise ApiError(400, "Paramètres invalides.",
                       {"per_page": f"Le nombre par page doit être un entier entre 1 et {openapi.PER_PAGE_MAX}."})
    return int(raw)


def _checked(errors: dict[str, str]) -> None:
    if errors:
        raise ApiError(400, "Paramètres invalides.", errors)


def _paged(model, page: Page, items: list) -> Response:
    """The page as JSON, with RFC 8288 links to the first, previous, next and last pages."""
    response = _json(model(items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages))
    args = {k: v for k, v in request.args.items(multi=True) if k != "page"}
    links = {"first": 1, "last": page.pages}
    if page.page > 1:
        links["prev"] = min(page.page - 1, page.pages)
    if page.page < page.pages:
        links["next"] = page.page + 1
    response.headers["Link"] = ", ".join(
        f'<{request.base_url}?{urlencode([*args.items(), ("page", number)])}>; rel="{rel}"'
        for rel, number in links.items())
    return response


def _signed_in_directory() -> None:
    viewer = current_viewer()
    if viewer.user_id is None:
        raise ApiError(401, "Connectez-vous pour accéder à l'annuaire.")
    if not policy.can_see_directory(viewer):
        raise ApiError(403, "Vous n'avez pas accès à l'annuaire.")


@bp.route("/actions")
def actions():
    """Actions publiées, filtrées comme la liste des actions."""
    filters, errors = parse_action_filters(request.args)
    per_page = _per_page()
    _checked(errors)
    ids, unavailable = action_ids_for(request.args.get("q"))
    if unavailable:
        raise ApiError(503, unavailable)
    page = action_services.list_actions(get_session(), filters, current_viewer(), per_page=per_page, ids=ids)
    return _paged(api_models.ActionPage, page, [action_record(a) for a in page.items])


@bp.route("/actions/<int:action_id>")
def action(action_id: int):
    """Une action publiée, avec son récit et ses constats."""
    found = action_services.get_action(get_session(), action_id)
    if found is None or not policy.is_public(found):
        raise ApiError(404, "Cette action n'existe pas ou n'est pas publiée.")
    return _json(api_models.ActionDetail(**action_detail_record(found, current_viewer())))


def _writer():
    """The account writing through the API: with a personal token only (a browser session cannot write here, so
    that a page on another site cannot make a signed-in visitor's browser write)."""
    token = api_token()
    if token is None:
        raise ApiError(401, "Écrire par l'API demande un jeton personnel (en-tête « Authorization: Bearer … ») : "
                            "créez-le depuis « Mon compte ».")
    return current_viewer(), token


def _action_input(exclude_id: int | None, status: str):
    """The JSON body, type-checked (ActionIn), then read by the action form's own parser and its warnings."""
    try:
        body = json.loads(request.get_data()) if request.is_json else None
    except (ValueError, RecursionError):  # invalid JSON, or nested beyond what the parser follows
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "Envoyez l'action en JSON (Content-Type: application/json), un objet.")
    try:
        checked = api_models.ActionIn.model_validate(body)
    except ValidationError as exc:
        raise ApiError(422, "L'action n'est pas valide.", {
            ".".join(str(p) for p in e["loc"]) or "__all__": french_message(e) for e in exc.errors()}) from exc
    if checked.publication_status is None:  # omitted: a new action is a draft, an edited one keeps its state
        checked = checked.model_copy(update={"publication_status": status})
    values = form_values_of(checked.model_dump())
    parsed = parse_action_form(values)
    if not parsed.ok:  # the form names a row's field "effects-0-dimension"; JSON says "effects.0.dimension"
        raise ApiError(422, "L'action n'est pas valide.",
                       {_json_path(k): v for k, v in parsed.errors.items()})
    doubts = input_warnings(parsed.data, exclude_id)
    if doubts and not checked.confirm_warnings:
        raise ApiError(422, "À vérifier avant d'enregistrer : " + " ".join(text for text, _url in doubts)
                       + " Renvoyez avec « confirm_warnings »: true pour confirmer.",
                       {"confirm_warnings": "À confirmer."})
    return parsed.data, values


def _json_path(name: str) -> str:
    """The form's "effects-0-dimension" or "partner_ids-0" as the JSON path "effects.0.dimension", "partner_ids.0";
    a lever is a string: "levers.0"."""
    path = re.sub(r"^(\w+)-(\d+)(?:-(\w+))?$", lambda m: ".".join(p for p in m.groups() if p), name)
    return re.sub(r"^levers\.(\d+)\.description$", r"levers.\1", path)


def _saved(saved, status: int) -> Response:
    action = saved.action
    response = _json(api_models.ActionSaved(
        id=action.id, publication_status=action.publication_status, pending_revision=bool(saved.pending),
        url=url_for("actions.detail", action_id=action.id, _external=True)))
    response.status_code = status
    response.headers["Location"] = url_for("api_v1.action", action_id=action.id)
    return response


def _domain(run):
    try:
        saved = run()
        commit()
    except DomainError as exc:
        get_session().rollback()
        raise ApiError(422, exc.message, {exc.field: exc.message} if exc.field else {}) from exc
    return saved


@bp.route("/actions", methods=["POST"])
def create_action():
    """Publier une action (comme le formulaire : celle d'un·e professionnel·le attend la modération)."""
    viewer, token = _writer()
    if not policy.can_contribute(viewer):
        raise ApiError(403, "Votre compte ne peut pas publier d'action.")
    data, _values = _action_input(None, "brouillon")
    session = get_session()
    mark_used(token)
    saved = _domain(lambda: moderation.create(session, data, viewer, url_for("moderation.queue", _external=True)))
    return _saved(saved, 201)


@bp.route("/actions/<int:action_id>", methods=["PUT"])
def replace_action(action_id: int):
    """Modifier une action (comme le formulaire : la modification d'une action publiée par son autrice attend la
    validation des modérateur·rices)."""
    viewer, token = _writer()
    session = get_session()
    action = session.get(FieldAction, action_id)
    if action is None or not policy.can_view_action(viewer, action):
        raise ApiError(404, "Cette action n'existe pas.")
    if not policy.can_edit_action(viewer, action):
        raise ApiError(403, "Vous ne pouvez pas modifier cette action.")
    data, values = _action_input(action.id, action.publication_status)
    mark_used(token)
    saved = _domain(lambda: moderation.edit(session, action, data, form_pairs(values), viewer,
                                            url_for("moderation.queue", _external=True)))
    return _saved(saved, 200)


@bp.route("/organisations")
def organisations():
    """Organisations, filtrées comme leur liste."""
    filters, errors = parse_people_filters(request.args, choices.ORGANISATION_KINDS)
    per_page = _per_page()
    _checked(errors)
    page = people_services.list_organisations(get_session(), filters, per_page=per_page)
    return _paged(api_models.OrganisationPage, page, [organisation_record(o) for o in page.items])


@bp.route("/organisations/<int:org_id>")
def organisation(org_id: int):
    """Une organisation."""
    found = get_session().get(Organisation, org_id)
    if found is None:
        raise ApiError(404, "Cette organisation n'existe pas.")
    return _json(api_models.OrganisationOut(**organisation_record(found)))


@bp.route("/practitioners")
def practitioners():
    """L'annuaire (personnes connectées) : celles et ceux qui ont accepté d'y figurer."""
    _signed_in_directory()
    filters, errors = parse_people_filters(request.args, choices.FUNCTIONS)
    per_page = _per_page()
    _checked(errors)
    viewer = current_viewer()
    page = people_services.list_practitioners(get_session(), filters, viewer, per_page=per_page)
    return _paged(api_models.PractitionerPage, page, [practitioner_record(p, viewer) for p in page.items])


@bp.route("/practitioners/<int:person_id>")
def practitioner(person_id: int):
    """Une fiche de l'annuaire."""
    _signed_in_directory()
    viewer = current_viewer()
    found = get_session().get(Practitioner, person_id)
    if found is None or not found.consent_listed:
        raise ApiError(404, "Cette fiche n'existe pas ou n'est pas dans l'annuaire.")
    return _json(api_models.PractitionerOut(**practitioner_record(found, viewer)))


@bp.route("/search")
def search():
    """Recherche plein texte : les mêmes résultats et facettes que la page de recherche."""
    from kb.views.search import hit_url, run_for

    form, errors = parse_search_args(request.args)
    _checked(errors)
    results = run_for(form)
    if results is None:
        raise ApiError(503, "La recherche est momentanément indisponible.")
    labels = search_services.facet_labels(get_session())
    return _json(api_models.SearchPage(
        query=form.text, total=results.total, page=results.page, per_page=results.per_page, pages=results.pages,
        approximate=results.approximate, unmatched_terms=list(results.unmatched_terms),
        suggestion=results.suggestion,
        items=[api_models.SearchHitOut(
            id=hit.doc_id, kind=hit.kind, title=hit.title, url=hit_url(hit), highlight=hit.highlight,
            date=hit.date, territory=hit.territory, commune=labels["commune"].get(hit.commune, hit.commune),
            mode=hit.mode, year=hit.year) for hit in results.hits],
        facets={f.name: [api_models.FacetValue(value=v, label=label, count=n) for v, label, n in f.values]
                for f in search_services.facets(results, labels)}))


@bp.route("/openapi.json")
def openapi_document():
    """Le document OpenAPI 3.1 de l'API."""
    return jsonify(openapi.document(request.script_root or "/"))


@bp.route("/docs")
def docs():
    """Documentation lisible de l'API, générée depuis son document OpenAPI."""
    return render_template("api/docs.html", doc=openapi.document(request.script_root or "/"))


def redirect_old(endpoint: str, **values) -> Response:
    """The former unversioned routes answer with a permanent redirect to their /api/v1 counterpart."""
    query = request.query_string.decode("latin-1")
    return Response(status=308, headers={"Location": url_for(endpoint, **values) + (f"?{query}" if query else "")})
