"""Versions of search documents: counted up in the data's transaction, read before building a document.

Why a counter per document rather than outbox ids or clocks: ids come from a sequence and clocks from
each process, and neither follows the commit order on PostgreSQL. Incrementing one row per document
locks it until the transaction ends, so a later commit always carries a higher version.

Why versions are read before the records: a document labelled with a version no newer than its data
is at worst written again by the next change; one labelled newer than its data would hide that change.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.engine import Connection
from sqlmodel import Session

from kb.models import IndexVersion

Key = tuple[str, int]
CHUNK = 400  # pairs per IN list: far below SQLite's and PostgreSQL's bound-parameter limits
_TABLE = IndexVersion.__table__


def upsert_insert(dialect: str):
    """The dialect's INSERT that takes ON CONFLICT DO UPDATE (a counter counted up in one statement)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL
        raise RuntimeError(f"unsupported database: {dialect}")
    return insert


def _upsert(dialect: str):
    statement = upsert_insert(dialect)(_TABLE)
    return statement.on_conflict_do_update(index_elements=[_TABLE.c.doc_kind, _TABLE.c.object_id],
                                           set_={"version": _TABLE.c.version + 1})


def bump(conn: Connection, keys: Iterable[Key]) -> dict[Key, int]:
    """Count one more change for each document and return their new versions (call inside the flush).

    Keys are taken in sorted order, so two transactions bumping the same documents lock them in the
    same order.
    """
    ordered = sorted(set(keys))
    if not ordered:
        return {}
    rows = [{"doc_kind": kind, "object_id": object_id, "version": 1} for kind, object_id in ordered]
    statement = _upsert(conn.dialect.name)
    for start in range(0, len(rows), CHUNK):
        conn.execute(statement, rows[start:start + CHUNK])
    return read(conn, ordered)


def _connection(conn: Connection | Session) -> Connection:
    return conn.connection() if isinstance(conn, Session) else conn


def read(conn: Connection | Session, keys: Iterable[Key]) -> dict[Key, int]:
    """The current version of each document (0 when nothing was ever counted)."""
    conn = _connection(conn)
    ordered = sorted(set(keys))
    found: dict[Key, int] = dict.fromkeys(ordered, 0)
    columns = (_TABLE.c.doc_kind, _TABLE.c.object_id, _TABLE.c.version)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        query = select(*columns).where(tuple_(_TABLE.c.doc_kind, _TABLE.c.object_id).in_(chunk))
        for kind, object_id, version in conn.execute(query):
            found[(kind, object_id)] = version
    return found


def read_all(conn: Connection | Session) -> dict[Key, int]:
    """Every counted document's version (drift repair compares them with the index)."""
    conn = _connection(conn)
    return {(kind, object_id): version
            for kind, object_id, version in conn.execute(select(_TABLE.c.doc_kind, _TABLE.c.object_id,
                                                                _TABLE.c.version))}
