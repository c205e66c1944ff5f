"""Before a new action is saved: a published action with a close title in the same or a nearby commune."""

from __future__ import annotations

import pytest

from kb.forms.actions import ActionInput
from kb.models.base import utcnow
from kb.services.duplicates import close_titles, similar_actions, title_words


def test_title_words_leave_out_short_words_and_accents():
    assert title_words("Le jardin partagé de l'Étang") == {"jardin", "partage", "etang"}
    assert title_words("Ma cuisine, quartier x 13 et les Aires") == {"ma", "cuisine", "quartier", "13", "aires"}
    assert title_words("Les et de") == set()


@pytest.mark.parametrize(("a", "b", "close"), [
    ("Jardin partagé de Barriol", "Le jardin partagé de Barriol", True),
    ("Jardin partagé de Barriol", "Jardin partagé du Trébon", True),  # half the words in common
    ("Jardin partagé de Barriol et Griffeuille", "Jardin partagé du Trébon", False),  # two words of five
    ("Atelier cuisine", "Ateliers cuisines", True),  # no word in common, but they read the same
    ("Les jardiniers", "Les jardinages", True),  # reading exactly 80 % the same
    ("Les mobilités", "Les mobiles", True),
    ("Vélo école", "Vélos écoles", True),
    ("Jardin partagé", "Repair café solidaire", False),
    ("Groupe de parole des aidants", "Groupe d'entraide mutuelle", False),  # one word of five in common
    ("Le la les", "Jardin partagé", False),
])
def test_titles_are_close_when_they_share_most_words_or_read_the_same(a, b, close):
    assert close_titles(a, b) is close
    assert close_titles(b, a) is close


ARLES = {"commune": "Arles"}
FONTVIEILLE = (43.7236, 4.7117)  # 8 km from Arles
AVIGNON = (43.9493, 4.8055)  # 34 km from Arles


def proposed(title: str = "Jardin partagé de Barriol", **fields) -> ActionInput:
    return ActionInput(title=title, summary="Un jardin cultivé par les habitant·es du quartier.", mode="dsl", **fields)


def titles(found) -> list[str]:
    return [a.title for a in found]


def test_a_close_title_in_the_same_commune_is_similar(session, make):
    make.action(title="Repair café de Barriol", commune_insee="13004")
    make.action(title="Le jardin partagé de Barriol", commune_insee="13004", latitude=None, longitude=None)
    make.action(title="Jardin partagé de Barriol", commune_insee="84007", latitude=None, longitude=None)
    assert titles(similar_actions(session, proposed(**ARLES))) == ["Le jardin partagé de Barriol"]


def test_a_close_title_nearby_is_similar_and_far_away_is_not(session, make):
    make.action(title="Jardin partagé de Barriol", commune_insee="13038", latitude=FONTVIEILLE[0],
                longitude=FONTVIEILLE[1])
    make.action(title="Jardin partagé de Barriol !", commune_insee="84007", latitude=AVIGNON[0], longitude=AVIGNON[1])
    make.action(title="Jardin partagé de Barriol ?", commune_insee=None, latitude=None, longitude=None)
    assert titles(similar_actions(session, proposed(**ARLES))) == ["Jardin partagé de Barriol"]
    by_point = proposed(latitude=43.6766, longitude=4.6278)
    assert titles(similar_actions(session, by_point)) == ["Jardin partagé de Barriol"]
    in_avignon = proposed(latitude=AVIGNON[0] + 0.01, longitude=AVIGNON[1])
    assert titles(similar_actions(session, in_avignon)) == ["Jardin partagé de Barriol !"]


def test_without_a_place_every_close_title_is_similar(session, make):
    make.action(title="Jardin partagé de Barriol", commune_insee="13004")
    make.action(title="Jardin partagé de Barriol", commune_insee="84007", latitude=AVIGNON[0], longitude=AVIGNON[1])
    make.action(title="Atelier vélo", commune_insee="84007")
    assert len(similar_actions(session, proposed())) == 2
    assert len(similar_actions(session, proposed(commune="Trifouilly-les-Oies"))) == 2  # an unknown commune


def test_only_published_actions_are_compared_and_the_action_itself_is_not(session, make):
    own = make.action(title="Jardin partagé de Barriol")
    make.action(title="Jardin partagé de Barriol", publication_status="brouillon")
    make.action(title="Jardin partagé de Barriol", publication_status="en_attente")
    hidden = make.action(title="Jardin partagé de Barriol")
    hidden.hidden_at = utcnow()
    archived = make.action(title="Jardin partagé de Barriol", publication_status="archivee")
    assert [a.id for a in similar_actions(session, proposed(**ARLES), exclude_id=own.id)] == [archived.id]
    assert sorted(a.id for a in similar_actions(session, proposed(**ARLES))) == [own.id, archived.id]


def test_at_most_five_similar_actions_are_shown(session, make):
    made = [make.action(title=f"Jardin partagé de Barriol {n}") for n in range(7)]
    assert [a.id for a in similar_actions(session, proposed(**ARLES))] == [a.id for a in made[:5]]
