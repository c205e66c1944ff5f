"""The `observatoire` commands: migrate, load the demo once, serve help."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

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
