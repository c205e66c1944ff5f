"""`observatoire backup` / `restore`: a demo instance round-trips through one archive, every table, file and setting
equal, its index rebuilt; on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from kb import create_app, indexing
from kb.config import write_setting
from kb.db import get_engine, new_session
from tests.conftest import _config, pg_database


def _rows(app) -> dict[str, list[tuple]]:
    """Every table's rows but the positions of search indexes, which belong to each host's index directory, and
    the change log's name, which a restore draws again (indexes of the database before it must start again)."""
    metadata = MetaData()
    engine = get_engine(app)
    metadata.reflect(engine)
    with engine.connect() as conn:
        rows = {name: sorted(conn.execute(select(table)).all(), key=repr) for name, table in metadata.tables.items()
                if name != "index_cursor"}
    rows["index_log_head"] = [row[:3] for row in rows["index_log_head"]]
    return rows


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def twin_app(request, any_app, tmp_path):
    """An empty instance on the same database engine as ``any_app``, in its own directory."""
    base = tmp_path / "twin"
    base.mkdir()
    if any_app.config["DATABASE_URL"].startswith("sqlite"):
        url = request.getfixturevalue("migrated_db").copy(base / "kb.sqlite3")
    else:
        url = pg_database(request.getfixturevalue("postgres"), request.getfixturevalue("pg_template"))
    app = create_app(_config(base, url))
    yield app
    indexing.close_index(app)
    get_engine(app).dispose()


def test_a_demo_instance_round_trips_through_a_backup(any_app, twin_app, tmp_path):
    source = any_app.test_cli_runner()
    assert source.invoke(args=["demo"]).exit_code == 0
    write_setting(Path(any_app.config["INSTANCE_DIR"]), "KB_TILES_URL", "https://tuiles.example.fr/{z}/{x}/{y}.png")
    (Path(any_app.config["INSTANCE_DIR"]) / "secret_key").write_text("clé-de-l-instance-source")
    files = _files(Path(any_app.config["FILES_DIR"]))
    assert files  # the demo's tool files

    archive = tmp_path / "sauvegarde.tar.gz"
    result = source.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "contient la clé secrète" in result.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    target = twin_app.test_cli_runner()
    result = target.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert _rows(twin_app) == _rows(any_app)
    with new_session(twin_app) as restored, new_session(any_app) as saved:
        assert indexing.log.head(restored).log_id != indexing.log.head(saved).log_id
    assert _files(Path(twin_app.config["FILES_DIR"])) == files
    for name in ("settings.env", "secret_key"):
        assert (Path(twin_app.config["INSTANCE_DIR"]) / name).read_bytes() == \
               (Path(any_app.config["INSTANCE_DIR"]) / name).read_bytes()
    report = indexing.check(twin_app)  # rebuilt from the restored database
    assert report.ok and report.total > 100 and report.waiting == 0
    assert [host for host, _applied, _lag in report.indexes] == [indexing.log.host_label(twin_app.config["INDEX_DIR"])]

    again = target.invoke(args=["restore", str(archive)])
    assert again.exit_code == 1 and "--force" in again.output  # the instance has data now
    assert target.invoke(args=["restore", "--force", str(archive)]).exit_code == 0
    assert _rows(twin_app) == _rows(any_app)


def _archive(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "bizarre.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(("members", "message"), [
    (None, "pas une sauvegarde lisible"),
    ({"manifest.json": b'{"format": 1, "database": "database.sqlite3", "files": {}}', "../evil": b"x"},
     "chemin ou type inattendu"),
    ({"manifest.json": b'{"format": 99}'}, "version inconnue"),
    ({"manifest.json": b'{"format": 1, "database": "OTHER", "files": {}}'}, "l'autre moteur"),
    ({"manifest.json": b'{"format": 1, "database": "SAME", "files": {}}'}, "la base annoncée par le manifeste n'y est pas"),
])
def test_a_bad_archive_is_refused_with_a_reason_and_changes_nothing(app, runner, tmp_path, make, session, members,
                                                                      message):
    make.action(title="Jardin partagé des Flamants")
    session.commit()
    if members:  # the engines' dump names: this run's ("SAME") and the other's
        ours, other = ((b"database.sqlite3", b"database.pgdump") if app.config["DATABASE_URL"].startswith("sqlite")
                       else (b"database.pgdump", b"database.sqlite3"))
        members = {name: data.replace(b"OTHER", other).replace(b"SAME", ours) for name, data in members.items()}
    path = _archive(tmp_path, members) if members else tmp_path / "pas-une-archive.tar.gz"
    if members is None:
        path.write_bytes(b"ceci n'est pas une archive")
    result = runner.invoke(args=["restore", "--force", str(path)])
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path.parent / "evil").exists()
    assert "Jardin partagé des Flamants" in str(_rows(app)["field_action"])


def test_a_broken_postgresql_dump_leaves_the_database_as_it_was(postgres, pg_template, tmp_path):
    any_app = create_app(_config(tmp_path, pg_database(postgres, pg_template)))
    with any_app.app_context(), new_session(any_app) as session:
        from tests.factories import Factories

        Factories(session).action(title="Jardin partagé des Flamants")
        session.commit()
    path = _archive(tmp_path, {"manifest.json": b'{"format": 1, "database": "database.pgdump", "files": {}}',
                               "database.pgdump": b"PGDMP pas vraiment une sauvegarde"})
    result = any_app.test_cli_runner().invoke(args=["restore", "--force", str(path)])
    assert result.exit_code == 1 and "n'a pas pu lire la sauvegarde" in result.output
    assert "Jardin partagé des Flamants" in str(_rows(any_app)["field_action"])
    get_engine(any_app).dispose()
