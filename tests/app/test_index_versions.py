"""Ordered index writes: document versions, a change log followed from each index's position, drift repair, both databases."""

from __future__ import annotations

import threading
import time

from sqlmodel import select
from werkzeug.datastructures import MultiDict

from kb import indexing
from kb.db import new_session
from kb.forms.actions import action_form_values, form_pairs, parse_action_form
from kb.indexing import versions
from kb.indexing.documents import documents as build_documents
from kb.models import FieldAction, IndexChange, IndexVersion, Practitioner
from kb.services import accounts, moderation
from tests.factories import Factories


def version_of(session, kind: str, object_id: int) -> int:
    row = session.get(IndexVersion, (kind, object_id))
    return row.version if row else 0


def search_titles(app, text: str) -> list[str]:
    from search_index import SearchQuery

    results = indexing.get_index(app).search(SearchQuery(text=text, visibilities=["public"], per_page=100))
    return [hit.title for hit in results.hits]


def test_each_commit_counts_a_version_and_the_log_entries_name_it(app, make, session):
    action = make.action(title="Jardin des Aubagnens")
    session.commit()
    assert version_of(session, "action", action.id) == 1
    action.title = "Jardin des Aubagnais"
    session.commit()
    assert version_of(session, "action", action.id) == 2
    rows = session.exec(select(IndexChange).where(IndexChange.doc_kind == "action")).all()
    assert sorted(r.version for r in rows) == [1, 2]
    indexing.drain(app)
    assert indexing.lag(app, session) == 0
    assert indexing.get_index(app).versions()[f"action:{action.id}"] == 2


def test_a_document_read_before_a_newer_commit_never_overwrites_it(app, make, session):
    action = make.action(title="Maraude du Panier")
    session.commit()
    indexing.drain(app)
    with new_session(app) as early:  # a slow writer reads the action now...
        old_docs, _ = build_documents(early, {("action", action.id)})
    action.title = "Maraude de la Belle de Mai"  # ...another one changes it and indexes it first
    session.commit()
    indexing.drain(app)
    covered = indexing.get_index(app).apply(old_docs, {})  # the slow writer's late write
    assert covered == {f"action:{action.id}": 2}
    assert search_titles(app, "maraude") == ["Maraude de la Belle de Mai"]
    assert indexing.check(app).ok


def test_a_change_committed_while_a_drain_runs_is_indexed_not_forgotten(app, make, session, monkeypatch):
    action = make.action(title="Atelier mémoire")
    session.commit()
    real_read, calls = versions.read, []

    def read_then_another_commit(conn, keys):
        found = real_read(conn, keys)
        if not calls:  # the drain has read its rows and versions; another worker commits a newer change
            calls.append(1)
            with new_session(app) as other:
                other.get(FieldAction, action.id).title = "Atelier mémoire et transmission"
                other.commit()
        return found

    monkeypatch.setattr(versions, "read", read_then_another_commit)
    indexing.drain(app)
    assert indexing.lag(app, session) == 0
    assert indexing.get_index(app).versions()[f"action:{action.id}"] == 2
    assert search_titles(app, "transmission") == ["Atelier mémoire et transmission"]


def test_deleted_records_keep_counting_so_a_reused_id_is_newer(app, make, session):
    org = make.organisation(name="Maison des familles")
    session.commit()
    org_id = org.id
    session.delete(org)
    session.commit()
    assert version_of(session, "organisation", org_id) == 2
    indexing.drain(app)
    assert f"organisation:{org_id}" not in indexing.get_index(app).versions()


