"""Organisations: list, detail, create, edit, delete."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import require
from kb.db import get_session
from kb.forms.filters import parse_people_filters
from kb.forms.people import organisation_form_values, parse_organisation_form
from kb.models import Organisation, choices
from kb.serializers import organisation_record
from kb.services import catalog, exports
from kb.services import people as services
from kb.views._export import export_response
from kb.views._forms import current_viewer, delete_cycle, form_cycle

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


def _get(org_id: int) -> Organisation:
    org = get_session().get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


@bp.route("/")
def index():
    """Liste des organisations."""
    session = get_session()
    filters, errors = parse_people_filters(request.args, choices.ORGANISATION_KINDS)
    return render_template("organisations/list.html", page=services.list_organisations(session, filters),
                           filters=filters, errors=errors, territories=catalog.territories(session))


@bp.route("/export.<fmt>")
def export(fmt: str):
    """Les organisations de la liste (mêmes filtres) en CSV, GeoJSON ou JSON."""
    filters, errors = parse_people_filters(request.args, choices.ORGANISATION_KINDS)
    if errors:
        abort(400, next(iter(errors.values())))
    return export_response(fmt, "organisations", lambda session: (organisation_record(o) for o in
                                                                  exports.organisations(session, filters)))


@bp.route("/<int:org_id>")
def detail(org_id: int):
    """Fiche d'une organisation, ses intervenant·es listé·es et ses actions."""
    org, viewer = _get(org_id), current_viewer()
    actions = [a for a in org.partner_of if policy.is_public(a)]
    people = [p for p in org.practitioners if policy.is_listed(viewer, p)]
    return render_template("organisations/detail.html", org=org, actions=actions, people=people)


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    """Formulaire de création d'une organisation."""
    session, viewer = get_session(), current_viewer()
    require(policy.can_create_records(viewer))
    return form_cycle(parse=parse_organisation_form,
                      save=lambda data: services.save_organisation(session, data, viewer),
                      template="organisations/form.html", initial=MultiDict(),
                      success=lambda o: url_for(".detail", org_id=o.id), message="L'organisation a été enregistrée.",
                      org=None, territories=catalog.territories(session))


@bp.route("/<int:org_id>/modifier", methods=["GET", "POST"])
def edit(org_id: int):
    """Formulaire de modification d'une organisation."""
    session, viewer, org = get_session(), current_viewer(), _get(org_id)
    require(policy.can_manage_records(viewer))
    return form_cycle(parse=parse_organisation_form,
                      save=lambda data: services.save_organisation(session, data, viewer, org),
                      template="organisations/form.html", initial=organisation_form_values(org),
                      success=lambda o: url_for(".detail", org_id=o.id),
                      message="Les modifications ont été enregistrées.", org=org,
                      territories=catalog.territories(session))


@bp.route("/<int:org_id>/supprimer", methods=["GET", "POST"])
def delete(org_id: int):
    """Confirmation puis suppression d'une organisation."""
    session, viewer, org = get_session(), current_viewer(), _get(org_id)
    require(policy.can_manage_records(viewer))
    return delete_cycle(obj=org, delete=lambda o: services.delete_organisation(session, o, viewer),
                        template="confirm_delete.html", success=url_for(".index"),
                        message=f"L'organisation « {org.name} » a été supprimée.", what="l'organisation",
                        name=org.name, cancel=url_for(".detail", org_id=org.id))
