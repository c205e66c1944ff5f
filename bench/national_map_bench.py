"""Benchmark of the maps at national size: 100,000 organisations and 50,000 actions across France.

Run: ``.venv/bin/python bench/national_map_bench.py [--organisations 100000] [--actions 50000] [--repeat 15]``.
Places are drawn from the gazetteer's communes weighted by population (where structures are), around each
commune's centre. Through the app (test client, whole requests): ``/carte`` (actions, then with the
organisations), ``/carte/points`` at a national, a regional and a city view, ``/pairs`` at 50 km around
Marseille. The first request of a filter set builds its arrays (``kb/views/_mapdata.py``): reported apart, as
"froid". Then, on a real server, the time from navigation to the first markers in Debian's Chromium. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from map_bench import browser_time  # noqa: E402 - bench/ is the script's directory

from kb import create_app  # noqa: E402
from kb.db import get_engine, new_session, upgrade  # noqa: E402
from kb.models import Commune, FieldAction, Organisation  # noqa: E402
from kb.reference import ensure_units  # noqa: E402
from maps.gazetteer import Gazetteer  # noqa: E402

VIEWS = {"France (z6)": ("41.0,-5.5,51.5,10.0", 6), "Provence (z9)": ("43.0,4.2,44.3,6.2", 9),
         "Marseille (z13)": ("43.25,5.33,43.35,5.45", 13)}


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def insert(conn, table, rows, label: str, total: int) -> None:
    """Write rows 5,000 at a time, counting on stderr."""
    batch, done = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) == 5000:
            conn.execute(table.insert(), batch)
            done += len(batch)
            batch = []
            stderr(f"  {label} : {done}/{total}")
    if batch:
        conn.execute(table.insert(), batch)
        stderr(f"  {label} : {total}/{total}")


def fill(app, organisations: int, actions: int, seed: int = 11) -> None:
    """Communes, organisations and published actions, written with bulk statements (counts on stderr)."""
    rng = random.Random(seed)
    communes = [c for c in Gazetteer.default() if c.lat is not None and c.population and len(c.insee) == 5]
    chosen = rng.choices(communes, weights=[c.population for c in communes], k=organisations + actions)
    used = {c.insee: c for c in chosen}
    now = datetime.now(UTC)
    with get_engine(app).begin() as conn:
        known = set(conn.execute(Commune.__table__.select().with_only_columns(Commune.__table__.c.insee)).scalars())
        communes_rows = [{"insee": c.insee, "name": c.name, "departement": c.departement,
                          "postal_codes": " ".join(c.postal_codes), "latitude": c.lat, "longitude": c.lon,
                          "population": c.population} for c in used.values() if c.insee not in known]
        insert(conn, Commune.__table__, communes_rows, "communes", len(communes_rows))
        kinds = ["Centre social", "Association de quartier", "CCAS", "Maison des solidarités", "Foyer de jeunes"]
        insert(conn, Organisation.__table__, (
            {"name": f"{rng.choice(kinds)} {commune.name} {i}", "kind": "association", "commune_insee": commune.insee,
             "latitude": commune.lat + rng.uniform(-0.02, 0.02), "longitude": commune.lon + rng.uniform(-0.02, 0.02),
             "created_at": now, "updated_at": now} for i, commune in enumerate(chosen[:organisations])),
            "organisations", organisations)
        insert(conn, FieldAction.__table__, (
            {"title": f"Action collective n° {i} — atelier de quartier à {commune.name}",
             "summary": "Un groupe d'habitant·es.", "writeup": "", "mode": rng.choice(["groupe", "communautaire", "dsl"]),
             "commune_insee": commune.insee, "address": "", "latitude": commune.lat + rng.uniform(-0.02, 0.02),
             "longitude": commune.lon + rng.uniform(-0.02, 0.02),
             "location_precision": "commune" if i % 9 == 0 else "exacte", "start_date": date(2005 + i % 20, 1, 1),
             "status": "en_cours", "publication_status": "publiee", "created_at": now, "updated_at": now}
            for i, commune in enumerate(chosen[organisations:])), "actions", actions)


def timed(client, url: str, repeat: int) -> tuple[float, float, float, int]:
    """Cold time (the first request), median and p95 of the next ones (seconds), and the answer's size."""
    started = time.perf_counter()
    first = client.get(url)
    cold = time.perf_counter() - started
    assert first.status_code == 200, (url, first.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get(url)
        timings.append(time.perf_counter() - started)
    return cold, statistics.median(timings), statistics.quantiles(timings, n=20)[18], len(answer.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page after the first")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                          "INDEX_DIR": f"{tmp}/index", "SECRET_KEY": "bench",
                          "TILES_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"})
        with app.app_context():
            upgrade(app)
            with new_session(app) as session:
                ensure_units(session)
                session.commit()
        stderr(f"Données : {args.organisations} organisations, {args.actions} actions…")
        fill(app, args.organisations, args.actions)
        client = app.test_client()
        pages = {"/carte (actions)": "/carte", "/carte?orgs=1 (+ organisations)": "/carte?orgs=1"}
        pages.update({f"/carte/points {name}": f"/carte/points?orgs=1&bbox={box}&z={zoom}"
                      for name, (box, zoom) in VIEWS.items()})
        pages["/pairs 50 km autour de Marseille"] = "/pairs?lieu=13001&rayon=50"
        print(f"{args.organisations} organisations, {args.actions} actions ; {args.repeat} requêtes après la première")
        print(f"{'page':<40}{'froid':>9}{'médiane':>10}{'p95':>9}{'poids':>11}")
        for name, url in pages.items():
            stderr(f"  {name}…")
            cold, p50, p95, size = timed(client, url, args.repeat)
            print(f"{name:<40}{cold:>7.3f} s{p50:>8.3f} s{p95:>7.3f} s{size / 1e6:>8.3f} Mo")
        if not args.no_browser:
            stderr("Chromium…")
            for path in ("/carte", "/carte?orgs=1"):
                times = browser_time(app, path=path)
                print(f"premiers marqueurs dans Chromium, {path} : médiane {statistics.median(times):.2f} s "
                      f"(essais : {', '.join(f'{t:.2f}' for t in times)})")
        get_engine(app).dispose()


if __name__ == "__main__":
    main()
