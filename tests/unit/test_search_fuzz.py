"""Whatever a user types, search answers: never an exception, never restricted or unsafe output."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search_index import SearchDoc, SearchIndex, SearchQuery, parse

WORDS = ["évaluation", "développement", "social", "local", "CCAS", "QPV", "œuvre", "l’accès", "frein",
         "éducateur·rice", "atelier", "numérique", "habitants", "jeunes", "zorglub"]
CHARS = list('"*?~^()[]{}:\\-+!«»’') + ["\x00", "\x01", "\x1b", "\x7f", "\u200b", "\u202e", "\ufeff", "\ud800",
                                         "\n", "\t", "🙂"]
SYNTAX = CHARS + ["AND", "OR", "NOT", "ET", "OU", "SAUF", "title:", "body:", "👩🏽‍🏫"]

QUERY = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from(CHARS + list("abé ")), max_size=60),
    st.lists(st.sampled_from(WORDS + SYNTAX + [" "]), max_size=14).map(" ".join),
    st.lists(st.sampled_from(WORDS + SYNTAX), max_size=14).map("".join),
)


def corpus() -> list[SearchDoc]:
    docs = []
    for i in range(40):
        docs.append(SearchDoc(
            f"action:{i}", ["action", "tool", "practitioner"][i % 3], f"Atelier {WORDS[i % len(WORDS)]} {i}",
            f"{' '.join(WORDS[(i + k) % (len(WORDS) - 1)] for k in range(6))}. <b>gras</b> <script>x()</script>",
            territory=["Lille", "Roubaix"][i % 2], publics=["jeunes"] if i % 2 else ["habitants", "jeunes"],
            year=2020 + i % 4, date=dt.date(2020 + i % 4, 1 + i % 12, 1),
            visibility="restricted" if i % 5 == 0 else "public", stamp=str(i),
        ))
    return docs


# Built once for the module: hypothesis replays each example on the same index.
@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("fuzz"))
    index.rebuild(corpus())
    yield index
    index.close()


FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=QUERY, page=st.integers(-3, 5), sort=st.sampled_from(["relevance", "date", "title", "n'importe"]))
def test_any_query_is_answered(ix, caplog, text, page, sort):
    results = ix.search(SearchQuery(text=text, page=page, per_page=7, sort=sort))
    # The plain-words fallback logs an error: the parsed query itself must never fail.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert 0 <= len(results.hits) <= 7 and results.total >= len(results.hits)
    assert not (results.approximate and results.total == 0)
    # Every document has one kind: the kind facet adds up to the total, whatever the query.
    assert sum(n for _, n in results.facets["kind"]) == results.total
    for hit in results.hits:
        assert hit.visibility == "public"
        assert "<script" not in hit.highlight and "<b>" not in hit.highlight
        assert hit.highlight.replace("<mark>", "").replace("</mark>", "").count("<") == 0


@FUZZ
@given(text=QUERY)
def test_the_query_shown_reads_back_the_same(ix, text):
    # query_text and suggestions are offered as links: reading them again must give the same query.
    shown = parse(text).text()
    assert parse(shown).text() == shown
    results = ix.search(SearchQuery(text=text))
    if results.suggestion:
        assert ix.search(SearchQuery(text=results.suggestion)).total > 0


@FUZZ
@given(text=QUERY, territory=st.sampled_from(["Lille", "Roubaix", "Nulle part"]))
def test_filters_hold_for_any_query(ix, text, territory):
    results = ix.search(SearchQuery(text=text, filters={"territory": [territory]}, per_page=50))
    assert all(hit.territory == territory for hit in results.hits)
    assert dict(results.facets["territory"]).keys() <= {territory}


@pytest.mark.parametrize("text", [
    "AND", "OR", "NOT", "ET", "OU", "SAUF", "-", "*", "?", '"', '""', '"évaluation', 'évaluation"', "((", ")",
    "title:", "title:évaluation", "body:*", "*:*", "[a TO z]", "évaluation^3", "évaluation~2", "\\", "\x00",
    "\x00évaluation\x00", "🙂", "a" * 2000, "évaluation " * 400, "\ud800évaluation", "AND évaluation OR",
    "NOT évaluation", "-évaluation", "évaluation -", "évaluation OR", "OR évaluation", "e*", "é*", "**",
])
def test_odd_inputs(ix, text):
    results = ix.search(SearchQuery(text=text))
    assert results.total >= 0
    assert len(results.query_text) <= 400


def test_a_long_query_is_cut_at_a_word(ix):
    results = ix.search(SearchQuery(text="évaluation " * 400))
    assert results.query_text == "évaluation"  # repeated words count once
    long = ix.search(SearchQuery(text=" ".join(f"mot{i}" for i in range(500))))
    assert long.total == 0 and len(long.query_text) <= 300


def test_field_syntax_is_read_as_words(ix):
    assert ix.search(SearchQuery(text="title:évaluation")).query_text == "title évaluation"
    assert ix.search(SearchQuery(text="évaluation")).total > 0


def test_operators_alone_find_nothing_rather_than_everything(ix):
    for text in ("AND", "OR NOT", "-", "*"):
        results = ix.search(SearchQuery(text=text))
        assert (results.total, results.approximate) == (0, False)
