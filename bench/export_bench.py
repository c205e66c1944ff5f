"""Benchmark of the streamed exports (/actions/export.<fmt>) beside the action list page, at 10k and 100k actions.

Run: ``.venv/bin/python bench/export_bench.py [--sizes 10000 100000] [--repeat 3]`` (``make bench-export``).
Each size gets a temporary SQLite database of published actions with their publics and themes (the
observatory bench's data); each export is read through the app (test client, the whole streamed body).
Prints, per format: median and p95 time, rows per second, size, the peak of Python memory allocated while
streaming (tracemalloc), and the ratio of its time to the list page's in the same process. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.map_bench import make_app, stderr  # noqa: E402
from bench.observatory_bench import findings, timed  # noqa: E402


def _read(client, path: str) -> int:
    response = client.get(path, buffered=False)
    assert response.status_code == 200, path
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return size


def streamed(client, path: str, repeat: int) -> tuple[float, float, int, int]:
    """Median and p95 seconds to read the whole body, its size, and the peak memory allocated while reading it
    (one more run under tracemalloc, which slows it down threefold: not timed)."""
    timings, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = _read(client, path)
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    _read(client, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) >= 2 else timings[0]
    return statistics.median(timings), p95, size, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per format and size (default 3)")
    args = parser.parse_args()
    print(f"{'actions':>8}  {'export':<26}{'p50 (ms)':>10}{'p95 (ms)':>10}{'lignes/s':>10}{'taille (Mo)':>12}"
          f"{'pic mémoire (Mo)':>18}{'ratio':>8}")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            stderr(f"Base de {count} actions…")
            app = make_app(tmp, count)
            findings(app)
            client = app.test_client()
            stderr("Mesures…")
            base, _, _ = timed(client, "/actions/", args.repeat)
            print(f"{count:>8}  {'/actions/ (page de liste)':<26}{base * 1000:>10.0f}{'':>10}{'':>10}{'':>12}{'':>18}"
                  f"{1:>8.2f}", flush=True)
            for fmt in ("csv", "geojson", "json"):
                p50, p95, size, peak = streamed(client, f"/actions/export.{fmt}", args.repeat)
                print(f"{count:>8}  {'/actions/export.' + fmt:<26}{p50 * 1000:>10.0f}{p95 * 1000:>10.0f}"
                      f"{count / p50:>10.0f}{size / 2**20:>12.1f}{peak / 2**20:>18.1f}{p50 / base:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
