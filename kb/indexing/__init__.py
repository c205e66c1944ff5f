"""Keeping the search index in step with the database, which stays the truth.

Design, in the order a change travels:
1. ``capture``: a flush that touches searchable data also inserts ``IndexChange`` rows (the outbox)
   in the same transaction, so the data and the note "to index" commit or roll back together;
2. after the request's commit, ``drain`` re-reads those records, writes their documents (or deletes
   the documents of records that are gone) in one index commit, then deletes the outbox rows;
3. if the process dies between the two commits, or the index is busy or broken, the rows stay:
   the next commit, the next search and the next start-up drain them again (writing a document
   twice is harmless);
4. ``rebuild`` rewrites everything from the database; ``check`` compares the index with it.

Each process keeps one ``SearchIndex`` (one searcher, reopened only after commits). Worker
processes of one host share the directory: writers wait for whoosh's file lock (see
``search_index.engine``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import delete, func
from sqlmodel import Session, select

from kb.db import new_session
from kb.indexing import capture
from kb.indexing.documents import MAPPING_VERSION, all_documents, count_documents, documents
from kb.models import IndexChange
from search_index import SearchIndex, SearchIndexError

log = logging.getLogger(__name__)
DRAIN_BATCH = 500


def get_index(app: Flask) -> SearchIndex:
    """This process's index of the app (a forked worker opens its own, never its parent's)."""
    pid, index = app.extensions.get("kb_index", (None, None))
    if pid != os.getpid() or index is None:
        index = SearchIndex(app.config["INDEX_DIR"], cache_bytes=app.config["SEARCH_CACHE_MB"] * 1_000_000)
        app.extensions["kb_index"] = (os.getpid(), index)
    return index


def close_index(app: Flask) -> None:
    """Release this process's searcher (tests, shutdown)."""
    pid, index = app.extensions.pop("kb_index", (None, None))
    if index is not None and pid == os.getpid():
        index.close()


def pending(session: Session) -> int:
    """How many outbox rows wait for the index."""
    return session.exec(select(func.count()).select_from(IndexChange)).one()


def _apply(app: Flask, session: Session, rows: list[IndexChange]) -> int:
    """Write the documents of some outbox rows, then delete the rows; returns the documents written."""
    upserts, deletes = documents(session, {(r.doc_kind, r.object_id) for r in rows})
    get_index(app).apply(upserts, deletes)
    # Only the rows read: a change noted meanwhile by another process stays for its own drain.
    session.exec(delete(IndexChange).where(IndexChange.id.in_([r.id for r in rows])))
    session.commit()
    return len(upserts) + len(deletes)


def drain(app: Flask) -> int:
    """Apply every waiting change to the index; returns the number of documents written or deleted.

    A record whose document cannot be built or written (a bug, bad data) must not hold back the
    others: its batch is retried row by row, and the failing rows stay in the outbox, reported.
    An unavailable index (IndexBusy, a full disk) stops the drain: every row waits.
    """
    done, failed = 0, set()
    with new_session(app) as session:
        while True:
            query = select(IndexChange).order_by(IndexChange.id).limit(DRAIN_BATCH)
            if failed:
                query = query.where(IndexChange.id.not_in(sorted(failed)))
            rows = session.exec(query).all()
            if not rows:
                break
            try:
                done += _apply(app, session, rows)
            except (SearchIndexError, OSError):
                raise
            except Exception:
                session.rollback()
                for row in rows:
                    try:
                        done += _apply(app, session, [row])
                    except (SearchIndexError, OSError):
                        raise
                    except Exception:
                        session.rollback()
                        log.exception("document %s:%s not indexed, kept in the outbox", row.doc_kind, row.object_id)
                        failed.add(row.id)
    if failed:
        raise IndexingIncomplete(len(failed))
    return done


class IndexingIncomplete(Exception):
    """Some outbox rows could not be applied (each one logged); they stay for the next drain."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} changement(s) non indexé(s), gardé(s) pour la prochaine mise à jour")
        self.count = count


def sync(app: Flask) -> bool:
    """Drain if anything waits; never raises (the outbox keeps what could not be written)."""
    try:
        with new_session(app) as session:
            if not session.exec(select(IndexChange.id).limit(1)).first():
                return True
        drain(app)
        return True
    except (SearchIndexError, OSError) as exc:
        log.warning("search index not updated, changes kept in the outbox: %s", exc)
        return False
    except Exception:
        # Called after the user's data is committed: any failure (a bug, a corrupt segment) must not
        # turn a saved edit into an error page. The outbox rows stay for the next drain.
        log.exception("search index not updated, changes kept in the outbox")
        return False


def rebuild(app: Flask, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite the whole index from the database; returns the number of documents."""
    with new_session(app) as session:
        total = count_documents(session)
        # Outbox rows older than the rebuild are covered by it; newer ones stay for the next drain.
        last = session.exec(select(func.max(IndexChange.id))).one()
        count = get_index(app).rebuild(all_documents(session),
                                       progress=(lambda n: progress(n, total)) if progress else None)
        if last is not None:
            session.exec(delete(IndexChange).where(IndexChange.id <= last))
        session.commit()
    _mapping_file(app).write_text(str(MAPPING_VERSION))
    return count


def _mapping_file(app: Flask) -> Path:
    return Path(app.config["INDEX_DIR"]) / "kb_mapping_version"


def mapping_is_current(app: Flask) -> bool:
    """Whether the index was built with today's model -> document mapping (else documents may be stale)."""
    path = _mapping_file(app)
    return path.is_file() and path.read_text().strip() == str(MAPPING_VERSION)


@dataclass
class CheckReport:
    """Differences between the database and the index, by document id."""

    total: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    waiting: int = 0

    @property
    def ok(self) -> bool:
        """True when the index holds exactly the database's documents, up to date."""
        return not (self.missing or self.stale or self.extra)


def check(app: Flask) -> CheckReport:
    """Compare each database document's stamp with the index's."""
    report = CheckReport()
    indexed = dict(get_index(app).stamps())
    with new_session(app) as session:
        report.waiting = pending(session)
        for doc in all_documents(session):
            report.total += 1
            stamp = indexed.pop(doc.doc_id, None)
            if stamp is None:
                report.missing.append(doc.doc_id)
            elif stamp != doc.stamp:
                report.stale.append(doc.doc_id)
    report.extra = sorted(indexed)
    return report


def startup(app: Flask) -> None:
    """Before serving: rebuild an empty or outdated index of a non-empty database, else drain.

    Outdated also means built by an earlier mapping (MAPPING_VERSION): a change of who may see a
    document changes every document of its kind, which a drain of the outbox would not cover.
    """
    index = get_index(app)
    with new_session(app) as session:
        has_data = count_documents(session) > 0
    if has_data and (index.outdated or index.doc_count() == 0 or not mapping_is_current(app)):
        rebuild(app)
    else:
        sync(app)


def warm(app: Flask) -> None:
    """Prepare this process's searcher before its first request; never fails (a search would retry)."""
    try:
        get_index(app).warm()
    except Exception:
        log.exception("search index not warmed")


def _after_commit(app: Flask) -> None:
    sync(app)


def init_app(app: Flask) -> None:
    """Capture changes, drain after each request commit, and register the `index` commands."""
    from kb.indexing.commands import index_group

    capture.install()
    app.extensions.setdefault("kb_after_commit", []).append(_after_commit)
    app.cli.add_command(index_group)
