"""Offline gazetteer of French communes: INSEE code, postal code and name lookups, prefix search.

The data is `maps/data/communes_france.csv` (INSEE, La Poste, GeoNames; see the shared data README), and
`maps/data/communes_anciennes.csv` for the codes and names of former communes (merged into a commune nouvelle,
absorbed, renamed; built from INSEE's COG by `scripts/build_former_communes.py`): a former code or name is
looked up only when no current commune has it, and resolves to today's commune.
Loading reads the 35,014 rows once into `Commune` dataclasses and dictionaries by INSEE and postal
code; the name indexes (exact key, key without spaces, sorted keys for prefix search) are built on the
first name lookup, because many callers only ever look codes up. A lookup never guesses: a name that
fits several communes raises `AmbiguousPlace` with the candidates, an unknown one `UnknownPlace`.
"""

from __future__ import annotations

import bisect
import csv
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from maps.geo import haversine_km
from maps.names import compact, normalize, normalize_departement, prefix_keys, split_departement_hint

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "communes_france.csv"
FORMER_CSV = Path(__file__).resolve().parent / "data" / "communes_anciennes.csv"
COMMUNE = "commune-actuelle"
ARRONDISSEMENT = "arrondissement-municipal"

__all__ = ["AmbiguousPlace", "Commune", "Gazetteer", "PlaceError", "UnknownPlace", "normalize"]


@dataclass(frozen=True, slots=True)
class Commune:
    """A current commune or a municipal arrondissement (Paris, Lyon, Marseille)."""

    insee: str
    name: str
    kind: str
    departement: str
    region: str
    postal_codes: tuple[str, ...]
    population: int | None
    parent_insee: str | None
    lat: float | None
    lon: float | None

    @property
    def label(self) -> str:
        """Name followed by the département, as lists of homonyms show it: "Saint-Martin (32)"."""
        return f"{self.name} ({self.departement})"

    @property
    def is_arrondissement(self) -> bool:
        """True for a municipal arrondissement such as "Marseille 16e Arrondissement"."""
        return self.kind == ARRONDISSEMENT


class PlaceError(LookupError):
    """A place that cannot be resolved; `str(error)` is a French sentence for the user."""

    def __init__(self, query: str, message: str):
        super().__init__(message)
        self.query = query
        self.message = message


class UnknownPlace(PlaceError):
    """No commune matches."""

    def __init__(self, query: str, message: str | None = None):
        super().__init__(query, message or f"Commune inconnue : « {query} »")


class AmbiguousPlace(PlaceError):
    """Several communes match; `candidates` lists them, each with its département."""

    def __init__(self, query: str, candidates: Iterable[Commune]):
        self.candidates = tuple(sorted(candidates, key=lambda c: (c.departement, c.insee)))
        shown = ", ".join(c.label for c in self.candidates[:8])
        hidden = len(self.candidates) - 8
        more = f" et {hidden} autre{'s' if hidden > 1 else ''}" if hidden > 0 else ""
        super().__init__(query, f"Plusieurs communes correspondent à « {query} » : {shown}{more}. "
                                "Précisez le département ou le code postal.")


def _by_size(commune: Commune) -> tuple[int, str]:
    return (-(commune.population or 0), commune.name)


def _postal_order(commune: Commune) -> tuple[bool, int, str]:
    # An arrondissement is the precise answer for its own postal code: list it before its city.
    return (not commune.is_arrondissement, -(commune.population or 0), commune.insee)


