"""Organisations and the practitioners who work in them."""


from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field, updated_at_field
from kb.models.territory import Commune, Territory

if TYPE_CHECKING:
    from kb.models.action import ActionPractitioner, FieldAction


class PractitionerOrganisation(SQLModel, table=True):
    """A practitioner works in (or for) an organisation."""

    __tablename__ = "practitioner_organisation"

    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")


class ActionPartner(SQLModel, table=True):
    """A partner organisation of a field action."""

    __tablename__ = "action_partner"

    action_id: int = Field(foreign_key="field_action.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")


class Organisation(SQLModel, table=True):
    """A structure (association, centre social, CCAS, service...) that runs or supports actions."""

    __tablename__ = "organisation"
    # An imported record is found again by where it came from and its id there (re-importing changes nothing).
    __table_args__ = (Index("uq_organisation_source_external", "source", "external_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    kind: str = Field(max_length=40)
    director_name: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    commune_insee: str | None = Field(default=None, foreign_key="commune.insee", max_length=5)
    territory_id: int | None = Field(default=None, foreign_key="territory.id", ondelete="SET NULL")
    phone: str = Field(default="", max_length=30)
    fax: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=120)
    website: str = Field(default="", max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    siret: str | None = Field(default=None, max_length=14, index=True)
    source: str | None = Field(default=None, max_length=60)  # the file or producer it was imported from
    external_id: str | None = Field(default=None, max_length=100)  # its id there
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    commune: Optional["Commune"] = Relationship()
    territory: Optional["Territory"] = Relationship(back_populates="organisations")
    practitioners: list["Practitioner"] = Relationship(
        back_populates="organisations", link_model=PractitionerOrganisation
    )
    partner_of: list["FieldAction"] = Relationship(back_populates="partners", link_model=ActionPartner)


class Practitioner(SQLModel, table=True):
    """A social worker, service head or director involved in collective work."""

    __tablename__ = "practitioner"
    __table_args__ = (Index("uq_practitioner_source_external", "source", "external_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80, index=True)
    function: str = Field(max_length=40)
    actor_category: str = Field(max_length=40)
    territory_id: int | None = Field(default=None, foreign_key="territory.id", ondelete="SET NULL")
    isic_experience: str = Field(default="debutant", max_length=20)
    skills_knowledge: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    skills_know_how: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    skills_interpersonal: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=30)
    consent_listed: bool = False
    consent_contact: bool = False
    consent_date: date | None = None
    anonymised_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    source: str | None = Field(default=None, max_length=60)  # the file it was imported from
    external_id: str | None = Field(default=None, max_length=100)  # its id there
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    territory: Optional["Territory"] = Relationship(back_populates="practitioners")
    organisations: list["Organisation"] = Relationship(
        back_populates="practitioners", link_model=PractitionerOrganisation
    )
    action_links: list["ActionPractitioner"] = Relationship(
        back_populates="practitioner", cascade_delete=True
    )

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}".strip()


class ConsentRecord(SQLModel, table=True):
    """A consent given or withdrawn: its scope (directory, contact), when, and who recorded it."""

    __tablename__ = "consent_record"

    id: int | None = Field(default=None, primary_key=True)
    practitioner_id: int = Field(foreign_key="practitioner.id", ondelete="CASCADE", index=True)
    listed: bool
    contact: bool
    recorded_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
