"""The numpy postings layer against whoosh itself: same documents, same phrase matches, same BM25F scores.

The index has several segments and deleted documents, as a live index does after edits.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from search_index import SearchDoc, SearchIndex, SearchQuery
from search_index.analysis import analyze
from search_index.postings import (
    DocArrays,
    SegmentCache,
    _decode,
    _decode_positions,
    _lengths,
    _numbers,
    query_terms,
)

WORDS = ["le", "développement", "social", "local", "des", "habitants", "accès", "aux", "droits", "pouvoir",
         "d'agir", "jeunes", "quartier", "évaluation", "collective", "éducateur·rice·s", "freins",
         "institutionnels", "travail", "familles", "logement"]


def write_up(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Three segments (a rebuild, then two batches of edits) with replaced and deleted documents."""
    rng = random.Random(3)
    ix = SearchIndex(tmp_path_factory.mktemp("postings"))
    docs = [SearchDoc(f"action:{n}", "action", write_up(rng)[:60], write_up(rng), extra=write_up(rng)[:30],
                      year=2000 + n % 7) for n in range(120)]
    ix.rebuild(docs)
    ix.apply([SearchDoc(f"action:{n}", "action", write_up(rng)[:60], write_up(rng)) for n in range(0, 120, 7)],
             [f"action:{n}" for n in range(3, 120, 11)])
    ix.apply([SearchDoc(f"tool:{n}", "tool", write_up(rng)[:60], write_up(rng), year=2020) for n in range(15)],
             ["action:5"])
    yield ix
    ix.close()


@pytest.fixture
def arrays(index):
    with index._lock:
        index._fresh()
        yield index._arrays


def lexicon(arrays: DocArrays, field: str) -> list[str]:
    return [t.decode("utf-8") for t in arrays.reader.lexicon(field)]


def test_the_index_under_test_has_segments_and_deletions(arrays):
    assert len(arrays.leaves) > 1
    assert arrays.reader.has_deletions()
    assert not arrays.live.all()


@pytest.mark.parametrize("field", ["title", "body", "extra"])
def test_block_decoding_equals_whoosh_matchers(arrays, field):
    for leaf, _, _ in arrays.leaves:
        for text in [t for t in leaf.lexicon(field)]:
            fast_ids, fast_weights = _decode(leaf, field, text)
            ids, weights = _decode(leaf, field, text, blocks=False)
            assert fast_ids.tolist() == ids.tolist()
            assert fast_weights.tolist() == pytest.approx(weights.tolist())
            keys = _decode_positions(leaf, field, text)
            assert keys.tolist() == _decode_positions(leaf, field, text, blocks=False).tolist()
            assert np.unique(keys >> 32).tolist() == ids.tolist()


def test_postings_match_whoosh_over_the_live_documents(arrays):
    for field in ("title", "body", "kind", "year"):
        for text in lexicon(arrays, field):
            ids = arrays.term(field, text)[0]
            expected = list(arrays.reader.postings(field, text).all_ids())
            assert ids[arrays.live[ids]].tolist() == expected


def test_bulk_columns_equal_whoosh_column_readers(arrays):
    for leaf, _, _ in arrays.leaves:
        for field in ("title", "body", "extra"):
            assert _lengths(leaf, field).tolist() == _lengths(leaf, field, bulk=False).tolist()
        assert _numbers(leaf, "day").tolist() == _numbers(leaf, "day", bulk=False).tolist()


def test_scores_are_whoosh_bm25f(arrays):
    query = wq.And([wq.Or([wq.Term(f, s) for f in ("title", "body", "extra")]) for s in analyze("jeunes quartier")])
    expected = {hit.docnum: hit.score for hit in arrays.searcher.search(query, limit=None)}
    scores = arrays.scores(query_terms(query))
    docs = arrays.live & arrays.match(query)
    assert set(np.flatnonzero(docs).tolist()) == set(expected)
    assert expected  # the corpus holds both words together
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-5)


phrases = st.lists(st.sampled_from(WORDS), min_size=2, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=phrases, field=st.sampled_from(["title", "body", "extra"]))
def test_phrases_match_the_documents_whoosh_finds(arrays, text, field):
    stems = analyze(text)
    if len(stems) < 2:
        return
    query = wq.Phrase(field, stems)
    expected = set(arrays.searcher.docs_for_query(query))
    assert set(np.flatnonzero(arrays.match(query) & arrays.live).tolist()) == expected


def test_inclusive_forms_in_a_phrase_match_either_word(index):
    index.apply([SearchDoc("action:900", "action", "Inclusif", "Les éducatrices du quartier accueillent."),
                 SearchDoc("action:901", "action", "Masculin", "Les éducateurs du quartier accueillent.")], [])
    found = index.search(SearchQuery(text='"éducateur·rice·s du quartier"', filters={"kind": ["action"]}))
    assert {"action:900", "action:901"} <= {hit.doc_id for hit in found.hits}
    index.apply([], ["action:900", "action:901"])


def test_deleted_documents_stay_out_although_their_segment_is_cached(index):
    index.apply([SearchDoc("action:950", "action", "Jardin partagé", "Un jardin partagé au pied des tours.")], [])
    assert index.search(SearchQuery(text="jardin")).total == 1  # decodes and keeps the segment's arrays
    index.apply([], ["action:950"])
    found = index.search(SearchQuery(text="jardin"))
    assert found.total == 0 and not found.hits


def test_the_cache_drops_the_least_recently_used_arrays_past_its_budget():
    cache = SegmentCache(budget=10)
    cache.get(("s", "a"), lambda: (np.zeros(4),))
    cache.get(("s", "b"), lambda: (np.zeros(4),))
    cache.get(("s", "a"), lambda: pytest.fail("kept arrays are not decoded again"))
    cache.get(("s", "c"), lambda: (np.zeros(4),))  # 12 items: "b", the least recently used, goes
    reloaded = []
    cache.get(("s", "b"), lambda: reloaded.append(1) or (np.zeros(4),))
    assert reloaded == [1]
    cache.get(("s", "a"), lambda: reloaded.append(2) or (np.zeros(4),))
    assert reloaded == [1, 2]  # "a" was dropped when "b" came back


def test_readers_without_a_segment_are_never_cached():
    cache = SegmentCache()
    calls = []
    for _ in range(2):
        cache.get((None, "body", b"x"), lambda: calls.append(1) or (np.zeros(1),))
    assert calls == [1, 1]
