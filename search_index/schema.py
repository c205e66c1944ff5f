"""The whoosh schema and the document the app sends in (``SearchDoc``).

Text fields (title, body, extra) go through the French analyzer; title weighs more than body,
extra (names of people and organisations) less. Facet fields are indexed exactly as given, with no
analysis, so that their counts can be checked against database counts. Stored fields are what a
result line and its highlight need; ``stamp`` is a column so the app can find stale documents, and
``version`` (a column) so that a write never replaces a document by an older version of it.

Unstemmed words (for prefix expansion and spelling suggestions) are not indexed per document: that
doubled the postings of a rebuild. Each write adds one "vocabulary document" holding the words the
index did not know yet; it has no visibility, so no search ever returns or counts it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from whoosh import columns, fields

from search_index.analysis import fold, french_analyzer, term_positions

# Facet fields, in the order the facets are returned. "visibility" is a filter, never a facet.
FACET_FIELDS = ("kind", "territory", "commune", "mode", "publics", "themes", "status", "year", "barrier_kinds",
                "actors", "dimensions", "has_tool")
LIST_FIELDS = ("publics", "themes", "barrier_kinds", "actors", "dimensions")
FILTER_FIELDS = (*FACET_FIELDS, "visibility")
TEXT_FIELDS = ("title", "labels", "body", "extra")

_memo = threading.local()


def analyzed(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """``term_positions`` of a text, remembered for the next few calls of this thread.

    The writer collects a document's words (``doc_words``) and whoosh asks the same texts' terms
    right after: the second call costs a dictionary lookup, not an analysis.
    """
    recent = getattr(_memo, "recent", None)
    if recent is None:
        recent = _memo.recent = {}
    found = recent.get(text)
    if found is None:
        if len(recent) >= 6:
            del recent[next(iter(recent))]  # the oldest: dicts keep insertion order
        found = recent[text] = term_positions(text)
    return found


_SINGLE_POSITION: dict[int, bytes] = {}


class FrenchText(fields.TEXT):
    """A TEXT field indexed through ``term_positions`` rather than a chain of Token generators.

    Same terms as the analyzer (a test holds them equal), about four times faster: whoosh calls the
    analyzer's six generators for each word. Queries and highlights still use the analyzer.
    """

    def __init__(self, **kwargs) -> None:
        """A positional (phrase-capable) text field with the French analyzer."""
        super().__init__(analyzer=french_analyzer(), phrase=True, **kwargs)

    def index(self, value: str | list[str], **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, positions) for each stem of the value."""
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        positions, _ = analyzed(value)
        boost = self.format.field_boost
        encode = self.format.encode
        single = _SINGLE_POSITION
        for term, poslist in positions.items():
            if len(poslist) == 1:
                # Most words occur once in a document: reuse the encoding of a lone position.
                encoded = single.get(poslist[0])
                if encoded is None:
                    encoded = single[poslist[0]] = encode(poslist)
            else:
                encoded = encode(poslist)
            yield term.encode("utf-8"), len(poslist), len(poslist) * boost, encoded


# Every indexed field is "scorable" (has a length column) for speed, not for scores: at commit,
# whoosh looks for the length column of each posting's field and, when there is none, checks the
# disk again for every posting. That stat() per posting was two thirds of a rebuild.


class Exact(fields.ID):
    """A value indexed exactly as given (no analysis), stored."""

    scorable = True


class ExactList(fields.KEYWORD):
    """Several exact values: give it a list, each item is indexed untouched (no comma splitting)."""

    def __init__(self, stored: bool = False) -> None:
        """A scorable keyword field (KEYWORD sets ``scorable`` per instance)."""
        super().__init__(stored=stored, scorable=True)