def read_communes(path: Path | str = DEFAULT_CSV) -> list[Commune]:
    """Read the gazetteer CSV (columns of the shared data README) into `Commune` objects."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        column = {name: index for index, name in enumerate(next(rows))}
        insee, name, kind, dept, region, postal, population, parent, lat, lon = (
            column[key] for key in ("code_insee", "nom", "type", "departement", "region", "codes_postaux",
                                    "population", "commune_parente", "latitude", "longitude"))
        return [
            Commune(row[insee], row[name], row[kind], row[dept], row[region], tuple(row[postal].split()),
                    int(row[population]) if row[population] else None, row[parent] or None,
                    float(row[lat]) if row[lat] else None, float(row[lon]) if row[lon] else None)
            for row in rows
        ]


def read_former(path: Path | str = FORMER_CSV) -> list[tuple[str, str, str]]:
    """(former INSEE code, former name, today's INSEE code) for every former commune or name."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return [(row["code_insee_ancien"], row["nom_ancien"], row["code_insee"]) for row in rows]


class Gazetteer:
    """Communes indexed by INSEE code, postal code and normalised name."""

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, communes: Iterable[Commune], former: Iterable[tuple[str, str, str]] = ()):
        self._communes = list(communes)
        self._by_insee = {c.insee: c for c in self._communes}
        self._former = [(code, name, self._by_insee[now]) for code, name, now in former if now in self._by_insee]
        self._by_former_code = {code: now for code, _, now in self._former if code not in self._by_insee}
        self._by_former_key: dict[str, list[Commune]] = {}
        postal: dict[str, list[Commune]] = {}
        for commune in self._communes:
            for code in commune.postal_codes:
                postal.setdefault(code, []).append(commune)
        self._by_postal = {code: tuple(sorted(found, key=_postal_order)) for code, found in postal.items()}
        self._names_lock = threading.Lock()
        self._cells: dict[tuple[int, int], list[Commune]] | None = None
        self._by_key: dict[str, list[Commune]] | None = None
        self._by_compact: dict[str, list[Commune]] = {}
        self._sorted_keys: list[tuple[str, int]] = []
        self._sorted_codes: list[tuple[str, int]] = []

    @classmethod
    def from_csv(cls, path: Path | str = DEFAULT_CSV, former: Path | str | None = FORMER_CSV) -> Gazetteer:
        """Load a gazetteer from CSV files shaped like the shipped ones (`former=None`: current communes only)."""
        return cls(read_communes(path), read_former(former) if former else ())

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of the shipped CSV, loaded once per process and shared by every thread."""
        if cls._default is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls.from_csv()
        return cls._default

    def __len__(self) -> int:
        return len(self._communes)

    def __iter__(self) -> Iterator[Commune]:
        return iter(self._communes)

    def by_insee(self, code: str) -> Commune:
        """Return the commune with this INSEE code ("13004", "2A004") or raise `UnknownPlace`."""
        key = str(code).strip().upper()
        found = self._by_insee.get(key) or self._by_former_code.get(key)
        if found is None:
            raise UnknownPlace(str(code), f"Code INSEE inconnu : « {code} »")
        return found

    def former_name(self, text: str, commune: Commune) -> str | None:
        """The former commune's name `text` stands for when it led to `commune` under another name, else None."""
        query, _ = split_departement_hint(" ".join(str(text).split()))
        _, name = _split_postal_code(query)
        key = normalize(name)
        if key == normalize(commune.name):
            return None
        self._build_name_indexes()
        if commune not in self._by_former_key.get(key, ()):
            return None
        return next((former for _, former, now in self._former if now == commune and normalize(former) == key), name)

    def by_postal_code(self, code: str) -> list[Commune]:
        """Communes served by a postal code, arrondissements before their city; empty if none."""
        return list(self._by_postal.get(str(code).replace(" ", "").strip(), ()))

    def nearest(self, lat: float, lon: float) -> tuple[Commune, float] | None:
        """The commune (or arrondissement) whose centre is nearest a point, and its distance in km.

        Communes are bucketed by half a degree the first time; the point's cell and its neighbours are searched
        (about 50 km around), the whole list only when they are empty (the open sea, a far territory).
        """
        if self._cells is None:
            with self._names_lock:
                if self._cells is None:
                    cells: dict[tuple[int, int], list[Commune]] = {}
                    for commune in self._communes:
                        if commune.lat is not None:
                            cells.setdefault((int(commune.lat * 2 // 1), int(commune.lon * 2 // 1)), []).append(commune)
                    self._cells = cells
        row, column = int(lat * 2 // 1), int(lon * 2 // 1)
        near = [c for dr in (-1, 0, 1) for dc in (-1, 0, 1) for c in self._cells.get((row + dr, column + dc), ())]
        candidates = near or [c for c in self._communes if c.lat is not None]
        if not candidates:
            return None
        best = min(candidates, key=lambda c: haversine_km(lat, lon, c.lat, c.lon))
        return best, haversine_km(lat, lon, best.lat, best.lon)

    def lookup(self, text: str, departement: str | None = None) -> Commune:
        """Resolve what a user typed (name, "Arles (13)", INSEE code, postal code) to one commune."""
        query = " ".join(str(text).split())
        if not query:
            raise UnknownPlace("", "Aucune commune indiquée.")
        query, hint = split_departement_hint(query)
        dept = normalize_departement(departement)
        if hint and dept and hint != dept:
            raise UnknownPlace(text, f"« {query} » ne peut pas être à la fois dans le {hint} et dans le {dept}.")
        dept = dept or hint
        code = query.replace(" ", "").upper()
        if len(code) == 5 and (code.isdigit() or code[:2] in ("2A", "2B")):
            return self._by_code(code, query, dept)
        postal, name = _split_postal_code(query)
        if postal:
            return self._by_postal_and_name(postal, name, query, dept)
        self._build_name_indexes()
        key = normalize(query)
        found = self._by_key.get(key) or self._by_compact.get(compact(key), [])
        if not found or (dept and not any(c.departement == dept for c in found)):
            found = self._by_former_key.get(key) or found
        return _choose(found, query, dept)

    def search(self, prefix: str, limit: int = 10, departements: Iterable[str] | None = None) -> list[Commune]:
        """Communes whose name (or postal / INSEE code) starts with `prefix`, most populated first."""
        self._build_name_indexes()
        text = str(prefix).strip()
        if not text or limit <= 0:
            return []
        if text.replace(" ", "").isdigit():
            index, keys = self._sorted_codes, [text.replace(" ", "")]
        else:
            index, keys = self._sorted_keys, prefix_keys(str(prefix).lstrip())
        if isinstance(departements, str):
            departements = [departements]  # "13" is one département, not "1" and "3"
        wanted = {normalize_departement(d) for d in departements} if departements is not None else None
        seen: dict[str, Commune] = {}
        for key in keys:
            start = bisect.bisect_left(index, (key, -1))
            for found_key, position in index[start:]:
                if not found_key.startswith(key):
                    break
                commune = self._communes[position]
                if wanted is None or commune.departement in wanted:
                    seen.setdefault(commune.insee, commune)
        return sorted(seen.values(), key=_by_size)[:limit]

    def _by_code(self, code: str, query: str, dept: str | None) -> Commune:
        # INSEE first: an autocomplete posts INSEE codes, and "13004" must stay Arles, not Marseille 4e.
        commune = self._by_insee.get(code)
        if commune is not None:
            return _choose([commune], query, dept)
        # A postal code before a former INSEE code: "29200" is Brest's postal code and was Ploujean's INSEE code.
        found = _prefer_arrondissements(self._by_postal.get(code, ()))
        if not found and code in self._by_former_code:
            found = [self._by_former_code[code]]
        if not found:
            raise UnknownPlace(query, f"Commune inconnue : « {query} » (ni code INSEE ni code postal connu)")
        return _choose(found, query, dept)

    def _by_postal_and_name(self, postal: str, name: str, query: str, dept: str | None) -> Commune:
        key = normalize(name)
        parents = {c.insee: normalize(c.name) for c in self._by_postal.get(postal, ()) if not c.is_arrondissement}
        served = self._by_postal.get(postal, ())
        found = [c for c in served
                 if normalize(c.name) == key or (c.parent_insee and parents.get(c.parent_insee) == key)]
        if not found:
            self._build_name_indexes()
            found = [c for c in self._by_former_key.get(key, ()) if c in served]
        if not found:
            raise UnknownPlace(query, f"Aucune commune « {name} » n'a le code postal {postal}.")
        return _choose(_prefer_arrondissements(found), query, dept)

    def _build_name_indexes(self) -> None:
        if self._by_key is not None:
            return
        with self._names_lock:
            if self._by_key is not None:
                return
            by_key: dict[str, list[Commune]] = {}
            by_compact: dict[str, list[Commune]] = {}
            sorted_keys: list[tuple[str, int]] = []
            sorted_codes: list[tuple[str, int]] = []
            for position, commune in enumerate(self._communes):
                key = normalize(commune.name)
                by_key.setdefault(key, []).append(commune)
                by_compact.setdefault(compact(key), []).append(commune)
                sorted_keys.append((key, position))
                sorted_codes.append((commune.insee, position))
                sorted_codes.extend((code, position) for code in commune.postal_codes)
            sorted_keys.sort()
            sorted_codes.sort()
            for _, name, now in self._former:
                found = self._by_former_key.setdefault(normalize(name), [])
                if now not in found:
                    found.append(now)
            self._by_compact, self._sorted_keys, self._sorted_codes = by_compact, sorted_keys, sorted_codes
            self._by_key = by_key  # last: its being set is what tells other threads the indexes are ready


def _split_postal_code(query: str) -> tuple[str | None, str]:
    """Split "13200 Arles" or "Arles 13200" into ("13200", "Arles")."""
    words = query.split()
    if len(words) > 1 and len(words[0]) == 5 and words[0].isdigit():
        return words[0], " ".join(words[1:])
    if len(words) > 1 and len(words[-1]) == 5 and words[-1].isdigit():
        return words[-1], " ".join(words[:-1])
    return None, query


def _prefer_arrondissements(found: Iterable[Commune]) -> list[Commune]:
    """Drop a city when one of its own arrondissements is also a candidate (13001: Marseille 1er)."""
    found = list(found)
    parents = {c.parent_insee for c in found if c.parent_insee}
    return [c for c in found if c.insee not in parents]


def _choose(found: list[Commune], query: str, dept: str | None) -> Commune:
    if dept is not None:
        in_dept = [c for c in found if c.departement == dept]
        if found and not in_dept:
            raise UnknownPlace(query, f"Aucune commune « {query} » dans le département {dept}.")
        found = in_dept
    if not found:
        raise UnknownPlace(query)
    if len(found) > 1:
        raise AmbiguousPlace(query, found)
    return found[0]
