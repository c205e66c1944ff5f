"""Keeping the search index in step with the database, which stays the truth.

Design, in the order a change travels:
1. ``capture``: a flush that touches searchable data counts one more version of each document it
   changes (``versions``) and appends ``IndexChange`` entries to the change log (``log``), numbered in
   commit order, in the same transaction: the data, its version and the note "to index" commit or roll
   back together;
2. after the request's commit, ``drain`` takes the index's write lock, then reads the log from this
   index directory's position on, the documents' versions and, last, the records; it writes each
   document unless the index already holds that version or a newer one, then moves the position.
   Holding the lock while reading means no other writer can slip an older read in between; comparing
   versions means that even a write that comes late (a rebuild's) cannot replace a newer document;
3. the log is never consumed: every index directory (one per host, shared by that host's workers)
   follows it from its own position, catching up at start-up, after its own commits and before each
   search, so a host sees the others' changes; entries go once every index seen lately passed them;
4. if the process dies between the two commits, or the index is busy or broken, the position stays:
   the next commit, the next search and the next start-up apply the entries again;
5. ``repair`` compares every document's version in the database with the index's and re-indexes
   what differs (start-up, ``index update``, after a rebuild's swap, an index back after the log was
   pruned); ``index update`` also compares content stamps, which catches drift of any cause;
6. ``rebuild`` writes a new generation from the database while the old one still serves, swaps it in
   under the lock, then repairs what changed during the rebuild; ``check`` compares stamps and
   versions and reports each index's lag.

Each process keeps one ``SearchIndex`` (one searcher, reopened only after commits and swaps).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlmodel import Session, select

from kb.db import new_session
from kb.indexing import capture, log, versions
from kb.indexing.documents import (
    MAPPING_VERSION,
    all_documents,
    count_documents,
    doc_id,
    documents,
    record_ids,
    split_doc_id,
)
from kb.indexing.log import save_position
from kb.models import IndexChange, IndexCursor
from search_index import SearchIndex, SearchIndexError

log_ = logging.getLogger(__name__)
DRAIN_BATCH = 500  # a request's drain: small, since one failing document retries its batch row by row
# A bulk import's drains (``following``): each batch is one whoosh commit, and many small segments cost merges
# of them all (50,000 rows: 70 s of indexing in batches of 500, 40 s in batches of 5,000).
BULK_DRAIN_BATCH = 5000


def get_index(app: Flask) -> SearchIndex:
    """This process's index of the app (a forked worker opens its own, never its parent's)."""
    pid, index = app.extensions.get("kb_index", (None, None))
    if pid != os.getpid() or index is None:
        index = SearchIndex(app.config["INDEX_DIR"], cache_bytes=app.config["SEARCH_CACHE_MB"] * 1_000_000,
                            parallel_from=app.config["INDEX_PARALLEL_FROM"])
        app.extensions["kb_index"] = (os.getpid(), index)
    return index


def close_index(app: Flask) -> None:
    """Release this process's searcher (tests, shutdown)."""
    pid, index = app.extensions.pop("kb_index", (None, None))
    if index is not None and pid == os.getpid():
        index.close()


def _position(app: Flask) -> log.Position:
    return log.read_position(app.config["INDEX_DIR"])


def lag(app: Flask, session: Session) -> int:
    """How many changes this host's index has not applied yet (`/healthz`, `/metrics`, `index check`); an index
    that cannot trust its position (another log, pruned past it) counts the whole log."""
    position = _position(app)
    now = log.head(session)
    behind = now.last - position.applied if position.follows(now) else now.last
    return behind + len(position.retry)


def _start_again(app: Flask, position: log.Position) -> int:
    """Compare every document with the database and take the log's head as the position (lock held): for an
    index whose position means nothing in this log. Returns the documents written or deleted."""
    with new_session(app) as session:
        now = log.head(session)  # before the comparison: what is committed after it is applied from the log
    keys, failing = drift(app), set()
    try:
        written = _reindex(app, keys)
    except (SearchIndexError, OSError):
        raise
    except Exception:  # one document that cannot be built must not hold back the others: one by one
        written = 0
        for key in sorted(keys):
            try:
                written += _reindex(app, {key})
            except (SearchIndexError, OSError):
                raise
            except Exception:
                log_.exception("document %s:%s not indexed, kept to try again", *key)
                failing.add(key)
    position.applied, position.log_id, position.retry = now.last, now.log_id, failing
    save_position(app.config["INDEX_DIR"], position)
    return written


