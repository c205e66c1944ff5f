"""The `observatoire index` commands: rebuild, update (apply the change log, repair) and check."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from kb import indexing
from search_index import SearchIndexError

index_group = AppGroup("index", help="Index de recherche : reconstruire, mettre à jour, vérifier.")


@index_group.command("rebuild")
def rebuild_command() -> None:
    """Reconstruire tout l'index depuis la base (barre de progression sur stderr)."""
    app = current_app._get_current_object()
    with click.progressbar(length=1, label="Indexation", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        count = indexing.rebuild(app, progress=progress)
    click.echo(f"Index reconstruit : {count} documents.", err=True)


@index_group.command("update")
def update_command() -> None:
    """Appliquer les changements en attente, puis réparer tout écart entre l'index et la base (après incident)."""
    app = current_app._get_current_object()
    try:
        count = indexing.drain(app)
        repaired = indexing.repair(app, stamps=True)
    except (indexing.IndexingIncomplete, SearchIndexError) as err:
        raise click.ClickException(str(err)) from err  # exit code 1, the message in French
    click.echo(f"Index mis à jour : {count} documents écrits ou supprimés, {repaired} document(s) réparé(s).",
               err=True)


@index_group.command("check")
@click.option("--limit", default=20, show_default=True, help="Nombre d'identifiants affichés par catégorie.")
def check_command(limit: int) -> None:
    """Comparer l'index à la base ; code de sortie 1 si des documents manquent, sont périmés ou en trop."""
    report = indexing.check(current_app._get_current_object())
    click.echo(f"Documents en base : {report.total}")
    for label, ids in (("manquants", report.missing), ("périmés", report.stale), ("en trop", report.extra)):
        shown = ", ".join(ids[:limit]) + (" …" if len(ids) > limit else "")
        click.echo(f"Documents {label} : {len(ids)}" + (f" ({shown})" if ids else ""))
    if report.waiting:
        click.echo(f"Changements en attente d'indexation : {report.waiting}")
    click.echo(f"Index qui suivent le journal des changements : {len(report.indexes)}")
    for host, applied, behind in report.indexes:
        click.echo(f"  {host} : changement n° {applied} appliqué, {behind} de retard")
    if not report.ok:
        click.echo("L'index diffère de la base : lancez « observatoire index update » (ou « index rebuild »).",
                   err=True)
        raise SystemExit(1)
    click.echo("Index conforme à la base.")


@index_group.command("forget")
@click.argument("host")
def forget_command(host: str) -> None:
    """Ne plus attendre un index (hôte retiré du service) avant d'élaguer le journal des changements."""
    from kb.db import new_session
    from kb.indexing import log

    with new_session(current_app._get_current_object()) as session:
        count = log.forget(session, host)
        session.commit()
    if not count:
        raise click.ClickException(f"Aucun index « {host} » : voyez la liste donnée par « observatoire index check ».")
    click.echo(f"Index oublié : {host}. Le journal sera élagué sans l'attendre.", err=True)
