"""Importing existing data from a table (CSV, XLSX, JSON; see kb.tabular): organisations, practitioners, actions.

Each kind maps the file's columns to its fields, checks every row, and adds or updates records — a dry run first
(the same work, rolled back by the caller), then the import in batches of BATCH rows, one transaction each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kb.services.imports.actions import ACTION_FIELDS, import_action_steps
from kb.services.imports.common import BATCH, STATUS_LABELS, Outcome, Report, _folded
from kb.services.imports.organisations import FIELDS, TYPOLOGIES, import_organisations, import_steps
from kb.services.imports.practitioners import PERSON_FIELDS, import_practitioner_steps

__all__ = ["ACTION_FIELDS", "BATCH", "FIELDS", "PERSON_FIELDS", "STATUS_LABELS", "TYPOLOGIES", "NAME_FIELD", "Outcome",
           "Report", "fields_of", "guess_mapping", "import_action_steps", "import_organisations",
           "import_practitioner_steps", "import_steps", "steps_of"]


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


def guess_mapping(columns: list[str], kind: str = "organisations") -> dict[str, str]:
    """{column: field} for the columns whose title names a field (French titles and data·inclusion's names)."""
    synonyms = {synonym: target for target, (_label, names) in fields_of(kind).items() for synonym in names}
    mapping, taken = {}, set()
    for column in columns:
        target = synonyms.get(_folded(column))
        if target and target not in taken:
            mapping[column] = target
            taken.add(target)
    return mapping
