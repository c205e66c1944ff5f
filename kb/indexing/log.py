"""The change log every search index follows: sequence numbers in commit order, each index directory's position,
pruning once every index has passed an entry.

Several hosts may serve one database, each with its own index directory: none may consume a change the others
still need. Each transaction that changes searchable data numbers its entries from ``IndexLogHead`` (the row
stays locked until it commits, so numbers follow the commit order: a reader that sees entry N sees every entry
before it). Each index directory keeps, beside its segments, its name and the last number it applied
(``Position``), written after the index's own commit under its write lock; it reports that number to the
database (``IndexCursor``), where pruning reads the slowest index seen lately.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from kb.indexing.versions import upsert_insert
from kb.models import IndexChange, IndexCursor, IndexLogHead
from kb.models.base import utcnow

Key = tuple[str, int]
# An index not seen for this long no longer holds back pruning; if it comes back, the entries it missed are
# gone, and it compares every document's version instead (``kb.indexing.drain``).
CURSOR_TIMEOUT = timedelta(days=7)
_HEAD = IndexLogHead.__table__


def reserve(conn: Connection, count: int) -> int:
    """Number ``count`` new entries; returns the first number. Locks the head row until the commit."""
    bumped = conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(last_seq=_HEAD.c.last_seq + count))
    if bumped.rowcount == 0:  # a database older than the log: its first entry starts the head
        last = conn.execute(select(func.coalesce(func.max(IndexChange.__table__.c.id), 0))).scalar_one()
        conn.execute(_HEAD.insert().values(id=1, last_seq=last + count, pruned_to=0, log_id=uuid.uuid4().hex))
    return conn.execute(select(_HEAD.c.last_seq).where(_HEAD.c.id == 1)).scalar_one() - count + 1


class Head(NamedTuple):
    """The log now: its last number, the number up to which entries were pruned, which log it is."""

    last: int
    pruned_to: int
    log_id: str


def head(session: Session) -> Head:
    """The log's head (an empty one before the first change)."""
    row = session.execute(select(_HEAD.c.last_seq, _HEAD.c.pruned_to, _HEAD.c.log_id).where(_HEAD.c.id == 1)).first()
    return Head(row[0], row[1], row[2]) if row else Head(0, 0, "")


def new_log(session: Session) -> str:
    """Name the log anew (after a restore): every index compares its documents instead of trusting its position."""
    log_id = uuid.uuid4().hex
    session.execute(update(_HEAD).where(_HEAD.c.id == 1).values(log_id=log_id))
    return log_id


@dataclass
class Position:
    """What one index directory applied: its name, the log it follows, the last entry's number, documents to try
    again."""

    name: str
    applied: int = 0
    retry: set[Key] = field(default_factory=set)
    log_id: str = ""

    def follows(self, now: Head) -> bool:
        """Whether entries after ``applied`` are all this index lacks: the same log, not pruned past it, not
        ahead of it (a database put back to an earlier state)."""
        return self.log_id == now.log_id and now.pruned_to <= self.applied <= now.last


def _file(index_dir: str | Path) -> Path:
    return Path(index_dir) / "kb_log_position.json"


def read_position(index_dir: str | Path) -> Position:
    """The directory's position (a new name at 0 for a directory that never applied anything)."""
    path = _file(index_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Position(name=str(data["name"]), applied=int(data["applied"]),
                        retry={(str(kind), int(object_id)) for kind, object_id in data.get("retry", [])},
                        log_id=str(data.get("log_id", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return Position(name=uuid.uuid4().hex)


def save_position(index_dir: str | Path, position: Position) -> None:
    """Write the position atomically (under the index's write lock, after the index committed)."""
    path = _file(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"name": position.name, "log_id": position.log_id, "applied": position.applied,
                                     "retry": sorted(position.retry)}), encoding="utf-8")
    os.replace(temporary, path)


def host_label(index_dir: str | Path) -> str:
    """Where an index lives, for people reading `index check`."""
    return f"{socket.gethostname()}:{Path(index_dir).resolve()}"[:300]


def register(session: Session, position: Position, host: str) -> None:
    """Tell the database how far this index got (pruning and `index check` read it)."""
    table = IndexCursor.__table__
    statement = upsert_insert(session.get_bind().dialect.name)(table).values(
        name=position.name, host=host, applied=position.applied, updated_at=utcnow())
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"applied": func.greatest(table.c.applied, statement.excluded.applied)
              if session.get_bind().dialect.name == "postgresql" else func.max(table.c.applied,
                                                                                 statement.excluded.applied),
              "host": statement.excluded.host, "updated_at": statement.excluded.updated_at}))


def prune(session: Session) -> int:
    """Remove the entries every index seen lately has applied; returns how many went."""
    slowest = session.execute(select(func.min(IndexCursor.applied)).where(
        IndexCursor.updated_at >= utcnow() - CURSOR_TIMEOUT)).scalar_one()
    if not slowest:
        return 0
    pruned_to = head(session).pruned_to
    if slowest <= pruned_to:
        return 0
    gone = session.execute(delete(IndexChange).where(IndexChange.id <= slowest)).rowcount
    session.execute(update(_HEAD).where(_HEAD.c.id == 1, _HEAD.c.pruned_to < slowest).values(pruned_to=slowest))
    return gone


def cursors(session: Session) -> list[IndexCursor]:
    """Every index the database heard of, the slowest first."""
    return list(session.execute(select(IndexCursor).order_by(IndexCursor.applied, IndexCursor.name)).scalars())


def forget(session: Session, who: str) -> int:
    """Stop waiting for an index (a host taken out of service), named by its name or its host label."""
    return session.execute(delete(IndexCursor).where((IndexCursor.name == who) | (IndexCursor.host == who))).rowcount
