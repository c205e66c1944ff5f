"""Workshops (ateliers de mutualisation), their half-day sessions, presentations of actions, attendance,
and the yearly debate day with themes drawn from the sessions' questions."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field

if TYPE_CHECKING:
    from kb.models.account import UserAccount
    from kb.models.action import FieldAction
    from kb.models.people import Practitioner
    from kb.models.territory import Territory


class WorkshopTrainer(SQLModel, table=True):
    """A trainer (account) who runs a workshop group."""

    __tablename__ = "workshop_trainer"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    account_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")


class Enrolment(SQLModel, table=True):
    """A practitioner enrolled in a workshop group, experienced or beginning in ISIC."""

    __tablename__ = "workshop_enrolment"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True, ondelete="CASCADE")
    experience: str = Field(default="debutant", max_length=20)

    practitioner: "Practitioner" = Relationship()


class JoinRequest(SQLModel, table=True):
    """A professional's request to join a workshop group, accepted or declined by one of its trainers."""

    __tablename__ = "workshop_join_request"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="practitioner.id", index=True, ondelete="CASCADE")
    account_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default="demandee", max_length=20)  # demandee, acceptee, refusee
    created_at: datetime = created_at_field()
    decided_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")

    practitioner: "Practitioner" = Relationship()


class Workshop(SQLModel, table=True):
    """An "atelier de mutualisation des pratiques": a group meeting over 6 half-days in a year."""

    __tablename__ = "workshop"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    year: int = Field(index=True)
    territory_id: int | None = Field(default=None, foreign_key="territory.id", ondelete="SET NULL")
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Places in the group (enrolled practitioners); None: no limit set.
    capacity: int | None = None
    created_at: datetime = created_at_field()

    territory: Optional["Territory"] = Relationship()
    trainers: list["UserAccount"] = Relationship(link_model=WorkshopTrainer)
    enrolments: list["Enrolment"] = Relationship(cascade_delete=True)
    sessions: list["WorkshopSession"] = Relationship(
        back_populates="workshop", cascade_delete=True,
        sa_relationship_kwargs={"order_by": "[WorkshopSession.day, WorkshopSession.half_day]"})


class WorkshopSession(SQLModel, table=True):
    """One half-day meeting of a workshop group; a group never meets twice on the same half-day."""

    __tablename__ = "workshop_session"
    __table_args__ = (UniqueConstraint("workshop_id", "day", "half_day", name="uq_workshop_session_half_day"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    day: date = Field(index=True)
    half_day: str = Field(max_length=2)  # "am" (matin) or "pm" (après-midi): sorts in the day's order
    place: str = Field(default="", max_length=300)
    status: str = Field(default="prevue", max_length=20)
    created_at: datetime = created_at_field()

    workshop: "Workshop" = Relationship(back_populates="sessions")
    presentations: list["Presentation"] = Relationship(
        back_populates="session", cascade_delete=True,
        sa_relationship_kwargs={"order_by": "[Presentation.position, Presentation.id]"})
    attendance: list["Attendance"] = Relationship(cascade_delete=True)

    @property
    def label(self) -> str:
        """« Groupe ISIC 2012 — 24/02/2012 (matin) »."""
        return f"{self.workshop.name} — {self.day:%d/%m/%Y} ({'matin' if self.half_day == 'am' else 'après-midi'})"


class PresentationPresenter(SQLModel, table=True):
    """A practitioner who presents (alone or in a team)."""

    __tablename__ = "presentation_presenter"

    presentation_id: int = Field(foreign_key="presentation.id", primary_key=True, ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True, ondelete="CASCADE")


class Presentation(SQLModel, table=True):
    """An action presented at a session, and what the group drew from it afterwards."""

    __tablename__ = "presentation"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="workshop_session.id", ondelete="CASCADE", index=True)
    action_id: int = Field(foreign_key="field_action.id", ondelete="CASCADE", index=True)
    position: int = 0
    learnt: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    questions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    session: "WorkshopSession" = Relationship(back_populates="presentations")
    action: "FieldAction" = Relationship()
    presenters: list["Practitioner"] = Relationship(link_model=PresentationPresenter)

    @property
    def question_list(self) -> list[str]:
        """The questions raised, one per line."""
        return [line.strip(" -•\t") for line in self.questions.splitlines() if line.strip(" -•\t")]


class Attendance(SQLModel, table=True):
    """Whether an enrolled practitioner attended a session."""

    __tablename__ = "attendance"

    session_id: int = Field(foreign_key="workshop_session.id", primary_key=True, ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True, ondelete="CASCADE")
    present: bool = False


class DebateAttendee(SQLModel, table=True):
    """A practitioner expected at (or present at) a debate day."""

    __tablename__ = "debate_attendee"

    debate_day_id: int = Field(foreign_key="debate_day.id", primary_key=True, ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True, ondelete="CASCADE")


class DebateDay(SQLModel, table=True):
    """The yearly "journée débat/rencontre" whose themes come from the working groups."""

    __tablename__ = "debate_day"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    day: date = Field(index=True)
    place: str = Field(default="", max_length=300)
    programme: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Places for people who register themselves; None: no limit set.
    capacity: int | None = None
    created_at: datetime = created_at_field()

    themes: list["DebateTheme"] = Relationship(back_populates="debate_day", cascade_delete=True)
    attendees: list["Practitioner"] = Relationship(link_model=DebateAttendee)


class DebateTheme(SQLModel, table=True):
    """A theme a trainer formed by grouping questions raised in sessions."""

    __tablename__ = "debate_theme"

    id: int | None = Field(default=None, primary_key=True)
    debate_day_id: int = Field(foreign_key="debate_day.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=200)
    # The questions grouped here, one per line, as raised in the sessions' syntheses.
    questions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    debate_day: "DebateDay" = Relationship(back_populates="themes")
    votes: list["DebateVote"] = Relationship(cascade_delete=True)


class DebateVote(SQLModel, table=True):
    """A participant's vote to prioritise a theme (one per theme and account)."""

    __tablename__ = "debate_vote"

    theme_id: int = Field(foreign_key="debate_theme.id", primary_key=True, ondelete="CASCADE")
    account_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
