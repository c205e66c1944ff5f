"""Posting lists longer than one whoosh block (128 postings): the numpy path against whoosh's own answers.

The fast path decodes whoosh's private segment format block by block (``segments``): these indexes
hold terms with exactly 128, 129 and 257 postings in one segment, phrases whose positions run over
several blocks, facet values in several blocks, in a rebuilt index and in one built by commits
(several segments, deletions, replaced documents). Then the self-check, and the whoosh fallback
the engine takes when the self-check finds a difference.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

import numpy as np
import pytest
from whoosh import query as wq
from whoosh import sorting

from search_index import SearchDoc, SearchIndex, SearchQuery, segments, selfcheck
from search_index.analysis import analyze
from search_index.fallback import WhooshPostings, bag_of_words
from search_index.postings import DocArrays
from search_index.query import parse
from search_index.search import _compile, run, run_whoosh
from search_index.selfcheck import _probes, check

FILLER = ["habitants", "atelier", "réunion", "projet", "accompagnement", "éducation", "santé", "emploi",
          "logement", "mobilité", "numérique", "culture", "sport", "association", "bénévoles", "réseau",
          "territoire", "diagnostic", "enquête", "entretien", "levier", "besoin", "ressources", "partenaires",
          "collectif", "initiative", "rencontre", "parcours", "insertion", "démarche"]
SIZE = 420
# Documents holding each word in the first segment: one block, one block and one posting, three blocks.
JARDIN = set(range(0, 384, 3))  # 128
POTAGER = set(range(1, 388, 3))  # 129
COMPOST = set(random.Random(5).sample(range(SIZE), 257))
BLOCKS = {"jardin": (128, 1), "potager": (129, 2), "compost": (257, 3), "quartier": (SIZE, 4)}


def doc(n: int, variant: int = 0) -> SearchDoc:
    """Document ``n``: filler words around the counted words, "cuisine solidaire" at a varying position."""
    rng = random.Random(n * 31 + variant)
    words = [rng.choice(FILLER) for _ in range(rng.randint(15, 90))]

    def put(*inserted: str) -> None:
        at = rng.randint(0, len(words))
        words[at:at] = inserted

    put("quartier")
    if n in JARDIN:
        put("jardin")
    if n in POTAGER:
        put("potager")
    for _ in range(1 + n % 4 if n in COMPOST else 0):  # several weights
        put("compost")
    for _ in range(1 + n % 3 if n % 2 == 0 else 0):  # the phrase, once or more, anywhere
        put("cuisine", "solidaire")
    if n % 5 == 1:  # both words, never as the phrase
        put("solidaire")
        words.insert(0, "cuisine")
        words.append("solidaire")
    return SearchDoc(
        f"action:{n}", ["action", "tool", "organisation"][n % 3],
        f"Atelier {n} {'jardin' if n % 10 == 0 else 'habitants'}", " ".join(words),
        extra="compost" if n % 7 == 0 else "", year=2015 + n % 4, territory=["Lille", "Roubaix"][n % 2],
        publics=["jeunes", "familles"] if n % 2 else ["jeunes"], themes=["nature"] if n in COMPOST else [],
        visibility="restricted" if n % 17 == 0 else "public",
        date=dt.date(2015 + n % 4, 1 + n % 12, 1) if n % 5 else None,
    )


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """One segment written by a rebuild, then deletions in it."""
    ix = SearchIndex(tmp_path_factory.mktemp("rebuilt"))
    ix.rebuild([doc(n) for n in range(SIZE)])
    ix.apply([], [f"action:{n}" for n in range(2, SIZE, 23)])
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """Segments written by commits: new documents, replaced ones and deletions in each segment."""
    ix = SearchIndex(tmp_path_factory.mktemp("committed"))
    ix.apply([doc(n) for n in range(SIZE)], [])
    ix.apply([doc(n) for n in range(SIZE, SIZE + 280)], [f"action:{n}" for n in range(5, SIZE, 11)])
    ix.apply([doc(n, variant=1) for n in range(0, SIZE, 13)], [f"action:{n}" for n in range(SIZE, SIZE + 280, 9)])
    ix.apply([], [f"action:{n}" for n in range(13, SIZE, 26)])
    yield ix
    ix.close()


@pytest.fixture(params=["rebuilt", "committed"])
def ix(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def arrays(ix):
    with ix._lock:
        ix._fresh()
        yield ix._arrays


def stem(word: str) -> str:
    return analyze(word)[0]


def blocks(leaf, field: str, word: str) -> int:
    """How many posting blocks a term has in a segment (whoosh's ``next()`` says when it enters one)."""
    matcher = segments._leaf_matcher(leaf, field, stem(word).encode())
    count = 1
    while matcher.is_active():
        count += bool(matcher.next()) and matcher.is_active()
    return count


def test_the_first_segment_holds_terms_of_one_two_three_and_four_blocks(arrays):
    leaf = arrays.leaves[0][0]
    assert leaf.has_deletions()
    for word, (postings, count) in BLOCKS.items():
        assert leaf.doc_frequency("body", stem(word)) == postings
        assert blocks(leaf, "body", word) == count


def test_the_committed_index_has_segments_with_deletions(committed):
    with committed._lock:
        committed._fresh()
        arrays = committed._arrays
        assert len(arrays.leaves) >= 3
        assert sum(leaf.has_deletions() for leaf, _, _ in arrays.leaves) >= 2
        assert any(blocks(leaf, "body", "quartier") > 2 for leaf, _, _ in arrays.leaves[1:])


def test_blocks_decode_as_whoosh_matchers_read_them(arrays):
    for leaf, _, _ in arrays.leaves:
        for field in ("title", "body", "extra", "kind", "year", "publics", "themes"):
            for text in leaf.lexicon(field):
                ids, weights = segments.decode(leaf, field, text, blocks=False)
                fast_ids, fast_weights = segments.decode(leaf, field, text)
                assert fast_ids.tolist() == ids.tolist()
                assert fast_weights.tolist() == weights.tolist()
                if field in ("title", "body", "extra"):
                    keys = segments.decode_positions(leaf, field, text)
                    assert keys.tolist() == segments.decode_positions(leaf, field, text, blocks=False).tolist()


def test_postings_and_positions_over_the_live_documents_are_whoosh_own(arrays):
    for word in [*BLOCKS, "cuisine", "solidaire"]:
        for field in ("title", "body", "extra"):
            ids, weights = arrays.term(field, stem(word))
            live = arrays.live[ids]
            expected = list(arrays.reader.postings(field, stem(word)).items_as("weight")) \
                if (field, stem(word)) in arrays.reader else []
            assert list(zip(ids[live].tolist(), weights[live].tolist(), strict=True)) == expected
            keys = arrays.positions(field, stem(word))
            keys = keys[arrays.live[keys >> 32]]
            positions = arrays.reader.postings(field, stem(word)).items_as("positions") if expected else []
            assert keys.tolist() == [d << 32 | p for d, found in positions for p in found]


QUERIES = ["jardin", "potager", "compost", "quartier", "jardin compost", "compost quartier", "jardin OU potager",
           "compo*", '"cuisine solidaire"', '"solidaire cuisine"', '"cuisine solidaire" compost',
           "compost -jardin", "quartier -potager -jardin"]


def compiled(arrays: DocArrays, text: str) -> wq.Query:
    """The AND of a query's groups, as ``search.run`` compiles it (exclusions left out)."""
    groups, _, _ = _compile(parse(text), arrays.reader)
    return groups[0] if len(groups) == 1 else wq.And(groups)


@pytest.mark.parametrize("text", [q for q in QUERIES if "-" not in q])
def test_matches_and_bm25f_scores_are_whoosh_own(arrays, text):
    query = compiled(arrays, text)
    docs = arrays.live & arrays.match(query)
    expected = set(arrays.searcher.docs_for_query(query))
    assert set(np.flatnonzero(docs).tolist()) == expected and expected
    scored = {docnum: score for docnum, score in arrays.searcher.search(bag_of_words(query), limit=None).items()}
    scores = arrays.scores(query)
    for docnum in expected:
        assert scores[docnum] == pytest.approx(scored[docnum], rel=1e-9)


def test_phrases_match_where_whoosh_finds_them_only(arrays):
    phrase = set(arrays.searcher.docs_for_query(compiled(arrays, '"cuisine solidaire"')))
    both = set(arrays.searcher.docs_for_query(compiled(arrays, "cuisine solidaire")))
    assert len(phrase) > 128 and len(both - phrase) > 20  # the phrase's positions span blocks; not every pair is one
    assert set(np.flatnonzero(arrays.live & arrays.match(compiled(arrays, '"cuisine solidaire"'))).tolist()) == phrase
    reversed_ = compiled(arrays, '"solidaire cuisine"')
    assert set(np.flatnonzero(arrays.live & arrays.match(reversed_)).tolist()) == set(
        arrays.searcher.docs_for_query(reversed_))


@pytest.mark.parametrize("text", ["quartier", "compost", '"cuisine solidaire"', "jardin compost"])
def test_facet_counts_are_whoosh_grouping(arrays, text):
    query = compiled(arrays, text)
    docs = arrays.live & arrays.match(query)
    for field in ("kind", "year", "territory", "publics", "themes"):
        facet = sorting.FieldFacet(field, allow_overlap=field in ("publics", "themes"))
        groups = arrays.searcher.search(query, groupedby={field: facet}, limit=None).groups(field)
        expected = {(v.decode() if isinstance(v, bytes) else v): len(found) for v, found in groups.items()
                    if v is not None}
        assert dict(arrays.counts(field, docs)) == expected


PAGES = [(text, sort, page) for text in QUERIES for sort, page in [(None, 1), (None, 3), ("title", 2), ("date", 1)]]


@pytest.mark.parametrize(("text", "sort", "page"), PAGES)
def test_the_whoosh_path_gives_the_fast_path_outcome(arrays, text, sort, page):
    scope = arrays.live & arrays.any_of("visibility", ["public"])
    fast = run(arrays, parse(text), scope, sort, page, 10)
    slow = run_whoosh(arrays.searcher, parse(text), scope, sort, page, 10)
    assert fast.total == slow.total > 0
    assert np.array_equal(fast.docs, slow.docs)
    assert [h.doc_id for h in fast.hits] == [h.doc_id for h in slow.hits] and (fast.hits or page > 1)
    assert [h.score for h in fast.hits] == pytest.approx([h.score for h in slow.hits], rel=1e-9)
    assert [h.highlight for h in fast.hits] == [h.highlight for h in slow.hits]
    assert (fast.approximate, fast.unmatched, fast.suggestion) == (slow.approximate, slow.unmatched, slow.suggestion)


def test_approximate_results_and_suggestions_are_the_same_both_ways(arrays):
    scope = arrays.live.copy()
    for text in ["jardin potager compost zorglub", "compots"]:
        fast = run(arrays, parse(text), scope, None, 1, 10)
        slow = run_whoosh(arrays.searcher, parse(text), scope, None, 1, 10)
        assert np.array_equal(fast.docs, slow.docs) if fast.docs is not None else slow.docs is None
        assert [h.doc_id for h in fast.hits] == [h.doc_id for h in slow.hits]
        assert (fast.approximate, fast.unmatched, fast.suggestion) == (slow.approximate, slow.unmatched,
                                                                       slow.suggestion)
    assert run(arrays, parse("jardin potager compost zorglub"), scope, None, 1, 10).approximate
    assert run(arrays, parse("compots"), scope, None, 1, 10).suggestion == "compost"


def test_whoosh_postings_read_the_sort_column_as_the_fast_path(arrays):
    assert np.array_equal(WhooshPostings(arrays.searcher).numbers("day"), arrays.numbers("day"))


# The self-check and the whoosh fallback


def test_a_sound_index_passes_the_self_check(ix, caplog):
    with ix._lock:
        assert check(ix._fresh()) == []
    ix.warm()
    assert ix.fallback == [] and not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_self_check_asks_every_kind_of_query(rebuilt):
    with rebuilt._lock:
        labels = [probe.label.split()[0] for probe in _probes(rebuilt._fresh())]
    assert labels == ["frequent", "rare", "words", "phrase", "prefix"]


def test_an_empty_index_passes_the_self_check(tmp_path):
    with SearchIndex(tmp_path / "empty") as empty:
        empty.warm()
        assert empty.fallback == []
        assert empty.search(SearchQuery(text="compost")).total == 0


SEARCHES = [SearchQuery(text="compost"), SearchQuery(text='"cuisine solidaire"', per_page=50),
            SearchQuery(text="jardin compost", filters={"kind": ["tool", "action"]}),
            SearchQuery(text="quartier", sort="date", page=2), SearchQuery(text="quartier -jardin", sort="title"),
            SearchQuery(text="jardin potager compost zorglub"), SearchQuery(filters={"year": ["2016"]})]


def answers(index: SearchIndex) -> list[tuple]:
    """What a user sees of each search: hits (ids, rounded scores), total, facets, approximate, suggestion."""
    out = []
    for q in SEARCHES:
        found = index.search(q)
        out.append(([(h.doc_id, round(h.score, 9), h.highlight) for h in found.hits], found.total, found.facets,
                    found.approximate, found.suggestion, found.unmatched_terms))
    return out


def drop_last_posting(decode):
    """A decoder that loses the last posting of a list of several blocks."""
    def wrong(matcher):
        ids, weights = decode(matcher)
        return (ids[:-1], weights[:-1]) if ids.size > 128 else (ids, weights)
    return wrong


def double_later_weights(decode):
    """A decoder that misreads the weights of every block after the first."""
    def wrong(matcher):
        ids, weights = decode(matcher)
        return ids, np.where(np.arange(ids.size) >= 128, weights * 2, weights)
    return wrong


def shift_later_positions(decode):
    """A decoder that puts the positions of every block after the first one word further."""
    def wrong(matcher):
        ids, deltas = decode(matcher)
        return ids, [[d + 1 for d in found] if n >= 128 else found for n, found in enumerate(deltas)]
    return wrong


def fail(decode):
    def wrong(matcher):
        raise ValueError("unknown block layout")
    return wrong


@pytest.mark.parametrize(("target", "corrupt", "expected"), [
    ("_decode_blocks", drop_last_posting, "postings"),
    ("_decode_blocks", double_later_weights, "weight"),
    ("_position_blocks", shift_later_positions, "phrase"),
    ("_decode_blocks", fail, "ValueError: unknown block layout"),
], ids=["lost posting", "wrong weights", "wrong positions", "unreadable"])
def test_a_wrong_fast_path_is_found_logged_and_whoosh_answers(rebuilt, monkeypatch, caplog, target, corrupt, expected):
    right = answers(rebuilt)
    monkeypatch.setattr(segments, target, corrupt(getattr(segments, target)))
    if corrupt is not fail:
        with monkeypatch.context() as skipped:  # a worker that skipped the check answers wrongly
            skipped.setattr(SearchIndex, "_self_check", lambda index: setattr(index, "fallback", []))
            with SearchIndex(rebuilt.path) as unchecked:
                assert answers(unchecked) != right
    with SearchIndex(rebuilt.path) as worker, caplog.at_level(logging.ERROR, logger="search_index.engine"):
        worker.warm()
        assert worker.fallback and any(expected in difference for difference in worker.fallback)
        [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert "differs from whoosh" in record.getMessage() and worker.fallback[0] in record.getMessage()
        assert not worker._arrays.blocks  # filters and facets too are read through whoosh's public API
        assert answers(worker) == right
        worker.apply([SearchDoc("action:new", "action", "Compost", "Un compost partagé.")], [])
        assert worker.search(SearchQuery(text="compost")).total == right[0][1] + 1
        assert worker.fallback and not worker._arrays.blocks  # a commit: the same generation, still whoosh
        worker.apply([], ["action:new"])


def test_a_new_generation_is_checked_again(tmp_path, monkeypatch):
    with SearchIndex(tmp_path / "ix") as index:
        index.rebuild([doc(n) for n in range(200)])
        monkeypatch.setattr(segments, "_decode_blocks", drop_last_posting(segments._decode_blocks))
        index.warm()
        assert index.fallback and not index.cache.blocks
        monkeypatch.undo()
        index.rebuild([doc(n) for n in range(300)])
        assert index.fallback is None and index.cache.blocks  # the verdict was the old generation's
        index.search(SearchQuery(text="quartier"))  # the first search of a generation checks it
        assert index.fallback == [] and index._arrays.blocks


def test_a_wrong_ranking_is_found_and_whoosh_ranks(rebuilt, monkeypatch, caplog):
    right = answers(rebuilt)
    scores = DocArrays.scores
    monkeypatch.setattr(DocArrays, "scores", lambda self, query: scores(self, query) * (1 + 0.01 * self.live))
    with SearchIndex(rebuilt.path) as worker, caplog.at_level(logging.ERROR, logger="search_index.engine"):
        worker.warm()
        assert worker.fallback and all("scores" in difference for difference in worker.fallback)
        assert answers(worker) == right


@pytest.mark.parametrize("text", ["quartier", "jardin", '"cuisine solidaire"', "compo*"])
def test_the_self_check_windows_hold_what_whoosh_finds_in_them(committed, monkeypatch, text):
    monkeypatch.setattr(selfcheck, "WINDOW", 64)  # windows, as on an index of thousands of documents
    with committed._lock:
        committed._fresh()
        arrays = committed._arrays
        query = compiled(arrays, text)
        found, windows = selfcheck._whoosh_matches(arrays.searcher, query, selfcheck._windows(arrays.size), 10)
        assert len(windows) == 3 and all(end - start <= 64 for start, end in windows)
        inside = [d for d in arrays.searcher.docs_for_query(query) if any(s <= d < e for s, e in windows)]
        assert found == sorted(inside) and found
        assert all(sum(s <= d < e for d in found) <= 10 for s, e in windows)
        assert check(arrays.searcher) == []


def test_the_self_check_finds_a_lost_posting_through_its_windows(committed, monkeypatch):
    monkeypatch.setattr(selfcheck, "WINDOW", 64)
    monkeypatch.setattr(segments, "_decode_blocks", drop_last_posting(segments._decode_blocks))
    with committed._lock:
        found = check(committed._fresh())
    assert any("in whoosh's term info" in difference for difference in found)
