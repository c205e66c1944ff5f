"""What the imports share: outcomes and reports, reading a row's values, places resolved with the gazetteer, and
the organisations a row may name."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, select

from kb.forms.fields import check_coordinates
from kb.models import Organisation
from maps.gazetteer import AmbiguousPlace, Gazetteer, PlaceError, UnknownPlace
from maps.names import fold_words

BATCH = 500
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


def _folded(text: str) -> str:
    return " ".join(fold_words(text))


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
            (f" ; {unplaced} sans position." if unplaced else ".")


class _Rejected(Exception):
    def __init__(self, reason: str, column: str = ""):
        super().__init__(reason)
        self.reason, self.column = reason, column


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _value(row: dict, mapping: dict[str, str], target: str) -> str | None:
    for column, field_name in mapping.items():
        if field_name == target:
            value = row.get(column)
            if isinstance(value, str):
                value = value.replace("\x00", "").strip()  # NUL never reaches a page (nor PostgreSQL)
            return value if isinstance(value, str) and value else None
    return None


def _column(mapping: dict[str, str], target: str) -> str:
    """The file's column that holds a field (the field's own name when none does)."""
    return next((c for c, t in mapping.items() if t == target), target)


def _claim_key(values: dict, default_source: str, seen: dict[tuple[str, str], int], number: int,
               mapping: dict[str, str]) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """(source, id there, both) of a row; a second row of the file with the same source and id is refused."""
    source_name = (values.get("source") or default_source)[:60] or None
    external = (values.get("external_id") or "")[:100] or None
    key = (source_name, external) if source_name and external else None
    if key and key in seen:
        raise _Rejected(f"Même identifiant que la ligne {seen[key]}.", _column(mapping, "external_id"))
    if key:
        seen[key] = number
    return source_name, external, key


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
    if commune is not None:
        former = gazetteer.former_name(name, commune) if name else None
        if insee and commune.insee != insee.strip().upper():
            notes.append(f"code INSEE {insee} d'une ancienne commune : aujourd'hui {commune.name} ({commune.insee})")
        elif former:
            notes.append(f"« {former} » est une ancienne commune ou un ancien nom : aujourd'hui {commune.name} "
                         f"({commune.departement})")
    if commune is None and doubt:
        notes.append(f"sans position : {doubt}")
    elif commune is None and lat is None:
        notes.append("sans position : aucun lieu indiqué")
    return commune, (lat, lon) if lat is not None else None


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
