"""`observatoire backup` and `observatoire restore`: the database, the uploaded files and the instance's settings in
one archive; the search index is not saved (the database is the truth): a restore rebuilds it.

The database is copied while the app serves: SQLite through its online backup API (a consistent snapshot, WAL
included), PostgreSQL with ``pg_dump`` (one transaction). The archive holds the secret key (signed links and
sessions stay valid after a restore): it is written readable by its owner only, and must be kept as such.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, func, inspect, select, text
from sqlalchemy.engine import make_url

from kb import indexing
from kb.config import SETTINGS_FILE
from kb.db import get_engine, new_session, upgrade
from kb.models import IndexCursor

FORMAT = 1
_SQLITE_NAME, _PG_NAME = "database.sqlite3", "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is French and says why."""


def _is_sqlite(app: Flask) -> bool:
    return make_url(app.config["DATABASE_URL"]).get_backend_name() == "sqlite"


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, else the newest of Debian's versioned ones."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                                                   key=lambda p: int(p.split("/")[4]), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} est introuvable : installez le paquet Debian postgresql-client.")
    return found


def _pg_connection(app: Flask) -> tuple[str, dict[str, str]]:
    """The libpq URL of the database (without its password, passed through the environment)."""
    url = make_url(app.config["DATABASE_URL"])
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _table_counts(app: Flask) -> dict[str, int]:
    engine = get_engine(app)
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(text(f'"{name}"'))).scalar_one()
                for name in sorted(inspect(conn).get_table_names())}


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".part")) if root.is_dir() else []


