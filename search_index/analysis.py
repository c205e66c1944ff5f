"""French text analysis: tokenizer, accent folding, inclusive writing, stop words and stemming.

The chain is the one the team measured: tokenize, lowercase, fold accents (œ -> oe, æ -> ae
included), expand inclusive forms, drop stop words, then Snowball French stemming. Folding comes
before stemming so that an accented word and its plain spelling reach the stemmer as the same
string: on the 22 accented/plain pairs of ``ACCENT_PAIRS`` the chain maps 22/22 to the same token,
against 18/22 when stemming first and folding after, and 4/22 with no folding at all
(``tests/unit/test_search_analyzer.py`` measures and prints the three figures).

French as people type it:
- apostrophes, straight or typographic (l’accès, d'une, qu’il), split words; the elided article
  is a stop word, so "l’accès" indexes as "acces";
- inclusive forms with a middle dot (·, ⸱, •, ‧, ⋅, a dot between letters, or "(e)") index both
  the masculine and the feminine word at the same position: "éducateur·rice·s" -> éducateurs +
  éducatrices, so a query for either finds it;
- numbers and acronyms stay searchable, whatever their case: tokens holding a digit or no vowel
  (2024, QPV, CHRS) are never stemmed, most others (CCAS, PMI, RSA) leave the stemmer unchanged, and
  "C.C.A.S." is read as "ccas".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.snowball.french import FrenchStemmer
from whoosh.lang.stopwords import stoplists

# Middle dots people use for inclusive writing; "." only counts between letters (see tokenizer).
INCLUSIVE_DOTS = "·⸱•‧⋅∙."
_WORD = r"[\w\u0300-\u036f]+"  # combining accents belong to the word (text typed in NFD)
TOKEN_RE = re.compile(rf"{_WORD}(?:[{re.escape(INCLUSIVE_DOTS)}]{_WORD})*")
SEPARATOR_RE = re.compile(rf"[{re.escape(INCLUSIVE_DOTS)}]")
# "étudiant(e)s" is rewritten "étudiant·e·s" before tokenizing: same length, so offsets still hold.
# No look-behind for the letter before "(": with one, the regex engine tries every position of a write-up
# (60 µs); starting with a literal "(" it jumps from one to the next (2 µs). The letter is checked after.
PAREN_FORM_RE = re.compile(r"\((e|es|le|ne|te|se|ve|rice|trice|ice|euse|ère|ere)\)")
_LETTER_RE = re.compile(r"\w")


def _prepare(text: str) -> str:
    """Same-length rewrites before tokenizing: "(e)" forms get middle dots, ʼ (a letter) becomes '."""
    if "(" in text:
        def dotted(m: re.Match) -> str:
            after_letter = m.start() > 0 and _LETTER_RE.match(text, m.start() - 1)
            return f"·{m.group(1)}·" if after_letter else m.group()

        text = PAREN_FORM_RE.sub(dotted, text)
    if "\u02bc" in text:
        text = text.replace("\u02bc", "'")
    return text


