"""Field actions (actions de terrain) and the people who run them."""


from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field, updated_at_field
from kb.models.findings import Barrier, Effect, Lever
from kb.models.people import ActionPartner, Organisation, Practitioner
from kb.models.tag import ActionTag, Tag
from kb.models.territory import Commune, Territory
from kb.models.tool import Tool, ToolAction


class ActionPractitioner(SQLModel, table=True):
    """A practitioner's part in an action (porteur, co-animateur, partenaire...)."""

    __tablename__ = "action_practitioner"

    action_id: int = Field(foreign_key="field_action.id", primary_key=True, ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(default="porteur", max_length=20)

    action: "FieldAction" = Relationship(back_populates="practitioner_links")
    practitioner: "Practitioner" = Relationship(back_populates="action_links")


class FieldAction(SQLModel, table=True):
    """A collective project run by social workers on a territory."""

    __tablename__ = "field_action"
    __table_args__ = (Index("uq_field_action_source_external", "source", "external_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    writeup: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    mode: str = Field(max_length=20, index=True)
    territory_id: int | None = Field(default=None, foreign_key="territory.id", ondelete="SET NULL")
    commune_insee: str | None = Field(default=None, foreign_key="commune.insee", max_length=5)
    address: str = Field(default="", max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = Field(default="exacte", max_length=10)
    start_date: date | None = None
    end_date: date | None = None
    status: str = Field(default="en_cours", max_length=20, index=True)
    publication_status: str = Field(default="brouillon", max_length=20, index=True)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True)
    # Set after repeated problem reports: hidden from the public until a moderator reviews it.
    hidden_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    # When its authors agreed that it may be printed in « Les cahiers de l'observatoire » (None: they did not).
    cahiers_consent_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    source: str | None = Field(default=None, max_length=60)  # the file it was imported from
    external_id: str | None = Field(default=None, max_length=100)  # its id there
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    territory: Optional["Territory"] = Relationship(back_populates="actions")
    commune: Optional["Commune"] = Relationship()
    practitioner_links: list["ActionPractitioner"] = Relationship(
        back_populates="action", cascade_delete=True
    )
    partners: list["Organisation"] = Relationship(back_populates="partner_of", link_model=ActionPartner)
    tags: list["Tag"] = Relationship(link_model=ActionTag)
    effects: list["Effect"] = Relationship(back_populates="action", cascade_delete=True)
    barriers: list["Barrier"] = Relationship(back_populates="action", cascade_delete=True)
    levers: list["Lever"] = Relationship(back_populates="action", cascade_delete=True)
    tools: list["Tool"] = Relationship(back_populates="actions", link_model=ToolAction)

    def published_tools(self) -> list[Tool]:
        """The tools shown with the action: published ones (a proposed tool stays with the team until then)."""
        return [t for t in self.tools if t.publication_status == "publiee"]

    def tags_of(self, kind: str) -> list[Tag]:
        """Tags of one kind, by name."""
        return sorted((t for t in self.tags if t.kind == kind), key=lambda t: t.name)

    @property
    def year(self) -> int | None:
        """The year the action started."""
        return self.start_date.year if self.start_date else None
