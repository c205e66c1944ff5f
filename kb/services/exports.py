"""What the exports stream: the records the pages list, with the same filters, read from the database in batches
(a 100,000-row export never holds more than a batch of records in memory)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlmodel import Session

from kb.forms.filters import ActionFilters, PeopleFilters
from kb.models import FieldAction, Organisation, Practitioner
from kb.policy import Viewer
from kb.services.actions import LIST_LOADS, filtered_actions_query
from kb.services.people import (
    ORGANISATION_LOADS,
    PRACTITIONER_LOADS,
    organisations_query,
    practitioners_query,
)

BATCH = 500


def _streamed(session: Session, stmt) -> Iterator:
    # On PostgreSQL this is a server-side cursor: closed when the reading stops early too (a download cut short,
    # a response never read), or it would be left to the garbage collector.
    result = session.exec(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:
        result.close()


def actions(session: Session, filters: ActionFilters, viewer: Viewer,
            ids: Sequence[int] | None = None) -> Iterator[FieldAction]:
    """The actions the list (or the map, or a search when ``ids`` are its results) shows this viewer, by id."""
    stmt = filtered_actions_query(filters, viewer)
    if ids is not None:
        stmt = stmt.where(FieldAction.id.in_(list(ids)))
    return _streamed(session, stmt.options(*LIST_LOADS).order_by(FieldAction.id))


def organisations(session: Session, filters: PeopleFilters) -> Iterator[Organisation]:
    """The organisations the list shows, by id."""
    return _streamed(session, organisations_query(filters).options(*ORGANISATION_LOADS).order_by(Organisation.id))


def practitioners(session: Session, filters: PeopleFilters, viewer: Viewer) -> Iterator[Practitioner]:
    """The directory's practitioners (those who agreed to be listed), by id."""
    return _streamed(session, practitioners_query(filters, viewer).options(*PRACTITIONER_LOADS)
                     .order_by(Practitioner.id))
