"""Benchmark of ``observatoire index rebuild``: the rebuild's writer against whoosh's own writer, same database.

Run: ``.venv/bin/python bench/rebuild_bench.py [--docs 10000] [--runs 2]``; ``--docs 100000`` for the national
size (add ``--db /tmp/bench-100k.sqlite3 --keep`` to fill that file once and reuse it, ``--only bulk parallel`` to leave
out the baseline, which takes about 14 minutes at 100k). The database is filled as ``search_bench.py`` fills it:
the demo, then synthetic published actions written with the demo's sentences (about 600 words each).

Each rebuild runs in a child process of its own, through the app's mapping (``kb.indexing.rebuild``: the
database read and the documents built are counted), so that its peak memory (and its helper's) can be read apart. The variants
alternate, so that a busy machine slows each alike:

- "whoosh": the writer the rebuild used before ``search_index.bulk``, whoosh's sorting pool (512 MB in memory,
  then runs spilled to disk and merged), one process;
- "bulk": ``search_index.bulk``'s writer, one process;
- "parallel": the same writer on two processes (``search_index.parallel``), what a rebuild of 20k documents or
  more does on a machine with two processors.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_bench import fill, stderr  # noqa: E402
from kb import create_app, indexing  # noqa: E402
from kb.db import get_engine, upgrade  # noqa: E402
from search_index import engine  # noqa: E402

VARIANTS = ("whoosh", "bulk", "parallel")


def _app(db: Path, index_dir: Path, parallel: bool = False):
    return create_app({"INSTANCE_DIR": str(index_dir.parent), "DATABASE_URL": f"sqlite:///{db}",
                       "INDEX_DIR": str(index_dir), "SECRET_KEY": "bench",
                       "INDEX_PARALLEL_FROM": 1 if parallel else 10**12})


def _whoosh_writer(self, ix=None, bulk: bool = False):
    """The rebuild's writer before search_index.bulk: whoosh's own, with its sorting pool."""
    return (ix or self._ix).writer(timeout=self.lock_timeout, procs=1, limitmb=512, multisegment=False)


def _child(variant: str, db: Path, index_dir: Path, out: Path) -> None:
    if variant == "whoosh":
        engine.SearchIndex._writer = _whoosh_writer
    app = _app(db, index_dir, parallel=variant == "parallel")
    with app.app_context():
        started = time.perf_counter()
        count = indexing.rebuild(app, progress=lambda n, total: stderr(f"  {variant} : {n}/{total}")
                                 if n % 5000 == 0 else None)
        seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    # Peak memory of this process, and of the helper process (the largest child it waited for), in kilobytes.
    own, helper = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    out.write_text(json.dumps({"seconds": seconds, "documents": count, "bytes": size,
                               "peak_mb": own / 1024, "helper_mb": helper / 1024}))


def run(variant: str, db: Path, work: Path) -> dict:
    """One rebuild in a child process: its time, documents, index size and peak memory."""
    index_dir = work / f"index-{variant}"
    shutil.rmtree(index_dir, ignore_errors=True)
    out = work / f"{variant}.json"
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _child(variant, db, index_dir, out)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if status:
        raise SystemExit(f"la reconstruction « {variant} » a échoué (statut {status})")
    result = json.loads(out.read_text())
    shutil.rmtree(index_dir, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="number of actions (default 10000)")
    parser.add_argument("--runs", type=int, default=2, help="rebuilds of each variant (default 2)")
    parser.add_argument("--db", type=Path, help="SQLite file to fill (or reuse, if it holds actions)")
    parser.add_argument("--keep", action="store_true", help="keep the --db file afterwards")
    parser.add_argument("--only", choices=VARIANTS, nargs="+", help="time these variants only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = args.db or work / "bench.sqlite3"
        if not db.exists() or db.stat().st_size == 0:
            app = _app(db, work / "index-fill")
            with app.app_context():
                upgrade(app)
                stderr(f"Remplissage de la base ({args.docs} actions)…")
                fill(app, args.docs)
            get_engine(app).dispose()  # no connection crosses the forks
        variants = args.only or list(VARIANTS)
        results: dict[str, list[dict]] = {v: [] for v in variants}
        for n in range(args.runs):
            for variant in variants:
                stderr(f"Reconstruction {n + 1}/{args.runs} : {variant}")
                results[variant].append(run(variant, db, work))
        print(f"\nbase {db.stat().st_size / 1e6:.0f} Mo ; {args.runs} reconstruction(s) par variante")
        print(f"{'variante':<10}{'documents':>11}{'médiane s':>11}{'min s':>9}{'docs/s':>9}{'pic Mo':>9}"
              f"{'auxil. Mo':>10}{'index Mo':>10}")
        medians = {}
        for variant, runs in results.items():
            seconds = [r["seconds"] for r in runs]
            medians[variant] = statistics.median(seconds)
            print(f"{variant:<10}{runs[0]['documents']:>11}{medians[variant]:>11.1f}{min(seconds):>9.1f}"
                  f"{runs[0]['documents'] / medians[variant]:>9.0f}{max(r['peak_mb'] for r in runs):>9.0f}"
                  f"{max(r['helper_mb'] for r in runs) if variant == 'parallel' else 0:>10.0f}"
                  f"{runs[0]['bytes'] / 1e6:>10.0f}")
        print("pic : mémoire résidente maximale de ce processus ; auxil. : celle du processus auxiliaire (les deux "
              "sont occupées en même temps)")
        for slower, faster in (("whoosh", "bulk"), ("bulk", "parallel"), ("whoosh", "parallel")):
            if slower in medians and faster in medians:
                print(f"{slower} / {faster} : {medians[slower] / medians[faster]:.2f}×")
        if args.db and not args.keep:
            db.unlink()


if __name__ == "__main__":
    main()