def _write(index: SearchIndex, session: Session, keys: set[tuple[str, int]]) -> int:
    """Write the current documents of ``keys`` unless the index holds their version already (lock held)."""
    current = versions.read(session, keys)  # before the records: see versions
    upserts, deletes = documents(session, keys, current)
    index.apply(upserts, deletes)
    return len(upserts) + len(deletes)


def _write_each(app: Flask, index: SearchIndex, keys: set[tuple[str, int]]) -> tuple[int, set[tuple[str, int]]]:
    """Write documents one by one (after a batch failed): returns the count written and the keys that fail."""
    written, failing = 0, set()
    for key in sorted(keys):
        with new_session(app) as session:
            try:
                written += _write(index, session, {key})
            except (SearchIndexError, OSError):
                raise
            except Exception:
                log_.exception("document %s:%s not indexed, kept to try again", *key)
                failing.add(key)
    return written, failing


def drain(app: Flask, batch: int | None = None) -> int:
    """Apply the change log from this index's position on; returns the number of documents written or deleted.

    A record whose document cannot be built or written (a bug, bad data) must not hold back the
    others: its batch is retried document by document, and the failing ones are kept in the index's
    position to be tried again by the next drain, reported. An unavailable index (IndexBusy, a full
    disk) stops the drain where it is: the position only moves past what the index committed.
    """
    done = 0
    index = get_index(app)
    index_dir = app.config["INDEX_DIR"]
    with index.writing():
        position = _position(app)
        start = position.applied
        with new_session(app) as session:
            now = log.head(session)
        if not position.follows(now):
            # Entries this index never applied are gone (it was away longer than the log keeps them), or the
            # database is another one (restored): compare every document's version instead.
            done += _start_again(app, position)
        if position.retry:
            written, position.retry = _write_each(app, index, position.retry)
            done += written
            save_position(index_dir, position)
        while True:
            # A session per batch: one kept across batches would serve records it loaded earlier from its
            # identity map, older than the versions read for the next batch.
            with new_session(app) as session:
                rows = session.execute(select(IndexChange.id, IndexChange.doc_kind, IndexChange.object_id)
                                       .where(IndexChange.id > position.applied).order_by(IndexChange.id)
                                       .limit(batch or DRAIN_BATCH)).all()
                if not rows:
                    break
                if rows[0][0] != position.applied + 1:  # numbers have no gaps: these were pruned while we read
                    done += _start_again(app, position)
                    continue
                keys = {(kind, object_id) for _id, kind, object_id in rows}
                try:
                    done += _write(index, session, keys)
                except (SearchIndexError, OSError):
                    raise
                except Exception:
                    session.rollback()
                    written, failing = _write_each(app, index, keys)
                    done += written
                    position.retry |= failing
            position.applied = rows[-1][0]
            save_position(index_dir, position)
        if position.applied != start or not _registered(app, position):
            report_position(app, position)
            _BEATS[app.config["INDEX_DIR"]] = time.monotonic()
    if position.retry:
        raise IndexingIncomplete(len(position.retry))
    return done


_BEATS: dict[str, float] = {}
HEARTBEAT_SECONDS = 600


def _heartbeat(app: Flask) -> None:
    """Tell the database now and then that this index is alive, even when nothing changes: pruning waits only
    for indexes seen lately, and a quiet week must not make an active host look gone."""
    index_dir = app.config["INDEX_DIR"]
    if time.monotonic() - _BEATS.get(index_dir, -HEARTBEAT_SECONDS) < HEARTBEAT_SECONDS:
        return
    _BEATS[index_dir] = time.monotonic()
    position = _position(app)
    if position.log_id:  # an index that never applied anything has nothing to report yet
        report_position(app, position)


