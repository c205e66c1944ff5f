"""Seats of a seminar session: the database holds one row per place, and a trainee holds at most one.

Overbooking is impossible by construction: a session has exactly `capacity` seat rows, and taking a
seat is one conditional UPDATE (`... WHERE trainee_id IS NULL`), so two requests racing for the last
seat cannot both win; the loser finds no free row and waits in line. On PostgreSQL the free seat and
the next waiting trainee are picked with `FOR UPDATE SKIP LOCKED` so that racers do not queue on the
same row; SQLite serialises writers (the trainee row is inserted before a seat is looked for).
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import Registration, Seminar, SeminarSeat, Trainee

_ATTEMPTS = 20


def lock_seminar(session: Session, seminar_id: int) -> None:
    """Take the seminar's row lock (PostgreSQL) or the write lock (SQLite) for the rest of the transaction.

    Seat changes of one seminar then run one at a time: without it, on PostgreSQL, a seat freed by a transaction
    not yet committed is invisible to a newcomer, who would queue while the seat stays free.
    """
    session.flush()
    session.execute(update(Seminar).where(Seminar.id == seminar_id).values(year=Seminar.year)
                    .execution_options(synchronize_session=False))


def set_capacity(session: Session, seminar: Seminar, capacity: int | None) -> list[Trainee]:
    """Give each session `capacity` seats (none: no online booking); returns the trainees promoted."""
    lock_seminar(session, seminar.id)
    promoted: list[Trainee] = []
    for option in (1, 2):
        have = _seat_count(session, seminar.id, option)
        wanted = capacity if capacity is not None and option in seminar.options() else 0
        if wanted > have:
            for number in range(have + 1, wanted + 1):
                session.add(SeminarSeat(seminar_id=seminar.id, option=option, number=number))
        elif wanted < have:
            held = session.exec(select(func.count()).select_from(SeminarSeat).where(
                SeminarSeat.seminar_id == seminar.id, SeminarSeat.option == option,
                SeminarSeat.trainee_id.is_not(None))).one()
            if held > wanted:
                raise DomainError(f"La session {option} compte {held} stagiaires sur une place : la capacité ne peut "
                                  f"pas descendre sous {held}.", field="capacity")
            _compact(session, seminar.id, option, wanted)
            for seat in session.exec(select(SeminarSeat).where(SeminarSeat.seminar_id == seminar.id,
                                                               SeminarSeat.option == option,
                                                               SeminarSeat.number > wanted)):
                session.delete(seat)
        session.flush()
        promoted += promote_waiting(session, seminar.id, option)
    seminar.capacity = capacity
    session.add(seminar)
    session.flush()
    return promoted


def _compact(session: Session, seminar_id: int, option: int, keep: int) -> None:
    """Move the trainees seated beyond seat `keep` to free seats within it (before those seats are removed)."""
    seats = list(session.exec(select(SeminarSeat).where(SeminarSeat.seminar_id == seminar_id,
                                                        SeminarSeat.option == option).order_by(SeminarSeat.number)))
    free = [seat for seat in seats if seat.number <= keep and seat.trainee_id is None]
    for seat in [seat for seat in seats if seat.number > keep and seat.trainee_id is not None]:
        target, holder = free.pop(0), seat.trainee_id
        seat.trainee_id = None
        session.add(seat)
        session.flush()  # trainee_id is unique: leave the old seat before taking the new one
        target.trainee_id = holder
        session.add(target)
        session.flush()


def _seat_count(session: Session, seminar_id: int, option: int) -> int:
    return session.exec(select(func.count()).select_from(SeminarSeat).where(
        SeminarSeat.seminar_id == seminar_id, SeminarSeat.option == option)).one()


def _take_free_seat(session: Session, seminar_id: int, option: int, trainee_id: int) -> bool:
    """Give a free seat of the session to the trainee; False when every seat is held."""
    for _ in range(_ATTEMPTS):
        seat_id = session.exec(
            select(SeminarSeat.id).where(SeminarSeat.seminar_id == seminar_id, SeminarSeat.option == option,
                                         SeminarSeat.trainee_id.is_(None))
            .order_by(SeminarSeat.number).limit(1).with_for_update(skip_locked=True)).first()
        if seat_id is None:
            return False
        taken = session.execute(update(SeminarSeat).where(SeminarSeat.id == seat_id,
                                                          SeminarSeat.trainee_id.is_(None))
                                .values(trainee_id=trainee_id).execution_options(synchronize_session=False))
        if taken.rowcount == 1:
            return True
    return False


def _first_waiting(session: Session, seminar_id: int, option: int) -> Trainee | None:
    return session.exec(
        select(Trainee).join(Registration, Registration.id == Trainee.registration_id)
        .where(Registration.seminar_id == seminar_id, Registration.option == option, Trainee.state == "attente")
        .order_by(Trainee.id).limit(1).with_for_update(skip_locked=True, of=Trainee)).first()


def someone_waits(session: Session, seminar_id: int, option: int) -> bool:
    """Whether the session has a waiting list (a newcomer then queues behind it)."""
    return session.exec(
        select(func.count()).select_from(Trainee).join(Registration, Registration.id == Trainee.registration_id)
        .where(Registration.seminar_id == seminar_id, Registration.option == option,
               Trainee.state == "attente")).one() > 0


def seat_or_queue(session: Session, registration: Registration, trainee: Trainee) -> bool:
    """Seat a newly added trainee, or put her on the waiting list (behind those already waiting)."""
    session.flush()
    queue_ahead = session.exec(
        select(func.count()).select_from(Trainee).join(Registration, Registration.id == Trainee.registration_id)
        .where(Registration.seminar_id == registration.seminar_id, Registration.option == registration.option,
               Trainee.state == "attente", Trainee.id < trainee.id)).one()
    seated = not queue_ahead and _take_free_seat(session, registration.seminar_id, registration.option, trainee.id)
    trainee.state = "place" if seated else "attente"
    session.add(trainee)
    session.flush()
    return seated


def release(session: Session, trainee: Trainee) -> Trainee | None:
    """Free the trainee's seat (she is cancelled); the first waiting trainee of the session gets it, if any."""
    registration = trainee.registration
    was_seated = trainee.state == "place"
    trainee.state = "annule"
    session.add(trainee)
    session.flush()
    if not was_seated:
        return None
    seat_id = session.exec(select(SeminarSeat.id).where(SeminarSeat.trainee_id == trainee.id)).first()
    if seat_id is None:
        return None
    # The seat passes straight to the next in line: a newcomer never overtakes the waiting list.
    nxt = _first_waiting(session, registration.seminar_id, registration.option)
    moved = session.execute(update(SeminarSeat).where(SeminarSeat.id == seat_id, SeminarSeat.trainee_id == trainee.id)
                            .values(trainee_id=nxt.id if nxt else None).execution_options(synchronize_session=False))
    if moved.rowcount != 1 or nxt is None:  # another request moved this seat first
        return None
    nxt.state = "place"
    session.add(nxt)
    session.flush()
    return nxt


def promote_waiting(session: Session, seminar_id: int, option: int) -> list[Trainee]:
    """Seat waiting trainees, in arrival order, while the session has free seats."""
    promoted = []
    while (nxt := _first_waiting(session, seminar_id, option)) is not None:
        if not _take_free_seat(session, seminar_id, option, nxt.id):
            break
        nxt.state = "place"
        session.add(nxt)
        session.flush()
        promoted.append(nxt)
    return promoted


def counts(session: Session, seminar: Seminar) -> dict[int, dict[str, int]]:
    """Per session: its seats, those held, those free and the length of the waiting list."""
    found = {}
    for option in seminar.options():
        seats = _seat_count(session, seminar.id, option)
        held = session.exec(select(func.count()).select_from(SeminarSeat).where(
            SeminarSeat.seminar_id == seminar.id, SeminarSeat.option == option,
            SeminarSeat.trainee_id.is_not(None))).one()
        waiting = session.exec(
            select(func.count()).select_from(Trainee).join(Registration, Registration.id == Trainee.registration_id)
            .where(Registration.seminar_id == seminar.id, Registration.option == option,
                   Trainee.state == "attente")).one()
        found[option] = {"seats": seats, "held": held, "free": seats - held, "waiting": waiting}
    return found
