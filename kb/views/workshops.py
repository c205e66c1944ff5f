"""Workshops: groups, sessions, "Préparer une séance", attendance, syntheses, printable sheets, trainer tags."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import calendar, policy
from kb.auth import require
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.workshops import (
    parse_attendance_form,
    parse_presentation_form,
    parse_session_form,
    parse_synthesis_form,
    parse_tags_form,
    parse_workshop_form,
    workshop_form_values,
)
from kb.models import JoinRequest, Presentation, Workshop, WorkshopSession
from kb.models.base import utcnow
from kb.services import actions as action_services
from kb.services import catalog, enrolments
from kb.services import tools as tool_services
from kb.services import workshops as services
from kb.views._forms import button_cycle, current_viewer, delete_cycle, form_cycle
from kb.views._search import action_ids_for

bp = Blueprint("workshops", __name__, url_prefix="/ateliers")


def _trainer() -> None:
    require(policy.can_run_workshops(current_viewer()))


def _get(model, key: int):
    found = get_session().get(model, key)
    if found is None:
        abort(404)
    return found


def hours() -> dict[str, str]:
    """Configured hours of a morning and an afternoon session."""
    return {"am": current_app.config["MORNING_HOURS"], "pm": current_app.config["AFTERNOON_HOURS"]}


@bp.route("/")
def index():
    """Les ateliers de mutualisation des pratiques, par année."""
    return render_template("workshops/list.html", workshops=services.list_workshops(get_session()))


@bp.route("/<int:workshop_id>")
def detail(workshop_id: int):
    """Un groupe : formateur·rices, inscrit·es, séances et programmes."""
    workshop, session, viewer = _get(Workshop, workshop_id), get_session(), current_viewer()
    return render_template("workshops/detail.html", workshop=workshop, counts=services.attendance_counts(workshop),
                           hours=hours(), places_left=enrolments.places_left(session, workshop),
                           enrolled=enrolments.is_enrolled(workshop, viewer.practitioner_id),
                           my_request=enrolments.pending_request(session, workshop, viewer.practitioner_id),
                           requests=enrolments.requests_of(session, workshop) if policy.can_run_workshops(viewer)
                           else [], statuses=enrolments.STATUSES)


@bp.route("/<int:workshop_id>/rejoindre", methods=["POST"])
def join(workshop_id: int):
    """Demander à rejoindre un groupe (professionnel·les) ; ses formateur·rices sont prévenu·es."""
    viewer = current_viewer()
    require(policy.can_contribute(viewer))
    workshop, session = _get(Workshop, workshop_id), get_session()

    def run() -> str:
        enrolments.request_to_join(session, workshop, viewer, request.form.get("message", ""),
                                   url_for(".detail", workshop_id=workshop.id, _external=True) + "#demandes")
        return "Votre demande est transmise aux formateur·rices du groupe ; vous recevrez leur réponse par courriel."

    return button_cycle(run, url_for(".detail", workshop_id=workshop.id))


@bp.route("/demandes/<int:request_id>", methods=["POST"])
def decide_request(request_id: int):
    """Accepter ou refuser une demande pour rejoindre un groupe."""
    _trainer()
    session = get_session()
    found = _get(JoinRequest, request_id)
    accept = request.form.get("decision") == "accepter"

    def run() -> str:
        enrolments.decide(session, found, accept, current_viewer(),
                          url_for(".detail", workshop_id=found.workshop_id, _external=True))
        return "La demande est acceptée." if accept else "La demande est refusée."

    return button_cycle(run, url_for(".detail", workshop_id=found.workshop_id) + "#demandes")


def _workshop_context() -> dict:
    session = get_session()
    return {"territories": catalog.territories(session), "trainers": services.trainers(session),
            "people": services.practitioners(session)}


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    """Créer un groupe d'atelier."""
    _trainer()
    session, viewer = get_session(), current_viewer()
    return form_cycle(parse=parse_workshop_form, save=lambda data: services.save_workshop(session, data, viewer),
                      template="workshops/form.html", initial=MultiDict({"year": str(calendar.today().year)}),
                      success=lambda w: url_for(".detail", workshop_id=w.id), message="Le groupe est créé.",
                      workshop=None, **_workshop_context())


