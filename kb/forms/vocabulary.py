"""Input of the vocabulary pages: a term (label, definition, synonyms) and the term another is merged into."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from kb.forms.base import FormResult, clean_text, validate
from kb.forms.fields import check_one_line

MAX_SYNONYMS = 30


class TermInput(SQLModel):
    """A term of a vocabulary as trainers write it."""

    name: str = Field(min_length=2, max_length=100)
    definition: str = Field(default="", max_length=2000)
    synonyms: list[str] = []

    _one_line = field_validator("name")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("name")
    @classmethod
    def _no_separator(cls, v: str) -> str:
        if any(c in v for c in ",;\t"):
            raise ValueError("Un nom de terme ne contient ni virgule ni point-virgule (ils séparent les termes "
                             "dans le formulaire des actions).")
        return v

    @field_validator("definition")
    @classmethod
    def _printable(cls, v: str) -> str:
        if any(unicodedata.category(c) == "Cc" and c != "\n" for c in v):
            raise ValueError("La définition contient un caractère de contrôle invisible : retirez-le.")
        return v

    @field_validator("name", "definition", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return clean_text(v)

    @field_validator("synonyms")
    @classmethod
    def _synonyms(cls, v: list[str]) -> list[str]:
        if len(v) > MAX_SYNONYMS:
            raise ValueError(f"Au plus {MAX_SYNONYMS} synonymes.")
        if any(len(s) > 100 or len(s) < 2 for s in v):
            raise ValueError("Chaque synonyme fait entre 2 et 100 caractères.")
        for synonym in v:
            if any(unicodedata.category(c) == "Cc" for c in synonym):
                raise ValueError(f"« {synonym.encode('unicode_escape').decode()} » contient un caractère de contrôle "
                                 "invisible : retirez-le.")
        return v


def split_synonyms(value: str | None) -> list[str]:
    """Synonyms typed one per line (or separated by commas or semicolons), without blanks or repeats."""
    parts = (value or "").replace(";", "\n").replace(",", "\n").splitlines()
    return list(dict.fromkeys(" ".join(p.split()) for p in parts if p.strip()))


def parse_term_form(form: Mapping[str, Any]) -> FormResult[TermInput]:
    """Validate the term form."""
    return validate(TermInput, {"name": form.get("name", ""), "definition": form.get("definition", ""),
                                "synonyms": split_synonyms(form.get("synonyms"))})


def parse_merge_form(form: Mapping[str, Any]) -> FormResult[str]:
    """The URL name of the term chosen to absorb another."""
    target = (form.get("target") or "").strip()
    if not target:
        return FormResult(errors={"target": "Choisissez le terme qui remplace celui-ci."})
    return FormResult(data=target)
