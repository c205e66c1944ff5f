"""Benchmark of the project's search against SQL LIKE and SQLite FTS5 over the same rows.

Run: ``.venv/bin/python bench/search_bench.py [--docs 10000] [--repeat 15]`` (``--docs 100000`` for
the large case). It builds a temporary database with the demo data plus synthetic actions whose
write-ups are sentences drawn from the demo write-ups (real French, ~600 words each), rebuilds the
index through the app's own mapping (``kb.indexing.rebuild``), then times 1-word, 2-word, phrase
and faceted queries through the search service (highlights and facets on) and the same queries
through ``LIKE`` and FTS5, printing medians, p95 and ratios. Prints figures; asserts nothing.

"warm" runs find the query's postings decoded in the index's cache (a word searched since its
segment was written); "cold" runs drop every decoded array first, then prepare the index as a
worker does before its first request (``SearchIndex.warm``, untimed, its own time printed apart):
the first search of these words after a restart.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlmodel import select  # noqa: E402

from kb import create_app, indexing  # noqa: E402
from kb.db import get_engine, new_session, upgrade  # noqa: E402
from kb.demo import generate  # noqa: E402
from kb.forms.search import SearchForm  # noqa: E402
from kb.models import FieldAction, Territory  # noqa: E402
from kb.policy import ANONYMOUS  # noqa: E402
from kb.services.search import run_search  # noqa: E402

QUERIES = {
    "1 mot": [("évaluation", {}), ("familles", {}), ("logement", {}), ("isolement", {}), ("bénévoles", {})],
    "2 mots": [("freins institutionnels", {}), ("accès droits", {}), ("pouvoir agir", {}),
               ("jeunes quartier", {}), ("santé mentale", {})],
    "expression": [('"développement social local"', {}), ('"accès aux droits"', {}), ('"travail social"', {}),
                   ('"pouvoir d\'agir"', {})],
    "facettes": [("familles", {"mode": ["dsl"]}), ("logement", {"territory": ["marseille"]}),
                 ("évaluation", {"mode": ["groupe"], "territory": ["avignon"]}), ("jeunes", {"year": ["2016"]})],
}
SQL_COLUMNS = {"mode": "mode", "year": "strftime('%Y', start_date)"}


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(app, count: int, seed: int = 7) -> int:
    """Demo data, then synthetic published actions written with the demo's own sentences."""
    with new_session(app) as session:
        generate(session)
        session.commit()
        actions = list(session.exec(select(FieldAction)))
        territories = {t.slug: t.id for t in session.exec(select(Territory))}
    sentences = sorted({s.strip() for a in actions for s in re.split(r"(?<=[.!?])\s+", a.writeup) if len(s) > 40})
    titles = [a.title for a in actions]
    communes = sorted({(a.commune_insee, a.territory_id) for a in actions if a.commune_insee})
    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows = []
    for i in range(count - len(actions)):
        insee, territory = rng.choice(communes)
        rows.append({
            "title": f"{rng.choice(titles)} ({i})", "summary": " ".join(rng.sample(sentences, 2)),
            "writeup": "\n\n".join(" ".join(rng.sample(sentences, 6)) for _ in range(5)),
            "mode": rng.choice(["groupe", "communautaire", "dsl"]), "territory_id": territory or territories["arles"],
            "commune_insee": insee, "address": "", "location_precision": "exacte",
            "start_date": date(2005 + i % 20, 1 + i % 12, 1 + i % 28), "status": "en_cours",
            "publication_status": "publiee" if i % 10 else "brouillon", "created_at": now, "updated_at": now,
        })
    with get_engine(app).begin() as conn:
        for start in range(0, len(rows), 2000):
            conn.execute(FieldAction.__table__.insert(), rows[start:start + 2000])
            stderr(f"  actions synthétiques : {min(start + 2000, len(rows))}/{len(rows)}")
    return len(actions) + len(rows)


def timed(function, repeat: int, before=None) -> list[float]:
    function()  # warm-up: caches, searcher, page cache
    out = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        function()
        out.append(time.perf_counter() - started)
    return out


