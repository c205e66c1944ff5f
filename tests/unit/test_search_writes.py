"""SearchIndex writes: upserts, deletes, rebuilds, several writers and processes on one directory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from search_index import IndexBusy, IndexOutdated, SearchDoc, SearchIndex, SearchQuery
from tests.unit.test_search_index import DOCS, ids


def doc(doc_id: str, body: str, **kwargs) -> SearchDoc:
    return SearchDoc(doc_id, "action", kwargs.pop("title", "Action"), body, **kwargs)


def test_upsert_replaces_and_delete_removes(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply([doc("action:1", "Jardin partagé", stamp="v1"), doc("action:2", "Maraude", stamp="v1")], [])
    index.apply([doc("action:1", "Café des parents", stamp="v2")], [])
    assert ids(index, "jardin") == []
    assert ids(index, "parents") == ["action:1"]
    index.apply([], ["action:2"])
    assert ids(index, "maraude") == []
    assert index.stamps() == {"action:1": "v2"}
    assert index.doc_count() == 1
    index.apply([doc("action:3", "Boxe éducative")], ["action:3"])  # deleted in the same batch: gone
    assert index.stamps() == {"action:1": "v2"}


def test_prefix_and_suggestion_see_words_added_later(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply([doc("action:1", "Jardin partagé")], [])
    index.apply([doc("action:2", "Permaculture urbaine")], [])
    assert ids(index, "permacult*") == ["action:2"]
    assert index.search(SearchQuery(text="permacultre")).suggestion == "permaculture"


def test_rebuild_replaces_everything_and_reports_progress(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply([doc("action:99", "Ancien contenu")], [])
    seen: list[int] = []
    count = index.rebuild((doc(f"action:{i}", f"Contenu {i}", stamp=f"v{i}") for i in range(1200)), seen.append)
    assert count == 1200 and seen[-1] == 1200 and seen == sorted(seen)
    assert index.stamps() == {f"action:{i}": f"v{i}" for i in range(1200)}
    assert ids(index, "ancien") == []


def test_two_instances_on_one_directory_write_in_turn(tmp_path):
    first, second = SearchIndex(tmp_path), SearchIndex(tmp_path)
    for i in range(5):
        first.apply([doc(f"a:{i}", "Premier processus")], [])
        second.apply([doc(f"b:{i}", "Second processus")], [])
    assert first.doc_count() == second.doc_count() == 10


def test_concurrent_writers_wait_for_each_other(tmp_path):
    # Each thread opens its own SearchIndex on a fresh directory, as each worker process would:
    # creation happens once, then the file lock serialises the writes.
    errors: list[BaseException] = []

    def write(prefix: str):
        index = SearchIndex(tmp_path, lock_timeout=30)
        try:
            for i in range(6):
                index.apply([doc(f"{prefix}:{i}", f"Écriture concurrente {prefix}")], [])
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ids(SearchIndex(tmp_path), "écriture concurrente")) == 18


WRITER_SCRIPT = """
import sys
from search_index import SearchDoc, SearchIndex
index = SearchIndex(sys.argv[1], lock_timeout=60)
for i in range(5):
    index.apply([SearchDoc(f"{sys.argv[2]}:{i}", "action", "Processus", "Écrit par un autre processus")], [])
"""


def test_worker_processes_share_the_index(tmp_path):
    reader = SearchIndex(tmp_path)
    assert reader.doc_count() == 0
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    workers = [subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, str(tmp_path), name], env=env)
               for name in ("w1", "w2")]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    assert reader.doc_count() == 10
    assert len(ids(reader, "processus")) == 10


def test_an_index_from_another_schema_is_rebuilt(tmp_path):
    whoosh_index.create_in(tmp_path, whoosh_fields.Schema(path=whoosh_fields.ID(stored=True)))
    index = SearchIndex(tmp_path)
    assert index.outdated
    with pytest.raises(IndexOutdated):
        index.apply([doc("action:1", "Nouveau schéma")], [])
    index.rebuild([doc("action:1", "Nouveau schéma")])
    assert not index.outdated and ids(index, "schéma") == ["action:1"]
    assert not SearchIndex(tmp_path).outdated


def test_a_searcher_sees_writes_from_another_instance(tmp_path):
    reader, writer = SearchIndex(tmp_path), SearchIndex(tmp_path)
    assert ids(reader, "ludothèque") == []
    writer.apply([doc("action:1", "Ludothèque itinérante")], [])
    assert ids(reader, "ludothèque") == ["action:1"]
    writer.apply([], ["action:1"])
    assert ids(reader, "ludothèque") == []


def test_a_held_lock_makes_the_writer_wait_then_give_up(tmp_path):
    index = SearchIndex(tmp_path, lock_timeout=0.3)
    other_process = whoosh_index.open_dir(tmp_path).writer()  # holds the write lock
    try:
        with pytest.raises(IndexBusy, match="occupé"):
            index.apply([doc("action:1", "Attente")], [])
    finally:
        other_process.cancel()
    index.apply([doc("action:1", "Attente")], [])
    assert ids(index, "attente") == ["action:1"]


def test_searches_from_several_threads_during_writes(tmp_path):
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS)
    errors: list[BaseException] = []

    def search_loop():
        try:
            for _ in range(15):
                assert index.search(SearchQuery(text="atelier numérique", per_page=5)).total >= 29
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=search_loop) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(5):
        index.apply([doc(f"extra:{i}", "Atelier numérique du soir", title="Atelier numérique")], [])
    for t in threads:
        t.join()
    assert errors == []
    assert index.search(SearchQuery(text="atelier numérique")).total == 35
