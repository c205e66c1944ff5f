"""Place-name folding: the keys the gazetteer compares, so "ST REMY DE PROVENCE" meets "Saint-Rémy-de-Provence".

Official names (INSEE) write "Saint-Rémy-de-Provence" and "Marseille 16e Arrondissement"; people and
address files write "ST REMY DE PROVENCE", "St-Rémy", "MARSEILLE 16", "Puy-en-Velay (Le)". `normalize`
maps all of them to one key: no accents, no case, words separated by one space, "st"/"ste" spelt out,
an arrondissement written as its bare number, and a trailing "(Le)" article moved to the front.
"""

from __future__ import annotations

import re
import unicodedata


def _accent_table() -> dict[int, str]:
    """Lower-case accented Latin letters mapped to ASCII: one str.translate instead of NFKD per name."""
    table = {}
    for codepoint in range(0xC0, 0x250):
        bare = "".join(ch for ch in unicodedata.normalize("NFKD", chr(codepoint)) if not unicodedata.combining(ch))
        if bare != chr(codepoint) and bare.isascii():
            table[codepoint] = bare.lower()
    # NFKD leaves these letters whole: spell them out so "Œuilly" and "Oeuilly" meet.
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"})
    return table


_ACCENTS = _accent_table()
# Hyphens, spaces, apostrophes (straight or curly), dots, slashes: all word separators.
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# "16", "16e", "16eme", "16ème", "1er", "01": the number of an arrondissement.
_ORDINAL = re.compile(r"0*(\d+)(?:er|ere|re|e|eme|ieme|em|nd|nde)?")
_ARRONDISSEMENT_WORDS = frozenset({"arrondissement", "arrondissements", "arrdt", "ardt", "arrt", "arr", "ar"})
# Old INSEE and La Poste files put the article last: "Puy-en-Velay (Le)", "Isle-sur-la-Sorgue (L')".
_TRAILING_ARTICLE = re.compile(r"(?P<name>.*?)\s*\((?P<article>l['’]?|le|la|les)\)\s*", re.IGNORECASE)
# "Arles (13)", "Ajaccio (2A)", "Saint-Pierre (974)": a département given after the name.
_DEPARTEMENT_HINT = re.compile(r"(?P<name>.*?\S)\s*\(\s*(?P<dept>\d{1,3}|2[ABab])\s*\)\s*")


def fold_words(text: str) -> list[str]:
    """Split a name into accent-free, lower-case words, before any abbreviation is spelt out."""
    text = text.strip()
    article = _TRAILING_ARTICLE.fullmatch(text) if text.endswith(")") else None
    if article:
        text = f"{article['article']} {article['name']}"
    folded = text.lower().translate(_ACCENTS)
    if not folded.isascii():  # rare letters outside the table: the slow, general way
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _SEPARATORS.sub(" ", folded).split()


def canonical_words(words: list[str]) -> list[str]:
    """Spell out "st"/"ste" and reduce "16e arrondissement" to "16" (only after a first word)."""
    out: list[str] = []
    for word in words:
        word = _ABBREVIATIONS.get(word, word)
        ordinal = _ORDINAL.fullmatch(word) if word[0].isdigit() else None
        if ordinal and out:
            word = ordinal[1]
        elif word in _ARRONDISSEMENT_WORDS and out and out[-1].isdigit():
            continue
        out.append(word)
    return out


def normalize(text: str) -> str:
    """Fold a place name into the key the gazetteer compares ("St-Rémy" -> "saint remy")."""
    return " ".join(canonical_words(fold_words(text)))


def compact(key: str) -> str:
    """Drop the spaces of a normalised key, so "lisle sur la sorgue" meets "l isle sur la sorgue"."""
    return key.replace(" ", "")


def prefix_keys(text: str) -> list[str]:
    """Keys to match a half-typed name against: "st" may be the start of "Saint" or of "Strasbourg"."""
    words = fold_words(text)
    if not words:
        return []
    typing_last_word = not (text[-1:].isspace() or text[-1:] in "-'’")
    keys = [" ".join(canonical_words(words))]
    if typing_last_word:
        head = canonical_words(words[:-1])
        last = words[-1]
        # "Marseille 16e arr" is on its way to "Marseille 16e Arrondissement": drop the half word.
        if head and head[-1].isdigit() and "arrondissement".startswith(last):
            keys.append(" ".join(head))
        keys.append(" ".join([*head, last]))
    return list(dict.fromkeys(key for key in keys if key))


def normalize_departement(code: str | int | None) -> str | None:
    """Return a département code as INSEE writes it ("1" -> "01", "2a" -> "2A"), or None if empty."""
    if code is None:
        return None
    text = str(code).strip().upper()
    if not text:
        return None
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    return text


def split_departement_hint(text: str) -> tuple[str, str | None]:
    """Split "Arles (13)" into ("Arles", "13"); other text comes back whole with None."""
    match = _DEPARTEMENT_HINT.fullmatch(text)
    if not match:
        return text, None
    return match["name"], normalize_departement(match["dept"])
