"""Postings as numpy arrays: match sets as boolean masks, BM25F ranking and facet counts, vectorised.

whoosh's matchers walk postings one Python call per document and posting (``id()``, ``next()``,
``score()``): ranking the 3,000 matches of two common words took 36 ms at 10k documents. Here a
term's postings are decoded a block at a time into two arrays (document numbers, weights), and
every union, intersection, score and facet count is one numpy operation over them.

Decoded arrays are kept per segment: a whoosh segment never changes once written (a deletion is
recorded beside it, and read here as the ``live`` mask), so a commit that adds a small segment
keeps the large segment's arrays. The cache is bounded by the number of postings it holds and
drops the least recently used. A few whoosh internals are read for speed (the W3 codec's posting
blocks and fixed-size columns); every one has a fallback through whoosh's public API, and a test
holds the two equal.
"""

from __future__ import annotations

import gc
import math
import pickle
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

# whoosh's BM25F defaults, so that scores are the ones whoosh would compute.
K1 = 1.2
B = 0.75
_LENGTHS = np.array([byte_to_length(n) for n in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)

Arrays = tuple[np.ndarray, np.ndarray]


class SegmentCache:
    """Arrays decoded from immutable segments, the least recently used dropped past a budget of bytes."""

    # What an entry costs besides its arrays' data: numpy headers, the tuple, the key, the dict node.
    ENTRY_BYTES = 480

    def __init__(self, budget: int = 64_000_000) -> None:
        """``budget`` in bytes (a posting costs 16: its document number and weight)."""
        self.budget = budget
        self._entries: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._size = 0

    @classmethod
    def cost(cls, arrays: tuple[np.ndarray, ...]) -> int:
        """Bytes an entry is charged."""
        return cls.ENTRY_BYTES + sum(a.nbytes for a in arrays)

    @property
    def size(self) -> int:
        """Bytes charged for the entries kept."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, load: Callable[[], tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
        """The arrays for ``key``, decoded by ``load`` when not kept."""
        if key[0] is None:
            return load()  # not a stored segment (an empty index): nothing to keep
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        found = load()
        self._entries[key] = found
        self._size += self.cost(found)
        while self._size > self.budget and len(self._entries) > 1:
            _, dropped = self._entries.popitem(last=False)
            self._size -= self.cost(dropped)
        return found

    def clear(self) -> None:
        """Forget every array (benchmarks use it to time cold searches)."""
        self._entries.clear()
        self._size = 0


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while decoding: unpickling a common word's blocks makes
    tens of thousands of short-lived lists (no cycles, freed by reference counting), enough to
    trigger full collections of the whole process that cost up to 100 ms (measured at 10k)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _leaf_matcher(leaf: IndexReader, field: str, text: bytes):
    matcher = leaf.postings(field, text)
    if isinstance(matcher, FilterMatcher):  # deletions: the live mask applies them
        while isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        matcher.reset()  # the filter already stepped past the deleted documents it starts with
    return matcher


def _blocks(matcher) -> bool:
    """Whether a matcher is the W3 codec's, whose blocks this module reads directly."""
    return isinstance(matcher, W3LeafMatcher) and all(
        hasattr(matcher, a) for a in ("_read_data", "_data", "_lastblock", "_goto", "_nextoffset"))


def _decode(leaf: IndexReader, field: str, text: bytes, blocks: bool = True) -> Arrays:
    """Document numbers and weights of one term in one segment (deleted documents included).

    ``blocks=False`` reads through whoosh's public matcher API only (the tests compare both).
    """
    if (field, text) not in leaf:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    matcher = _leaf_matcher(leaf, field, text)
    if blocks and _blocks(matcher):
        with _no_collection():
            return _decode_blocks(matcher)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _decode_blocks(matcher: W3LeafMatcher) -> Arrays:
    """The W3 codec's blocks of 128 postings, each a pickled (id deltas, weights, values) tuple."""
    ids, weights = [], []
    while True:
        matcher._read_data()
        deltas, block_weights = matcher._data[0], matcher._data[1]
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        count = len(deltas)
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float64))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


def _position_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, list[list[int]]]:
    """Document numbers and position deltas of every posting, read block by block."""
    ids, values = [], []
    while True:
        matcher._read_data()
        ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        values += matcher._data[2]
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    # The Positions format: a 4-byte count, then the pickled list of the position deltas.
    return np.concatenate(ids), [pickle.loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]