def test_repair_finds_missing_older_newer_and_extra_documents(app, make, session):
    kept = make.action(title="Café des aidants")
    lost = make.action(title="Chantier jeunes du Trébon")
    older = make.action(title="Radio de quartier")
    session.commit()
    indexing.drain(app)
    index = indexing.get_index(app)
    index.apply([], [f"action:{lost.id}"])  # a lost write
    with new_session(app) as early:
        stale_docs, _ = build_documents(early, {("action", older.id)})
    older.title = "Radio de quartier des Izards"
    session.commit()
    index.apply(stale_docs, {}, force=True)  # an older document forced in: what a bug would leave
    with new_session(app) as other:  # the change is committed, its log entry lost (a restored backup)
        other.exec(IndexChange.__table__.delete())
        other.commit()
    from search_index import SearchDoc

    index.apply([SearchDoc("action:999999", "action", "Fantôme", "Une action qui n'existe pas")], [])
    assert indexing.drift(app) == {("action", lost.id), ("action", older.id), ("action", 999999)}
    assert indexing.repair(app) == 3
    assert indexing.drift(app) == set()
    assert indexing.check(app).ok
    assert search_titles(app, "Izards") == ["Radio de quartier des Izards"]
    assert search_titles(app, "Trébon") == ["Chantier jeunes du Trébon"]
    assert search_titles(app, "fantôme") == []
    assert kept.id


def test_index_update_repairs_stale_content_that_versions_cannot_see(app, make, session, runner):
    action = make.action(title="Ludothèque itinérante")
    session.commit()
    indexing.drain(app)
    with new_session(app) as other:  # changed behind the app's back: no version, no log entry
        other.exec(FieldAction.__table__.update().where(FieldAction.__table__.c.id == action.id)
                   .values(title="Ludothèque de Barriol"))
        other.commit()
    assert indexing.drift(app) == set()
    assert not indexing.check(app).ok
    result = runner.invoke(args=["index", "update"])
    assert result.exit_code == 0, result.output
    assert "1 document(s) réparé(s)" in result.output
    assert indexing.check(app).ok
    assert search_titles(app, "Barriol") == ["Ludothèque de Barriol"]


def test_startup_repairs_drift_left_by_a_crash(app, make, session):
    action = make.action(title="Accueil des nouveaux habitants")
    session.commit()
    indexing.drain(app)
    indexing.get_index(app).apply([], [f"action:{action.id}"])  # the process died after a partial write
    indexing.startup(app)
    assert search_titles(app, "habitants") == ["Accueil des nouveaux habitants"]


def test_a_rebuild_keeps_the_changes_committed_while_it_ran(app, make, session):
    first = make.action(title="Permanence logement")
    session.commit()
    indexing.drain(app)
    changed = threading.Event()

    def slow_documents(real):
        def wrapper(db_session):
            for n, doc in enumerate(real(db_session)):
                if n == 0:  # the rebuild has read the first document: another worker commits meanwhile
                    worker = threading.Thread(target=write_meanwhile)
                    worker.start()
                    worker.join()
                yield doc
        return wrapper

    def write_meanwhile():
        with app.app_context(), new_session(app) as other:
            other.get(FieldAction, first.id).title = "Permanence logement et énergie"
            Factories(other).action(title="Repair café des Chartreux")
            other.commit()
        changed.set()

    indexing.all_documents, real = slow_documents(indexing.all_documents), indexing.all_documents
    try:
        indexing.rebuild(app)
    finally:
        indexing.all_documents = real
    assert changed.is_set()
    assert search_titles(app, "énergie") == ["Permanence logement et énergie"]
    assert search_titles(app, "Chartreux") == ["Repair café des Chartreux"]
    assert indexing.check(app).ok and indexing.lag(app, session) == 0


def test_check_agrees_after_an_approved_edit_on_both_databases(any_app):
    app = any_app
    with app.app_context(), new_session(app) as session:
        make = Factories(session)
        people = [make.practitioner() for _ in range(3)]
        author = make.user("professionnel", practitioner=people[0])
        trainer = make.user("formateur")
        orgs = [make.organisation(name=f"Partenaire {n}") for n in range(4)]
        roles = [(p, "partenaire" if n else "porteur") for n, p in enumerate(people)]
        action = make.action(title="Collectif des habitants", people=roles,
                             author_id=author.id, partners=list(reversed(orgs)))
        session.commit()
        indexing.drain(app)
        form = MultiDict(action_form_values(action))
        form["summary"] = "Un résumé revu par l'autrice."
        parsed = parse_action_form(form)
        assert parsed.ok, parsed.errors
        saved = moderation.edit(session, action, parsed.data, form_pairs(form), accounts.viewer_of(author), "")
        assert saved.pending
        session.commit()
        revision = moderation.pending_revision(session, action)
        moderation.approve_revision(session, revision, accounts.viewer_of(trainer), "")
        session.commit()
    indexing.drain(app)
    report = indexing.check(app)
    assert (report.missing, report.stale, report.extra) == ([], [], [])
    assert indexing.drift(app) == set()
    assert search_titles(app, "autrice") == ["Collectif des habitants"]


