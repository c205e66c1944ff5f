"""The seminar's registrations: the online bulletin, the employer's private page, the team's list and documents."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from kb import calendar, policy
from kb.auth import current_account, require
from kb.db import commit, get_session
from kb.documents import render_pdf
from kb.errors import DomainError
from kb.forms.base import MAX_ID, rows, validate
from kb.forms.fields import parse_date
from kb.forms.seminars import TRAINEE_FIELDS, TraineeInput, parse_registration_form, trainee_row_count
from kb.models import Registration, Seminar, Trainee
from kb.models.seminar import HALF_DAYS, REGISTRATION_STATUSES, TRAINEE_STATES
from kb.services import invoices, presence, registrations, seats
from kb.views._forms import button_cycle, current_viewer

bp = Blueprint("seminars", __name__)


# The private link: a signed token naming the registration and its nonce, valid for a while.


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="registration-link")


def token_for(registration: Registration) -> str:
    """The token of a registration's private link."""
    return _signer().dumps({"r": registration.id, "n": registration.token_nonce})


def _link(registration: Registration) -> str:
    return url_for("seminars.mine", token=token_for(registration), _external=True)


def _from_token(token: str) -> Registration:
    max_age = current_app.config["REGISTRATION_LINK_DAYS"] * 86400
    try:
        data = _signer().loads(token, max_age=max_age)
    except SignatureExpired:
        abort(410)
    except BadSignature:
        abort(404)
    ident = data.get("r") if isinstance(data, dict) else None
    found = get_session().get(Registration, ident) if type(ident) is int and 0 < ident <= MAX_ID else None
    if found is None or found.token_nonce != data.get("n"):
        abort(404)
    return found


def context(actor: str) -> registrations.Context:
    """What the registration services need from the request: who acts, today, links, the team's address."""
    config = current_app.config
    return registrations.Context(actor=actor, today=calendar.today(), link_for=_link, team_email=config["TEAM_EMAIL"],
                                 funding_note=config["FUNDING_NOTE"],
                                 hours=(config["MORNING_HOURS"], config["AFTERNOON_HOURS"]))


def team_actor() -> str:
    """The signed-in team member, as the history names her."""
    account = current_account()
    return f"{account.display_name} (équipe)" if account else "l'équipe"


def _seminar(seminar_id: int) -> Seminar:
    found = get_session().get(Seminar, seminar_id)
    if found is None:
        abort(404)
    return found


def _team_registration(registration_id: int) -> Registration:
    require(policy.can_manage_registrations(current_viewer()))
    found = get_session().get(Registration, registration_id)
    if found is None:
        abort(404)
    return found


def _trainee(registration: Registration, trainee_id: int) -> Trainee:
    found = next((t for t in registration.trainees if t.id == trainee_id), None)
    if found is None:
        abort(404)
    return found


# The bulletin


@bp.route("/seminaire/<int:seminar_id>/bulletin", methods=["GET", "POST"])
def bulletin(seminar_id: int):
    """Le bulletin d'inscription en ligne : l'employeur inscrit un·e ou plusieurs stagiaires."""
    seminar, session = _seminar(seminar_id), get_session()
    today = calendar.today()
    open_options = registrations.bookable_options(seminar, today)
    values, errors, status = request.form if request.method == "POST" else {}, {}, 200
    if request.method == "POST" and not request.form.get("ajouter_ligne"):
        result = parse_registration_form(request.form)
        errors = result.errors
        if result.ok:
            try:
                registration = registrations.register(session, seminar, result.data,
                                                      context(f"{result.data.signer_name} (bulletin en ligne)"))
                commit()
            except DomainError as exc:
                session.rollback()
                errors = {exc.field or "__all__": exc.message}
            else:
                flash(f"Votre bulletin est enregistré sous la référence {registration.reference}.", "success")
                return redirect(url_for(".mine", token=token_for(registration), nouvelle=1))
        status = 422
    if not values:
        values = {"signed_on": today.isoformat(), "option": str(open_options[0]) if open_options else ""}
    return render_template("seminars/bulletin.html", seminar=seminar, values=values, errors=errors,
                           rows=trainee_row_count(values), typed=len(rows(values, "stagiaire", TRAINEE_FIELDS)),
                           open_options=open_options, today=today,
                           problems={o: registrations.booking_problem(seminar, o, today) for o in seminar.options()},
                           counts=seats.counts(session, seminar),
                           funding_note=current_app.config["FUNDING_NOTE"]), status


# The employer's private page


