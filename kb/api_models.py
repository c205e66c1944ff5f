"""The JSON shapes of the API (/api/v1): every answer is built through these models, and the OpenAPI document is
generated from them, so the document and the answers cannot disagree. Keys are English."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
