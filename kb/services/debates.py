"""The debate day: its themes come from the questions raised in the year's sessions, grouped by a
trainer and prioritised by the participants' votes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.workshops import DebateDayInput, ThemeInput
from kb.models import DebateDay, DebateTheme, DebateVote, Practitioner, Presentation, WorkshopSession
from kb.services import records_by_ids

MAX_VOTES = 3


@dataclass
class Question:
    """A question raised after a presentation, and the theme it was grouped under (if any)."""

    text: str
    presentation: Presentation
    theme: str | None = None


def list_debates(session: Session) -> list[DebateDay]:
    """Debate days, most recent first."""
    return list(session.exec(select(DebateDay).order_by(DebateDay.day.desc())))


def save_debate(session: Session, data: DebateDayInput, debate: DebateDay | None = None) -> DebateDay:
    """Create or change a debate day."""
    debate = debate or DebateDay(title=data.title, day=data.day)
    debate.title, debate.day, debate.place, debate.programme = data.title, data.day, data.place, data.programme
    if data.capacity is not None and len(debate.attendees) > data.capacity:
        raise DomainError(f"{len(debate.attendees)} personnes sont déjà inscrites : prévoyez au moins autant de "
                          "places.", field="capacity")
    debate.capacity = data.capacity
    session.add(debate)
    session.flush()
    return debate


def gathered_questions(session: Session, debate: DebateDay) -> list[Question]:
    """Questions raised in the sessions of the debate's year up to its date, in session order."""
    stmt = (select(Presentation).join(WorkshopSession, WorkshopSession.id == Presentation.session_id)
            .where(WorkshopSession.day >= debate.day.replace(month=1, day=1), WorkshopSession.day <= debate.day)
            .order_by(WorkshopSession.day, WorkshopSession.half_day, Presentation.position))
    grouped = {q: t.title for t in debate.themes for q in t.questions.splitlines() if q}
    found, seen = [], set()
    for presentation in session.exec(stmt):
        for text in presentation.question_list:
            if text not in seen:
                seen.add(text)
                found.append(Question(text, presentation, grouped.get(text)))
    return found


def add_theme(session: Session, debate: DebateDay, data: ThemeInput) -> DebateTheme:
    """Group questions of the sessions under a theme."""
    known = {q.text for q in gathered_questions(session, debate)}
    if not set(data.questions) <= known:
        raise DomainError("Une question choisie n'existe plus dans les synthèses. Rechargez la page.",
                          field="questions")
    theme = DebateTheme(debate_day_id=debate.id, title=data.title, questions="\n".join(data.questions))
    session.add(theme)
    session.flush()
    session.refresh(debate)
    return theme


def delete_theme(session: Session, theme: DebateTheme) -> None:
    """Ungroup a theme (its questions become free again)."""
    session.delete(theme)
    session.flush()


def votes_of(session: Session, debate: DebateDay, account_id: int | None) -> set[int]:
    """Ids of the debate's themes this account voted for."""
    if account_id is None:
        return set()
    ids = [t.id for t in debate.themes]
    return set(session.exec(select(DebateVote.theme_id).where(DebateVote.account_id == account_id,
                                                              DebateVote.theme_id.in_(ids)))) if ids else set()


def places_left(debate: DebateDay) -> int | None:
    """Free places at the day, None when it has no capacity."""
    return None if debate.capacity is None else max(debate.capacity - len(debate.attendees), 0)


def register(session: Session, debate: DebateDay, practitioner_id: int | None, today: date) -> None:
    """Register oneself for a debate day (before it, while places are left)."""
    if practitioner_id is None:
        raise DomainError("Votre compte n'est relié à aucune fiche d'intervenant·e : demandez à l'équipe de "
                          "l'observatoire de les relier pour vous inscrire.")
    if debate.day < today:
        raise DomainError("La journée a eu lieu : les inscriptions sont closes.")
    if any(p.id == practitioner_id for p in debate.attendees):
        raise DomainError("Vous êtes déjà inscrit·e à cette journée.")
    if places_left(debate) == 0:
        raise DomainError(f"La journée est complète ({debate.capacity} places).")
    debate.attendees.append(session.get(Practitioner, practitioner_id))
    session.add(debate)
    session.flush()


def unregister(session: Session, debate: DebateDay, practitioner_id: int | None, today: date) -> None:
    """Cancel one's registration (before the day): the place is free again."""
    if debate.day < today:
        raise DomainError("La journée a eu lieu : l'inscription ne peut plus être annulée.")
    if not any(p.id == practitioner_id for p in debate.attendees):
        raise DomainError("Vous n'êtes pas inscrit·e à cette journée.")
    debate.attendees = [p for p in debate.attendees if p.id != practitioner_id]
    session.add(debate)
    session.flush()


def votes_open(debate: DebateDay, today: date) -> bool:
    """Whether themes may still be voted for: until the end of the day itself."""
    return debate.day >= today


def toggle_vote(session: Session, theme: DebateTheme, account_id: int, today: date) -> bool:
    """Vote for a theme, or take the vote back; at most MAX_VOTES per debate day. True when voted."""
    if not votes_open(theme.debate_day, today):
        raise DomainError("La journée a eu lieu : les votes sur ses thèmes sont clos.")
    existing = session.get(DebateVote, (theme.id, account_id))
    if existing is not None:
        session.delete(existing)
        session.flush()
        return False
    if len(votes_of(session, theme.debate_day, account_id)) >= MAX_VOTES:
        raise DomainError(f"Vous avez déjà donné vos {MAX_VOTES} voix : retirez-en une pour voter pour ce thème.")
    session.add(DebateVote(theme_id=theme.id, account_id=account_id))
    session.flush()
    return True


def ranked_themes(debate: DebateDay) -> list[tuple[DebateTheme, int]]:
    """Themes with their votes, most wanted first."""
    return sorted(((t, len(t.votes)) for t in debate.themes), key=lambda tv: (-tv[1], tv[0].title))


def set_attendees(session: Session, debate: DebateDay, ids: list[int]) -> None:
    """Record who attends the debate day."""
    debate.attendees = records_by_ids(session, Practitioner, ids, "attendees",
                                      "Une personne choisie n'existe plus. Rechargez la page.")
    session.add(debate)
    session.flush()
