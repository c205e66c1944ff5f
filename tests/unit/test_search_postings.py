"""The numpy postings layer against whoosh itself: same documents, same phrase matches, same BM25F scores.

The index has several segments and deleted documents, as a live index does after edits.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from search_index import SearchDoc, SearchIndex, SearchQuery
from search_index.analysis import analyze
from search_index.fallback import bag_of_words
from search_index.postings import DocArrays
from search_index.query import Clause, compile_clause
from search_index.segments import SegmentCache, decode, decode_positions, lengths, numbers

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
    ix.apply([], ["action:7", "tool:4"])  # deletions in the second and third segments (non-zero offsets)
    yield ix
    ix.close()


@pytest.fixture
def arrays(index):
    with index._lock:
        index._fresh()
        yield index._arrays


def lexicon(arrays: DocArrays, field: str) -> list[str]:
    return [t.decode("utf-8") for t in arrays.reader.lexicon(field)]


def test_the_live_mask_is_whoosh_live_documents_across_segments(arrays):
    assert len(arrays.leaves) == 3
    assert [leaf.has_deletions() for leaf, _, _ in arrays.leaves] == [True, True, True]
    assert np.flatnonzero(arrays.live).tolist() == list(arrays.reader.all_doc_ids())


@pytest.mark.parametrize("field", ["title", "body", "extra"])
def test_block_decoding_equals_whoosh_matchers(arrays, field):
    for leaf, _, _ in arrays.leaves:
        for text in [t for t in leaf.lexicon(field)]:
            fast_ids, fast_weights = decode(leaf, field, text)
            ids, weights = decode(leaf, field, text, blocks=False)
            assert fast_ids.tolist() == ids.tolist()
            assert fast_weights.tolist() == pytest.approx(weights.tolist())
            keys = decode_positions(leaf, field, text)
            assert keys.tolist() == decode_positions(leaf, field, text, blocks=False).tolist()
            assert np.unique(keys >> 32).tolist() == ids.tolist()


def test_postings_and_positions_match_whoosh_over_the_live_documents(arrays):
    for field in ("title", "body", "extra", "kind", "year"):
        for text in lexicon(arrays, field):
            ids, weights = arrays.term(field, text)
            matcher = arrays.reader.postings(field, text)  # whoosh's own, deletions filtered
            expected = list(matcher.items_as("weight"))
            live = arrays.live[ids]
            assert list(zip(ids[live].tolist(), weights[live].tolist(), strict=True)) == expected
            if field in ("title", "body", "extra"):
                keys = arrays.positions(field, text)
                keys = keys[arrays.live[keys >> 32]]
                positions = arrays.reader.postings(field, text).items_as("positions")
                assert keys.tolist() == [d << 32 | p for d, found in positions for p in found]


def test_bulk_columns_equal_whoosh_column_readers(arrays):
    for leaf, _, _ in arrays.leaves:
        for field in ("title", "body", "extra"):
            assert lengths(leaf, field).tolist() == lengths(leaf, field, bulk=False).tolist()
        assert numbers(leaf, "day").tolist() == numbers(leaf, "day", bulk=False).tolist()


def compiled(arrays: DocArrays, *clauses: Clause) -> wq.Query:
    """The query the search compiles for some clauses (ANDed), as ``search.run`` builds it."""
    parts = [compile_clause(clause, arrays.reader)[0] for clause in clauses]
    return parts[0] if len(parts) == 1 else wq.And(parts)


@pytest.mark.parametrize("clauses", [
    [Clause("word", "jeunes"), Clause("word", "quartier")],
    [Clause("word", "jeunes"), Clause("word", "jeune"), Clause("word", "quartier")],  # one stem, twice
    [Clause("phrase", "développement social"), Clause("word", "social")],
    [Clause("phrase", "accès aux droits")],
    [Clause("prefix", "évalu"), Clause("word", "familles")],
], ids=["two words", "repeated stem", "phrase and its word", "phrase with stop word", "prefix"])
def test_scores_are_whoosh_bm25f_with_phrases_ranked_as_their_words(arrays, clauses):
    query = compiled(arrays, *clauses)
    docs = arrays.live & arrays.match(query)
    assert docs.any()  # the corpus answers every query here
    allowed = set(np.flatnonzero(docs).tolist())
    expected = {hit.docnum: hit.score for hit in arrays.searcher.search(bag_of_words(query), limit=None)
                if hit.docnum in allowed}
    assert set(expected) == allowed
    scores = arrays.scores(query)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-5)


phrases = st.lists(st.sampled_from(WORDS), min_size=2, max_size=4).map(" ".join)


def assert_same_phrase_matches(arrays: DocArrays, text: str) -> int:
    """The compiled phrase (whoosh Phrase, or Sequence of alternatives for inclusive forms) in every
    field matches the documents whoosh's own matchers find; returns how many."""
    query = compiled(arrays, Clause("phrase", text))
    expected = set(arrays.searcher.docs_for_query(query))
    assert set(np.flatnonzero(arrays.match(query) & arrays.live).tolist()) == expected
    return len(expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=phrases)
