"""Domain operations: take (session, data, actor), flush and never commit, raise DomainError."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import update
from sqlmodel import Session, select

from kb.errors import DomainError, Vanished

T = TypeVar("T")


def lock_for_change(session: Session, record, what: str = "Cet élément") -> None:
    """Take the record's row lock (PostgreSQL) or the write lock (SQLite), then read it again.

    Two people saving the same record at once then save one after the other, the second on the first's result:
    without it both replace the same link rows and the second finds them gone (a StaleDataError, a 500).
    Call it before reading what the change depends on.
    """
    session.flush()
    model = type(record)
    unchanged = {"id": model.id}
    if "updated_at" in model.__table__.c:  # its onupdate would stamp a save that changes nothing
        unchanged["updated_at"] = model.updated_at
    result = session.execute(update(model).where(model.id == record.id).values(**unchanged)
                             .execution_options(synchronize_session=False))
    if result.rowcount == 0:
        raise Vanished(f"{what} vient d'être supprimé·e par quelqu'un d'autre.")
    session.expire(record)


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
