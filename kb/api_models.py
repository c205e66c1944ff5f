"""The JSON shapes of the API (/api/v1): every answer is built through these models, and the OpenAPI document is
generated from them, so the document and the answers cannot disagree. Keys are English."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.models import choices


def _one_of(vocabulary: dict, **kwargs):
    """A string among a vocabulary's codes: shown in the document; the form's parser says in French if not."""
    return Field(max_length=40, json_schema_extra={"enum": list(vocabulary)}, **kwargs)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ActionSummary(_Model):
    """A published action, as lists show it (placed where public maps place it)."""

    id: int
    title: str
    summary: str
    mode: str = Field(description="Mode d'intervention (code)")
    mode_label: str
    status: str
    territory: str | None = Field(description="Territoire (slug)")
    commune_insee: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    location_precision: str = Field(description="exacte, or commune: a sensitive action is shown at its commune's "
                                                "centre")
    start_date: date | None
    end_date: date | None
    publics: list[str]
    themes: list[str]
    url: str


class EffectOut(_Model):
    """An effect observed on the people involved."""

    dimension: str
    description: str
    indicator: str
    evidence: str | None
    observer: str | None
    observed_on: date | None
    value_before: float | None
    value_after: float | None


class BarrierOut(_Model):
    """A barrier (frein), with who reported it."""

    kind: str
    actor_category: str
    description: str


class ToolRef(_Model):
    """A published tool used in the action."""

    id: int
    title: str
    kind: str


class PersonRef(_Model):
    """A practitioner who agreed to be named."""

    id: int
    name: str
    role: str


class OrganisationRef(_Model):
    """A partner organisation."""

    id: int
    name: str


class ActionDetail(ActionSummary):
    """A published action with its story and findings."""

    address: str | None
    writeup: str = Field(description="Markdown")
    effects: list[EffectOut]
    barriers: list[BarrierOut]
    levers: list[str]
    tools: list[ToolRef]
    practitioners: list[PersonRef]
    partners: list[OrganisationRef]


class OrganisationOut(_Model):
    """An organisation (its public page's fields)."""

    id: int
    name: str
    kind: str
    kind_label: str
    director: str
    address: str
    postal_code: str
    commune_insee: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    phone: str
    fax: str
    email: str
    website: str
    siret: str | None
    territory: str | None
    url: str


class PractitionerOut(_Model):
    """A practitioner of the directory (she agreed to be listed); her phone only when she agreed to be contacted
    and the caller is a professional or more; never her e-mail address."""

    id: int
    first_name: str
    last_name: str
    function: str
    actor_category: str
    territory: str | None
    organisations: list[str]
    phone: str | None
    contact: str | None = Field(description="The contact relay page (the caller may write to her through it)")
    url: str


class SearchHitOut(_Model):
    """A search result."""

    id: str = Field(description="kind:id")
    kind: str
    title: str
    url: str
    highlight: str | None = Field(description="HTML fragment: the matched words in <mark>, everything else escaped")
    date: date | None
    territory: str | None
    commune: str | None
    mode: str | None
    year: int | None


class FacetValue(_Model):
    value: str
    label: str
    count: int


class ActionPage(_Model):
    """One page of actions; the Link header names the first, previous, next and last pages."""

    items: list[ActionSummary]
    total: int
    page: int
    per_page: int
    pages: int


class OrganisationPage(_Model):
    """One page of organisations."""

    items: list[OrganisationOut]
    total: int
    page: int
    per_page: int
    pages: int


class PractitionerPage(_Model):
    """One page of the directory."""

    items: list[PractitionerOut]
    total: int
    page: int
    per_page: int
    pages: int


class SearchPage(_Model):
    """One page of search results with the facets of all the results."""

    query: str
    items: list[SearchHitOut]
    total: int
    page: int
    per_page: int
    pages: int
    approximate: bool
    unmatched_terms: list[str]
    suggestion: str | None
    facets: dict[str, list[FacetValue]]


class ErrorBody(_Model):
    code: int
    message: str = Field(description="In French, for people")
    fields: dict[str, str] = Field(default_factory=dict, description="Parameter -> what is wrong with it")


class ErrorOut(_Model):
    """Every error of the API has this shape."""

    error: ErrorBody


MODELS = (ActionPage, ActionDetail, OrganisationPage, OrganisationOut, PractitionerPage, PractitionerOut, SearchPage,
          ErrorOut)


# What the API accepts: an action as its form submits it (the same rules then apply, moderation included).


class PersonIn(_Model):
    practitioner_id: int = Field(ge=1, le=2_147_483_647)
    role: str = _one_of(choices.ACTION_ROLES)


class EffectIn(_Model):
    dimension: str = _one_of(choices.EFFECT_DIMENSIONS)
    description: str = Field(max_length=5000)
    indicator: str = Field(default="", max_length=5000)
    evidence_kind: str = Field(default="", max_length=20, description="One of " + ", ".join(choices.EVIDENCE_KINDS)
                                                                        + ", or empty")
    observer: str = Field(default="", max_length=200)
    observed_on: date | None = None
    value_before: float | None = None
    value_after: float | None = None


class BarrierIn(_Model):
    kind: str = _one_of(choices.BARRIER_KINDS)
    actor_category: str = _one_of(choices.ACTOR_CATEGORIES)
    description: str = Field(max_length=5000)


class ActionIn(_Model):
    """An action to create or to replace, with the fields of its form. A professional's action waits for
    moderation (publication_status "en_attente") or stays a draft ("brouillon"); her edit of a published action
    is kept as a version proposed to the moderators."""

    title: str = Field(max_length=200)
    summary: str = Field(max_length=3000)
    writeup: str = Field(default="", max_length=200_000, description="Markdown")
    mode: str = _one_of(choices.INTERVENTION_MODES)
    territory_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    commune: str | None = Field(default=None, max_length=120, description="Code INSEE or name")
    address: str = Field(default="", max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    location_precision: str = _one_of(choices.LOCATION_PRECISIONS, default="exacte")
    start_date: date | None = None
    end_date: date | None = None
    status: str = _one_of(choices.ACTION_STATUSES, default="en_cours")
    publication_status: str | None = Field(
        default=None, max_length=40, json_schema_extra={"enum": [*choices.PUBLICATION_STATUSES, None]},
        description="Omitted: « brouillon » for a new action, unchanged for an edit")
    publics: list[str] = Field(default_factory=list, max_length=30)
    themes: list[str] = Field(default_factory=list, max_length=30)
    partner_ids: list[int] = Field(default_factory=list, max_length=50)
    tool_ids: list[int] = Field(default_factory=list, max_length=50)
    people: list[PersonIn] = Field(default_factory=list, max_length=30)
    effects: list[EffectIn] = Field(default_factory=list, max_length=30)
    barriers: list[BarrierIn] = Field(default_factory=list, max_length=30)
    levers: list[str] = Field(default_factory=list, max_length=30)
    confirm_warnings: bool = Field(default=False, description="Save despite the doubts a first answer listed (a "
                                                              "similar action, a passage that may identify someone)")

    @field_validator("publics", "themes")
    @classmethod
    def _no_comma(cls, names: list[str]) -> list[str]:
        if any("," in name for name in names):  # the form separates terms with commas
            raise ValueError("Un mot-clé ne peut pas contenir de virgule.")
        return names


class ActionSaved(_Model):
    """What became of a saved action."""

    id: int
    publication_status: str
    pending_revision: bool = Field(description="The edit waits for the moderators; the published version stays")
    url: str


MODELS = (*MODELS, ActionIn, ActionSaved)
