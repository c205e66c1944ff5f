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

from search_index import IndexBusy, IndexOutdated, SearchDoc, SearchIndex, SearchQuery, engine
from search_index.schema import SCHEMA
from search_index.storage import IndexDirectory
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
    index = SearchIndex(tmp_path)
    older = index.directory.new_generation()  # as an earlier version of the app would have left it
    whoosh_index.create_in(index.directory.path(older), whoosh_fields.Schema(path=whoosh_fields.ID(stored=True)))
    index.directory.switch(older)
    index = SearchIndex(tmp_path)
    assert index.outdated
    with pytest.raises(IndexOutdated):
        index.apply([doc("action:1", "Nouveau schéma")], [])
    index.rebuild([doc("action:1", "Nouveau schéma")])
    assert not index.outdated and ids(index, "schéma") == ["action:1"]
    assert not SearchIndex(tmp_path).outdated


def test_an_index_written_before_generations_is_replaced_by_an_empty_one_then_pruned(tmp_path):
    legacy = whoosh_index.create_in(tmp_path, SCHEMA)
    writer = legacy.writer()
    writer.add_document(doc_id="action:9", kind="action", title="Ancien", body="Ancien index", stamp=b"x")
    writer.commit()
    index = SearchIndex(tmp_path)
    assert index.doc_count() == 0  # the app sees an empty index and rebuilds it from its database
    index.rebuild([doc("action:1", "Index reconstruit")])
    assert ids(index, "reconstruit") == ["action:1"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("MAIN_", "_MAIN_"))]


def test_a_rebuild_never_prunes_the_generation_another_rebuild_is_writing(tmp_path):
    index = SearchIndex(tmp_path)
    index.rebuild([doc("action:1", "Premier index")])

    def slow_docs():
        yield doc("action:2", "Deuxième reconstruction")
        # Meanwhile another rebuild (an operator's, a start-up's) swaps its generation in and prunes.
        assert SearchIndex(tmp_path).rebuild([doc("action:3", "Reconstruction concurrente")]) == 1
        yield doc("action:4", "Fin de la deuxième reconstruction")

    assert index.rebuild(slow_docs()) == 2
    assert ids(index, "reconstruction") == ["action:2", "action:4"]
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("gen-")]) == 2  # current and previous


def test_the_generation_of_a_rebuild_that_died_midway_is_pruned(tmp_path):
    index = SearchIndex(tmp_path)
    index.rebuild([doc("action:1", "Premier")])
    directory = IndexDirectory(tmp_path, lock_timeout=1)
    orphan = directory.new_generation()
    (directory.path(orphan) / "BUILDING").touch()  # its writer is gone: nobody holds the lock
    index.rebuild([doc("action:1", "Second")])
    assert not directory.path(orphan).exists()


def test_a_searcher_sees_writes_from_another_instance(tmp_path):
    reader, writer = SearchIndex(tmp_path), SearchIndex(tmp_path)
    assert ids(reader, "ludothèque") == []
    writer.apply([doc("action:1", "Ludothèque itinérante")], [])
    assert ids(reader, "ludothèque") == ["action:1"]
    writer.apply([], ["action:1"])
    assert ids(reader, "ludothèque") == []


def test_a_held_lock_makes_the_writer_wait_then_give_up(tmp_path):
    index = SearchIndex(tmp_path, lock_timeout=0.3)
    other_process = IndexDirectory(tmp_path, lock_timeout=1)  # its own file descriptor, as another process has
    with other_process.locked(), pytest.raises(IndexBusy, match="occupé"):
        index.apply([doc("action:1", "Attente")], [])
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


def versioned(doc_id: str, body: str, version: int) -> SearchDoc:
    return SearchDoc(doc_id, "action", "Action", body, stamp=f"v{version}", version=version)


def test_a_write_never_replaces_a_document_by_an_older_or_equal_version(tmp_path):
    index = SearchIndex(tmp_path)
    assert index.apply([versioned("action:1", "Jardin partagé", 2)], {}) == {"action:1": 2}
    assert index.apply([versioned("action:1", "Ancienne lecture", 1)], {}) == {"action:1": 2}
    assert index.apply([versioned("action:1", "Même version", 2)], {}) == {"action:1": 2}
    assert ids(index, "ancienne") == ids(index, "version") == []
    assert index.apply([versioned("action:1", "Café des parents", 3)], {}) == {"action:1": 3}
    assert ids(index, "parents") == ["action:1"] and index.versions() == {"action:1": 3}
    # A deletion older than the indexed document leaves it; a newer one removes it.
    assert index.apply([], {"action:1": 2}) == {"action:1": 3}
    assert ids(index, "parents") == ["action:1"]
    assert index.apply([], {"action:1": 4}) == {"action:1": 4}
    assert ids(index, "parents") == [] and index.versions() == {}
    # A repair writes whatever the index holds.
    index.apply([versioned("action:2", "Radio de quartier", 5)], {})
    index.apply([versioned("action:2", "Radio réparée", 1)], {}, force=True)
    assert ids(index, "réparée") == ["action:2"] and index.versions() == {"action:2": 1}