def test_versions_are_read_in_commit_order_on_both_databases(any_app):
    app = any_app
    with app.app_context(), new_session(app) as session:
        action = Factories(session).action(title="Atelier parentalité")
        session.commit()
        for n in range(3):
            action.title = f"Atelier parentalité {n}"
            session.commit()
        assert versions.read(session, [("action", action.id), ("action", 10**6)]) == {
            ("action", action.id): 4, ("action", 10**6): 0}


def test_two_writers_sharing_a_document_do_not_deadlock_on_postgresql(postgres, pg_template, tmp_path):
    # A professional renames one co-author while a trainer renames both: both rename documents that name the
    # same action. Versions counted at each flush would lock that action's version row early, in flush order,
    # and the two transactions would wait for each other; counted at commit, in one sorted pass, they queue.
    from kb import create_app
    from tests.conftest import _config, pg_database

    app = create_app(_config(tmp_path, pg_database(postgres, pg_template)))
    try:
        with app.app_context(), new_session(app) as session:
            make = Factories(session)
            first, second = make.practitioner(last_name="Arnaud"), make.practitioner(last_name="Benali")
            action = make.action(title="Conseil de quartier", people=[(first, "porteur"), (second, "partenaire")])
            session.commit()
            ids, before = (first.id, second.id), version_of(session, "action", action.id)
        flushed, errors = threading.Event(), []

        def other_writer():
            try:
                with new_session(app) as other:
                    other.get(Practitioner, ids[1]).last_name = "Benali-Roux"
                    other.flush()
                    flushed.set()
                    time.sleep(0.5)  # the first writer now waits for this row
                    other.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                flushed.set()

        with new_session(app) as session:
            session.get(Practitioner, ids[0]).last_name = "Arnaud-Sellier"
            session.flush()
            worker = threading.Thread(target=other_writer)
            worker.start()
            flushed.wait(timeout=5)
            session.get(Practitioner, ids[1]).last_name = "Benali-Martin"
            session.flush()  # waits for the other writer's commit
            session.commit()
        worker.join(timeout=30)
        assert errors == []
        with new_session(app) as session:
            assert session.get(Practitioner, ids[1]).last_name == "Benali-Martin"
            assert version_of(session, "action", action.id) == before + 2
    finally:
        indexing.close_index(app)
        app.extensions["kb_engine"].dispose()