@bp.route("/inscription/<token>")
def mine(token: str):
    """L'inscription vue par l'employeur, par son lien privé (sans compte)."""
    registration = _from_token(token)
    return render_template("seminars/mine.html", reg=registration, token=token, **_detail(registration),
                           may_change=registrations.employer_may_change(registration, calendar.today()),
                           new=request.args.get("nouvelle") == "1")


@bp.route("/inscription/<token>/stagiaires", methods=["POST"])
def mine_add(token: str):
    """Ajouter un·e stagiaire avant la clôture des inscriptions."""
    registration = _from_token(token)
    return _add_trainee(registration, "l'employeur (lien privé)", url_for(".mine", token=token), by_team=False)


@bp.route("/inscription/<token>/stagiaires/<int:trainee_id>/retirer", methods=["POST"])
def mine_remove(token: str, trainee_id: int):
    """Retirer un·e stagiaire (sa place va à la liste d'attente)."""
    registration = _from_token(token)
    trainee = _trainee(registration, trainee_id)
    return button_cycle(lambda: _cancelled(registrations.cancel_trainee(
        get_session(), registration, trainee, context("l'employeur (lien privé)")), trainee),
        url_for(".mine", token=token))


@bp.route("/inscription/<token>/annuler", methods=["POST"])
def mine_cancel(token: str):
    """Annuler toute l'inscription."""
    registration = _from_token(token)
    return button_cycle(lambda: (registrations.cancel(get_session(), registration, context("l'employeur (lien privé)"))
                                 and None) or "L'inscription est annulée.", url_for(".mine", token=token))


@bp.route("/inscription/<token>/<any(bulletin, convocations, attestations):kind>.pdf")
def mine_document(token: str, kind: str):
    """Un document de l'inscription, en PDF."""
    return _document(_from_token(token), kind)


@bp.route("/inscription/<token>/<any(facture, avoir):kind>/<label>.pdf")
def mine_invoice(token: str, kind: str, label: str):
    """Une facture ou un avoir de l'inscription, en PDF."""
    return _invoice_pdf(_from_token(token), kind, label)


def _cancelled(promoted: Trainee | None, trainee: Trainee) -> str:
    message = f"{trainee.name} est retiré·e de l'inscription."
    return message + (f" Sa place va à {promoted.name}, en liste d'attente jusqu'ici." if promoted else "")


def _add_trainee(registration: Registration, actor: str, back: str, by_team: bool):
    result = validate(TraineeInput, {k: request.form.get(k, "") for k in ("last_name", "first_name", "function",
                                                                          "email")})
    if not result.ok:
        flash("Stagiaire non ajouté·e : " + " ".join(f"{_FIELD_NAMES.get(k, k)} : {v}"
                                                     for k, v in result.errors.items()), "error")
        return redirect(back)

    def run() -> str:
        trainee = registrations.add_trainee(get_session(), registration, result.data, context(actor), by_team=by_team)
        return (f"{trainee.name} est inscrit·e sur une place confirmée." if trainee.state == "place"
                else f"{trainee.name} est en liste d'attente : la session est complète.")
    return button_cycle(run, back)


_FIELD_NAMES = {"last_name": "nom", "first_name": "prénom", "function": "fonction", "email": "courriel"}


def _detail(registration: Registration) -> dict:
    session = get_session()
    seminar = registration.seminar
    today = calendar.today()
    days = seminar.option_days(registration.option)
    ended = bool(days) and max(days) < today
    return {"status_labels": REGISTRATION_STATUSES, "trainee_states": TRAINEE_STATES,
            "summary": registrations.seat_summary(registration), "seminar": seminar,
            "closing": registrations.closing_date(seminar, registration.option),
            "may_certify": ended and bool(registration.seated()),
            "invoice_list": list(registration.invoices), "funding_note": current_app.config["FUNDING_NOTE"],
            "attendance": {t.id: presence.attended(session, t) for t in registration.seated()}}


def _pdf(content: bytes, filename: str) -> Response:
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


def _document(registration: Registration, kind: str) -> Response:
    session = get_session()
    if kind == "bulletin":
        return _pdf(render_pdf("bulletin.html", reg=registration, trainee_states=TRAINEE_STATES,
                               status_label=REGISTRATION_STATUSES[registration.status]),
                    f"bulletin-{registration.reference}.pdf")
    trainees = registration.seated()
    if not trainees:
        abort(404)
    if kind == "convocations":
        return _pdf(render_pdf("convocation.html", reg=registration, trainees=trainees),
                    f"convocations-{registration.reference}.pdf")
    if not _detail(registration)["may_certify"]:
        abort(404)
    days = presence.half_days(registration.seminar, registration.option)
    morning, afternoon = (calendar.half_day_hours(current_app.config[k]) for k in ("MORNING_HOURS", "AFTERNOON_HOURS"))
    hours = sum((e.hour * 60 + e.minute - s.hour * 60 - s.minute) for s, e in (morning, afternoon)) / 120
    return _pdf(render_pdf("attestation.html", reg=registration, total=len(days), half_days=days,
                           half_labels=HALF_DAYS, hours_per_half=hours, issued_on=calendar.today(),
                           certificates=[(t, presence.attended(session, t)) for t in trainees]),
                f"attestations-{registration.reference}.pdf")


