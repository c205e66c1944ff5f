"""One search on an open searcher: strict match, approximate fallback, a page of hits, a suggestion.

All the words must match. When no document holds them all, the documents holding the most of them
are returned (``approximate``), provided they hold at least half: below that, the "closest"
documents are noise rather than an answer, and an empty result with a suggestion says more.

``run`` computes with the numpy arrays of ``postings``; ``run_whoosh`` runs the same search with
whoosh's own matchers and scorer (``fallback``), for when the self-check finds the two differ.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from search_index.analysis import fold, stem
from search_index.fallback import WhooshPostings
from search_index.postings import DocArrays, top
from search_index.query import Clause, ParsedQuery, compile_clause, group_query, parse
from search_index.results import Hit, to_hit

SORTS = ("date", "title")

# What a search computes with: the fast numpy arrays, or whoosh itself (same questions, same answers).
Postings = DocArrays | WhooshPostings


@dataclass
class Outcome:
    """What a search found, before facets are counted: ``docs`` is a mask over document numbers."""

    docs: np.ndarray | None = None
    hits: list[Hit] = field(default_factory=list)
    approximate: bool = False
    unmatched: list[str] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def total(self) -> int:
        """Number of matching documents."""
        return int(np.count_nonzero(self.docs)) if self.docs is not None else 0


def _compile(parsed: ParsedQuery, reader: IndexReader) -> tuple[list[wq.Query], wq.Query | None, set[str]]:
    """AND operands, the exclusion query and the stems to highlight, for a parsed query."""
    compiled, terms = {}, set()
    for clause in parsed.clauses():
        compiled[clause], stems = compile_clause(clause, reader)
        terms |= stems
    excluded = [compile_clause(c, reader)[0] for c in parsed.excluded]
    groups = [group_query(g, compiled) for g in parsed.groups]
    return groups, (wq.Or(excluded) if excluded else None), terms


def _hits(arrays: Postings, ranked, scores: np.ndarray | None, terms: set[str]) -> list[Hit]:
    return [to_hit(arrays.searcher.stored_fields(int(d)), float(scores[d]) if scores is not None else 0.0, terms)
            for d in ranked]


def _sorted(arrays: Postings, docs: np.ndarray, sort: str, page: int, per_page: int, terms: set[str]) -> list[Hit]:
    """A page of documents newest first (undated last), or by title; ties by title, then id.

    Dates come from a numeric column read as one array; titles are read for the page's dates only
    (whoosh's sorting collector cost about five times more: 580 ms to browse 100k documents).
    """
    wanted = page * per_page
    titles = arrays.reader.column_reader("sort_title", translate=False)
    doc_ids = arrays.reader.column_reader("doc_id")  # ties: an edit moves a document, its id stays
    candidates = np.flatnonzero(docs)
    if sort == "title":
        ranked = heapq.nsmallest(wanted, candidates.tolist(), key=lambda d: (titles[d], doc_ids[d]))
    else:
        days = arrays.numbers("day")[candidates]
        if candidates.size > wanted:
            keep = days >= np.partition(days, candidates.size - wanted)[candidates.size - wanted]
            candidates, days = candidates[keep], days[keep]
        by_day = dict(zip(candidates.tolist(), days.tolist(), strict=True))
        ranked = sorted(by_day, key=lambda d: (-by_day[d], titles[d], doc_ids[d]))
    return _hits(arrays, ranked[(page - 1) * per_page : wanted], None, terms)


def run(arrays: Postings, parsed: ParsedQuery, scope: np.ndarray, sort: str | None, page: int,
        per_page: int) -> Outcome:
    """Search ``parsed`` among the documents of ``scope``; ``sort`` None means by relevance."""
    if not scope.any():
        return Outcome()
    if not parsed.groups and not parsed.excluded:
        return Outcome(docs=scope, hits=_sorted(arrays, scope, sort or "date", page, per_page, set()))
    groups, excluded, terms = _compile(parsed, arrays.reader)
    if excluded is not None:
        scope = scope & ~arrays.match(excluded)
        if not scope.any():
            return Outcome()
    if not groups:  # "-jeunes" alone: all but those
        return Outcome(docs=scope, hits=_sorted(arrays, scope, sort or "date", page, per_page, set()))
    per_group = [scope & arrays.match(g) for g in groups]
    docs = np.logical_and.reduce(per_group)
    if docs.any():
        if sort:
            return Outcome(docs=docs, hits=_sorted(arrays, docs, sort, page, per_page, terms))
        scores = arrays.scores(wq.And(groups))
        ranked = top(docs, scores, page * per_page)[(page - 1) * per_page :]
        return Outcome(docs=docs, hits=_hits(arrays, ranked, scores, terms))
    outcome = Outcome()
    sizes = [int(np.count_nonzero(found)) for found in per_group]
    missing = [g for g, size in zip(parsed.groups, sizes, strict=True) if not size]
    outcome.unmatched = [" OU ".join(c.display() for c in g) for g in missing]
    matched = np.sum(per_group, axis=0)
    best = int(matched.max())
    if len(groups) > 1 and best >= math.ceil(len(groups) / 2):
        outcome.docs = matched == best
        outcome.approximate = True
        if sort:
            outcome.hits = _sorted(arrays, outcome.docs, sort, page, per_page, terms)
        else:
            outcome.hits = _closest_page(arrays, per_group, sizes, outcome.docs, page, per_page, terms)
    outcome.suggestion = suggest(arrays, parsed, scope, unknown={c for g in missing for c in g})
    return outcome


def run_whoosh(searcher: Searcher, parsed: ParsedQuery, scope: np.ndarray, sort: str | None, page: int,
               per_page: int) -> Outcome:
    """``run`` with whoosh's own matchers, BM25F scorer and column readers: the same ``Outcome``, slower."""
    return run(WhooshPostings(searcher), parsed, scope, sort, page, per_page)


def _closest_page(arrays: Postings, per_group: list[np.ndarray], sizes: list[int], docs: np.ndarray, page: int,
                  per_page: int, terms: set[str]) -> list[Hit]:
    """A page of approximate hits: the rarer the words a document holds, the higher it ranks.

    Every document here holds the same number of words, so an idf sum is enough to order them.
    """
    total = sum(sizes) or 1
    scores = np.zeros(arrays.size)
    for found, size in zip(per_group, sizes, strict=True):
        if size:
            scores[found] += math.log(1 + total / size)
    ranked = top(docs, scores, page * per_page)[(page - 1) * per_page :]
    return _hits(arrays, ranked, scores, terms)


def corrections(reader: IndexReader, word: str) -> list[str]:
    """Indexed words one, else two, edits away from a folded word, the most frequent first."""
    for maxdist in (1, 2):
        found: set[str] = set()
        for leaf, _ in reader.leaf_readers():
            found.update(leaf.terms_within("words", word, maxdist, prefix=1))
        found = {w for w in found if stem(w) != stem(word)}
        if found:
            def frequency(w: str) -> int:
                return reader.doc_frequency("body", stem(w)) + reader.doc_frequency("title", stem(w))

            return sorted(found, key=lambda w: (-frequency(w), w))[:3]
    return []


def _count(arrays: Postings, parsed: ParsedQuery, scope: np.ndarray) -> int:
    """How many documents of ``scope`` match every clause of ``parsed``."""
    groups, excluded, _ = _compile(parsed, arrays.reader)
    if not groups:
        return 0
    docs = scope & arrays.match(groups[0] if len(groups) == 1 else wq.And(groups))
    if excluded is not None:
        docs &= ~arrays.match(excluded)
    return int(np.count_nonzero(docs))


def suggest(arrays: Postings, parsed: ParsedQuery, scope: np.ndarray, unknown: set[Clause]) -> str | None:
    """The query with its ``unknown`` words corrected, if that query finds documents in ``scope``."""
    reader = arrays.reader
    replace = {}
    for clause in parsed.clauses():
        word = fold(clause.text)
        if clause not in unknown or clause.kind != "word" or len(word) < 4 or not word.isalpha():
            continue
        for candidate in corrections(reader, word):
            if _count(arrays, parse(candidate), scope):
                replace[clause] = candidate
                break
    if not replace:
        return None
    corrected = parsed.text(replace)
    return corrected if _count(arrays, parse(corrected), scope) else None
