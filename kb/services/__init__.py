"""Domain operations: take (session, data, actor), flush and never commit, raise DomainError."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlmodel import Session, select

from kb.errors import DomainError

T = TypeVar("T")


def records_by_ids(session: Session, model, ids: list[int], field: str, message: str) -> list:
    """The records of these ids (chosen in a form); a DomainError on ``field`` when one no longer exists."""
    found = list(session.exec(select(model).where(model.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise DomainError(message, field=field)
    return found


@dataclass
class Page(Generic[T]):
    """One page of results and the total count."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        """Whether a following page exists."""
        return self.page < self.pages
