"""Reusable validators for input models: choices, dates typed the French way, coordinates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kb.forms.base import blank_to_none, parse_decimal
from maps.geo import in_france

FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+().\s-]{6,30}$")


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
    """Accept ISO dates (from date inputs) and JJ/MM/AAAA typed by hand."""
    value = blank_to_none(value)
    if isinstance(value, str):
        match = FRENCH_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise ValueError("Cette date n'existe pas.") from exc
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
