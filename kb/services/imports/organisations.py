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

from sqlalchemy import insert, update
from sqlmodel import Session, select

from kb.indexing import capture
from kb.models import Commune, Organisation, TerritoryCommune, choices
from kb.models.base import utcnow
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
        # Each organisation's compared columns: a re-import compares rows with them, without loading objects.
        self.stored: dict[int, dict] = {}
        columns = [getattr(Organisation, name) for name in (*_COMPARED, "source", "external_id")]
        for row in session.exec(select(Organisation.id, *columns)):
            org_id, values = row[0], dict(zip((*_COMPARED, "source", "external_id"), row[1:], strict=True))
            self.stored[org_id] = values
            self.add(org_id, values["name"], values["commune_insee"], values["latitude"], values["longitude"],
                     values["siret"], values["source"], values["external_id"])

    def add(self, org_id, name, insee, lat, lon, siret, source, external) -> None:
        if source and external:
            self.by_key[(source, external)] = org_id
        if siret:
            self.by_siret.setdefault(siret, org_id)
        self.by_commune.setdefault(insee, []).append((org_id, _folded(name), lat, lon, name))

    def duplicate_of(self, name: str, insee: str | None, position: tuple[float, float] | None) -> str | None:
        key = _folded(name)
        matcher = difflib.SequenceMatcher(None, b=key)  # compared with each name: the row's is analysed once
        for _org_id, other, lat, lon, shown in self.by_commune.get(insee, []):
            if position is not None and lat is not None and _distance(position, (lat, lon)) > DUPLICATE_METRES:
                continue  # the cheap test first: a city holds hundreds of organisations
            if key != other:
                matcher.set_seq1(other)
                if matcher.real_quick_ratio() < 0.9 or matcher.quick_ratio() < 0.9 or matcher.ratio() < 0.9:
                    continue
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


class _Writes:
    """What a batch adds or changes, written in a few statements at the batch's end (a bulk import).

    Building an ORM object per row cost more than everything else an import does; the rows go in as plain
    values through bulk statements instead, and the search index learns of them from ``capture.note``.
    """

    def __init__(self, session: Session):
        self.stored = set(session.exec(select(Commune.insee)))
        self.units = {insee: unit for insee, unit in session.exec(
            select(TerritoryCommune.commune_insee, TerritoryCommune.territory_id))}
        self.communes: list[dict] = []
        self.added: list[dict] = []
        self.changed: dict[int, dict] = {}

    def unit(self, commune) -> int | None:
        """The unit covering a commune; the commune is copied from the gazetteer if it is not stored yet."""
        if commune.insee not in self.stored:
            self.communes.append({"insee": commune.insee, "name": commune.name, "departement": commune.departement,
                                  "postal_codes": " ".join(commune.postal_codes), "latitude": commune.lat,
                                  "longitude": commune.lon, "population": commune.population})
            self.stored.add(commune.insee)
        return self.units.get(commune.insee)

    def flush(self, session: Session) -> None:
        """Write the batch (flushed with the session's transaction, never committed)."""
        if self.communes:
            session.execute(insert(Commune), self.communes)
        keys: set[tuple[str, int]] = set()
        if self.added:
            ids = session.scalars(insert(Organisation).returning(Organisation.id, sort_by_parameter_order=True),
                                  self.added).all()
            keys |= {("organisation", org_id) for org_id in ids}
        if self.changed:
            session.execute(update(Organisation), list(self.changed.values()))
        capture.note(session, keys, {("organisation", org_id) for org_id in self.changed})
        self.communes, self.added, self.changed = [], [], {}


def _wanted(record: dict, writes: _Writes, current: dict | None) -> dict:
    """The columns a prepared row gives an organisation (``current``: its stored values, None for a new one)."""
    commune = record["commune"]
    unit = writes.unit(commune) if commune is not None else None
    lat, lon = record["position"] or ((commune.lat, commune.lon) if commune is not None else (None, None))
    wanted = {**{k: record[k] for k in ("name", "kind", "director_name", "address", "postal_code", "phone", "fax",
                                          "email", "website", "siret")},
              "commune_insee": commune.insee if commune is not None else None, "latitude": lat, "longitude": lon,
              "territory_id": unit}
    if current is not None and current["commune_insee"] == wanted["commune_insee"]:
        wanted["territory_id"] = current["territory_id"]  # a unit chosen by hand stays while the commune does
    return wanted


def import_steps(session: Session, table: Table, mapping: dict[str, str], source: str,
                 report: Report) -> Iterator[tuple[int, int]]:
    """Import the rows into the session (flushed, never committed), recording each outcome in ``report``;
    yields (rows done, total) after each batch of BATCH rows and at the end: the caller commits there (one
    transaction per batch) and shows the progress."""
    session.flush()
    known, writes = _Known(session), _Writes(session)
    seen: dict[tuple[str, str], int] = {}
    total = len(table.rows)
    for number, row in enumerate(table.rows, start=2):  # line 1 holds the titles
        _import_row(number, row, mapping, source, report, known, writes, seen)
        if (number - 1) % BATCH == 0 and number - 1 < total:
            writes.flush(session)
            yield number - 1, total
    writes.flush(session)
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


def _import_row(number: int, row: dict, mapping: dict[str, str], source: str, report: Report,
                known: _Known, writes: _Writes, seen: dict[tuple[str, str], int]) -> None:
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
    if existing_id is not None and existing_id < 0:  # a new organisation of an earlier line of this file
        report.outcomes.append(Outcome(number, "doublon", record["name"],
                                       f"Même SIRET que la ligne {-existing_id} : non créée.", notes=notes))
        return
    claim = ("organisation", str(existing_id))
    if existing_id is not None and claim in seen:  # two lines would write one organisation in turn
        report.outcomes.append(Outcome(number, "doublon", record["name"],
                                       f"Même organisation que la ligne {seen[claim]} (même identifiant ou même "
                                       "SIRET) : ligne ignorée.", notes=notes))
        return
    if existing_id is not None:
        seen[claim] = number
    commune = record["commune"]
    if existing_id is None:
        twin = known.duplicate_of(record["name"], commune.insee if commune else None, record["position"])
        if twin is not None:
            report.outcomes.append(Outcome(number, "doublon", record["name"],
                                           f"Proche de « {twin} » (même nom à moins de {DUPLICATE_METRES} m ou "
                                           "dans la même commune) : non créée.", notes=notes))
            return
    if record["position"] is None and commune is not None:
        notes.append("placée au centre de sa commune")
    current = known.stored[existing_id] if existing_id is not None else None
    wanted = _wanted(record, writes, current)
    if current is None:
        now = utcnow()
        writes.added.append({**wanted, "source": record["source"], "external_id": record["external_id"],
                             "created_at": now, "updated_at": now})
        status = "ajoutee"
    else:
        changed = {k: v for k, v in wanted.items() if current[k] != v}
        if key and current["external_id"] is None:
            changed["source"], changed["external_id"] = key  # found by its SIRET: remember where it comes from now
        if changed:
            writes.changed[existing_id] = {"id": existing_id, **changed, "updated_at": utcnow()}
            current.update(changed)
        status = "mise_a_jour" if changed else "inchangee"
    report.outcomes.append(Outcome(number, status, record["name"], record_id=existing_id, notes=notes))
    if existing_id is None:
        position = record["position"] or ((commune.lat, commune.lon) if commune else (None, None))
        known.add(-number, record["name"], commune.insee if commune else None, *position, record["siret"],
                  record["source"], record["external_id"])