def test_log_numbers_follow_the_commit_order_so_a_follower_never_skips_one(any_app, monkeypatch):
    """Writers commit in an order other than the one they started in, while a follower drains all along: had a
    later number committed first, the follower would move past the earlier one for good."""
    from kb.indexing import log

    app = any_app
    with app.app_context(), new_session(app) as session:
        ids = [Factories(session).action(title=f"Action {n}").id for n in range(8)]
        session.commit()
    indexing.drain(app)
    real_reserve = log.reserve

    def slow_reserve(conn, count):
        first = real_reserve(conn, count)
        if threading.current_thread().name.endswith(("0", "2", "4", "6")):
            time.sleep(0.15)  # numbered, not committed yet: the others may commit meanwhile
        return first

    monkeypatch.setattr(log, "reserve", slow_reserve)
    errors, stop = [], threading.Event()

    def write(n: int) -> None:
        try:
            with app.app_context(), new_session(app) as session:
                session.get(FieldAction, ids[n]).title = f"Action renommée {n} rucher"
                session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def follow() -> None:
        while not stop.is_set():
            indexing.sync(app)
            time.sleep(0.01)

    follower = threading.Thread(target=follow)
    follower.start()
    writers = [threading.Thread(target=write, args=(n,), name=f"writer-{n}") for n in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    follower.join()
    assert errors == []
    indexing.sync(app)
    assert sorted(search_titles(app, "rucher")) == sorted(f"Action renommée {n} rucher" for n in range(8))
    assert indexing.check(app).ok


def _second_host(app, tmp_path, name: str):
    """Another app host on the same database, with an index directory of its own."""
    from kb import create_app

    return create_app({**{k: app.config[k] for k in ("DATABASE_URL", "SECRET_KEY", "SERVER_NAME")}, "TESTING": True,
                       "INSTANCE_DIR": str(tmp_path / name), "INDEX_DIR": str(tmp_path / name / "index"),
                       "FILES_DIR": str(tmp_path / name / "files")})


def test_entries_pruned_while_a_host_reads_the_log_are_not_skipped(app, make, session, tmp_path, monkeypatch):
    """After a quiet week every cursor looks stale: a host that prunes may remove entries another host is about to
    read. Numbers have no gaps, so the reader sees the hole and compares every document instead."""
    from datetime import timedelta

    from sqlalchemy import update

    from kb.indexing import log
    from kb.models import IndexCursor, Organisation
    from kb.models.base import utcnow

    other = _second_host(app, tmp_path, "hote-b")
    first, second = make.organisation(name="Alpha"), make.organisation(name="Beta")
    session.commit()
    for host in (app, other):
        indexing.drain(host)
    session.execute(update(IndexCursor).values(updated_at=utcnow() - timedelta(days=8)))
    session.commit()
    real_head, done = log.head, []

    def rename(org_id: int, name: str) -> None:
        with new_session(app) as writer:
            writer.get(Organisation, org_id).name = name
            writer.commit()

    def head_then_another_host(db_session):
        found = real_head(db_session)
        if not done:
            done.append(1)  # the other host has read the head: meanwhile a change, applied and pruned by this one
            rename(first.id, "Zorglub")
            indexing.drain(app)
            rename(second.id, "Quux")
        return found

    monkeypatch.setattr(log, "head", head_then_another_host)
    indexing.drain(other)
    monkeypatch.setattr(log, "head", real_head)
    assert done
    with new_session(other) as db_session:
        assert log.head(db_session).pruned_to >= 1  # the entry the other host lacked went
        assert indexing.lag(other, db_session) == 0
    assert indexing.check(other).ok  # the rename is in its index all the same
    indexing.close_index(other)


def test_after_a_restore_other_hosts_compare_their_documents_instead_of_trusting_their_position(app, make, session,
                                                                                                 tmp_path):
    from kb.backup import backup, restore
    from kb.models import Organisation

    other = _second_host(app, tmp_path, "hote-b")
    org = make.organisation(name="Alpha")
    session.commit()
    for host in (app, other):
        indexing.startup(host)
    with app.app_context():
        backup(app, tmp_path / "sauvegarde.tar.gz")
    for n in range(5):  # the database goes on, then is put back as it was
        session.get(Organisation, org.id).name = f"Avant {n}"
        session.commit()
    for host in (app, other):
        indexing.drain(host)
    with app.app_context():
        restore(app, tmp_path / "sauvegarde.tar.gz", force=True)
    indexing.close_index(other)  # the other host restarts, as after every restore (SQLite's file was replaced)
    other.extensions["kb_engine"].dispose()
    with new_session(app) as writer:  # one change after the restore, a lower number than the other host's position
        writer.get(Organisation, org.id).name = "Zorglub"
        writer.commit()
    assert indexing.sync(other)
    report = indexing.check(other)
    assert report.ok and report.waiting == 0
    indexing.sync(app)
    assert dict(indexing.get_index(other).stamps()) == dict(indexing.get_index(app).stamps())  # "Zorglub" in both
    indexing.close_index(other)
