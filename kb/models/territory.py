"""Territories (the institute's units) and the French communes they cover."""


from typing import TYPE_CHECKING

from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from kb.models.action import FieldAction
    from kb.models.people import Organisation, Practitioner


class TerritoryCommune(SQLModel, table=True):
    """Which communes a unit covers."""

    __tablename__ = "territory_commune"

    territory_id: int = Field(foreign_key="territory.id", primary_key=True, ondelete="CASCADE")
    commune_insee: str = Field(foreign_key="commune.insee", primary_key=True, max_length=5)


class Commune(SQLModel, table=True):
    """A French commune or municipal arrondissement, copied from the gazetteer on first use."""

    __tablename__ = "commune"

    insee: str = Field(primary_key=True, max_length=5)
    name: str = Field(max_length=120, index=True)
    departement: str = Field(max_length=3)
    postal_codes: str = Field(default="", max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


class Territory(SQLModel, table=True):
    """One of the institute's units (Marseille, Avignon, Arles) and its area."""

    __tablename__ = "territory"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=80)
    unit_label: str = Field(max_length=80)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=80)
    phone: str = Field(default="", max_length=30)
    fax: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=120)
    latitude: float | None = None
    longitude: float | None = None

    communes: list["Commune"] = Relationship(link_model=TerritoryCommune)
    actions: list["FieldAction"] = Relationship(back_populates="territory")
    organisations: list["Organisation"] = Relationship(back_populates="territory")
    practitioners: list["Practitioner"] = Relationship(back_populates="territory")
