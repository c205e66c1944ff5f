"""Communes: copied from the shipped gazetteer into the database when first used."""

from __future__ import annotations

from sqlmodel import Session

from kb.errors import DomainError
from kb.models import Commune
from maps.gazetteer import AmbiguousPlace, Gazetteer, UnknownPlace
from maps.gazetteer import Commune as GazetteerCommune


def _store(session: Session, place: GazetteerCommune) -> Commune:
    commune = session.get(Commune, place.insee)
    if commune is None:
        commune = Commune(
            insee=place.insee, name=place.name, departement=place.departement,
            postal_codes=" ".join(place.postal_codes), latitude=place.lat, longitude=place.lon,
            population=place.population,
        )
        session.add(commune)
        session.flush()
    return commune


def ensure_commune(session: Session, insee: str) -> Commune:
    """Return the commune with this INSEE code, loading it from the gazetteer if needed."""
    commune = session.get(Commune, insee)
    if commune is not None:
        return commune
    try:
        return _store(session, Gazetteer.default().by_insee(insee))
    except UnknownPlace as exc:
        raise DomainError(str(exc), field="commune") from exc


def resolve_commune(session: Session, text: str) -> Commune:
    """Find a commune from what a user typed (name, INSEE or postal code) or explain why not."""
    try:
        place = Gazetteer.default().lookup(text)
    except AmbiguousPlace as exc:
        options = ", ".join(f"{c.name} ({c.departement})" for c in exc.candidates[:6])
        raise DomainError(
            f"Plusieurs communes correspondent à « {text} » : {options}. Précisez le code INSEE ou le code postal.",
            field="commune",
        ) from exc
    except UnknownPlace as exc:
        raise DomainError(f"Commune inconnue : « {text} ». Vérifiez l'orthographe ou saisissez le code postal.",
                          field="commune") from exc
    return _store(session, place)
