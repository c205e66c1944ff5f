"""Les cahiers de l'observatoire (/cahiers): the published numbers, their PDF and Atom feed, and composing one."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from kb import charts, policy
from kb.auth import require
from kb.db import commit, get_session
from kb.documents import render_pdf
from kb.errors import DomainError
from kb.forms.cahiers import (
    FIGURE_FILTERS,
    SECTION_KINDS,
    parse_cahier_form,
    parse_section_form,
    parse_section_text_form,
)
from kb.models import Cahier, choices
from kb.services import cahiers as services
from kb.services import figures
from kb.views._forms import button_cycle, current_viewer, delete_cycle, form_cycle
from kb.views._mapdata import filter_options

bp = Blueprint("cahiers", __name__, url_prefix="/cahiers")


def draw_chart(figure: dict) -> Markup:
    """The SVG chart of a figures section, drawn from its (possibly frozen) table."""
    table = figures.table_from_data(figure["table"])
    if figure["chart"] == "column":
        return charts.column_chart(table)
    if figure["chart"] == "grid":
        return charts.grid_chart(table)
    return charts.bar_chart(table, skip_total=figure["chart"] != "bar-all")


def _cahier(cahier_id: int) -> Cahier:
    cahier = get_session().get(Cahier, cahier_id)
    if cahier is None or not policy.can_view_cahier(current_viewer(), cahier):
        abort(404)
    return cahier


def _draft(cahier_id: int) -> Cahier:
    require(policy.can_edit_cahiers(current_viewer()))
    cahier = _cahier(cahier_id)
    if cahier.published:
        flash("Ce cahier est publié : son contenu est figé.", "error")
        abort(redirect(url_for(".detail", cahier_id=cahier.id)))
    return cahier


def _page_context(cahier: Cahier) -> dict:
    """What the page and the PDF show: a published cahier's snapshot only (its citation and imprint included)."""
    data = services.content(get_session(), cahier)
    config = current_app.config
    return {"cahier": cahier, "data": data, "chart": draw_chart,
            "table_of": lambda figure: figures.table_from_data(figure["table"]),
            "issue_date": date.fromisoformat(data["issue_date"]),
            "licence_label": data.get("licence_label") or choices.label(choices.TOOL_LICENCES, data["licence"]),
            "imprint": {"name": data.get("institute") or config["INSTITUTE_NAME"],
                        "address": data.get("address", config["INSTITUTE_ADDRESS"])},
            "citation": data.get("citation")}


@bp.route("/")
def index():
    """Les cahiers de l'observatoire : les numéros publiés (et, pour l'équipe, ceux en préparation)."""
    session, viewer = get_session(), current_viewer()
    return render_template("cahiers/list.html", cahiers=services.published(session),
                           drafts=services.drafts(session) if policy.can_edit_cahiers(viewer) else [])


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    """Nouveau cahier : numéro, titre, date, éditorial."""
    viewer = current_viewer()
    require(policy.can_edit_cahiers(viewer))
    session = get_session()
    initial = MultiDict({"number": str(services.next_number(session)), "issue_date": date.today().isoformat(),
                         "licence": "cc-by-nc-sa"})
    return form_cycle(parse=parse_cahier_form, save=lambda data: services.save_cahier(session, data, viewer),
                      template="cahiers/form.html", initial=initial,
                      success=lambda saved: url_for(".compose", cahier_id=saved.id),
                      message="Le cahier est créé : ajoutez-lui des sections.", cahier=None,
                      licences=choices.TOOL_LICENCES)


@bp.route("/<int:cahier_id>/modifier", methods=["GET", "POST"])
def edit(cahier_id: int):
    """En-tête d'un cahier en préparation."""
    cahier, viewer, session = _draft(cahier_id), current_viewer(), get_session()
    initial = MultiDict({"number": str(cahier.number), "title": cahier.title,
                         "issue_date": cahier.issue_date.isoformat(), "editorial": cahier.editorial,
                         "credits": cahier.credits, "licence": cahier.licence})
    return form_cycle(parse=parse_cahier_form, save=lambda data: services.save_cahier(session, data, viewer, cahier),
                      template="cahiers/form.html", initial=initial,
                      success=lambda saved: url_for(".compose", cahier_id=saved.id),
                      message="L'en-tête du cahier est enregistré.", cahier=cahier, licences=choices.TOOL_LICENCES)


