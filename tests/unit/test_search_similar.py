"""Similar documents: the fast path ranks exactly as whoosh's own more-like-this."""

from __future__ import annotations

import random

from search_index import SearchDoc, SearchIndex, SearchQuery

VOCABULARY = ("jardin partagé habitants quartier familles jeunes insertion emploi évaluation freins institutionnels "
              "développement social local atelier cuisine santé parents école médiation logement bailleur mobilité "
              "accès aux droits numérique seniors isolement collectif groupe animation centre social ccas mairie "
              "projet partenaires financement bénévoles entraide solidarité culture sport théâtre écriture")
WORDS = VOCABULARY.split()


def writeup(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 120))) + "."


def test_the_fast_similar_documents_are_whooshs_own_in_the_same_order(tmp_path):
    rng = random.Random(2012)
    index = SearchIndex(tmp_path)
    for batch in range(4):  # several segments, with deleted and replaced documents in them
        docs = [SearchDoc(f"action:{n}", "action", f"Action {n} {rng.choice(WORDS)}", writeup(rng))
                for n in range(batch * 60, batch * 60 + 80)]
        index.apply(docs, [f"action:{n}" for n in range(batch * 60, batch * 60 + 80, 7)])
    assert index.search(SearchQuery(text="jardin")).total > 0  # opens the searcher and runs the self-check
    assert index.fallback == []
    whoosh_only = SearchIndex(tmp_path)
    whoosh_only.search(SearchQuery(text="jardin"))
    whoosh_only.fallback = ["forced by the test"]
    compared = 0
    for n in range(0, 260, 3):
        fast = index.more_like_this(f"action:{n}", limit=8)
        slow = whoosh_only.more_like_this(f"action:{n}", limit=8)
        assert [h.doc_id for h in fast] == [h.doc_id for h in slow], n
        assert all(abs(a.score - b.score) <= 1e-9 * max(1.0, b.score) for a, b in zip(fast, slow, strict=True))
        compared += bool(slow)
    assert compared > 60
