"""Communes typed in forms: found in the shipped gazetteer, copied into the database once, or explained."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from kb.errors import DomainError
from kb.models import Commune
from kb.services.places import ensure_commune, resolve_commune

BREST = "29019"


def communes(session) -> int:
    return session.exec(select(func.count()).select_from(Commune)).one()


def test_a_commune_is_copied_from_the_gazetteer_on_first_use(session):
    assert session.get(Commune, BREST) is None
    before = communes(session)
    brest = ensure_commune(session, BREST)
    session.expire_all()
    saved = session.get(Commune, BREST)
    assert (saved.name, saved.departement, saved.postal_codes) == ("Brest", "29", "29200")
    assert saved.latitude == pytest.approx(48.4, abs=0.1) and saved.longitude == pytest.approx(-4.5, abs=0.1)
    assert saved.population > 100_000
    assert ensure_commune(session, BREST).insee == brest.insee and communes(session) == before + 1


def test_a_stored_commune_is_used_even_when_the_gazetteer_no_longer_lists_it(session):
    merged = Commune(insee="13999", name="Ancienne commune", departement="13", latitude=43.5, longitude=4.8)
    session.add(merged)  # communes merge and their codes leave the shipped gazetteer
    session.flush()
    assert ensure_commune(session, "13999") is merged


def test_a_commune_of_several_postal_codes_keeps_them_all(session):
    arles = resolve_commune(session, "Arles")
    assert arles.insee == "13004" and arles.postal_codes.split() == ["13104", "13123", "13129", "13200", "13280"]


@pytest.mark.parametrize(("typed", "insee"), [("Brest", BREST), ("29200", BREST), (BREST, BREST),
                                              ("Eygalières", "13034")])
def test_a_commune_is_found_by_name_postal_code_or_insee_code(session, typed, insee):
    found = resolve_commune(session, typed)
    assert found.insee == insee and session.get(Commune, insee) is found


def test_an_unknown_insee_code_is_refused_on_the_commune_field(session):
    with pytest.raises(DomainError) as refused:
        ensure_commune(session, "99999")
    assert (refused.value.field, refused.value.message) == ("commune", "Code INSEE inconnu : « 99999 »")


def test_an_unknown_commune_is_explained(session):
    with pytest.raises(DomainError) as refused:
        resolve_commune(session, "Trifouilly-les-Oies")
    assert refused.value.field == "commune"
    assert refused.value.message == ("Commune inconnue : « Trifouilly-les-Oies ». Vérifiez l'orthographe ou saisissez "
                                     "le code postal.")


def test_an_ambiguous_commune_lists_six_candidates_with_their_departements(session):
    with pytest.raises(DomainError) as refused:
        resolve_commune(session, "Beaumont")  # eight communes of that name
    assert refused.value.field == "commune"
    assert refused.value.message == (
        "Plusieurs communes correspondent à « Beaumont » : Beaumont (07), Beaumont (19), Beaumont (32), "
        "Beaumont (43), Beaumont (54), Beaumont (63). Précisez le code INSEE ou le code postal.")
