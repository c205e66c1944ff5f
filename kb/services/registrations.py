"""Registrations to the seminar: the bulletin, its trainees, the waiting list, its status and history.

Every change goes through here and leaves a line in the registration's history; the seats follow
(`kb.services.seats`), then the invoices (`kb.services.invoices`), then the mails to the employer and
to the team, sent after the commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from kb import calendar
from kb.errors import DomainError
from kb.forms.seminars import RegistrationInput, TeamFilters, TraineeInput
from kb.mail import Mail, queue
from kb.models import Organisation, Registration, RegistrationEvent, Seminar, Trainee
from kb.models.base import utcnow
from kb.models.seminar import REGISTRATION_STATUSES
from kb.services import invoices, seats
from kb.services.places import resolve_commune


@dataclass(frozen=True)
class Context:
    """Who acts, on which day, and what mails need: the private link of a registration, the team's address."""

    actor: str
    today: date
    link_for: Callable[[Registration], str]
    team_email: str
    funding_note: str = ""
    hours: tuple[str, str] = ("09:00-12:30", "13:30-17:00")
    now: datetime | None = None  # when the history says it happened (the demo replays 2012); default: now
    mail: bool = True  # False: no mail (the demo, a seminar edited outside a request)

    def moment(self) -> datetime:
        """The time written in the history."""
        return self.now or utcnow()


def closing_date(seminar: Seminar, option: int) -> date | None:
    """The last day a registration of this session can be made or changed by the employer."""
    days = seminar.option_days(option)
    if not days:
        return None
    eve = min(days) - timedelta(days=1)
    return min(seminar.closes_on, eve) if seminar.closes_on else eve


def booking_problem(seminar: Seminar, option: int, today: date) -> str | None:
    """Why this session cannot be booked today (French), or None when it can."""
    days = seminar.option_days(option)
    if not days:
        return "Cette session n'existe pas."
    if max(days) < today:
        return "Cette session est passée."
    if not seminar.capacity:
        return "Les inscriptions en ligne ne sont pas ouvertes pour ce séminaire."
    if seminar.opens_on and today < seminar.opens_on:
        return f"Les inscriptions ouvrent le {seminar.opens_on:%d/%m/%Y}."
    if today > closing_date(seminar, option):
        return "Les inscriptions à cette session sont closes."
    return None


def bookable_options(seminar: Seminar, today: date) -> list[int]:
    """The sessions open for registration today."""
    return [o for o in seminar.options() if booking_problem(seminar, o, today) is None]


def employer_may_change(registration: Registration, today: date) -> bool:
    """The employer adds, removes or cancels until the closing date, unless the registration is cancelled."""
    closing = closing_date(registration.seminar, registration.option)
    return registration.status != "annulee" and closing is not None and today <= closing


def lock(session: Session, registration: Registration) -> None:
    """Take the seminar's lock and reload: changes to one seminar's registrations run one after the other.

    Every change of seats, registrations and their invoices takes the seminar's row first (`seats.lock_seminar`),
    always in that order, so two requests never wait on each other in a cycle. What the request read before (its
    trainees, its current invoice) is then read again, fresh, under the lock.
    """
    seats.lock_seminar(session, registration.seminar_id)
    session.expire_all()


def _log(session: Session, registration: Registration, actor: str, message: str, ctx: Context) -> None:
    registration.events.append(RegistrationEvent(actor=actor, message=message, created_at=ctx.moment()))


def _refresh_status(registration: Registration) -> str:
    if registration.cancelled_at is not None or not registration.active():
        status = "annulee"
    elif not registration.seated():
        status = "attente"
    else:
        status = "confirmee" if registration.confirmed_at is not None else "recue"
    registration.status = status
    return status


def seat_summary(registration: Registration) -> str:
    """« 2 places confirmées, 1 en liste d'attente » (what the employer and the team read)."""
    seated, waiting = len(registration.seated()), len(registration.waiting())
    parts = []
    if seated:
        parts.append(f"{seated} place{'s' if seated > 1 else ''} confirmée{'s' if seated > 1 else ''}")
    if waiting:
        parts.append(f"{waiting} en liste d'attente")
    return ", ".join(parts) or "aucun·e stagiaire inscrit·e"