def build_schema() -> fields.Schema:
    """The explicit schema of the search index."""
    return fields.Schema(
        doc_id=Exact(stored=True, unique=True, sortable=True),
        kind=Exact(stored=True),
        title=FrenchText(stored=True, field_boost=3.0),
        # What an action is tagged with, in words (publics, themes, their synonyms, the kinds of its
        # findings): it weighs more than a passing mention in the body.
        labels=FrenchText(field_boost=3.0),
        body=FrenchText(stored=True),
        extra=FrenchText(field_boost=0.5),
        # Unstemmed words, in vocabulary documents only: prefix expansion and suggestions.
        words=ExactList(),
        url=fields.STORED(),
        territory=Exact(stored=True),
        commune=Exact(stored=True),
        mode=Exact(stored=True),
        publics=ExactList(stored=True),
        themes=ExactList(stored=True),
        barrier_kinds=ExactList(),
        actors=ExactList(),
        dimensions=ExactList(),
        has_tool=Exact(),
        status=Exact(stored=True),
        year=Exact(stored=True),
        visibility=Exact(stored=True),
        date=fields.STORED(),
        # Sort keys live in columns only: indexing a date costs eight postings per document.
        day=fields.COLUMN(columns.NumericColumn("i")),
        sort_title=fields.COLUMN(columns.VarBytesColumn()),
        # Read only as a column (`index check`): indexing it cost one posting list per document.
        stamp=fields.COLUMN(columns.VarBytesColumn()),
        # The app's version of the document: a write of an older version is skipped (see engine.apply).
        version=fields.COLUMN(columns.NumericColumn("q")),
    )


SCHEMA = build_schema()


@dataclass
class SearchDoc:
    """One document as the app sends it: plain values, no model object."""

    doc_id: str
    kind: str
    title: str
    body: str
    extra: str = ""
    labels: str = ""
    url: str = ""
    territory: str | None = None
    commune: str | None = None
    mode: str | None = None
    publics: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    barrier_kinds: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    has_tool: str | None = None
    status: str | None = None
    year: int | None = None
    date: dt.date | None = None
    visibility: str = "public"
    stamp: str = ""
    version: int = 0


def _text(value: str | None) -> str:
    """A string whoosh can encode: lone surrogates (broken input) become "?"."""
    return str(value).encode("utf-8", "replace").decode("utf-8") if value else ""


def to_fields(doc: SearchDoc) -> dict:
    """Whoosh field values of a document; empty facets are left out so they are never counted."""
    if not doc.doc_id:
        raise ValueError("SearchDoc.doc_id is empty")
    title = _text(doc.title)
    values: dict = {
        "doc_id": _text(doc.doc_id),
        "kind": _text(doc.kind),
        "title": title,
        "body": _text(doc.body),
        "extra": _text(doc.extra),
        "labels": _text(doc.labels),
        "url": doc.url or "",
        "visibility": _text(doc.visibility) or "public",
        "sort_title": " ".join(fold(title).split())[:200].encode("utf-8"),
        "stamp": _text(doc.stamp).encode("utf-8"),
        "version": int(doc.version),
    }
    for name in ("territory", "commune", "mode", "status", "has_tool"):
        value = _text(getattr(doc, name))
        if value:
            values[name] = value
    for name in LIST_FIELDS:
        kept = sorted({_text(v) for v in getattr(doc, name) or () if v})
        if kept:
            values[name] = kept
    if doc.year is not None:
        values["year"] = str(doc.year)
    if doc.date is not None:
        day = doc.date.date() if isinstance(doc.date, dt.datetime) else doc.date
        values["date"] = day
        values["day"] = day.toordinal()  # undated documents get 0: last when newest come first
    return values


VOCABULARY_KIND = "__vocabulary__"


def doc_words(values: dict) -> set[str]:
    """Folded, unstemmed words of the text fields of ``to_fields(doc)``."""
    return set().union(*(analyzed(values[name])[1] for name in TEXT_FIELDS))


def vocabulary_fields(new_words: set[str], tag: str) -> dict:
    """Fields of a vocabulary document: words only, no visibility, never a search result."""
    return {"doc_id": f"{VOCABULARY_KIND}:{tag}", "kind": VOCABULARY_KIND, "words": sorted(new_words)}


def same_schema(stored: fields.Schema) -> bool:
    """Whether an index on disk was written with this version's fields."""
    def shape(schema: fields.Schema) -> list[tuple[str, str]]:
        return sorted((name, type(schema[name]).__name__) for name in schema.names())

    return shape(stored) == shape(SCHEMA)
