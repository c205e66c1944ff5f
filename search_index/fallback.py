"""The search answered by whoosh alone: its matchers, its BM25F scorer, its column readers.

``DocArrays`` reads whoosh's private segment format to compute with numpy; ``WhooshPostings``
answers the same questions (which documents a query matches, their scores, a sort column) through
whoosh's public API only. ``search.run_whoosh`` runs a search with it: the path the engine takes
when the start-up self-check (``selfcheck``) finds the two disagree, and the reference the
self-check and the tests compare the fast path with. It is about twenty times slower: at 10k
write-ups, 40-270 ms of CPU a search where the fast path takes 7-16 ms (measured on 2 busy cores).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search_index import segments


def bag_of_words(query: wq.Query) -> wq.Query:
    """The query whose whoosh scores rank a search: phrases and sequences scored as the AND of their
    words (``DocArrays.scores`` does the same), the documents ranked being known to match."""
    if isinstance(query, wq.Phrase):
        return wq.And([wq.Term(query.fieldname, word) for word in query.words])
    if isinstance(query, wq.Sequence):
        return wq.And([bag_of_words(sub) for sub in query.subqueries])
    return query.apply(bag_of_words)


class WhooshPostings:
    """What ``search.run`` asks of ``DocArrays`` (matches, scores, a sort column), asked of whoosh."""

    def __init__(self, searcher: Searcher) -> None:
        """Answer for one searcher; nothing is read before it is asked."""
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._columns: dict[str, np.ndarray] = {}

    def mask(self, ids) -> np.ndarray:
        """The mask of some document numbers."""
        out = np.zeros(self.size, dtype=bool)
        out[np.fromiter(ids, dtype=np.int64)] = True
        return out

    def match(self, query: wq.Query) -> np.ndarray:
        """The mask of the documents whoosh's matchers find for a query (deleted ones never)."""
        return self.mask(self.searcher.docs_for_query(query))

    def scores(self, query: wq.Query) -> np.ndarray:
        """whoosh's BM25F score of every document for a query ranked as its words (0 where unmatched)."""
        out = np.zeros(self.size)
        for docnum, score in self.searcher.search(bag_of_words(query), limit=None).items():
            out[docnum] = score
        return out

    def numbers(self, name: str) -> np.ndarray:
        """A numeric column (a sort key), one value per document, through whoosh's column readers."""
        if name not in self._columns:
            parts = [segments.numbers(leaf, name, bulk=False) for leaf, _ in self.reader.leaf_readers()]
            self._columns[name] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self._columns[name]
