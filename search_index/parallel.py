"""A large rebuild on two processors: a helper process writes the first documents (``HELPER_SHARE`` of them) into
a segment of its own while this process writes the rest; the new generation lists the helper's segment first.

A rebuild is pure Python (analysis, postings, compression): one processor at a time. With the helper, the
documents are still read once, in order, by the caller (the database's cursor never leaves this process); the
first ones are sent to the helper as plain ``SearchDoc`` values, so it writes while the rest are read. Listed
first, the helper's segment keeps every document's number, and its words join this process's vocabulary document,
last as in one process (a test compares the whole index with a one-process rebuild's).

The helper is a fresh interpreter (``python -m search_index.rebuild_helper``), not a fork: nothing of this process
(database connections, threads, open index files, signal handlers, its main module) is inherited. Documents go to
it pickled on its standard input, its answer (its segment, or its error) comes back on its standard output. It
writes in a folder of its own inside the new generation, with whoosh's lock and temporary files of its own; its
segment file is then moved beside this process's. Should either side fail, or the rebuild be interrupted, the
helper is stopped and waited for, then the generation discarded (``engine``).

Like whoosh's multiprocessing writer, this uses whoosh's segment-writer steps (``_finalize_segment``,
``_commit_toc``, ``_finish``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index

from search_index.bulk import RebuildWriter
from search_index.errors import IndexBusy, SearchIndexError
from search_index.schema import SearchDoc, vocabulary_fields
from search_index.writes import add_documents

BATCH = 200  # documents per message to the helper
# The helper's share of the documents: this process also reads and builds every document (a quarter of the time
# indexing them takes), so the helper takes more than half for both to end together.
HELPER_SHARE = 0.6


class Helper:
    """The helper process, the pipes to it, the thread that feeds it and the folder it writes in."""

    def __init__(self, folder: Path) -> None:
        """Start the helper; it writes into ``folder`` (created, inside the new generation)."""
        folder.mkdir()
        self.folder = folder
        # This process's own package first (a source checkout that is not installed works the same), and not the
        # current folder (-P): a checkout there would have the helper write its part with other code.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                                         os.environ.get("PYTHONPATH")]))}
        # The answer comes back on a pipe of its own: whatever the helper prints cannot garble it.
        answer, theirs = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "search_index.rebuild_helper", str(folder), str(theirs)], env=env,
                stdin=subprocess.PIPE, pass_fds=(theirs,))
        except BaseException:
            os.close(answer)
            raise
        finally:
            os.close(theirs)
        self.answer = os.fdopen(answer, "rb")
        # A pipe holds 64 kB: written directly, this process would wait for the helper to index each batch before
        # reading the next, and the two would take turns. The thread writes while this process goes on.
        self.queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.failure: BaseException | None = None
        self.sent_all = False
        self.feeder = threading.Thread(target=self._feed, name="search-index-feeder", daemon=True)
        self.feeder.start()

    def _feed(self) -> None:
        try:
            while (payload := self.queue.get()) is not None:
                self.process.stdin.write(payload)
            self.process.stdin.close()
        except (OSError, ValueError) as exc:  # a helper gone (broken pipe), or stopped meanwhile (closed pipe)
            self.failure = exc

    def send(self, batch: list[SearchDoc] | None) -> None:
        """A batch of documents, or None when there are no more (written by the feeding thread)."""
        self.check()
        self.queue.put(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
        if batch is None:
            self.sent_all = True
            self.queue.put(None)

    def check(self) -> None:
        """Raise now if the helper has failed or is gone, rather than after this process has written its part."""
        code = self.process.poll()
        if self.failure is None and (code is None or (code == 0 and self.sent_all)):
            return
        self.queue.put(None)  # a feeding thread waiting for the next batch ends
        self.result()  # raises, with the helper's own error when it could send it
        raise SearchIndexError("le processus d'indexation auxiliaire s'est arrêté avant la fin de sa part")

    def result(self):
        """The helper's segment (None if it had no document) and the words of its documents, once written."""
        self.feeder.join()
        try:
            status, value, words = pickle.load(self.answer)
        except (EOFError, pickle.UnpicklingError, OSError):
            raise SearchIndexError(f"le processus d'indexation auxiliaire s'est arrêté "
                                   f"(code {self.process.wait()})") from self.failure
        if status != "done":
            raise SearchIndexError(f"le processus d'indexation auxiliaire a échoué :\n{value}")
        self.process.wait()
        return value, words

    def stop(self) -> None:
        """End the helper and the feeding thread, whatever state they are in."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.queue.put(None)  # a thread still waiting for a batch ends; one writing fails on the closed pipe
        self.feeder.join(5)
        for pipe in (self.process.stdin, self.answer):
            with contextlib.suppress(OSError):  # a broken pipe's unsent bytes
                pipe.close()


def write_two_parts(ix, path: Path, docs: Iterable[SearchDoc], total: int, progress: Callable[[int], None] | None,
                    timeout: float) -> int:
    """Write ``docs`` (about ``total`` of them) into the empty index ``ix`` at ``path``, the first ones by the helper.

    The first of a doc id wins, as in ``write_all``; returns the number of documents written.
    """
    helper = Helper(path / "helper")
    writer = None
    try:
        seen: set[str] = set()
        stream = iter(docs)
        first_part = int(total * HELPER_SHARE)
        batch: list[SearchDoc] = []
        for doc in stream:
            if doc.doc_id in seen:
                continue
            seen.add(doc.doc_id)
            batch.append(doc)
            if len(batch) == BATCH:
                helper.send(batch)
                batch = []
            if progress and len(seen) % 500 == 0:
                progress(len(seen))
            if len(seen) >= first_part:
                break
        if batch:
            helper.send(batch)
        helper.send(None)
        try:
            writer = RebuildWriter(ix, timeout=timeout)
        except index.LockError as err:
            raise IndexBusy(path, timeout) from err

        def tick(count: int) -> None:
            helper.check()
            if progress:
                progress(count)

        vocabulary = add_documents(writer, stream, seen, tick)
        first, words = helper.result()
        vocabulary |= words
        if vocabulary:  # one vocabulary document, last, as in one process: every document keeps its number
            writer.add_document(**vocabulary_fields(vocabulary, uuid.uuid4().hex))
        segments = []
        if first is not None:
            for name in os.listdir(helper.folder):
                if name.startswith(first.segment_id() + "."):
                    os.replace(helper.folder / name, path / name)
            segments.append(first)
        shutil.rmtree(helper.folder)
        if writer.docnum:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(segments)
        writer._finish()
        writer = None
        return len(seen)
    except BaseException:
        if writer is not None and not writer.is_closed:
            writer.cancel()
        raise
    finally:
        helper.stop()
