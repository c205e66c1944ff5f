"""Tags: authors' themes and publics, and trainers' workshop tags."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ActionTag(SQLModel, table=True):
    """A tag on a field action."""

    __tablename__ = "action_tag"

    action_id: int = Field(foreign_key="field_action.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class Tag(SQLModel, table=True):
    """A label of one kind: theme (thème), public, or workshop (atelier, set by trainers)."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("kind", "slug", name="uq_tag_kind_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=100)
    slug: str = Field(max_length=100)
