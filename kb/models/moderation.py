"""Moderation: versions of actions (applied, pending, refused) and problem reports."""

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, Text
from sqlmodel import Field, SQLModel

from kb.models.base import created_at_field


class ActionRevision(SQLModel, table=True):
    """One version of an action: who changed what and when, or an edit waiting for moderation.

    ``proposed`` keeps the submitted form (a list of [name, value] pairs) of a pending edit so the
    published version stays online until a moderator approves it; ``changes`` lists the fields that
    differ ({"field", "label", "before", "after"}).
    """

    __tablename__ = "action_revision"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", ondelete="CASCADE", index=True)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20, index=True)
    proposed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    changes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The published version a pending edit was made from (field -> text): approving it over a newer
    # version would silently undo the changes made since.
    base: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reviewer_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    reviewed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    created_at: datetime = created_at_field()


class ActionReport(SQLModel, table=True):
    """"Signaler un problème": a visitor's report on a published action."""

    __tablename__ = "action_report"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", ondelete="CASCADE", index=True)
    reason: str = Field(max_length=30)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # A user id or a keyed hash of the address: one open report per person and action.
    reporter_key: str = Field(max_length=80)
    status: str = Field(default="ouvert", max_length=20)
    created_at: datetime = created_at_field()
    resolved_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
