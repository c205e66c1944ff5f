"""What a search takes and gives back (``SearchQuery``, ``Hit``, ``SearchResults``) and highlights.

Highlights are HTML fragments of the body: matched words in ``<mark>``, every other character
escaped, because the body is user input and the app inserts the fragment as is.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from search_index.analysis import matching_spans

FRAGMENT_CHARS = 220
CONTEXT_CHARS = 60


@dataclass
class SearchQuery:
    """A search as the app asks for it; the defaults browse the public documents."""

    text: str = ""
    # Facet field -> accepted values: OR within a field, AND across fields.
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"  # "relevance", "date" (newest first) or "title"
    page: int = 1
    per_page: int = 20
    visibilities: set[str] = field(default_factory=lambda: {"public"})


@dataclass
class Hit:
    """One result line."""

    doc_id: str
    kind: str
    title: str
    url: str
    highlight: str  # safe HTML: escaped text, matched words in <mark>
    score: float = 0.0
    date: dt.date | None = None
    territory: str | None = None
    commune: str | None = None
    mode: str | None = None
    year: int | None = None
    status: str | None = None
    publics: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    visibility: str = "public"


@dataclass
class SearchResults:
    """A page of hits, with counts over the whole matching set."""

    hits: list[Hit]
    total: int
    page: int
    per_page: int
    # Facet field -> (value, count) over every matching document, most frequent first.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None  # a corrected query that has results ("Vouliez-vous dire …")
    approximate: bool = False  # True when the hits match most of the words, not all
    unmatched_terms: list[str] = field(default_factory=list)
    query_text: str = ""

    @property
    def pages(self) -> int:
        """Number of pages of ``per_page`` hits."""
        return max(1, -(-self.total // max(1, self.per_page)))


def excerpt(text: str, limit: int = FRAGMENT_CHARS) -> str:
    """The start of a text, cut at a word, escaped: the line shown when nothing is highlighted."""
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit] + " …"
    return html.escape(text)


def _windows(text: str, spans: list[tuple[int, int]], top: int) -> list[tuple[int, int]]:
    """Up to ``top`` non-overlapping windows holding the most matches, in text order."""
    if len(text) <= FRAGMENT_CHARS:
        return [(0, len(text))]
    candidates = []
    for i, (first, last) in enumerate(spans):
        start = max(0, min(first - CONTEXT_CHARS, len(text) - FRAGMENT_CHARS))
        end = max(last, min(len(text), start + FRAGMENT_CHARS))  # a very long word still fits
        inside = sum(1 for a, b in spans[i:] if b <= end) + sum(1 for a, _ in spans[:i] if a >= start)
        candidates.append((-inside, i, start, end))
    chosen: list[tuple[int, int]] = []
    for _, _, start, end in sorted(candidates):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
        if len(chosen) == top:
            break
    return sorted(chosen)


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """One window of text, escaped, its matches in <mark>, cut at word boundaries."""
    inside = [(a, b) for a, b in spans if a >= start and b <= end]
    if start > 0:
        space = text.find(" ", start, inside[0][0])
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", inside[-1][1], end)
        end = space if space >= 0 else end
    out = []
    pos = start
    for a, b in inside:
        out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: set[str], top: int = 2) -> str:
    """Best fragments of a text with the words of the given stems in <mark>; else an excerpt."""
    if not text:
        return ""
    spans = matching_spans(text, terms) if terms else []
    if not spans:
        return excerpt(text)
    windows = _windows(text, spans, top)
    marked = " … ".join(_render(text, start, end, spans) for start, end in windows)
    marked = ("… " if windows[0][0] > 0 else "") + marked + (" …" if windows[-1][1] < len(text) else "")
    # Collapsing whitespace is safe: the markup added holds none.
    return " ".join(marked.split())


def to_hit(stored: dict, score: float | None, terms: set[str]) -> Hit:
    """A result line from a document's stored fields."""
    day = stored.get("date")
    year = stored.get("year")
    return Hit(
        doc_id=stored["doc_id"],
        kind=stored.get("kind", ""),
        title=stored.get("title", ""),
        url=stored.get("url", ""),
        highlight=highlight(stored.get("body", ""), terms),
        score=float(score or 0.0),
        date=day,
        territory=stored.get("territory"),
        commune=stored.get("commune"),
        mode=stored.get("mode"),
        year=int(year) if year and year.isdecimal() else None,
        status=stored.get("status"),
        publics=list(stored.get("publics") or []),
        themes=list(stored.get("themes") or []),
        visibility=stored.get("visibility", "public"),
    )
