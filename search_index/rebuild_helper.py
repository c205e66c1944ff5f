"""The helper process of a rebuild on two processors (``search_index.parallel``): ``python -P -m
search_index.rebuild_helper FOLDER FD`` writes the documents it reads, pickled, on its standard input into one
segment in FOLDER, and answers on the file descriptor FD (a pipe of its own) with that segment and the words of its
documents, or the error."""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Iterable

from whoosh import index

from search_index.bulk import RebuildWriter
from search_index.schema import SCHEMA, SearchDoc
from search_index.writes import add_documents


def main(folder: str, answer_fd: int) -> None:
    """The helper's side: write the documents read on stdin, answer on ``answer_fd`` with the segment (or the
    error)."""
    inbox, outbox = sys.stdin.buffer, os.fdopen(answer_fd, "wb")
    try:
        writer = RebuildWriter(index.create_in(folder, SCHEMA))
        try:
            words = add_documents(writer, _received(inbox), set())
            segment = writer._finalize_segment() if writer.docnum else None
        except BaseException:
            writer.cancel()
            raise
        writer._finish()
        answer = ("done", segment, words)
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
        answer = ("failed", traceback.format_exc(), None)
    pickle.dump(answer, outbox, protocol=pickle.HIGHEST_PROTOCOL)
    outbox.flush()
    if answer[0] != "done":
        sys.exit(1)  # the parent sees a failure as soon as it looks, before reading the answer


def _received(inbox) -> Iterable[SearchDoc]:
    while True:
        batch = pickle.load(inbox)
        if batch is None:
            return
        yield from batch


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
