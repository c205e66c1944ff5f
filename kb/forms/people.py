"""Input models for organisations and practitioners."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel
from werkzeug.datastructures import MultiDict

from kb.forms.base import FormResult, RecordId, Stripped, blank_to_none, validate
from kb.forms.fields import (
    check_choice,
    check_coordinates,
    check_email,
    check_one_line,
    check_phone,
    check_url,
    coordinate,
)
from kb.models import choices


class OrganisationInput(Stripped):
    """An organisation as typed in its form."""

    name: str = Field(min_length=2, max_length=200)
    kind: str
    director_name: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    commune: str | None = Field(default=None, max_length=120)
    territory_id: RecordId | None = None
    phone: str = Field(default="", max_length=30)
    fax: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=120)
    website: str = Field(default="", max_length=200)
    latitude: float | None = None
    longitude: float | None = None

    _blank = field_validator("territory_id", "commune", mode="before")(classmethod(lambda cls, v: blank_to_none(v)))
    _coord = field_validator("latitude", "longitude", mode="before")(classmethod(lambda cls, v: coordinate(v)))

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        return check_choice(v, choices.ORGANISATION_KINDS)

    @field_validator("postal_code")
    @classmethod
    def _postal(cls, v: str) -> str:
        if v and not (len(v) == 5 and v.isascii() and v.isdigit()):
            raise ValueError("Le code postal compte 5 chiffres (exemple : 13200).")
        return v

    _email = field_validator("email")(classmethod(lambda cls, v: check_email(v)))
    _phones = field_validator("phone", "fax")(classmethod(lambda cls, v: check_phone(v)))
    _url = field_validator("website")(classmethod(lambda cls, v: check_url(v)))
    _one_line = field_validator("name", "director_name", "address", "commune")(
        classmethod(lambda cls, v: check_one_line(v)))

    @model_validator(mode="after")
    def _coords(self) -> OrganisationInput:
        check_coordinates(self.latitude, self.longitude)
        return self


class PractitionerInput(Stripped):
    """A practitioner as typed in the form, consent included."""

    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    function: str
    actor_category: str
    territory_id: RecordId | None = None
    isic_experience: str = "debutant"
    skills_knowledge: str = Field(default="", max_length=5000)
    skills_know_how: str = Field(default="", max_length=5000)
    skills_interpersonal: str = Field(default="", max_length=5000)
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=30)
    consent_listed: bool = False
    consent_contact: bool = False
    organisation_ids: list[RecordId] = []

    _blank = field_validator("territory_id", mode="before")(classmethod(lambda cls, v: blank_to_none(v)))
    _email = field_validator("email")(classmethod(lambda cls, v: check_email(v)))
    _phone = field_validator("phone")(classmethod(lambda cls, v: check_phone(v)))
    _one_line = field_validator("first_name", "last_name")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("function")
    @classmethod
    def _function(cls, v: str) -> str:
        return check_choice(v, choices.FUNCTIONS)

    @field_validator("actor_category")
    @classmethod
    def _actor(cls, v: str) -> str:
        return check_choice(v, choices.ACTOR_CATEGORIES)

    @field_validator("isic_experience")
    @classmethod
    def _experience(cls, v: str) -> str:
        return check_choice(v, choices.ISIC_EXPERIENCE)

    @model_validator(mode="after")
    def _contact_needs_listing(self) -> PractitionerInput:
        if self.consent_contact and not self.consent_listed:
            raise ValueError("Pour partager ses coordonnées, la personne doit d'abord accepter d'être listée.")
        return self


def _raw(model: type[SQLModel], form: Mapping[str, Any]) -> dict[str, Any]:
    return {key: form.get(key) for key in model.model_fields if key in form}


def parse_organisation_form(form: Mapping[str, Any]) -> FormResult[OrganisationInput]:
    """Validate an organisation form."""
    result = validate(OrganisationInput, _raw(OrganisationInput, form))
    if "__all__" in result.errors:
        result.errors["latitude"] = result.errors.pop("__all__")
    return result


def parse_practitioner_form(form: Mapping[str, Any]) -> FormResult[PractitionerInput]:
    """Validate a practitioner form; unchecked boxes are absent from HTML forms."""
    raw = _raw(PractitionerInput, form)
    raw["consent_listed"] = form.get("consent_listed") in ("on", "1", "true", True)
    raw["consent_contact"] = form.get("consent_contact") in ("on", "1", "true", True)
    getlist = getattr(form, "getlist", None)
    ids = getlist("organisation_ids") if getlist else form.get("organisation_ids", [])
    raw["organisation_ids"] = [i for i in ids if str(i).strip()]
    result = validate(PractitionerInput, raw)
    if "__all__" in result.errors:
        result.errors["consent_contact"] = result.errors.pop("__all__")
    return result


def organisation_form_values(org) -> MultiDict:
    """Initial values of the organisation form."""
    values = MultiDict({name: getattr(org, name) or "" for name in OrganisationInput.model_fields
                        if name not in ("commune", "territory_id", "latitude", "longitude")})
    values["commune"] = org.commune_insee or ""
    values["territory_id"] = str(org.territory_id or "")
    values["latitude"] = "" if org.latitude is None else str(org.latitude)
    values["longitude"] = "" if org.longitude is None else str(org.longitude)
    return values


def practitioner_form_values(person) -> MultiDict:
    """Initial values of the practitioner form."""
    skip = ("territory_id", "consent_listed", "consent_contact", "organisation_ids")
    values = MultiDict({name: getattr(person, name) or "" for name in PractitionerInput.model_fields
                        if name not in skip})
    values["territory_id"] = str(person.territory_id or "")
    if person.consent_listed:
        values["consent_listed"] = "on"
    if person.consent_contact:
        values["consent_contact"] = "on"
    values.setlist("organisation_ids", [str(o.id) for o in person.organisations])
    return values