def _registered(app: Flask, position: log.Position) -> bool:
    with new_session(app) as session:
        return session.get(IndexCursor, position.name) is not None


def report_position(app: Flask, position: log.Position) -> None:
    """Tell the database this index's position, and prune what every index applied (never raises)."""
    try:
        with new_session(app) as session:
            log.register(session, position, log.host_label(app.config["INDEX_DIR"]))
            log.prune(session)
            session.commit()
    except Exception:  # the position is kept in the index directory: the next drain reports it again
        log_.exception("index position not reported to the database")


class IndexingIncomplete(Exception):
    """Some documents could not be written (each one logged); they are tried again by the next drain."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} document(s) non indexé(s), gardé(s) pour la prochaine mise à jour")
        self.count = count


def sync(app: Flask, batch: int | None = None) -> bool:
    """Drain if this index is behind the log (another host's changes too); never raises (the log keeps what
    could not be written)."""
    try:
        with new_session(app) as session:
            if not lag(app, session):
                _heartbeat(app)
                return True
        drain(app, batch)
        return True
    except (SearchIndexError, OSError) as exc:
        log_.warning("search index not updated, changes kept in the log: %s", exc)
        return False
    except Exception:
        # Called after the user's data is committed: any failure (a bug, a corrupt segment) must not
        # turn a saved edit into an error page. The log keeps the changes for the next drain.
        log_.exception("search index not updated, changes kept in the log")
        return False


@contextmanager
def following(app: Flask) -> Iterator[None]:
    """Index what the caller commits while it goes on writing (a long import), in a second process.

    On two cores the index keeps pace with the import instead of starting after it: the child drains
    the log every time something waits, until the caller is done, then a last drain here catches
    what it left (it stopped, or failed: the log keeps everything for the next drain anyway).
    """
    context = multiprocessing.get_context("fork")  # the child is this process: same app, same settings
    done = context.Event()
    child = context.Process(target=_follow, args=(app, done), name="observatoire-index", daemon=True)
    child.start()
    try:
        yield
    finally:
        done.set()
        child.join()
        sync(app, BULK_DRAIN_BATCH)  # what the child left (it failed, or the caller raised): never raises


def _follow(app: Flask, done) -> None:
    # The parent's pooled connections must not be shared: forget them without closing them.
    from kb.db import get_engine

    get_engine(app).dispose(close=False)
    while True:
        finished = done.is_set()  # read before the drain: what was committed before it is then indexed
        with new_session(app) as session:
            waiting = lag(app, session)
        # Whole batches only: each drain is a whoosh commit, and small segments soon cost merges of them all.
        if waiting < BULK_DRAIN_BATCH and not finished:
            done.wait(0.2)
        elif finished:
            sync(app, BULK_DRAIN_BATCH)
            return
        elif not sync(app, BULK_DRAIN_BATCH):
            done.wait(1.0)  # the index was busy (a web worker's drain): try again, the log keeps everything


def rebuild(app: Flask, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite the whole index from the database; returns the number of documents.

    The new generation is written while the old one serves and takes changes; right after the swap,
    under the write lock, it takes the log position read before its first document (it holds every change
    up to there), then what changed meanwhile is re-indexed (``repair``) and the log applied from there.
    """
    def catch_up() -> None:
        position = _position(app)
        position.applied, position.log_id, position.retry = start.last, start.log_id, set()
        save_position(app.config["INDEX_DIR"], position)
        repair(app)
        sync(app)

    with new_session(app) as session:
        start = log.head(session)  # before the documents: they hold at least every change up to it
        total = count_documents(session)
        count = get_index(app).rebuild(all_documents(session), after_swap=catch_up, total=total,
                                       progress=(lambda n: progress(n, total)) if progress else None)
    _mapping_file(app).write_text(str(MAPPING_VERSION))
    return count


