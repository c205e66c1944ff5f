"""User accounts and the rate-limit journal (login attempts, resets, reports, messages)."""

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, DateTime
from sqlmodel import Field, Relationship, SQLModel

from kb.models.base import created_at_field
from kb.models.people import Practitioner


class UserAccount(SQLModel, table=True):
    """A person who signs in: admin, formateur, professionnel or étudiant."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=120, unique=True)
    password_hash: str = Field(max_length=200)
    display_name: str = Field(max_length=120)
    role: str = Field(default="etudiant", max_length=20)
    # Professional and trainer accounts act as students until an admin approves them.
    approved_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    practitioner_id: int | None = Field(default=None, foreign_key="practitioner.id", ondelete="SET NULL",
                                        unique=True)
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))

    practitioner: Optional["Practitioner"] = Relationship()


class RateEvent(SQLModel, table=True):
    """One counted attempt (bucket + key, e.g. a failed login for an address) in a sliding window."""

    __tablename__ = "rate_event"

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=40)
    key: str = Field(max_length=200, index=True)
    created_at: datetime = created_at_field()


class ApiToken(SQLModel, table=True):
    """A personal API token: only its SHA-256 is kept (the token is shown once, when it is created)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # its first characters, to tell tokens apart on the account page
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class SignupRequest(SQLModel, table=True):
    """An account asked for by the sign-up form, waiting for its address to be confirmed (48 hours at most).

    The link mailed holds a random token; only its SHA-256 is stored, and nothing secret travels in the link."""

    __tablename__ = "signup_request"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    email: str = Field(max_length=120, index=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    created_at: datetime = created_at_field()
