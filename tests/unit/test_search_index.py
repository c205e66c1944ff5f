"""SearchIndex on a real on-disk index: French matching, highlights, facets, filters, sorting, pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from search_index import SearchDoc, SearchIndex, SearchQuery, fold

TERRITORIES = ["Lille", "Roubaix", "Tourcoing"]


def corpus() -> list[SearchDoc]:
    """A small knowledge base: hand-written documents, then workshops for facets and paging."""
    docs = [
        SearchDoc(
            "action:1", "action", "Évaluations participatives du développement social local",
            "Les évaluations menées avec les habitants du QPV montrent les freins à l’accès aux droits. "
            "Les éducateur·rice·s du quartier animent les ateliers. <script>alert('x')</script>",
            territory="Roubaix", commune="Roubaix", mode="collectif", publics=["jeunes", "familles"],
            themes=["accès aux droits", "évaluation"], status="en cours", year=2023,
            date=dt.date(2023, 3, 1), stamp="2023-03-01T10:00:00",
        ),
        SearchDoc(
            "action:2", "action", "Atelier d'œuvre collective",
            "Une oeuvre commune réalisée avec le CCAS. Un frein levé : la mobilité. "
            "Les assistant·es sociales accompagnent le groupe.",
            territory="Lille", commune="Lille", mode="collectif", publics=["familles"], themes=["mobilité"],
            status="terminée", year=2024, date=dt.date(2024, 1, 15), stamp="2024-01-15T09:00:00",
        ),
        SearchDoc(
            "tool:3", "tool", "Guide d'evaluation confidentiel",
            "Grille pour le developpement social local, méthode confidentialissime de la direction.",
            territory="Lille", visibility="restricted", year=2022, date=dt.date(2022, 6, 1), stamp="s3",
        ),
        SearchDoc(
            "practitioner:4", "practitioner", "Éducatrice spécialisée",
            "Elle accompagne les usagers vers l'autonomie et coordonne les éducatrice·s de l'équipe.",
            extra="Marie Dupont, Centre social des Hauts", territory="Tourcoing", stamp="s4",
        ),
        SearchDoc(
            "organisation:5", "organisation", "Centre social des Hauts",
            "Accueil des usager⸱ère⸱s, permanences PMI et RSA, accès aux droits.",
            territory="Tourcoing", commune="Tourcoing", publics=["habitants"], themes=["accès aux droits"],
            year=2021, date=dt.date(2021, 9, 1), stamp="s5",
        ),
    ]
    for i in range(6, 36):
        docs.append(SearchDoc(
            f"action:{i}", "action", f"Atelier numérique {i}",
            f"Atelier de médiation numérique numéro {i} pour les habitants." + (" Mobilité." if i % 3 == 0 else ""),
            territory=TERRITORIES[i % 3], commune=TERRITORIES[i % 3], mode="collectif" if i % 2 else "individuel",
            publics=["habitants", "jeunes"] if i % 4 == 0 else ["habitants"], themes=["numérique"],
            year=2015 + i % 10, date=dt.date(2015 + i % 10, 1 + i % 12, 1) if i % 5 else None, stamp=f"s{i}",
        ))
    return docs


DOCS = corpus()
BY_ID = {d.doc_id: d for d in DOCS}
PUBLIC = {d.doc_id for d in DOCS if d.visibility == "public"}


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("index"))
    index.rebuild(DOCS)
    yield index
    index.close()


def ids(index: SearchIndex, text: str = "", **kwargs) -> list[str]:
    """Doc ids of every hit, all pages."""
    q = SearchQuery(text=text, per_page=100, **kwargs)
    return [h.doc_id for h in index.search(q).hits]


# French matching


@pytest.mark.parametrize(("query", "expected"), [
    ("évaluation", {"action:1"}),
    ("evaluations", {"action:1"}),
    ("ÉVALUATION", {"action:1"}),
    ("freins", {"action:1", "action:2"}),
    ("œuvre", {"action:2"}),
    ("oeuvre", {"action:2"}),
    ("l’accès", {"action:1", "organisation:5"}),
    ("acces", {"action:1", "organisation:5"}),
    ("éducatrice", {"action:1", "practitioner:4"}),
    ("éducateur", {"action:1", "practitioner:4"}),
    ("usagère", {"organisation:5"}),
    ("usagers", {"practitioner:4", "organisation:5"}),
    ("assistante", {"action:2"}),
    ("CCAS", {"action:2"}),
    ("ccas", {"action:2"}),
    ("QPV", {"action:1"}),
    ("PMI RSA", {"organisation:5"}),
    ("Dupont", {"practitioner:4"}),
])
def test_french_words_find_their_forms(ix, query, expected):
    assert set(ids(ix, query)) == expected


@pytest.mark.parametrize("phrase", ['"développement social local"', '"developpement social local"',
                                    "«\u00a0développement social local\u00a0»"])
def test_phrase_with_and_without_accents(ix, phrase):
    assert ids(ix, phrase) == ["action:1"]
    assert set(ids(ix, phrase, visibilities={"public", "restricted"})) == {"action:1", "tool:3"}


def test_phrase_needs_the_words_in_order(ix):
    assert ids(ix, '"local social développement"') == []
    assert ids(ix, "local social développement") == ["action:1"]


@pytest.mark.parametrize("prefix", ["évalu*", "evalu*", "évaluat*", "EVALUATIO*"])
def test_prefix_with_and_without_accents(ix, prefix):
    assert ids(ix, prefix) == ["action:1"]


def test_or_and_exclusion(ix):
    assert set(ids(ix, "CCAS OU QPV")) == {"action:1", "action:2"}
    assert set(ids(ix, "CCAS OR QPV")) == {"action:1", "action:2"}
    assert "action:2" not in ids(ix, "mobilité -CCAS")
    assert "action:2" not in ids(ix, "mobilité SAUF CCAS")


def test_title_matches_rank_above_body_matches(tmp_path):
    with SearchIndex(tmp_path) as index:
        # Same words, same lengths: only where "potager" stands differs.
        index.rebuild([
            SearchDoc("action:1", "action", "Réunion des voisins", "Un potager au pied des tours, ouvert le samedi."),
            SearchDoc("action:2", "action", "Potager des voisins", "Une réunion au pied des tours, ouverte le samedi."),
        ])
        hits = index.search(SearchQuery(text="potager")).hits
        assert [hit.doc_id for hit in hits] == ["action:2", "action:1"]
        assert hits[0].score > hits[1].score


def test_one_searcher_serves_every_search_until_a_commit(tmp_path):
    with SearchIndex(tmp_path) as ix:
        ix.rebuild(DOCS)
        ix.search(SearchQuery(text="atelier"))
        searcher = ix._searcher
        ix.search(SearchQuery(text="mobilité"))
        assert ix._searcher is searcher
        ix.apply([SearchDoc("action:777", "action", "Nouveau", "Une vélo-école.")], [])
        assert ix.search(SearchQuery(text="vélo-école")).total == 1
        assert ix._searcher is not searcher


# Highlights


def test_highlight_marks_matched_words_and_escapes_the_rest(ix):
    hit = ix.search(SearchQuery(text="alert")).hits[0]
    assert "<mark>alert</mark>" in hit.highlight
    assert "<script>" not in hit.highlight
    assert "&lt;script&gt;" in hit.highlight
    hit = ix.search(SearchQuery(text="évaluation")).hits[0]
    assert "<mark>évaluations</mark>" in hit.highlight


def test_highlight_of_inclusive_form(ix):
    hit = ix.search(SearchQuery(text="éducatrices")).hits
    assert any("<mark>éducateur·rice·s</mark>" in h.highlight for h in hit)


def test_browse_shows_an_escaped_excerpt(ix):
    hit = next(h for h in ix.search(SearchQuery(per_page=100)).hits if h.doc_id == "action:1")
    assert hit.highlight.startswith("Les évaluations") and "<mark>" not in hit.highlight


# Facets, filters, sorting, pages


def expected_facets(doc_ids) -> dict[str, Counter]:
    counts: dict[str, Counter] = {name: Counter() for name in ("kind", "territory", "publics", "year")}
    for doc in (BY_ID[i] for i in doc_ids):
        counts["kind"][doc.kind] += 1
        if doc.territory:
            counts["territory"][doc.territory] += 1
        counts["publics"].update(doc.publics)
        if doc.year:
            counts["year"][str(doc.year)] += 1
    return counts


@pytest.mark.parametrize("text", ["", "atelier", "habitants", "accès"])
def test_facet_counts_cover_the_whole_matching_set(ix, text):
    results = ix.search(SearchQuery(text=text, per_page=5))
    matched = ids(ix, text)
    assert results.total == len(matched) and len(results.hits) <= 5
    for name, counts in expected_facets(matched).items():
        assert dict(results.facets[name]) == dict(counts), name


def test_browse_counts_every_public_document(ix):
    results = ix.search(SearchQuery())
    assert results.total == len(PUBLIC)
    assert sum(n for _, n in results.facets["kind"]) == len(PUBLIC)


def test_filters_combine_with_text(ix):
    found = ids(ix, "atelier", filters={"territory": ["Lille"], "mode": ["collectif"]})
    expected = {d.doc_id for d in DOCS if d.doc_id in ids(ix, "atelier")
                and d.territory == "Lille" and d.mode == "collectif"}
    assert found and set(found) == expected


def test_filter_values_are_ored_within_a_field_and_anded_across(ix):
    found = set(ids(ix, filters={"territory": ["Lille", "Roubaix"], "publics": ["jeunes"]}))
    expected = {d.doc_id for d in DOCS if d.doc_id in PUBLIC
                and d.territory in ("Lille", "Roubaix") and "jeunes" in d.publics}
    assert found == expected and found


def test_kind_filter(ix):
    assert ids(ix, "social", filters={"kind": ["organisation", "practitioner"]}) != []
    assert all(BY_ID[i].kind in ("organisation", "practitioner")
               for i in ids(ix, "social", filters={"kind": ["organisation", "practitioner"]}))


def test_date_sort_newest_first_undated_last(ix):
    hits = ix.search(SearchQuery(text="atelier", sort="date", per_page=100)).hits
    dates = [h.date for h in hits]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated):] == [None] * (len(dates) - len(dated))


def test_empty_text_browses_by_date(ix):
    newest = max((d for d in DOCS if d.doc_id in PUBLIC and d.date), key=lambda d: d.date)
    assert ix.search(SearchQuery(per_page=3)).hits[0].doc_id == newest.doc_id


@pytest.mark.parametrize("per_page", [4, 100])
def test_browse_pages_run_newest_first_then_undated(ix, per_page):
    hits = [h for page in range(1, 40 // per_page + 2)
            for h in ix.search(SearchQuery(per_page=per_page, page=page)).hits]
    assert sorted(h.doc_id for h in hits) == sorted(PUBLIC)
    dated = [h.date for h in hits if h.date]
    assert dated == sorted(dated, reverse=True)
    assert all(h.date is None for h in hits[len(dated):])


def test_browse_by_title(ix):
    titles = [h.title for h in ix.search(SearchQuery(sort="title", per_page=100)).hits]
    assert titles == sorted(titles, key=fold) and len(titles) == len(PUBLIC)


def test_pages_partition_the_results(ix):
    seen = []
    total = ix.search(SearchQuery(text="atelier", per_page=7)).total
    for page in range(1, total // 7 + 2):
        results = ix.search(SearchQuery(text="atelier", per_page=7, page=page))
        assert results.total == total and results.pages == -(-total // 7)
        seen += [h.doc_id for h in results.hits]
    assert len(seen) == total == len(set(seen))
    assert ix.search(SearchQuery(text="atelier", per_page=7, page=99)).hits == []


# Approximate results and suggestions


def test_one_unknown_word_gives_approximate_results(ix):
    results = ix.search(SearchQuery(text="évaluation zorglub"))
    assert results.approximate is True
    assert results.unmatched_terms == ["zorglub"]
    assert [h.doc_id for h in results.hits] == ["action:1"]


def test_documents_with_most_words_come_first(ix):
    results = ix.search(SearchQuery(text="atelier médiation mobilité zorglub"))
    assert results.approximate is True
    assert all("Mobilité" in BY_ID[h.doc_id].body for h in results.hits)


def test_nonsense_finds_nothing_not_even_approximately(ix):
    results = ix.search(SearchQuery(text="zorglub blurpf"))
    assert (results.total, results.approximate, results.hits) == (0, False, [])
    assert results.unmatched_terms == ["zorglub", "blurpf"]


def test_misspelling_gets_a_suggestion(ix):
    results = ix.search(SearchQuery(text="evaluaton"))
    assert results.total == 0
    assert results.suggestion is not None and "evaluation" in results.suggestion
    assert ix.search(SearchQuery(text=results.suggestion)).total > 0


def test_suggestion_never_reveals_restricted_words(ix):
    assert ix.search(SearchQuery(text="confidentialisime")).suggestion is None
    restricted = ix.search(SearchQuery(text="confidentialisime", visibilities={"public", "restricted"}))
    assert restricted.suggestion == "confidentialissime"


# Visibility and similar documents


def test_restricted_documents_only_when_asked(ix):
    assert "tool:3" not in ids(ix, "guide")
    assert ids(ix, "guide", visibilities={"public", "restricted"}) == ["tool:3"]
    assert ix.search(SearchQuery(text="guide", visibilities=set())).total == 0


def test_more_like_this(ix):
    similar = [h.doc_id for h in ix.more_like_this("action:10", limit=5)]
    assert similar and "action:10" not in similar
    assert all(BY_ID[i].title.startswith("Atelier numérique") for i in similar)
    assert "tool:3" not in [h.doc_id for h in ix.more_like_this("action:1", limit=30)]
    assert ix.more_like_this("tool:3") == []  # a restricted document has no public neighbours page
    assert ix.more_like_this("action:404") == []


def test_stamps_and_count(ix):
    assert ix.stamps() == {d.doc_id: d.stamp for d in DOCS}
    assert ix.doc_count() == len(DOCS)
