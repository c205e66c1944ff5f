"""One search on an open searcher: strict match, approximate fallback, a page of hits, a suggestion.

All the words must match. When no document holds them all, the documents holding the most of them
are returned (``approximate``), provided they hold at least half: below that, the "closest"
documents are noise rather than an answer, and an empty result with a suggestion says more.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet

from search_index.analysis import fold, stem
from search_index.query import Clause, ParsedQuery, compile_clause, group_query, parse
from search_index.results import Hit, to_hit

SORTS = {
    "date": [FieldFacet("day", reverse=True), FieldFacet("sort_title")],
    "title": [FieldFacet("sort_title"), FieldFacet("doc_id")],
}


@dataclass
class Outcome:
    """What a search found, before facets are counted."""

    docs: set[int] = field(default_factory=set)
    hits: list[Hit] = field(default_factory=list)
    approximate: bool = False
    unmatched: list[str] = field(default_factory=list)
    suggestion: str | None = None


def _compile(parsed: ParsedQuery, reader: IndexReader) -> tuple[list[wq.Query], wq.Query | None, set[str]]:
    """AND operands, the exclusion query and the stems to highlight, for a parsed query."""
    compiled, terms = {}, set()
    for clause in parsed.clauses():
        compiled[clause], stems = compile_clause(clause, reader)
        terms |= stems
    excluded = [compile_clause(c, reader)[0] for c in parsed.excluded]
    groups = [group_query(g, compiled) for g in parsed.groups]
    return groups, (wq.Or(excluded) if excluded else None), terms


def match_set(searcher: Searcher, query: wq.Query) -> set[int]:
    """Documents matching a query, without scoring.

    Terms read their postings directly and OR/AND become set operations: whoosh's union
    matcher steps through ids one Python call at a time, which cost more than the ranking
    itself for a common word. Phrases and other queries keep whoosh's own matcher.
    """
    if isinstance(query, wq.Term):
        reader = searcher.reader()
        if (query.fieldname, query.text) not in reader:
            return set()
        return set(reader.postings(query.fieldname, query.text).all_ids())
    if isinstance(query, wq.Or):
        found: set[int] = set()
        for sub in query.subqueries:
            found |= match_set(searcher, sub)
        return found
    if isinstance(query, wq.And) and query.subqueries:
        subs = iter(query.subqueries)
        found = match_set(searcher, next(subs))
        for sub in subs:
            if not found:
                break
            found &= match_set(searcher, sub)
        return found
    return set(searcher.docs_for_query(query))


def bag_of_words(query: wq.Query) -> wq.Query:
    """The query with its phrases as plain ANDs of their words, for ranking documents already known to
    hold the phrases: whoosh would otherwise check every phrase's positions a second time."""
    if isinstance(query, wq.Phrase):
        return wq.And([wq.Term(query.fieldname, word) for word in query.words], boost=query.boost)
    return query.apply(bag_of_words)


def _page(results, page: int, per_page: int, scored: bool, terms: set[str]) -> list[Hit]:
    start = (page - 1) * per_page
    return [to_hit(hit.fields(), hit.score if scored else 0.0, terms)
            for hit in results[start : start + per_page]]


def _browse(searcher: Searcher, scope: set[int], sort: str | None, page: int, per_page: int) -> Outcome:
    """Every document of the scope, newest (or by title) first.

    Read from the sort columns directly: browsing is the search page's landing view, and whoosh's
    sorting collector costs about five times more (580 ms on 100k documents).
    """
    reader, wanted = searcher.reader(), page * per_page
    titles = reader.column_reader("sort_title", translate=False)
    if sort == "title":
        ranked = heapq.nsmallest(wanted, scope, key=lambda d: (titles[d], d))
    else:
        day = reader.column_reader("day", translate=False)
        days = {d: day[d] for d in scope}
        cutoff = min(heapq.nlargest(wanted, days.values()))  # titles are read for this page's days only
        ranked = sorted((d for d, n in days.items() if n >= cutoff), key=lambda d: (-days[d], titles[d], d))
    hits = [to_hit(searcher.stored_fields(d), 0.0, set()) for d in ranked[(page - 1) * per_page : wanted]]
    return Outcome(docs=set(scope), hits=hits)


