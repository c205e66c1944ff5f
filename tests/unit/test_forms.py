"""Input validation: French messages attached to the field the user must fix."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from kb.forms.actions import parse_action_form
from kb.forms.base import split_list
from kb.forms.filters import parse_action_filters
from kb.forms.people import parse_organisation_form, parse_practitioner_form

VALID_ACTION = {"title": "Jardin partagé des Tamaris", "summary": "Un jardin cultivé par les habitant·es du quartier.",
                "mode": "dsl", "status": "en_cours", "publication_status": "publiee", "location_precision": "exacte"}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"title": "ab"}, "title", "trop court"),
        ({"title": "x" * 201}, "title", "trop long"),
        ({"summary": "court"}, "summary", "trop court"),
        ({"mode": "inconnu"}, "mode", "Choisissez une valeur de la liste."),
        ({"mode": ""}, "mode", "Choisissez une valeur de la liste."),
        ({"status": "fini"}, "status", "Choisissez"),
        ({"start_date": "31/02/2012"}, "start_date", "Cette date n'existe pas."),
        ({"start_date": "demain"}, "start_date", "JJ/MM/AAAA"),
        ({"start_date": "2012-06-01", "end_date": "2012-01-01"}, "end_date", "La date de fin précède"),
        ({"latitude": "43,5"}, "latitude", "latitude et la longitude"),
        ({"latitude": "abc", "longitude": "4"}, "latitude", "Saisissez un nombre"),
        ({"latitude": "95", "longitude": "4"}, "latitude", "hors limites"),
        ({"territory_id": "deux"}, "territory_id", "nombre entier"),
        ({"effects-0-dimension": "groupe", "effects-0-description": ""}, "effects-0-description", "obligatoire"),
        ({"effects-3-dimension": "nulle", "effects-3-description": "Plus de confiance"}, "effects-3-dimension", "Choisissez"),
        ({"barriers-1-description": "Pas de budget"}, "barriers-1-kind", "Choisissez"),
        ({"people-0-practitioner_id": "x"}, "people-0-practitioner_id", "nombre entier"),
    ],
)
def test_action_form_errors_are_french_and_on_the_right_field(changes, field, message):
    result = parse_action_form(MultiDict({**VALID_ACTION, **changes}))
    assert not result.ok
    assert message in result.errors[field]


def test_valid_action_form_is_parsed():
    form = MultiDict({**VALID_ACTION, "start_date": "24/02/2012", "latitude": "43,6766", "longitude": "4,6278",
                      "publics": "Familles ; jeunes, familles", "effects-0-dimension": "groupe",
                      "effects-0-description": "Entraide entre voisines", "effects-1-description": "",
                      "levers-2-description": "Soutien de la direction"})
    form.setlist("partner_ids", ["3", "5"])
    result = parse_action_form(form)
    assert result.ok, result.errors
    data = result.data
    assert data.start_date == date(2012, 2, 24)
    assert (data.latitude, data.longitude) == (43.6766, 4.6278)
    assert data.publics == ["Familles", "jeunes"]
    assert data.partner_ids == [3, 5]
    assert [e.description for e in data.effects] == ["Entraide entre voisines"]
    assert [lever.description for lever in data.levers] == ["Soutien de la direction"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "obligatoire"),
        ({"kind": "club"}, "kind", "Choisissez"),
        ({"postal_code": "1320"}, "postal_code", "5 chiffres"),
        ({"email": "pas-une-adresse"}, "email", "Adresse électronique invalide"),
        ({"phone": "appelez-moi"}, "phone", "Numéro de téléphone invalide"),
        ({"website": "javascript:alert(1)"}, "website", "https://"),
    ],
)
def test_organisation_form_errors(changes, field, message):
    result = parse_organisation_form({"name": "Centre social", "kind": "centre_social", **changes})
    assert message in result.errors[field]


def test_contact_consent_requires_listing():
    result = parse_practitioner_form({"first_name": "Lina", "last_name": "Roux", "function": "es",
                                      "actor_category": "intervenant", "consent_contact": "on"})
    assert "doit d'abord accepter d'être listée" in result.errors["consent_contact"]


def test_unchecked_consent_boxes_mean_no():
    result = parse_practitioner_form({"first_name": "Lina", "last_name": "Roux", "function": "es",
                                      "actor_category": "intervenant"})
    assert result.ok and not result.data.consent_listed and not result.data.consent_contact


@pytest.mark.parametrize(
    "args, errors",
    [
        ({"mode": "dsl", "year": "2012"}, set()),
        ({"mode": "<script>"}, {"mode"}),
        ({"year": "douze"}, {"year"}),
        ({"page": "-1"}, {"page"}),
        ({"page": "99999999999999999999"}, {"page"}),
    ],
)
def test_filters_report_bad_values(args, errors):
    _, found = parse_action_filters(args)
    assert set(found) == errors


def test_split_list_drops_blanks_and_duplicates():
    assert split_list(" Logement ,, logement; Santé ") == ["Logement", "Santé"]
