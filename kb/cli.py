"""The `observatoire` command group: db, demo, serve (index and user commands come later)."""

from __future__ import annotations

import contextvars
import faulthandler
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import func
from sqlmodel import select

from kb import backup, indexing
from kb.config import write_setting
from kb.db import get_engine, new_session
from kb.models import FieldAction
from kb.policy import Viewer


def _progress(step: str, done: int, total: int) -> None:
    # Counts go to stderr so stdout stays usable in scripts.
    end = "\n" if done >= total else "\r"
    click.echo(f"  {step} : {done}/{total}", err=True, nl=False)
    click.echo(end, err=True, nl=False)


_COUNT_LABELS = {
    "actions": "actions", "practitioners": "intervenant·es", "organisations": "organisations",
    "communes": "communes", "tools": "outils", "effects": "effets", "barriers": "freins", "levers": "leviers",
    "accounts": "comptes de démonstration", "workshops": "groupes d'atelier",
    "seminars": "séminaires", "registrations": "inscriptions au séminaire", "tool_files": "fichiers d'outils",
}


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Ne rien faire si la base contient déjà des actions.")
@click.option("--seed", default=2012, show_default=True, help="Graine du générateur (données identiques).")
@click.option("--comptes/--sans-comptes", "accounts", default=True, show_default=True,
              help="Créer un compte de démonstration par rôle (mots de passe publics) et les activer sur l'instance.")
@with_appcontext
def demo_command(if_empty: bool, seed: int, accounts: bool) -> None:
    """Charger les données de démonstration (inventées).

    Avec les comptes (par défaut), écrit KB_DEMO_MODE=1 dans le settings.env de l'instance : jamais sur un
    serveur public (--sans-comptes).
    """
    from kb.demo import generate
    from kb.storage import get_storage

    with new_session() as session:
        existing = session.exec(select(func.count()).select_from(FieldAction)).one()
        if existing and if_empty:
            click.echo(f"La base contient déjà {existing} actions : données de démonstration non chargées.", err=True)
            return
        counts = generate(session, seed=seed, progress=_progress,
                          with_accounts=accounts, storage=get_storage())
        session.commit()
    if accounts:
        path = write_setting(Path(current_app.config["INSTANCE_DIR"]), "KB_DEMO_MODE", "1")
        current_app.config["DEMO_MODE"] = True
        click.echo(f"Comptes de démonstration activés (KB_DEMO_MODE=1 dans {path}).", err=True)
    click.echo("Indexation des données de démonstration…", err=True)
    indexed = indexing.sync(current_app._get_current_object())
    summary = ", ".join(f"{value} {_COUNT_LABELS.get(name, name)}" for name, value in counts.items())
    click.echo(f"Données de démonstration chargées : {summary}.", err=True)
    if not indexed:  # the data is saved; the outbox keeps what the index still lacks
        click.echo("Attention : l'index de recherche n'est pas à jour (voir le journal) ; "
                   "lancez « observatoire index update ».", err=True)


