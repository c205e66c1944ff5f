"""What the observatory learns from an action: effects, barriers (freins), levers, co-built tools."""


from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Text
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field, updated_at_field

if TYPE_CHECKING:
    from kb.models.action import FieldAction


class Effect(SQLModel, table=True):
    """A change observed for the people involved, with its evidence."""

    __tablename__ = "effect"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", index=True, ondelete="CASCADE")
    dimension: str = Field(max_length=20)
    description: str = Field(sa_column=Column(Text, nullable=False))
    indicator: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    action: "FieldAction" = Relationship(back_populates="effects")


class Barrier(SQLModel, table=True):
    """A barrier (frein) to collective work, as one category of actor sees it."""

    __tablename__ = "barrier"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    actor_category: str = Field(max_length=20)
    description: str = Field(sa_column=Column(Text, nullable=False))

    action: "FieldAction" = Relationship(back_populates="barriers")


class Lever(SQLModel, table=True):
    """A lever (levier) that helped the action go ahead."""

    __tablename__ = "lever"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="field_action.id", index=True, ondelete="CASCADE")
    description: str = Field(sa_column=Column(Text, nullable=False))

    action: "FieldAction" = Relationship(back_populates="levers")


class ToolAction(SQLModel, table=True):
    """A tool used in, or born from, an action."""

    __tablename__ = "tool_action"

    tool_id: int = Field(foreign_key="tool.id", primary_key=True, ondelete="CASCADE")
    action_id: int = Field(foreign_key="field_action.id", primary_key=True, ondelete="CASCADE")


class Tool(SQLModel, table=True):
    """A tool co-built with practitioners (grid, guide, facilitation material...)."""

    __tablename__ = "tool"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=30)
    description: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    actions: list["FieldAction"] = Relationship(back_populates="tools", link_model=ToolAction)
