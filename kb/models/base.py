"""Shared column helpers: UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    """Current time in UTC (all stored datetimes are UTC)."""
    return datetime.now(UTC)


def created_at_field() -> datetime:
    """A `created_at` column set on insert."""
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def updated_at_field() -> datetime:
    """An `updated_at` column set on insert and on every ORM update."""
    return Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False, onupdate=utcnow),
    )
