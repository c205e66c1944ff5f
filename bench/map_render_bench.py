"""Benchmark of the maps library: gazetteer load and lookups, map render time and size for N points.

Run: ``.venv/bin/python bench/map_render_bench.py [N ...]`` (default 1000 10000 50000).
Prints figures (best of 3 renders); times nothing as a test. Targets from the team: 10,000 points
in at most 0.3 s and 2 MB, 50,000 in at most 1.2 s.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maps.gazetteer import Gazetteer  # noqa: E402
from maps.render import MapPoint, render_map  # noqa: E402

CATEGORIES = {
    "collectif": ("Intervention collective", "#1d4ed8"),
    "individuel": ("Accompagnement individuel", "#b91c1c"),
    "communautaire": ("Développement social local", "#15803d"),
}
TERRITORIES = {"Marseille": (43.2965, 5.3811), "Avignon": (43.9493, 4.8055), "Arles": (43.6768, 4.6303)}
WORDS = ["Atelier", "parentalité", "accès aux droits", "jardin partagé", "numérique", "quartier", "jeunes"]


def synthetic_points(count: int, seed: int = 1) -> list[MapPoint]:
    rng = random.Random(seed)
    names = list(TERRITORIES)
    points = []
    for i in range(count):
        layer = names[i % len(names)]
        lat, lon = TERRITORIES[layer]
        title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" n° {i}"
        points.append(MapPoint(i, lat + rng.uniform(-0.08, 0.08), lon + rng.uniform(-0.1, 0.1), title,
                               f"/actions/{i}", rng.choice(list(CATEGORIES)), layer))
    return points


def bench_gazetteer() -> None:
    start = time.perf_counter()
    gazetteer = Gazetteer.from_csv()
    loaded = time.perf_counter()
    gazetteer.lookup("ST REMY DE PROVENCE")
    first = time.perf_counter()
    queries = ["MARSEILLE 16", "Arles", "13200", "Avignon (84)", "Saintes-Maries-de-la-Mer"] * 200
    for query in queries:
        gazetteer.lookup(query)
    looked = time.perf_counter()
    for prefix in ["ma", "st r", "av", "132"] * 250:
        gazetteer.search(prefix, departements=["13", "84"])
    searched = time.perf_counter()
    print(f"gazetteer: {len(gazetteer)} communes loaded in {loaded - start:.3f} s; first name lookup "
          f"(builds the name indexes) {first - loaded:.3f} s; lookup {(looked - first) / len(queries) * 1e6:.0f} µs; "
          f"search {(searched - looked) / 1000 * 1e6:.0f} µs")


def bench_render(count: int) -> None:
    points = synthetic_points(count)
    for label, template in (("popups on demand", "/api/actions/{id}/popup"), ("inline popups", None)):
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            page = render_map(points, asset_base_url="/static/vendor", attribution="© OpenStreetMap",
                              tiles_url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                              categories=CATEGORIES, popup_url_template=template, map_id="bench")
            timings.append(time.perf_counter() - start)
        print(f"render {count:>6} points, {label:<16}: {min(timings):.3f} s, {len(page.encode()) / 1e6:.2f} MB")


if __name__ == "__main__":
    bench_gazetteer()
    for count in [int(arg) for arg in sys.argv[1:]] or [1000, 10_000, 50_000]:
        bench_render(count)
