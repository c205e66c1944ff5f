"""Reading tables people bring: CSV (`,` `;` or tab; UTF-8 with or without BOM, else Windows-1252 / Latin-1),
XLSX (first sheet) and JSON (a list of objects, `{"items": [...]}` as our exports write, or GeoJSON features).

`read_table` returns the column names and the rows as dicts of text (None for an empty cell), with the
encoding and separator it found; it never guesses silently: an unreadable file raises `TableError` in French.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_ROWS = 200_000
MAX_CELL = 20_000


class TableError(ValueError):
    """A file that cannot be read as a table; the message is French."""


@dataclass
class Table:
    """Column names, rows (dicts of text), and how the file was read."""

    columns: list[str]
    rows: list[dict[str, str | None]] = field(default_factory=list)
    format: str = "csv"
    encoding: str | None = None
    separator: str | None = None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8 (BOM)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Windows-1252 is Latin-1 with letters (œ, €, ’) where Latin-1 has control codes: it reads both.
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _separator(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {sep: sample.count(sep) for sep in (";", ",", "\t")}
        return max(counts, key=counts.get)


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[:MAX_CELL] if text else None


def _rows(columns: list[str], records: Iterator[list]) -> list[dict[str, str | None]]:
    rows = []
    for record in records:
        if len(rows) >= MAX_ROWS:
            raise TableError(f"Le fichier dépasse {MAX_ROWS} lignes : découpez-le.")
        values = [_cell(v) for v in record]
        if not any(values):
            continue  # a blank line
        rows.append({name: values[i] if i < len(values) else None for i, name in enumerate(columns)})
    return rows


def _columns(header: list) -> list[str]:
    columns, seen = [], set()
    for i, name in enumerate(header):
        name = (_cell(name) or f"colonne {i + 1}")[:200]
        while name in seen:
            name += " (bis)"
        seen.add(name)
        columns.append(name)
    return columns


def read_csv(data: bytes) -> Table:
    """A CSV file, its encoding and separator detected."""
    text, encoding = _decode(data)
    if not text.strip():
        raise TableError("Le fichier est vide.")
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(reader)
        columns = _columns(header)
        return Table(columns, _rows(columns, reader), "csv", encoding, separator)
    except csv.Error as exc:
        raise TableError(f"Le fichier CSV est mal formé ({exc}).") from exc


def read_xlsx(data: bytes) -> Table:
    """The first sheet of an XLSX workbook (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError("Ce fichier n'est pas un classeur XLSX lisible.") from exc
    try:
        sheet = workbook.worksheets[0]
        records = sheet.iter_rows(values_only=True)
        header = next(records, None)
        if header is None:
            raise TableError("La première feuille du classeur est vide.")
        columns = _columns(list(header))
        return Table(columns, _rows(columns, (list(r) for r in records)), "xlsx")
    finally:
        workbook.close()


def _flat(record: dict) -> dict:
    flat = {}
    for key, value in record.items():
        if isinstance(value, list):
            value = " | ".join(str(v) for v in value if v is not None and not isinstance(v, dict | list))
        elif isinstance(value, dict):
            continue
        flat[str(key)] = value
    return flat


def read_json(data: bytes) -> Table:
    """A list of objects, `{"items": [...]}` or a GeoJSON FeatureCollection (coordinates become latitude and
    longitude)."""
    try:
        document = json.loads(_decode(data)[0])
    except json.JSONDecodeError as exc:
        raise TableError(f"Le fichier JSON est mal formé (ligne {exc.lineno}).") from exc
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        records = []
        for feature in document.get("features") or []:
            if not isinstance(feature, dict):
                continue
            record = dict(feature.get("properties") or {})
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Point" and isinstance(geometry.get("coordinates"), list) \
                    and len(geometry["coordinates"]) >= 2:
                record["longitude"], record["latitude"] = geometry["coordinates"][:2]
            records.append(record)
    elif isinstance(document, dict) and isinstance(document.get("items"), list):
        records = document["items"]
    elif isinstance(document, list):
        records = document
    else:
        raise TableError("Le JSON attendu est une liste d'objets (ou {\"items\": [...]}, ou du GeoJSON).")
    records = [_flat(r) for r in records if isinstance(r, dict)]
    columns = _columns(list(dict.fromkeys(key for r in records for key in r)))
    return Table(columns, _rows(columns, ([r.get(c) for c in columns] for r in records)), "json", "utf-8")


def read_table(filename: str, data: bytes) -> Table:
    """Read a file by its content first (XLSX is a zip, JSON starts with [ or {), its name second."""
    head = data[:4]
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if stripped in (b"[", b"{"):
        return read_json(data)
    if filename.lower().endswith((".xlsx", ".json")):
        raise TableError("Le contenu du fichier ne correspond pas à son extension.")
    return read_csv(data)
