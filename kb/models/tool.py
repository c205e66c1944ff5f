"""Co-built tools (outils co-construits), their files in numbered versions, and where they were used.

A tool is proposed by a professional and published by a trainer through the moderation queue, as
actions are. Each file uploaded to a tool is a new version; older versions stay downloadable. The
bytes live in the instance's file storage (`kb.storage`), under a generated name: a user's file name
is only ever shown, never used as a path. The text of PDF and office files is kept for search.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field, updated_at_field

if TYPE_CHECKING:
    from kb.models.account import UserAccount
    from kb.models.action import FieldAction
    from kb.models.workshop import WorkshopSession


class ToolAction(SQLModel, table=True):
    """A tool used in, or born from, an action."""

    __tablename__ = "tool_action"

    tool_id: int = Field(foreign_key="tool.id", primary_key=True, ondelete="CASCADE")
    action_id: int = Field(foreign_key="field_action.id", primary_key=True, ondelete="CASCADE")


class ToolSession(SQLModel, table=True):
    """A tool used or presented in a workshop session."""

    __tablename__ = "tool_session"

    tool_id: int = Field(foreign_key="tool.id", primary_key=True, ondelete="CASCADE")
    session_id: int = Field(foreign_key="workshop_session.id", primary_key=True, ondelete="CASCADE")


class Tool(SQLModel, table=True):
    """A tool co-built with practitioners (grid, guide, facilitation material...)."""

    __tablename__ = "tool"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=30)
    description: str = Field(sa_column=Column(Text, nullable=False))
    co_building: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    partners: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    licence: str = Field(default="cc-by-sa", max_length=30, sa_column_kwargs={"server_default": "cc-by-sa"})
    publication_status: str = Field(default="publiee", max_length=20, index=True,
                                    sa_column_kwargs={"server_default": "publiee"})
    proposed_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    actions: list["FieldAction"] = Relationship(back_populates="tools", link_model=ToolAction)
    sessions: list["WorkshopSession"] = Relationship(link_model=ToolSession)
    files: list["ToolFile"] = Relationship(
        back_populates="tool", cascade_delete=True,
        sa_relationship_kwargs={"order_by": "ToolFile.version.desc()"})
    proposed_by: Optional["UserAccount"] = Relationship()

    def latest(self) -> Optional["ToolFile"]:
        """The newest approved version of the tool's file, if any."""
        return next((f for f in self.files if f.approved), None)


class ToolFile(SQLModel, table=True):
    """One version of a tool's file: its shown name, detected type, size, storage key and extracted text."""

    __tablename__ = "tool_file"
    __table_args__ = (UniqueConstraint("tool_id", "version", name="uq_tool_file_version"),)

    id: int | None = Field(default=None, primary_key=True)
    tool_id: int = Field(foreign_key="tool.id", index=True, ondelete="CASCADE")
    version: int
    filename: str = Field(max_length=200)
    kind: str = Field(max_length=10)
    mimetype: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=100, unique=True)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    note: str = Field(default="", max_length=500)
    # A version uploaded by who proposed a published tool waits for the team; the others are approved at once.
    approved: bool = True
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()

    tool: Tool = Relationship(back_populates="files")
