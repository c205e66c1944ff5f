"""What one whoosh writer does for ``SearchIndex``: versioned upserts and deletes, and a whole generation.

The caller holds the index's write lock (``storage``) and opens and commits the writer; these
functions only decide, document by document, what to write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from whoosh.reading import TermNotFound

from search_index.schema import SearchDoc, doc_words, to_fields, vocabulary_fields

ANY_VERSION = 2**62  # a delete given without a version removes whatever is indexed


def indexed_versions(reader, doc_ids: Iterable[str]) -> dict[str, int]:
    """The version the index holds of each document it has (deleted documents are not seen)."""
    column = reader.column_reader("version") if reader.has_column("version") else None
    found = {}
    for doc_id in doc_ids:
        try:
            postings = reader.postings("doc_id", doc_id)
        except TermNotFound:
            continue
        if postings.is_active():
            found[doc_id] = int(column[postings.id()]) if column is not None else 0
    return found


def write_changes(writer, latest: dict[str, SearchDoc], gone: dict[str, int], force: bool) -> tuple[dict[str, int], bool]:
    """Write the documents newer than the index's and remove the deleted ones no older than it.

    Returns {doc id: version the index covers afterwards} and whether anything changed.
    """
    covered: dict[str, int] = {}
    changed = False
    known = writer.reader()
    try:
        held = indexed_versions(known, [*latest, *gone])
        words: set[str] = set()
        for doc in latest.values():
            if not force and doc.version and held.get(doc.doc_id, -1) >= doc.version:
                covered[doc.doc_id] = held[doc.doc_id]  # as new or newer already: skip
                continue
            values = to_fields(doc)
            words |= doc_words(values)
            if doc.doc_id in held:
                writer.update_document(**values)
            else:  # not in the index (a deleted copy is not seen either): nothing to replace
                writer.add_document(**values)
            covered[doc.doc_id], changed = doc.version, True
        for doc_id, version in gone.items():
            if doc_id in held and (force or held[doc_id] <= version):
                writer.delete_by_term("doc_id", doc_id)
                changed = True
            covered[doc_id] = max(version, held.get(doc_id, version))
        new_words = {w for w in words if ("words", w) not in known}  # each word looked up once per batch
    finally:
        known.close()
    if new_words:
        writer.add_document(**vocabulary_fields(new_words, uuid.uuid4().hex))
    return covered, changed


def add_documents(writer, docs: Iterable[SearchDoc], seen: set[str],
                  tick: Callable[[int], None] | None = None) -> set[str]:
    """Add each document whose id is not in ``seen`` yet (the first of a doc id wins), noting it there; returns the
    documents' unstemmed words, for a vocabulary document. ``tick(len(seen))`` runs every 500 documents."""
    words: set[str] = set()
    for doc in docs:
        if doc.doc_id in seen:
            continue
        seen.add(doc.doc_id)
        values = to_fields(doc)
        words |= doc_words(values)
        writer.add_document(**values)
        if tick and len(seen) % 500 == 0:
            tick(len(seen))
    return words


def write_all(writer, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None) -> int:
    """Add every document once (the first of a doc id wins) and one vocabulary document; returns the count."""
    seen: set[str] = set()
    vocabulary = add_documents(writer, docs, seen, progress)
    if vocabulary:
        writer.add_document(**vocabulary_fields(vocabulary, uuid.uuid4().hex))
    return len(seen)


def commit(writer) -> None:
    """Commit a writer; if the commit fails, release the file lock whoosh would otherwise keep.

    whoosh releases its lock at the end of a successful commit or of ``cancel()``; a commit that raises
    halfway (a full disk) does neither, and every later writer of this process would wait for the lock
    and give up. The index stays at its previous generation: the half-written files are never listed.
    """
    try:
        writer.commit()
    except BaseException:
        lock = getattr(writer, "writelock", None)
        if lock is not None and lock.fd is not None:
            lock.release()
        raise
