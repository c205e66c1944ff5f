"""Start-up self-check: the fast search path against whoosh's own answers, on queries the index answers.

The fast path (``postings``, ``segments``) reads whoosh's private segment format. ``check`` draws a
few queries from a stored document (a frequent word, a rare word, two words, a phrase, a prefix),
runs them through the fast path and through whoosh's own matchers and scorer, counts a facet both
ways, and returns the differences: an empty list when there are none. ``SearchIndex.warm`` runs it
and, on a difference, logs it and lets whoosh answer every search of that generation.

Whoosh walks postings one Python call at a time, so the comparison is bounded to stay cheap: about
30 ms of CPU at 10k documents of ``bench/search_bench.py``'s write-ups, 100 ms on the synthetic
corpus of ``bench/search_engine_bench.py``, where every word is in a fifth of the documents or more
(measured on 2 busy cores). It compares:
- each posting list the queries read, whole and cheaply, with whoosh's statistics of it (number of
  documents, first and last document, total and highest weight, for phrases the number of
  positions): a block misread anywhere shows there;
- matches, BM25F scores, a sort column and facet counts in three windows of document numbers
  (start, middle and end of the index, at most ``MATCHES`` matches each), whoosh's matchers
  skipping from one to the next; a small index, or a query whoosh expects to match few documents,
  is compared whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermInfo
from whoosh.searching import Searcher

from search_index.analysis import fold, stem, stem_spans
from search_index.fallback import bag_of_words
from search_index.postings import DocArrays
from search_index.query import MIN_PREFIX_CHARS, Clause, compile_clause, prefix_words
from search_index.segments import SegmentCache

FREQUENT = 500  # documents: about four posting blocks of 128, few enough to decode and walk quickly
SAMPLE_CHARS = 800
WINDOW = 256  # documents per window, at most
MATCHES = 40  # matches per window, at most: in a dense window whoosh stops there
WHOLE = 300  # a query whoosh estimates at most this large is compared over the whole index
FACET = "kind"
SCORED = 25  # documents whose scores are compared, spread over the matches in the windows
SHOWN = 5  # document numbers shown in a difference


@dataclass
class Probe:
    """One query of the check, compiled as the search compiles it."""

    label: str
    query: wq.Query
    positions: bool = False  # a phrase: its words' positions are read too
    facets: bool = False  # facet counts and the sort column are compared over its matches


def check(searcher: Searcher) -> list[str]:
    """Differences between the fast path and whoosh on a few queries drawn from the index ([] if none)."""
    try:
        # Decoded afresh: the decoder is checked, not what a cache kept; nothing is left in the index's cache.
        arrays = DocArrays(searcher, SegmentCache())
        if int(np.count_nonzero(arrays.live)) != searcher.doc_count():
            return [f"live documents: the fast path counts {np.count_nonzero(arrays.live)}, "
                    f"whoosh {searcher.doc_count()}"]
        probes = _probes(searcher)
    except Exception as err:  # a format the fast path cannot read is a difference, not a crash
        return [f"reading the index: {type(err).__name__}: {err}"]
    found: list[str] = []
    seen: set[tuple[str, str]] = set()  # posting lists already compared
    for probe in probes:
        try:
            found += _compare(arrays, searcher, probe, seen)
        except Exception as err:
            found.append(f"{probe.label}: {type(err).__name__}: {err}")
    return found


# Queries


def _sample(searcher: Searcher) -> tuple[str, str]:
    """(field, text) of the first live document with words: vocabulary documents have none."""
    for n, docnum in enumerate(searcher.reader().all_doc_ids()):
        stored = searcher.stored_fields(docnum)
        for field in ("body", "title"):
            if (stored.get(field) or "").strip():
                return field, stored[field][:SAMPLE_CHARS]
        if n >= 50:
            break
    return "body", ""


def _probes(searcher: Searcher) -> list[Probe]:
    """A frequent word, a rare word, two words, a phrase and a prefix, all from one stored document."""
    reader = searcher.reader()
    field, text = _sample(searcher)
    # (word as written, its stem) in text order; None for inclusive forms (several stems), which
    # still take a position: the words either side of one are not a phrase.
    spans = [(text[start:end], stems[0]) if len(stems) == 1 else None for start, end, stems in stem_spans(text)]
    frequency = {term: reader.doc_frequency(field, term) for _, term in filter(None, spans)}
    words = [span for span in spans if span is not None and frequency[span[1]]]
    if not words:
        return []

    def distance(*stems: str) -> float:
        return abs(math.log(max(frequency[s] for s in stems) / FREQUENT))

    def compiled(*clauses: Clause) -> wq.Query:
        parts = [compile_clause(clause, reader)[0] for clause in clauses]
        return parts[0] if len(parts) == 1 else wq.And(parts)

    frequent = min(words, key=lambda w: (distance(w[1]), w[1]))
    others = [w for w in words if w[1] != frequent[1]] or words
    rare = min(others, key=lambda w: (frequency[w[1]], w[1]))
    second = min(others, key=lambda w: (distance(w[1]), w[1]))
    probes = [Probe(f"frequent word {frequent[0]!r}", compiled(Clause("word", frequent[0])), facets=True),
              Probe(f"rare word {rare[0]!r}", compiled(Clause("word", rare[0]))),
              Probe(f"words {frequent[0]!r} {second[0]!r}",
                    compiled(Clause("word", frequent[0]), Clause("word", second[0])))]
    pairs = [(a, b) for a, b in zip(spans, spans[1:], strict=False)
             if a is not None and b is not None and a[1] != b[1] and frequency[a[1]] and frequency[b[1]]]
    if pairs:
        a, b = min(pairs, key=lambda pair: (distance(pair[0][1], pair[1][1]), pair[0][1], pair[1][1]))
        phrase = f"{a[0]} {b[0]}"
        probes.append(Probe(f"phrase {phrase!r}", compiled(Clause("phrase", phrase)), positions=True))
    prefix = _prefix(reader, field, [word for word, _ in words])
    if prefix:
        probes.append(Probe(f"prefix {prefix + '*'!r}", compiled(Clause("prefix", prefix))))
    return probes


def _prefix(reader, field: str, words: list[str]) -> str | None:
    """A word's beginning shared by indexed words of several stems, whose postings are nearest ``FREQUENT``."""
    ranked = {}
    for word in words[:30]:
        letters = fold(word)[:-1]
        if letters in ranked or not letters.isalpha() or len(letters) < MIN_PREFIX_CHARS:
            continue
        stems = {stem(w) for w in prefix_words(reader, letters)}
        total = sum(reader.doc_frequency(field, s) for s in stems)
        if total:
            ranked[letters] = (len(stems) < 2, abs(math.log(total / FREQUENT)), letters)
    return min(ranked, key=ranked.__getitem__) if ranked else None