@bp.route("/<int:workshop_id>/modifier", methods=["GET", "POST"])
def edit(workshop_id: int):
    """Modifier un groupe : formateur·rices et inscriptions."""
    _trainer()
    session, viewer, workshop = get_session(), current_viewer(), _get(Workshop, workshop_id)
    return form_cycle(parse=parse_workshop_form,
                      save=lambda data: services.save_workshop(session, data, viewer, workshop),
                      template="workshops/form.html", initial=workshop_form_values(workshop),
                      success=lambda w: url_for(".detail", workshop_id=w.id), message="Le groupe est mis à jour.",
                      workshop=workshop, **_workshop_context())


@bp.route("/<int:workshop_id>/supprimer", methods=["GET", "POST"])
def delete(workshop_id: int):
    """Supprimer un groupe et ses séances."""
    _trainer()
    session, workshop = get_session(), _get(Workshop, workshop_id)
    return delete_cycle(obj=workshop, delete=lambda w: services.delete_workshop(session, w),
                        template="confirm_delete.html", success=url_for(".index"),
                        message="Le groupe est supprimé.", what="le groupe", name=workshop.name,
                        cancel=url_for(".detail", workshop_id=workshop.id))


@bp.route("/<int:workshop_id>/seances/nouvelle", methods=["GET", "POST"])
def create_session(workshop_id: int):
    """Ajouter une demi-journée au groupe."""
    _trainer()
    session, workshop = get_session(), _get(Workshop, workshop_id)
    return form_cycle(parse=parse_session_form, save=lambda data: services.save_session(session, workshop, data),
                      template="workshops/session_form.html", initial=MultiDict({"status": "prevue"}),
                      success=lambda m: url_for(".prepare", session_id=m.id), message="La séance est ajoutée.",
                      workshop=workshop, meeting=None)


@bp.route("/seances/<int:session_id>")
def session_page(session_id: int):
    """Une séance : programme, présentations et ce que le groupe en a tiré."""
    meeting = _get(WorkshopSession, session_id)
    present = sum(1 for a in meeting.attendance if a.present)
    return render_template("workshops/session.html", meeting=meeting, present=present, hours=hours(),
                           tools=tool_services.used_in_session(get_session(), meeting))


@bp.route("/seances/<int:session_id>/modifier", methods=["GET", "POST"])
def edit_session(session_id: int):
    """Modifier la date, la demi-journée, le lieu ou l'état d'une séance."""
    _trainer()
    session, meeting = get_session(), _get(WorkshopSession, session_id)
    initial = MultiDict({"day": meeting.day.isoformat(), "half_day": meeting.half_day, "place": meeting.place,
                         "status": meeting.status})
    return form_cycle(parse=parse_session_form,
                      save=lambda data: services.save_session(session, meeting.workshop, data, meeting),
                      template="workshops/session_form.html", initial=initial,
                      success=lambda m: url_for(".session_page", session_id=m.id), message="La séance est modifiée.",
                      workshop=meeting.workshop, meeting=meeting)


@bp.route("/seances/<int:session_id>/supprimer", methods=["GET", "POST"])
def delete_session(session_id: int):
    """Supprimer une séance."""
    _trainer()
    session, meeting = get_session(), _get(WorkshopSession, session_id)
    return delete_cycle(obj=meeting, delete=lambda m: services.delete_session(session, m),
                        template="confirm_delete.html", success=url_for(".detail", workshop_id=meeting.workshop_id),
                        message="La séance est supprimée.", what="la séance du", name=meeting.day.strftime("%d/%m/%Y"),
                        cancel=url_for(".session_page", session_id=meeting.id))


@bp.route("/seances/<int:session_id>/preparer", methods=["GET", "POST"])
def prepare(session_id: int):
    """Préparer une séance : choisir des actions étiquetées, les présentateur·rices, l'ordre du programme."""
    _trainer()
    session, meeting = get_session(), _get(WorkshopSession, session_id)
    values, errors = (request.form, {}) if request.method == "POST" else (MultiDict(), {})
    if request.method == "POST":
        result = parse_presentation_form(request.form)
        errors = result.errors
        if result.ok:
            try:
                services.add_presentation(session, meeting, result.data)
                commit()
            except DomainError as exc:
                session.rollback()
                errors = {exc.field or "__all__": exc.message}
            else:
                flash("L'action est ajoutée au programme.", "success")
                return redirect(url_for(".prepare", session_id=meeting.id, q=request.args.get("q") or None,
                                        etiquette=request.args.get("etiquette") or None))
    text, tag = request.args.get("q", "").strip()[:200], request.args.get("etiquette", "").strip()[:100]
    ids, unavailable = action_ids_for(text)
    found = services.candidates(session, tag or None, [] if unavailable else ids)
    return render_template("workshops/prepare.html", meeting=meeting, candidates=found, values=values, errors=errors,
                           tags=services.workshop_tags(session), q=text, tag=tag,
                           people=services.practitioners(session)), 422 if errors else 200


