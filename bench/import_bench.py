"""Benchmark of the organisation import (`observatoire import organisations --apply`), at 5k and 50k rows.

Run: ``.venv/bin/python bench/import_bench.py [--sizes 5000 50000]`` (``make bench-import``).
Each size writes a data·inclusion-style CSV (invented structures in random communes of the gazetteer, one in
three without coordinates, one in ten placed by postal code and name only) into a temporary instance, then
times: reading the file, the dry run, the import (one transaction per 500 rows, places resolved with the
gazetteer), the search index update that follows, and a second import of the same file (nothing changes).
Prints seconds, rows per second and each step's ratio to reading the file, measured in the same process.
Asserts nothing (the target: 50,000 rows in under 60 s, index included).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.map_bench import make_app, stderr  # noqa: E402
from kb import indexing  # noqa: E402
from kb.db import new_session  # noqa: E402
from kb.services import imports  # noqa: E402
from kb.tabular import read_table  # noqa: E402
from maps.gazetteer import Gazetteer  # noqa: E402

KINDS = ["CS", "CCAS", "ASSO", "MQ", "CHRS", "MUNI", "EVS", "PI"]
WORDS = ["Les Tilleuls", "Le Lien", "La Passerelle", "Les Amandiers", "L'Escale", "Le Phare", "La Ruche", "Horizon"]


def write_csv(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    communes = [c for c in Gazetteer.default() if c.lat is not None and c.postal_codes]
    lines = ["id;siret;nom;commune;code_postal;code_insee;adresse;latitude;longitude;typologie;telephone;source"]
    for n in range(count):
        c = rng.choice(communes)
        coords = ("", "") if n % 3 == 0 else (f"{c.lat + rng.uniform(-0.01, 0.01):.5f}",
                                             f"{c.lon + rng.uniform(-0.01, 0.01):.5f}")
        insee = "" if n % 10 == 0 else c.insee
        lines.append(f"b{n};;{rng.choice(['Centre social', 'Association', 'Maison'])} {rng.choice(WORDS)} {n};"
                     f"{c.name};{c.postal_codes[0]};{insee};{n % 90 + 1} rue de la Paix;{coords[0]};{coords[1]};"
                     f"{rng.choice(KINDS)};04 90 00 {n % 100:02d} {n % 97:02d};bench")
    path.write_text("\n".join(lines), encoding="utf-8")


def timed(step):
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def _run(app, table, mapping, dry: bool):
    with new_session(app) as session:
        def batch_done(done, total):
            if not dry:
                session.commit()  # one transaction per batch, as the command does

        report = imports.import_organisations(session, table, mapping, "bench", dry_run=dry, batch_done=batch_done)
        session.commit() if not dry else session.rollback()
    return report


def measure(count: int) -> None:
    """Print the figures of one size."""
    with tempfile.TemporaryDirectory() as tmp:
        stderr(f"Fichier de {count} lignes…")
        app = make_app(tmp, 0)
        path = Path(tmp) / "structures.csv"
        write_csv(path, count)
        base, table = timed(lambda: read_table(path.name, path.read_bytes()))
        mapping = imports.guess_mapping(table.columns)
        figures = [("lecture du fichier", base)]
        with app.app_context():
            figures.append(("essai (dry run)", timed(lambda: _run(app, table, mapping, True))[0]))
            seconds, report = timed(lambda: _run(app, table, mapping, False))
            figures.append(("import", seconds))
            figures.append(("mise à jour de l'index", timed(lambda: indexing.sync(app))[0]))
            figures.append(("nouvel import (inchangé)", timed(lambda: _run(app, table, mapping, False))[0]))
        for step, seconds in figures:
            print(f"{count:>8}  {step:<34}{seconds:>10.1f}{count / seconds:>10.0f}{seconds / base:>8.1f}", flush=True)
        total = figures[2][1] + figures[3][1]
        print(f"{count:>8}  {'import + index':<34}{total:>10.1f}{count / total:>10.0f}", flush=True)
        stderr(report.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    args = parser.parse_args()
    print(f"{'lignes':>8}  {'étape':<34}{'secondes':>10}{'lignes/s':>10}{'ratio':>8}")
    for count in args.sizes:
        measure(count)


if __name__ == "__main__":
    main()