def _settle(session: Session, registration: Registration, ctx: Context) -> None:
    before = registration.status
    after = _refresh_status(registration)
    session.add(registration)
    if after != before:
        _log(session, registration, ctx.actor,
             f"Statut : {REGISTRATION_STATUSES[before]} → {REGISTRATION_STATUSES[after]}.", ctx)
    for document in invoices.sync_invoice(session, registration, ctx.today):
        kind = "Facture" if document.kind == "facture" else "Avoir"
        _log(session, registration, ctx.actor, f"{kind} {document.label} émis ({document.amount_eur} €).", ctx)
    session.flush()


def _add(session: Session, registration: Registration, data: TraineeInput) -> Trainee:
    trainee = Trainee(last_name=data.last_name, first_name=data.first_name, function=data.function, email=data.email)
    registration.trainees.append(trainee)
    seats.seat_or_queue(session, registration, trainee)
    return trainee


def register(session: Session, seminar: Seminar, data: RegistrationInput, ctx: Context) -> Registration:
    """Record a bulletin: seats for its trainees in arrival order, the rest on the waiting list."""
    problem = booking_problem(seminar, data.option, ctx.today)
    if problem:
        raise DomainError(problem, field="option")
    seats.lock_seminar(session, seminar.id)
    insee, commune_name = None, data.commune
    if data.commune:
        commune = resolve_commune(session, data.commune if data.commune.isdigit() or not data.postal_code
                                  else f"{data.postal_code} {data.commune}")
        insee, commune_name = commune.insee, commune.name
    known = session.exec(select(Organisation).where(
        func.lower(Organisation.name) == data.organisation_name.lower())).first()
    nonce = secrets.token_hex(8)
    registration = Registration(
        seminar_id=seminar.id, option=data.option, reference=f"tmp-{nonce}", status="recue",
        organisation_id=known.id if known else None, commune_insee=insee, unit_price_eur=seminar.price_eur,
        token_nonce=nonce, created_at=ctx.moment(), **data.model_dump(exclude={"option", "trainees", "commune"}), commune=commune_name)
    session.add(registration)
    session.flush()
    registration.reference = f"INS-{seminar.year}-{registration.id:04d}"
    _log(session, registration, ctx.actor, f"Bulletin reçu pour la session {data.option}, "
                                           f"{len(data.trainees)} stagiaire(s).", ctx)
    for row in data.trainees:
        _add(session, registration, row)
    _settle(session, registration, ctx)
    _mail_registered(session, registration, ctx)
    return registration


def add_trainee(session: Session, registration: Registration, data: TraineeInput, ctx: Context,
                by_team: bool = False) -> Trainee:
    """Add one trainee (she takes a free seat or queues)."""
    lock(session, registration)
    if not by_team and not employer_may_change(registration, ctx.today):
        raise DomainError("Les inscriptions à cette session sont closes : contactez l'équipe de l'observatoire.")
    if registration.status == "annulee":
        raise DomainError("Cette inscription est annulée : faites un nouveau bulletin.")
    trainee = _add(session, registration, data)
    where = "sur une place" if trainee.state == "place" else "en liste d'attente"
    _log(session, registration, ctx.actor, f"Stagiaire ajouté·e : {trainee.name}, {where}.", ctx)
    _settle(session, registration, ctx)
    return trainee


def cancel_trainee(session: Session, registration: Registration, trainee: Trainee, ctx: Context,
                   by_team: bool = False) -> Trainee | None:
    """Cancel one trainee; her seat goes to the first waiting trainee of the session, who is told by mail."""
    lock(session, registration)
    if trainee.registration_id != registration.id or trainee.state == "annule":
        raise DomainError("Ce ou cette stagiaire ne figure pas (ou plus) sur cette inscription.")
    if not by_team and not employer_may_change(registration, ctx.today):
        raise DomainError("Les inscriptions à cette session sont closes : contactez l'équipe de l'observatoire.")
    promoted = seats.release(session, trainee)
    _log(session, registration, ctx.actor, f"Stagiaire retiré·e : {trainee.name}.", ctx)
    _settle(session, registration, ctx)
    after_promotion(session, promoted, ctx)
    return promoted


