"""Input models of the seminar's bulletin d'inscription: the employer, the signer, the session, the trainees."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from kb.forms.base import FormResult, Stripped, rows, validate, validate_rows
from kb.forms.fields import check_email, check_one_line, check_phone, parse_date
from kb.models.seminar import HALF_DAYS, REGISTRATION_STATUSES

TRAINEE_FIELDS = ("last_name", "first_name", "function", "email")
ORGANISATION_FIELDS = ("organisation_name", "director", "address", "postal_code", "commune", "phone", "fax", "email",
                       "siret")
REGISTRATION_FIELDS = (*ORGANISATION_FIELDS, "signer_name", "signer_function", "signed_on", "option")
MAX_TRAINEES = 30


def luhn_ok(digits: str) -> bool:
    """The Luhn key of a SIRET (14 digits): doubled every second digit from the right, sum divisible by 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def check_siret(value: str) -> str:
    """A SIRET: 14 digits (spaces allowed while typing) whose Luhn key is right, or empty."""
    digits = value.replace(" ", "").replace("\u00a0", "")
    if not digits:
        return ""
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        raise ValueError("Le SIRET compte 14 chiffres (exemple : 123 456 789 00012).")
    # La Poste's establishments follow their own rule (sum of the digits divisible by 5).
    if not luhn_ok(digits) and not (digits.startswith("356000000") and sum(map(int, digits)) % 5 == 0):
        raise ValueError("Ce SIRET n'est pas valide (sa clé de contrôle ne correspond pas) : vérifiez les chiffres.")
    return digits


class TraineeInput(Stripped):
    """One trainee row of the bulletin."""

    last_name: str = Field(min_length=1, max_length=100)
    first_name: str = Field(min_length=1, max_length=100)
    function: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)

    _email = field_validator("email")(classmethod(lambda cls, v: check_email(v)))
    _one_line = field_validator(*TRAINEE_FIELDS)(classmethod(lambda cls, v: check_one_line(v)))


class RegistrationInput(Stripped):
    """The bulletin: who orders, who signs, which session, which trainees."""

    option: int = Field(ge=1, le=2)
    organisation_name: str = Field(min_length=2, max_length=200)
    director: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=5)
    commune: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=30)
    fax: str = Field(default="", max_length=30)
    email: str = Field(min_length=3, max_length=254)
    siret: str = Field(default="", max_length=20)
    signer_name: str = Field(min_length=2, max_length=200)
    signer_function: str = Field(default="", max_length=200)
    signed_on: date
    trainees: list[TraineeInput] = Field(default_factory=list)

    _date = field_validator("signed_on", mode="before")(classmethod(lambda cls, v: parse_date(v)))
    _email = field_validator("email")(classmethod(lambda cls, v: check_email(v)))
    _phones = field_validator("phone", "fax")(classmethod(lambda cls, v: check_phone(v)))
    _siret = field_validator("siret")(classmethod(lambda cls, v: check_siret(v)))
    _one_line = field_validator("organisation_name", "director", "address", "commune", "signer_name",
                                "signer_function")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("postal_code")
    @classmethod
    def _postal(cls, v: str) -> str:
        if v and not (len(v) == 5 and v.isascii() and v.isdigit()):
            raise ValueError("Le code postal compte 5 chiffres (exemple : 13200).")
        return v


def parse_trainees(form: Mapping[str, Any]) -> tuple[list[TraineeInput], dict[str, str]]:
    """The trainee rows typed (`stagiaire-<n>-<field>`), errors keyed by row."""
    return validate_rows(TraineeInput, form, "stagiaire", TRAINEE_FIELDS)


def parse_registration_form(form: Mapping[str, Any]) -> FormResult[RegistrationInput]:
    """Validate the whole bulletin; the trainee rows keep their own errors."""
    raw = {k: form.get(k) for k in REGISTRATION_FIELDS if form.get(k) not in (None, "")}
    result = validate(RegistrationInput, raw)
    trainees, row_errors = parse_trainees(form)
    errors = {**result.errors, **row_errors}
    if not trainees and not row_errors:
        errors["stagiaires"] = "Inscrivez au moins un·e stagiaire (nom et prénom)."
    if len(trainees) > MAX_TRAINEES:
        errors["stagiaires"] = f"Un bulletin compte au plus {MAX_TRAINEES} stagiaires : faites-en un second."
    if errors:
        return FormResult(errors=errors)
    result.data.trainees = trainees
    return result


def trainee_row_count(form: Mapping[str, Any], minimum: int = 3) -> int:
    """How many trainee rows the form shows: those typed, one more if asked, at least `minimum`."""
    typed = [index for index, _row in rows(form, "stagiaire", TRAINEE_FIELDS, max_rows=MAX_TRAINEES)]
    shown = max([minimum, *(i + 1 for i in typed)])
    if form.get("ajouter_ligne"):
        shown += 1
    return min(shown, MAX_TRAINEES)


class TeamFilters(SQLModel):
    """Filters of the team's list of registrations."""

    option: int | None = None
    status: str | None = None
    organisation: str = ""
    unpaid: bool = False
    unsigned: bool = False
    q: str = ""


def parse_team_filters(args: Mapping[str, Any]) -> TeamFilters:
    """Read the list's filters from the query string; a value out of range is ignored."""
    option = args.get("session")
    status = args.get("statut")
    return TeamFilters(option=int(option) if option in ("1", "2") else None,
                       status=status if status in REGISTRATION_STATUSES else None,
                       organisation=(args.get("organisation") or "").strip()[:200],
                       unpaid=args.get("impaye") == "1", unsigned=args.get("non_signe") == "1",
                       q=(args.get("q") or "").strip()[:200])


def parse_half_day(day: str | None, half: str | None) -> tuple[date, str] | None:
    """A half-day of the seminar named in a URL or form (`2012-04-06`, `matin`), or None."""
    try:
        when = date.fromisoformat(day or "")
    except ValueError:
        return None
    return (when, half) if half in HALF_DAYS else None