def _decode_positions(leaf: IndexReader, field: str, text: bytes, blocks: bool = True) -> np.ndarray:
    """Every occurrence of a term in one segment, as ``document << 32 | position`` keys (ascending)."""
    if (field, text) not in leaf:
        return _EMPTY_IDS
    matcher = _leaf_matcher(leaf, field, text)
    if blocks and _blocks(matcher):
        with _no_collection():
            ids, deltas = _position_blocks(matcher)
    else:
        ids, deltas = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            found = matcher.value_as("positions")
            deltas.append([b - a for a, b in zip([0, *found[:-1]], found, strict=True)])
            matcher.next()
        ids = np.array(ids, dtype=np.int64)
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    if not flat.size:
        return _EMPTY_IDS
    running = np.cumsum(flat)
    starts = (np.cumsum(counts) - counts)[counts > 0]
    before = np.repeat(running[starts] - flat[starts], counts[counts > 0])  # each posting starts from 0
    return (np.repeat(ids, counts) << 32) | (running - before)


def _bulk(reader, count: int, dtype: str) -> np.ndarray | None:
    """A fixed-size column's values read as one buffer (values past the stored ones are 0)."""
    if not all(hasattr(reader, a) for a in ("_dbfile", "_basepos", "_count", "_fixedlen")):
        return None
    values = np.zeros(count, dtype=dtype.lstrip(">"))
    stored = min(reader._count, count)
    values[:stored] = np.frombuffer(reader._dbfile.get(reader._basepos, stored * reader._fixedlen), dtype=dtype)
    return values


def _lengths(leaf: IndexReader, field: str, bulk: bool = True) -> np.ndarray:
    """Each document's length in a field, in one segment (whoosh's one-byte approximation)."""
    count = leaf.doc_count_all()
    perdoc = getattr(leaf, "_perdoc", None)
    if bulk and perdoc is not None and hasattr(perdoc, "has_column"):
        if not perdoc.has_column(_lenfield(field)):
            return np.zeros(count)
        found = _bulk(perdoc.column_reader(_lenfield(field), LENGTHS_COLUMN), count, "B")
        if found is not None:
            return _LENGTHS[found]
    return np.array([leaf.doc_field_length(n, field, 0) or 0 for n in range(count)], dtype=np.float64)


def _numbers(leaf: IndexReader, name: str, bulk: bool = True) -> np.ndarray:
    """A 32-bit numeric column of one segment (a sort key), one value per document."""
    count = leaf.doc_count_all()
    if not leaf.has_column(name):
        return np.zeros(count, dtype=np.int64)
    reader = leaf.column_reader(name, translate=False)
    found = _bulk(reader, count, ">i4") if bulk else None
    return found.astype(np.int64) if found is not None else np.array([reader[n] for n in range(count)], dtype=np.int64)


def _segment_id(leaf: IndexReader) -> tuple[str, int] | None:
    """The key of the immutable segment a reader reads, None when it reads none.

    whoosh draws segment ids from the global ``random``: a process that seeds it (hypothesis does)
    could draw one again after a merge, so the document count is part of the key too.
    """
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return (segment.segment_id(), leaf.doc_count_all()) if segment is not None else None