def test_writes_that_change_nothing_commit_nothing(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply([versioned("action:1", "Jardin partagé", 2)], {})
    generation = index._ix.latest_generation()
    index.apply([versioned("action:1", "Jardin partagé", 2)], {"action:9": 1})
    assert index._ix.latest_generation() == generation


def test_a_rebuild_swaps_in_a_new_generation_that_other_processes_follow(tmp_path):
    writer, reader = SearchIndex(tmp_path), SearchIndex(tmp_path)
    writer.apply([doc("action:1", "Ancien contenu")], [])
    assert ids(reader, "ancien") == ["action:1"]
    first = writer.directory.current()
    swapped_under_lock = []

    def after_swap():
        other = IndexDirectory(tmp_path, lock_timeout=0.05)  # another process cannot write meanwhile
        try:
            with other.locked():
                swapped_under_lock.append(False)
        except Exception:  # noqa: BLE001 - LockTimeout expected
            swapped_under_lock.append(True)
        writer.apply([doc("action:3", "Écrit après l'échange")], [])

    writer.rebuild([doc("action:2", "Nouveau contenu")], after_swap=after_swap)
    second = writer.directory.current()
    assert second != first and swapped_under_lock == [True]
    assert ids(reader, "ancien") == [] and ids(reader, "nouveau") == ["action:2"]
    assert ids(reader, "échange") == ["action:3"]
    writer.rebuild([doc("action:4", "Troisième")])
    generations = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("gen-"))
    assert generations == sorted([second, writer.directory.current()])  # the previous one stays, older ones go


def test_a_failed_rebuild_leaves_the_current_generation_serving(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply([doc("action:1", "Toujours là")], [])

    def broken():
        yield doc("action:2", "Début")
        raise RuntimeError("la base a disparu")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    assert ids(index, "toujours") == ["action:1"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gen-")] == [index.directory.current()]


REBUILD_WRITER_SCRIPT = """
import sys
from search_index import SearchDoc, SearchIndex
index = SearchIndex(sys.argv[1], lock_timeout=120)
name, rounds = sys.argv[2], int(sys.argv[3])
for version in range(1, rounds + 1):
    index.apply([SearchDoc(f"{name}:{i}", "action", "Processus", f"Version {name} v{version}", version=version)
                 for i in range(3)], [])
"""


def test_writer_processes_go_on_across_rebuild_swaps(tmp_path):
    # Two processes write versions 1..30 of their documents while this one rebuilds twice: each writer
    # follows the swaps (it holds the lock, reopens the new generation) and none fails.
    index = SearchIndex(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    workers = [subprocess.Popen([sys.executable, "-c", REBUILD_WRITER_SCRIPT, str(tmp_path), name, "30"], env=env)
               for name in ("w1", "w2")]
    stale = [SearchDoc(f"{name}:{i}", "action", "Processus", "Lecture ancienne", version=1)
             for name in ("w1", "w2") for i in range(3)]
    for _ in range(2):
        index.rebuild(stale)
    assert [w.wait(timeout=300) for w in workers] == [0, 0]  # no writer failed across the swaps
    # A rebuild that swapped in after a writer's last version holds version 1: the app's catch-up after the
    # swap (repair, then drain) writes the database's versions again, as here.
    for name in ("w1", "w2"):
        index.apply([SearchDoc(f"{name}:{i}", "action", "Processus", f"Version {name} v30", version=30)
                     for i in range(3)], [])
    assert index.versions() == {f"{name}:{i}": 30 for name in ("w1", "w2") for i in range(3)}
    assert len(ids(index, "v30")) == 6


def test_similar_documents_are_computed_once_per_index_generation(tmp_path, monkeypatch):
    index = SearchIndex(tmp_path)
    index.apply([doc("action:1", "Jardin partagé et potager collectif des habitants du quartier"),
                 doc("action:2", "Potager collectif au pied des immeubles, jardin partagé"),
                 doc("action:3", "Radio associative des jeunes")], [])
    computed = []
    real = engine.similar_hits
    monkeypatch.setattr(engine, "similar_hits", lambda *args: computed.append(args[1]) or real(*args))
    first = [hit.doc_id for hit in index.more_like_this("action:1", limit=1)]
    again = [hit.doc_id for hit in index.more_like_this("action:1", limit=1)]
    assert first == again == ["action:2"] and len(computed) == 1
    index.apply([doc("action:4", "Jardin partagé potager collectif habitants quartier jardin potager")], [])
    assert [hit.doc_id for hit in index.more_like_this("action:1", limit=1)] == ["action:4"]
    assert len(computed) == 2  # the commit changed the generation: computed again


def test_a_commit_that_fails_halfway_leaves_the_index_writable(tmp_path, monkeypatch):
    from whoosh.writing import SegmentWriter

    index = SearchIndex(tmp_path, lock_timeout=0.5)
    index.apply([doc("action:1", "Avant la panne")], [])
    real = SegmentWriter._commit_toc

    def full_disk(self, segments):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "_commit_toc", full_disk)
    with pytest.raises(OSError):
        index.apply([doc("action:2", "Pendant la panne")], [])
    monkeypatch.setattr(SegmentWriter, "_commit_toc", real)
    index.apply([doc("action:3", "Après la panne")], [])  # no IndexBusy: the lock was released
    assert sorted(ids(index, "panne")) == ["action:1", "action:3"]


def test_the_generation_stamp_changes_with_every_write_and_swap_seen_from_another_process(tmp_path):
    writer, reader = SearchIndex(tmp_path), SearchIndex(tmp_path)
    writer.apply([doc("action:1", "Jardin partagé")], [])
    seen = [reader.generation()]
    assert reader.generation() == seen[-1]  # reading changes nothing
    writer.apply([doc("action:2", "Maraude")], [])
    seen.append(reader.generation())
    writer.rebuild([doc("action:1", "Jardin partagé")])
    seen.append(reader.generation())
    assert len(set(seen)) == 3