def cancel(session: Session, registration: Registration, ctx: Context, by_team: bool = False) -> list[Trainee]:
    """Cancel the whole registration; each freed seat goes to the waiting list."""
    lock(session, registration)
    if registration.status == "annulee":
        raise DomainError("Cette inscription est déjà annulée.")
    if not by_team and not employer_may_change(registration, ctx.today):
        raise DomainError("Les inscriptions à cette session sont closes : contactez l'équipe de l'observatoire.")
    for trainee in registration.waiting():  # out of the line first: a freed seat must not go to them
        trainee.state = "annule"
        session.add(trainee)
    session.flush()
    promoted = [p for t in registration.seated() if (p := seats.release(session, t)) is not None]
    registration.cancelled_at = ctx.moment()
    _log(session, registration, ctx.actor, "Inscription annulée.", ctx)
    _settle(session, registration, ctx)
    queue(session, Mail(to=registration.email, subject=f"Inscription {registration.reference} annulée",
                        body=f"Bonjour,\n\nL'inscription {registration.reference} au {registration.seminar.title} "
                             "est annulée.\n\nL'équipe de l'observatoire des pratiques de l'ISIC"))
    queue(session, Mail(to=ctx.team_email, subject=f"Inscription {registration.reference} annulée",
                        body=f"{registration.organisation_name} a annulé l'inscription {registration.reference} "
                             f"({ctx.actor})."))
    for trainee in promoted:
        after_promotion(session, trainee, ctx)
    return promoted


def set_status(session: Session, registration: Registration, status: str, ctx: Context) -> None:
    """The team confirms a registration, takes a confirmation back, or cancels it."""
    lock(session, registration)
    if status == "annulee":
        cancel(session, registration, ctx, by_team=True)
        return
    if registration.status == "annulee":
        raise DomainError("Une inscription annulée ne peut pas être rétablie : faites un nouveau bulletin.")
    if status not in ("recue", "confirmee"):
        raise DomainError("La liste d'attente suit les places : ce statut ne se choisit pas.", field="status")
    registration.confirmed_at = ctx.moment() if status == "confirmee" else None
    _settle(session, registration, ctx)


def set_paperwork(session: Session, registration: Registration, signed_on: date | None, paid_on: date | None,
                  ctx: Context) -> None:
    """Record (or clear) the dates the signed bulletin and the payment were received."""
    if any(d is not None and d > ctx.today for d in (signed_on, paid_on)):
        raise DomainError("Une date de réception ne peut pas être dans le futur.")
    lock(session, registration)
    for label, old, new in (("Bulletin signé reçu", registration.signed_received_on, signed_on),
                            ("Paiement reçu", registration.paid_on, paid_on)):
        if old != new:
            _log(session, registration, ctx.actor, f"{label} : {new:%d/%m/%Y}." if new else f"{label} : effacé.", ctx)
    registration.signed_received_on, registration.paid_on = signed_on, paid_on
    session.add(registration)
    session.flush()


def after_promotion(session: Session, trainee: Trainee | None, ctx: Context) -> None:
    """A waiting trainee got a seat: her registration's status, history and invoice follow; both parties are told."""
    if trainee is None:
        return
    registration = trainee.registration
    lock(session, registration)
    _log(session, registration, "l'observatoire (liste d'attente)", f"Place libérée attribuée à {trainee.name}.", ctx)
    _settle(session, registration, ctx)
    if not ctx.mail:
        return
    subject = f"Une place pour {trainee.name} au {registration.seminar.title}"
    queue(session, Mail(to=registration.email, subject=subject,
                        body=f"Bonjour,\n\nUne place s'est libérée : {trainee.name} passe de la liste d'attente à une "
                             f"place confirmée (inscription {registration.reference}, session {registration.option}).\n"
                             f"\nVotre inscription : {ctx.link_for(registration)}\n\n"
                             "L'équipe de l'observatoire des pratiques de l'ISIC"))
    queue(session, Mail(to=ctx.team_email, subject=subject,
                        body=f"{trainee.name} ({registration.organisation_name}, {registration.reference}) "
                             "a reçu la place libérée."))


