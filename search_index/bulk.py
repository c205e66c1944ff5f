"""whoosh's segment writer for whole rebuilds: postings gathered per term, not sorted, and written a block at a time.

whoosh's writer puts every posting (field, term, document, weight, positions) of a segment into one pool that it
sorts, spilling sorted runs to disk beyond ``limitmb`` and merging them at commit, then hands the postings one by
one to the field writer, which checks each and buffers it into blocks of 128. At 100k documents of 600 words
(about 40 million postings), the sort, the spilled runs' merge and the per-posting calls were most of a rebuild,
and the merge made it grow faster than the number of documents.

A rebuild adds documents in order, so the postings of a term arrive already sorted by document number: gathered
per term (``TermPool``), only the terms need sorting. ``RebuildWriter`` then writes each term's postings as whole
blocks, setting the block buffer that whoosh's postings writer would have filled posting by posting. The segment's
files are the same, byte for byte, as whoosh's writer makes of the same documents (a test compares them).

This reaches into whoosh's writer (``pool``, ``_flush_segment``) and postings writer (its block buffer and
``_write_block``), as whoosh's own multiprocessing writer does; the byte-for-byte test is what would catch a
whoosh release that changes them. The pool holds the whole segment's postings in memory, with no bound: a process
writing 100k documents of 600 words peaked at 2.7 GB (whoosh's writer spilled past its 512 MB pool instead, at
three times the time); ``search_index.parallel`` splits that between two processes.
"""

from __future__ import annotations

from array import array

from whoosh.writing import SegmentWriter

# A term's postings: document numbers, weights, encoded positions (b"" or None where the format has none).
Postings = tuple[array, array, list]


class TermPool:
    """Postings gathered per (field, term), in the order they are added: a rebuild adds documents in order."""

    def __init__(self) -> None:
        """An empty pool."""
        self.terms: dict[tuple[str, bytes], Postings] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one posting, as whoosh's writer hands it: (field, term, document, weight, positions)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        postings = self.terms.get(key)
        if postings is None:
            postings = self.terms[key] = (array("I"), array("d"), [])
        elif postings[0][-1] >= docnum:
            # Sorting is what this pool leaves out: an earlier document after a later one cannot be written.
            raise ValueError(f"postings out of document order: {fieldname}:{tbytes!r} {docnum}")
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(vbytes)

    def sorted_terms(self):
        """(field, term, postings) in whoosh's order (field, then term), each term dropped once handed out."""
        for key in sorted(self.terms):
            yield key[0], key[1], self.terms.pop(key)

    def iter_postings(self):
        """The postings one by one, as whoosh's pool gives them (``SegmentWriter.iter_postings``)."""
        for fieldname, tbytes, (docs, weights, values) in self.sorted_terms():
            for docnum, weight, vbytes in zip(docs, weights, values, strict=True):
                yield fieldname, tbytes, docnum, weight, vbytes

    def cleanup(self) -> None:
        """Forget every posting (whoosh calls it when the segment is closed or the writer cancelled)."""
        self.terms.clear()


class RebuildWriter(SegmentWriter):
    """A segment writer for an empty index filled in one go: ``TermPool`` instead of the sorting pool."""

    def __init__(self, ix, **kwargs) -> None:
        """Open a writer on ``ix`` (takes whoosh's write lock, as ``ix.writer()`` does)."""
        super().__init__(ix, **kwargs)
        if self.segments:
            self.cancel()  # closes the new segment's files and releases the lock
            raise ValueError("RebuildWriter writes a new index: this one already has segments")
        self.pool.cleanup()  # the sorting pool has nothing yet; its temporary folder goes with the writer
        self.pool = TermPool()

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            self._write_postings(lengths)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()

    def _write_postings(self, lengths) -> None:
        fieldwriter = self.fieldwriter
        field_lengths: list = []
        current = None
        for fieldname, btext, postings in self.pool.sorted_terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
                # Each document's length in this field, read once rather than once per posting.
                field_lengths = ([lengths.doc_field_length(n, fieldname) for n in range(self.docnum)]
                                 if lengths is not None else [0] * self.docnum)
            fieldwriter.start_term(btext)
            _write_blocks(fieldwriter._postwriter, postings, field_lengths)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()


def _write_blocks(writer, postings: Postings, field_lengths: list) -> None:
    """Fill whoosh's block buffer a block at a time, with what ``add_posting`` would have put in it."""
    docs, weights, values = postings
    limit = writer._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            writer._write_block()  # a full block is written when the next posting comes, as add_posting does
        stop = start + limit
        ids, block_weights = docs[start:stop], weights[start:stop]
        writer._ids = ids
        writer._weights = array("f", block_weights)
        writer._values = [v for v in values[start:stop] if v]
        heaviest = max(block_weights)
        writer._maxweight = heaviest if heaviest > 0 else 0
        known = [length for length in map(field_lengths.__getitem__, ids) if length]
        if known:
            writer._minlength, writer._maxlength = min(known), max(known)