# Comparisons


def _compare(arrays: DocArrays, searcher: Searcher, probe: Probe, seen: set[tuple[str, str]]) -> list[str]:
    """Differences for one query: its posting lists whole, then matches, scores and facets in windows."""
    found = []
    for field, text in sorted(probe.query.all_terms(phrases=True)):
        text = text.decode("utf-8") if isinstance(text, bytes) else text
        if (field, text) not in seen:
            seen.add((field, text))
            found += _postings(arrays, field, text)
        if probe.positions:
            found += _positions(arrays, field, text)
    label, query = probe.label, probe.query
    if arrays.size <= 3 * WINDOW or query.estimate_size(searcher.reader()) <= WHOLE:
        slow, windows = _whoosh_matches(searcher, query, [(0, arrays.size)], None)
    else:
        slow, windows = _whoosh_matches(searcher, query, _windows(arrays.size), MATCHES)
    where = f"{label}, documents {', '.join(f'{start}-{end - 1}' for start, end in windows)}"
    inside = np.zeros(arrays.size, dtype=bool)
    for start, end in windows:
        inside[start:end] = True
    docs = arrays.live & arrays.match(query) & inside
    fast = np.flatnonzero(docs).tolist()
    if fast != slow:
        only_fast, only_slow = sorted(set(fast) - set(slow)), sorted(set(slow) - set(fast))
        return [*found, f"{where}: the fast path matches {len(fast)}, whoosh {len(slow)} "
                        f"(only the fast path: {only_fast[:SHOWN]}, only whoosh: {only_slow[:SHOWN]})"]
    sample = fast[:: max(1, len(fast) // SCORED)]
    scores, reference = arrays.scores(query), _whoosh_scores(searcher, query, sample)
    wrong = [d for d in sample if not math.isclose(scores[d], reference.get(d, math.nan), rel_tol=1e-6)]
    found += [f"{where}: document {d} scores {scores[d]:.6g} by the fast path, {reference.get(d)} by whoosh"
              for d in wrong[:SHOWN]]
    if probe.facets and FACET in searcher.schema:
        counted, expected = dict(arrays.counts(FACET, docs)), _whoosh_counts(searcher, fast)
        if counted != expected:
            found.append(f"{where}: {FACET} counted {counted} by the fast path, {expected} by whoosh")
        reader = searcher.reader()
        if reader.has_column("day"):
            column, days = reader.column_reader("day", translate=False), arrays.numbers("day")
            found += [f"{where}: document {d} dated {days[d]} by the fast path, {column[d]} by whoosh"
                      for d in [d for d in fast if days[d] != column[d]][:SHOWN]]
    return found


def _segments(arrays: DocArrays, field: str, text: str) -> Iterator[tuple[int, int, int, TermInfo]]:
    """(number, offset, documents, whoosh's statistics of the term) of each segment holding a term."""
    btext = text.encode("utf-8")
    for number, (leaf, offset, _) in enumerate(arrays.leaves):
        if (field, btext) in leaf:
            yield number, offset, leaf.doc_count_all(), leaf.term_info(field, btext)


def _postings(arrays: DocArrays, field: str, text: str) -> list[str]:
    """A term's postings, decoded whole in each segment, against whoosh's statistics of them."""
    found = []
    ids, weights = arrays.term(field, text)
    for number, offset, count, info in _segments(arrays, field, text):
        mine = (ids >= offset) & (ids < offset + count)  # this segment's postings
        mine_ids = ids[mine] - offset
        read = (mine_ids.size, *(mine_ids[[0, -1]].tolist() if mine_ids.size else (None, None)))
        expected = (info.doc_frequency(), info.min_id(), info.max_id())
        total, top = float(weights[mine].sum()), float(weights[mine].max(initial=0.0))
        where = f"{field}:{text} in segment {number}"
        if read != expected or not (math.isclose(total, info.weight(), rel_tol=1e-9)
                                    and math.isclose(top, info.max_weight(), rel_tol=1e-9)):
            found.append(f"{where}: (postings, first, last, weight, top weight) read {(*read, total, top)} "
                         f"by the fast path, {(*expected, info.weight(), info.max_weight())} in whoosh's term info")
    return found


def _positions(arrays: DocArrays, field: str, text: str) -> list[str]:
    """How many positions of a term are read in each segment, against whoosh's statistics (weight / boost)."""
    found = []
    docs = arrays.positions(field, text) >> 32
    boost = arrays.reader.schema[field].format.field_boost
    for number, offset, count, info in _segments(arrays, field, text):
        read, expected = int(np.count_nonzero((docs >= offset) & (docs < offset + count))), round(info.weight() / boost)
        if read != expected:
            found.append(f"{field}:{text} in segment {number}: {read} positions read by the fast path, "
                         f"{expected} in whoosh's term info")
    return found


def _windows(size: int) -> list[tuple[int, int]]:
    """Start, middle and end of the document numbers (more than ``3 * WINDOW``), ``WINDOW`` each."""
    return [(0, WINDOW), (size // 2 - WINDOW // 2, size // 2 + WINDOW // 2), (size - WINDOW, size)]


def _leaves(searcher: Searcher, start: int, end: int) -> Iterator[tuple[Searcher, int, int, int]]:
    """(leaf searcher, offset, first, end) of the segments holding some of the documents ``start`` to ``end``."""
    for sub, offset in searcher.leaf_searchers():
        first, last = max(start - offset, 0), min(end - offset, sub.reader().doc_count_all())
        if first < last:
            yield sub, offset, first, last


def _whoosh_matches(searcher: Searcher, query: wq.Query, windows: list[tuple[int, int]],
                    limit: int | None) -> tuple[list[int], list[tuple[int, int]]]:
    """What whoosh's matchers find for a query in some windows (ascending, apart), deleted documents
    never, ``limit`` matches a window at most; and the windows as far as they were read."""
    found, read, matchers = [], [], {}
    for start, end in windows:
        taken: list[int] = []
        for sub, offset, first, last in _leaves(searcher, start, end):
            if offset not in matchers:  # one a segment, skipping forward from window to window
                matchers[offset] = query.matcher(sub, sub.boolean_context())
            matcher = matchers[offset]
            if matcher.is_active() and matcher.id() < first:
                matcher.skip_to(first)
            while matcher.is_active() and matcher.id() < last and len(taken) != limit:
                taken.append(offset + matcher.id())
                matcher.next()
            if len(taken) == limit:
                end = offset + matcher.id() if matcher.is_active() and matcher.id() < last else offset + last
                break
        found += taken
        read.append((start, end))
    return found, read


def _split(searcher: Searcher, docnums: list[int]) -> Iterator[tuple[Searcher, int, list[int]]]:
    """(leaf searcher, offset, the leaf's own numbers of some documents) for each segment holding some."""
    for sub, offset, first, last in _leaves(searcher, min(docnums, default=0), max(docnums, default=-1) + 1):
        mine = [d - offset for d in docnums if first <= d - offset < last]
        if mine:
            yield sub, offset, mine


def _at(matcher, docnums: list[int]) -> Iterator[int]:
    """The documents (ascending) a matcher holds, the matcher standing on each as it is yielded."""
    for docnum in docnums:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum


def _whoosh_scores(searcher: Searcher, query: wq.Query, docnums: list[int]) -> dict[int, float]:
    """whoosh's scores of some documents (ascending), as its collectors compute them in a search."""
    scored, context, found = bag_of_words(query), searcher.context(), {}
    for sub, offset, mine in _split(searcher, docnums):
        matcher = scored.matcher(sub, context)
        for docnum in _at(matcher, mine):
            found[offset + docnum] = matcher.score()
    return found


def _whoosh_counts(searcher: Searcher, docnums: list[int]) -> dict[str, int]:
    """Facet counts over some documents (ascending), read from whoosh's postings of each value."""
    counts = {}
    for value in searcher.reader().lexicon(FACET):
        count = sum(len(list(_at(sub.reader().postings(FACET, value), mine)))
                    for sub, _, mine in _split(searcher, docnums) if (FACET, value) in sub.reader())
        if count:
            counts[value.decode("utf-8")] = count
    return counts
