"""Workshops: groups, half-day sessions, programmes of presented actions, syntheses, attendance, tags."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.workshops import PresentationInput, SessionInput, SynthesisInput, WorkshopInput
from kb.models import (
    ActionTag,
    Attendance,
    Enrolment,
    FieldAction,
    Practitioner,
    Presentation,
    Tag,
    Territory,
    UserAccount,
    Workshop,
    WorkshopSession,
    choices,
)
from kb.policy import MODERATORS, Viewer, is_public, public_actions_clause
from kb.services import lock_for_change, records_by_ids
from kb.services.tags import get_or_create_tags


def list_workshops(session: Session) -> list[Workshop]:
    """Every workshop group, most recent year first."""
    return list(session.exec(select(Workshop).order_by(Workshop.year.desc(), Workshop.name)))


def trainers(session: Session) -> list[UserAccount]:
    """Approved trainer and admin accounts, who may run a group."""
    return list(session.exec(select(UserAccount).where(UserAccount.role.in_(MODERATORS),
                                                       UserAccount.approved_at.is_not(None))
                             .order_by(UserAccount.display_name)))


def practitioners(session: Session) -> list[Practitioner]:
    """Practitioners who may be enrolled or present (not anonymised), by name."""
    return list(session.exec(select(Practitioner).where(Practitioner.anonymised_at.is_(None))
                             .order_by(Practitioner.last_name, Practitioner.first_name)))


def save_workshop(session: Session, data: WorkshopInput, actor: Viewer, workshop: Workshop | None = None) -> Workshop:
    """Create or change a workshop group with its trainers and enrolled practitioners."""
    if data.territory_id is not None and session.get(Territory, data.territory_id) is None:
        raise DomainError("Cette unité n'existe pas.", field="territory_id")
    chosen = records_by_ids(session, UserAccount, data.trainer_ids, "trainer_ids",
                            "Choisissez des formateur·rices dans la liste.")
    if any(a.role not in MODERATORS for a in chosen):
        raise DomainError("Choisissez des formateur·rices dans la liste.", field="trainer_ids")
    records_by_ids(session, Practitioner, [row.practitioner_id for row in data.enrolments], "enrolments",
                   "Une personne inscrite n'existe plus. Rechargez la page.")
    if data.capacity is not None and len(data.enrolments) > data.capacity:
        raise DomainError(f"Le groupe compte {len(data.enrolments)} inscrit·es : prévoyez au moins autant de places.",
                          field="capacity")
    workshop = workshop or Workshop(name=data.name, year=data.year)
    workshop.name, workshop.year, workshop.territory_id = data.name, data.year, data.territory_id
    workshop.description, workshop.capacity = data.description, data.capacity
    workshop.trainers = chosen
    kept = {e.practitioner_id: e for e in workshop.enrolments}
    workshop.enrolments = [kept.get(r.practitioner_id) or Enrolment(practitioner_id=r.practitioner_id) for r in data.enrolments]
    for enrolment, row in zip(workshop.enrolments, data.enrolments, strict=True):
        enrolment.experience = row.experience
    session.add(workshop)
    session.flush()
    return workshop


def delete_workshop(session: Session, workshop: Workshop) -> None:
    """Delete a group with its sessions, programmes and attendance."""
    session.delete(workshop)
    session.flush()


def _clash(session: Session, workshop: Workshop, day: date, half_day: str, exclude: int | None) -> None:
    stmt = select(WorkshopSession).where(WorkshopSession.workshop_id == workshop.id, WorkshopSession.day == day,
                                         WorkshopSession.half_day == half_day)
    other = session.exec(stmt).first()
    if other is not None and other.id != exclude:
        label = choices.HALF_DAYS[half_day].lower()
        raise DomainError(f"Le groupe a déjà une séance le {day.strftime('%d/%m/%Y')} {label}.", field="half_day")


def save_session(session: Session, workshop: Workshop, data: SessionInput, meeting: WorkshopSession | None = None
                 ) -> WorkshopSession:
    """Create or change a half-day session; a group never meets twice on the same half-day."""
    _clash(session, workshop, data.day, data.half_day, meeting.id if meeting else None)
    meeting = meeting or WorkshopSession(workshop_id=workshop.id, day=data.day, half_day=data.half_day)
    meeting.day, meeting.half_day, meeting.place, meeting.status = data.day, data.half_day, data.place, data.status
    session.add(meeting)
    session.flush()
    return meeting


def delete_session(session: Session, meeting: WorkshopSession) -> None:
    """Delete a session with its programme and attendance."""
    session.delete(meeting)
    session.flush()


def add_presentation(session: Session, meeting: WorkshopSession, data: PresentationInput) -> Presentation:
    """Put a published action on the programme, presented by one practitioner or a team."""
    action = session.get(FieldAction, data.action_id)
    if action is None or not is_public(action):
        raise DomainError("Seule une action publiée peut être présentée.", field="action_id")
    if any(p.action_id == action.id for p in meeting.presentations):
        raise DomainError("Cette action est déjà au programme de la séance.", field="action_id")
    presenters = records_by_ids(session, Practitioner, data.presenter_ids, "presenter_ids",
                                "Un·e intervenant·e choisi·e n'existe plus.")
    if not presenters:
        raise DomainError("Indiquez qui présente l'action (une personne ou une équipe).", field="presenter_ids")
    position = max((p.position for p in meeting.presentations), default=0) + 1
    presentation = Presentation(session_id=meeting.id, action_id=action.id, position=position, presenters=presenters)
    session.add(presentation)
    session.flush()
    session.refresh(meeting)
    return presentation


def move_presentation(session: Session, presentation: Presentation, step: int) -> None:
    """Move a presentation up (-1) or down (+1) in its session's programme."""
    order = list(presentation.session.presentations)
    i = order.index(presentation)
    j = i + step
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    for position, item in enumerate(order, 1):
        item.position = position
    session.flush()


