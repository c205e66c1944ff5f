"""The 3-day seminar, its two alternative sessions, and its registrations (the bulletin d'inscription).

A registration is one employer's order for one or several trainees in one session. Seats are rows
(`SeminarSeat`, one per place of a session, created with the capacity): a trainee holds a seat by
setting its `trainee_id`, which is unique, so the database itself refuses a second holder and no
session can hold more trainees than it has seat rows. Invoices and credit notes take their numbers
from `InvoiceCounter` in the transaction that issues them, so a number is never lost nor reused.
"""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field

# Registration statuses, as stored, with their French labels.
REGISTRATION_STATUSES = {"recue": "reçue", "confirmee": "confirmée", "attente": "liste d'attente",
                         "annulee": "annulée"}
# A trainee holds a seat, waits for one, or was cancelled.
TRAINEE_STATES = {"place": "place confirmée", "attente": "liste d'attente", "annule": "annulé·e"}
HALF_DAYS = {"matin": "matin", "apres-midi": "après-midi"}


class Seminar(SQLModel, table=True):
    """The 3-day training seminar, offered as two alternative sessions of three days each."""

    __tablename__ = "seminar"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    year: int = Field(index=True)
    price_eur: int = 250
    place: str = Field(default="", max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    capacity: int | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    hours: str = Field(default="9 h 30 – 12 h 30 et 13 h 30 – 16 h 30", max_length=200)
    to_bring: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = created_at_field()

    days: list["SeminarDay"] = Relationship(
        back_populates="seminar", cascade_delete=True,
        sa_relationship_kwargs={"order_by": "[SeminarDay.option, SeminarDay.day]"})

    def option_days(self, option: int) -> list[date]:
        """The three dates of one of the alternative sessions (1 or 2)."""
        return [d.day for d in self.days if d.option == option]

    def options(self) -> list[int]:
        """The sessions that have dates."""
        return [option for option in (1, 2) if self.option_days(option)]


class SeminarDay(SQLModel, table=True):
    """One day of one of the seminar's alternative sessions."""

    __tablename__ = "seminar_day"
    __table_args__ = (UniqueConstraint("seminar_id", "option", "day", name="uq_seminar_day_option_day"),)

    id: int | None = Field(default=None, primary_key=True)
    seminar_id: int = Field(foreign_key="seminar.id", ondelete="CASCADE", index=True)
    option: int
    day: date = Field(index=True)

    seminar: "Seminar" = Relationship(back_populates="days")


class Registration(SQLModel, table=True):
    """One bulletin d'inscription: an employer registers trainees for one session of a seminar."""

    __tablename__ = "registration"

    id: int | None = Field(default=None, primary_key=True)
    seminar_id: int = Field(foreign_key="seminar.id", ondelete="CASCADE", index=True)
    option: int
    reference: str = Field(max_length=30, unique=True)
    status: str = Field(default="recue", max_length=20, index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    organisation_name: str = Field(max_length=200)
    director: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=5)
    commune: str = Field(default="", max_length=200)
    commune_insee: str | None = Field(default=None, max_length=5)
    phone: str = Field(default="", max_length=30)
    fax: str = Field(default="", max_length=30)
    email: str = Field(max_length=254)
    siret: str = Field(default="", max_length=14)
    signer_name: str = Field(max_length=200)
    signer_function: str = Field(default="", max_length=200)
    signed_on: date
    unit_price_eur: int
    token_nonce: str = Field(max_length=32)
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    signed_received_on: date | None = None
    paid_on: date | None = None
    created_at: datetime = created_at_field()

    seminar: Seminar = Relationship()
    trainees: list["Trainee"] = Relationship(
        back_populates="registration", cascade_delete=True, sa_relationship_kwargs={"order_by": "Trainee.id"})
    events: list["RegistrationEvent"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "RegistrationEvent.id"})
    invoices: list["Invoice"] = Relationship(sa_relationship_kwargs={"order_by": "Invoice.id"})

    def active(self) -> list["Trainee"]:
        """The trainees not cancelled, in arrival order."""
        return [t for t in self.trainees if t.state != "annule"]

    def seated(self) -> list["Trainee"]:
        """The trainees holding a seat."""
        return [t for t in self.trainees if t.state == "place"]

    def waiting(self) -> list["Trainee"]:
        """The trainees on the waiting list."""
        return [t for t in self.trainees if t.state == "attente"]

    def total_eur(self) -> int:
        """What the registration costs: the trainees holding or waiting for a seat, at the registered price."""
        return len(self.active()) * self.unit_price_eur


class Trainee(SQLModel, table=True):
    """One trainee of a registration; the waiting list is the trainees in `attente`, by id (arrival order)."""

    __tablename__ = "trainee"

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", ondelete="CASCADE", index=True)
    last_name: str = Field(max_length=100)
    first_name: str = Field(max_length=100)
    function: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    state: str = Field(default="attente", max_length=10, index=True)
    created_at: datetime = created_at_field()

    registration: Registration = Relationship(back_populates="trainees")

    @property
    def name(self) -> str:
        """First name then last name."""
        return f"{self.first_name} {self.last_name}"


class SeminarSeat(SQLModel, table=True):
    """One place of one session; a unique `trainee_id` holds it (the database refuses overbooking)."""

    __tablename__ = "seminar_seat"
    __table_args__ = (UniqueConstraint("seminar_id", "option", "number", name="uq_seminar_seat_number"),)

    id: int | None = Field(default=None, primary_key=True)
    seminar_id: int = Field(foreign_key="seminar.id", ondelete="CASCADE", index=True)
    option: int
    number: int
    trainee_id: int | None = Field(default=None, foreign_key="trainee.id", ondelete="SET NULL", unique=True)


class Presence(SQLModel, table=True):
    """A trainee was present at one half-day of the seminar (ticked by the team)."""

    __tablename__ = "seminar_presence"

    trainee_id: int = Field(foreign_key="trainee.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    half: str = Field(primary_key=True, max_length=10)


class RegistrationEvent(SQLModel, table=True):
    """One line of a registration's history: what changed, when, by whom."""

    __tablename__ = "registration_event"

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", ondelete="CASCADE", index=True)
    actor: str = Field(max_length=200)
    message: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = created_at_field()


class Invoice(SQLModel, table=True):
    """An invoice (facture) or a credit note (avoir) as issued: number, lines and amount never change."""

    __tablename__ = "invoice"
    __table_args__ = (UniqueConstraint("kind", "year", "number", name="uq_invoice_number"),)

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", ondelete="RESTRICT", index=True)
    kind: str = Field(max_length=10)
    year: int
    number: int
    issued_on: date
    quantity: int
    unit_price_eur: int
    amount_eur: int
    lines: str = Field(sa_column=Column(Text, nullable=False))
    credits_id: int | None = Field(default=None, foreign_key="invoice.id")
    credited: bool = False

    credit_of: Optional["Invoice"] = Relationship(sa_relationship_kwargs={"remote_side": "Invoice.id"})

    @property
    def label(self) -> str:
        """The printed number: F-2026-0001 for an invoice, AV-2026-0001 for a credit note."""
        return f"{'F' if self.kind == 'facture' else 'AV'}-{self.year}-{self.number:04d}"


class InvoiceCounter(SQLModel, table=True):
    """The last number given per kind and year; incremented in the issuing transaction (no gap, no reuse)."""

    __tablename__ = "invoice_counter"

    kind: str = Field(primary_key=True, max_length=10)
    year: int = Field(primary_key=True)
    last: int = 0
