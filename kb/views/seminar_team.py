"""The team's side of the seminar: the list of registrations, its CSV, attendance per half-day and its sheets.

These routes belong to the `seminars` blueprint (kb.views.seminars), kept in their own module for size.
"""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request, url_for

from kb import calendar, policy
from kb.auth import require
from kb.db import get_session
from kb.documents import render_pdf
from kb.forms.seminars import parse_half_day, parse_team_filters
from kb.models import Seminar
from kb.models.seminar import HALF_DAYS, REGISTRATION_STATUSES, TRAINEE_STATES
from kb.services import presence, registrations, seats
from kb.views._csv import csv_response
from kb.views._forms import button_cycle, current_viewer
from kb.views.seminars import _pdf, bp


def _team_seminar(seminar_id: int) -> Seminar:
    require(policy.can_manage_registrations(current_viewer()))
    found = get_session().get(Seminar, seminar_id)
    if found is None:
        abort(404)
    return found


@bp.route("/seminaire/<int:seminar_id>/inscriptions")
def team_list(seminar_id: int):
    """Les inscriptions d'un séminaire : filtres, recherche, places et liste d'attente par session."""
    seminar = _team_seminar(seminar_id)
    session = get_session()
    filters = parse_team_filters(request.args)
    found = registrations.list_registrations(session, seminar, filters)
    return render_template("seminars/team_list.html", seminar=seminar, registrations=found, filters=filters,
                           counts=seats.counts(session, seminar), status_labels=REGISTRATION_STATUSES,
                           summary=registrations.seat_summary, half_days=presence.half_days(seminar),
                           args=request.args)


@bp.route("/seminaire/<int:seminar_id>/inscriptions.csv")
def team_csv(seminar_id: int):
    """Les stagiaires des inscriptions filtrées, en CSV (une ligne par stagiaire)."""
    seminar = _team_seminar(seminar_id)
    found = registrations.list_registrations(get_session(), seminar, parse_team_filters(request.args))
    header = ("Référence", "Session", "Statut", "Structure", "SIRET", "Commune", "Courriel de la structure",
              "Signataire", "Nom", "Prénom", "Fonction", "Courriel", "Place", "Prix (€)", "Bulletin signé reçu",
              "Paiement reçu")
    lines = [(r.reference, r.option, REGISTRATION_STATUSES[r.status], r.organisation_name, r.siret, r.commune, r.email,
              r.signer_name, t.last_name, t.first_name, t.function, t.email, TRAINEE_STATES[t.state],
              r.unit_price_eur, _day(r.signed_received_on), _day(r.paid_on))
             for r in found for t in r.trainees]
    return csv_response(f"inscriptions-seminaire-{seminar.year}.csv", header, lines)


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _half_day_or_404(seminar: Seminar, day: str | None, half: str | None) -> presence.HalfDay:
    parsed = parse_half_day(day, half)
    found = presence.find_half_day(seminar, *parsed) if parsed else None
    if found is None:
        abort(404)
    return found


@bp.route("/seminaire/<int:seminar_id>/presences", methods=["GET", "POST"])
def attendance(seminar_id: int):
    """Cocher la présence des stagiaires à une demi-journée (liste à cocher, utilisable sur téléphone)."""
    seminar = _team_seminar(seminar_id)
    session = get_session()
    all_half_days = presence.half_days(seminar)
    if not all_half_days:
        abort(404)
    source = request.form if request.method == "POST" else request.args
    today = calendar.today()
    if source.get("jour"):
        half_day = _half_day_or_404(seminar, source.get("jour"), source.get("demi"))
    else:
        half_day = next((h for h in all_half_days if h.day >= today), all_half_days[-1])
    back = url_for(".attendance", seminar_id=seminar.id, jour=half_day.day.isoformat(), demi=half_day.half)
    if request.method == "POST":
        ticked = {int(v) for v in request.form.getlist("present") if v.isdigit() and len(v) < 10}

        def run() -> str:
            count = presence.record(session, seminar, half_day, ticked, today)
            return f"Présences du {half_day.label} enregistrées : {count} présent·e(s)."
        return button_cycle(run, back)
    trainees = presence.expected(session, seminar, half_day.option)
    return render_template("seminars/attendance.html", seminar=seminar, half_day=half_day, half_days=all_half_days,
                           trainees=trainees, present=presence.present_ids(session, half_day, trainees),
                           too_early=half_day.day > today, half_labels=HALF_DAYS)


@bp.route("/seminaire/<int:seminar_id>/emargement/<day>/<half>.pdf")
def sign_in_sheet(seminar_id: int, day: str, half: str):
    """La feuille d'émargement d'une demi-journée, en PDF."""
    seminar = _team_seminar(seminar_id)
    half_day = _half_day_or_404(seminar, day, half)
    session = get_session()
    trainees = presence.expected(session, seminar, half_day.option)
    return _pdf(render_pdf("emargement.html", seminar=seminar, half_day=half_day, half_label=HALF_DAYS[half_day.half],
                           trainees=trainees, present=presence.present_ids(session, half_day, trainees)),
                f"emargement-{half_day.day.isoformat()}-{half_day.half}.pdf")
