"""Importing organisations or practitioners from the web (/admin/import, admins): upload, map the columns with a
preview, a dry run with its report, then the import in batches, its progress shown on the page as it goes."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, stream_template
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import require
from kb.db import commit, get_session
from kb.services import imports as services
from kb.storage import get_storage
from kb.tabular import Table, TableError, read_table
from kb.views._forms import current_viewer

bp = Blueprint("imports", __name__, url_prefix="/admin/import")
PREVIEW_ROWS = 10
KINDS = {"organisations": "Des organisations (structures)", "intervenants": "Des intervenant·es",
         "actions": "Des actions"}


def _kind(value: str | None) -> str:
    return value if value in KINDS else "organisations"


def _fields(kind: str) -> dict:
    return services.fields_of(kind)


def _name_field(kind: str) -> str:
    return services.NAME_FIELD[kind]


@bp.before_request
def _admins_only():
    require(policy.is_admin(current_viewer()))


def _max_bytes() -> int:
    return current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024


def _mapping_page(kind: str, table: Table, key: str, filename: str, source: str, mapping: dict[str, str],
                  errors: dict[str, str] | None = None):
    return render_template("imports/mapping.html", kind=kind, kinds=KINDS, table=table,
                           preview=table.rows[:PREVIEW_ROWS], key=key, filename=filename, source=source,
                           mapping=mapping, fields=_fields(kind), errors=errors or {}), 422 if errors else 200


@bp.route("/", methods=["GET", "POST"])
def upload():
    """Importer des organisations ou des intervenant·es : déposer le fichier (CSV, XLSX ou JSON)."""
    errors: dict[str, str] = {}
    kind = _kind(request.form.get("kind") or request.args.get("kind"))
    values = request.form if request.method == "POST" else MultiDict()
    if request.method == "POST":
        sent = request.files.get("file")
        source = " ".join(request.form.get("source", "").split())[:60]
        if sent is None or not sent.filename:
            errors["file"] = "Choisissez le fichier à importer."
        else:
            data = sent.stream.read(_max_bytes() + 1)
            if len(data) > _max_bytes():
                errors["file"] = f"Le fichier dépasse {current_app.config['UPLOAD_MAX_MB']} Mo : découpez-le."
            else:
                try:
                    table = read_table(sent.filename, data)
                except TableError as exc:
                    errors["file"] = str(exc)
                else:
                    filename = Path(sent.filename).name[:200]
                    key = get_storage().save(get_session(), data)
                    commit()  # kept until the import is done (or the file is abandoned)
                    return _mapping_page(kind, table, key, filename, source or Path(filename).stem[:60],
                                         services.guess_mapping(table.columns, kind))
    return render_template("imports/upload.html", values=values, errors=errors, kind=kind, kinds=KINDS,
                           max_mb=current_app.config["UPLOAD_MAX_MB"]), 422 if errors else 200


def _stored() -> tuple[str, Table, str, str, str, dict[str, str]]:
    """What the file holds, the uploaded table and the mapping chosen on the page."""
    kind = _kind(request.form.get("kind"))
    key, filename = request.form.get("key", ""), request.form.get("filename", "")[:200]
    source = " ".join(request.form.get("source", "").split())[:60] or Path(filename).stem[:60] or "import"
    if not (len(key) == 32 and key.isalnum()):
        abort(400, "Ce formulaire d'import n'est pas valide : déposez à nouveau le fichier.")
    try:
        table = read_table(filename, get_storage().read(key))
    except FileNotFoundError:
        abort(410, "Le fichier déposé n'est plus là (import déjà fait ?) : déposez-le à nouveau.")
    except TableError as exc:
        abort(400, str(exc))
    mapping = {}
    for index, column in enumerate(table.columns):
        target = request.form.get(f"map-{index}", "")
        if target in _fields(kind) and target not in mapping.values():
            mapping[column] = target
    return kind, table, key, filename, source, mapping


@bp.route("/essai", methods=["POST"])
def trial():
    """Essai : ce que l'import ferait de chaque ligne, sans rien enregistrer."""
    kind, table, key, filename, source, mapping = _stored()
    if _name_field(kind) not in mapping.values():
        return _mapping_page(kind, table, key, filename, source, mapping,
                             {"__all__": "Choisissez la colonne qui donne le nom."})
    session = get_session()
    report = services.Report(dry_run=True)
    for _step in services.steps_of(kind)(session, table, mapping, source, report, current_viewer()):
        pass
    session.rollback()
    return render_template("imports/report.html", kind=kind, report=report, key=key, filename=filename,
                           source=source, mapping=mapping, columns=table.columns, labels=services.STATUS_LABELS)





@bp.route("/importer", methods=["POST"])
def run():
    """L'import, par lots de 500 lignes (une transaction chacun), sa progression affichée au fil de l'eau."""
    kind, table, key, _filename, source, mapping = _stored()
    if _name_field(kind) not in mapping.values():
        abort(400, "Aucune colonne ne donne le nom.")
    session, storage, viewer = get_session(), get_storage(), current_viewer()
    outcome: dict[str, services.Report] = {}

    def progress():
        report = services.Report(dry_run=False)
        for done, total in services.steps_of(kind)(session, table, mapping, source, report, viewer):
            commit()  # one transaction per batch: an interruption keeps the batches done
            yield done, total
        storage.discard(session, key)
        commit()
        outcome["report"] = report

    return stream_template("imports/run.html", kind=kind, progress=progress(), outcome=outcome,
                           labels=services.STATUS_LABELS)