def _fold_table() -> dict[int, str]:
    """Accent folding for Latin letters, plus the ligatures NFKD does not split."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base and base != char:
            table[code] = base
    # NFKD leaves these whole, and whoosh's accent_map misses œ/æ: "œuvre" must match "oeuvre".
    table.update({ord(k): v for k, v in {
        "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "ł": "l",
    }.items()})
    for code in range(0x300, 0x370):  # combining marks of NFD text
        table[code] = ""
    return table


FOLD_TABLE = _fold_table()


def fold(text: str) -> str:
    """Lowercase and strip accents: "Œuvre Évaluée" -> "oeuvre evaluee"."""
    return text.lower().translate(FOLD_TABLE)


_EXTRA_STOPS = [
    "a", "les", "cet", "cette", "ces", "dont", "ou", "où", "leurs", "ni", "lors", "quelle",
    "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu",  # elided: jusqu’à, lorsqu’il
]
# "" too: a lone combining accent folds to nothing and must not become an empty term.
STOPWORDS = frozenset(fold(w) for w in stoplists["fr"] | set(_EXTRA_STOPS) | {""})

# Accented/plain pairs a French reader expects to match; the module docstring reports the score.
ACCENT_PAIRS = [
    ("évaluation", "evaluation"), ("Évaluations", "evaluations"), ("éducatrice", "educatrice"),
    ("accès", "acces"), ("développement", "developpement"), ("œuvre", "oeuvre"), ("Œuvres", "oeuvres"),
    ("médiation", "mediation"), ("santé", "sante"), ("société", "societe"), ("précarité", "precarite"),
    ("élu", "elu"), ("égalité", "egalite"), ("bénévoles", "benevoles"), ("activités", "activites"),
    ("préfecture", "prefecture"), ("réseau", "reseau"), ("cœur", "coeur"), ("intérêt", "interet"),
    ("âgées", "agees"), ("usagère", "usagere"), ("collège", "college"),
]

_stemmer = FrenchStemmer()
# Snowball strips "-er" from "usager" but keeps "usagers" whole, and leaves "-eux" plurals of
# "-eu" nouns alone: these words would not find their own plural without a nudge.
_EU_PLURALS = {w + "x": w for w in ["jeu", "enjeu", "lieu", "milieu", "feu", "voeu", "neveu", "cheveu", "adieu"]}
_STEM_CACHE: dict[str, str] = {}
_VOWELS = frozenset("aeiouy")


def stem(word: str) -> str:
    """Snowball French stem of a folded word; acronyms (no vowel) and numbers are kept whole."""
    cached = _STEM_CACHE.get(word)
    if cached is None:
        if any(c.isdigit() for c in word) or _VOWELS.isdisjoint(word):
            cached = word
        else:
            base = word[:-1] if word.endswith("ers") and len(word) > 4 else _EU_PLURALS.get(word, word)
            cached = _stemmer.stem(base)
        if len(_STEM_CACHE) > 100_000:  # a bound for hostile input; real vocabularies stay far below
            _STEM_CACHE.clear()
        _STEM_CACHE[word] = cached
    return cached


FEMININE_ENDINGS = frozenset([
    "e", "es", "le", "lle", "ne", "te", "se", "sse", "esse", "fe", "ve", "ive", "rice", "trice", "ice",
    "euse", "ere", "iere", "ienne",
])


def _feminine(base: str, suffix: str) -> str:
    """Feminine word of an inclusive pair, on folded text: ("educateur", "rice") -> "educatrice"."""
    rules = (
        (("rice", "trice", "ice"), "teur", lambda: base[:-4] + "trice"),
        (("euse", "se"), "eux", lambda: base[:-1] + "se"),
        (("euse", "se"), "eur", lambda: base[:-3] + "euse"),
        (("ienne", "ne"), "ien", lambda: base + "ne"),
        (("ve", "ive"), "f", lambda: base[:-1] + "ve"),
        (("ere", "iere"), "er", lambda: base[:-2] + "ere"),
        (("le", "lle"), "l", lambda: base + "le"),
    )
    for suffixes, ending, build in rules:
        if suffix in suffixes and base.endswith(ending):
            return build()
    if suffix in ("e", "es", "ne", "te", "le"):
        return base + suffix
    # "ambassadeur·drice": the feminine ending starts where its first letter last appears.
    cut = base.rfind(suffix[0], max(0, len(base) - 5), len(base) - 1)
    return base[:cut] + suffix if cut > 0 else base + suffix


def expand_inclusive(word: str) -> list[str]:
    """Words a dotted token stands for: "educateur·rice·s" -> ["educateurs", "educatrices"]."""
    parts = [p for p in SEPARATOR_RE.split(word) if p]
    if len(parts) < 2:
        return parts
    if all(p.isdigit() for p in parts):
        return [word]  # 3.5, 1.2.3: numbers stay whole
    if all(len(p) == 1 for p in parts):
        return ["".join(parts)]  # C.C.A.S -> ccas
    base, rest = parts[0], parts[1:]
    plural = rest[-1] in ("s", "x")
    if plural:
        rest = rest[:-1]
    if not rest:
        return [base + "s"]
    suffix = rest[0]
    # A plain dot is inclusive only before a known ending: "www.site.fr" is three words.
    plain_dot = not any(dot in word for dot in INCLUSIVE_DOTS if dot != ".")
    if (len(rest) > 1 or len(suffix) > 6 or not suffix.isalpha() or not base.isalpha()
            or (plain_dot and suffix not in FEMININE_ENDINGS)):
        return parts
    feminine = _feminine(base, suffix)
    if plural:
        return [base if base.endswith(("s", "x")) else base + "s", feminine + "s"]
    return [base, feminine]


class FrenchTokenizer(Tokenizer):
    """Splits on spaces, punctuation and apostrophes; keeps dotted inclusive forms whole."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        """Yield one reused Token per word, as whoosh tokenizers do."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.pos, t.startchar, t.endchar = start_pos, start_char, start_char + len(value)
            yield t
            return
        value = _prepare(value)
        for pos, match in enumerate(TOKEN_RE.finditer(value), start_pos):
            t.text = match.group(0)
            if keeporiginal:
                t.original = t.text
            t.stopped = False
            t.boost = 1.0
            t.pos = pos
            t.startchar = start_char + match.start()
            t.endchar = start_char + match.end()
            yield t


