"""Importing organisations: map the columns, check every row, place it with the gazetteer, and add or update
organisations — a dry run first, then the import in batches.

A row is found again by its source and its id there (re-importing the same file changes nothing), else by its
SIRET; never by its name alone: a row whose name is close to an existing organisation's within 200 m (or in the
same commune, without coordinates) is reported as a likely duplicate and not created. A place is resolved offline:
the INSEE code first, else the postal code with the commune's name, else the name alone, else a postal code
that serves a single commune; coordinates outside France refuse the row; a row whose place cannot be resolved is
imported without a position and listed as such, never placed at a guessed spot.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

from sqlmodel import Session, select

from kb.models import Commune, Organisation, TerritoryCommune, choices
from kb.services.imports.common import (
    _EMAIL,
    BATCH,
    Outcome,
    Report,
    _column,
    _distance,
    _folded,
    _place,
    _Rejected,
    _value,
)
from kb.tabular import Table

DUPLICATE_METRES = 200

# Target fields, with the column titles (folded: no case, accents or punctuation) recognised for each.
FIELDS = {
    "external_id": ("Identifiant dans la source", ("id", "identifiant", "identifiant source", "id source")),
    "source": ("Source", ("source",)),
    "siret": ("SIRET", ("siret", "numero siret", "n siret")),
    "name": ("Nom", ("nom", "name", "denomination", "denomination sociale", "raison sociale", "structure",
                     "nom de la structure", "organisation")),
    "kind": ("Type", ("type", "typologie", "type code", "kind", "type de structure", "categorie")),
    "director_name": ("Direction", ("direction", "directeur", "directrice", "director", "responsable")),
    "address": ("Adresse", ("adresse", "address", "adresse postale", "rue")),
    "address_more": ("Complément d'adresse", ("complement adresse", "complement d adresse", "adresse complement")),
    "postal_code": ("Code postal", ("code postal", "cp", "postal code", "code postal commune")),
    "commune": ("Commune", ("commune", "ville", "localite", "city", "nom commune")),
    "commune_insee": ("Code INSEE", ("code insee", "insee", "code commune", "code insee commune", "commune insee")),
    "latitude": ("Latitude", ("latitude", "lat", "y")),
    "longitude": ("Longitude", ("longitude", "lon", "lng", "long", "x")),
    "phone": ("Téléphone", ("telephone", "tel", "phone", "numero de telephone")),
    "fax": ("Fax", ("fax", "telecopie")),
    "email": ("Courriel", ("courriel", "email", "e mail", "mail", "mel", "adresse electronique")),
    "website": ("Site web", ("site web", "site internet", "website", "site")),
}
_SYNONYMS = {synonym: target for target, (_label, synonyms) in FIELDS.items() for synonym in synonyms}

# data·inclusion's structure typologies (referentiel "typologies de structures") and our kinds.
TYPOLOGIES = {
    "centre_social": ("CS", "CSC", "EVS", "MQ", "MJC"),
    "ccas": ("CCAS", "CIAS"),
    "association": ("ASSO", "ASSO_CHOMEUR", "ACI", "AI", "OACAS", "ES", "RESSOURCERIE", "UDAF", "CIDFF"),
    "service_departemental": ("CD", "DEPT", "MDS", "CDAS", "ASE", "MDPH", "ODC"),
    "etablissement": ("CHRS", "CHU", "CADA", "HUDA", "CPH", "PENSION", "RS_FJT", "CMS", "CMP", "CSAPA", "CAARUD",
                      "CAVA"),
    "collectivite": ("MUNI", "EPCI", "CC", "REG"),
    "etat": ("ETAT", "PREF", "DEETS", "SPIP", "PJJ", "CFP", "DIPLP"),
}
_KIND_OF = {code: kind for kind, codes in TYPOLOGIES.items() for code in codes}


class _Known:
    """The existing organisations, indexed for matching (kept up to date as rows are added)."""

    def __init__(self, session: Session):
        self.by_key: dict[tuple[str, str], int] = {}
        self.by_siret: dict[str, int] = {}
        self.by_commune: dict[str | None, list[tuple[int, str, float | None, float | None, str]]] = {}
        rows = session.exec(select(Organisation.id, Organisation.name, Organisation.commune_insee,
                                   Organisation.latitude, Organisation.longitude, Organisation.siret,
                                   Organisation.source, Organisation.external_id))
        for org_id, name, insee, lat, lon, siret, source, external in rows:
            self.add(org_id, name, insee, lat, lon, siret, source, external)

    def add(self, org_id, name, insee, lat, lon, siret, source, external) -> None:
        if source and external:
            self.by_key[(source, external)] = org_id
        if siret:
            self.by_siret.setdefault(siret, org_id)
        self.by_commune.setdefault(insee, []).append((org_id, _folded(name), lat, lon, name))

    def duplicate_of(self, name: str, insee: str | None, position: tuple[float, float] | None) -> str | None:
        key = _folded(name)
        for _org_id, other, lat, lon, shown in self.by_commune.get(insee, []):
            close = key == other or difflib.SequenceMatcher(None, key, other).ratio() >= 0.9
            if not close:
                continue
            if position is None or lat is None or _distance(position, (lat, lon)) <= DUPLICATE_METRES:
                return shown
        return None


def _kind(text: str | None) -> str:
    if not text:
        return "autre"
    if text in choices.ORGANISATION_KINDS:
        return text
    first = text.split("|")[0].strip()
    if first.upper() in _KIND_OF:
        return _KIND_OF[first.upper()]
    folded = _folded(text)
    for code, label in choices.ORGANISATION_KINDS.items():
        if folded == _folded(label):
            return code
    return "autre"


def _prepare(row: dict, mapping: dict, default_source: str, notes: list[str]) -> dict:
    values = {target: _value(row, mapping, target) for target in FIELDS}
    name = " ".join((values["name"] or "").split())
    if len(name) < 2:
        raise _Rejected("Le nom est vide.", _column(mapping, "name"))
    if len(name) > 200:
        raise _Rejected("Le nom dépasse 200 caractères.", _column(mapping, "name"))
    siret = re.sub(r"\s", "", values["siret"] or "") or None
    if siret and not re.fullmatch(r"\d{14}", siret):
        notes.append(f"SIRET « {values['siret']} » ignoré (14 chiffres attendus)")
        siret = None
    email = values["email"]
    if email and not _EMAIL.match(email):
        notes.append(f"courriel « {email} » ignoré (adresse invalide)")
        email = None
    commune, position = _place(values, mapping, notes)
    address = ", ".join(part for part in (values["address"], values["address_more"]) if part)
    record = {
        "name": name, "kind": _kind(values["kind"]), "director_name": (values["director_name"] or "")[:120],
        "address": address[:300], "postal_code": (values["postal_code"] or "")[:10],
        "phone": (values["phone"] or "")[:30], "fax": (values["fax"] or "")[:30], "email": (email or "")[:120],
        "website": (values["website"] or "")[:200], "siret": siret,
        "source": (values["source"] or default_source)[:60] or None, "external_id": (values["external_id"] or "")[:100] or None,
        "commune": commune, "position": position,
    }
    if record["external_id"] is None and siret is None:
        notes.append("ni identifiant ni SIRET : un nouvel import de ce fichier le signalera comme doublon")
    return record


_COMPARED = ("name", "kind", "director_name", "address", "postal_code", "phone", "fax", "email", "website", "siret",
             "commune_insee", "latitude", "longitude", "territory_id")


class _Places:
    """The communes already stored and the unit covering each, read once (a query per row cost 10 ms)."""

    def __init__(self, session: Session):
        self.stored = set(session.exec(select(Commune.insee)))
        self.units = {insee: unit for insee, unit in session.exec(
            select(TerritoryCommune.commune_insee, TerritoryCommune.territory_id))}

    def unit(self, session: Session, commune) -> int | None:
        if commune.insee not in self.stored:  # copied from the gazetteer, flushed with the batch
            session.add(Commune(insee=commune.insee, name=commune.name, departement=commune.departement,
                                postal_codes=" ".join(commune.postal_codes), latitude=commune.lat,
                                longitude=commune.lon, population=commune.population))
            self.stored.add(commune.insee)
        return self.units.get(commune.insee)


def _apply(session: Session, org: Organisation, record: dict, places: _Places) -> bool:
    """Copy a prepared row onto an organisation; whether anything changed."""
    commune = record["commune"]
    insee = commune.insee if commune is not None else None
    unit = places.unit(session, commune) if commune is not None else None
    lat, lon = record["position"] or ((commune.lat, commune.lon) if commune is not None else (None, None))
    wanted = {**{k: record[k] for k in ("name", "kind", "director_name", "address", "postal_code", "phone", "fax",
                                          "email", "website", "siret")},
              "commune_insee": insee, "latitude": lat, "longitude": lon,
              "territory_id": unit}
    if org.id is not None and org.territory_id is not None and wanted["territory_id"] is None:
        wanted["territory_id"] = org.territory_id  # a unit chosen by hand stays
    changed = any(getattr(org, k) != v for k, v in wanted.items() if k in _COMPARED)
    for key, value in wanted.items():
        setattr(org, key, value)
    return changed


def import_steps(session: Session, table: Table, mapping: dict[str, str], source: str,
                 report: Report) -> Iterator[tuple[int, int]]:
    """Import the rows into the session (flushed, never committed), recording each outcome in ``report``;
    yields (rows done, total) after each batch of BATCH rows and at the end: the caller commits there (one
    transaction per batch) and shows the progress."""
    known, places = _Known(session), _Places(session)
    seen: dict[tuple[str, str], int] = {}
    total = len(table.rows)
    with session.no_autoflush:  # one flush per batch, not one per row
        for number, row in enumerate(table.rows, start=2):  # line 1 holds the titles
            _import_row(session, number, row, mapping, source, report, known, places, seen)
            if (number - 1) % BATCH == 0 and number - 1 < total:
                session.flush()
                yield number - 1, total
    session.flush()
    yield total, total


def import_organisations(session: Session, table: Table, mapping: dict[str, str], source: str, *,
                         dry_run: bool = True, batch_done: Callable[[int, int], None] | None = None) -> Report:
    """Import every row into the session (flushed, never committed) and report each one.

    A dry run is the same work rolled back by the caller, so its report says exactly what the import would do.
    ``batch_done(done, total)`` is called after each batch of BATCH rows: the import commits there (one
    transaction per batch) and shows its progress; a dry run only shows it."""
    report = Report(dry_run=dry_run)
    for done, total in import_steps(session, table, mapping, source, report):
        if batch_done is not None:
            batch_done(done, total)
    return report


def _import_row(session: Session, number: int, row: dict, mapping: dict[str, str], source: str, report: Report,
                known: _Known, places: _Places, seen: dict[tuple[str, str], int]) -> None:
    """Check, match and add or update one row, recording its outcome."""
    notes: list[str] = []
    try:
        record = _prepare(row, mapping, source, notes)
    except _Rejected as exc:
        report.outcomes.append(Outcome(number, "rejetee", _value(row, mapping, "name") or "", exc.reason,
                                       exc.column, notes=notes))
        return
    key = (record["source"], record["external_id"]) if record["source"] and record["external_id"] else None
    if key and key in seen:
        report.outcomes.append(Outcome(number, "rejetee", record["name"],
                                       f"Même identifiant que la ligne {seen[key]}.",
                                       _column(mapping, "external_id"), notes=notes))
        return
    if key:
        seen[key] = number
    existing_id = (known.by_key.get(key) if key else None) or \
        (known.by_siret.get(record["siret"]) if record["siret"] else None)
    commune = record["commune"]
    if existing_id is None:
        twin = known.duplicate_of(record["name"], commune.insee if commune else None, record["position"])
        if twin is not None:
            report.outcomes.append(Outcome(number, "doublon", record["name"],
                                           f"Proche de « {twin} » (même nom à moins de {DUPLICATE_METRES} m ou "
                                           "dans la même commune) : non créée.", notes=notes))
            return
    org = session.get(Organisation, existing_id) if existing_id else Organisation(name=record["name"], kind="autre")
    if record["position"] is None and commune is not None:
        notes.append("placée au centre de sa commune")
    changed = _apply(session, org, record, places)
    if existing_id is None:
        org.source, org.external_id = record["source"], record["external_id"]
        session.add(org)
    elif key and org.external_id is None:
        org.source, org.external_id = key  # found by its SIRET: remember where it comes from now
    status = "ajoutee" if existing_id is None else ("mise_a_jour" if changed else "inchangee")
    report.outcomes.append(Outcome(number, status, record["name"], record_id=existing_id, notes=notes))
    if existing_id is None:
        position = record["position"] or ((commune.lat, commune.lon) if commune else (None, None))
        known.add(-number, record["name"], commune.insee if commune else None, *position, record["siret"],
                  record["source"], record["external_id"])
