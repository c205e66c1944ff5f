"""Reading whoosh segments into numpy arrays, and the cache that keeps them.

A whoosh segment never changes once written (a deletion is recorded beside it), so what is decoded
from one stays true until a merge replaces the segment: the cache keys arrays by segment. A few
whoosh internals are read for speed (the W3 codec's posting blocks and fixed-size columns); every
read has a fallback through whoosh's public API (``blocks=False``, ``bulk=False``), and a test holds
the two equal. whoosh-reloaded is pinned for that reason; ``selfcheck`` also holds the search's
answers equal to whoosh's at start-up, and when they differ the cache reads through the public API
only (``SegmentCache.use_blocks``).
"""

from __future__ import annotations

import gc
import pickle
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

_LENGTHS = np.array([byte_to_length(n) for n in range(256)], dtype=np.float64)
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)

Arrays = tuple[np.ndarray, np.ndarray]


class SegmentCache:
    """Arrays decoded from immutable segments, the least recently used dropped past a budget of bytes."""

    # What an entry costs besides its arrays' data: numpy headers, the tuple, the key, the dict node.
    ENTRY_BYTES = 480

    def __init__(self, budget: int = 64_000_000) -> None:
        """``budget`` in bytes (a posting costs 16: its document number and weight)."""
        self.budget = budget
        # Whether arrays are read from whoosh's blocks and columns directly, or through its public API.
        self.blocks = True
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

    def use_blocks(self, blocks: bool) -> None:
        """Read whoosh's blocks and columns directly (True), or through its public API only (False,
        after a failed self-check); arrays read the other way are forgotten."""
        if blocks != self.blocks:
            self.clear()
            self.blocks = blocks


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


def decode(leaf: IndexReader, field: str, text: bytes, blocks: bool = True) -> Arrays:
    """Document numbers and weights of one term in one segment (deleted documents included).

    ``blocks=False`` reads through whoosh's public matcher API only (the tests compare both).
    """
    if (field, text) not in leaf:
        return EMPTY_IDS, EMPTY_WEIGHTS
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


def decode_positions(leaf: IndexReader, field: str, text: bytes, blocks: bool = True) -> np.ndarray:
    """Every occurrence of a term in one segment, as ``document << 32 | position`` keys (ascending)."""
    if (field, text) not in leaf:
        return EMPTY_IDS
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
        return EMPTY_IDS
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


def lengths(leaf: IndexReader, field: str, bulk: bool = True) -> np.ndarray:
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


def numbers(leaf: IndexReader, name: str, bulk: bool = True) -> np.ndarray:
    """A 32-bit numeric column of one segment (a sort key), one value per document."""
    count = leaf.doc_count_all()
    if not leaf.has_column(name):
        return np.zeros(count, dtype=np.int64)
    reader = leaf.column_reader(name, translate=False)
    found = _bulk(reader, count, ">i4") if bulk else None
    return found.astype(np.int64) if found is not None else np.array([reader[n] for n in range(count)], dtype=np.int64)


def segment_key(leaf: IndexReader) -> tuple[str, int] | None:
    """The key of the immutable segment a reader reads, None when it reads none.

    whoosh draws segment ids from the global ``random``: a process that seeds it (hypothesis does)
    could draw one again after a merge, so the document count is part of the key too.
    """
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return (segment.segment_id(), leaf.doc_count_all()) if segment is not None else None
