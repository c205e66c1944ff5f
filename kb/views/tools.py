"""Co-built tools (outils co-construits): list and detail."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from kb.db import get_session
from kb.models import Tool
from kb.services import catalog
from kb.views._forms import current_viewer

bp = Blueprint("tools", __name__, url_prefix="/outils")


@bp.route("/")
def index():
    """Outils co-construits avec les professionnel·les."""
    return render_template("tools/list.html", tools=catalog.list_tools(get_session()))


@bp.route("/<int:tool_id>")
def detail(tool_id: int):
    """Un outil et les actions où il a servi."""
    tool = get_session().get(Tool, tool_id)
    if tool is None:
        abort(404)
    return render_template("tools/detail.html", tool=tool,
                           actions=catalog.visible_actions_of_tool(tool, current_viewer()))