def test_phrases_match_the_documents_whoosh_finds(arrays, text):
    if len(analyze(text)) >= 2:
        assert_same_phrase_matches(arrays, text)


def test_phrases_taken_from_the_documents_match_as_whoosh_says(arrays):
    bodies = [arrays.searcher.stored_fields(d)["body"].split() for d in np.flatnonzero(arrays.live)[:30].tolist()]
    found = [assert_same_phrase_matches(arrays, " ".join(words[i : i + 3])) for words in bodies
             for i in range(0, len(words) - 3, 7)]
    assert min(found) >= 1 and len(found) > 50
    inclusive = [" ".join(words[i : i + 2]) for words in bodies for i in range(len(words) - 2)
                 if "éducateur·rice·s" in words[i : i + 2]]
    assert inclusive and all(assert_same_phrase_matches(arrays, text) for text in inclusive[:20])


def test_facet_counts_equal_a_count_of_the_stored_values(arrays):
    docs = arrays.live & arrays.match(compiled(arrays, Clause("word", "jeunes")))
    years = [arrays.searcher.stored_fields(d).get("year") for d in np.flatnonzero(docs).tolist()]
    expected = Counter(y for y in years if y)
    assert arrays.counts("year", docs) == sorted(expected.items(), key=lambda vc: (-vc[1], vc[0]))
    kinds = Counter(arrays.searcher.stored_fields(d)["kind"] for d in np.flatnonzero(arrays.live).tolist())
    assert dict(arrays.counts("kind", arrays.live)) == kinds
    assert kinds["action"] == 120 - 11 - 1 - 1 and kinds["tool"] == 14


def test_unknown_words_do_not_fill_the_cache(index):
    index.search(SearchQuery(text="jeunes"))
    entries, size = len(index.cache), index.cache.size
    for n in range(200):
        index.search(SearchQuery(text=f"zorglub{n} quartier"))
    assert len(index.cache) <= entries + 8  # "quartier" in each field and segment, nothing per unknown word
    assert index.cache.size >= size


def test_title_order_breaks_ties_by_document_id_whatever_the_segment(index):
    for doc_id in ("action:992", "action:990", "action:991"):  # three commits: three segments
        index.apply([SearchDoc(doc_id, "action", "Même titre", "Un potager collectif.")], [])
    found = index.search(SearchQuery(text="potager", sort="title"))
    assert [hit.doc_id for hit in found.hits] == ["action:990", "action:991", "action:992"]
    index.apply([], ["action:990", "action:991", "action:992"])


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


def test_a_warmed_index_decodes_only_the_searched_words_at_the_first_search(index):
    index.drop_caches()
    index.warm()
    warmed = set(index.cache._entries)
    assert {key[1] for key in warmed} >= {"visibility", "kind", "year", "_length", "_column"}
    assert index.search(SearchQuery(text="logement", filters={"kind": ["action"]}, sort="date")).total > 0
    added = set(index.cache._entries) - warmed
    assert added and {key[2] for key in added} == {analyze("logement")[0].encode()}  # its stem, in each field


def test_the_cache_drops_the_least_recently_used_arrays_past_its_budget():
    entry = SegmentCache.cost((np.zeros(4),))
    assert entry == SegmentCache.ENTRY_BYTES + 32  # arrays and what an entry costs besides
    cache = SegmentCache(budget=2 * entry + entry // 2)
    cache.get(("s", "a"), lambda: (np.zeros(4),))
    cache.get(("s", "b"), lambda: (np.zeros(4),))
    cache.get(("s", "a"), lambda: pytest.fail("kept arrays are not decoded again"))
    cache.get(("s", "c"), lambda: (np.zeros(4),))  # three entries: "b", the least recently used, goes
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
