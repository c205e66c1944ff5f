"""Co-built tools (outils co-construits): the library, proposing a tool with its file, versions, downloads."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import require
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.tools import parse_tool_form
from kb.models import Tool, ToolFile, choices
from kb.services import catalog
from kb.services import tools as services
from kb.storage import get_storage
from kb.uploads import ACCEPTED
from kb.views._forms import button_cycle, current_viewer, form_cycle

bp = Blueprint("tools", __name__, url_prefix="/outils")


def _max_bytes() -> int:
    return current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024


def _upload() -> services.Upload | None:
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return None
    try:
        return services.Upload(filename=sent.filename, data=sent.stream.read(_max_bytes() + 1))
    finally:
        sent.close()


def _tool(tool_id: int) -> Tool:
    tool = get_session().get(Tool, tool_id)
    if tool is None or not policy.can_view_tool(current_viewer(), tool):
        abort(404)
    return tool


def _context(tool: Tool | None) -> dict:
    session, viewer = get_session(), current_viewer()
    return {"tool": tool, "actions": catalog.linkable_actions(session, viewer),
            "sessions": catalog.linkable_sessions(session) if policy.is_moderator(viewer) else [],
            "accepted": ACCEPTED, "max_mb": current_app.config["UPLOAD_MAX_MB"],
            "kinds": choices.TOOL_KINDS, "licences": choices.TOOL_LICENCES}


@bp.route("/")
def index():
    """Outils co-construits avec les professionnel·les."""
    session, viewer = get_session(), current_viewer()
    return render_template("tools/list.html", tools=services.published(session),
                           mine=[t for t in services.proposed_by(session, viewer.user_id)
                                 if t.publication_status != "publiee"])


@bp.route("/<int:tool_id>")
def detail(tool_id: int):
    """Un outil : sa description, sa co-construction, ses fichiers en versions, où il a servi."""
    tool, viewer = _tool(tool_id), current_viewer()
    return render_template("tools/detail.html", tool=tool, actions=catalog.visible_actions_of_tool(tool, viewer),
                           files=[f for f in tool.files if policy.tool_file_shown(viewer, tool, f)],
                           accepted=ACCEPTED, max_mb=current_app.config["UPLOAD_MAX_MB"])


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    """Proposer un outil co-construit et son fichier (l'équipe le publie)."""
    viewer = current_viewer()
    require(policy.can_contribute(viewer))
    session = get_session()
    return form_cycle(
        parse=parse_tool_form,
        save=lambda data: services.save_tool(session, data, viewer, get_storage(), _max_bytes(), upload=_upload()),
        template="tools/form.html", initial=MultiDict({"licence": "cc-by-sa"}),
        success=lambda tool: url_for(".detail", tool_id=tool.id),
        message=lambda tool: "L'outil est publié." if tool.publication_status == "publiee"
        else "Merci : l'outil attend la validation de l'équipe.", **_context(None))


@bp.route("/<int:tool_id>/modifier", methods=["GET", "POST"])
def edit(tool_id: int):
    """Modifier un outil (et, si l'on veut, en déposer une nouvelle version)."""
    tool, viewer = _tool(tool_id), current_viewer()
    require(policy.can_edit_tool(viewer, tool))
    session = get_session()
    initial = MultiDict({"title": tool.title, "kind": tool.kind, "description": tool.description,
                         "co_building": tool.co_building, "partners": tool.partners, "licence": tool.licence})
    initial.setlist("action_ids", [str(a.id) for a in tool.actions])
    initial.setlist("session_ids", [str(s.id) for s in tool.sessions])
    return form_cycle(
        parse=parse_tool_form,
        save=lambda data: services.save_tool(session, data, viewer, get_storage(), _max_bytes(), tool=tool,
                                             upload=_upload()),
        template="tools/form.html", initial=initial, success=lambda t: url_for(".detail", tool_id=t.id),
        message="L'outil est modifié.", **_context(tool))


@bp.route("/<int:tool_id>/versions", methods=["POST"])
def add_version(tool_id: int):
    """Déposer une nouvelle version du fichier."""
    tool, viewer = _tool(tool_id), current_viewer()
    require(policy.can_add_tool_version(viewer, tool))
    upload = _upload()
    note = (request.form.get("note") or "").strip()[:500]
    if upload is None:
        flash("Choisissez le fichier de la nouvelle version.", "error")
        return redirect(url_for(".detail", tool_id=tool.id))

    def run() -> str:
        added = services.add_file(get_session(), tool, upload, viewer, get_storage(), _max_bytes(), note)
        return (f"Version {added.version} ajoutée." if added.approved
                else f"Version {added.version} déposée : elle attend la validation de l'équipe.")
    return button_cycle(run, url_for(".detail", tool_id=tool.id))


@bp.route("/<int:tool_id>/soumettre", methods=["POST"])
def submit(tool_id: int):
    """Renvoyer un brouillon à la validation de l'équipe."""
    tool, viewer = _tool(tool_id), current_viewer()
    require(policy.can_edit_tool(viewer, tool))
    return button_cycle(lambda: services.submit(get_session(), tool, viewer) or "L'outil attend la validation.",
                        url_for(".detail", tool_id=tool.id))


@bp.route("/<int:tool_id>/fichiers/<int:file_id>")
def download(tool_id: int, file_id: int):
    """Télécharger une version du fichier (en pièce jointe, jamais affichée par le navigateur)."""
    tool = _tool(tool_id)
    tool_file = get_session().get(ToolFile, file_id)
    if tool_file is None or tool_file.tool_id != tool.id or not policy.tool_file_shown(current_viewer(), tool,
                                                                                         tool_file):
        abort(404)
    try:
        data = get_storage().read(tool_file.storage_key)
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype=tool_file.mimetype.split(";")[0])
    if "charset=" in tool_file.mimetype:
        response.charset = tool_file.mimetype.rsplit("charset=", 1)[1]
    response.set_etag(tool_file.sha256)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{_ascii(tool_file.filename)}\"; filename*=UTF-8''{quote(tool_file.filename)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not (tool.publication_status == "publiee" and tool_file.approved):
        response.headers["Cache-Control"] = "private, no-store"  # not for shared caches before publication
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)


