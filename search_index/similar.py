"""More-like-this: the documents closest to one document by its key words, kept per index generation.

Why a cache: whoosh extracts the key terms by analysing the document's text and looking up each of
its words in the term table (5-15 ms), then the documents holding them are scored. The answer only
changes when a commit or a swap changes the index, so each process computes it once per generation.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from search_index.postings import DocArrays, top
from search_index.results import Hit, to_hit

KEY_TERMS = 12


class SimilarCache:
    """Lists of similar documents of one index generation, least recently used dropped past ``size``."""

    def __init__(self, size: int = 4096) -> None:
        """An empty cache of at most ``size`` lists (a few hundred bytes each)."""
        self.size = size
        self._generation: tuple = ()
        self._lists: OrderedDict[tuple, tuple[Hit, ...]] = OrderedDict()

    def get(self, generation: tuple, key: tuple, compute: Callable[[], list[Hit]]) -> list[Hit]:
        """The list for ``key`` in ``generation``, computed the first time it is asked."""
        if generation != self._generation:
            self._lists.clear()
            self._generation = generation
        if key in self._lists:
            self._lists.move_to_end(key)
            return list(self._lists[key])
        found = compute()
        self._lists[key] = tuple(found)
        if len(self._lists) > self.size:
            self._lists.popitem(last=False)
        return found


def similar_hits(searcher, docnum: int, scope: np.ndarray, limit: int, arrays: DocArrays | None = None) -> list[Hit]:
    """The ``limit`` documents of ``scope`` closest to document ``docnum`` (its title and body).

    Whoosh picks the key terms (``key_terms_from_text``, as ``more_like`` does); with ``arrays`` they are
    scored over every document at once (BM25F times each term's weight, summed, ties by document number:
    whoosh's own order), about 20 times faster at 10k documents than whoosh's matchers, which answer
    when the fast path is off (``arrays`` None: the self-check found it wrong).
    """
    stored = searcher.stored_fields(docnum)
    text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
    if not text.strip() or not scope.any():
        return []
    if arrays is None:
        results = searcher.more_like(docnum, "body", text=text, top=limit, numterms=KEY_TERMS,
                                     filter=set(np.flatnonzero(scope).tolist()))
        return [to_hit(hit.fields(), hit.score, set()) for hit in results]
    key_terms = searcher.key_terms_from_text("body", text, numterms=KEY_TERMS, normalize=False)
    scores, found = np.zeros(arrays.size), arrays.empty()
    for word, weight in key_terms:
        term_scores, holds = arrays.term_scores("body", word)
        scores += weight * term_scores
        found |= holds
    ranked = top(found & scope, scores, limit)
    return [to_hit(searcher.stored_fields(int(d)), float(scores[d]), set()) for d in ranked]
