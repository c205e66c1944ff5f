"""The gazetteer: name folding alone, then lookups and search against the shipped communes file."""

from __future__ import annotations

import pytest

from maps.gazetteer import AmbiguousPlace, Commune, Gazetteer, UnknownPlace
from maps.names import normalize, prefix_keys, split_departement_hint


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(("text", "key"), [
    ("Saint-Rémy-de-Provence", "saint remy de provence"),
    ("ST REMY DE PROVENCE", "saint remy de provence"),
    ("St-Rémy-de-Provence", "saint remy de provence"),
    ("Ste-Marie", "sainte marie"),
    ("SAINTES MARIES DE LA MER", "saintes maries de la mer"),
    ("  Saintes--Maries   de la Mer ", "saintes maries de la mer"),
    ("Marseille 16e Arrondissement", "marseille 16"),
    ("MARSEILLE 16", "marseille 16"),
    ("Marseille 16ème arr.", "marseille 16"),
    ("Marseille 01", "marseille 1"),
    ("Paris 1er Arrondissement", "paris 1"),
    ("L'Isle-sur-la-Sorgue", "l isle sur la sorgue"),
    ("L’Isle sur la Sorgue", "l isle sur la sorgue"),
    ("ISLE-SUR-LA-SORGUE (L')", "l isle sur la sorgue"),
    ("Puy-en-Velay (Le)", "le puy en velay"),
    ("Œuilly", "oeuilly"),
    ("Château-Chinon (Ville)", "chateau chinon ville"),
    ("Strasbourg", "strasbourg"),
    ("", ""),
])
def test_normalize(text, key):
    assert normalize(text) == key
    assert normalize(key) == key  # a key folds to itself


def test_prefix_keys_keep_st_as_typed_and_spelt_out():
    assert set(prefix_keys("st")) == {"saint", "st"}
    assert "marseille 16" in prefix_keys("Marseille 16e arr")
    assert prefix_keys("   ") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Arles (13)", ("Arles", "13")),
    ("Ajaccio (2a)", ("Ajaccio", "2A")),
    ("Château-Chinon (Ville)", ("Château-Chinon (Ville)", None)),
    ("Arles", ("Arles", None)),
])
def test_split_departement_hint(text, expected):
    assert split_departement_hint(text) == expected


@pytest.mark.parametrize(("text", "insee"), [
    ("MARSEILLE 16", "13216"),
    ("Marseille 16e", "13216"),
    ("Marseille 16e arrondissement", "13216"),
    ("marseille 1er", "13201"),
    ("Paris 16", "75116"),
    ("ST REMY DE PROVENCE", "13100"),
    ("arles", "13004"),
    ("ARLES", "13004"),
    ("Arles (13)", "13004"),
    ("Avignon", "84007"),
    ("saintes maries de la mer", "13096"),
    ("Lisle sur la Sorgue", "84054"),
    ("13200", "13004"),          # postal code of Arles
    ("13004", "13004"),          # an INSEE code wins over the same postal code (Marseille 4e)
    ("2a004", "2A004"),
    ("13016 Marseille", "13216"),
    ("Marseille 13016", "13216"),
    ("Arles 13200", "13004"),
])
def test_lookup(gazetteer, text, insee):
    assert gazetteer.lookup(text).insee == insee


@pytest.mark.parametrize("name", ["Saint-Martin", "Sainte-Marie", "st martin"])
def test_homonyms_are_ambiguous_with_their_departements(gazetteer, name):
    with pytest.raises(AmbiguousPlace) as caught:
        gazetteer.lookup(name)
    candidates = caught.value.candidates
    assert len(candidates) > 1
    assert len({c.departement for c in candidates}) == len(candidates)
    assert {normalize(c.name) for c in candidates} == {normalize(name)}
    assert str(caught.value).startswith(f"Plusieurs communes correspondent à « {name} » : ")
    assert f"({candidates[0].departement})" in str(caught.value)


def test_departement_resolves_homonyms(gazetteer):
    assert gazetteer.lookup("Saint-Martin", departement="67").insee == "67426"
    assert gazetteer.lookup("Sainte-Marie (974)").insee == "97418"


def test_wrong_departement_is_explained(gazetteer):
    with pytest.raises(UnknownPlace, match="Aucune commune « Arles » dans le département 84."):
        gazetteer.lookup("Arles", departement="84")


@pytest.mark.parametrize("text", ["Trifouilly-les-Oies", "Marseile", "Arle"])
def test_unknown_place_is_refused_in_french_never_guessed(gazetteer, text):
    with pytest.raises(UnknownPlace) as caught:
        gazetteer.lookup(text)
    assert str(caught.value) == f"Commune inconnue : « {text} »"
    assert caught.value.query == text