def _reindex(app: Flask, keys: set[tuple[str, int]]) -> int:
    """Write the current documents of ``keys`` whatever the index holds (a repair; lock held)."""
    index = get_index(app)
    written = 0
    ordered = sorted(keys)
    for start in range(0, len(ordered), DRAIN_BATCH):
        with new_session(app) as session:
            upserts, deletes = documents(session, ordered[start:start + DRAIN_BATCH])
            index.apply(upserts, deletes, force=True)
            written += len(upserts) + len(deletes)
    return written


def drift(app: Flask) -> set[tuple[str, int]]:
    """Documents whose indexed version is not the database's: missing, older, newer, or of records gone.

    Cheap (ids and versions, no document is built): start-up runs it every time.
    """
    indexed = get_index(app).versions()
    with new_session(app) as session:
        counted = versions.read_all(session)
        existing = {doc_id(kind, i) for kind, ids in record_ids(session).items() for i in ids}
    keys = set()
    for key in existing:
        if indexed.get(key) != counted.get(split_doc_id(key), 0):
            keys.add(split_doc_id(key))
    keys |= {split_doc_id(key) for key in indexed.keys() - existing if split_doc_id(key)}
    return keys


def repair(app: Flask, stamps: bool = False) -> int:
    """Re-index every document that drifted from the database; returns how many were written or deleted.

    Runs under the write lock, so nothing is written between the comparison and the repair. With
    ``stamps``, every document is built and its content compared too (``index update``): slower, and
    catches drift that versions cannot see (a document built by an older mapping, a lost write).
    """
    index = get_index(app)
    with index.writing():
        keys = drift(app)
        if stamps:
            report = check(app)
            keys |= {split_doc_id(key) for key in report.missing + report.stale + report.extra if split_doc_id(key)}
        if keys:
            log_.warning("search index: %d document(s) drifted from the database, re-indexed", len(keys))
        return _reindex(app, keys) if keys else 0


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
    # Every index following the log (one per host): (host, applied, lag), the slowest first.
    indexes: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the index holds exactly the database's documents, up to date."""
        return not (self.missing or self.stale or self.extra)


def check(app: Flask) -> CheckReport:
    """Compare each database document's stamp and version with the index's."""
    report = CheckReport()
    index = get_index(app)
    indexed, indexed_versions = dict(index.stamps()), index.versions()
    with new_session(app) as session:
        report.waiting = lag(app, session)
        last = log.head(session).last
        report.indexes = [(cursor.host, cursor.applied, max(0, last - cursor.applied))
                          for cursor in log.cursors(session)]
        for doc in all_documents(session):
            report.total += 1
            stamp = indexed.pop(doc.doc_id, None)
            if stamp is None:
                report.missing.append(doc.doc_id)
            elif stamp != doc.stamp or indexed_versions.get(doc.doc_id) != doc.version:
                report.stale.append(doc.doc_id)
    report.extra = sorted(indexed)
    return report


def startup(app: Flask) -> None:
    """Before serving: rebuild an empty or outdated index of a non-empty database, else drain and repair.

    Outdated also means built by an earlier mapping (MAPPING_VERSION): a change of who may see a
    document changes every document of its kind, which a drain of the log would not cover. The
    repair catches what a crash or an older version of the app left behind.
    """
    index = get_index(app)
    with new_session(app) as session:
        has_data = count_documents(session) > 0
    if has_data and (index.outdated or index.doc_count() == 0 or not mapping_is_current(app)):
        rebuild(app)
        report_position(app, _position(app))  # this host's index joins those the log waits for
        return
    if sync(app):
        try:
            repair(app)
        except (SearchIndexError, OSError) as exc:
            log_.warning("search index not repaired at start-up: %s", exc)


def warm(app: Flask) -> None:
    """Prepare this process's searcher before its first request; never fails (a search would retry)."""
    try:
        get_index(app).warm()
    except Exception:
        log_.exception("search index not warmed")


def _after_commit(app: Flask) -> None:
    sync(app)


def init_app(app: Flask) -> None:
    """Capture changes, drain after each request commit, and register the `index` commands."""
    from kb.indexing.commands import index_group

    capture.install()
    app.extensions.setdefault("kb_after_commit", []).append(_after_commit)
    app.cli.add_command(index_group)
