"""Benchmark of the search engine: rebuild time for N synthetic French documents, query latencies.

Run: ``.venv/bin/python bench/search_engine_bench.py [N] [WORDS_PER_DOC]`` (defaults 10000, 600).
Prints figures; times nothing as a test.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search_index import SearchDoc, SearchIndex, SearchQuery  # noqa: E402

ROOTS = [
    "développ", "accompagn", "évalu", "particip", "anim", "organis", "form", "inform", "médi",
    "coordin", "mobilis", "acquis", "insert", "réalis", "financ", "mutualis", "expériment",
    "institu", "transform", "préven", "protect", "orient", "access", "soutien", "partenar",
    "territor", "collect", "social", "commun", "famil", "parent", "éduc", "santé", "logement",
    "emploi", "numér", "précar", "isol", "habit", "quart", "jeun", "âg", "handicap", "alimentat",
    "mobil", "cultur", "sport", "loisir", "citoyen", "bénévol", "associat", "municip", "départ",
    "région", "dispos", "atelier", "réunion", "diagnostic", "enquête", "entretien", "questionn",
    "pouvoir", "agir", "droit", "frein", "levier", "besoin", "ressourc", "réseau", "projet",
    "action", "pratiqu"
]
SUFFIXES = ["ement", "ements", "ation", "ations", "er", "é", "ée", "és", "eur", "rice", "ité", "ités",
            "ique", "iques", "if", "ive", "ifs", "al", "aux", "e", "es", "s", ""]
STOPS = [
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "à", "en", "pour", "avec", "dans",
    "sur", "par", "au", "aux", "que", "qui", "est", "sont", "a", "été"
]
TERRITORIES = ["Nord", "Pas-de-Calais", "Somme", "Aisne", "Oise"]
PUBLICS = ["jeunes", "familles", "personnes âgées", "habitants", "bénévoles", "professionnels"]
THEMES = ["accès aux droits", "logement", "santé", "emploi", "numérique", "mobilité", "parentalité"]


def make_docs(count: int, words: int, seed: int = 7) -> list[SearchDoc]:
    """Synthetic documents with a realistic vocabulary size (about 2,000 word forms)."""
    rng = random.Random(seed)
    vocab = [root + suffix for root in ROOTS for suffix in SUFFIXES]

    def text(n: int) -> str:
        return " ".join(rng.choice(vocab) if rng.random() < 0.65 else rng.choice(STOPS) for _ in range(n))

    return [
        SearchDoc(
            doc_id=f"action:{i}", kind=rng.choice(["action", "tool", "practitioner", "organisation"]),
            title=text(8), body=text(words), extra=text(6), url=f"/actions/{i}",
            territory=rng.choice(TERRITORIES), commune=f"Commune {rng.randrange(60)}",
            mode=rng.choice(["collectif", "individuel", "mixte"]),
            publics=rng.sample(PUBLICS, 2), themes=rng.sample(THEMES, 2),
            status=rng.choice(["en cours", "terminée"]), year=2015 + i % 10,
            date=dt.date(2015 + i % 10, 1 + i % 12, 1 + i % 28),
            visibility="restricted" if i % 10 == 0 else "public", stamp=f"2024-01-01T00:00:{i % 60:02d}",
        )
        for i in range(count)
    ]


def percentiles(timings: list[float]) -> str:
    """p50 and p95 in milliseconds."""
    cuts = statistics.quantiles(timings, n=20)
    return f"p50 {statistics.median(timings) * 1000:6.1f} ms   p95 {cuts[18] * 1000:6.1f} ms"


def main() -> None:
    """Build an index and time queries on it."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    words = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    docs = make_docs(count, words)
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index")
        started = time.perf_counter()
        index.rebuild(docs)
        print(f"rebuild: {count} documents of {words} words in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        index.search(SearchQuery(text="évaluation"))
        print(f"first search (opens the searcher): {(time.perf_counter() - started) * 1000:.0f} ms")
        rng = random.Random(3)
        cases = {
            "1 word": lambda: rng.choice(ROOTS) + "ation",
            "2 words": lambda: f"{rng.choice(ROOTS)}ement {rng.choice(ROOTS)}al",
            "phrase": lambda: f'"{rng.choice(ROOTS)}er {rng.choice(ROOTS)}é"',
            "faceted": lambda: rng.choice(ROOTS) + "ités",
        }
        for name, make in cases.items():
            timings = []
            for _ in range(60):
                filters = {"territory": [rng.choice(TERRITORIES)], "themes": [rng.choice(THEMES)]}
                q = SearchQuery(text=make(), filters=filters if name == "faceted" else {})
                started = time.perf_counter()
                results = index.search(q)
                timings.append(time.perf_counter() - started)
            print(f"{name:8} {percentiles(timings)}   (last: {results.total} hits)")
        for name, q in {
            "browse": SearchQuery(),
            "approx.": SearchQuery(text="développement accompagnement zorglub"),
            "typo": SearchQuery(text="accompagnment"),
            "prefixes": SearchQuery(text="acc* dév* éva* par* soc* com* inf* zorglub"),
            "12 words": SearchQuery(text=" ".join(r + "ation" for r in ROOTS[:11]) + " zorglub"),
        }.items():
            timings = []
            for _ in range(10):
                started = time.perf_counter()
                results = index.search(q)
                timings.append(time.perf_counter() - started)
            print(f"{name:8} {percentiles(timings)}   (last: {results.total} hits)")
        index.close()


if __name__ == "__main__":
    main()
