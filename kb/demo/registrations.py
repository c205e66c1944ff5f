"""Demo registrations: the 2012 seminar's bulletins in every state (with invoices, credit notes and
attendance), and a few for the seminar open now. They go through the real services, so seats, the
waiting list, history and invoice numbers are what the app itself would have produced."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from kb.demo.names import NameMaker
from kb.forms.seminars import RegistrationInput, TraineeInput
from kb.models import Organisation, Seminar
from kb.services import presence, registrations
from kb.services.registrations import Context

FUNCTIONS = ["Assistante de service social", "Éducateur spécialisé", "Conseillère en économie sociale et familiale",
             "Animateur socioculturel", "Médiatrice sociale", "Cheffe de service", "Coordinateur de projet",
             "Référente famille"]
SIGNERS = ["Directrice", "Directeur", "Directrice adjointe", "Responsable des ressources humaines"]


def _ctx(today: date, actor: str) -> Context:
    return Context(actor=actor, today=today, link_for=lambda _r: "", team_email="observatoire@localhost",
                   now=datetime.combine(today, time(9, 30), UTC))


def _bulletin(rng: random.Random, names: NameMaker, org: Organisation, option: int, count: int,
              signed_on: date) -> RegistrationInput:
    trainees = []
    for _ in range(count):
        first, last, _female = names.person()
        trainees.append(TraineeInput(last_name=last, first_name=first, function=rng.choice(FUNCTIONS),
                                     email=f"{first[0].lower()}.{last.lower().replace(' ', '')}@exemple.org"
                                     .encode("ascii", "ignore").decode()))
    return RegistrationInput(
        option=option, organisation_name=org.name, director=org.director_name, address=org.address,
        postal_code=org.postal_code, commune=org.commune_insee or "", phone=org.phone, fax=org.fax,
        email=org.email or "contact@exemple.org", signer_name=names.full_name(), signer_function=rng.choice(SIGNERS),
        signed_on=signed_on, trainees=trainees)


def add_demo_registrations(session: Session, rng: random.Random, seminars: list[Seminar],
                           organisations: list[Organisation], today: date) -> int:
    """Registrations for the 2012 seminar (every state, attendance) and the current one (open now)."""
    names = NameMaker(rng)
    old, current = seminars
    made = 0
    # 2012, session 1: more trainees than its 18 seats, so that the last bulletins wait.
    plan_2012 = [(1, 3), (1, 2), (1, 4), (2, 2), (1, 3), (2, 3), (1, 2), (1, 3), (2, 1), (1, 3), (2, 2), (1, 2)]
    booked = []
    for n, (option, count) in enumerate(plan_2012):
        day = date(2012, 2, 1) + timedelta(days=3 * n)
        org = organisations[n % len(organisations)]
        ctx = _ctx(day, "bulletin en ligne")
        booked.append(registrations.register(session, old, _bulletin(rng, names, org, option, count, day), ctx))
        made += 1
    team = _ctx(date(2012, 3, 26), "Équipe de l'observatoire")
    for reg in booked[:6] + booked[7:9]:
        if reg.seated():
            registrations.set_status(session, reg, "confirmee", team)
            registrations.set_paperwork(session, reg, date(2012, 3, 1), date(2012, 3, 25), team)
    registrations.set_paperwork(session, booked[9], date(2012, 3, 2), None, team)
    # A cancelled bulletin (with its credit note), and a trainee withdrawn whose seat goes to the waiting list.
    registrations.cancel(session, booked[3], _ctx(date(2012, 3, 22), "l'employeur (lien privé)"))
    registrations.cancel_trainee(session, booked[1], booked[1].trainees[0], _ctx(date(2012, 3, 28),
                                                                                 "l'employeur (lien privé)"))
    for option in (1, 2):
        expected = presence.expected(session, old, option)
        for half_day in presence.half_days(old, option):
            present = {t.id for t in expected if rng.random() < 0.92}
            presence.record(session, old, half_day, present, half_day.day)
    # The current seminar: a few bulletins, seats left for the visitor to book.
    open_options = registrations.bookable_options(current, today)
    for n, count in enumerate((2, 1, 3, 2)):
        if not open_options:
            break
        org = organisations[(n * 3 + 1) % len(organisations)]
        day = today - timedelta(days=12 - 3 * n)
        ctx = _ctx(today, "bulletin en ligne")
        reg = registrations.register(session, current, _bulletin(rng, names, org, open_options[n % len(open_options)],
                                                                 count, day), ctx)
        if n == 0:
            registrations.set_status(session, reg, "confirmee", _ctx(today, "Équipe de l'observatoire"))
        made += 1
    session.info.pop("mails", None)  # demo data sends no mail
    return made
