"""The OpenAPI 3.1 document of /api/v1, generated from the code: the response shapes from `kb.api_models`, the
query parameters from the filter tables the lists read (`kb.forms.filters`), the routes from `ROUTES` below."""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from kb import api_models
from kb.forms import search as search_form
from kb.forms.filters import ACTION_PARAMETERS, MAX_PAGE
from kb.models import choices
from search_index import FACET_FIELDS

PER_PAGE_MAX = 100
VERSION = "1.0.0"
# The app refuses any request holding a NUL character (400) before reading it: free text excludes it.
NO_NUL = "^[^\\u0000]*$"


def _text(max_length: int) -> dict:
    return {"type": "string", "maxLength": max_length, "pattern": NO_NUL}


def _parameter(name: str, schema: dict, description: str, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


def _page_parameters() -> list[dict]:
    return [_parameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page"),
            _parameter("per_page", {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": 20},
                       "Éléments par page")]


def _closed(vocabulary: dict | None) -> dict:
    return {"type": "string", "enum": list(vocabulary)} if vocabulary else _text(200)


def action_parameters() -> list[dict]:
    """The action list's filters, as the pages read them, plus the full-text query and the page."""
    found = []
    for name, vocabulary, description in ACTION_PARAMETERS:
        schema = {"type": "integer", "minimum": 1900, "maximum": 2100} if name == "year" else _closed(vocabulary)
        found.append(_parameter(name, schema, description))
    found.append(_parameter("q", _text(200), "Texte cherché (recherche plein texte)"))
    return found + _page_parameters()


def people_parameters(kinds: dict[str, str], kind_description: str) -> list[dict]:
    """The organisation and directory lists' filters."""
    return [_parameter("territory", _text(200), "Territoire (slug)"),
            _parameter("kind", _closed(kinds), kind_description),
            _parameter("q", _text(200), "Nom (contient)"), *_page_parameters()]


def _ref(model) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _answer(model, description: str, headers: dict | None = None) -> dict:
    found = {"description": description, "content": {"application/json": {"schema": _ref(model)}}}
    if headers:
        found["headers"] = headers
    return found


_LINK = {"Link": {"description": "RFC 8288 links to the first, previous, next and last pages",
                  "schema": {"type": "string"}}}
_ERRORS = {"400": "Paramètre invalide", "404": "Introuvable", "401": "Connexion nécessaire",
           "403": "Accès refusé", "422": "Action invalide (chaque champ en cause dans fields)",
           "503": "Recherche indisponible"}


def _write(summary: str, ok_code: str, parameters: list[dict], errors: tuple[str, ...]) -> dict:
    responses = {ok_code: _answer(api_models.ActionSaved, "Enregistrée",
                                  {"Location": {"description": "The action in the API", "schema": {"type": "string"}}})}
    responses.update({code: _answer(api_models.ErrorOut, _ERRORS[code]) for code in errors})
    responses["default"] = _answer(api_models.ErrorOut, "Autre erreur (405, 413, 500…), de la même forme")
    return {"summary": summary, "parameters": parameters, "security": [{"token": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(api_models.ActionIn)}}},
            "responses": responses}


def _operation(summary: str, ok, parameters: list[dict], errors: tuple[str, ...], paged: bool = False,
               secured: bool = False) -> dict:
    responses = {"200": _answer(ok, "OK", _LINK if paged else None)}
    responses.update({code: _answer(api_models.ErrorOut, _ERRORS[code]) for code in errors})
    responses["default"] = _answer(api_models.ErrorOut, "Autre erreur (405, 413, 500…), de la même forme")
    operation = {"summary": summary, "parameters": parameters, "responses": responses}
    if secured:
        operation["security"] = [{"session": []}, {"token": []}]
    return operation


def _id_parameter(name: str) -> dict:
    return _parameter(name, {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}, "Identifiant", "path", True)


def document(server_url: str = "/") -> dict:
    """The OpenAPI 3.1 document."""
    _, definitions = models_json_schema([(m, "serialization") for m in api_models.MODELS],
                                        ref_template="#/components/schemas/{model}")
    paths = {
        "/api/v1/actions": {
            "get": _operation("Actions publiées, filtrées comme la liste des actions", api_models.ActionPage,
                              action_parameters(), ("400", "503"), paged=True),
            "post": _write("Publier une action (comme le formulaire : modérée pour un·e professionnel·le)", "201", [],
                           ("400", "401", "403", "422"))},
        "/api/v1/actions/{action_id}": {
            "get": _operation("Une action publiée, avec son récit, ses effets, freins, leviers et outils",
                              api_models.ActionDetail, [_id_parameter("action_id")], ("404",)),
            "put": _write("Modifier une action (comme le formulaire : version proposée si elle est publiée)", "200",
                          [_id_parameter("action_id")], ("400", "401", "403", "404", "422"))},
        "/api/v1/organisations": {"get": _operation(
            "Organisations, filtrées comme leur liste", api_models.OrganisationPage,
            people_parameters(choices.ORGANISATION_KINDS, "Type d'organisation"), ("400",), paged=True)},
        "/api/v1/organisations/{org_id}": {"get": _operation(
            "Une organisation", api_models.OrganisationOut, [_id_parameter("org_id")], ("404",))},
        "/api/v1/practitioners": {"get": _operation(
            "L'annuaire des intervenant·es (personnes connectées ; celles qui ont accepté d'y figurer)",
            api_models.PractitionerPage, people_parameters(choices.FUNCTIONS, "Fonction"), ("400", "401", "403"),
            paged=True, secured=True)},
        "/api/v1/practitioners/{person_id}": {"get": _operation(
            "Une fiche de l'annuaire", api_models.PractitionerOut, [_id_parameter("person_id")],
            ("401", "403", "404"), secured=True)},
        "/api/v1/search": {"get": _operation(
            "Recherche plein texte (actions, organisations, outils, séances, cahiers ; l'annuaire connecté)",
            api_models.SearchPage,
            [_parameter("q", _text(search_form.MAX_TEXT), "Texte cherché"),
             _parameter("sort", {"type": "string", "enum": list(search_form.SORTS)}, "Ordre"),
             _parameter("page", {"type": "integer", "minimum": 1, "maximum": search_form.MAX_PAGE}, "Page"),
             *(_parameter(name, {"type": "array", "items": _text(100),
                                 "maxItems": search_form.MAX_VALUES}, f"Facette {name} (plusieurs valeurs : ou)")
               for name in FACET_FIELDS)],
            ("400", "503"))},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Observatoire des pratiques de l'ISIC — API", "version": VERSION,
                 "description": "Lecture des actions publiées, des organisations, de l'annuaire et de la recherche. "
                                "Les clés sont en anglais ; les messages d'erreur, en français."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": definitions["$defs"],
                       "securitySchemes": {
                           "session": {"type": "apiKey", "in": "cookie", "name": "session",
                                       "description": "A signed-in browser (reading only)"},
                           "token": {"type": "http", "scheme": "bearer",
                                     "description": "A personal token created on « Mon compte » (reading and "
                                                    "writing)"}}},
    }
