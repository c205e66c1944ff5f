"""The agenda (upcoming sessions and debate days, iCalendar feed) and the debate day with its themes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import calendar, policy
from kb.auth import require
from kb.db import commit, get_session
from kb.forms.workshops import (
    SEMINAR_DAY_FIELDS,
    parse_debate_form,
    parse_ids,
    parse_seminar_form,
    parse_theme_form,
)
from kb.models import DebateDay, DebateTheme, Seminar, WorkshopSession
from kb.models.base import utcnow
from kb.services import debates as services
from kb.services import registrations, seats
from kb.services import seminars as seminar_services
from kb.services import workshops as workshop_services
from kb.views._forms import button_cycle, current_viewer, form_cycle
from kb.views.seminars import context as registration_context
from kb.views.seminars import team_actor
from kb.views.workshops import hours

bp = Blueprint("agenda", __name__)


def _debate(debate_id: int) -> DebateDay:
    debate = get_session().get(DebateDay, debate_id)
    if debate is None:
        abort(404)
    return debate


def _url(obj) -> str:
    if isinstance(obj, WorkshopSession):
        return url_for("workshops.session_page", session_id=obj.id, _external=True)
    if isinstance(obj, Seminar):
        return url_for("agenda.seminar", seminar_id=obj.id, _external=True)
    return url_for("agenda.debate", debate_id=obj.id, _external=True)


@bp.route("/agenda")
def agenda():
    """Agenda : prochaines séances d'atelier et journées débat."""
    session, today = get_session(), calendar.today()
    debates = [d for d in services.list_debates(session) if d.day >= today]
    return render_template("agenda/agenda.html", sessions=workshop_services.upcoming_sessions(session, today),
                           debates=sorted(debates, key=lambda d: d.day), hours=hours(),
                           seminar_days=seminar_services.upcoming_days(session, today))


@bp.route("/agenda.ics")
def feed():
    """Tout l'agenda au format iCalendar (Europe/Paris)."""
    session = get_session()
    body = calendar.feed("Observatoire ISIC", workshop_services.sessions_for_calendar(session),
                         services.list_debates(session), hours(), _url, stamp=utcnow(),
                         seminar_days=seminar_services.all_days(session))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="agenda-observatoire-isic.ics"'})


@bp.route("/journees/")
def debates():
    """Les journées débat/rencontre."""
    return render_template("agenda/debates.html", debates=services.list_debates(get_session()))


@bp.route("/journees/<int:debate_id>")
def debate(debate_id: int):
    """Une journée débat : programme et thèmes issus des groupes, classés par les votes."""
    session, viewer, found = get_session(), current_viewer(), _debate(debate_id)
    return render_template("agenda/debate.html", debate=found, themes=services.ranked_themes(found),
                           my_votes=services.votes_of(session, found, viewer.user_id), max_votes=services.MAX_VOTES,
                           votes_open=services.votes_open(found, calendar.today()),
                           places_left=services.places_left(found),
                           registered=any(p.id == viewer.practitioner_id for p in found.attendees))


@bp.route("/journees/<int:debate_id>/inscription", methods=["POST"])
def register(debate_id: int):
    """S'inscrire à une journée débat (ou annuler son inscription)."""
    viewer = current_viewer()
    require(viewer.signed_in)
    session, found = get_session(), _debate(debate_id)
    cancel = request.form.get("annuler") == "1"

    def run() -> str:
        if cancel:
            services.unregister(session, found, viewer.practitioner_id, calendar.today())
            return "Votre inscription est annulée."
        services.register(session, found, viewer.practitioner_id, calendar.today())
        return "Vous êtes inscrit·e à la journée."

    return button_cycle(run, url_for(".debate", debate_id=found.id))


@bp.route("/journees/nouvelle", methods=["GET", "POST"])
def create_debate():
    """Programmer une journée débat."""
    require(policy.can_run_workshops(current_viewer()))
    session = get_session()
    return form_cycle(parse=parse_debate_form, save=lambda data: services.save_debate(session, data),
                      template="agenda/debate_form.html", initial=MultiDict(),
                      success=lambda d: url_for(".debate", debate_id=d.id), message="La journée est programmée.",
                      debate=None)


@bp.route("/journees/<int:debate_id>/modifier", methods=["GET", "POST"])
def edit_debate(debate_id: int):
    """Modifier une journée débat (date, lieu, programme)."""
    require(policy.can_run_workshops(current_viewer()))
    session, found = get_session(), _debate(debate_id)
    initial = MultiDict({"title": found.title, "day": found.day.isoformat(), "place": found.place,
                         "programme": found.programme, "capacity": "" if found.capacity is None else str(found.capacity)})
    return form_cycle(parse=parse_debate_form, save=lambda data: services.save_debate(session, data, found),
                      template="agenda/debate_form.html", initial=initial,
                      success=lambda d: url_for(".debate", debate_id=d.id), message="La journée est modifiée.",
                      debate=found)


@bp.route("/journees/<int:debate_id>/themes", methods=["GET", "POST"])
def themes(debate_id: int):
    """Regrouper en thèmes les questions soulevées dans les séances de l'année."""
    require(policy.can_run_workshops(current_viewer()))
    session, found = get_session(), _debate(debate_id)
    return form_cycle(parse=parse_theme_form, save=lambda data: services.add_theme(session, found, data),
                      template="agenda/themes.html", initial=MultiDict(),
                      success=lambda _t: url_for(".themes", debate_id=found.id), message="Le thème est créé.",
                      debate=found, questions=services.gathered_questions(session, found))