def run(searcher: Searcher, parsed: ParsedQuery, scope: set[int], sort: str | None, page: int,
        per_page: int) -> Outcome:
    """Search ``parsed`` among the documents of ``scope``; ``sort`` None means by relevance."""
    sortedby = SORTS.get(sort) if sort else None
    if not scope:
        return Outcome()  # whoosh reads an empty filter as "no filter": never pass one
    if not parsed.groups and not parsed.excluded:
        return _browse(searcher, scope, sort, page, per_page)
    reader = searcher.reader()
    groups, excluded, terms = _compile(parsed, reader)
    if excluded is not None:
        scope = scope - set(searcher.docs_for_query(excluded))
        if not scope:
            return Outcome()
    if not groups:
        return _browse(searcher, scope, sort, page, per_page)  # "-jeunes" alone: all but those
    # The whole matching set (for the total and the facets) comes from an unscored pass; only the
    # requested page is ranked: scoring every match cost 3/4 of a common word's search at 10k.
    strict = groups[0] if len(groups) == 1 else wq.And(groups)
    docs = scope & match_set(searcher, strict)
    if docs:
        results = searcher.search(bag_of_words(strict), filter=docs, limit=page * per_page, sortedby=sortedby)
        return Outcome(docs=docs, hits=_page(results, page, per_page, not sortedby, terms))
    outcome = Outcome()
    per_group = [scope & set(searcher.docs_for_query(g)) for g in groups]
    missing = [g for g, found in zip(parsed.groups, per_group, strict=True) if not found]
    outcome.unmatched = [" OU ".join(c.display() for c in g) for g in missing]
    matched = Counter(d for found in per_group for d in found)
    best = max(matched.values(), default=0)
    if len(groups) > 1 and best >= math.ceil(len(groups) / 2):
        outcome.docs = {d for d, n in matched.items() if n == best}
        outcome.approximate = True
        outcome.hits = _closest_page(searcher, per_group, outcome.docs, sortedby, page, per_page, terms)
    outcome.suggestion = suggest(searcher, parsed, scope, unknown={c for g in missing for c in g})
    return outcome


def _closest_page(searcher: Searcher, per_group: list[set[int]], docs: set[int], sortedby, page: int, per_page: int,
                  terms: set[str]) -> list[Hit]:
    """A page of approximate hits: the rarer the words a document holds, the higher it ranks.

    Every document here holds the same number of words, so an idf sum is enough to order them;
    whoosh's scoring of the OR of all the words cost four times more on 10k documents.
    """
    if sortedby:
        return _page(searcher.search(wq.Every(), filter=docs, limit=page * per_page, sortedby=sortedby),
                     page, per_page, False, terms)
    total = sum(len(found) for found in per_group) or 1
    weights = [math.log(1 + total / len(found)) if found else 0.0 for found in per_group]
    score = {d: sum(w for w, found in zip(weights, per_group, strict=True) if d in found) for d in docs}
    ranked = sorted(docs, key=lambda d: (-score[d], d))[(page - 1) * per_page : page * per_page]
    return [to_hit(searcher.stored_fields(d), score[d], terms) for d in ranked]


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


def _count(searcher: Searcher, parsed: ParsedQuery, scope: set[int]) -> int:
    """How many documents of ``scope`` match every clause of ``parsed``."""
    groups, excluded, _ = _compile(parsed, searcher.reader())
    if not groups:
        return 0
    docs = scope & set(searcher.docs_for_query(groups[0] if len(groups) == 1 else wq.And(groups)))
    return len(docs - set(searcher.docs_for_query(excluded))) if excluded is not None else len(docs)


def suggest(searcher: Searcher, parsed: ParsedQuery, scope: set[int], unknown: set[Clause]) -> str | None:
    """The query with its ``unknown`` words corrected, if that query finds documents in ``scope``."""
    reader = searcher.reader()
    replace = {}
    for clause in parsed.clauses():
        word = fold(clause.text)
        if clause not in unknown or clause.kind != "word" or len(word) < 4 or not word.isalpha():
            continue
        for candidate in corrections(reader, word):
            if _count(searcher, parse(candidate), scope):
                replace[clause] = candidate
                break
    if not replace:
        return None
    corrected = parsed.text(replace)
    return corrected if _count(searcher, parse(corrected), scope) else None