def test_unknown_codes_and_blank_input(gazetteer):
    with pytest.raises(UnknownPlace, match="Commune inconnue : « 99999 »"):
        gazetteer.lookup("99999")
    with pytest.raises(UnknownPlace, match="Aucune commune indiquée."):
        gazetteer.lookup("   ")
    with pytest.raises(UnknownPlace, match="Code INSEE inconnu : « 00000 »"):
        gazetteer.by_insee("00000")


def test_commune_fields(gazetteer):
    district = gazetteer.by_insee("13216")
    assert district.name == "Marseille 16e Arrondissement"
    assert district.is_arrondissement and district.kind == "arrondissement-municipal"
    assert (district.departement, district.region, district.parent_insee) == ("13", "93", "13055")
    assert district.postal_codes == ("13016",)
    assert isinstance(district.population, int) and district.lat and district.lon
    arles = gazetteer.by_insee("13004")
    assert arles.label == "Arles (13)" and not arles.is_arrondissement and arles.parent_insee is None
    assert "13200" in arles.postal_codes


def test_by_postal_code(gazetteer):
    assert [c.name for c in gazetteer.by_postal_code("13200")] == ["Arles"]
    assert [c.insee for c in gazetteer.by_postal_code("13001")] == ["13201", "13055"]  # arrondissement first
    assert gazetteer.by_postal_code("00000") == []


def test_search_is_a_prefix_search_biggest_first(gazetteer):
    found = gazetteer.search("mars", limit=3)
    assert found[0].name == "Marseille" and len(found) == 3
    populations = [c.population or 0 for c in gazetteer.search("sa", limit=20)]
    assert populations == sorted(populations, reverse=True)
    names = {c.name for c in gazetteer.search("st", limit=50)}
    assert "Strasbourg" in names and "Saint-Étienne" in names


def test_search_in_some_departements(gazetteer):
    found = gazetteer.search("ST REMY", departements=["13", "84"])
    assert [c.name for c in found] == ["Saint-Rémy-de-Provence"]
    assert all(c.departement == "13" for c in gazetteer.search("132", departements=["13"]))
    assert gazetteer.search("") == [] and gazetteer.search("arles", limit=0) == []


def test_default_is_loaded_once(gazetteer):
    assert Gazetteer.default() is gazetteer
    assert len(gazetteer) == 35014


def test_a_small_file_loads_and_resolves(tmp_path):
    header = ("code_insee,nom,type,departement,region,codes_postaux,population,commune_parente,"
              "latitude,longitude,coord_source,centroid_latitude,centroid_longitude\n")
    rows = ["13055,Marseille,commune-actuelle,13,93,13001 13002,886040,,43.29695,5.38107,,,",
            "13201,Marseille 1er Arrondissement,arrondissement-municipal,13,93,13001,37599,13055,43.2999,5.3823,,,",
            "32389,Saint-Martin,commune-actuelle,32,76,32300,,,,,,,"]
    path = tmp_path / "communes.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    small = Gazetteer.from_csv(path)
    assert small.lookup("13001").insee == "13201"  # the city gives way to its own arrondissement
    assert small.lookup("13002").insee == "13055"
    martin = small.lookup("St Martin")
    assert martin == Commune("32389", "Saint-Martin", "commune-actuelle", "32", "76", ("32300",),
                             None, None, None, None)


def test_former_communes_resolve_to_todays_commune(gazetteer):
    # Bellegarde-sur-Valserine merged into Valserhône (2019); Annecy-le-Vieux (74011) into Annecy (2017).
    assert gazetteer.lookup("Bellegarde-sur-Valserine").name == "Valserhône"
    assert gazetteer.lookup("01200 BELLEGARDE SUR VALSERINE").insee == "01033"
    assert gazetteer.by_insee("74011").name == "Annecy" and gazetteer.lookup("74011").insee == "74010"
    assert gazetteer.former_name("Annecy le Vieux", gazetteer.lookup("Annecy le Vieux")) == "Annecy-le-Vieux"
    assert gazetteer.former_name("Arles", gazetteer.lookup("Arles")) is None
    with pytest.raises(UnknownPlace):
        gazetteer.lookup("Bellegarde-sur-Valserine", departement="13")


def test_a_current_name_wins_over_a_former_one(gazetteer, tmp_path):
    # "Castellet" was the name of Castellet-en-Luberon (84); today's "Le Castellet" communes keep their own name.
    assert gazetteer.lookup("Castellet").insee == "84033"
    with pytest.raises(AmbiguousPlace):
        gazetteer.lookup("Le Castellet")
    current_only = Gazetteer.from_csv(former=None)
    with pytest.raises(UnknownPlace):
        current_only.lookup("Bellegarde-sur-Valserine")
    with pytest.raises(UnknownPlace):
        current_only.by_insee("74011")
