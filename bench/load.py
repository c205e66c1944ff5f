"""Load benchmark of the real server: wrk against `observatoire serve` (gunicorn, 2 workers) on loopback.

Run: ``.venv/bin/python bench/load.py [--docs 0|10000] [--duration 10] [--connections 8]`` (``make bench-load``).
It builds a throw-away instance (the demo data, plus synthetic published actions up to ``--docs``),
rebuilds the index, starts the server as `make run` does, then runs wrk (Debian package ``wrk``) on:
action pages (up to 500 public actions: a first pass asking each page three times, where each worker
renders the pages it gets and keeps them for anonymous readers; then wrk's rotation over them, the steady
state; then the same pages for a signed-in reader, rendered every time), the action list, the JSON API and
a search. Prints
requests per second, latency percentiles, errors (non-2xx/3xx answers and socket errors), and each
figure's ratio to the action list measured in the same run. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from kb import create_app, indexing  # noqa: E402
from kb.db import new_session, upgrade  # noqa: E402
from kb.models import FieldAction  # noqa: E402

AGENT = "kb-bench/1.0"
ROTATE = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(instance: Path, docs: int) -> list[int]:
    """Migrate, fill and index the instance; return the ids of the public actions."""
    app = create_app({"INSTANCE_DIR": str(instance), "DATABASE_URL": f"sqlite:///{instance}/observatoire.sqlite3",
                      "INDEX_DIR": str(instance / "index"), "SECRET_KEY": "bench"})
    upgrade(app)
    if docs:
        sys.path.insert(0, str(ROOT / "bench"))
        from search_bench import fill

        fill(app, docs)
    else:
        from kb.demo import generate

        with new_session(app) as session:
            generate(session)
            session.commit()
    started = time.perf_counter()
    count = indexing.rebuild(app)
    stderr(f"index : {count} documents en {time.perf_counter() - started:.1f} s")
    with new_session(app) as session:
        ids = list(session.exec(select(FieldAction.id).where(FieldAction.publication_status == "publiee")
                                .order_by(FieldAction.id)))
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    return ids


def serve(instance: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "KB_INSTANCE_DIR": str(instance), "KB_INDEX_DIR": str(instance / "index"),
           "KB_SECRET_KEY": "bench", "KB_MAIL_BACKEND": "log", "PYTHONPATH": str(ROOT)}
    log = open(instance / "serve.log", "wb")  # noqa: SIM115 - closed by the child's exit
    server = subprocess.Popen([sys.executable, "-m", "kb.cli", "serve", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True, cwd=ROOT)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError((instance / "serve.log").read_text())


def signed_in_cookie(base: str) -> str:
    """The session cookie of the demo student, signed in through the login form (a reader whose pages are
    rendered for her, never kept)."""
    from kb.demo.accounts import DEMO_ACCOUNTS

    email, password = next((e, p) for e, _n, role, p, ok in DEMO_ACCOUNTS if role == "etudiant" and ok)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]  # the login's session is bound to the browser it came from
    page = opener.open(base + "/compte/connexion", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(base + "/compte/connexion", data=body, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(base: str, paths: list[str], duration: int, connections: int, script_dir: Path, cookie: str = "") -> dict:
    """One wrk run over a rotation of paths: req/s, latency percentiles (ms), errors."""
    script = script_dir / "rotate.lua"
    script.write_text(ROTATE % ", ".join(f'"{p}"' for p in paths))
    headers = ["-H", f"Cookie: {cookie}", "-H", f"User-Agent: {AGENT}"] if cookie else []
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency",
                          *headers, "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    for label in ("50", "90", "99"):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        figures[f"p{label}"] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["errors"] = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return figures


def first_pass(base: str, paths: list[str], rounds: int, connections: int) -> dict:
    """Every page asked ``rounds`` times by ``connections`` concurrent clients, from cold: each worker renders
    the pages it is given and keeps them (wrk's fixed duration would leave pages unseen at 10k actions)."""
    def fetch(path: str) -> tuple[float, bool]:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                answer.read()
                ok = answer.status == 200
        except OSError:
            ok = False
        return (time.perf_counter() - started) * 1000, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        done = list(pool.map(fetch, [p for _ in range(rounds) for p in paths]))
    latencies = sorted(ms for ms, _ in done)
    figures = {"rps": len(done) / (time.perf_counter() - started), "requests": len(done),
               "errors": sum(1 for _, ok in done if not ok)}
    for label in (50, 90, 99):
        figures[f"p{label}"] = latencies[min(len(latencies) - 1, len(latencies) * label // 100)]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=0, help="actions in all (0: the demo data only)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk est introuvable : apt-get install wrk (ou make bench-load)")
    base_dir = Path(tempfile.mkdtemp(prefix="kb-load-"))
    instance = base_dir / "instance"
    ids = build(instance, args.docs)
    port = 5600 + os.getpid() % 300
    server = serve(instance, port)
    base = f"http://127.0.0.1:{port}"
    sample = [f"/actions/{i}" for i in ids[:: max(1, len(ids) // 500)]][:500]
    cookie = signed_in_cookie(base)
    results = [("pages d'action, 1er passage (chaque page 3 fois)", len(sample),
                first_pass(base, sample, 3, args.connections))]
    scenarios = [
        ("pages d'action", sample, args.duration, ""),
        ("pages d'action, lectrice connectée", sample, args.duration, cookie),
        ("liste des actions", ["/actions/", "/actions/?page=2", "/actions/?territory=arles"], args.duration, ""),
        ("API /api/actions", ["/api/actions", "/api/actions?page=2", "/api/actions?territory=marseille"], args.duration,
         ""),
        ("recherche", ["/recherche?q=jeunes", "/recherche?q=%22d%C3%A9veloppement+social+local%22",
                       "/recherche?q=freins+institutionnels"], args.duration, ""),
    ]
    try:
        results += [(name, len(paths), wrk(base, paths, duration, args.connections, base_dir, cookie))
                    for name, paths, duration, cookie in scenarios]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    baseline = next(f["rps"] for name, _, f in results if name == "liste des actions")
    print(f"\n{len(ids)} actions publiées ; wrk -t2 -c{args.connections}, {args.duration} s par mesure, "
          "observatoire serve --workers 2, SQLite\n")
    print("| mesure | URL distinctes | req/s | p50 | p90 | p99 | erreurs | / liste |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, distinct, f in results:
        print(f"| {name} | {distinct} | {f['rps']:.0f} | {f['p50']:.1f} ms | {f['p90']:.1f} ms | {f['p99']:.1f} ms "
              f"| {f['errors']} | {f['rps'] / baseline:.2f} |")
    shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
