"""Small generated files for the demo tools: PDF (printed with WeasyPrint), OpenDocument text and plain text,
stored through the app's file storage like uploads, with their words extracted for search."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import UTC, datetime

from sqlmodel import Session, select

from kb.models import Tool, UserAccount
from kb.policy import Viewer
from kb.services.tools import Upload, add_file
from kb.storage import DirectoryStorage

_STEPS = {
    "grille": ["Ce qui a changé pour chaque personne", "Ce qui a changé pour le groupe", "Ce qui a changé sur le "
               "territoire", "Les preuves recueillies (paroles, chiffres, observations)", "Ce qui reste à suivre"],
    "guide": ["Constituer le groupe de pilotage", "Recueillir la parole des habitant·es", "Croiser les données",
              "Restituer publiquement", "Choisir ensemble les priorités"],
    "fiche": ["Objectif de la séance", "Déroulé minuté", "Rôles des co-animateur·rices", "Matériel",
              "Points de vigilance", "Notes pour le bilan"],
    "questionnaire": ["Qu'avez-vous appris ?", "Qui avez-vous rencontré ?", "Qu'est-ce qui a changé pour vous ?",
                      "Qu'est-ce qui vous a freiné·e ?", "Que souhaitez-vous continuer ?"],
}
_TEAM = Viewer(role="admin")


def _lines(tool: Tool) -> list[str]:
    steps = _STEPS.get(tool.kind, ["Intentions", "Mise en œuvre", "Effets observés", "Freins rencontrés",
                                   "Leviers"])
    return [tool.title, tool.description, *(f"{n}. {step}" for n, step in enumerate(steps, 1)),
            "Outil co-construit dans le cadre de l'Observatoire des pratiques de l'ISIC (données de démonstration)."]


def _pdf(lines: list[str]) -> bytes:
    from kb.documents import html_to_pdf

    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return html_to_pdf(f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{html.escape(lines[0])}"
                       f"</title></head><body><h1>{html.escape(lines[0])}</h1>{body}</body></html>")


def _odt(lines: list[str]) -> bytes:
    paragraphs = "".join(f"<text:p>{html.escape(line)}</text:p>" for line in lines)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               f"<office:body><office:text>{paragraphs}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (2012, 1, 1, 0, 0, 0)),
                         "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", (2012, 1, 1, 0, 0, 0)), manifest,
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("content.xml", (2012, 1, 1, 0, 0, 0)), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _slug(title: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())[:60]


def add_demo_tool_files(session: Session, tools: list[Tool], storage: DirectoryStorage) -> int:
    """A file per tool (PDF, ODT or text, in turn), and a second version for the first tool; returns the count."""
    made = 0
    for n, tool in enumerate(tools):
        lines = _lines(tool)
        fmt = ("pdf", "odt", "txt")[n % 3]
        data = _pdf(lines) if fmt == "pdf" else _odt(lines) if fmt == "odt" else "\n".join(lines).encode()
        add_file(session, tool, Upload(f"{_slug(tool.title)}.{fmt}", data), _TEAM, storage, 10 * 1024 * 1024,
                 "Première version")
        made += 1
        if n == 0:
            second = [*lines[:-1], "Version revue après l'atelier de mutualisation du 10 mai 2012.", lines[-1]]
            add_file(session, tool, Upload(f"{_slug(tool.title)}-v2.pdf", _pdf(second)), _TEAM, storage,
                     10 * 1024 * 1024, "Revue après l'atelier du 10 mai 2012")
            made += 1
        for tool_file in tool.files:
            tool_file.created_at = datetime(2012, 3 + min(tool_file.version, 9), 1, 10, tzinfo=UTC)
    return made


def add_proposed_tool(session: Session, storage: DirectoryStorage) -> Tool | None:
    """A tool the demo professional proposed, waiting in the moderation queue."""
    author = session.exec(select(UserAccount).where(UserAccount.role == "professionnel")
                          .order_by(UserAccount.id)).first()
    if author is None:
        return None
    tool = Tool(title="Carnet de bord des réunions d'habitant·es", kind="support_animation",
                description="Un carnet pour garder trace de chaque réunion : qui était là, ce qui a été décidé, "
                            "qui s'en occupe, ce qui reste en suspens.",
                co_building="Rédigé avec le collectif d'habitant·es au fil de quatre réunions.",
                partners="Collectif d'habitant·es, centre social", licence="cc-by-sa",
                publication_status="en_attente", proposed_by_id=author.id)
    session.add(tool)
    session.flush()
    lines = [tool.title, tool.description, "1. Présent·es", "2. Décisions", "3. Qui fait quoi", "4. En suspens"]
    add_file(session, tool, Upload("carnet-de-bord.txt", "\n".join(lines).encode()),
             Viewer(role="professionnel", user_id=author.id), storage, 10 * 1024 * 1024)
    return tool
