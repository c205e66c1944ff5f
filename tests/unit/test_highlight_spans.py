"""The fast highlight scan marks exactly the words the full analysis would mark."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search_index.analysis import analyze, matching_spans, stem_spans

WORDS = ["évaluation", "évaluées", "ÉVALUER", "freins", "institutionnels", "loyers", "loi", "œuvre", "Œuvres", "oeuvre",
         "éducateur·rice", "éducatrices", "étudiant(e)s", "usager⸱ère⸱s", "l’accès", "d'accès", "CCAS", "PMI",
         "développement", "social", "locale", "familles", "Famille", "cœur", "sœurs", "ex-æquo", "jeunes", "quartier",
         "n°12", "2012", "Noël", "naïve", "Ÿ", "crayons", "pays", "paye"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
queries = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


def slow(text: str, terms: set[str]) -> list[tuple[int, int]]:
    return [(a, b) for a, b, stems in stem_spans(text) if not terms.isdisjoint(stems)]


@settings(max_examples=300, deadline=None)
@given(text=texts, query=queries)
def test_fast_scan_marks_the_same_words(text, query):
    terms = set(analyze(query))
    assert matching_spans(text, terms) == slow(text, terms)


def test_accents_ligatures_and_inclusive_forms_are_marked():
    text = "L’Œuvre des éducateur·rices et des ÉDUCATRICES ; loyers payés"
    marked = [text[a:b] for a, b in matching_spans(text, set(analyze("oeuvre éducatrice loyer")))]
    assert marked == ["Œuvre", "éducateur·rices", "ÉDUCATRICES", "loyers"]
