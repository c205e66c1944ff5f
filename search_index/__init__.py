"""Full-text search of the knowledge base: a leaf library over whoosh, with a French analyzer.

Design, in the order a document travels:
- the app maps its models to ``SearchDoc`` (plain values) and sends them to
  ``SearchIndex.apply(upserts, deletes)`` in one writer, or to ``rebuild`` for everything;
- ``schema``: an explicit whoosh schema; title, body and extra go through ``analysis`` (fold
  accents, expand inclusive forms, drop stop words, stem), facets are stored exactly as given;
- ``query``: what a user types is read forgivingly (words, phrases, prefixes, OR, exclusions) and
  compiled into whoosh queries; nothing a user types raises;
- ``engine``: the index of one directory, shared by the worker processes of a host (file lock with
  a timeout for writes, one searcher per process reopened after commits, facet postings cached);
- ``search``: all words must match; when none match together, documents matching most of them are
  returned with ``approximate=True``; facets are counted over the whole matching set;
- ``postings``: what ``search`` computes with: matching sets as masks, whoosh's BM25F over arrays,
  phrases from positions, facet counts; ``segments`` decodes whoosh's segments into those arrays and
  keeps them (a segment never changes once written);
- ``selfcheck``: at start-up (``warm``) a few queries drawn from the index run through ``postings`` and
  through whoosh itself; on a difference the engine logs it and whoosh answers (``fallback``);
- ``results``: hits carry an HTML-safe highlight of the body.

Measured (``bench/search_bench.py``, 2 cores, 10k write-ups of ~750 words, highlights and facets on):
one or two words 2-4 ms once their postings are decoded (6-11 ms the first time after a restart),
phrases 4-5 ms (32-37 ms the first time); a rebuild takes about 25 s.

This package never imports ``kb`` or ``flask``.
"""

from search_index.analysis import analyze, expand_inclusive, fold, french_analyzer, stem, words
from search_index.engine import IndexBusy, IndexOutdated, SearchIndex, SearchIndexError
from search_index.query import parse
from search_index.results import Hit, SearchQuery, SearchResults, excerpt, highlight
from search_index.schema import FACET_FIELDS, FILTER_FIELDS, SearchDoc

__all__ = [
    "FACET_FIELDS",
    "FILTER_FIELDS",
    "Hit",
    "IndexBusy",
    "IndexOutdated",
    "SearchDoc",
    "SearchIndex",
    "SearchIndexError",
    "SearchQuery",
    "SearchResults",
    "analyze",
    "excerpt",
    "expand_inclusive",
    "fold",
    "french_analyzer",
    "highlight",
    "parse",
    "stem",
    "words",
]