class DocArrays:
    """What the documents of one searcher hold, as arrays indexed by document number."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        """Read the segments' layout and deletions; postings are decoded on demand."""
        self.searcher = searcher
        self.reader = searcher.reader()
        self.cache = cache
        self.size = self.reader.doc_count_all()
        self.leaves = [(leaf, offset, _segment_id(leaf)) for leaf, offset in self.reader.leaf_readers()]
        self.live = np.zeros(self.size, dtype=bool)
        for leaf, offset, _ in self.leaves:
            self.live[offset : offset + leaf.doc_count_all()] = True
            if leaf.has_deletions():
                deleted = getattr(leaf, "deleted_docs_set", None)
                if deleted is None:
                    deleted = set(range(leaf.doc_count_all())) - set(leaf.all_doc_ids())
                self.live[np.fromiter(deleted, dtype=np.int64, count=len(deleted)) + offset] = False
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._values: dict[str, dict[str, np.ndarray]] = {}
        self._columns: dict[str, np.ndarray] = {}

    def empty(self) -> np.ndarray:
        """A mask holding no document."""
        return np.zeros(self.size, dtype=bool)

    def term(self, field: str, text: str) -> Arrays:
        """Document numbers (ascending) and weights of a term, over every segment.

        Not remembered here beyond the segment cache, whose budget bounds the memory they take.
        """
        btext = text.encode("utf-8")
        parts = []
        for leaf, offset, segment in self.leaves:
            if (field, btext) not in leaf:
                continue  # never kept: unknown words must not fill the cache with empty entries
            ids, weights = self.cache.get((segment, field, btext), lambda leaf=leaf: _decode(leaf, field, btext))
            if ids.size:
                parts.append((ids + offset if offset else ids, weights))
        if not parts:
            return _EMPTY_IDS, _EMPTY_WEIGHTS
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def positions(self, field: str, text: str) -> np.ndarray:
        """Occurrences of a term as ``document << 32 | position`` keys, over every segment."""
        btext = text.encode("utf-8")
        parts = []
        for leaf, offset, segment in self.leaves:
            if (field, btext) not in leaf:
                continue
            keys = self.cache.get((segment, field, btext, "positions"),
                                  lambda leaf=leaf: (_decode_positions(leaf, field, btext),))[0]
            if keys.size:
                parts.append(keys + (offset << 32) if offset else keys)
        return np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else _EMPTY_IDS

    def phrase(self, field: str, slots: list[list[str]]) -> np.ndarray:
        """Documents where the slots' words follow each other (any alternative of a slot will do)."""
        candidates = None
        for alternatives in slots:
            found = self.empty()
            for word in alternatives:
                found[self.term(field, word)[0]] = True
            candidates = found if candidates is None else candidates & found
        if candidates is None or not candidates.any():
            return self.empty()
        keys = None
        for shift, alternatives in enumerate(slots):
            found = np.concatenate([self.positions(field, word) for word in alternatives])
            if len(alternatives) > 1:
                found = np.unique(found)  # an inclusive form puts two stems at one position
            # Shifted back to the phrase's first position: a phrase is where every slot agrees.
            found = found[candidates[found >> 32]] - shift
            keys = found if keys is None else np.intersect1d(keys, found, assume_unique=True)
            if not keys.size:
                return self.empty()
        return self.mask(np.unique(keys >> 32))

    def mask(self, ids: np.ndarray) -> np.ndarray:
        """The mask of some document numbers."""
        out = self.empty()
        out[ids] = True
        return out

    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Each document's length in a field (whoosh's one-byte approximation), and the average."""
        if field not in self._lengths:
            parts = [self.cache.get((segment, "_length", field), lambda leaf=leaf: (_lengths(leaf, field),))[0]
                     for leaf, _, segment in self.leaves]
            lengths = np.concatenate(parts) if len(parts) != 1 else parts[0]
            average = (self.reader.field_length(field) / (self.size or 1)) or 1.0
            self._lengths[field] = (lengths, average)
        return self._lengths[field]

    def numbers(self, name: str) -> np.ndarray:
        """A 32-bit numeric column of the schema (a sort key), one value per document."""
        if name not in self._columns:
            parts = [self.cache.get((segment, "_column", name), lambda leaf=leaf: (_numbers(leaf, name),))[0]
                     for leaf, _, segment in self.leaves]
            self._columns[name] = np.concatenate(parts) if len(parts) != 1 else parts[0]
        return self._columns[name]

    def values(self, field: str) -> dict[str, np.ndarray]:
        """Value -> document numbers of an exact (facet) field."""
        if field not in self._values:
            self._values[field] = {btext.decode("utf-8"): self.term(field, btext.decode("utf-8"))[0]
                                   for btext in self.reader.lexicon(field)}
        return self._values[field]

    def any_of(self, field: str, accepted: Iterable[str]) -> np.ndarray:
        """Documents holding any of the accepted values of a field."""
        out = self.empty()
        values = self.values(field)
        for value in accepted:
            if value in values:
                out[values[value]] = True
        return out

    def counts(self, field: str, docs: np.ndarray) -> list[tuple[str, int]]:
        """(value, count) of a field over a mask, most frequent first, zeros left out."""
        values = self.values(field)
        if not values:
            return []
        names = [n for n, ids in values.items() if ids.size]
        if not names:
            return []
        lists = [values[n] for n in names]
        starts = np.cumsum([0] + [len(ids) for ids in lists[:-1]])
        counts = np.add.reduceat(docs[np.concatenate(lists)], starts, dtype=np.int64)
        return sorted(((n, int(c)) for n, c in zip(names, counts, strict=True) if c), key=lambda nc: (-nc[1], nc[0]))

    # Queries

    def match(self, query: wq.Query) -> np.ndarray:
        """The mask of the documents a query matches (deleted ones included: AND it with a scope)."""
        if isinstance(query, wq.Term):
            return self.mask(self.term(query.fieldname, query.text)[0])
        if isinstance(query, wq.Or):
            out = self.empty()
            for sub in query.subqueries:
                out |= self.match(sub)
            return out
        if isinstance(query, wq.And) and query.subqueries:
            subs = iter(query.subqueries)
            out = self.match(next(subs))
            for sub in subs:
                if not out.any():
                    break
                out &= self.match(sub)
            return out
        phrase = _phrase_slots(query)
        if phrase is not None:
            return self.phrase(phrase[1], phrase[0])
        return self.mask(np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64))

    def term_scores(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25F score of a term in every document (0 where absent), as whoosh computes it, and its mask."""
        scores, found = np.zeros(self.size), self.empty()
        ids, weights = self.term(field, text)
        if ids.size:
            idf = math.log(self.size / (ids.size + 1)) + 1
            lengths, average = self.lengths(field)
            norm = K1 * ((1 - B) + B * lengths[ids] / average)
            scores[ids] = idf * (weights * (K1 + 1)) / (weights + norm)
            found[ids] = True
        return scores, found

    def scores(self, query: wq.Query) -> np.ndarray:
        """Score of every document for a query, summed as whoosh's matchers sum them.

        A term scores where it occurs; OR adds its matching parts; AND adds its parts where all of
        them match, else 0. Phrases and sequences score as the AND of their words in their field:
        the documents ranked are already known to hold them.
        """
        memo: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

        def walk(node: wq.Query) -> tuple[np.ndarray, np.ndarray]:
            if isinstance(node, wq.Term):
                key = (node.fieldname, node.text)
                if key not in memo:
                    memo[key] = self.term_scores(*key)
                return memo[key]
            if isinstance(node, wq.Phrase):
                node = wq.And([wq.Term(node.fieldname, word) for word in node.words])
            parts = [walk(sub) for sub in node.subqueries] if isinstance(node, wq.Or | wq.And | wq.Sequence) else []
            if not parts:
                return np.zeros(self.size), self.empty()
            total = np.sum([scores for scores, _ in parts], axis=0)
            if isinstance(node, wq.Or):
                return total, np.logical_or.reduce([found for _, found in parts])
            found = np.logical_and.reduce([found for _, found in parts])
            return np.where(found, total, 0.0), found

        return walk(query)[0]


def _phrase_slots(query: wq.Query) -> tuple[list[list[str]], str] | None:
    """(slots, field) of a phrase or of a sequence of alternatives in one field, else None."""
    if isinstance(query, wq.Phrase) and query.slop == 1:
        return [[word] for word in query.words], query.fieldname
    if not isinstance(query, wq.Sequence) or query.slop != 1 or query.ordered is False:
        return None
    slots, fields = [], set()
    for sub in query.subqueries:
        terms = [sub] if isinstance(sub, wq.Term) else list(sub.subqueries) if isinstance(sub, wq.Or) else [None]
        if not all(isinstance(t, wq.Term) for t in terms):
            return None
        fields |= {t.fieldname for t in terms}
        slots.append([t.text for t in terms])
    return (slots, fields.pop()) if len(fields) == 1 else None


def top(docs: np.ndarray, keys: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` documents of a mask with the highest keys, ties by document number."""
    candidates = np.flatnonzero(docs)
    values = keys[candidates]
    if candidates.size > count:
        kth = np.partition(values, candidates.size - count)[candidates.size - count]
        keep = values >= kth
        candidates, values = candidates[keep], values[keep]
    return candidates[np.lexsort((candidates, -values))][:count]
