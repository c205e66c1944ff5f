"""Attendance at the seminar, per half-day: ticked by the team, printed on sheets and certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import Presence, Registration, Seminar, Trainee
from kb.models.seminar import HALF_DAYS


@dataclass(frozen=True)
class HalfDay:
    """One half-day of a session."""

    option: int
    day: date
    half: str

    @property
    def label(self) -> str:
        """« 06/04/2012, matin »."""
        return f"{self.day:%d/%m/%Y}, {HALF_DAYS[self.half]}"


def half_days(seminar: Seminar, option: int | None = None) -> list[HalfDay]:
    """The half-days of one session (or of both), in order."""
    return [HalfDay(o, day, half) for o in seminar.options() if option in (None, o)
            for day in seminar.option_days(o) for half in HALF_DAYS]


def find_half_day(seminar: Seminar, day: date, half: str) -> HalfDay | None:
    """The seminar's half-day on that date, or None."""
    return next((h for h in half_days(seminar) if h.day == day and h.half == half), None)


def expected(session: Session, seminar: Seminar, option: int) -> list[Trainee]:
    """The trainees holding a seat in the session, by last name: who signs the attendance sheet."""
    return list(session.exec(
        select(Trainee).join(Registration, Registration.id == Trainee.registration_id)
        .where(Registration.seminar_id == seminar.id, Registration.option == option, Trainee.state == "place")
        .order_by(Trainee.last_name, Trainee.first_name, Trainee.id)))


def present_ids(session: Session, half_day: HalfDay, trainees: list[Trainee]) -> set[int]:
    """Who among `trainees` was ticked present at that half-day."""
    ids = [t.id for t in trainees]
    if not ids:
        return set()
    return set(session.exec(select(Presence.trainee_id).where(
        Presence.trainee_id.in_(ids), Presence.day == half_day.day, Presence.half == half_day.half)))


def record(session: Session, seminar: Seminar, half_day: HalfDay, present: set[int], today: date) -> int:
    """Tick exactly `present` for that half-day (others are absent); only from that day on."""
    if half_day.day > today:
        raise DomainError("La présence se note le jour même ou après : cette demi-journée n'a pas encore eu lieu.")
    # Two trainers ticking the same half-day at once take turns on the seminar's row (no duplicate presence).
    session.execute(update(Seminar).where(Seminar.id == seminar.id).values(year=Seminar.year)
                    .execution_options(synchronize_session=False))
    trainees = expected(session, seminar, half_day.option)
    known = {t.id for t in trainees}
    if present - known:
        raise DomainError("Cochez seulement des stagiaires inscrit·es à cette session.")
    had = present_ids(session, half_day, trainees)
    for trainee_id in had - present:
        session.delete(session.get(Presence, (trainee_id, half_day.day, half_day.half)))
    for trainee_id in present - had:
        session.add(Presence(trainee_id=trainee_id, day=half_day.day, half=half_day.half))
    session.flush()
    return len(present)


def attended(session: Session, trainee: Trainee) -> list[HalfDay]:
    """The half-days a trainee was present at, in order."""
    registration = trainee.registration
    rows = set(session.exec(select(Presence.day, Presence.half).where(Presence.trainee_id == trainee.id)))
    return [h for h in half_days(registration.seminar, registration.option) if (h.day, h.half) in rows]
