"""Benchmark of the organisation import (`observatoire import organisations --apply`), at 5k and 50k rows.

Run: ``.venv/bin/python bench/import_bench.py [--sizes 5000 50000]`` (``make bench-import``).
Each size writes a data·inclusion-style CSV (invented structures in communes of the gazetteer drawn by population,
named from a shared vocabulary, one in three without coordinates, one in ten placed by postal code and name only;
an earlier version drew communes uniformly and numbered every name, which made most words unique) then
times: reading the file, the dry run, the import alone (one transaction per 500 rows, places resolved with the
gazetteer), the search index update after it, a second import of the same file (nothing changes), and, in a
fresh instance, the import as the command runs it (the index follows each batch in a second process).
Prints seconds, rows per second and each step's ratio to reading the file, measured in the same process.
Asserts nothing (the target: 50,000 rows in under 60 s, index included: the last line).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.map_bench import make_app, stderr  # noqa: E402
from kb import indexing  # noqa: E402
from kb.db import new_session  # noqa: E402
from kb.services import imports  # noqa: E402
from kb.tabular import read_table  # noqa: E402
from maps.gazetteer import Gazetteer  # noqa: E402

KINDS = ["CS", "CCAS", "ASSO", "MQ", "CHRS", "MUNI", "EVS", "PI"]
# Names as national files hold them: a kind of structure, then a name or the commune's (CCAS de …).
PREFIXES = ["Centre social", "Association", "Maison de quartier", "Espace de vie sociale", "Point d'accueil",
            "Épicerie solidaire", "Foyer", "Régie de quartier", "Jardin partagé", "Résidence sociale",
            "Atelier chantier d'insertion", "Maison des solidarités"]
NAMES = ["Les Tilleuls", "Le Lien", "La Passerelle", "Les Amandiers", "L'Escale", "Le Phare", "La Ruche", "Horizon",
         "Jean Moulin", "Louise Michel", "Les Oliviers", "Le Trait d'union", "La Source", "Les Cigales", "Le Relais",
         "Saint-Exupéry", "Les Lauriers", "La Bastide", "Solidarité", "Entraide", "Le Pont", "La Boussole",
         "Les Platanes", "Lucie Aubrac", "Victor Hugo", "Les Genêts", "Le Moulin", "La Maison bleue", "Arc-en-ciel",
         "Pierre Brossolette", "Les Chênes", "Les Lilas", "La Fontaine", "Le Village", "Les Capucins", "Val fleuri"]
PUBLIC = ["CCAS de", "France services de", "Mission locale de", "Maison des solidarités de", "Centre social de"]


def write_csv(path: Path, count: int, seed: int = 7) -> None:
    """Structures where people live (communes drawn by population), one in three without coordinates, one in
    ten placed by postal code and name only; names from a shared vocabulary, as real files have them."""
    rng = random.Random(seed)
    communes = [c for c in Gazetteer.default() if c.lat is not None and c.postal_codes and c.population
                and not c.is_arrondissement]
    weights = [c.population for c in communes]
    lines = ["id;siret;nom;commune;code_postal;code_insee;adresse;latitude;longitude;typologie;telephone;source"]
    for n, c in enumerate(rng.choices(communes, weights=weights, k=count)):
        coords = ("", "") if n % 3 == 0 else (f"{c.lat + rng.uniform(-0.01, 0.01):.5f}",
                                             f"{c.lon + rng.uniform(-0.01, 0.01):.5f}")
        insee = "" if n % 10 == 0 else c.insee
        name = f"{rng.choice(PUBLIC)} {c.name}" if n % 5 == 0 else f"{rng.choice(PREFIXES)} {rng.choice(NAMES)}"
        lines.append(f"b{n};;{name};{c.name};{c.postal_codes[0]};{insee};{n % 90 + 1} rue de la Paix;"
                     f"{coords[0]};{coords[1]};{rng.choice(KINDS)};04 90 00 {n % 100:02d} {n % 97:02d};bench")
    path.write_text("\n".join(lines), encoding="utf-8")


def timed(step):
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def _run(app, table, mapping, dry: bool, follow: bool = False):
    with indexing.following(app) if follow else nullcontext(), new_session(app) as session:
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
        path = Path(tmp) / "structures.csv"
        write_csv(path, count)
        base, table = timed(lambda: read_table(path.name, path.read_bytes()))
        mapping = imports.guess_mapping(table.columns)
        figures = [("lecture du fichier", base)]
        (Path(tmp) / "a").mkdir()
        (Path(tmp) / "b").mkdir()
        app = make_app(str(Path(tmp) / "a"), 0)
        with app.app_context():
            figures.append(("essai (dry run)", timed(lambda: _run(app, table, mapping, True))[0]))
            seconds, report = timed(lambda: _run(app, table, mapping, False))
            figures.append(("import seul", seconds))
            figures.append(("index ensuite", timed(lambda: indexing.sync(app, indexing.BULK_DRAIN_BATCH))[0]))
            figures.append(("nouvel import (inchangé)", timed(lambda: _run(app, table, mapping, False))[0]))
        # What `observatoire import organisations --apply` does: a second process indexes each committed batch.
        app = make_app(str(Path(tmp) / "b"), 0)
        with app.app_context():
            figures.append(("import + index (commande)", timed(lambda: _run(app, table, mapping, False, True))[0]))
            indexed = indexing.get_index(app).doc_count()
        for step, seconds in figures:
            print(f"{count:>8}  {step:<34}{seconds:>10.1f}{count / seconds:>10.0f}{seconds / base:>8.1f}", flush=True)
        stderr(report.summary() + f" Documents dans l'index : {indexed}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    args = parser.parse_args()
    print(f"{'lignes':>8}  {'étape':<34}{'secondes':>10}{'lignes/s':>10}{'ratio':>8}")
    for count in args.sizes:
        measure(count)


if __name__ == "__main__":
    main()