@click.command("serve")
@click.option("--bind", default=None, help="Adresse HOST:PORT (défaut : KB_BIND ou 127.0.0.1:5000).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Nombre de processus (défaut : KB_WORKERS ou 2).")
@with_appcontext
def serve_command(bind: str | None, workers: int | None) -> None:
    """Servir l'application avec gunicorn (serveur de production)."""
    import logging.config

    from gunicorn.app.base import BaseApplication

    from kb import observability

    app = current_app._get_current_object()
    logging.config.dictConfig(observability.logging_config(app.config["LOG_LEVEL"]))
    observability.prepare_multiprocess(Path(app.config["METRICS_DIR"]))
    log = logging.getLogger("kb.serve")
    log.info("Préparation de l'index de recherche…")
    indexing.startup(app)
    indexing.close_index(app)  # each worker opens its own after the fork
    get_engine(app).dispose()  # and its own database connections: SQLite's may not cross a fork

    def post_worker_init(worker) -> None:
        # A crash in C code (the allocator, a C extension) prints the Python stack of every thread to the
        # log instead of a bare SIGSEGV.
        faulthandler.enable(file=sys.__stderr__)
        with app.app_context():
            indexing.warm(app)

    # No SCRIPT_NAME / PATH_INFO from request headers (gunicorn trusts them from local peers by default): a
    # local proxy passing a client's header would move every link of the pages kept for anonymous readers.
    # No control socket: gunicorn runs it as an asyncio thread in the arbiter, stopped around each fork with a
    # 2 s timeout. A fork while another thread runs leaves the child that thread's half-done state (its frames,
    # its locks); a worker crashed in the garbage collector once under load (the index soak test). The arbiter
    # must fork from a single thread; nothing here uses `gunicornc` (and its socket was one path per user).
    # Each request is logged by the app (one JSON line with its id, route, status and duration): gunicorn's
    # own access log would say it again without them.
    options = {"bind": bind or app.config["BIND"], "workers": workers or app.config["WORKERS"],
               "timeout": 60, "post_worker_init": post_worker_init, "forwarder_headers": "",
               "control_socket_disable": True, "logconfig_dict": observability.logging_config(app.config["LOG_LEVEL"]),
               "child_exit": lambda _arbiter, worker: observability.worker_exited(worker.pid)}

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    log.info("Observatoire servi sur http://%s", options["bind"])
    # The command runs inside the app context the CLI pushed. Forked workers would inherit it, and Flask
    # reuses a pushed context of the same app for every request instead of pushing its own: `g` (database
    # session, signed-in user, CSRF token) would outlive each request. Gunicorn runs in an empty context.
    contextvars.Context().run(_Server().run)


@click.group("user", cls=AppGroup)
def user_cli() -> None:
    """Comptes : premier administrateur."""


@user_cli.command("create-admin")
@click.option("--email", prompt="Adresse électronique", help="Adresse de connexion.")
@click.option("--name", prompt="Nom affiché", help="Nom affiché dans l'application.")
@click.password_option("--password", prompt="Mot de passe", help="Au moins 10 caractères (demandé si absent).")
@with_appcontext
def create_admin_command(email: str, name: str, password: str) -> None:
    """Créer un compte administrateur (le premier, typiquement)."""
    from kb.errors import DomainError
    from kb.forms.accounts import PASSWORD_MIN
    from kb.forms.fields import check_email
    from kb.services.accounts import create_account

    try:
        check_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from None
    if len(password) < PASSWORD_MIN:
        raise click.BadParameter(f"au moins {PASSWORD_MIN} caractères.", param_hint="--password")
    with new_session() as session:
        try:
            create_account(session, email, name, password, "admin")
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
    click.echo(f"Compte administrateur créé : {email.strip().lower()}", err=True)


@click.group("import", cls=AppGroup)
def import_cli() -> None:
    """Importer des données existantes (CSV, XLSX, JSON)."""


_IMPORT_OPTIONS = (
    click.argument("path", type=click.Path(exists=True, dir_okay=False)),
    click.option("--source", default=None, help="Nom de la source (défaut : le nom du fichier) : un nouvel import de "
                                               "la même source met à jour au lieu de dupliquer."),
    click.option("--apply", "apply_", is_flag=True, help="Importer pour de bon (sans cette option : un essai)."),
    click.option("--map", "overrides", multiple=True, metavar="COLONNE=CHAMP",
                 help="Associer une colonne à un champ (répétable) ; les titres connus sont reconnus d'eux-mêmes."),
    click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True), default=None,
                 help="Écrire le rapport ligne par ligne dans ce fichier CSV."),
)


def _import_options(command):
    for option in reversed(_IMPORT_OPTIONS):
        command = option(command)
    return command


@import_cli.command("organisations")
@_import_options
@with_appcontext
def import_organisations_command(path: str, source: str | None, apply_: bool, overrides: tuple[str, ...],
                                 report_path: str | None) -> None:
    """Importer des organisations : un essai d'abord (rapport par ligne), puis --apply (par lots de 500)."""
    _run_import("organisations", path, source, apply_, overrides, report_path)