class FoldFilter(Filter):
    """Lowercases and folds accents and ligatures (œ -> oe), before stemming sees the word."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """Fold each token's text."""
        for t in tokens:
            t.text = t.text.lower().translate(FOLD_TABLE)
            yield t


class InclusiveFilter(Filter):
    """Expands inclusive forms into masculine + feminine words at the same position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """Replace each dotted token by the words it stands for."""
        search = SEPARATOR_RE.search
        for t in tokens:
            if search(t.text) is None:
                yield t
                continue
            pos = t.pos
            for word in expand_inclusive(t.text):
                # The same Token goes down the chain twice: later filters renumber it in between.
                t.text, t.pos = word, pos
                yield t


class FrenchStopFilter(Filter):
    """Drops stop words; renumbers positions so that alternatives keep sharing one position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """Mark or drop stop words, closing the position gaps they leave."""
        stops = STOPWORDS
        last_pos, new_pos = None, -1
        for t in tokens:
            if t.text in stops:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            # Renumbering keeps "accès aux droits" a phrase match for "accès droits".
            if t.pos != last_pos:
                last_pos, new_pos = t.pos, new_pos + 1
            t.pos = new_pos
            t.stopped = False
            yield t


class FrenchStemFilter(Filter):
    """Snowball French stemming, skipped for acronyms and numbers (see ``stem``)."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """Stem each token that is not a stop word."""
        pos, seen = None, set()
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
                # éducateur·rice gives "educ" twice at one position: count it once.
                if t.pos != pos:
                    pos, seen = t.pos, set()
                if t.text in seen:
                    continue
                seen.add(t.text)
            yield t


def french_analyzer() -> CompositeAnalyzer:
    """The analyzer of every text field: tokenize, fold, expand inclusive forms, stop, stem."""
    return FrenchTokenizer() | FoldFilter() | InclusiveFilter() | FrenchStopFilter() | FrenchStemFilter()


_ANALYZER = french_analyzer()


_RAW_CACHE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _analyze_raw(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, stems) of one token as the tokenizer cut it; both empty for a stop word."""
    entry = _RAW_CACHE.get(raw)
    if entry is None:
        folded = fold(raw)
        found = expand_inclusive(folded) if SEPARATOR_RE.search(folded) else [folded]
        kept = tuple(w for w in found if w not in STOPWORDS)
        entry = (kept, tuple(dict.fromkeys(stem(w) for w in kept)))
        if len(_RAW_CACHE) > 100_000:
            _RAW_CACHE.clear()
        _RAW_CACHE[raw] = entry
    return entry