def summary(timings: list[float]) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds."""
    return statistics.median(timings) * 1000, statistics.quantiles(timings, n=20)[18] * 1000


def like_search(conn, query: str, filters: dict) -> None:
    """The naive baseline: LIKE on title, summary and write-up, count, facets and a first page."""
    words = [w.strip('"') for w in re.findall(r'"[^"]+"|\S+', query)]
    clauses, params = ["publication_status IN ('publiee', 'archivee')"], {}
    for n, word in enumerate(words):
        params[f"w{n}"] = f"%{word}%"
        clauses.append(f"(title LIKE :w{n} OR summary LIKE :w{n} OR writeup LIKE :w{n})")
    for name, values in filters.items():
        column = SQL_COLUMNS.get(name, "(SELECT slug FROM territory WHERE territory.id = territory_id)")
        clauses.append(f"{column} = :f_{name}")
        params[f"f_{name}"] = values[0]
    where = " AND ".join(clauses)
    conn.execute(text(f"SELECT count(*) FROM field_action WHERE {where}"), params).all()
    conn.execute(text(f"SELECT mode, count(*) FROM field_action WHERE {where} GROUP BY mode"), params).all()
    conn.execute(text(f"SELECT id, title, substr(writeup, 1, 200) FROM field_action WHERE {where} "
                      "ORDER BY start_date DESC LIMIT 20"), params).all()


def fts_search(conn, query: str, filters: dict) -> None:
    """FTS5 (unicode61, accents removed, no stemming): count, facets and a ranked first page."""
    match = " ".join(w if w.startswith('"') else f'"{w}"' for w in re.findall(r'"[^"]+"|\S+', query))
    clauses, params = ["action_fts MATCH :q", "publication_status IN ('publiee', 'archivee')"], {"q": match}
    for name, values in filters.items():
        column = SQL_COLUMNS.get(name, "(SELECT slug FROM territory WHERE territory.id = territory_id)")
        clauses.append(f"{column} = :f_{name}")
        params[f"f_{name}"] = values[0]
    where = " AND ".join(clauses)
    source = "action_fts JOIN field_action ON field_action.id = action_fts.rowid"
    conn.execute(text(f"SELECT count(*) FROM {source} WHERE {where}"), params).all()
    conn.execute(text(f"SELECT mode, count(*) FROM {source} WHERE {where} GROUP BY mode"), params).all()
    conn.execute(text(f"SELECT field_action.id, field_action.title, snippet(action_fts, 1, '<mark>', '</mark>', '…', 20) "
                      f"FROM {source} WHERE {where} ORDER BY bm25(action_fts) LIMIT 20"), params).all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="number of actions (default 10000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each query (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                          "INDEX_DIR": f"{tmp}/index", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade(app)
            stderr(f"Remplissage de la base ({args.docs} actions)…")
            started = time.perf_counter()
            total = fill(app, args.docs)
            stderr(f"  base remplie en {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            documents = indexing.rebuild(app, progress=lambda n, t: stderr(f"  indexation : {n}/{t}")
                                         if n % 2000 == 0 else None)
            build = time.perf_counter() - started
            index = indexing.get_index(app)
            size = sum(f.stat().st_size for f in Path(f"{tmp}/index").rglob("*") if f.is_file()) / 1e6
            with get_engine(app).begin() as conn:
                started = time.perf_counter()
                conn.execute(text("CREATE VIRTUAL TABLE action_fts USING fts5(title, body, "
                                  "tokenize='unicode61 remove_diacritics 2')"))
                conn.execute(text("INSERT INTO action_fts(rowid, title, body) "
                                  "SELECT id, title, summary || ' ' || writeup FROM field_action"))
                fts_build = time.perf_counter() - started
            print(f"\n{total} actions, {documents} documents indexés ; index {size:.0f} Mo")
            print(f"construction : index {build:.1f} s (lecture de la base et mise en forme comprises), "
                  f"FTS5 {fts_build:.1f} s")
            warming = timed(index.warm, args.repeat, before=index.drop_caches)
            print(f"préparation d'un processus (SearchIndex.warm : facettes, longueurs, dates) : "
                  f"{summary(warming)[0]:.1f} ms (p50)")
            print(f"\n{'requêtes':<12}{'index p50':>11}{'p95':>9}{'froid p50':>11}{'p95':>9}{'LIKE p50':>10}"
                  f"{'FTS5 p50':>10}{'LIKE/index':>12}{'LIKE/froid':>12}{'FTS5/index':>12}")
            with get_engine(app).connect() as conn:
                for label, queries in QUERIES.items():
                    ours, cold, like, fts = [], [], [], []
                    for query, filters in queries:
                        form = SearchForm(text=query, filters=filters)
                        ours += timed(lambda f=form: run_search(index, f, ANONYMOUS), args.repeat)
                        cold += timed(lambda f=form: run_search(index, f, ANONYMOUS), args.repeat,
                                      before=lambda: (index.drop_caches(), index.warm()))
                        like += timed(lambda q=query, f=filters: like_search(conn, q, f), max(3, args.repeat // 3))
                        fts += timed(lambda q=query, f=filters: fts_search(conn, q, f), args.repeat)
                    (o50, o95), (c50, c95) = summary(ours), summary(cold)
                    (l50, _), (f50, _) = summary(like), summary(fts)
                    print(f"{label:<12}{o50:>9.1f}ms{o95:>7.1f}ms{c50:>9.1f}ms{c95:>7.1f}ms{l50:>8.1f}ms{f50:>8.1f}ms"
                          f"{l50 / o50:>11.1f}x{l50 / c50:>11.1f}x{f50 / o50:>11.2f}x")
            indexing.close_index(app)
            get_engine(app).dispose()
    print("\nLIKE ne trouve ni les formes fléchies ni les mots sans accents ; FTS5 (unicode61) ignore les "
          "accents mais ne lemmatise pas : « frein » ne trouve pas « freins ».")


if __name__ == "__main__":
    main()