def _compose_page(cahier: Cahier, values: MultiDict, errors: dict, status: int = 200):
    session = get_session()
    data = services.compose(session, cahier)
    return render_template("cahiers/compose.html", cahier=cahier, data=data, values=values, errors=errors,
                           kinds=SECTION_KINDS, choices_=services.section_choices(session),
                           options=filter_options(session, current_viewer()),
                           modes=choices.INTERVENTION_MODES, figure_filters=FIGURE_FILTERS), status


@bp.route("/<int:cahier_id>/composer", methods=["GET", "POST"])
def compose(cahier_id: int):
    """Sommaire d'un cahier en préparation : ajouter, ordonner, retirer des sections."""
    cahier = _draft(cahier_id)
    if request.method == "GET":  # a figure taken from the observatory arrives with its table and filters
        taken = [(k, v) for k, v in request.args.items(multi=True) if k in ("kind", "figure", *FIGURE_FILTERS)]
        return _compose_page(cahier, MultiDict(taken), {})
    result = parse_section_form(request.form)
    if result.ok:
        try:
            services.add_section(get_session(), cahier, result.data)
            commit()
        except DomainError as exc:
            get_session().rollback()
            result.errors = {exc.field or "__all__": exc.message}
        else:
            flash("La section est ajoutée à la fin du cahier.", "success")
            return redirect(url_for(".compose", cahier_id=cahier.id) + "#sommaire")
    return _compose_page(cahier, request.form, result.errors, 422)


@bp.route("/reprendre")
def take_figure():
    """Reprendre un tableau de l'observatoire, avec ses filtres, dans un cahier en préparation."""
    require(policy.can_edit_cahiers(current_viewer()))
    figure = request.args.get("figure", "")
    if figure not in figures.FIGURES:
        abort(404)
    filters = {k: v for k in FIGURE_FILTERS if (v := request.args.get(k, "").strip())}
    return render_template("cahiers/take_figure.html", figure=figure, label=figures.FIGURES[figure].label,
                           filters=filters, dropped_text=bool(request.args.get("q", "").strip()),
                           drafts=services.drafts(get_session()))


@bp.route("/<int:cahier_id>/sections/<int:section_id>", methods=["POST"])
def section(cahier_id: int, section_id: int):
    """Changer le titre ou l'introduction d'une section, la déplacer ou la retirer."""
    cahier, session = _draft(cahier_id), get_session()
    back = url_for(".compose", cahier_id=cahier.id) + "#sommaire"
    operation = request.form.get("operation", "")
    if operation in ("monter", "descendre"):
        return button_cycle(lambda: services.move_section(session, cahier, section_id,
                                                         -1 if operation == "monter" else 1)
                            or "La section a été déplacée.", back)
    if operation == "retirer":
        return button_cycle(lambda: services.remove_section(session, cahier, section_id)
                            or "La section a été retirée du cahier.", back)
    if operation != "texte":
        abort(400)
    result = parse_section_text_form(request.form)
    if not result.ok:
        flash(f"Section non modifiée : {next(iter(result.errors.values()))}", "error")
        return redirect(back)
    return button_cycle(lambda: services.update_section(session, cahier, section_id, result.data)
                        and "Le titre et l'introduction de la section sont enregistrés.", back)


@bp.route("/<int:cahier_id>")
def detail(cahier_id: int):
    """Un cahier : publié, tel qu'il a été figé ; en préparation, l'aperçu de ce qu'il serait aujourd'hui."""
    cahier = _cahier(cahier_id)
    return render_template("cahiers/detail.html", **_page_context(cahier))


def _layout() -> list[Path]:
    """The templates and stylesheets that print a cahier."""
    templates = Path(current_app.root_path, current_app.template_folder or "templates")
    static = Path(current_app.static_folder or "static")
    return [templates / "documents" / "cahier.html", templates / "cahiers" / "_content.html",
            static / "css" / "cahier.css", static / "css" / "print.css"]