# The team's decisions, from the moderation queue


def decide(tool_id: int):
    """Publier un outil proposé, ou le renvoyer en brouillon avec un commentaire (file de modération)."""
    viewer = current_viewer()
    require(policy.is_moderator(viewer))
    session = get_session()
    tool = session.get(Tool, tool_id)
    if tool is None:
        abort(404)
    values, errors = request.form if request.method == "POST" else MultiDict(), {}
    if request.method == "POST":
        approve = request.form.get("decision") == "publier"
        try:
            seen = request.form.get("last_file", "")
            services.decide_tool(session, tool, approve, viewer, request.form.get("comment") or "",
                                 int(seen) if seen.isdigit() and len(seen) < 10 else 0)
            commit()
        except DomainError as exc:
            session.rollback()
            errors = {exc.field or "__all__": exc.message}
        else:
            flash("L'outil est publié." if approve else "L'outil est renvoyé en brouillon.", "success")
            return redirect(url_for("moderation.queue"))
    return render_template("tools/decide.html", tool=tool, values=values, errors=errors,
                           files=list(tool.files)), 422 if errors else 200


def decide_version(file_id: int):
    """Publier ou refuser une nouvelle version d'un outil publié."""
    viewer = current_viewer()
    require(policy.is_moderator(viewer))
    session = get_session()
    tool_file = session.get(ToolFile, file_id)
    if tool_file is None:
        abort(404)
    approve = request.form.get("decision") == "publier"
    return button_cycle(lambda: services.decide_file(session, tool_file, approve, viewer, get_storage())
                        or ("La version est publiée." if approve else "La version est refusée et retirée."),
                        url_for("moderation.queue"))


bp.add_url_rule("/moderation/<int:tool_id>", "decide", decide, methods=["GET", "POST"])
bp.add_url_rule("/moderation/versions/<int:file_id>", "decide_version", decide_version, methods=["POST"])
