"""The index follows the database: writes through the app, crash recovery, rebuild and check."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import select
from whoosh import index as whoosh_index

from kb import indexing
from kb.db import new_session
from kb.models import FieldAction, IndexChange, Workshop, WorkshopSession
from kb.services import privacy
from search_index import SearchDoc, SearchIndex, SearchQuery
from tests.app.test_actions import FORM
from tests.conftest import post_form


def _found(client, query: str) -> list[str]:
    return [hit["title"] for hit in client.get("/api/search", query_string={"q": query}).get_json()["results"]]


def _pending(app) -> int:
    with new_session(app) as session:
        return indexing.lag(app, session)


def test_create_update_delete_through_the_forms_reach_the_search(client, app, editor):
    response = post_form(client, "/actions/nouvelle", {**FORM, "title": "Café des parents du Trébon"})
    action_id = int(re.search(r"/actions/(\d+)$", response.headers["Location"]).group(1))
    assert _pending(app) == 0, "the request's commit applies the change log"
    assert _found(client, "Trébon") == ["Café des parents du Trébon"]

    post_form(client, f"/actions/{action_id}/modifier", {**FORM, "title": "Café des parents de Griffeuille"})
    assert _found(client, "Trébon") == []
    assert _found(client, "Griffeuille") == ["Café des parents de Griffeuille"]

    post_form(client, f"/actions/{action_id}/supprimer", {})
    assert _found(client, "Griffeuille") == []


def test_renaming_a_practitioner_updates_the_actions_that_name_her(client, app, make, session):
    person = make.practitioner(first_name="Inès", last_name="Garnier")
    make.action(title="Atelier des voisines", people=[(person, "porteur")])
    session.commit()
    indexing.sync(app)
    assert "Atelier des voisines" in _found(client, "Garnier")
    person.last_name = "Rouvière"
    session.commit()
    indexing.sync(app)
    assert "Atelier des voisines" in _found(client, "Rouvière")
    assert _found(client, "Garnier") == []


def test_partner_organisations_and_tools_follow_the_actions_they_list(client, app, make, session):
    org = make.organisation(name="Centre social Mosaïque")
    action = make.action(title="Projet Quokka")
    action.partners = [org]
    make.tool(actions=[action], title="Carnet de bord collectif")
    session.commit()
    indexing.sync(app)
    assert set(_found(client, "Quokka")) == {"Projet Quokka", "Centre social Mosaïque", "Carnet de bord collectif"}

    action.title = "Projet Wombat"
    session.commit()
    indexing.sync(app)
    assert _found(client, "Quokka") == []
    assert set(_found(client, "Wombat")) == {"Projet Wombat", "Centre social Mosaïque", "Carnet de bord collectif"}
    assert indexing.check(app).ok

    action.publication_status = "brouillon"  # a draft: its title leaves the public pages that listed it
    session.commit()
    indexing.sync(app)
    assert _found(client, "Wombat") == []
    assert indexing.check(app).ok

    action.publication_status = "publiee"
    session.commit()
    indexing.sync(app)
    session.delete(action)
    session.commit()
    indexing.sync(app)
    assert indexing.check(app).ok
    assert _found(client, "Wombat") == [] and _found(client, "Mosaïque") == ["Centre social Mosaïque"]
    assert _found(client, "Carnet") == ["Carnet de bord collectif"]


def test_sessions_forget_a_trainer_whose_account_is_deleted(client, app, make, session):
    trainer = make.user("formateur", name="Capucine Lenoir")
    workshop = Workshop(name="Groupe ISIC Avignon", year=2026, trainers=[trainer])
    workshop.sessions = [WorkshopSession(day=dt.date(2026, 3, 6), half_day="am", place="Avignon")]
    session.add(workshop)
    session.commit()
    indexing.sync(app)
    assert _found(client, "Lenoir") == ["Groupe ISIC Avignon — séance du 06/03/2026 (matin)"]
    trainer.last_login_at = dt.datetime.now(dt.UTC)  # a sign-in changes nothing that is shown
    session.commit()
    assert _pending(app) == 0
    privacy.erase_account(session, trainer)
    session.commit()
    indexing.sync(app)
    assert _found(client, "Lenoir") == []
    assert indexing.check(app).ok


def test_a_search_that_fails_inside_the_engine_answers_503_not_500(client, monkeypatch):
    def bug(self, query):
        raise RuntimeError("lecture impossible (simulée)")

    monkeypatch.setattr(SearchIndex, "search", bug)
    response = client.get("/recherche", query_string={"q": "évaluation"})
    assert response.status_code == 503
    assert "indisponible" in response.get_data(as_text=True)


def test_startup_applies_the_changes_left_in_the_log(app, make, session, monkeypatch):
    make.action(title="Atelier cuisine de Champfleury")
    session.commit()
    indexing.startup(app)  # an empty index of a filled database: rebuilt, mapping recorded
    assert indexing.mapping_is_current(app)
    make.action(title="Atelier théâtre forum de Monclar")
    session.commit()  # outside a request: the log keeps the change, as after a crash
    assert _pending(app) > 0
    rebuilds = []
    monkeypatch.setattr(indexing, "rebuild", lambda *args, **kwargs: rebuilds.append(args))
    indexing.startup(app)  # the index is current: no rebuild, a drain
    assert rebuilds == []
    assert _pending(app) == 0
    assert indexing.check(app).ok
    hits = indexing.get_index(app).search(SearchQuery(text="Monclar")).hits
    assert [hit.title for hit in hits] == ["Atelier théâtre forum de Monclar"]


@pytest.mark.parametrize("failure", [OSError("disque plein (simulé)"), RuntimeError("segment illisible (simulé)")],
                         ids=["index unavailable", "unexpected bug"])
def test_a_failed_index_write_after_the_commit_loses_nothing(client, app, monkeypatch, editor, failure):
    real_apply = SearchIndex.apply

    def crash(self, upserts, deletes):
        raise failure

    monkeypatch.setattr(SearchIndex, "apply", crash)
    response = post_form(client, "/actions/nouvelle", {**FORM, "title": "Jardin partagé de Barriol"})
    assert response.status_code == 302, "the user's action is saved even when the index fails"
    assert _pending(app) > 0
    assert client.get("/recherche", query_string={"q": "Barriol"}).status_code == 200

    monkeypatch.setattr(SearchIndex, "apply", real_apply)
    assert _found(client, "Barriol") == ["Jardin partagé de Barriol"], "the next search applies the left-over change"
    assert _pending(app) == 0


def test_a_rolled_back_change_leaves_nothing_to_index(app, make, session):
    make.action(title="Atelier jamais enregistré")  # flushed: its documents are noted for the commit
    session.rollback()
    assert _pending(app) == 0
    org = make.organisation(name="Centre social du Trébon")  # the next transaction indexes only its own change
    session.commit()
    assert [(r.doc_kind, r.object_id) for r in session.exec(select(IndexChange))] == [("organisation", org.id)]
    assert _pending(app) == 1


def test_one_record_that_cannot_be_indexed_does_not_hold_back_the_others(app, make, session, runner, monkeypatch):
    mapping = importlib.import_module("kb.indexing.documents")  # the package exports a function of that name
    broken = make.organisation(name="Structure au nom illisible")
    make.action(title="Atelier couture de Salin-de-Giraud")
    session.commit()
    model, build, loads = mapping._LOADERS["organisation"]

    def fragile(org):
        if org.id == broken.id:
            raise ValueError("donnée inattendue (simulée)")
        return build(org)

    monkeypatch.setitem(mapping._LOADERS, "organisation", (model, fragile, loads))
    assert indexing.sync(app) is False  # reported, not raised
    assert _pending(app) == 1  # only the broken record waits
    hits = indexing.get_index(app).search(SearchQuery(text="Salin-de-Giraud")).hits
    assert [hit.title for hit in hits] == ["Atelier couture de Salin-de-Giraud"]
    result = runner.invoke(args=["index", "update"])
    assert result.exit_code == 1 and "1 document(s) non indexé(s)" in result.output

    monkeypatch.setitem(mapping._LOADERS, "organisation", (model, build, loads))
    assert indexing.sync(app) is True
    assert _pending(app) == 0 and indexing.check(app).ok


def test_index_update_command_applies_left_over_changes(app, runner, make, session):
    make.action(title="Atelier mémoire de Trinquetaille")
    session.commit()  # committed outside a request: nothing drained yet
    assert _pending(app) > 0
    result = runner.invoke(args=["index", "update"])
    assert result.exit_code == 0, result.output
    assert _pending(app) == 0
    assert indexing.check(app).ok


def test_check_reports_missing_stale_and_extra_then_rebuild_fixes_them(demo_app):
    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=["index", "check"]).exit_code == 0
    with new_session(demo_app) as session:
        first, second = session.exec(select(FieldAction.id).order_by(FieldAction.id).limit(2)).all()
        # A change the log never saw (a manual SQL fix): the index is now stale for that action.
        session.exec(update(FieldAction).where(FieldAction.id == second).values(title="Titre corrigé à la main"))
        session.exec(IndexChange.__table__.delete())
        session.commit()
    index = indexing.get_index(demo_app)
    index.apply([SearchDoc(doc_id="action:999999", kind="action", title="Fantôme", body="")], [f"action:{first}"])

    result = runner.invoke(args=["index", "check"])
    assert result.exit_code == 1
    assert "Documents manquants : 1" in result.output and f"action:{first}" in result.output
    stale = re.search(r"Documents périmés : \d+ \(([^)]*)\)", result.output).group(1).split(", ")
    assert f"action:{second}" in stale  # and the tool or organisation pages that show its title
    assert "Documents en trop : 1" in result.output and "action:999999" in result.output

    rebuilt = runner.invoke(args=["index", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Index reconstruit" in rebuilt.output
    assert runner.invoke(args=["index", "check"]).exit_code == 0
    assert indexing.check(demo_app).total == index.doc_count()


def test_a_rebuild_on_two_processes_indexes_the_whole_demo(demo_app):
    indexing.close_index(demo_app)
    demo_app.config["INDEX_PARALLEL_FROM"] = 1  # the demo's few hundred documents, as a national rebuild runs
    runner = demo_app.test_cli_runner()
    rebuilt = runner.invoke(args=["index", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    index = indexing.get_index(demo_app)
    generation = index.directory.path(index.directory.current())
    with whoosh_index.open_dir(generation).reader() as reader:
        assert len(reader.leaf_readers()) == 2  # the helper's half and this process's
    report = indexing.check(demo_app)
    assert report.ok and report.total == index.doc_count() > 200
    assert index.search(SearchQuery(text='"développement social local"')).total > 0


def test_startup_rebuilds_an_empty_index_of_a_filled_database(demo_app, tmp_path):
    indexing.close_index(demo_app)
    demo_app.config["INDEX_DIR"] = str(tmp_path / "fresh-index")
    indexing.startup(demo_app)
    report = indexing.check(demo_app)
    assert report.ok and report.total > 200


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=120) | st.lists(
    st.sampled_from(['"', "*", "-", "OR", "AND", "(", ")", "évalu", "freins", "œuvre", "·", "’", " ", ":", "^"]),
    max_size=15).map("".join))
def test_any_query_gives_a_result_page(demo_client, query):
    response = demo_client.get("/recherche", query_string={"q": query})
    assert response.status_code == 200 and '<div role="status">' in response.get_data(as_text=True)
    response = demo_client.get("/api/search", query_string={"q": query})
    assert response.status_code == 200 and isinstance(response.get_json()["total"], int)


def test_startup_rebuilds_an_index_made_by_an_earlier_mapping(demo_app):
    indexing.startup(demo_app)  # current: nothing to rebuild, the bogus document below would survive a drain
    index = indexing.get_index(demo_app)
    index.apply([SearchDoc(doc_id="practitioner:999999", kind="practitioner", title="Ancienne fiche publique", body="",
                           visibility="public")], [])
    (Path(demo_app.config["INDEX_DIR"]) / "kb_mapping_version").write_text("1")
    indexing.startup(demo_app)
    assert indexing.check(demo_app).ok
    assert indexing.mapping_is_current(demo_app)


def test_a_long_import_is_indexed_by_a_second_process_while_it_goes_on(app, monkeypatch):
    from kb.models import Organisation

    monkeypatch.setattr(indexing, "BULK_DRAIN_BATCH", 2)  # the child is forked after this: it drains by twos
    with indexing.following(app):
        with new_session(app) as session:
            session.add_all([Organisation(name=f"Centre social n° {n}", kind="centre_social") for n in range(3)])
            session.commit()
        for _ in range(200):  # the parent goes on with its own work; the child indexes what is committed
            if _pending(app) == 0:
                break
            time.sleep(0.05)
        assert _pending(app) == 0
        with new_session(app) as session:
            session.add(Organisation(name="Maison de quartier du Panier", kind="centre_social"))
            session.commit()
    assert _pending(app) == 0  # the last change, below a batch, is indexed on the way out
    found = indexing.get_index(app).search(SearchQuery(text="centre social", per_page=20)).hits
    assert {"Centre social n° 2", "Maison de quartier du Panier"} <= {hit.title for hit in found}