def _invoice_pdf(registration: Registration, kind: str, label: str) -> Response:
    invoice = invoices.find(get_session(), registration, "facture" if kind == "facture" else "avoir", label)
    if invoice is None:
        abort(404)
    return _pdf(render_pdf("invoice.html", reg=registration, invoice=invoice, lines=invoices.invoice_lines(invoice)),
                f"{invoice.label}.pdf")


# The team's pages


@bp.route("/seminaire/inscriptions/<int:registration_id>")
def registration(registration_id: int):
    """Une inscription vue par l'équipe : stagiaires, statut, suivi, documents, historique."""
    found = _team_registration(registration_id)
    return render_template("seminars/registration.html", reg=found, **_detail(found))


@bp.route("/seminaire/inscriptions/<int:registration_id>/statut", methods=["POST"])
def set_status(registration_id: int):
    """Confirmer, remettre en « reçue » ou annuler une inscription."""
    found = _team_registration(registration_id)
    status = request.form.get("status", "")
    back = request.form.get("back") == "liste" and url_for(".team_list", seminar_id=found.seminar_id) or url_for(
        ".registration", registration_id=found.id)

    def run() -> str:
        registrations.set_status(get_session(), found, status, context(team_actor()))
        return f"Inscription {found.reference} : {REGISTRATION_STATUSES[found.status]}."
    return button_cycle(run, back)


@bp.route("/seminaire/inscriptions/<int:registration_id>/suivi", methods=["POST"])
def paperwork(registration_id: int):
    """Noter la réception du bulletin signé et du paiement."""
    found = _team_registration(registration_id)
    try:
        signed, paid = (parse_date(request.form.get(k) or "") for k in ("signed_received_on", "paid_on"))
    except ValueError as exc:
        flash(f"Suivi non enregistré : {exc}", "error")
        return redirect(url_for(".registration", registration_id=found.id))
    return button_cycle(lambda: registrations.set_paperwork(get_session(), found, signed, paid, context(team_actor()))
                        or "Le suivi est enregistré.", url_for(".registration", registration_id=found.id))


@bp.route("/seminaire/inscriptions/<int:registration_id>/stagiaires", methods=["POST"])
def team_add(registration_id: int):
    """Ajouter un·e stagiaire (l'équipe, même après la clôture)."""
    found = _team_registration(registration_id)
    return _add_trainee(found, team_actor(), url_for(".registration", registration_id=found.id), by_team=True)


@bp.route("/seminaire/inscriptions/<int:registration_id>/stagiaires/<int:trainee_id>/annuler", methods=["POST"])
def team_remove(registration_id: int, trainee_id: int):
    """Annuler un·e stagiaire (la liste d'attente avance)."""
    found = _team_registration(registration_id)
    trainee = _trainee(found, trainee_id)
    return button_cycle(lambda: _cancelled(registrations.cancel_trainee(
        get_session(), found, trainee, context(team_actor()), by_team=True), trainee),
        url_for(".registration", registration_id=found.id))


@bp.route("/seminaire/inscriptions/<int:registration_id>/lien", methods=["POST"])
def renew_link(registration_id: int):
    """Révoquer le lien privé et en envoyer un nouveau à l'employeur."""
    found = _team_registration(registration_id)
    return button_cycle(lambda: registrations.renew_link(get_session(), found, context(team_actor()))
                        or f"Un nouveau lien est envoyé à {found.email} ; l'ancien ne fonctionne plus.",
                        url_for(".registration", registration_id=found.id))


@bp.route("/seminaire/inscriptions/<int:registration_id>/<any(bulletin, convocations, attestations):kind>.pdf")
def team_document(registration_id: int, kind: str):
    """Un document de l'inscription (équipe)."""
    return _document(_team_registration(registration_id), kind)


@bp.route("/seminaire/inscriptions/<int:registration_id>/<any(facture, avoir):kind>/<label>.pdf")
def team_invoice(registration_id: int, kind: str, label: str):
    """Une facture ou un avoir (équipe)."""
    return _invoice_pdf(_team_registration(registration_id), kind, label)