def _pdf_cache(cahier: Cahier) -> Path:
    """Where a published cahier's PDF is kept: named after its content and the layout that prints it (a name
    taken out when a person is anonymised, or a corrected stylesheet, gives a new file)."""
    digest = hashlib.sha256(json.dumps(cahier.snapshot, sort_keys=True, ensure_ascii=False).encode())
    for layout in _layout():
        digest.update(layout.read_bytes())
    return Path(current_app.config["FILES_DIR"]) / "cahiers" / f"cahier-{cahier.id}-{digest.hexdigest()[:16]}.pdf"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pdf-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)  # two workers printing it at once both write a whole file; one wins
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    for older in path.parent.glob(f"cahier-{path.name.split('-')[1]}-*.pdf"):
        if older != path:  # an earlier printing (before a name was taken out, or a former layout)
            older.unlink(missing_ok=True)
    for older in path.parent.glob(f"cahier-{path.name.split('-')[1]}-*.pdf"):
        if older != path:  # an earlier printing, before a name was taken out
            older.unlink(missing_ok=True)


@bp.route("/<int:cahier_id>/cahier.pdf")
def pdf(cahier_id: int):
    """Le cahier en PDF : couverture, sommaire paginé, graphiques vectoriels, crédits et licence."""
    cahier = _cahier(cahier_id)
    cached = _pdf_cache(cahier) if cahier.published else None
    if cached is not None and cached.is_file():
        data = cached.read_bytes()
    else:
        data = render_pdf("cahier.html", stylesheets=("cahier.css",), **_page_context(cahier))
        if cached is not None:  # a published cahier never changes: printed once
            _write_atomically(cached, data)
    name = f"cahier-observatoire-{cahier.number}{'' if cahier.published else '-brouillon'}.pdf"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    if not cahier.published:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:cahier_id>/publier", methods=["GET", "POST"])
def publish(cahier_id: int):
    """Relecture avant publication (consentements, passages identifiants), puis publication figée."""
    cahier, viewer, session = _draft(cahier_id), current_viewer(), get_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        config = current_app.config
        imprint = services.Imprint(base_url=config["PUBLIC_URL"] or request.url_root.rstrip("/"),
                                   institute=config["INSTITUTE_NAME"], address=config["INSTITUTE_ADDRESS"])
        try:
            services.publish(session, cahier, viewer, request.form.get("confirm") == "1",
                             reviewed=request.form.get("reviewed", ""), imprint=imprint)
            commit()
        except DomainError as exc:
            session.rollback()
            errors = {exc.field or "__all__": exc.message}
        else:
            flash(f"Le cahier n° {cahier.number} est publié.", "success")
            return redirect(url_for(".detail", cahier_id=cahier.id))
    data = services.compose(session, cahier)
    findings = services.check(data)
    return render_template("cahiers/publish.html", cahier=cahier, data=data, findings=findings,
                           reviewed=services.reviewed_stamp(findings), errors=errors), 422 if errors else 200


@bp.route("/<int:cahier_id>/supprimer", methods=["GET", "POST"])
def delete(cahier_id: int):
    """Supprimer un cahier en préparation."""
    cahier, session = _draft(cahier_id), get_session()
    return delete_cycle(obj=cahier, delete=lambda c: services.delete_draft(session, c),
                        template="confirm_delete.html", success=url_for(".index"),
                        message=f"Le cahier n° {cahier.number} en préparation a été supprimé.", what="le cahier",
                        name=f"n° {cahier.number} — {cahier.title}", cancel=url_for(".compose", cahier_id=cahier.id))


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the characters it forbids (U+FFFF, most controls) are dropped, the feed stays valid."""
    return _NOT_XML.sub("", str(text))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands back UTC without its zone


def _atom_date(moment: datetime | None) -> str:
    """RFC 3339, as Atom wants it."""
    return _aware(moment).isoformat(timespec="seconds") if moment else "2012-01-01T00:00:00+00:00"


@bp.route("/flux.atom")
def feed():
    """Flux Atom des cahiers publiés."""
    cahiers = services.published(get_session(), limit=30)
    body = render_template("cahiers/feed.xml", cahiers=cahiers, atom_date=_atom_date, xml_text=_xml_text,
                           updated=max((_aware(c.published_at) for c in cahiers if c.published_at), default=None))
    return Response(body, mimetype="application/atom+xml")
