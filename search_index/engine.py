"""``SearchIndex``: one on-disk index shared by the worker processes of one host.

Writes hold the directory's write lock (``storage``) with a timeout, so a second process waits its
turn instead of failing at once; past the timeout ``IndexBusy`` tells the caller to retry later.
Every document carries the app's version of it: a write of a version the index already holds, or
of an older one, is skipped, so a writer that read the database before another can never undo the
other's newer document. A rebuild writes a new generation and swaps it in atomically. Each process
keeps one searcher (and the postings decoded from it), reopened only after a commit or a swap.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from whoosh import index

from search_index.bulk import RebuildWriter
from search_index.errors import IndexBusy, IndexOutdated, SearchIndexError
from search_index.parallel import write_two_parts
from search_index.postings import DocArrays
from search_index.query import parse, plain_words, sanitize
from search_index.results import Hit, SearchQuery, SearchResults
from search_index.schema import (
    FACET_FIELDS,
    FILTER_FIELDS,
    SCHEMA,
    TEXT_FIELDS,
    VOCABULARY_KIND,
    SearchDoc,
    same_schema,
)
from search_index.search import SORTS, Outcome, run, run_whoosh
from search_index.segments import SegmentCache
from search_index.selfcheck import check
from search_index.similar import SimilarCache, similar_hits
from search_index.storage import IndexDirectory, LockTimeout, reading
from search_index.writes import ANY_VERSION, commit, write_all, write_changes

__all__ = ["IndexBusy", "IndexOutdated", "SearchIndex", "SearchIndexError"]

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 500


def _choices(value) -> list[str]:
    """Accepted values of a filter: a lone string is one value, not a list of letters."""
    if value is None:
        return []
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def _number(value, default: int) -> int:
    """A page number or size from whatever the caller passed."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _processors() -> int:
    """Processors this process may run on (its CPU set, which a container may narrow; a CPU quota is not seen:
    under a one-processor quota, set a high ``parallel_from``)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class SearchIndex:
    """The search index of one directory: writes, rebuilds, searches and similar documents."""

    def __init__(self, path: str | os.PathLike, lock_timeout: float = 10.0, cache_bytes: int = 64_000_000,
                 parallel_from: int = 20_000) -> None:
        """Open the index in ``path``, creating the directory and an empty index if missing.

        ``cache_bytes`` bounds the memory of the decoded postings kept between searches. A rebuild of at least
        ``parallel_from`` documents writes on two processors (``search_index.parallel``), where there are two.
        """
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.parallel_from = parallel_from
        self.directory = IndexDirectory(self.path, lock_timeout)
        # whoosh readers seek and read shared file objects: one thread at a time uses the searcher.
        self._lock = threading.RLock()
        self._searcher = None
        self._generation = -1
        self._arrays: DocArrays | None = None
        self.cache = SegmentCache(cache_bytes)
        self._name: str | None = None
        self._ix = None
        self._similar = SimilarCache()
        self.outdated = False
        if self.directory.current() is None:
            self._create_first()
        self._follow()

    def _create_first(self) -> None:
        # Two workers starting together must not both create: the second would replace the first's.
        with self._locked():
            if self.directory.current() is None:
                name = self.directory.new_generation()
                index.create_in(self.directory.path(name), SCHEMA)
                self.directory.switch(name)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with self.directory.locked():
                yield
        except LockTimeout as err:
            raise IndexBusy(self.path, self.lock_timeout) from err

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock across several calls (re-entrant): what is read inside, from the index or
        from the app's database, cannot be overtaken by another writer before it is written."""
        with self._locked():
            self._follow()
            yield

    def _follow(self) -> None:
        """Open the generation ``CURRENT`` names, if it is not the one open (a rebuild swapped it)."""
        with self._lock:
            for attempt in range(50):
                name = self.directory.current()
                if name == self._name:
                    return
                try:
                    opened = index.open_dir(self.directory.path(name))
                    break
                except FileNotFoundError:  # swapped and pruned between the read of CURRENT and the open
                    if attempt == 49:
                        raise
                    time.sleep(0.01)
            if self._searcher is not None:
                self._searcher.close()
            self._ix, self._name, self.outdated = opened, name, not same_schema(opened.schema)
            self._searcher, self._arrays, self._generation = None, None, -1
            self.cache.clear()  # decoded postings belong to the old generation's segments
            # The self-check's differences (warm); None until it runs on this generation.
            self.fallback: list[str] | None = None
            self.cache.use_blocks(True)

    def _writer(self, ix=None, bulk: bool = False):
        # whoosh's writer takes its own file lock too; ours is already held, so it never waits.
        try:
            if bulk:
                return RebuildWriter(ix, timeout=self.lock_timeout)
            return (ix or self._ix).writer(timeout=self.lock_timeout)
        except index.LockError as err:
            raise IndexBusy(self.path, self.lock_timeout) from err

    def apply(self, upserts: Iterable[SearchDoc], deletes: Mapping[str, int] | Iterable[str],
              force: bool = False) -> dict[str, int]:
        """Add or replace ``upserts`` and remove ``deletes`` ({doc id: version}) in one commit (deletes win).

        A document is written only when the index holds no newer or equal version of it, and removed
        only when the index holds no newer one; ``force`` writes and removes regardless (repairs).
        Version 0 means unversioned: always written. Deletes given as bare ids remove whatever is
        indexed. Returns, for every id given, the version the index covers afterwards: the caller may
        forget changes up to that version.
        """
        with self.writing():
            if self.outdated:
                raise IndexOutdated(self.path)
            gone = dict(deletes) if isinstance(deletes, Mapping) else dict.fromkeys(deletes, ANY_VERSION)
            # The last version of a document wins; a document also deleted is not written at all.
            latest = {doc.doc_id: doc for doc in upserts if doc.doc_id not in gone}
            if not latest and not gone:
                return {}
            writer = self._writer()
            try:
                covered, changed = write_changes(writer, latest, gone, force)
            except BaseException:
                writer.cancel()
                raise
            if changed:
                commit(writer)
                self._generation = -1  # reopen at the next search, even if a rebuild reused this number
            else:
                writer.cancel()
            return covered

    def rebuild(self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None,
                after_swap: Callable[[], None] | None = None, total: int | None = None) -> int:
        """Write ``docs`` (about ``total`` of them, if known) into a new generation, then swap it in; returns the
        number of documents.

        Readers and writers go on with the current generation meanwhile. ``after_swap`` runs under the write
        lock right after the swap: the caller brings the new generation up to date with what changed since.
        """
        name = self.directory.new_generation()
        try:
            with self.directory.building(name):  # until swapped: another rebuild's prune must not take it
                fresh = index.create_in(self.directory.path(name), SCHEMA)
                if total is not None and total >= self.parallel_from and _processors() > 1:
                    count = write_two_parts(fresh, self.directory.path(name), docs, total, progress, self.lock_timeout)
                else:
                    # One segment, its postings gathered per term rather than sorted (search_index.bulk).
                    writer = self._writer(fresh, bulk=True)
                    try:
                        count = write_all(writer, docs, progress)
                    except BaseException:
                        writer.cancel()
                        raise
                    commit(writer)
                with self._locked():
                    previous = self.directory.switch(name)
                    self._follow()
                    if after_swap is not None:
                        after_swap()
                    # The previous generation stays for searches that opened it before the swap.
                    self.directory.prune(keep={name, previous} - {None})
        except BaseException:
            if self.directory.current() != name:
                self.directory.discard(name)
            raise
        if progress:
            progress(count)
        return count

    def versions(self) -> dict[str, int]:
        """doc_id -> version of every document, for the app's drift repair."""
        return {doc_id: int(version) for doc_id, version in self._column("version").items()}

    def stamps(self) -> dict[str, str]:
        """doc_id -> stamp of every document, for the app's consistency check."""
        return {doc_id: stamp.decode("utf-8") for doc_id, stamp in self._column("stamp").items()}

    def _column(self, name: str) -> dict:
        """doc_id -> the value of a column, for every live document."""
        with self._lock:
            reader = self._fresh().reader()
            docs = np.flatnonzero(self._documents()).tolist()
            if not docs:
                return {}  # an empty index has no columns to read
            ids, values = reader.column_reader("doc_id"), reader.column_reader(name)
            return {ids[n]: values[n] for n in docs}


    def doc_count(self) -> int:
        """Number of documents in the index."""
        with self._lock:
            self._fresh()
            return int(np.count_nonzero(self._documents()))

    def _documents(self) -> np.ndarray:
        """Mask of the live documents, vocabulary documents left out."""
        return self._arrays.live & ~self._arrays.any_of("kind", [VOCABULARY_KIND])

    def close(self) -> None:
        """Release the searcher; the object opens a new one if used again."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._arrays = None

    def warm(self) -> None:
        """Open the searcher and decode what every search reads: facet values, field lengths, dates.

        A worker process calls it before its first request, so that a user's first search only
        decodes the words searched (at 10k documents, about 10 ms saved; at 100k, about 80 ms).
        Opening a generation's searcher runs the self-check (``_fresh``).
        """
        with self._lock:
            self._fresh()
            for name in FILTER_FIELDS:
                self._arrays.values(name)
            for name in TEXT_FIELDS:
                self._arrays.lengths(name)
            self._arrays.numbers("day")

    def drop_caches(self) -> None:
        """Forget every decoded array, as after a restart (benchmarks time cold searches with it)."""
        with self._lock:
            self.cache.clear()
            if self._searcher is not None:
                self._arrays = DocArrays(self._searcher, self.cache)

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Reading

    def generation(self) -> tuple[str, int]:
        """A stamp of what the index holds, changed by every commit and swap (any process)."""
        with self._lock:
            self._follow()
            return self._name, self._ix.latest_generation()

    def _fresh(self):
        """The process's searcher, reopened only when a commit or a swap happened since (any process)."""
        self._follow()  # reads CURRENT: a rebuild may have swapped generations
        generation = self._ix.latest_generation()  # a directory listing: cheap
        if self._searcher is not None and generation == self._generation:
            return self._searcher
        # Not Searcher.refresh(): in whoosh-reloaded 2.7.5 it adds the old reader's segments to the new ones, so
        # deleted and replaced documents come back. Reopening costs ~10 ms on 10k documents, after commits only.
        searcher = reading(self._ix.searcher)
        try:
            arrays = DocArrays(searcher, self.cache)
        except BaseException:
            searcher.close()
            raise
        old, self._searcher, self._arrays, self._generation = self._searcher, searcher, arrays, generation
        if old is not None:
            old.close()
        if self.fallback is None:
            self._self_check()
        return self._searcher

    def _self_check(self) -> None:
        """Once per generation (about 30 ms at 10k documents): compare the fast path with whoosh on a few
        queries; if they differ, log it and let whoosh alone answer every search of this generation."""
        self.fallback = check(self._searcher)
        if self.fallback:
            log.error("search index %s: the fast search path differs from whoosh, whoosh answers every search "
                      "of this generation: %s", self.path, "; ".join(self.fallback))
            self.cache.use_blocks(False)  # filters and facets read through whoosh's public API too
            self._arrays = DocArrays(self._searcher, self.cache)

    def _scope(self, filters: dict[str, list[str]] | None, visibilities: Iterable[str]) -> np.ndarray:
        """Mask of the live documents the user may see that pass the filters (OR in a field, AND across)."""
        scope = self._arrays.live.copy()
        for name, accepted in [("visibility", _choices(visibilities)), *(filters or {}).items()]:
            accepted = _choices(accepted)
            if name not in FILTER_FIELDS or (not accepted and name != "visibility"):
                continue  # unknown fields and empty choices constrain nothing
            scope &= self._arrays.any_of(name, accepted)
        return scope

    def _facets(self, docs: np.ndarray | None) -> dict[str, list[tuple[str, int]]]:
        """Counts of each facet value over the ``docs`` mask, most frequent first."""
        if docs is None:
            return {name: [] for name in FACET_FIELDS}
        return {name: self._arrays.counts(name, docs) for name in FACET_FIELDS}

    def search(self, q: SearchQuery) -> SearchResults:
        """Run a search; any text is accepted and read as plain words if its syntax is odd."""
        page = min(max(1, _number(q.page, 1)), MAX_PAGE)
        per_page = min(max(1, _number(q.per_page, 20)), MAX_PER_PAGE)
        text = q.text if isinstance(q.text, str) else ""
        with self._lock:
            self._fresh()
            scope = self._scope(q.filters, q.visibilities)
            sort = q.sort if q.sort in SORTS else None
            try:
                parsed = parse(text)
                outcome = self._run(text, parsed, scope, sort, page, per_page)
            except Exception:
                log.exception("search failed on %r; retrying with plain words", text[:200])
                parsed = plain_words(text)
                outcome = self._run(text, parsed, scope, sort, page, per_page)
            return SearchResults(
                hits=outcome.hits, total=outcome.total, page=page, per_page=per_page,
                facets=self._facets(outcome.docs), suggestion=outcome.suggestion,
                approximate=outcome.approximate, unmatched_terms=outcome.unmatched, query_text=parsed.text(),
            )

    def matching_ids(self, q: SearchQuery) -> tuple[list[str], bool]:
        """Ids of every document a search matches (no page, no facets), and whether they are approximate."""
        text = q.text if isinstance(q.text, str) else ""
        with self._lock:
            searcher = self._fresh()
            scope = self._scope(q.filters, q.visibilities)
            try:
                parsed = parse(text)
                outcome = self._run(text, parsed, scope, None, 1, 1)
            except Exception:
                log.exception("search failed on %r; retrying with plain words", text[:200])
                parsed = plain_words(text)
                outcome = self._run(text, parsed, scope, None, 1, 1)
            ids = searcher.reader().column_reader("doc_id")
            found = np.flatnonzero(outcome.docs).tolist() if outcome.docs is not None else []
            return sorted(ids[n] for n in found), outcome.approximate

    def _run(self, text: str, parsed, scope, sort, page, per_page) -> Outcome:
        if sanitize(text) and not parsed.groups and not parsed.excluded:
            return Outcome()  # only stop words, operators or symbols: nothing to look for
        if self.fallback:  # the self-check found the fast path wrong on this generation
            return run_whoosh(self._searcher, parsed, scope, sort, page, per_page)
        return run(self._arrays, parsed, scope, sort, page, per_page)

    def more_like_this(self, doc_id: str, limit: int = 5, visibilities: Iterable[str] = ("public",),
                       kinds: Iterable[str] | None = None) -> list[Hit]:
        """Documents close to ``doc_id`` by their key words, itself excluded (``kinds``: None = all);
        computed once per index generation (``similar``)."""
        visibilities = set(_choices(visibilities))
        with self._lock:
            searcher = self._fresh()

            def compute() -> list[Hit]:
                docnum = searcher.document_number(doc_id=doc_id)
                if docnum is None or searcher.stored_fields(docnum).get("visibility") not in visibilities:
                    return []
                scope = self._scope({"kind": _choices(kinds)}, visibilities)
                scope[docnum] = False
                return similar_hits(searcher, docnum, scope, limit, None if self.fallback else self._arrays)

            key = (doc_id, limit, tuple(sorted(visibilities)), tuple(sorted(_choices(kinds))) if kinds else None)
            return self._similar.get((self._name, self._generation), key, compute)
