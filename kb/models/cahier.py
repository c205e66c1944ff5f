"""Les cahiers de l'observatoire: numbered publications composed from the knowledge base.

A cahier is composed while a draft: an editorial and ordered sections that point at actions, workshop
sessions (their syntheses), tools, or a table of the observatory's figures with its filters. Publishing
freezes it: ``snapshot`` keeps every text and figure as they were that day, so that a later edit of an
action or new actions in the dashboard never change a published cahier.
"""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field, updated_at_field


class Cahier(SQLModel, table=True):
    """One number of « Les cahiers de l'observatoire »."""

    __tablename__ = "cahier"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    title: str = Field(max_length=200)
    issue_date: date
    editorial: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    credits: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    licence: str = Field(default="cc-by-nc-sa", max_length=30)
    status: str = Field(default="brouillon", max_length=20, index=True)  # brouillon, publie
    identifier: str | None = Field(default=None, max_length=12, unique=True)  # ISSN-style, given at publication
    snapshot: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    published_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    sections: list["CahierSection"] = Relationship(
        back_populates="cahier", cascade_delete=True,
        sa_relationship_kwargs={"order_by": "[CahierSection.position, CahierSection.id]"})

    @property
    def published(self) -> bool:
        """Frozen and public."""
        return self.status == "publie"


class CahierSection(SQLModel, table=True):
    """A part of a cahier: an action, a session's synthesis, a tool, or a table of figures (with its filters)."""

    __tablename__ = "cahier_section"
    __table_args__ = (UniqueConstraint("cahier_id", "position", name="uq_cahier_section_position"),)

    id: int | None = Field(default=None, primary_key=True)
    cahier_id: int = Field(foreign_key="cahier.id", index=True, ondelete="CASCADE")
    position: int
    kind: str = Field(max_length=20)  # action, seance, outil, chiffres
    ref_id: int | None = None  # the action, workshop session or tool (no foreign key: a deleted one is reported)
    figure: str = Field(default="", max_length=40)  # the table's name, for figures
    filters: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    heading: str = Field(default="", max_length=200)  # a title of the editor's, else the record's
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # markdown

    cahier: Optional["Cahier"] = Relationship(back_populates="sections")