def remove_presentation(session: Session, presentation: Presentation) -> None:
    """Take a presentation off the programme."""
    session.delete(presentation)
    session.flush()


def save_synthesis(session: Session, presentation: Presentation, data: SynthesisInput) -> Presentation:
    """Record what the group learnt and the questions it raised."""
    presentation.learnt, presentation.questions = data.learnt, data.questions
    session.add(presentation)
    session.flush()
    return presentation


def record_attendance(session: Session, meeting: WorkshopSession, present_ids: list[int], today: date) -> int:
    """Mark who among the enrolled practitioners attended (from the session's day on); returns how many were
    present."""
    if meeting.day > today:
        raise DomainError(f"La séance n'a pas encore eu lieu : les présences se pointent à partir du "
                          f"{meeting.day.strftime('%d/%m/%Y')}.", field="present")
    enrolled = {e.practitioner_id for e in meeting.workshop.enrolments}
    unknown = set(present_ids) - enrolled
    if unknown:
        raise DomainError("Seules les personnes inscrites au groupe peuvent être pointées.", field="present")
    rows = {a.practitioner_id: a for a in meeting.attendance}
    for person_id in enrolled:
        row = rows.get(person_id) or Attendance(session_id=meeting.id, practitioner_id=person_id)
        row.present = person_id in present_ids
        session.add(row)
    if meeting.status == "prevue":
        meeting.status = "tenue"
    session.flush()
    return len(present_ids)


def attendance_counts(workshop: Workshop) -> dict:
    """Present count per session and sessions attended per enrolled practitioner."""
    per_session = {m.id: sum(1 for a in m.attendance if a.present) for m in workshop.sessions}
    per_person = Counter(a.practitioner_id for m in workshop.sessions for a in m.attendance if a.present)
    return {"sessions": per_session, "people": {e.practitioner_id: per_person.get(e.practitioner_id, 0)
                                                for e in workshop.enrolments}}


def workshop_tags(session: Session) -> list[Tag]:
    """Trainers' workshop tags in use, by name."""
    return list(session.exec(select(Tag).where(Tag.kind == "atelier", Tag.id.in_(select(ActionTag.tag_id)))
                             .order_by(Tag.name)))


def set_workshop_tags(session: Session, action: FieldAction, names: list[str]) -> None:
    """Replace an action's workshop tags (trainers' tags, separate from its author's themes)."""
    lock_for_change(session, action, "Cette action")
    action.tags = [t for t in action.tags if t.kind != "atelier"] + get_or_create_tags(session, "atelier", names)
    session.add(action)
    session.flush()


def candidates(session: Session, tag_slug: str | None, ids: list[int] | None) -> list[FieldAction]:
    """Published actions carrying a workshop tag (one tag, or any), optionally limited to search matches."""
    tagged = select(ActionTag.action_id).join(Tag, Tag.id == ActionTag.tag_id).where(Tag.kind == "atelier")
    if tag_slug:
        tagged = tagged.where(Tag.slug == tag_slug)
    stmt = select(FieldAction).where(public_actions_clause(), FieldAction.id.in_(tagged))
    if ids is not None:
        stmt = stmt.where(FieldAction.id.in_(ids))
    return list(session.exec(stmt.order_by(FieldAction.title).limit(200)))


def presentations_of(session: Session, action: FieldAction) -> list[Presentation]:
    """Where an action was presented, most recent first."""
    stmt = (select(Presentation).join(WorkshopSession, WorkshopSession.id == Presentation.session_id)
            .where(Presentation.action_id == action.id)
            .order_by(WorkshopSession.day.desc(), WorkshopSession.half_day.desc())
            .options(selectinload(Presentation.session).selectinload(WorkshopSession.workshop)))
    return list(session.exec(stmt))


def upcoming_sessions(session: Session, today: date, workshop: Workshop | None = None) -> list[WorkshopSession]:
    """Sessions from today on (not cancelled), soonest first."""
    stmt = select(WorkshopSession).where(WorkshopSession.day >= today, WorkshopSession.status != "annulee")
    if workshop is not None:
        stmt = stmt.where(WorkshopSession.workshop_id == workshop.id)
    return list(session.exec(stmt.order_by(WorkshopSession.day, WorkshopSession.half_day)))


def sessions_for_calendar(session: Session, workshop: Workshop | None = None) -> list[WorkshopSession]:
    """Every session not cancelled (the iCalendar feeds keep the past, as calendars do)."""
    stmt = select(WorkshopSession).where(WorkshopSession.status != "annulee")
    if workshop is not None:
        stmt = stmt.where(WorkshopSession.workshop_id == workshop.id)
    return list(session.exec(stmt.order_by(WorkshopSession.day, WorkshopSession.half_day)))
