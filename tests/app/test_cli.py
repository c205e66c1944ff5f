"""The `observatoire` commands: migrate, load the demo once, serve help."""

from __future__ import annotations

import logging.config
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from kb import observability
from kb.cli import main
from kb.db import new_session
from kb.models import FieldAction, Territory


def test_db_upgrade_creates_the_three_units(runner, app):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context(), new_session(app) as session:
        slugs = sorted(session.exec(select(Territory.slug)))
    assert slugs == ["arles", "avignon", "marseille"]


def test_demo_loads_once_with_if_empty(runner, app):
    first = runner.invoke(args=["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    with app.app_context(), new_session(app) as session:
        count = session.exec(select(func.count()).select_from(FieldAction)).one()
    assert count >= 60
    second = runner.invoke(args=["demo", "--if-empty"])
    assert second.exit_code == 0
    assert "déjà" in second.output
    with app.app_context(), new_session(app) as session:
        assert session.exec(select(func.count()).select_from(FieldAction)).one() == count


def test_command_group_help_lists_the_commands(monkeypatch, tmp_path):
    from click.testing import CliRunner

    monkeypatch.setenv("KB_INSTANCE_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "serve"):
        assert command in result.output
    serve_help = CliRunner().invoke(main, ["serve", "--help"])
    assert "--bind" in serve_help.output and "--workers" in serve_help.output


def test_serve_prepares_the_index_then_each_worker_warms_its_own(runner, app, make, session, monkeypatch):
    from gunicorn.app.base import BaseApplication

    make.action(title="Atelier mémoire de Fontvieille")
    session.commit()
    seen = {}

    def run(server):  # what gunicorn would do: fork, then call the hook in each worker
        seen["before_fork"] = app.extensions.get("kb_index")
        seen["bind"] = server.cfg.bind
        server.cfg.post_worker_init(object())
        seen["after_hook"] = app.extensions.get("kb_index")

    monkeypatch.setattr(BaseApplication, "run", run)
    # Process-wide settings this test process must keep: the logging set-up and prometheus_client's mode.
    monkeypatch.setattr(logging.config, "dictConfig", lambda config: seen.setdefault("logging", config))
    monkeypatch.setattr(observability, "prepare_multiprocess", lambda path: seen.setdefault("metrics", path))
    result = runner.invoke(args=["serve", "--bind", "127.0.0.1:5999", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert seen["bind"] == ["127.0.0.1:5999"]
    assert seen["metrics"] == Path(app.config["METRICS_DIR"]) and seen["logging"]["root"]["handlers"] == ["console"]
    assert seen["before_fork"] is None  # no index object or searcher crosses the fork
    index = seen["after_hook"][1]
    assert len(index.cache) > 0 and index.doc_count() >= 1  # warmed before the first request


def test_demo_accounts_sign_in_only_where_the_demo_command_enabled_them(tmp_path, monkeypatch, migrated_db):
    """A production instance refuses the demo accounts' public passwords; `observatoire demo` enables them
    (KB_DEMO_MODE=1 in the instance's settings.env), `--sans-comptes` creates none."""
    from kb import create_app
    from kb.services.accounts import by_email

    monkeypatch.delenv("KB_DEMO_MODE", raising=False)

    urls = {}

    def instance(name: str):
        base = tmp_path / name
        base.mkdir()
        urls[name] = migrated_db.copy(base / "kb.sqlite3")
        return create_app({"TESTING": True, "INSTANCE_DIR": str(base), "DATABASE_URL": urls[name],
                           "INDEX_DIR": str(base / "index"), "SECRET_KEY": "t", "SERVER_NAME": "localhost"})

    bare = instance("sans")
    assert bare.config["DEMO_MODE"] is False
    result = bare.test_cli_runner().invoke(args=["demo", "--sans-comptes"])
    assert result.exit_code == 0, result.output
    with bare.app_context(), new_session(bare) as session:
        assert by_email(session, "admin@demo.observatoire-isic.fr") is None
    assert not (tmp_path / "sans" / "settings.env").exists()

    demo = instance("demo")
    result = demo.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "KB_DEMO_MODE=1" in (tmp_path / "demo" / "settings.env").read_text()
    restarted = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "demo"),
                            "DATABASE_URL": urls["demo"],
                            "INDEX_DIR": str(tmp_path / "demo" / "index"), "SECRET_KEY": "t", "SERVER_NAME": "localhost"})
    assert restarted.config["DEMO_MODE"] is True
    page = restarted.test_client().get("/compte/connexion").get_data(as_text=True)
    assert "demo-pro-2012" in page
    bare_page = bare.test_client().get("/compte/connexion").get_data(as_text=True)
    assert "demo-pro-2012" not in bare_page
