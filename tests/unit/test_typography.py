"""French typography: no-break spaces in the templates' text, elision before place names, dates, amounts."""

from __future__ import annotations

from datetime import date

from jinja2 import Environment

from kb.rendering import french_date, kilometres
from kb.typography import NBSP, FrenchTypography, de, euros, spaces, typo


def test_no_break_spaces_before_high_punctuation_and_inside_guillemets():
    assert spaces("Rayon : 10 km ; public ? oui ! « Arles »") == \
        f"Rayon{NBSP}: 10 km{NBSP}; public{NBSP}? oui{NBSP}! «{NBSP}Arles{NBSP}»"
    assert spaces("https://example.org/a?b=1 et 12:30") == "https://example.org/a?b=1 et 12:30"
    assert spaces("@page :first { } !important") == "@page :first { } !important"


def test_the_templates_text_is_rewritten_and_never_a_value():
    env = Environment(extensions=[FrenchTypography], autoescape=True)
    page = env.from_string("<p>Autour de {{ place }} : {{ n }} actions ? « {{ q }} »</p>").render(
        place="Arles", n=3, q="freins : institutionnels ?")
    assert page == (f"<p>Autour de Arles{NBSP}: 3 actions{NBSP}? «{NBSP}freins : institutionnels ?{NBSP}»</p>")


def test_messages_are_escaped_before_their_spaces_change():
    assert typo("Commune inconnue : « <b> »") == f"Commune inconnue{NBSP}: «{NBSP}&lt;b&gt;{NBSP}»"


def test_elision_and_contraction_before_place_names():
    assert [de(n) for n in ("Arles", "Avignon", "Marseille", "Le Pontet", "Les Pennes-Mirabeau",
                            "L'Isle-sur-la-Sorgue", "La Ciotat", "Istres", "Éguilles", "")] == [
        "d'Arles", "d'Avignon", "de Marseille", "du Pontet", "des Pennes-Mirabeau", "de l'Isle-sur-la-Sorgue",
        "de La Ciotat", "d'Istres", "d'Éguilles", ""]


def test_dates_distances_and_amounts_the_french_way():
    assert french_date(date(2026, 12, 1)) == "1er décembre 2026" and french_date(date(2026, 12, 2)) == "2 décembre 2026"
    assert kilometres(3.24) == f"3,2{NBSP}km" and kilometres(0.85) == f"850{NBSP}m"
    assert euros(250) == f"250{NBSP}€" and euros(1250) == f"1\u202f250{NBSP}€" and euros(12.5) == f"12,50{NBSP}€"
    assert euros(500, cents=True) == f"500,00{NBSP}€"
