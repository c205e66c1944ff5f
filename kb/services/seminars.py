"""The 3-day seminar's calendar: two alternative sessions, shown in the agenda and its feeds."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.workshops import SeminarInput
from kb.models import Registration, Seminar, SeminarDay
from kb.services import registrations
from kb.services.seats import set_capacity


def list_seminars(session: Session) -> list[Seminar]:
    """Seminars, most recent year first."""
    return list(session.exec(select(Seminar).order_by(Seminar.year.desc(), Seminar.id.desc())))


def save_seminar(session: Session, data: SeminarInput, seminar: Seminar | None = None,
                 ctx: registrations.Context | None = None) -> Seminar:
    """Create or change a seminar and the dates of its sessions; more seats go to the waiting list (told by mail
    when `ctx` gives the links and the team's address)."""
    if seminar is not None and seminar.id is not None:
        booked = set(session.exec(select(Registration.option).where(Registration.seminar_id == seminar.id)))
        for option in sorted(booked - set(data.options())):
            raise DomainError(f"La session {option} a des inscriptions : elle garde ses dates (changez-les, "
                              "sans les effacer).", field=f"option{option}_day1")
    seminar = seminar or Seminar(title=data.title, year=data.year)
    seminar.title, seminar.year, seminar.price_eur = data.title, data.year, data.price_eur
    seminar.place, seminar.description = data.place, data.description
    seminar.opens_on, seminar.closes_on, seminar.hours, seminar.to_bring = (data.opens_on, data.closes_on, data.hours,
                                                                             data.to_bring)
    # A date kept is the same row: the unit of work inserts before it deletes, so a new row equal to
    # an old one would meet it in the (seminar, option, day) unique constraint.
    wanted = [(option, day) for option, days in data.options().items() for day in days]
    kept: list[SeminarDay] = []
    for old in seminar.days:
        if (old.option, old.day) in wanted:
            kept.append(old)
        else:
            session.delete(old)
    have = {(d.option, d.day) for d in kept}
    seminar.days = kept + [SeminarDay(option=option, day=day) for option, day in wanted if (option, day) not in have]
    session.add(seminar)
    session.flush()
    promoted = set_capacity(session, seminar, data.capacity)
    ctx = ctx or registrations.Context(actor="l'équipe", today=date.today(), link_for=lambda _r: "", team_email="",
                                       mail=False)
    for trainee in promoted:
        registrations.after_promotion(session, trainee, ctx)
    return seminar


def upcoming_days(session: Session, today: date) -> list[SeminarDay]:
    """Seminar days from today on, soonest first."""
    return list(session.exec(select(SeminarDay).where(SeminarDay.day >= today).order_by(SeminarDay.day)))


def all_days(session: Session) -> list[SeminarDay]:
    """Every seminar day (for the iCalendar feed)."""
    return list(session.exec(select(SeminarDay).order_by(SeminarDay.day)))