@import_cli.command("actions")
@_import_options
@with_appcontext
def import_actions_command(path: str, source: str | None, apply_: bool, overrides: tuple[str, ...],
                           report_path: str | None) -> None:
    """Importer des actions, comme l'équipe les saisirait (publiées, sauf celles dont le texte est à anonymiser)."""
    _run_import("actions", path, source, apply_, overrides, report_path)


@import_cli.command("practitioners")
@_import_options
@with_appcontext
def import_practitioners_command(path: str, source: str | None, apply_: bool, overrides: tuple[str, ...],
                                 report_path: str | None) -> None:
    """Importer des intervenant·es (non listé·es dans l'annuaire tant qu'elles et ils n'ont pas donné leur accord)."""
    _run_import("intervenants", path, source, apply_, overrides, report_path)


def _run_import(kind: str, path: str, source: str | None, apply_: bool, overrides: tuple[str, ...],
                report_path: str | None) -> None:
    import csv
    from contextlib import nullcontext
    from pathlib import Path

    from kb.services import imports
    from kb.tabular import TableError, read_table
    from kb.views._csv import spreadsheet_safe

    fields = imports.fields_of(kind)
    name_field = imports.NAME_FIELD[kind]
    file = Path(path)
    try:
        table = read_table(file.name, file.read_bytes())
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    mapping = imports.guess_mapping(table.columns, kind)
    for override in overrides:
        column, _, target = override.partition("=")
        if column not in table.columns or target not in fields:
            raise click.BadParameter(f"« {override} » : colonne ou champ inconnu (champs : {', '.join(fields)}).",
                                     param_hint="--map")
        mapping = {c: t for c, t in mapping.items() if t != target and c != column} | {column: target}
    how = f"{table.format.upper()}" + (f", {table.encoding}" if table.encoding else "") + \
        (f", séparateur « {table.separator} »" if table.separator else "")
    click.echo(f"{file.name} : {len(table.rows)} lignes ({how}).", err=True)
    for column in table.columns:
        target = mapping.get(column)
        click.echo(f"  {column} → {fields[target][0] if target else '(ignorée)'}", err=True)
    if name_field not in mapping.values():
        raise click.ClickException(f"Aucune colonne ne donne le nom : indiquez-la avec --map « colonne={name_field} ».")
    app = current_app._get_current_object()
    # With --apply, a second process indexes each committed batch while the next one is read.
    with indexing.following(app) if apply_ else nullcontext(), new_session() as session:
        report = imports.Report(dry_run=not apply_)
        team = Viewer(role="admin")  # the command is run by the institute's IT or team
        for done, total in imports.steps_of(kind)(session, table, mapping, source or file.stem, report, team):
            if apply_:
                session.commit()  # one transaction per batch: an interruption keeps the batches done
            _progress("Lignes traitées", done, total)
        if apply_:
            session.commit()
        else:
            session.rollback()
    for outcome in report.outcomes:
        if outcome.status in ("rejetee", "doublon") or outcome.notes:
            where = f" [{outcome.column}]" if outcome.column else ""
            click.echo(f"  ligne {outcome.line} « {outcome.name} » : {imports.STATUS_LABELS[outcome.status]}{where}"
                       f"{' — ' + outcome.reason if outcome.reason else ''}"
                       f"{' — ' + ' ; '.join(outcome.notes) if outcome.notes else ''}", err=True)
    if report_path:
        with open(report_path, "w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(["ligne", "nom", "résultat", "colonne", "motif", "remarques"])
            for o in report.outcomes:  # names and reasons quote the file: no cell may run as a formula
                writer.writerow([spreadsheet_safe(v) for v in (o.line, o.name, imports.STATUS_LABELS[o.status],
                                                                o.column, o.reason, " ; ".join(o.notes))])
    click.echo(report.summary())


def init_app(app: Flask) -> None:
    """Register the commands owned by this module."""
    app.cli.add_command(demo_command)
    app.cli.add_command(import_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(serve_command)
    backup.init_app(app)


def _create_app():
    from kb import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Observatoire des pratiques de l'ISIC : commandes d'administration."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
