"""French typography for pages: non-breaking spaces, elision before place names, dates, amounts.

- The templates' own text gets a no-break space before « : ; ? ! » and inside « guillemets », at compile time
  (``FrenchTypography``, a Jinja extension that rewrites only the literal text between tags, never a value):
  "Rayon : 10 km" never breaks before its colon.
- Values go through filters: ``typo`` (messages written by the code, which may quote user text: escaped first),
  ``de`` (« Autour d'Arles », « du Pontet », « de l'Isle-sur-la-Sorgue »), ``date_fr`` (« 1er décembre 2026 »),
  ``km`` (« 3,2 km ») and ``eur`` (« 1 250 € »).
User text itself is never rewritten: a title or an input's value is shown exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow: between the digits of a thousand
# At the start of a text token the space follows a value ("{{ n }} :") or a tag: a no-break space there too.
_BEFORE = re.compile(r"(?:(?<=[^\s>])|^) ([:;?!»])(?=[\s<.,)]|$)")
_AFTER = re.compile(r"« ")
_VOWELS = set("aeiouyàâäéèêëîïôöûüùœæ")


def spaces(text: str) -> str:
    """A no-break space before « : ; ? ! » and inside guillemets (a plain space there could break the line)."""
    return _AFTER.sub("«" + NBSP, _BEFORE.sub(NBSP + r"\1", text))


def typo(value) -> Markup:
    """A message escaped, then with French no-break spaces (for messages the code writes)."""
    return Markup(spaces(str(escape(value))))


def de(name: str | None) -> str:
    """« de » before a place name, elided or contracted: d'Arles, du Pontet, des Pennes-Mirabeau, de l'Isle…"""
    name = (name or "").strip()
    if not name:
        return ""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return contracted + name[len(article):]
    if name.startswith(("L'", "L’")):
        return "de l'" + name[2:]
    first = unicodedata.normalize("NFC", name[0].lower())
    return ("d'" if first in _VOWELS else "de ") + name


def euros(value, cents: bool = False) -> str:
    """An amount in euros: « 250 € », « 1 250 € »; cents when there are some (« 12,50 € ») or asked (invoices)."""
    if value is None or value == "":
        return ""
    amount = float(value)
    whole = f"{amount:,.0f}" if amount == int(amount) and not cents else f"{amount:,.2f}"
    return whole.replace(",", NNBSP).replace(".", ",") + NBSP + "€"


class FrenchTypography(Extension):
    """Rewrite the templates' literal text (``data`` tokens) with French no-break spaces, once, at compile time.

    Only text outside ``{{ }}`` and ``{% %}`` is touched; <script>, <style>, <pre> and <textarea> hold none of
    the patterns in this project (no inline scripts: the Content-Security-Policy forbids them).
    """

    def filter_stream(self, stream: TokenStream):
        for token in stream:
            if token.type == "data":
                yield Token(token.lineno, "data", spaces(token.value))
            else:
                yield token