def _presentation(session_id: int, presentation_id: int) -> Presentation:
    presentation = _get(Presentation, presentation_id)
    if presentation.session_id != session_id:
        abort(404)
    return presentation


@bp.route("/seances/<int:session_id>/presentations/<int:presentation_id>/<move>", methods=["POST"])
def reorder(session_id: int, presentation_id: int, move: str):
    """Monter, descendre ou retirer une présentation du programme."""
    _trainer()
    session, presentation = get_session(), _presentation(session_id, presentation_id)
    if move == "monter":
        services.move_presentation(session, presentation, -1)
    elif move == "descendre":
        services.move_presentation(session, presentation, +1)
    elif move == "retirer":
        services.remove_presentation(session, presentation)
    else:
        abort(404)
    commit()
    return redirect(url_for(".prepare", session_id=session_id))


@bp.route("/seances/<int:session_id>/presentations/<int:presentation_id>/synthese", methods=["GET", "POST"])
def synthesis(session_id: int, presentation_id: int):
    """Écrire la synthèse du groupe : ce qui a été appris, les questions soulevées."""
    _trainer()
    session, presentation = get_session(), _presentation(session_id, presentation_id)
    initial = MultiDict({"learnt": presentation.learnt, "questions": presentation.questions})
    return form_cycle(parse=parse_synthesis_form,
                      save=lambda data: services.save_synthesis(session, presentation, data),
                      template="workshops/synthesis.html", initial=initial,
                      success=lambda p: url_for(".session_page", session_id=p.session_id),
                      message="La synthèse est enregistrée.", presentation=presentation)


@bp.route("/seances/<int:session_id>/presences", methods=["GET", "POST"])
def attendance(session_id: int):
    """Pointer les présences des inscrit·es."""
    _trainer()
    session, meeting = get_session(), _get(WorkshopSession, session_id)
    present = {a.practitioner_id for a in meeting.attendance if a.present}
    initial = MultiDict([("present", str(i)) for i in sorted(present)])
    return form_cycle(parse=parse_attendance_form,
                      save=lambda ids: services.record_attendance(session, meeting, ids, calendar.today()),
                      template="workshops/attendance.html", initial=initial,
                      success=lambda _n: url_for(".session_page", session_id=meeting.id),
                      message=lambda n: f"Présences enregistrées : {n} présent·e{'s' if n > 1 else ''}.",
                      meeting=meeting)


@bp.route("/seances/<int:session_id>/programme")
def programme(session_id: int):
    """Programme imprimable de la séance."""
    return render_template("workshops/print_programme.html", meeting=_get(WorkshopSession, session_id), hours=hours())


@bp.route("/seances/<int:session_id>/emargement")
def sign_in_sheet(session_id: int):
    """Feuille d'émargement imprimable (noms des inscrit·es : formateur·rices seulement)."""
    _trainer()
    return render_template("workshops/print_sheet.html", meeting=_get(WorkshopSession, session_id), hours=hours())


@bp.route("/<int:workshop_id>.ics")
def workshop_feed(workshop_id: int):
    """Agenda iCalendar d'un groupe."""
    workshop = _get(Workshop, workshop_id)
    body = calendar.feed(f"Atelier : {workshop.name}", services.sessions_for_calendar(get_session(), workshop), [],
                         hours(), lambda m: url_for(".session_page", session_id=m.id, _external=True),
                         stamp=utcnow())
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'inline; filename="atelier-{workshop.id}.ics"'})


@bp.route("/actions/<int:action_id>/etiquettes", methods=["GET", "POST"])
def tags(action_id: int):
    """Étiquettes d'atelier d'une action (formateur·rices), distinctes des thèmes de l'auteur·rice."""
    _trainer()
    session = get_session()
    action = action_services.get_action(session, action_id)
    if action is None:
        abort(404)
    initial = MultiDict([("tag", t.name) for t in action.tags_of("atelier")])
    return form_cycle(parse=parse_tags_form, save=lambda names: services.set_workshop_tags(session, action, names),
                      template="workshops/tags.html", initial=initial,
                      success=lambda _r: url_for("actions.detail", action_id=action.id),
                      message="Les étiquettes d'atelier sont enregistrées.", action=action,
                      known=services.workshop_tags(session))
