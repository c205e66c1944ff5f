"""Benchmark of /carte: server time and page weight for 1k, 10k and 50k actions, and browser time to markers.

Run: ``.venv/bin/python bench/map_bench.py [--sizes 1000 10000 50000] [--repeat 7] [--browser-size 10000]``.
Each size gets a temporary database of published actions spread over the communes around Marseille,
Avignon and Arles; the page is rendered through the app (test client, the whole request: query, map
data, template). In headless Chromium (Debian's package), the time from navigation to every marker
drawn (``data-kb-ready``) is measured on a real server. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import select  # noqa: E402

from kb import create_app  # noqa: E402
from kb.db import get_engine, new_session, upgrade  # noqa: E402
from kb.models import FieldAction, Territory  # noqa: E402
from kb.reference import ensure_units  # noqa: E402
from kb.services.places import ensure_commune  # noqa: E402

COMMUNES = {"13004": "arles", "84007": "avignon", "13055": "marseille", "13201": "marseille", "13203": "marseille",
            "13215": "marseille", "13216": "marseille", "13056": "arles", "13047": "arles", "84031": "avignon",
            "30189": "avignon", "84092": "avignon"}


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(app, count: int, seed: int = 3) -> None:
    """Published actions at random points around their commune's centre."""
    with new_session(app) as session:
        ensure_units(session)
        communes = {insee: ensure_commune(session, insee) for insee in COMMUNES}
        session.commit()
        units = {t.slug: t.id for t in session.exec(select(Territory))}
        centres = {insee: (c.latitude, c.longitude) for insee, c in communes.items()}
    rng, now = random.Random(seed), datetime.now(UTC)
    rows = []
    for i in range(count):
        insee = rng.choice(sorted(COMMUNES))
        lat, lon = centres[insee]
        rows.append({
            "title": f"Action collective n° {i} — atelier de quartier", "summary": "Un groupe d'habitant·es.",
            "writeup": "", "mode": rng.choice(["groupe", "communautaire", "dsl"]), "commune_insee": insee,
            "territory_id": units[COMMUNES[insee]], "address": "", "latitude": lat + rng.uniform(-0.03, 0.03),
            "longitude": lon + rng.uniform(-0.03, 0.03), "location_precision": "commune" if i % 9 == 0 else "exacte",
            "start_date": date(2005 + i % 20, 1 + i % 12, 1), "status": "en_cours", "publication_status": "publiee",
            "created_at": now, "updated_at": now,
        })
    with get_engine(app).begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(FieldAction.__table__.insert(), rows[start:start + 5000])


def make_app(tmp: str, count: int):
    app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                      "INDEX_DIR": f"{tmp}/index", "SECRET_KEY": "bench",
                      "TILES_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"})
    with app.app_context():
        upgrade(app)
    fill(app, count)
    return app


def server_figures(app, repeat: int) -> tuple[float, float, int]:
    """Median and p95 of the whole /carte request (seconds), and the page weight in bytes."""
    client = app.test_client()
    size = len(client.get("/carte").data)  # warm-up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get("/carte")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) >= 2 else timings[0]
    return statistics.median(timings), p95, size


def browser_time(app, runs: int = 3, path: str = "/carte") -> list[float]:
    """Seconds from navigation to every marker drawn (the first markers of a large set), in Debian's Chromium."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}{path}"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for _ in range(runs):
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector("#carte[data-kb-ready='true']", timeout=120_000)
                times.append(time.perf_counter() - started)
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per size (default 7)")
    parser.add_argument("--browser-size", type=int, default=10_000, help="size measured in Chromium (0: none)")
    args = parser.parse_args()
    print(f"{'actions':>8}{'serveur p50':>14}{'p95':>10}{'poids':>10}{'navigateur p50':>17}")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            stderr(f"Base de {count} actions…")
            app = make_app(tmp, count)
            p50, p95, size = server_figures(app, args.repeat)
            browser = ""
            if count == args.browser_size:
                stderr("Mesure dans Chromium…")
                browser = f"{statistics.median(browser_time(app)):>15.2f} s"
            print(f"{count:>8}{p50:>12.3f} s{p95:>8.3f} s{size / 1e6:>7.2f} Mo{browser}")
            get_engine(app).dispose()


if __name__ == "__main__":
    main()
