"""Reusable validators for input models: choices, dates typed the French way, coordinates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from kb.forms.base import blank_to_none, parse_decimal
from maps.geo import in_france

FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MIN_YEAR, MAX_YEAR = 1900, 2100
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+().\s-]{6,30}$")
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # what str.splitlines() splits on


def check_choice(value: str | None, vocabulary: dict[str, str], required: bool = True) -> str | None:
    """Refuse a value outside a closed vocabulary."""
    if value is None or value == "":
        if required:
            raise ValueError("Choisissez une valeur de la liste.")
        return None
    if value not in vocabulary:
        raise ValueError("Choisissez une valeur de la liste.")
    return value


def parse_date(value: Any) -> Any:
    """Accept ISO dates (from date inputs) and JJ/MM/AAAA typed by hand; nothing else reads as a date."""
    value = blank_to_none(value)
    if not isinstance(value, str):
        return value
    french, iso = FRENCH_DATE.match(value), ISO_DATE.match(value)
    if not (french or iso):
        # pydantic would read "0" as 1 January 1970 (a timestamp): only the two written forms are dates.
        raise ValueError("Saisissez une date au format JJ/MM/AAAA.")
    day, month, year = (int(g) for g in french.groups()) if french else (int(g) for g in reversed(iso.groups()))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError("Cette date n'existe pas.") from exc


def check_one_line(value: Any) -> Any:
    """A title, name, place or address: one line, without control characters (a tab is tolerated)."""
    if not isinstance(value, str):
        return value
    if any(c in LINE_BREAKS for c in value):
        raise ValueError("Ce champ tient sur une ligne : retirez les retours à la ligne.")
    if any(c != "\t" and unicodedata.category(c) == "Cc" for c in value):
        raise ValueError("Ce champ contient un caractère de contrôle invisible : retirez-le.")
    return value


def check_email(value: str) -> str:
    """An e-mail address, or empty."""
    if value and (not EMAIL.match(value) or not value.isprintable()):
        raise ValueError("Adresse électronique invalide (exemple : prenom.nom@exemple.fr).")
    return value


def check_phone(value: str) -> str:
    """A phone number made of digits, spaces, dots, dashes or '+', or empty."""
    if value and not PHONE.match(value):
        raise ValueError("Numéro de téléphone invalide (exemple : 04 91 24 61 10).")
    return value


def check_url(value: str) -> str:
    """A web address starting with http:// or https://, or empty."""
    if value and not re.match(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", value):
        raise ValueError("Adresse web invalide : elle doit commencer par https://")
    return value


def coordinate(value: Any) -> Any:
    """Latitude or longitude typed with a dot or a French comma."""
    return parse_decimal(value)


def check_coordinates(lat: float | None, lon: float | None) -> None:
    """Both coordinates or neither, and in France (mainland, Corsica or an overseas département)."""
    if (lat is None) != (lon is None):
        raise ValueError("Indiquez la latitude et la longitude, ou aucune des deux.")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("Coordonnées hors limites (latitude entre -90 et 90, longitude entre -180 et 180).")
    if lat is not None and not in_france(lat, lon):
        raise ValueError(f"Ces coordonnées ({lat:.4f}, {lon:.4f}) sont hors de France : vérifiez-les "
                         "(latitude d'abord, par exemple 43.6766 pour Arles, puis longitude, 4.6278).")
