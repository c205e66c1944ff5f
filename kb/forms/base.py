"""Form plumbing: validate request data with non-table models and French error messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError, field_validator
from sqlmodel import SQLModel

M = TypeVar("M", bound=BaseModel)
# Ids are 32-bit integers in every supported database: larger numbers cannot name a record.
MAX_ID = 2_147_483_647


def _record_id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise ValueError("Choisissez une valeur de la liste.")
    return value


RecordId = Annotated[int, AfterValidator(_record_id)]

PYDANTIC_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_too_short": "Ce champ est trop court (au moins {min_length} caractères).",
    "string_too_long": "Ce champ est trop long (au plus {max_length} caractères).",
    "int_parsing": "Saisissez un nombre entier.",
    "int_type": "Saisissez un nombre entier.",
    "float_parsing": "Saisissez un nombre (par exemple 43,2965).",
    "float_type": "Saisissez un nombre.",
    "finite_number": "Saisissez un nombre (par exemple 12 ou 3,5).",
    "date_from_datetime_parsing": "Saisissez une date au format JJ/MM/AAAA.",
    "date_parsing": "Saisissez une date au format JJ/MM/AAAA.",
    "date_type": "Saisissez une date au format JJ/MM/AAAA.",
    "greater_than_equal": "La valeur doit être au moins {ge}.",
    "less_than_equal": "La valeur doit être au plus {le}.",
    "bool_parsing": "Valeur non reconnue.",
    "literal_error": "Choisissez une valeur de la liste.",
}


@dataclass
class FormResult(Generic[M]):
    """Outcome of validating a form: the model, or field -> French message."""

    data: M | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the input is valid."""
        return self.data is not None and not self.errors


def french_message(error: Mapping[str, Any]) -> str:
    """Turn one pydantic error into a French sentence."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    if error["type"] == "string_too_short" and (error.get("input") == "" or error["ctx"].get("min_length") == 1):
        return PYDANTIC_MESSAGES["missing"]
    template = PYDANTIC_MESSAGES.get(error["type"], "Valeur invalide.")
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return "Valeur invalide."


def validate(model: type[M], raw: Mapping[str, Any], prefix: str = "") -> FormResult[M]:
    """Validate `raw` with `model`; errors are keyed by form field name (with `prefix` for rows)."""
    try:
        return FormResult(data=model.model_validate(raw))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = prefix + ("-".join(str(part) for part in err["loc"]) or "__all__")
            errors.setdefault(name, french_message(err))
        return FormResult(errors=errors)


def validate_rows(model: type[M], form: Mapping[str, Any], prefix: str, fields: tuple[str, ...]
                  ) -> tuple[list[M], dict[str, str]]:
    """Validate each non-empty `prefix-<n>-<field>` row; errors keep the row's own number."""
    valid: list[M] = []
    errors: dict[str, str] = {}
    for index, row in rows(form, prefix, fields):
        result = validate(model, row, prefix=f"{prefix}-{index}-")
        if result.ok:
            valid.append(result.data)
        errors.update(result.errors)
    return valid, errors


def clean_text(value: Any) -> Any:
    """Text typed in a form, without surrounding blanks; browsers send a textarea's line breaks as CRLF."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def blank_to_none(value: Any) -> Any:
    """Empty strings from HTML forms mean 'not given'."""
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def parse_decimal(value: Any) -> Any:
    """Accept French decimal commas ("43,29")."""
    value = blank_to_none(value)
    return value.replace(",", ".") if isinstance(value, str) else value


def rows(form: Mapping[str, Any], prefix: str, fields: tuple[str, ...], max_rows: int = 50
         ) -> list[tuple[int, dict]]:
    """Collect repeated sub-form rows named `prefix-<n>-<field>` with their number, skipping empty ones."""
    collected = []
    for index in range(max_rows):
        row = {name: clean_text(form.get(f"{prefix}-{index}-{name}") or "") for name in fields}
        if not any(f"{prefix}-{index}-{name}" in form for name in fields):
            continue
        if any(row.values()):
            collected.append((index, row))
    return collected


class Stripped(SQLModel):
    """An input model whose typed values come without surrounding blanks (and with LF line breaks)."""

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return clean_text(v)


def split_list(value: str | None) -> list[str]:
    """Split a comma- or semicolon-separated list typed by a user, without blanks or duplicates."""
    seen: dict[str, str] = {}
    for part in (value or "").replace(";", ",").split(","):
        item = " ".join(part.split())
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())
