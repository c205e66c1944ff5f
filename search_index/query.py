"""What a user types, read forgivingly, then compiled into whoosh queries over the text fields.

The engine does not use whoosh's query parser: its syntax (fields, ranges, boosts, single quotes
that swallow "l'accès à l'emploi") is a trap for people typing French, and its errors surface as
internals. This reader knows only what people use:
- words, ANDed: ``évaluation collective``;
- phrases in straight, typographic or French quotes: ``"développement social local"``, « … »;
- prefixes: ``évalu*`` (three letters at least, two prefixes per query; more read as words);
- OR between two terms: ``CCAS OR CIAS`` (also ``OU``), exclusion: ``-jeunes``, ``NOT``/``SAUF``;
  ``AND``/``ET`` are accepted and change nothing.
Everything else (unbalanced quotes, lone operators, ``title:``, brackets, control characters,
emoji) is read as text or dropped, never as an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import IndexReader

from search_index.analysis import TOKEN_RE, fold, stem, term_positions
from search_index.schema import TEXT_FIELDS

MAX_QUERY_CHARS = 300
MAX_CLAUSES = 12
# Each expanded word is a term matcher per field: these bounds keep "ac* co* dé*…" under a second.
MAX_PREFIXES = 2
MAX_PREFIX_WORDS = 60
MIN_PREFIX_CHARS = 3


OR_WORDS = frozenset({"OR", "OU"})
AND_WORDS = frozenset({"AND", "ET"})
NOT_WORDS = frozenset({"NOT", "SAUF"})
OPERATORS = OR_WORDS | AND_WORDS | NOT_WORDS
_QUOTES = str.maketrans({q: '"' for q in "«»“”„‟″＂"})
# Query syntax of other engines that must read as plain separators here.
_SEPARATORS_RE = re.compile(r"[:()\[\]{}^~\\|/<>=+&;,]")
_WILDCARD_RE = re.compile(r"[*?]")


@dataclass(frozen=True)
class Clause:
    """One thing to find: a word, a quoted phrase or a prefix, as the user wrote it."""

    kind: str  # "word", "phrase" or "prefix"
    text: str

    def display(self) -> str:
        """The clause written back in query syntax."""
        if self.kind == "phrase" or (self.kind == "word" and self.text in OPERATORS):
            return f'"{self.text}"'  # a word spelled like an operator ("*AND") stays a word
        if self.kind == "prefix":
            return f"{self.text}*"
        return self.text


@dataclass
class ParsedQuery:
    """Groups of alternatives (AND between groups, OR inside one) and excluded clauses."""

    groups: list[tuple[Clause, ...]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)

    def clauses(self) -> list[Clause]:
        """Every positive clause, in the order typed."""
        return [c for group in self.groups for c in group]

    def text(self, replace: dict[Clause, str] | None = None) -> str:
        """The query as it was run, optionally with some clauses rewritten (suggestions)."""
        replace = replace or {}

        def show(c: Clause) -> str:
            return replace[c] if c in replace else c.display()

        parts = [" OU ".join(show(c) for c in group) for group in self.groups]
        parts += [f"-{show(c)}" for c in self.excluded]
        return " ".join(parts)


def sanitize(text: str) -> str:
    """Control characters and query syntax out, quotes unified, length bounded at a word end."""
    text = str(text)[: MAX_QUERY_CHARS * 4]
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") else c for c in text)
    text = _SEPARATORS_RE.sub(" ", text.translate(_QUOTES))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_QUERY_CHARS]
    return text


def _scan(text: str) -> list[tuple[str, str, bool]]:
    """(kind, text, negated) items: quoted phrases and whitespace-separated words."""
    items: list[tuple[str, str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        negated = False
        if c in "-!":
            i += 1
            if i >= n or text[i].isspace():
                continue  # a lone "-" excludes nothing
            negated, c = True, text[i]
        if c == '"':
            end = text.find('"', i + 1)
            if end == -1:
                i += 1  # unbalanced quote: the rest is read as plain words
                continue
            items.append(("phrase", text[i + 1 : end], negated))
            i = end + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        items.append(("word", text[i:j], negated))
        i = j
    return items


def _clause(kind: str, text: str, prefix_allowed: bool = True) -> Clause | None:
    """A clause for one scanned item, or None when nothing in it is searchable."""
    if kind == "word":
        # Wildcards inside a word ("év*ation", "0*0") are not supported: they read as a hyphen.
        # A leading "-" or "!" left after the scanner took one is punctuation, not a second exclusion.
        core = _WILDCARD_RE.sub("-", text.strip("*?")).lstrip("-!")
        raw = TOKEN_RE.findall(core)
        if text.endswith("*") and raw and len(fold(raw[-1])) >= MIN_PREFIX_CHARS and prefix_allowed:
            return Clause("prefix", core)
        text = core
    text = " ".join(text.split())
    return Clause(kind, text) if term_positions(text)[0] else None


def parse(text: str) -> ParsedQuery:
    """Read a query string; unknown syntax becomes text, never an error."""
    parsed = ParsedQuery()
    join_next = exclude_next = False
    for kind, value, negated in _scan(sanitize(text)):
        if kind == "word" and value in AND_WORDS:
            continue
        if kind == "word" and value in OR_WORDS:
            join_next = bool(parsed.groups)
            continue
        if kind == "word" and value in NOT_WORDS:
            exclude_next = True
            continue
        prefixes = sum(c.kind == "prefix" for c in parsed.clauses() + parsed.excluded)
        clause = _clause(kind, value, prefix_allowed=prefixes < MAX_PREFIXES)
        if clause is None:
            join_next = exclude_next = False
            continue
        if negated or exclude_next:
            if clause not in parsed.excluded:
                parsed.excluded.append(clause)
        elif join_next:
            parsed.groups[-1] = (*parsed.groups[-1], clause)
        elif (clause,) not in parsed.groups:
            parsed.groups.append((clause,))
        join_next = exclude_next = False
        if len(parsed.groups) + len(parsed.excluded) >= MAX_CLAUSES:
            break
    return parsed


def plain_words(text: str) -> ParsedQuery:
    """The fallback reading: every word on its own, no phrase, prefix or operator."""
    parsed = ParsedQuery()
    for raw in TOKEN_RE.findall(sanitize(text).replace('"', " ")):
        clause = _clause("word", raw)
        if clause is not None and (clause,) not in parsed.groups:
            parsed.groups.append((clause,))
        if len(parsed.groups) >= MAX_CLAUSES:
            break
    return parsed


def _slots(text: str) -> list[list[str]]:
    """Stems of a text by position: alternatives of an inclusive form share a slot."""
    positions, _ = term_positions(text)
    by_pos: dict[int, list[str]] = {}
    for term, poslist in positions.items():
        for pos in poslist:
            by_pos.setdefault(pos, []).append(term)
    return [sorted(by_pos[p]) for p in sorted(by_pos)]


def _any_field(make) -> wq.Query:
    """The same query over each text field, any of them matching."""
    return wq.Or([make(name) for name in TEXT_FIELDS])


def _slots_query(slots: list[list[str]]) -> wq.Query:
    """Terms (one slot) or a phrase (several slots) over the text fields."""
    if len(slots) == 1:
        return _any_field(lambda f: wq.Or([wq.Term(f, s) for s in slots[0]]))
    if all(len(alts) == 1 for alts in slots):
        return _any_field(lambda f: wq.Phrase(f, [alts[0] for alts in slots]))
    return _any_field(lambda f: wq.Sequence([wq.Or([wq.Term(f, s) for s in alts]) for alts in slots]))


def prefix_words(reader: IndexReader, prefix: str) -> list[str]:
    """Unstemmed indexed words starting with a folded prefix (at most ``MAX_PREFIX_WORDS``)."""
    found = []
    for word in reader.expand_prefix("words", prefix):
        found.append(word.decode("utf-8") if isinstance(word, bytes) else word)
        if len(found) >= MAX_PREFIX_WORDS:
            break
    return found


def compile_clause(clause: Clause, reader: IndexReader) -> tuple[wq.Query, set[str]]:
    """The whoosh query of a clause, and the stems a highlight should mark for it."""
    if clause.kind != "prefix":
        slots = _slots(clause.text)
        return _slots_query(slots), {s for alts in slots for s in alts}
    raw = TOKEN_RE.findall(clause.text)
    prefix = fold(raw[-1])
    # The words, not the stems, carry the prefix: "évaluat*" must find "évaluation" (stem "evalu").
    stems = sorted({stem(w) for w in prefix_words(reader, prefix)})
    q: wq.Query = _any_field(lambda f: wq.Or([wq.Term(f, s) for s in stems]))
    before = _slots(" ".join(raw[:-1])) if len(raw) > 1 else []
    if before:
        q = wq.And([_slots_query(before), q])
    return q, set(stems) | {s for alts in before for s in alts}


def group_query(group: tuple[Clause, ...], compiled: dict[Clause, wq.Query]) -> wq.Query:
    """One AND operand: a clause, or the OR of its alternatives."""
    return compiled[group[0]] if len(group) == 1 else wq.Or([compiled[c] for c in group])
