"""Practitioners: the directory (listed people, signed-in users), detail, contact relay, create, edit,
delete, anonymise."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import current_account, require
from kb.db import get_session
from kb.forms.accounts import parse_message
from kb.forms.filters import parse_people_filters
from kb.forms.people import parse_practitioner_form, practitioner_form_values
from kb.models import Practitioner, choices
from kb.serializers import practitioner_record
from kb.services import catalog, exports, privacy
from kb.services import people as services
from kb.views._export import export_response
from kb.views._forms import current_viewer, delete_cycle, form_cycle

bp = Blueprint("practitioners", __name__, url_prefix="/intervenants")


def _get(person_id: int, *, for_edit: bool = False) -> Practitioner:
    person, viewer = get_session().get(Practitioner, person_id), current_viewer()
    if for_edit:
        if person is None:
            abort(404)
        require(policy.can_edit_practitioner(viewer, person))
        return person
    require(policy.can_see_directory(viewer))
    if person is None or not policy.is_listed(viewer, person):
        abort(404)
    return person


def _form_context(session) -> dict:
    return {"territories": catalog.territories(session), "organisations": catalog.form_choices(session)["organisations"]}


@bp.route("/")
def index():
    """Annuaire des intervenant·es qui ont accepté d'y figurer."""
    session, viewer = get_session(), current_viewer()
    require(policy.can_see_directory(viewer))
    filters, errors = parse_people_filters(request.args, choices.FUNCTIONS)
    return render_template("practitioners/list.html", page=services.list_practitioners(session, filters, viewer),
                           filters=filters, errors=errors, territories=catalog.territories(session))


@bp.route("/export.<fmt>")
def export(fmt: str):
    """L'annuaire (mêmes filtres) en CSV, GeoJSON ou JSON : les personnes qui ont accepté d'y figurer."""
    viewer = current_viewer()
    require(policy.can_see_directory(viewer))
    filters, errors = parse_people_filters(request.args, choices.FUNCTIONS)
    if errors:
        abort(400, next(iter(errors.values())))
    return export_response(fmt, "intervenants", lambda session: (practitioner_record(p, viewer) for p in
                                                                 exports.practitioners(session, filters, viewer)))


@bp.route("/<int:person_id>")
def detail(person_id: int):
    """Fiche d'un·e intervenant·e : fonction, compétences, actions ; coordonnées si consenties."""
    person, viewer = _get(person_id), current_viewer()
    links = [link for link in person.action_links if
             policy.is_public(link.action)]
    return render_template("practitioners/detail.html", person=person, links=links,
                           show_contact=policy.can_see_contact(viewer, person),
                           can_message=policy.can_message(viewer, person))


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    """Formulaire d'ajout d'un·e intervenant·e."""
    session, viewer = get_session(), current_viewer()
    require(policy.can_manage_records(viewer))
    return form_cycle(parse=parse_practitioner_form,
                      save=lambda data: services.save_practitioner(session, data, viewer),
                      template="practitioners/form.html", initial=MultiDict(),
                      success=lambda p: url_for(".detail", person_id=p.id) if p.consent_listed else url_for(".index"),
                      message="La fiche a été enregistrée.", person=None, **_form_context(session))


@bp.route("/<int:person_id>/modifier", methods=["GET", "POST"])
def edit(person_id: int):
    """Formulaire de modification d'un·e intervenant·e (consentements compris)."""
    session, viewer, person = get_session(), current_viewer(), _get(person_id, for_edit=True)
    return form_cycle(parse=parse_practitioner_form,
                      save=lambda data: services.save_practitioner(session, data, viewer, person),
                      template="practitioners/form.html", initial=practitioner_form_values(person),
                      success=lambda p: url_for(".detail", person_id=p.id) if p.consent_listed else url_for(".index"),
                      message="Les modifications ont été enregistrées.", person=person, **_form_context(session))


@bp.route("/<int:person_id>/supprimer", methods=["GET", "POST"])
def delete(person_id: int):
    """Confirmation puis suppression d'un·e intervenant·e."""
    session, viewer, person = get_session(), current_viewer(), _get(person_id, for_edit=True)
    require(policy.can_manage_records(viewer))
    return delete_cycle(obj=person, delete=lambda p: services.delete_practitioner(session, p, viewer),
                        template="confirm_delete.html", success=url_for(".index"),
                        message="La fiche a été supprimée.", what="la fiche de", name=person.full_name,
                        cancel=url_for(".index"))



@bp.route("/<int:person_id>/contacter", methods=["GET", "POST"])
def contact(person_id: int):
    """Écrire à un·e intervenant·e par le relais de l'observatoire (son adresse reste cachée)."""
    session, viewer, person = get_session(), current_viewer(), _get(person_id)
    require(policy.can_message(viewer, person))
    return form_cycle(parse=parse_message,
                      save=lambda data: privacy.send_message(session, person, data, current_account(), viewer),
                      template="practitioners/contact.html", initial=MultiDict(),
                      success=lambda _r: url_for(".detail", person_id=person.id),
                      message=f"Votre message a été transmis à {person.full_name}.", person=person)


@bp.route("/<int:person_id>/anonymiser", methods=["GET", "POST"])
def anonymise(person_id: int):
    """Anonymiser une fiche (admin) : nom, coordonnées et compétences effacés, rôles dans les actions gardés."""
    session, viewer = get_session(), current_viewer()
    person = session.get(Practitioner, person_id)
    if person is None:
        abort(404)
    require(policy.is_admin(viewer))
    return delete_cycle(obj=person, delete=lambda p: privacy.anonymise_practitioner(session, p),
                        template="practitioners/anonymise.html", success=url_for(".index"),
                        message="La fiche est anonymisée.", person=person,
                        cancel=url_for(".detail", person_id=person.id) if person.consent_listed else url_for(".index"))