def term_positions(text: str) -> tuple[dict[str, list[int]], set[str]]:
    """Stems -> positions, and the unstemmed words, in one pass: the indexing fast path.

    Same tokens as ``french_analyzer()`` (a test holds them equal), without a Token object and six
    generators per word: this is what keeps a 10k-document rebuild near 30 s.
    """
    raws = TOKEN_RE.findall(_prepare(text))
    cache = _RAW_CACHE
    positions: dict[str, list[int]] = {}
    pos = 0
    for raw in raws:
        entry = cache.get(raw) or _analyze_raw(raw)
        if not entry[1]:
            continue
        for s in entry[1]:
            found = positions.get(s)
            if found is None:
                positions[s] = [pos]
            else:
                found.append(pos)
        pos += 1
    words: set[str] = set()
    for raw in set(raws):
        words.update((cache.get(raw) or _analyze_raw(raw))[0])
    return positions, words


def stem_spans(text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """(start, end, stems) of each word of a text, offsets into ``text``: what highlights need."""
    cache = _RAW_CACHE
    for match in TOKEN_RE.finditer(_prepare(text)):
        stems = (cache.get(match.group()) or _analyze_raw(match.group()))[1]
        if stems:
            yield match.start(), match.end(), stems


_COMBINING_RE = re.compile("[\u0300-\u036f]")
_WORD_CHAR_RE = re.compile(rf"{_WORD[:-1]}")


def _letter_classes() -> dict[str, str]:
    """Folded letter -> regex class of the lower-case letters that fold to it ("e" -> "[eéèêë…]")."""
    variants: dict[str, set[str]] = {}
    for code, value in FOLD_TABLE.items():
        char = chr(code)
        if value and char == char.lower():
            variants.setdefault(value[0].lower(), set()).add(char)
    variants.setdefault("i", set()).update("yÿ")  # snowball may turn a "y" into "i" ("loyers" -> "loi")
    return {letter: "[" + re.escape(letter + "".join(sorted(chars))) + "]" for letter, chars in variants.items()}


_LETTER_CLASSES = _letter_classes()


@functools.lru_cache(maxsize=256)
def _candidates_re(terms: frozenset[str]) -> re.Pattern:
    """Where the words of these stems may be, in lower-cased text: their first letters, accents allowed."""
    prefixes = set()
    for term in terms:
        # Snowball rewrites at most the last three letters of a stem (logie -> log, ence -> ent, enn -> en).
        prefix = term[: max(3, len(term) - 3)]
        prefixes |= {prefix, prefix.replace("oe", "o").replace("ae", "a")}  # œ and æ are one letter
    patterns = ["".join(_LETTER_CLASSES.get(c, re.escape(c)) for c in p) for p in sorted(prefixes, key=len, reverse=True)]
    return re.compile("|".join(patterns))


def matching_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """(start, end) of the words of ``text`` whose stems are among ``terms`` (what highlights mark).

    Equal to filtering ``stem_spans`` but several times faster on a write-up: only the words that
    contain a stem's first letters (found by one regex, accented letters allowed) are analysed.
    Stemming only rewrites endings, so a matching word always holds its stem but for its last three letters.
    """
    prepared = _prepare(text)
    folded = prepared.lower()
    if len(folded) != len(prepared) or _COMBINING_RE.search(prepared):
        return [(a, b) for a, b, stems in stem_spans(text) if not terms.isdisjoint(stems)]
    candidates = _candidates_re(frozenset(terms))
    cache, spans, seen = _RAW_CACHE, [], set()
    is_word = _WORD_CHAR_RE.match
    for found in candidates.finditer(folded):
        start = found.start()
        while start > 0 and (is_word(prepared, start - 1) or (
                prepared[start - 1] in INCLUSIVE_DOTS and start > 1 and is_word(prepared, start - 2))):
            start -= 1
        if start in seen:
            continue
        seen.add(start)
        token = TOKEN_RE.match(prepared, start)
        if token is None:
            continue
        stems = (cache.get(token.group()) or _analyze_raw(token.group()))[1]
        if not terms.isdisjoint(stems):
            spans.append((token.start(), token.end()))
    return sorted(spans)


def analyze(text: str) -> list[str]:
    """Index tokens of a text, in order: analyze("L’Évaluation") == ["evalu"]."""
    return [t.text for t in _ANALYZER(text)]


def words(text: str) -> list[str]:
    """Folded, unstemmed words of a text, stop words dropped: the spelling vocabulary."""
    return [t.text for t in _ANALYZER(text, no_morph=True)]