def _mail_registered(session: Session, registration: Registration, ctx: Context) -> None:
    seminar = registration.seminar
    days = ", ".join(f"{d:%d/%m/%Y}" for d in seminar.option_days(registration.option))
    trainees = "\n".join(f"- {t.name} : {'place confirmée' if t.state == 'place' else 'liste d’attente'}"
                         for t in registration.active())
    body = (f"Bonjour,\n\nNous avons bien reçu votre bulletin d'inscription au {seminar.title}.\n\n"
            f"Référence : {registration.reference}\nSession {registration.option} : {days}\n"
            f"Lieu : {seminar.place or 'communiqué avec la convocation'}\n\nStagiaires ({seat_summary(registration)}) :\n"
            f"{trainees}\n\nTotal : {registration.total_eur()} € ({len(registration.active())} × "
            f"{registration.unit_price_eur} €)\n{ctx.funding_note}\n\n"
            f"Votre inscription, ses documents, l'ajout ou le retrait d'un·e stagiaire et l'annulation, sans "
            f"compte, jusqu'au {closing_date(seminar, registration.option):%d/%m/%Y} : {ctx.link_for(registration)}\n"
            "Gardez ce lien pour vous : il donne accès à l'inscription.\n\n"
            "Les dates sont jointes (fichier .ics pour votre agenda).\n\n"
            "L'équipe de l'observatoire des pratiques de l'ISIC")
    ics = calendar.registration_ics(registration, ctx.hours, ctx.link_for(registration), utcnow())
    queue(session, Mail(to=registration.email, subject=f"Inscription {registration.reference} reçue : {seminar.title}",
                        body=body, attachments=((f"{registration.reference}.ics", "text/calendar", ics),)))
    queue(session, Mail(to=ctx.team_email, subject=f"Nouvelle inscription {registration.reference}",
                        body=f"{registration.organisation_name} inscrit {len(registration.active())} stagiaire(s) "
                             f"à la session {registration.option} ({seat_summary(registration)})."))


def renew_link(session: Session, registration: Registration, ctx: Context) -> None:
    """Revoke the private link (a new nonce) and mail the new one to the employer."""
    lock(session, registration)
    registration.token_nonce = secrets.token_hex(8)
    session.add(registration)
    _log(session, registration, ctx.actor, "Nouveau lien privé envoyé ; l'ancien ne fonctionne plus.", ctx)
    session.flush()
    queue(session, Mail(to=registration.email, subject=f"Inscription {registration.reference} : votre nouveau lien",
                        body=f"Bonjour,\n\nVoici le nouveau lien privé de l'inscription {registration.reference} ; "
                             f"l'ancien ne fonctionne plus :\n{ctx.link_for(registration)}\n\n"
                             "L'équipe de l'observatoire des pratiques de l'ISIC"))


def count(session: Session, seminar: Seminar) -> int:
    """How many registrations the seminar has received (cancelled ones included)."""
    return session.exec(select(func.count()).select_from(Registration).where(
        Registration.seminar_id == seminar.id)).one()


def list_registrations(session: Session, seminar: Seminar, filters: TeamFilters) -> list[Registration]:
    """The seminar's registrations for the team, filtered, oldest first."""
    query = select(Registration).where(Registration.seminar_id == seminar.id)
    if filters.option:
        query = query.where(Registration.option == filters.option)
    if filters.status:
        query = query.where(Registration.status == filters.status)
    if filters.organisation:
        query = query.where(func.lower(Registration.organisation_name).contains(filters.organisation.lower(),
                                                                                autoescape=True))
    if filters.unpaid:
        query = query.where(Registration.paid_on.is_(None), Registration.status != "annulee")
    if filters.unsigned:
        query = query.where(Registration.signed_received_on.is_(None), Registration.status != "annulee")
    if filters.q:
        word = filters.q.lower()

        def has(column):
            return func.lower(column).contains(word, autoescape=True)
        named = select(Trainee.registration_id).where(or_(has(Trainee.last_name), has(Trainee.first_name)))
        query = query.where(or_(has(Registration.reference), has(Registration.organisation_name),
                                has(Registration.email), Registration.id.in_(named)))
    return list(session.exec(query.order_by(Registration.id)))

