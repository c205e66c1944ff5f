"""What the index reads of a write-up: its words, without Markdown or HTML markup."""

from __future__ import annotations

import pytest

from kb.indexing.documents import plain_text, split_doc_id


@pytest.mark.parametrize(("markdown", "expected"), [
    ("## Contexte\n\nLes **familles** du *quartier*.", "Contexte\n\nLes familles du quartier."),
    ("- un atelier\n- une sortie\n1. le bilan", "un atelier\nune sortie\nle bilan"),
    ("Voir [la grille](https://example.org/grille) et ![photo](x.png)", "Voir la grille et photo"),
    ("> Une parole d'habitante", "Une parole d'habitante"),
    ("Le <script>alert(1)</script> texte", "Le  alert(1)  texte"),
    ("L&#39;accès &amp; les droits", "L'accès & les droits"),
    ("éducateur·rice et `code`\n\n---\n", "éducateur·rice et code\n\n\n"),
])
def test_plain_text_keeps_the_words_only(markdown, expected):
    assert plain_text(markdown) == expected


def test_index_keys_round_trip_and_reject_foreign_ones():
    assert split_doc_id("action:12") == ("action", 12)
    assert split_doc_id("__vocabulary__:3") is None
    assert split_doc_id("action:x") is None
