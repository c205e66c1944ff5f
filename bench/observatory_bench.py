"""Benchmark of the observatory's dashboard (/observatoire/) beside the action list (/actions/), at 10k and 100k.

Run: ``.venv/bin/python bench/observatory_bench.py [--sizes 10000 100000] [--repeat 7]`` (``make bench-observatory``).
Each size gets a temporary SQLite database of published actions (bench/map_bench.py's), each with 2 to 5
barriers, 2 to 4 effects and 1 to 3 publics and themes; both pages are rendered through the app (test
client: the whole request, queries, charts and template). Prints median and p95 server time, page weight
and the dashboard/list ratio measured in the same process; asserts nothing (the target: under 0.5 s at 10k).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bench.map_bench import make_app, stderr  # noqa: E402
from kb.db import get_engine  # noqa: E402
from kb.models import ActionTag, Barrier, Effect, FieldAction, Tag, choices  # noqa: E402

PUBLICS = ["Familles", "Jeunes de 16 à 25 ans", "Personnes âgées", "Allocataires du RSA", "Femmes isolées",
           "Habitants d'un quartier prioritaire", "Gens du voyage", "Demandeurs d'asile"]
THEMES = ["Accès aux droits", "Logement", "Santé", "Insertion professionnelle", "Lien social", "Évaluation",
          "Mobilité", "Numérique", "Citoyenneté", "Parentalité"]


def findings(app, seed: int = 11) -> None:
    """Barriers, effects and tags for every action, inserted in batches."""
    rng = random.Random(seed)
    with get_engine(app).begin() as conn:
        ids = list(conn.execute(select(FieldAction.id)).scalars())
        tags = []
        for kind, names in (("public", PUBLICS), ("theme", THEMES)):
            for name in names:
                slug = name.lower().replace(" ", "-").replace("'", "-")
                tag_id = conn.execute(Tag.__table__.insert().values(kind=kind, name=name, slug=slug)).inserted_primary_key[0]
                tags.append((kind, tag_id))
        barriers, effects, links = [], [], []
        for action_id in ids:
            barriers += [{"action_id": action_id, "kind": rng.choice(list(choices.BARRIER_KINDS)),
                          "actor_category": rng.choice(list(choices.ACTOR_CATEGORIES)),
                          "description": "Le temps collectif n'est pas compté dans la charge de travail."}
                         for _ in range(rng.randint(2, 5))]
            effects += [{"action_id": action_id, "dimension": rng.choice(list(choices.EFFECT_DIMENSIONS)),
                         "description": "Les participant·es s'entraident hors de l'atelier.", "indicator": "",
                         "evidence_kind": rng.choice(["", *choices.EVIDENCE_KINDS]), "observer": ""}
                        for _ in range(rng.randint(2, 4))]
            chosen = set(rng.sample(tags, rng.randint(2, 6)))
            links += [{"action_id": action_id, "tag_id": tag_id} for _, tag_id in chosen]
        for table, rows in ((Barrier.__table__, barriers), (Effect.__table__, effects), (ActionTag.__table__, links)):
            for start in range(0, len(rows), 5000):
                conn.execute(table.insert(), rows[start:start + 5000])


def timed(client, path: str, repeat: int) -> tuple[float, float, int]:
    """Median and p95 (seconds) of the whole request, and the page weight in bytes."""
    size = len(client.get(path).data)  # warm-up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) >= 2 else timings[0]
    return statistics.median(timings), p95, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page and size (default 7)")
    args = parser.parse_args()
    print(f"{'actions':>8}  {'page':<30}{'p50 (ms)':>10}{'p95 (ms)':>10}{'poids (ko)':>12}{'ratio':>8}")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            stderr(f"Base de {count} actions…")
            app = make_app(tmp, count)
            findings(app)
            client = app.test_client()
            stderr("Mesures…")
            base = timed(client, "/actions/", args.repeat)
            for path in ("/actions/", "/observatoire/", "/observatoire/comparaison", "/observatoire/freins",
                         "/observatoire/?territory=arles&mode=dsl"):
                p50, p95, size = base if path == "/actions/" else timed(client, path, args.repeat)
                print(f"{count:>8}  {path:<30}{p50 * 1000:>10.0f}{p95 * 1000:>10.0f}{size / 1024:>12.0f}"
                      f"{p50 / base[0]:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