def backup(app: Flask, target: Path, progress: Callable[[str], None] = lambda _step: None) -> dict:
    """Write the archive ``target``; returns its manifest."""
    instance = Path(app.config["INSTANCE_DIR"])
    files_dir = Path(app.config["FILES_DIR"])
    with tempfile.TemporaryDirectory(prefix="kb-backup-") as work:
        work_dir = Path(work)
        progress("base de données")
        if _is_sqlite(app):
            dump = work_dir / _SQLITE_NAME
            source = sqlite3.connect(make_url(app.config["DATABASE_URL"]).database)
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)  # consistent even while workers write
            finally:
                copy.close()
                source.close()
        else:
            dump = work_dir / _PG_NAME
            url, env = _pg_connection(app)
            result = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                     "--file", str(dump), url], env=env, capture_output=True, text=True)
            if result.returncode:
                raise BackupError(f"pg_dump a échoué : {result.stderr.strip()}")
        files = _files(files_dir)
        with new_session(app) as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": dump.name, "migration": revision, "tables": _table_counts(app),
                    "files": {str(p.relative_to(files_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
                              for p in files}}
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the secret key
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(dump, arcname=dump.name)
            progress(f"fichiers ({len(files)})")
            for path in files:
                archive.add(path, arcname=f"files/{path.relative_to(files_dir)}")
            for name in (SETTINGS_FILE, "secret_key"):
                if (instance / name).is_file():
                    archive.add(instance / name, arcname=f"settings/{name}")
        os.replace(partial, target)
    return manifest


def _has_data(app: Flask) -> bool:
    counts = _table_counts(app)
    return any(counts.get(name, 0) for name in ("field_action", "organisation", "user_account"))


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        parts = Path(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Archive refusée : chemin ou type inattendu ({member.name!r}).")
    return members


def restore(app: Flask, source: Path, force: bool = False, progress: Callable[[str], None] = lambda _step: None,
            indexed: Callable[[int, int], None] | None = None) -> dict:
    """Put an archive's database, files and settings in place of this instance's, then rebuild the index."""
    instance = Path(app.config["INSTANCE_DIR"])
    files_dir = Path(app.config["FILES_DIR"])
    with tempfile.TemporaryDirectory(prefix="kb-restore-") as work:
        work_dir = Path(work)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work_dir, members=_safe_members(archive), filter="data")
            manifest = json.loads((work_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
            raise BackupError(f"Ce fichier n'est pas une sauvegarde lisible de l'observatoire ({exc}).") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError("Cette sauvegarde vient d'une version inconnue de l'observatoire.")
        if not isinstance(manifest.get("database"), str) or not isinstance(manifest.get("files"), dict):
            raise BackupError("Cette sauvegarde est incomplète (manifeste sans base ou sans liste de fichiers).")
        dump = work_dir / manifest["database"]
        expected = _SQLITE_NAME if _is_sqlite(app) else _PG_NAME
        if manifest["database"] != expected:
            raise BackupError("Cette sauvegarde vient de l'autre moteur de base de données (SQLite / PostgreSQL) : "
                              "restaurez-la sur le même moteur.")
        if not dump.is_file():
            raise BackupError("Cette sauvegarde est incomplète : la base annoncée par le manifeste n'y est pas.")
        if _has_data(app) and not force:
            raise BackupError("La base de cette instance contient déjà des données : ajoutez --force pour les "
                              "remplacer par la sauvegarde.")
        progress("base de données")
        indexing.close_index(app)
        get_engine(app).dispose()
        if _is_sqlite(app):
            database = Path(make_url(app.config["DATABASE_URL"]).database)
            database.parent.mkdir(parents=True, exist_ok=True)
            staged = database.with_name(database.name + ".restore")
            shutil.copyfile(dump, staged)
            for suffix in ("-wal", "-shm"):
                database.with_name(database.name + suffix).unlink(missing_ok=True)
            os.replace(staged, database)
        else:
            url, env = _pg_connection(app)
            # The dump read into SQL first (a broken or too new dump stops here, nothing touched), then the old
            # schema dropped and the dump's loaded in one transaction: a failure leaves the database as it was.
            script = work_dir / "restore.sql"
            result = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file", str(script),
                                     str(dump)], env=env, capture_output=True, text=True)
            if result.returncode:
                raise BackupError(f"pg_restore n'a pas pu lire la sauvegarde : {result.stderr.strip()}")
            wrapper = work_dir / "restore-all.sql"
            wrapper.write_text(f"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n\\i '{script}'\n", encoding="utf-8")
            get_engine(app).dispose()
            result = subprocess.run([_pg_tool("psql"), "--quiet", "--no-psqlrc", "--single-transaction",
                                     "--set", "ON_ERROR_STOP=1", "--dbname", url, "--file", str(wrapper)],
                                    env=env, capture_output=True, text=True)
            if result.returncode:
                raise BackupError(f"La restauration a échoué, la base est inchangée : {result.stderr.strip()}")
        progress(f"fichiers ({len(manifest['files'])})")
        staged_files = files_dir.with_name(files_dir.name + ".restore")
        shutil.rmtree(staged_files, ignore_errors=True)
        if (work_dir / "files").is_dir():
            shutil.copytree(work_dir / "files", staged_files)
        else:
            staged_files.mkdir(parents=True)
        shutil.rmtree(files_dir, ignore_errors=True)
        os.replace(staged_files, files_dir)
        for name in (SETTINGS_FILE, "secret_key"):
            saved = work_dir / "settings" / name
            if saved.is_file():
                instance.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(saved, instance / name)
                os.chmod(instance / name, 0o600)
    upgrade(app)  # a backup of an older version of the app: its database catches up
    progress("index de recherche")
    shutil.rmtree(app.config["INDEX_DIR"], ignore_errors=True)  # another database's documents
    with new_session(app) as session:  # the indexes the saved database followed are gone with their directories
        session.execute(delete(IndexCursor))
        # Other hosts' indexes followed the database as it was before the restore: a new log name tells them
        # their position means nothing now (they compare every document, then follow again).
        indexing.log.new_log(session)
        session.commit()
    indexing.rebuild(app, progress=indexed)
    indexing.report_position(app, indexing.log.read_position(app.config["INDEX_DIR"]))
    return manifest


def _step(name: str) -> None:
    click.echo(f"  {name}…", err=True)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True), required=False)
@with_appcontext
def backup_command(target: str | None) -> None:
    """Sauvegarder la base, les fichiers déposés et les réglages dans une archive (.tar.gz)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = Path(target or f"observatoire-sauvegarde-{stamp}.tar.gz")
    try:
        manifest = backup(current_app._get_current_object(), path, progress=_step)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest["tables"].values())
    click.echo(f"Sauvegarde écrite : {path} ({rows} lignes, {len(manifest['files'])} fichiers). Elle contient la clé "
               "secrète de l'instance : gardez-la à l'abri.", err=True)


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Remplacer une base qui contient déjà des données.")
@with_appcontext
def restore_command(source: str, force: bool) -> None:
    """Restaurer une sauvegarde (base, fichiers, réglages), puis reconstruire l'index de recherche."""
    with click.progressbar(length=1, label="  Indexation", file=sys.stderr) as bar:
        def indexed(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            manifest = restore(current_app._get_current_object(), Path(source), force=force, progress=_step,
                               indexed=indexed)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Sauvegarde du {manifest['created_at']} restaurée ; index reconstruit. Redémarrez le service "
               "(observatoire serve) pour qu'il relise la base.", err=True)


def init_app(app: Flask) -> None:
    """Register the backup and restore commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
