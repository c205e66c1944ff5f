"""Importing organisations from a table (CSV, XLSX, JSON; see kb.tabular): map the columns, check every row, place
it with the gazetteer, and add or update organisations — a dry run first, then the import in batches.

A row is found again by its source and its id there (re-importing the same file changes nothing), else by its
SIRET; never by its name alone: a row whose name is close to an existing organisation's within 200 m (or in the
same commune, without coordinates) is reported as a likely duplicate and not created. A place is resolved offline:
the INSEE code first, else the postal code with the commune's name, else the name alone, else a postal code
that serves a single commune; coordinates outside France refuse the row; a row whose place cannot be resolved is
imported without a position and listed as such, never placed at a guessed spot.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.fields import check_coordinates
from kb.models import Commune, FieldAction, Organisation, Practitioner, TerritoryCommune, choices
from kb.tabular import Table
from maps.gazetteer import AmbiguousPlace, Gazetteer, PlaceError, UnknownPlace
from maps.names import fold_words

BATCH = 500
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
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


def _folded(text: str) -> str:
    return " ".join(fold_words(text))


# Practitioners: who they are and where they work (e-mail and phone are kept, never shown without consent).
PERSON_FIELDS = {
    "external_id": ("Identifiant dans la source", ("id", "identifiant", "identifiant source", "matricule")),
    "source": ("Source", ("source",)),
    "first_name": ("Prénom", ("prenom", "first name", "firstname", "prenom usuel")),
    "last_name": ("Nom", ("nom", "last name", "lastname", "nom de famille", "nom usuel")),
    "function": ("Fonction", ("fonction", "metier", "poste", "function", "emploi")),
    "email": ("Courriel", ("courriel", "email", "e mail", "mail", "mel", "adresse electronique")),
    "phone": ("Téléphone", ("telephone", "tel", "phone", "portable")),
    "organisation": ("Organisation (nom)", ("organisation", "structure", "employeur", "etablissement", "service")),
    "organisation_siret": ("SIRET de l'organisation", ("siret", "siret structure", "siret employeur")),
}
_PERSON_SYNONYMS = {synonym: target for target, (_label, synonyms) in PERSON_FIELDS.items() for synonym in synonyms}

# Actions: the fields of the action form that a table can carry (our own exports' titles included).
ACTION_FIELDS = {
    "external_id": ("Identifiant dans la source", ("id", "identifiant", "identifiant source")),
    "source": ("Source", ("source",)),
    "title": ("Titre", ("titre", "title", "intitule", "nom de l action", "action")),
    "summary": ("Résumé", ("resume", "summary", "description courte", "objectif")),
    "writeup": ("Récit", ("recit", "writeup", "description", "description detaillee")),
    "mode": ("Mode d'intervention", ("mode code", "mode", "mode d intervention", "type d action")),
    "status": ("Statut", ("statut", "status", "etat")),
    "start_date": ("Date de début", ("date de debut", "debut", "start date", "start_date")),
    "end_date": ("Date de fin", ("date de fin", "fin", "end date", "end_date")),
    "address": ("Adresse", ("adresse", "address")),
    "postal_code": ("Code postal", ("code postal", "cp", "postal code")),
    "commune": ("Commune", ("commune", "ville", "localite", "city")),
    "commune_insee": ("Code INSEE", ("code insee", "insee", "commune insee", "code commune")),
    "latitude": ("Latitude", ("latitude", "lat")),
    "longitude": ("Longitude", ("longitude", "lon", "lng")),
    "location_precision": ("Précision du lieu", ("precision du lieu", "location precision", "precision")),
    "publics": ("Publics", ("publics", "public", "public vise")),
    "themes": ("Thèmes", ("themes", "theme", "thematiques")),
    "partner": ("Organisation partenaire (nom)", ("organisation", "structure", "partenaire", "porteur")),
    "partner_siret": ("SIRET de l'organisation", ("siret", "siret structure")),
    "publication_status": ("Publication", ("publication", "publication status", "statut de publication")),
}
_ACTION_SYNONYMS = {synonym: target for target, (_label, synonyms) in ACTION_FIELDS.items() for synonym in synonyms}
_CATEGORY_OF_FUNCTION = {"directeur": "direction", "chef_service": "chef_service", "formateur": "autre",
                         "autre": "autre"}


def guess_mapping(columns: list[str], kind: str = "organisations") -> dict[str, str]:
    """{column: field} for the columns whose title names a field (French titles and data·inclusion's names)."""
    synonyms = {"intervenants": _PERSON_SYNONYMS, "actions": _ACTION_SYNONYMS}.get(kind, _SYNONYMS)
    mapping, taken = {}, set()
    for column in columns:
        target = synonyms.get(_folded(column))
        if target and target not in taken:
            mapping[column] = target
            taken.add(target)
    return mapping


@dataclass
class Outcome:
    """What became (or would become) of one row."""

    line: int
    status: str  # ajoutee, mise_a_jour, inchangee, rejetee, doublon
    name: str = ""
    reason: str = ""
    column: str = ""
    record_id: int | None = None
    notes: list[str] = field(default_factory=list)


STATUS_LABELS = {"ajoutee": "ajoutée", "mise_a_jour": "mise à jour", "inchangee": "inchangée",
                 "rejetee": "rejetée", "doublon": "doublon probable (non créée)"}


@dataclass
class Report:
    """The outcome of every row, and their counts."""

    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = True

    @property
    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def summary(self) -> str:
        counts = self.counts
        parts = [f"{counts.get(s, 0)} {label}" for s, label in STATUS_LABELS.items()]
        unplaced = sum(1 for o in self.outcomes if any(n.startswith("sans position") for n in o.notes))
        return ("Essai (rien n'est enregistré) : " if self.dry_run else "Import : ") + ", ".join(parts) + \
            f" ; {unplaced} sans position."


class _Rejected(Exception):
    def __init__(self, reason: str, column: str = ""):
        super().__init__(reason)
        self.reason, self.column = reason, column


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


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


def _value(row: dict, mapping: dict[str, str], target: str) -> str | None:
    for column, field_name in mapping.items():
        if field_name == target:
            value = row.get(column)
            return value.strip() if isinstance(value, str) and value.strip() else None
    return None


def _column(mapping: dict[str, str], target: str) -> str:
    return next((c for c, t in mapping.items() if t == target),
                {**FIELDS, **PERSON_FIELDS, **ACTION_FIELDS}.get(target, (target,))[0])


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


def _number(text: str | None, column: str) -> float | None:
    if text is None:
        return None
    try:
        return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        raise _Rejected(f"« {text} » n'est pas un nombre.", column) from None


def _by_postal(gazetteer: Gazetteer, code: str):
    """A postal code alone ("13001" is Marseille 1er here, not the INSEE code of Aix): its one commune."""
    found = gazetteer.by_postal_code(code)
    parents = {c.parent_insee for c in found if c.parent_insee}
    found = [c for c in found if c.insee not in parents]
    if not found:
        raise UnknownPlace(code, f"Code postal inconnu : « {code} »")
    if len(found) > 1:
        raise AmbiguousPlace(code, found)
    return found[0]


def _place(values: dict, mapping: dict, notes: list[str]):
    """(commune or None, (lat, lon) or None): the gazetteer's commune and the row's own coordinates."""
    gazetteer = Gazetteer.default()
    lat = _number(values.get("latitude"), _column(mapping, "latitude"))
    lon = _number(values.get("longitude"), _column(mapping, "longitude"))
    if (lat is None) != (lon is None):
        raise _Rejected("Latitude sans longitude (ou l'inverse).", _column(mapping, "latitude"))
    if lat is not None:
        try:
            check_coordinates(lat, lon)
        except ValueError as exc:
            raise _Rejected(str(exc), _column(mapping, "latitude")) from None
    insee, postal, name = values.get("commune_insee"), values.get("postal_code"), values.get("commune")
    postal = postal.replace(" ", "").zfill(5) if postal and postal.replace(" ", "").isdigit() else postal
    dept = postal[:2] if postal and postal.isdigit() and not postal.startswith("97") else None
    attempts = [(text, how) for text, how in ((insee, gazetteer.by_insee),
                                              (f"{postal} {name}" if postal and name else None, gazetteer.lookup),
                                              (name, lambda text: gazetteer.lookup(text, dept)),
                                              (postal, lambda text: _by_postal(gazetteer, text))) if text]
    commune, doubt = None, None
    for text, how in attempts:
        try:
            commune = how(text)
            break
        except AmbiguousPlace as exc:
            options = ", ".join(f"{c.name} ({c.departement})" for c in exc.candidates[:4])
            doubt = doubt or f"lieu ambigu « {text} » ({options})"
        except PlaceError:
            doubt = doubt or f"lieu inconnu « {text} »"
    if commune is None and doubt:
        notes.append(f"sans position : {doubt}")
    elif commune is None and lat is None:
        notes.append("sans position : aucun lieu indiqué")
    return commune, (lat, lon) if lat is not None else None


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


# Practitioners


def _function(text: str | None, notes: list[str]) -> str:
    if not text:
        return "autre"
    if text in choices.FUNCTIONS:
        return text
    folded = _folded(text)
    for code, label in choices.FUNCTIONS.items():
        words = _folded(label.replace("·", ""))
        if folded in (words, _folded(code)) or folded.split()[:2] == words.split()[:2]:
            return code
    notes.append(f"fonction « {text} » inconnue : « autre fonction »")
    return "autre"


class _Organisations:
    """The organisations a row may name, by SIRET or by a name that names a single one."""

    def __init__(self, session: Session):
        self.by_siret = {siret: org_id for org_id, siret in session.exec(
            select(Organisation.id, Organisation.siret).where(Organisation.siret.is_not(None)))}
        self.by_name: dict[str, list[int]] = {}
        for org_id, name in session.exec(select(Organisation.id, Organisation.name)):
            self.by_name.setdefault(_folded(name), []).append(org_id)

    def find(self, siret: str | None, name: str | None, notes: list[str]) -> int | None:
        """The organisation's id, or None with a remark in ``notes`` when a name finds none or several."""
        siret = re.sub(r"\s", "", siret or "")
        if siret and siret in self.by_siret:
            return self.by_siret[siret]
        if not name:
            return None
        found = self.by_name.get(_folded(name), [])
        if len(found) == 1:
            return found[0]
        notes.append(f"organisation « {name} » {'introuvable' if not found else 'ambiguë'} : non reliée")
        return None


class _People:
    """Existing practitioners (anonymised ones aside), indexed for matching, and the organisations."""

    def __init__(self, session: Session):
        self.by_key: dict[tuple[str, str], int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name_org: dict[tuple[str, int | None], int] = {}
        for person in session.exec(select(Practitioner).where(Practitioner.anonymised_at.is_(None))):
            self.add(person.id, person.source, person.external_id, person.email, person.full_name,
                     [o.id for o in person.organisations])
        self.organisations = _Organisations(session)

    def add(self, person_id, source, external_id, email, name, org_ids) -> None:
        if source and external_id:
            self.by_key[(source, external_id)] = person_id
        if email:
            self.by_email.setdefault(email.lower(), person_id)
        for org_id in org_ids or [None]:
            self.by_name_org.setdefault((_folded(name), org_id), person_id)


def import_practitioner_steps(session: Session, table: Table, mapping: dict[str, str], source: str,
                              report: Report) -> Iterator[tuple[int, int]]:
    """Import practitioners as ``import_steps`` imports organisations. A new one is not listed in the directory
    until she agrees (the consent page); a row is found again by its source and id, else by its e-mail address,
    never by its name; the same name in the same organisation is reported as a likely duplicate."""
    people = _People(session)
    total = len(table.rows)
    seen: dict[tuple[str, str], int] = {}
    with session.no_autoflush:
        for number, row in enumerate(table.rows, start=2):
            _import_person(session, number, row, mapping, source, report, people, seen)
            if (number - 1) % BATCH == 0 and number - 1 < total:
                session.flush()
                yield number - 1, total
    session.flush()
    yield total, total


def _import_person(session: Session, number: int, row: dict, mapping: dict[str, str], source: str, report: Report,
                   people: _People, seen: dict[tuple[str, str], int]) -> None:
    notes: list[str] = []
    values = {target: _value(row, mapping, target) for target in PERSON_FIELDS}
    first, last = " ".join((values["first_name"] or "").split()), " ".join((values["last_name"] or "").split())
    shown = f"{first} {last}".strip()
    if not last:
        report.outcomes.append(Outcome(number, "rejetee", shown, "Le nom est vide.", _column(mapping, "last_name")))
        return
    if len(first) > 80 or len(last) > 80:
        report.outcomes.append(Outcome(number, "rejetee", shown, "Le prénom ou le nom dépasse 80 caractères.",
                                       _column(mapping, "last_name")))
        return
    email = (values["email"] or "").lower()
    if email and not _EMAIL.match(email):
        notes.append(f"courriel « {email} » ignoré (adresse invalide)")
        email = ""
    source_name = (values["source"] or source)[:60] or None
    external = (values["external_id"] or "")[:100] or None
    key = (source_name, external) if source_name and external else None
    if key and key in seen:
        report.outcomes.append(Outcome(number, "rejetee", shown, f"Même identifiant que la ligne {seen[key]}.",
                                       _column(mapping, "external_id")))
        return
    if key:
        seen[key] = number
    org_id = people.organisations.find(values["organisation_siret"], values["organisation"], notes)
    existing_id = (people.by_key.get(key) if key else None) or (people.by_email.get(email) if email else None)
    if existing_id is None:
        twin = people.by_name_org.get((_folded(shown), org_id))
        if twin is not None and (org_id is not None or not email):
            report.outcomes.append(Outcome(number, "doublon", shown, "Même nom dans la même organisation : non créée.",
                                           notes=notes))
            return
    function = _function(values["function"], notes)
    person = session.get(Practitioner, existing_id) if existing_id else Practitioner(
        first_name=first, last_name=last, function=function, actor_category="intervenant", consent_listed=False)
    wanted = {"first_name": first, "last_name": last, "function": function,
              "actor_category": _CATEGORY_OF_FUNCTION.get(function, "intervenant"),
              "email": email[:120] or person.email, "phone": (values["phone"] or "")[:30] or person.phone}
    changed = any(getattr(person, k) != v for k, v in wanted.items())
    for name, value in wanted.items():
        setattr(person, name, value)
    if org_id is not None and org_id not in [o.id for o in person.organisations]:
        organisation = session.get(Organisation, org_id)
        person.organisations = [*person.organisations, organisation]
        changed = True
    if existing_id is None:
        person.source, person.external_id = source_name, external
        session.add(person)
        notes.append("non listée dans l'annuaire tant que la personne n'a pas donné son accord")
    elif key and person.external_id is None:
        person.source, person.external_id = key
    status = "ajoutee" if existing_id is None else ("mise_a_jour" if changed else "inchangee")
    report.outcomes.append(Outcome(number, status, shown, record_id=existing_id, notes=notes))
    if existing_id is None:
        people.add(-number, source_name, external, email, shown, [org_id] if org_id else [])


# Actions


def _choice(text: str | None, vocabulary: dict[str, str]) -> str | None:
    """A vocabulary's code from its code or its label ("Développement social local" -> "dsl")."""
    if not text:
        return None
    if text in vocabulary:
        return text
    folded = _folded(text)
    return next((code for code, label in vocabulary.items() if _folded(label) == folded or _folded(code) == folded),
                text)


def _terms(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[|;,]", text or "") if t.strip()]


def import_action_steps(session: Session, table: Table, mapping: dict[str, str], source: str, report: Report,
                        actor) -> Iterator[tuple[int, int]]:
    """Import actions as the team's own: each row is read by the action form's parser (the same rules), saved
    through the moderation service (the same history), found again by its source and id, and never created twice:
    a close title in the same or a nearby commune is reported as a likely duplicate. A row whose text seems to
    identify a person supported is kept as a draft, the passages listed, until someone anonymises it."""
    from kb.forms.actions import form_pairs, form_values_of, parse_action_form
    from kb.services import duplicates, moderation
    from kb.services.privacy import identification_warnings
    from kb.services.versions import canonical, current_input

    known = {(s, e): i for i, s, e in session.exec(select(FieldAction.id, FieldAction.source, FieldAction.external_id)
                                                     .where(FieldAction.external_id.is_not(None)))}
    orgs = _Organisations(session)
    columns_of = {target: column for column, target in mapping.items()}
    total, seen = len(table.rows), {}
    _begin_write(session)
    for number, row in enumerate(table.rows, start=2):
        notes: list[str] = []
        values = {target: _value(row, mapping, target) for target in ACTION_FIELDS}
        title = values["title"] or ""
        source_name = (values["source"] or source)[:60] or None
        external = (values["external_id"] or "")[:100] or None
        key = (source_name, external) if source_name and external else None
        if key and key in seen:
            report.outcomes.append(Outcome(number, "rejetee", title, f"Même identifiant que la ligne {seen[key]}.",
                                           _column(mapping, "external_id")))
            continue
        if key:
            seen[key] = number
        try:
            commune, position = _place(values, mapping, notes)
        except _Rejected as exc:
            report.outcomes.append(Outcome(number, "rejetee", title, exc.reason, exc.column, notes=notes))
            continue
        partner = orgs.find(values["partner_siret"], values["partner"], notes)
        texts = [title, values["summary"] or "", values["writeup"] or ""]
        doubts = [passage for text in texts for passage in identification_warnings(text)]
        publication = _choice(values["publication_status"], choices.PUBLICATION_STATUSES) or "publiee"
        if doubts:
            publication = "brouillon"
            notes.append("gardée en brouillon : le texte semble identifier une personne accompagnée ("
                         + ", ".join(doubts[:3]) + ") — à anonymiser avant de la publier")
        body = {"title": title, "summary": values["summary"] or "", "writeup": values["writeup"] or "",
                "mode": _choice(values["mode"], choices.INTERVENTION_MODES) or "",
                "status": _choice(values["status"], choices.ACTION_STATUSES) or "en_cours",
                "publication_status": publication, "address": values["address"] or "",
                "location_precision": _choice(values["location_precision"], choices.LOCATION_PRECISIONS) or "exacte",
                "commune": commune.insee if commune else None,
                "latitude": position[0] if position else None, "longitude": position[1] if position else None,
                "start_date": values["start_date"], "end_date": values["end_date"],
                "publics": _terms(values["publics"]), "themes": _terms(values["themes"]),
                "partner_ids": [partner] if partner else []}
        form = form_values_of(body)
        parsed = parse_action_form(form)
        if not parsed.ok:
            field_name, message = next(iter(parsed.errors.items()))
            report.outcomes.append(Outcome(number, "rejetee", title, message,
                                           columns_of.get(field_name, ACTION_FIELDS.get(field_name, (field_name,))[0]),
                                           notes=notes))
            continue
        existing = session.get(FieldAction, known[key]) if key and key in known else None
        try:
            with session.begin_nested():
                if existing is not None:
                    before = canonical(session, current_input(existing))
                    saved = moderation.edit(session, existing, parsed.data, form_pairs(form), actor, "")
                    changed = canonical(session, current_input(existing)) != before
                    status = "mise_a_jour" if changed else "inchangee"
                else:
                    twins = duplicates.similar_actions(session, parsed.data)
                    if twins:
                        report.outcomes.append(Outcome(number, "doublon", title,
                                                       f"Proche de « {twins[0].title} » : non créée.", notes=notes))
                        continue
                    saved = moderation.create(session, parsed.data, actor, "")
                    saved.action.source, saved.action.external_id = source_name, external
                    status = "ajoutee"
                session.flush()
        except DomainError as exc:
            report.outcomes.append(Outcome(number, "rejetee", title, exc.message,
                                           columns_of.get(exc.field or "", ""), notes=notes))
            continue
        if status == "ajoutee" and key:
            known[key] = saved.action.id
        report.outcomes.append(Outcome(number, status, title, record_id=saved.action.id, notes=notes))
        if (number - 1) % BATCH == 0 and number - 1 < total:
            yield number - 1, total
            _begin_write(session)  # the caller may have committed: the next rows' savepoints nest again
    session.flush()
    yield total, total


def _begin_write(session: Session) -> None:
    """Open the write transaction now. Each action is saved in a savepoint (a row that breaks a rule leaves
    nothing behind); with SQLite's Python driver a savepoint opened outside a transaction would commit on its
    release — a dry run would keep its rows. A no-op UPDATE starts the transaction first, on every database."""
    session.execute(update(Organisation).where(Organisation.id == -1).values(name=Organisation.name))


NAME_FIELD = {"organisations": "name", "intervenants": "last_name", "actions": "title"}


def fields_of(kind: str) -> dict:
    """The target fields of a kind of import."""
    return {"intervenants": PERSON_FIELDS, "actions": ACTION_FIELDS}.get(kind, FIELDS)


def steps_of(kind: str) -> Callable[..., Iterator[tuple[int, int]]]:
    """The import of a kind, as (session, table, mapping, source, report, actor) -> progress."""
    if kind == "actions":
        return import_action_steps
    plain = import_practitioner_steps if kind == "intervenants" else import_steps
    return lambda session, table, mapping, source, report, actor: plain(session, table, mapping, source, report)
