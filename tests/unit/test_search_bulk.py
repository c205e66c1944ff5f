"""The rebuild's writer (search_index.bulk) writes the very files whoosh's own writer writes, only faster."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import time
from pathlib import Path

import pytest
from whoosh import index

from search_index import SearchIndex, SearchIndexError, SearchQuery
from search_index.bulk import RebuildWriter, TermPool
from search_index.schema import SCHEMA, SearchDoc, doc_words, to_fields, vocabulary_fields

WORDS = ["évaluation", "familles", "logement", "quartier", "jeunes", "accès", "droits", "pouvoir", "agir",
         "collectif", "habitants", "réunion", "atelier", "santé", "mentale", "isolement", "bénévoles", "centre",
         "social", "partenaires", "freins", "institutionnels", "développement", "local", "émancipation", "parents",
         "école", "insertion", "emploi"]


def _docs(count: int) -> list[SearchDoc]:
    """Documents whose common words reach several blocks of postings, some words repeated within a document."""
    rnd = random.Random(11)
    docs = []
    for n in range(count):
        body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 90)))  # some documents have no body
        docs.append(SearchDoc(
            doc_id=f"action:{n}", kind=rnd.choice(["action", "outil"]), title=" ".join(rnd.sample(WORDS, 4)),
            body=body, extra=rnd.choice(["", "Maison des familles du Panier"]), labels=rnd.choice(["", "logement"]),
            territory=rnd.choice(["marseille", "arles", "avignon", None]), themes=rnd.sample(["a", "b", "c"], 2),
            publics=[] if n % 3 else ["jeunes"], year=2010 + n % 4, stamp=f"s{n}", version=n + 1,
            date=dt.date(2012, 1 + n % 12, 1 + n % 28) if n % 2 else None))
    return docs


def _write(path: Path, make_writer, docs: list[SearchDoc]) -> None:
    path.mkdir()
    ix = index.create_in(path, SCHEMA)
    writer = make_writer(ix)
    words: set[str] = set()
    for doc in docs:
        values = to_fields(doc)
        words |= doc_words(values)
        writer.add_document(**values)
    writer.add_document(**vocabulary_fields(words, "fixed"))
    writer.commit()


def _segment_files(path: Path) -> dict[str, str]:
    """Each file of the one segment, by its name without the segment's random name, and its digest."""
    files = {}
    for file in path.iterdir():
        if file.suffix in (".toc", "") or "WRITELOCK" in file.name:
            continue
        files[file.name.split(".", 1)[1]] = hashlib.sha256(file.read_bytes()).hexdigest()
    return files


@pytest.mark.parametrize("count", [1, 128, 129, 256, 257, 700])  # every document is public: blocks of 128 and one more
def test_the_rebuild_writer_writes_the_same_bytes_as_whoosh(tmp_path, count):
    docs = _docs(count)
    _write(tmp_path / "whoosh", lambda ix: ix.writer(procs=1, compound=False), docs)
    _write(tmp_path / "bulk", lambda ix: RebuildWriter(ix, compound=False), docs)
    expected, written = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "bulk")
    assert {"trm", "pst", "_stored.col", "_body_len.col"} <= set(expected)
    assert written == expected
    a, b = index.open_dir(tmp_path / "whoosh"), index.open_dir(tmp_path / "bulk")
    assert a.doc_count_all() == b.doc_count_all() == count + 1
    with a.reader() as left, b.reader() as right:  # common words span several blocks of 128 postings
        assert max(left.doc_frequency("body", w) for w in ("famill", "logement")) > (128 if count > 129 else 0)
        assert list(left.all_terms()) == list(right.all_terms())


def test_the_pool_refuses_postings_out_of_document_order():
    pool = TermPool()
    pool.add(("body", b"famill", 4, 1.0, b"x"))
    pool.add(("body", b"logement", 2, 1.0, b"x"))  # another term may go back
    with pytest.raises(ValueError, match="out of document order"):
        pool.add(("body", b"famill", 3, 1.0, b"x"))


def test_the_rebuild_writer_only_starts_an_index(tmp_path):
    ix = index.create_in(tmp_path, SCHEMA)
    writer = ix.writer()
    writer.add_document(**to_fields(SearchDoc(doc_id="a", kind="action", title="t", body="b")))
    writer.commit()
    with pytest.raises(ValueError, match="already has segments"):
        RebuildWriter(ix)  # it would write the new documents' numbers from 0, over the old ones
    ix.writer(timeout=1).cancel()  # the refusal left no lock behind (whoosh's writer would wait and fail)


def test_a_cancelled_rebuild_leaves_the_index_unlocked_and_as_it_was(tmp_path):
    search = SearchIndex(tmp_path)
    search.rebuild(_docs(30))

    def broken():
        yield from _docs(50)
        raise RuntimeError("la base ne répond plus")

    with pytest.raises(RuntimeError):
        search.rebuild(broken())
    assert search.doc_count() == 30
    search.rebuild(_docs(60))  # no lock left behind
    assert search.doc_count() == 60
    assert search.search(SearchQuery(text="logement")).total > 0