@bp.route("/journees/themes/<int:theme_id>/supprimer", methods=["POST"])
def delete_theme(theme_id: int):
    """Défaire un thème (ses questions redeviennent libres)."""
    require(policy.can_run_workshops(current_viewer()))
    session = get_session()
    theme = session.get(DebateTheme, theme_id)
    if theme is None:
        abort(404)
    debate_id = theme.debate_day_id
    services.delete_theme(session, theme)
    commit()
    flash("Le thème est supprimé.", "success")
    return redirect(url_for(".themes", debate_id=debate_id))


@bp.route("/journees/themes/<int:theme_id>/vote", methods=["POST"])
def vote(theme_id: int):
    """Voter pour un thème (ou retirer sa voix)."""
    viewer = current_viewer()
    require(policy.can_vote(viewer))
    session = get_session()
    theme = session.get(DebateTheme, theme_id)
    if theme is None:
        abort(404)
    def run() -> str:
        voted = services.toggle_vote(session, theme, viewer.user_id, calendar.today())
        return "Votre voix est comptée." if voted else "Votre voix est retirée."

    return button_cycle(run, url_for(".debate", debate_id=theme.debate_day_id) + "#themes")


@bp.route("/journees/<int:debate_id>/participants", methods=["GET", "POST"])
def attendees(debate_id: int):
    """Inscrire les participant·es de la journée."""
    require(policy.can_run_workshops(current_viewer()))
    session, found = get_session(), _debate(debate_id)
    initial = MultiDict([("attendees", str(p.id)) for p in found.attendees])
    return form_cycle(parse=lambda form: parse_ids(form, "attendees"), save=lambda ids: services.set_attendees(session, found, ids),
                      template="agenda/attendees.html", initial=initial,
                      success=lambda _r: url_for(".debate", debate_id=found.id),
                      message="Les participant·es sont enregistré·es.", debate=found,
                      people=workshop_services.practitioners(session))


@bp.route("/seminaire/")
def seminars():
    """Le séminaire de formation de 3 jours : deux sessions au choix."""
    found, today = seminar_services.list_seminars(get_session()), calendar.today()
    return render_template("agenda/seminars.html", seminars=found,
                           open_ids={s.id for s in found if registrations.bookable_options(s, today)})


@bp.route("/seminaire/<int:seminar_id>")
def seminar(seminar_id: int):
    """Un séminaire : ses deux sessions, son prix, son lieu."""
    session = get_session()
    found = session.get(Seminar, seminar_id)
    if found is None:
        abort(404)
    today = calendar.today()
    return render_template("agenda/seminar.html", seminar=found, counts=seats.counts(session, found),
                           past={o: max(found.option_days(o)) < today for o in found.options()},
                           problems={o: registrations.booking_problem(found, o, today) for o in found.options()},
                           closing={o: registrations.closing_date(found, o) for o in found.options()},
                           bookable=bool(registrations.bookable_options(found, today)),
                           registration_count=registrations.count(session, found),
                           funding_note=current_app.config["FUNDING_NOTE"])


def _seminar_values(found: Seminar) -> MultiDict:
    values = MultiDict({"title": found.title, "year": str(found.year), "price_eur": str(found.price_eur),
                        "place": found.place, "description": found.description, "hours": found.hours,
                        "to_bring": found.to_bring, "capacity": str(found.capacity or ""),
                        "opens_on": found.opens_on.isoformat() if found.opens_on else "",
                        "closes_on": found.closes_on.isoformat() if found.closes_on else ""})
    for option in (1, 2):
        for n, day in enumerate(found.option_days(option), 1):
            values[f"option{option}_day{n}"] = day.isoformat()
    return values


@bp.route("/seminaire/nouveau", methods=["GET", "POST"])
def create_seminar():
    """Programmer un séminaire (deux sessions de trois jours au choix)."""
    require(policy.can_run_workshops(current_viewer()))
    session = get_session()
    return form_cycle(parse=parse_seminar_form, save=lambda data: seminar_services.save_seminar(session, data),
                      template="agenda/seminar_form.html",
                      initial=MultiDict({"price_eur": "250", "year": str(calendar.today().year), "capacity": "20",
                                        "hours": "9 h 30 – 12 h 30 et 13 h 30 – 16 h 30"}),
                      success=lambda s: url_for(".seminar", seminar_id=s.id), message="Le séminaire est programmé.",
                      seminar=None, day_fields=SEMINAR_DAY_FIELDS)


@bp.route("/seminaire/<int:seminar_id>/modifier", methods=["GET", "POST"])
def edit_seminar(seminar_id: int):
    """Modifier les dates, le lieu ou le prix d'un séminaire."""
    require(policy.can_run_workshops(current_viewer()))
    session = get_session()
    found = session.get(Seminar, seminar_id)
    if found is None:
        abort(404)
    return form_cycle(parse=parse_seminar_form,
                      save=lambda data: seminar_services.save_seminar(session, data, found,
                                                                      registration_context(team_actor())),
                      template="agenda/seminar_form.html", initial=_seminar_values(found),
                      success=lambda s: url_for(".seminar", seminar_id=s.id), message="Le séminaire est modifié.",
                      seminar=found, day_fields=SEMINAR_DAY_FIELDS)
