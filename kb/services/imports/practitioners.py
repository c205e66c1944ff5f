"""Importing practitioners: a new one is not listed in the directory until she agrees; a row is found again by its
source and id, else by its e-mail address, never by its name."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session, select

from kb.models import Organisation, Practitioner, choices
from kb.services.imports.common import (
    _EMAIL,
    BATCH,
    Outcome,
    Report,
    _claim_key,
    _column,
    _folded,
    _Organisations,
    _Rejected,
    _value,
)
from kb.tabular import Table

# Practitioners: who they are and where they work (e-mail and phone are kept, never shown without consent).
PERSON_FIELDS = {
    "external_id": ("Identifiant dans la source", ("id", "identifiant", "identifiant source", "matricule")),
    "source": ("Source", ("source",)),
    "first_name": ("Prénom", ("prenom", "first name", "firstname", "prenom usuel")),
    "last_name": ("Nom", ("nom", "last name", "lastname", "nom de famille", "nom usuel")),
    "function": ("Fonction", ("fonction", "metier", "poste", "function", "emploi")),
    "email": ("Courriel", ("courriel", "email", "e mail", "mail", "mel", "adresse electronique")),
    "phone": ("Téléphone", ("telephone", "tel", "phone", "portable")),
    "actor_category": ("Catégorie d'acteur", ("categorie d acteur", "categorie", "actor category")),
    # Several names separated by « | » (as the export writes them) link several organisations.
    "organisation": ("Organisation (nom)", ("organisation", "organisations", "structure", "employeur",
                                            "etablissement", "service")),
    "organisation_siret": ("SIRET de l'organisation", ("siret", "siret structure", "siret employeur")),
}
_PERSON_SYNONYMS = {synonym: target for target, (_label, synonyms) in PERSON_FIELDS.items() for synonym in synonyms}
_CATEGORY_OF_FUNCTION = {"directeur": "direction", "chef_service": "chef_service", "formateur": "autre",
                         "autre": "autre"}


def _category(text: str | None, function: str, notes: list[str]) -> str:
    """The actor category a row gives (code or label), else the one its function implies."""
    implied = _CATEGORY_OF_FUNCTION.get(function, "intervenant")
    if not text:
        return implied
    folded = _folded(text.replace("·", ""))
    for code, label in choices.ACTOR_CATEGORIES.items():
        if folded in (_folded(code), _folded(label.replace("·", ""))):
            return code
    notes.append(f"catégorie « {text} » inconnue : « {choices.ACTOR_CATEGORIES[implied]} »")
    return implied


def _function(text: str | None, notes: list[str]) -> str:
    if not text:
        return "autre"
    if text in choices.FUNCTIONS:
        return text
    folded = _folded(text.replace("·", ""))  # « Éducateur·rice » as the export writes it, or « Éducatrice »
    for code, label in choices.FUNCTIONS.items():
        words = _folded(label.replace("·", ""))
        if folded in (words, _folded(code)) or folded.split()[:2] == words.split()[:2]:
            return code
    notes.append(f"fonction « {text} » inconnue : « autre fonction »")
    return "autre"


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
    try:
        source_name, external, key = _claim_key(values, source, seen, number, mapping)
    except _Rejected as exc:
        report.outcomes.append(Outcome(number, "rejetee", shown, exc.reason, exc.column))
        return
    names = [n.strip() for n in (values["organisation"] or "").split("|") if n.strip()] or [None]
    org_ids = list(dict.fromkeys(
        found for found in (people.organisations.find(values["organisation_siret"] if n == names[0] else None, n,
                                                      notes) for n in names) if found is not None))
    org_id = org_ids[0] if org_ids else None
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
              "actor_category": _category(values["actor_category"], function, notes),
              "email": email[:120] or person.email, "phone": (values["phone"] or "")[:30] or person.phone}
    changed = any(getattr(person, k) != v for k, v in wanted.items())
    for name, value in wanted.items():
        setattr(person, name, value)
    missing = [i for i in org_ids if i not in [o.id for o in person.organisations]]
    if missing:
        person.organisations = [*person.organisations, *(session.get(Organisation, i) for i in missing)]
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
        people.add(-number, source_name, external, email, shown, org_ids)
