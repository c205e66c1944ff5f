"""Two app hosts on one PostgreSQL database, each `observatoire serve` with its own index directory: each finds
every change written through either, `index check` reports both indexes, and the change log is pruned once both
applied it."""

from __future__ import annotations

import io
import json

import requests

from tests.served.conftest import Server, cli_env, observatoire, sign_in
from tests.served.soak_writer import Writer


def _titles(server: Server, text: str) -> list[str]:
    answer = requests.get(server.url + "/api/search", params={"q": text}, timeout=60)
    assert answer.status_code == 200
    return sorted(hit["title"] for hit in answer.json()["results"] if hit["title"].startswith("Soak "))


def test_two_hosts_with_their_own_index_see_each_others_changes(tmp_path, pg_demo, postgres):
    url, database = pg_demo
    hosts = []
    for name in ("hote-a", "hote-b"):
        instance = tmp_path / name
        instance.mkdir()
        hosts.append(Server(cli_env(instance, url)).start())
    first, second = hosts
    try:
        writers = []
        for server, name in ((first, "Arles"), (second, "Avignon")):
            writer = Writer(server.url, name, io.StringIO())
            sign_in(writer.http, server.url, "admin@demo.observatoire-isic.fr", "demo-admin-2012")
            writers.append(writer)
        for writer in writers:  # each host writes, one after the other, twice
            writer.create("publiee")
            writer.create("publiee")
        written = {w.name: [json.loads(line) for line in w.out.getvalue().splitlines()] for w in writers}
        assert all(entry["code"] == 302 for entries in written.values() for entry in entries)
        arles, avignon = written["Arles"], written["Avignon"]

        # Each host finds what the other wrote (it catches up before answering a search).
        for server in hosts:
            assert _titles(server, "Soak Arles") == sorted(e["title"] for e in arles)
            assert _titles(server, "Soak Avignon") == sorted(e["title"] for e in avignon)

        # A change and a deletion through the second host reach the first one's index.
        writers[1].mine = [arles[0]["id"]]
        writers[1].edit("publiee", shared=False)
        renamed = json.loads(writers[1].out.getvalue().splitlines()[-1])["title"]
        writers[1].mine = [arles[1]["id"], 0, 0]  # delete() picks at random: only one candidate is real
        writers[1].rng.randrange = lambda _n: 0
        writers[1].delete()
        assert [t for t in _titles(first, "Soak Arles") if t.startswith("Soak Arles")] == []
        assert _titles(first, renamed) == [renamed]

        # The demo was loaded by a command with an index of its own, which the log waits for: forget it.
        loader = observatoire(cli_env(tmp_path / "pg-instance", url), "index", "forget",
                              f"{hosts[0].env['KB_INSTANCE_DIR'].rsplit('/', 1)[0]}/pg-instance/index")
        assert loader.returncode == 1 and "Aucun index" in loader.stderr  # a host label, not a path
        checked = observatoire(first.env, "index", "check").stdout
        label = next(line.split(" : ")[0].strip() for line in checked.splitlines() if "pg-instance" in line)
        assert observatoire(first.env, "index", "forget", label).returncode == 0
        writers[0].create("publiee")  # one more change, applied by both

        # Both indexes agree with the database, report their position, and the log kept only what one lacks.
        for server in hosts:
            assert requests.get(server.url + "/recherche", params={"q": "jardin"}, timeout=60).status_code == 200
        for server in hosts:
            checked = observatoire(server.env, "index", "check")
            assert checked.returncode == 0, checked.stdout + checked.stderr
            assert "Index qui suivent le journal des changements : 2" in checked.stdout, checked.stdout
            assert checked.stdout.count("0 de retard") == 2
        last, pruned = postgres.execute("SELECT last_seq, pruned_to FROM index_log_head", database)[0]
        assert pruned == last > 0
        assert postgres.execute("SELECT count(*) FROM index_change", database)[0][0] == 0
        health = [requests.get(server.url + "/healthz", timeout=30).json() for server in hosts]
        assert [h["index_lag"] for h in health] == [0, 0]
    finally:
        for server in hosts:
            server.stop()
    for server in hosts:
        assert "Traceback" not in server.log()