def _contents(search: SearchIndex) -> dict:
    """Everything a search reads, by global document number: postings, stored fields, columns."""
    ix = index.open_dir(search.directory.path(search.directory.current()))
    with ix.reader() as reader:
        postings = {}
        for field, text in reader.all_terms():
            if field == "doc_id" and text.startswith(b"__vocabulary__"):
                continue  # a random tag per vocabulary document
            matcher, found = reader.postings(field, text), []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            postings[field, text] = found
        stored = [{k: v for k, v in fields.items() if k != "doc_id" or not v.startswith("__vocabulary__")}
                  for fields in reader.all_stored_fields()]
        columns = {name: [value for leaf, _ in reader.leaf_readers() for value in leaf.column_reader(name)]
                   for name in ("stamp", "version", "day")}
    ix.close()
    return {"postings": postings, "stored": stored, "columns": columns}


def _helpers() -> list[int]:
    """The helper processes this process started and has not waited for (zombies included)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        parent = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
        if parent == os.getpid() and (b"search_index.rebuild_helper" in command or "State:\tZ" in status):
            found.append(int(entry.name))
    return found


def _two_processes(path: Path) -> SearchIndex:
    return SearchIndex(path, parallel_from=1)


def test_a_rebuild_on_two_processes_holds_what_one_process_writes(tmp_path):
    docs = _docs(700)
    docs.insert(500, docs[10])  # a doc id sent twice, across the halves: the first wins
    one, two = SearchIndex(tmp_path / "one", parallel_from=10**9), _two_processes(tmp_path / "two")
    assert one.rebuild(iter(docs), total=len(docs)) == two.rebuild(iter(docs), total=len(docs)) == 700
    generation = two.directory.path(two.directory.current())
    assert len(index.open_dir(generation).reader().leaf_readers()) == 2  # the helper's segment, then this one's
    assert not (generation / "helper").exists()
    expected, written = _contents(one), _contents(two)
    assert written["stored"] == expected["stored"]  # the same documents in the same order
    assert written["columns"] == expected["columns"]
    assert written["postings"] == expected["postings"]
    for words, sort in (("logement", "relevance"), ("freins institutionnels", "relevance"),
                        ('"développement local"', "relevance"), ("famil*", "relevance"), ("logement", "date")):
        a, b = one.search(SearchQuery(text=words, sort=sort)), two.search(SearchQuery(text=words, sort=sort))
        assert a.total == b.total > 0
        assert [(h.doc_id, round(h.score, 9)) for h in a.hits] == [(h.doc_id, round(h.score, 9)) for h in b.hits]
    assert one.versions() == two.versions() and len(two.versions()) == 700


def test_a_helper_that_fails_leaves_the_index_as_it_was(tmp_path):
    search = _two_processes(tmp_path)
    search.rebuild(_docs(20), total=20)
    folders = sorted(tmp_path.iterdir())
    broken = _docs(40)
    broken[3].doc_id = ""  # refused by the helper, which writes the first half
    with pytest.raises(SearchIndexError, match="SearchDoc.doc_id is empty"):
        search.rebuild(iter(broken), total=40)
    assert _helpers() == []  # stopped and waited for
    assert search.doc_count() == 20
    assert sorted(tmp_path.iterdir()) == folders  # the new generation is gone
    assert search.rebuild(_docs(30), total=30) == 30  # no lock left behind


def test_an_interrupted_rebuild_on_two_processes_stops_its_helper(tmp_path):
    search = _two_processes(tmp_path)
    search.rebuild(_docs(20), total=20)
    folders = sorted(tmp_path.iterdir())

    def interrupted():
        yield from _docs(300)
        raise KeyboardInterrupt  # Ctrl-C while this process reads the second half

    with pytest.raises(KeyboardInterrupt):
        search.rebuild(interrupted(), total=400)
    assert _helpers() == []  # stopped and waited for
    assert search.doc_count() == 20
    assert sorted(tmp_path.iterdir()) == folders  # the new generation is gone
    assert search.rebuild(_docs(30), total=30) == 30
    assert search.search(SearchQuery(text="logement")).total > 0


def test_the_helper_runs_this_process_code_whatever_the_current_folder_holds(tmp_path, monkeypatch):
    other = tmp_path / "checkout" / "search_index"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text('print("autre version")\nraise SystemExit("pas ce code-là")\n')
    monkeypatch.chdir(other.parent)  # an operator rebuilding from inside another checkout
    search = _two_processes(tmp_path / "index")
    assert search.rebuild(_docs(50), total=50) == 50
    assert search.search(SearchQuery(text="logement")).total > 0


def test_a_helper_that_fails_early_stops_the_rebuild_before_this_process_writes_its_part(tmp_path):
    search = _two_processes(tmp_path)
    docs = _docs(2000)
    docs[3].doc_id = ""  # the helper stops at its fourth document
    consumed = []

    def read():
        for n, doc in enumerate(docs):
            if n == 1300:  # this process's part has begun: let the helper's failure happen first
                deadline = time.monotonic() + 20
                while any(b"rebuild_helper" in _command(pid) for pid in _helpers()) and time.monotonic() < deadline:
                    time.sleep(0.05)
            consumed.append(doc)
            yield doc

    with pytest.raises(SearchIndexError, match="SearchDoc.doc_id is empty"):
        search.rebuild(read(), total=2000)
    assert len(consumed) < 2000  # seen at this process's next check, not after its whole part
    assert _helpers() == []


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
