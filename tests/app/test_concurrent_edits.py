"""Two people saving the same record at once: the second save runs on the first one's result, never on the
links it read before (which the first save replaced), and a record deleted meanwhile is a French 404.

Two sessions on the same database stand for two gunicorn workers: the second has read the action before the
first commits. The served soak (tests/served/test_index_soak.py) runs the same thing with real processes.
"""

from __future__ import annotations

import pytest

from kb.db import new_session
from kb.errors import Vanished
from kb.models import FieldAction
from kb.policy import Viewer
from kb.services import actions as action_services
from kb.services import moderation, workshops
from kb.services.versions import current_input
from tests import factories

TEAM = Viewer(role="admin", user_id=None)


def seeded(app) -> tuple[int, int, int]:
    """An action linked to one partner organisation; (action id, first partner id, second partner id)."""
    with new_session(app) as session:
        make = factories.Factories(session)
        first, second = make.organisation(name="Centre social Les Tilleuls"), make.organisation(name="ADDAP 13")
        action = make.action(title="Jardin partagé des Tamaris", publication_status="brouillon")
        action.partners = [first]
        session.commit()
        return action.id, first.id, second.id


def partner_ids(app, action_id: int) -> list[int]:
    with new_session(app) as session:
        return sorted(o.id for o in session.get(FieldAction, action_id).partners)


def test_two_edits_of_the_same_links_save_one_after_the_other(any_app):
    action_id, first, second = seeded(any_app)
    with any_app.app_context(), new_session(any_app) as late, new_session(any_app) as early:
        stale = late.get(FieldAction, action_id)
        assert [o.id for o in stale.partners] == [first]  # read before the other worker commits
        late_input = current_input(stale).model_copy(update={"partner_ids": [second]})

        mine = early.get(FieldAction, action_id)
        moderation.edit(early, mine, current_input(mine).model_copy(update={"partner_ids": []}), [], TEAM, "")
        early.commit()

        # Without the lock, deleting the link row the first save already deleted raised StaleDataError (a 500).
        moderation.edit(late, stale, late_input, [], TEAM, "")
        late.commit()
    assert partner_ids(any_app, action_id) == [second]


def test_workshop_tags_set_while_the_action_is_edited_keep_both_changes(any_app):
    action_id, first, _ = seeded(any_app)
    with any_app.app_context(), new_session(any_app) as late, new_session(any_app) as early:
        stale = late.get(FieldAction, action_id)
        assert [t.name for t in stale.tags if t.kind == "atelier"] == []

        mine = early.get(FieldAction, action_id)
        moderation.edit(early, mine, current_input(mine).model_copy(update={"themes": ["Jardinage"]}), [], TEAM, "")
        early.commit()

        workshops.set_workshop_tags(late, stale, ["Atelier Marseille 2012"])
        late.commit()
    with new_session(any_app) as session:
        tags = sorted((t.kind, t.name) for t in session.get(FieldAction, action_id).tags)
    assert ("atelier", "Atelier Marseille 2012") in tags and ("theme", "Jardinage") in tags


def test_an_action_deleted_meanwhile_cannot_be_saved(any_app):
    action_id, _, _ = seeded(any_app)
    with any_app.app_context(), new_session(any_app) as late, new_session(any_app) as early:
        stale = late.get(FieldAction, action_id)
        late_input = current_input(stale).model_copy(update={"title": "Jardin des Tamaris (suite)"})
        action_services.delete_action(early, early.get(FieldAction, action_id), TEAM)
        early.commit()
        with pytest.raises(Vanished, match="Cette action vient d'être supprimé"):
            moderation.edit(late, stale, late_input, [], TEAM, "")
        late.rollback()
    with new_session(any_app) as session:
        assert session.get(FieldAction, action_id) is None


def test_what_vanished_meanwhile_is_a_french_404_page_and_a_json_404(tmp_path, migrated_db):
    from tests.conftest import _make_app

    gen = _make_app(tmp_path, migrated_db)
    app = next(gen)

    @app.route("/vanished")
    @app.route("/api/vanished")
    def vanished():
        raise Vanished("Cette action vient d'être supprimée par quelqu'un d'autre.")

    client = app.test_client()
    page = client.get("/vanished")
    assert page.status_code == 404
    assert "Cette action vient d&#39;être supprimée par quelqu&#39;un d&#39;autre." in page.get_data(as_text=True)
    answer = client.get("/api/vanished")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["message"] == "Cette action vient d'être supprimée par quelqu'un d'autre."
    gen.close()
