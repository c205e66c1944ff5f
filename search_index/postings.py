"""Postings as numpy arrays: match sets as boolean masks, BM25F ranking and facet counts, vectorised.

whoosh's matchers walk postings one Python call per document and posting (``id()``, ``next()``,
``score()``): ranking the 3,000 matches of two common words took 36 ms at 10k documents. Here a
term's postings are decoded a block at a time into two arrays (document numbers, weights), and
every union, intersection, score and facet count is one numpy operation over them.

Decoded arrays are kept per segment (``segments``): a whoosh segment never changes once written
(a deletion is recorded beside it, and read here as the ``live`` mask), so a commit that adds a
small segment keeps the large segment's arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search_index import segments
from search_index.segments import EMPTY_IDS, EMPTY_WEIGHTS, Arrays, SegmentCache

# whoosh's BM25F defaults, so that scores are the ones whoosh would compute.
K1 = 1.2
B = 0.75


class DocArrays:
    """What the documents of one searcher hold, as arrays indexed by document number."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        """Read the segments' layout and deletions; postings are decoded on demand."""
        self.searcher = searcher
        self.reader = searcher.reader()
        self.cache = cache
        self.blocks = cache.blocks  # False: whoosh's public API only (the fallback after a failed self-check)
        self.size = self.reader.doc_count_all()
        self.leaves = [(leaf, offset, segments.segment_key(leaf)) for leaf, offset in self.reader.leaf_readers()]
        self.live = np.zeros(self.size, dtype=bool)
        for leaf, offset, _ in self.leaves:
            self.live[offset : offset + leaf.doc_count_all()] = True
            if leaf.has_deletions():
                deleted = getattr(leaf, "deleted_docs_set", None) if self.blocks else None
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
            ids, weights = self.cache.get((segment, field, btext),
                                          lambda leaf=leaf: segments.decode(leaf, field, btext, self.blocks))
            if ids.size:
                parts.append((ids + offset if offset else ids, weights))
        if not parts:
            return EMPTY_IDS, EMPTY_WEIGHTS
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
                                  lambda leaf=leaf: (segments.decode_positions(leaf, field, btext, self.blocks),))[0]
            if keys.size:
                parts.append(keys + (offset << 32) if offset else keys)
        return np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else EMPTY_IDS

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
            parts = [self.cache.get((segment, "_length", field),
                                    lambda leaf=leaf: (segments.lengths(leaf, field, self.blocks),))[0]
                     for leaf, _, segment in self.leaves]
            lengths = np.concatenate(parts) if len(parts) != 1 else parts[0]
            average = (self.reader.field_length(field) / (self.size or 1)) or 1.0
            self._lengths[field] = (lengths, average)
        return self._lengths[field]

    def numbers(self, name: str) -> np.ndarray:
        """A 32-bit numeric column of the schema (a sort key), one value per document."""
        if name not in self._columns:
            parts = [self.cache.get((segment, "_column", name),
                                    lambda leaf=leaf: (segments.numbers(leaf, name, self.blocks),))[0]
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
